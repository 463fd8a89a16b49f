/**
 * Issue 19, "Browser tests": three people in three browser contexts against a real server. Ann creates a group with
 * Ben and Cy from the "New group" dialog; it appears live in their chat lists; they chat (sender names on others'
 * messages, typing); Ann's message shows as seen and "Seen by" lists who read it; Ann removes Cy in the info panel
 * and Cy loses the group at once. The steps build on each other and run in order; every page fails the test on a
 * console error, an uncaught exception or a dialog.
 */
import type { Browser, Page } from "playwright-core";
import type { TelegraphClient } from "telegraph-client";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, connectAs, record, settle } from "../../test/helpers/factories.ts";
import { copyToDocs, screenshot, seriousA11yViolations } from "./helpers/a11y.ts";
import { describeBrowser, desktop, launchBrowser, phone } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

const chatList = (page: Page) => page.getByRole("list", { name: "Chats" });
const groupRow = (page: Page, title: string) => chatList(page).getByRole("link", { name: new RegExp(`^Group ${title}`) });
const log = (page: Page) => page.getByRole("log", { name: "Messages" });
const messageWith = (page: Page, text: string) => log(page).locator("[data-message-id]", { hasText: text });
const composer = (page: Page) => page.getByLabel("Message", { exact: true });

async function send(page: Page, text: string): Promise<void> {
  await composer(page).fill(text);
  await composer(page).press("Enter");
  await messageWith(page, text).and(page.locator('[data-status="sent"], [data-status="seen"]')).waitFor();
}

