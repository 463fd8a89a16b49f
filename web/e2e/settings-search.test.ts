/**
 * Search, my profile settings, blocked users and presence, with two people (Ana and Bruno) and a bystander (Carla)
 * against a real server: Ana finds Bruno as she types and sees him online; Bruno changes his name and photo and Ana
 * sees the change in her results; Bruno makes his account private and public again; Ana unblocks Bruno from her
 * settings after blocking him from a typed client; Bruno leaves and Ana sees him go offline on the page's own refresh.
 */
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, connectAs, createUser } from "../../test/helpers/factories.ts";
import { makeImage } from "../../test/helpers/images.ts";
import { expectNoSeriousA11yViolations, screenshot } from "./helpers/a11y.ts";
import { describeBrowser, desktop, launchBrowser, phone } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

const tag = randomBytes(3).toString("hex");
const nav = (page: Page, label: string) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label });
const box = (page: Page) => page.getByRole("searchbox", { name: "Search people" });
const results = (page: Page) => page.getByRole("list", { name: "People found" });
const result = (page: Page, name: RegExp) => results(page).getByRole("link", { name });

async function shoot(page: Page, name: string): Promise<void> {
  await screenshot(page, name, "desktop");
  await page.setViewportSize(phone);
  await screenshot(page, name, "phone");
  await page.setViewportSize(desktop);
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, `${name}-dark`, "desktop");
  await page.emulateMedia({ colorScheme: "light" });
}

