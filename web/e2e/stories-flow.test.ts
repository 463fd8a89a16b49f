/**
 * Stories in a real browser: Ana shares two stories from the "+" in the bar; Bo, who follows her, sees her ring appear
 * live, opens the viewer, steps through with the keyboard and closes it, and her ring turns to seen; Ana sees Bo among
 * the viewers and deletes her stories, which leave Bo's bar live. Every page fails the test on a console error, an
 * uncaught exception or a dialog.
 */
import { AxeBuilder } from "@axe-core/playwright";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, createUser } from "../../test/helpers/factories.ts";
import { makeImage } from "../../test/helpers/images.ts";
import { expectNoSeriousA11yViolations, screenshot } from "./helpers/a11y.ts";
import { describeBrowser, desktop, launchBrowser, phone } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

/** The accessible name of the focused control. */
const focusedName = async (page: Page) => /- button "([^"]*)"/.exec(await page.locator(":focus").ariaSnapshot())?.[1];
const bar = (page: Page) => page.getByRole("region", { name: "Stories" });
const viewer = (page: Page) => page.getByRole("dialog", { name: /stories$/ });
const anaItem = (page: Page, state?: "seen" | "unseen") => bar(page).getByRole("button", { name: new RegExp(`^Ana User's story${state ? `, ${state}$` : ""}`) });

/**
 * The axe scan of /home limited to the stories bar: the feed under it is another screen, built and scanned by its own
 * test (the same tags and severities as expectNoSeriousA11yViolations).
 */