describeBrowser("group chats in a real browser: three people create a group, chat, see who read what, and one is removed", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let ann: SignedIn;
  let ben: SignedIn;
  let cy: SignedIn;
  let cyClient: TelegraphClient;
  let groupId = "";
  const title = `Weekend trip ${Date.now().toString(36)}`;
  const a11y = new Map<string, string[]>();
  const scan = async (page: Page, screen: string) => void a11y.set(screen, await seriousA11yViolations(page, screen));

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([startE2eServer({ confirmation: "off" }), launchBrowser()]);
    [ann, ben, cy] = await Promise.all([
      signedIn(browser, e2e, "Ann", { overrides: { family: "Archer" }, path: "/" }),
      signedIn(browser, e2e, "Ben", { overrides: { family: "Baker" }, path: "/" }),
      signedIn(browser, e2e, "Cy", { overrides: { family: "Cole" }, path: "/" }),
    ]);
    cyClient = await connectAs(e2e.server, cy.user);
  }, 120_000);

  afterEach(() => {
    for (const p of [ann, ben, cy]) p?.person.assertNoProblems();
  });

  afterAll(async () => {
    closeAll();
    await browser?.close();
    await e2e?.stop();
  });

  it("Ann creates the group from the New group dialog, choosing Ben and Cy by search", async () => {
    const page = ann.page;
    await page.getByRole("button", { name: "New group" }).click();
    const dialog = page.getByRole("dialog", { name: "New group" });
    await dialog.getByLabel("Group name").fill(title);
    for (const who of [ben, cy]) {
      await dialog.getByLabel("Add people").fill(who.user.username);
      await dialog.getByRole("list", { name: "People found" }).getByRole("button", { name: new RegExp(who.user.name) }).click();
    }
    await expect.poll(() => dialog.getByRole("list", { name: "Chosen people" }).getByRole("button").count()).toBe(2);
    await scan(page, "new group dialog");
    await dialog.getByRole("button", { name: "Create group" }).click();
    await page.waitForURL(/\/group\/[0-9a-f]+$/);
    groupId = page.url().split("/").at(-1)!;
    await page.getByRole("region", { name: `Group ${title}` }).getByText("3 members").waitFor();
    await groupRow(page, title).waitFor();
  });

  it("the group appears live in Ben's and Cy's chat lists", async () => {
    for (const who of [ben, cy]) await groupRow(who.page, title).waitFor();
  });

  it("they chat: each sees the others' messages with the sender's name, and typing", async () => {
    await send(ann.page, "Who brings the tent?");
    // Cy has not opened the group: the row counts it unread and previews it.
    await expect.poll(() => groupRow(cy.page, title).getAttribute("aria-label")).toMatch(/1 unread: .*Who brings the tent\?/);

    await groupRow(ben.page, title).click();
    const inBen = messageWith(ben.page, "Who brings the tent?");
    await inBen.waitFor();
    await expect(inBen.getByRole("link", { name: "Ann Archer" }).count()).resolves.toBe(1);

    await composer(ben.page).pressSequentially("I do", { delay: 20 });
    await ann.page.getByText("Ben is typing…").waitFor();
    await composer(ben.page).press("Enter");
    await messageWith(ann.page, "I do").getByRole("link", { name: "Ben Baker" }).waitFor();
    // My own messages carry no sender name.
    expect(await messageWith(ann.page, "Who brings the tent?").getByRole("link", { name: "Ann Archer" }).count()).toBe(0);
    await scan(ann.page, "group conversation");
  });

  it("Ann's message shows as seen once Ben read it, and Seen by lists Ben", async () => {
    const mine = messageWith(ann.page, "Who brings the tent?");
    await mine.and(ann.page.locator('[data-status="seen"]')).waitFor();
    await mine.hover();
    await mine.getByRole("button", { name: "Message actions" }).click();
    await mine.getByRole("menuitem", { name: "Seen by" }).click();
    const dialog = ann.page.getByRole("dialog", { name: "Seen by" });
    const readers = dialog.getByRole("list", { name: "Readers" });
    await readers.waitFor();
    expect(await readers.getByRole("listitem").allInnerTexts()).toEqual([expect.stringContaining("Ben Baker")]);
    await scan(ann.page, "seen by dialog");
    await dialog.getByRole("button", { name: "Close" }).click();
    // Cy reads it too: the list grows.
    await groupRow(cy.page, title).click();
    await messageWith(cy.page, "I do").waitFor();
    await mine.hover();
    await mine.getByRole("button", { name: "Message actions" }).click();
    await mine.getByRole("menuitem", { name: "Seen by" }).click();
    await expect.poll(() => readers.getByRole("listitem").count()).toBe(2);
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  it("Ben writes while offline (shown as sending) and it arrives once when he is back; he edits it; Ann, the owner, deletes it for everyone", async () => {
    const page = ben.page;
    await ben.person.context.setOffline(true);
    await page.getByRole("status").filter({ hasText: /connection lost/i }).waitFor();
    await composer(page).fill("Back in a bit");
    await composer(page).press("Enter");
    await messageWith(page, "Back in a bit").and(page.locator('[data-status="sending"]')).waitFor();
    await ben.person.context.setOffline(false);
    await messageWith(page, "Back in a bit").and(page.locator('[data-status="sent"], [data-status="seen"]')).waitFor();
    await messageWith(ann.page, "Back in a bit").waitFor();
    await settle(300);
    expect(await messageWith(ann.page, "Back in a bit").count()).toBe(1);

    const mine = messageWith(page, "Back in a bit");
    await mine.hover();
    await mine.getByRole("button", { name: "Message actions" }).click();
    await mine.getByRole("menuitem", { name: "Edit" }).click();
    await composer(page).fill("Back soon");
    await composer(page).press("Enter");
    await messageWith(ann.page, "Back soon").getByText("edited").waitFor();

    const theirs = messageWith(ann.page, "Back soon");
    await theirs.hover();
    await theirs.getByRole("button", { name: "Message actions" }).click();
    await theirs.getByRole("menuitem", { name: "Delete for everyone" }).click();
    await messageWith(page, "Back soon").waitFor({ state: "detached" });
    await messageWith(ann.page, "Back soon").waitFor({ state: "detached" });
  });

  it("the info panel lists the members with their roles; Ann removes Cy, and Cy loses the group at once", async () => {
    await ann.page.getByRole("button", { name: `Group info: ${title}` }).click();
    const panel = ann.page.getByRole("dialog", { name: "Group info" });
    const members = panel.getByRole("list", { name: "Members" });
    await expect.poll(() => members.getByRole("listitem").count()).toBe(3);
    await members.getByRole("listitem", { name: "Ann Archer, owner" }).waitFor();
    await scan(ann.page, "group info panel");
    await screenshot(ann.page, "group-info", "1280x800");

    const cyPushes = record(cyClient);
    await panel.getByRole("button", { name: "Remove Cy Cole" }).click();
    await panel.getByRole("status").getByText("Cy Cole was removed.").waitFor();
    await expect.poll(() => members.getByRole("listitem").count()).toBe(2);
    await cy.page.getByText("You are no longer a member of this group.").waitFor();
    await groupRow(cy.page, title).waitFor({ state: "detached" });
    expect(cyPushes.of("removedFromGroupFromServer")).toEqual([expect.objectContaining({ group: groupId, by: ann.user.userId })]);
    await panel.getByRole("button", { name: "Close" }).click();

    // Ann writes again: Ben gets it, Cy gets nothing — on the page or on another device.
    await send(ann.page, "Tent is sorted");
    await messageWith(ben.page, "Tent is sorted").waitFor();
    await settle(300);
    expect(cyPushes.of("singleGroupMsgFromServer")).toEqual([]);
    expect(await cy.page.getByText("Tent is sorted").count()).toBe(0);
    // And the history is no longer Cy's to read.
    await expect(cyClient.api.getGroupMessages({ group: groupId })).rejects.toMatchObject({ code: "not_found" });
    // Ben's header follows the member count.
    await ben.page.getByText("2 members").waitFor();
  });

  it("screenshots of the group at 1280×800 and 390×844; no serious accessibility findings on any screen", async () => {
    await ben.page.setViewportSize(desktop);
    await copyToDocs(await screenshot(ben.page, "group-conversation", "1280x800"), "screenshot-group.png");
    await ben.page.setViewportSize(phone);
    await ben.page.getByRole("log", { name: "Messages" }).waitFor();
    await screenshot(ben.page, "group-conversation", "390x844");
    await ben.page.setViewportSize(desktop);
    expect(Object.fromEntries([...a11y].filter(([, found]) => found.length > 0))).toEqual({});
  });
});