describeBrowser("search, edit profile, blocked users and presence", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let a: SignedIn;
  let b: SignedIn;

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([startE2eServer({ confirmation: "off" }), launchBrowser()]);
    [a, b] = await Promise.all([
      signedIn(browser, e2e, "Ana", { path: "/search" }),
      signedIn(browser, e2e, "Bruno", { overrides: { username: `bruno_${tag}`, family: "Costa" }, path: "/settings" }),
      createUser(e2e.server, { name: "Carla", family: "Dias", username: `carla_${tag}` }),
    ]);
  }, 120_000);
  afterEach(() => {
    a?.person.assertNoProblems();
    b?.person.assertNoProblems();
  });
  afterAll(async () => {
    closeAll();
    await browser?.close();
    await e2e?.stop();
  });

  it("Ana finds Bruno as she types, online, and opens his profile", async () => {
    const { page } = a;
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("search-box");
    await box(page).pressSequentially(`bruno_${tag.slice(0, 3)}`, { delay: 40 });
    const bruno = result(page, /^Bruno Costa/);
    await bruno.waitFor();
    await expect.poll(() => results(page).getByRole("link").count()).toBe(1);
    expect(await results(page).getByText("Carla").count()).toBe(0);
    await expect.poll(() => bruno.innerText()).toMatch(new RegExp(`@bruno_${tag}[\\s\\S]*online`));
    // The keyboard: from the box into the results.
    await box(page).press("ArrowDown");
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? "")).toContain("Bruno Costa");
    await page.keyboard.press("ArrowUp");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("search-box");
    await expectNoSeriousA11yViolations(page, "search");
    await shoot(page, "search");
    // Nobody by that name.
    await box(page).fill("zzz_nobody");
    await page.getByText(`No one found for “zzz_nobody”.`).waitFor();
    await box(page).fill(`bruno_${tag.slice(0, 3)}`);
    await result(page, /^Bruno Costa/).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/@bruno_${tag}`);
  });

  it("Bruno changes his name and photo; he sees the notice and the stored photo", async () => {
    const { page } = b;
    await page.getByRole("link", { name: /^Edit profile/ }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/settings/profile");
    const name = page.getByLabel("Name", { exact: true });
    await expect.poll(() => name.inputValue()).toBe("Bruno");
    await name.fill("Brunello");
    await page.getByLabel("Biography").fill("Sailing https://example.com/boats <b>not bold</b>");
    // An image the browser shows but the server refuses (SVG): the server's reason shows beside the photo.
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>';
    await page.locator("#photo-file").setInputFiles({ name: "me.svg", mimeType: "image/svg+xml", buffer: Buffer.from(svg) });
    await page.getByRole("img", { name: "Preview of the new photo" }).waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator(".edit-profile__photo").getByText("The image is not a PNG, JPEG, WebP or GIF.").waitFor();
    await page.locator("#photo-file").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: await makeImage("png", 400, 300) });
    await expect.poll(() => page.getByText("The image is not a PNG").count()).toBe(0);
    await page.getByRole("img", { name: "Preview of the new photo" }).waitFor();
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Profile saved.").waitFor();
    const stored = page.getByRole("img", { name: "Your photo" });
    await expect.poll(() => stored.getAttribute("src")).toMatch(/\/media\//);
    await expect.poll(() => stored.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    expect(await stored.evaluate((img: HTMLImageElement) => [img.width, img.height])).toEqual([96, 96]);
    await page.getByRole("heading", { name: "Edit profile" }).hover();
    await shoot(page, "edit-profile");
    // A field error beside its field (the form checks what the server would refuse before asking).
    await name.fill("");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Your name is required.").waitFor();
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    await name.fill("Brunello");
    await expectNoSeriousA11yViolations(page, "edit profile");
  });

  it("Ana sees Bruno's new name and photo in her search results", async () => {
    const { page } = a;
    await nav(page, "Search").click();
    const bruno = result(page, /^Brunello Costa/);
    await bruno.waitFor();
    await expect.poll(() => bruno.locator("img").getAttribute("src")).toMatch(/\/media\//);
    await bruno.click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/@bruno_${tag}`);
    // The profile screen is someone else's; check its heading only if it shows the name.
    const heading = page.getByRole("heading", { name: /Brunello/ });
    if ((await heading.count()) > 0) expect(await heading.first().innerText()).toContain("Brunello");
  });

  it("Bruno makes his account private and public again", async () => {
    const { page } = b;
    const toggle = page.getByRole("switch", { name: "Private account" });
    await expect.poll(() => toggle.isEnabled()).toBe(true);
    expect(await toggle.getAttribute("aria-checked")).toBe("false");
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-checked")).toBe("true");
    await page.getByText("accepts every pending follow request").waitFor();
    await toggle.click();
    await expect.poll(() => toggle.getAttribute("aria-checked")).toBe("false");
    await page.getByText("pending follow requests were accepted").waitFor();
  });

  it("Ana unblocks Bruno from her settings, after a confirmation", async () => {
    const client = await connectAs(e2e.server, a.user);
    expect(await client.api.toggleBlockUser(b.user.userId)).toEqual({ blocked: true });
    const { page } = a;
    await nav(page, "Settings").click();
    await page.getByRole("link", { name: /^Blocked users/ }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/settings/blocked");
    const list = page.getByRole("list", { name: "Blocked users" });
    await list.getByText("Brunello Costa").waitFor();
    await expectNoSeriousA11yViolations(page, "blocked users");
    await shoot(page, "blocked");
    await list.getByRole("button", { name: "Unblock Brunello Costa" }).click();
    const dialog = page.getByRole("dialog", { name: "Unblock Brunello Costa?" });
    await dialog.waitFor();
    // Cancel keeps him blocked.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await dialog.count()).toBe(0);
    await list.getByRole("button", { name: "Unblock Brunello Costa" }).click();
    await dialog.waitFor();
    await screenshot(page, "blocked-confirm", "desktop");
    await dialog.getByRole("button", { name: "Unblock" }).click();
    await page.getByText("You have not blocked anyone.").waitFor();
    expect(await dialog.count()).toBe(0);
    expect(await client.api.getBlockListRequest()).toEqual([]);
  });

  it("Bruno leaves; Ana's results show him offline on the page's own refresh", async () => {
    const { page } = a;
    await nav(page, "Search").click();
    const bruno = result(page, /^Brunello Costa/);
    await bruno.waitFor();
    await expect.poll(() => bruno.innerText()).toMatch(/online/);
    await b.page.close();
    // The tab coming back into view refreshes presence at once (the 30 s refresh does the same, later).
    await expect
      .poll(
        async () => {
          await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
          return bruno.innerText();
        },
        { timeout: 10_000, interval: 250 },
      )
      .toMatch(/last seen/);
    expect(await bruno.innerText()).not.toMatch(/\bonline\b/);
  });
});