async function expectNoSeriousViolationsInBar(page: Page): Promise<void> {
  const result = await new AxeBuilder({ page }).include(".stories-bar").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

async function chooseFile(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  await bar(page).getByRole("button", { name: "Add a story" }).click();
  await (await chooser).setFiles(file);
}

async function addStory(page: Page, width: number, height: number): Promise<void> {
  await chooseFile(page, { name: "story.png", mimeType: "image/png", buffer: await makeImage("png", width, height) });
}

/** Makes the page believe its tab is hidden (or visible again), as a switch to another tab would. */
async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((hide) => {
    if (hide) {
      Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
      Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    } else {
      delete (document as { visibilityState?: unknown }).visibilityState;
      delete (document as { hidden?: unknown }).hidden;
    }
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

describeBrowser("stories: share, watch live, view, viewers and delete", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let a: SignedIn;
  let b: SignedIn;
  let clientB: TelegraphClient;
  let clientA: TelegraphClient;
  let clientC: TelegraphClient;
  let anaStoryId = "";

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([startE2eServer({ confirmation: "off" }), launchBrowser()]);
    [a, b] = await Promise.all([signedIn(browser, e2e, "Ana"), signedIn(browser, e2e, "Bo")]);
    clientB = await connectAs(e2e.server, b.user);
    expect(await clientB.api.followUser(a.user.userId)).toEqual({ status: "following" });
    await bar(b.page).waitFor();
  }, 60_000);
  afterAll(async () => {
    closeAll();
    await browser?.close();
    await e2e?.stop();
  });

  it("Ana shares two stories from the + in the bar; Bo sees her unseen ring appear without a reload", async () => {
    await chooseFile(a.page, { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not an image") });
    await bar(a.page).getByRole("alert").filter({ hasText: "Choose an image file." }).waitFor();
    await addStory(a.page, 320, 240);
    await bar(a.page).getByRole("button", { name: "Your story, 1 story" }).waitFor();
    await addStory(a.page, 240, 320);
    await bar(a.page).getByRole("button", { name: "Your story, 2 stories" }).waitFor();
    a.person.assertNoProblems();

    await anaItem(b.page, "unseen").waitFor();
    // The bar is a row: Bo's own "add" comes first, then Ana.
    const names = [...(await bar(b.page).ariaSnapshot()).matchAll(/button "([^"]*)"/g)].map((m) => m[1]);
    expect(names).toEqual(["Add a story", "Ana User's story, unseen"]);
    await expectNoSeriousViolationsInBar(b.page);
    await screenshot(b.page, "stories-bar", "desktop");
    await b.page.setViewportSize(phone);
    await screenshot(b.page, "stories-bar", "phone");
    await b.page.setViewportSize(desktop);
    await b.page.emulateMedia({ colorScheme: "dark" });
    await screenshot(b.page, "stories-bar-dark", "desktop");
    await b.page.emulateMedia({ colorScheme: "light" });
    b.person.assertNoProblems();
  });

  it("arrow keys move along the bar", async () => {
    const page = b.page;
    await bar(page).getByRole("button", { name: "Add a story" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await focusedName(page)).toBe("Ana User's story, unseen");
    await page.keyboard.press("ArrowLeft");
    expect(await focusedName(page)).toBe("Add a story");
    b.person.assertNoProblems();
  });

  it("Bo opens Ana's stories: the image, a progress bar, the page behind inert; arrows and Escape work and focus returns", async () => {
    const page = b.page;
    await anaItem(page, "unseen").click();
    const dialog = viewer(page);
    await dialog.waitFor();
    const image = dialog.getByRole("img", { name: /^Story by Ana User/ });
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth, img.getAttribute("width"), img.getAttribute("height")])).toEqual([true, 320, "320", "240"]);
    await dialog.getByRole("progressbar", { name: "Story 1 of 2" }).waitFor();
    expect(await page.locator("#app").getAttribute("inert")).toBe("");

    // Paused for the scan and the screenshots (each story advances after five seconds otherwise).
    await dialog.getByRole("button", { name: "Pause" }).click();
    await dialog.getByRole("button", { name: "Play" }).waitFor();
    await expectNoSeriousA11yViolations(page, "story viewer");
    await screenshot(page, "story-viewer", "desktop");
    await page.setViewportSize(phone);
    await screenshot(page, "story-viewer", "phone");
    await page.setViewportSize(desktop);
    await dialog.getByRole("button", { name: "Play" }).click();

    await page.keyboard.press("ArrowRight");
    await dialog.getByRole("progressbar", { name: "Story 2 of 2" }).waitFor();
    await expect.poll(() => dialog.getByRole("img", { name: /^Story by Ana User/ }).getAttribute("width")).toBe("240");
    await page.keyboard.press("ArrowLeft");
    await dialog.getByRole("progressbar", { name: "Story 1 of 2" }).waitFor();
    await page.keyboard.press("ArrowRight");
    await dialog.getByRole("progressbar", { name: "Story 2 of 2" }).waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    expect(await page.locator("#app").getAttribute("inert")).toBeNull();
    await expect.poll(() => focusedName(page)).toMatch(/^Ana User's story/);

    // Both were shown: the ring turns to seen, and stays so after a reload (the server recorded the views).
    await anaItem(page, "seen").waitFor();
    await screenshot(page, "stories-bar-seen", "desktop");
    await page.reload();
    await anaItem(page, "seen").waitFor();
    b.person.assertNoProblems();
  });

  it("a click on the right half goes on, the close button closes and gives focus back", async () => {
    const page = b.page;
    await anaItem(page, "seen").click();
    const dialog = viewer(page);
    await dialog.getByRole("progressbar", { name: "Story 1 of 2" }).waitFor();
    const stage = await dialog.locator(".story-viewer__stage").boundingBox();
    expect(stage).not.toBeNull();
    await page.mouse.click(stage!.x + stage!.width * 0.75, stage!.y + stage!.height * 0.6);
    await dialog.getByRole("progressbar", { name: "Story 2 of 2" }).waitFor();
    await page.mouse.click(stage!.x + stage!.width * 0.25, stage!.y + stage!.height * 0.6);
    await dialog.getByRole("progressbar", { name: "Story 1 of 2" }).waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => focusedName(page)).toBe("Ana User's story, seen");
    b.person.assertNoProblems();
  });

  it("stops while the tab is hidden, goes on by itself after five seconds, and closes after the last", async () => {
    const page = b.page;
    // Hidden before the viewer opens: on a loaded machine the first story could otherwise run out between opening the
    // viewer and hiding the tab, and the test would measure the machine, not the pause.
    await setHidden(page, true);
    await anaItem(page, "seen").click();
    const dialog = viewer(page);
    await dialog.getByRole("progressbar", { name: "Story 1 of 2" }).waitFor();
    await dialog.getByRole("img", { name: /^Story by Ana User/ }).waitFor();
    await page.waitForTimeout(5_500);
    await dialog.getByRole("progressbar", { name: "Story 1 of 2" }).waitFor({ timeout: 100 });
    await setHidden(page, false);
    await dialog.getByRole("progressbar", { name: "Story 2 of 2" }).waitFor({ timeout: 7_000 });
    await dialog.waitFor({ state: "detached", timeout: 7_000 });
    await expect.poll(() => focusedName(page)).toBe("Ana User's story, seen");
    b.person.assertNoProblems();
  });

  it("Ana opens her own story, sees Bo among the viewers, and deletes her stories; they leave Bo's bar live", async () => {
    const page = a.page;
    await bar(page).getByRole("button", { name: "Your story, 2 stories" }).click();
    const dialog = viewer(page);
    await dialog.getByRole("progressbar", { name: /^Story 1 of 2/ }).waitFor();
    await dialog.getByRole("button", { name: "Pause" }).click();
    await dialog.getByRole("button", { name: "Viewers" }).click();
    const viewers = dialog.getByRole("region", { name: /^Viewers/ });
    await viewers.getByText("Bo User").waitFor();
    await viewers.getByText(`@${b.user.username}`).waitFor();
    await expectNoSeriousA11yViolations(page, "story viewers");
    await screenshot(page, "story-viewers", "desktop");
    await page.setViewportSize(phone);
    await screenshot(page, "story-viewers", "phone");
    await page.setViewportSize(desktop);
    a.person.assertNoProblems();
    // Escape closes the list first, not the viewer.
    await page.keyboard.press("Escape");
    await viewers.waitFor({ state: "detached" });
    await dialog.waitFor();

    await dialog.getByRole("button", { name: "Delete" }).click();
    const confirm = dialog.getByRole("alertdialog", { name: "Delete this story?" });
    await confirm.waitFor();
    await screenshot(page, "story-delete", "desktop");
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    await dialog.getByRole("button", { name: "Delete" }).click();
    await confirm.getByRole("button", { name: "Delete story" }).click();
    await dialog.getByRole("progressbar", { name: "Story 1 of 1" }).waitFor();
    await bar(page).getByRole("button", { name: "Your story, 1 story" }).waitFor({ state: "attached" });

    await dialog.getByRole("button", { name: "Delete" }).click();
    await confirm.getByRole("button", { name: "Delete story" }).click();
    await dialog.waitFor({ state: "detached" });
    await bar(page).getByRole("button", { name: "Add a story" }).waitFor();
    a.person.assertNoProblems();

    await anaItem(b.page).waitFor({ state: "detached" });
    b.person.assertNoProblems();
  });

  it("at the end of one person's stories the viewer goes on to the next person's, then closes on the last", async () => {
    const cy = await createUser(e2e.server, { name: "Cy" });
    expect(await clientB.api.followUser(cy.userId)).toEqual({ status: "following" });
    [clientA, clientC] = await Promise.all([connectAs(e2e.server, a.user), connectAs(e2e.server, cy)]);
    await clientC.api.addNewStory(await makeImage("png", 200, 200));
    anaStoryId = (await clientA.api.addNewStory(await makeImage("png", 300, 200))).id;
    const page = b.page;
    // Newest first: Ana's (just shared), then Cy's.
    await anaItem(page, "unseen").waitFor();
    const cyItem = bar(page).getByRole("button", { name: "Cy User's story, unseen" });
    await cyItem.waitFor();
    const names = [...(await bar(page).ariaSnapshot()).matchAll(/button "([^"]*)"/g)].map((m) => m[1]);
    expect(names).toEqual(["Add a story", "Ana User's story, unseen", "Cy User's story, unseen"]);

    await anaItem(page, "unseen").click();
    await page.getByRole("dialog", { name: "Ana User's stories" }).getByRole("img", { name: /^Story by Ana User/ }).waitFor();
    await page.keyboard.press("ArrowRight");
    const cyDialog = page.getByRole("dialog", { name: "Cy User's stories" });
    await cyDialog.getByRole("img", { name: /^Story by Cy User/ }).waitFor();
    await cyDialog.getByRole("progressbar", { name: "Story 1 of 1" }).waitFor();
    await page.keyboard.press("ArrowLeft");
    await page.getByRole("dialog", { name: "Ana User's stories" }).waitFor();
    await page.keyboard.press("ArrowRight");
    await cyDialog.waitFor();
    await page.keyboard.press("ArrowRight");
    await viewer(page).waitFor({ state: "detached" });
    // Focus goes to the person seen last, and both rings are seen now.
    await expect.poll(() => focusedName(page)).toBe("Cy User's story, seen");
    await anaItem(page, "seen").waitFor();
    b.person.assertNoProblems();
  });

  it("what changed while Bo was offline shows once he is back: a new story of Cy's, Ana's deleted one gone", async () => {
    const page = b.page;
    await b.person.context.setOffline(true);
    await page.getByRole("status").filter({ hasText: /connection lost/i }).waitFor();
    await clientA.api.deleteStory(anaStoryId);
    await clientC.api.addNewStory(await makeImage("png", 120, 160));
    await b.person.context.setOffline(false);
    await bar(page).getByRole("button", { name: "Cy User's story, unseen" }).waitFor({ timeout: 20_000 });
    await anaItem(page).waitFor({ state: "detached" });
    b.person.assertNoProblems();
  });
});
