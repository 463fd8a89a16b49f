/**
 * Issue 21's moderation in the browser: Ben reports Ana's post from the post itself; Mo, a moderator with the
 * Moderation screen open, sees it arrive live and deletes the content — the post is gone for Ana (asked through the
 * API) and the report leaves the list. Ben, a plain user, has no Moderation entry and is told /moderation is not for
 * him. Made an admin, Mo sees the Log tab with that action. Ana needs no browser: she posts through the API.
 */
import type { Browser, Page } from "playwright-core";
import type { TelegraphClient } from "telegraph-client";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, connectAs, createUser } from "../../test/helpers/factories.ts";
import { expectNoSeriousA11yViolations, screenshot } from "./helpers/a11y.ts";
import { describeBrowser, desktop, launchBrowser, phone } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

const POST = "Cheap watches, today only: spam.example";
const moderationLink = (page: Page) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Moderation" });

describeBrowser("reporting and moderation", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let ben: SignedIn;
  let mo: SignedIn;
  let ana: TelegraphClient;
  let tweetId: string;

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([startE2eServer({ confirmation: "off" }), launchBrowser()]);
    const anaUser = await createUser(e2e.server, { name: "Ana" });
    [ana, ben, mo] = await Promise.all([connectAs(e2e.server, anaUser), signedIn(browser, e2e, "Ben"), signedIn(browser, e2e, "Mo")]);
    await e2e.server.app.services.moderation.setRole(null, mo.user.userId, "moderator");
    tweetId = (await ana.api.addNewTweet(POST)).id;
  }, 120_000);
  afterEach(() => {
    for (const p of [ben, mo]) p?.person.assertNoProblems();
  });
  afterAll(async () => {
    closeAll();
    await browser?.close();
    await e2e?.stop();
  });

  it("a plain user has no Moderation entry, and /moderation tells him it is not for him", async () => {
    const { page } = ben;
    await page.goto("/moderation");
    await page.getByRole("heading", { name: "You are not allowed to see this page" }).waitFor();
    expect(await moderationLink(page).count()).toBe(0);
  });

  it("Ben reports Ana's post; Mo sees it live and deletes the content, which is then gone for Ana too", async () => {
    // Mo's page connects as a moderator now (the role was given after her first page loaded).
    await mo.page.goto("/moderation");
    await mo.page.getByText("No open reports").waitFor();
    await moderationLink(mo.page).and(mo.page.locator("[aria-current=page]")).waitFor();

    const { page } = ben;
    await page.goto(`/tweet/${tweetId}`);
    const reportButton = page.getByRole("button", { name: "Report post" });
    await reportButton.click();
    const dialog = page.getByRole("dialog", { name: "Report post" });
    await dialog.waitFor();
    await expectNoSeriousA11yViolations(page, "report dialog");
    await dialog.getByRole("button", { name: "Send report" }).click();
    await dialog.getByText("Choose a reason.").waitFor();
    await dialog.getByRole("radio", { name: "Spam" }).check();
    expect(await dialog.getByText("Choose a reason.").count()).toBe(0);
    await dialog.getByLabel("Anything the moderators should know (optional)").fill("Same link every hour");
    await screenshot(page, "moderation-report-dialog", "desktop");
    await dialog.getByRole("button", { name: "Send report" }).click();
    await dialog.getByText("Thanks — a moderator will look at it").waitFor();
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await reportButton.evaluate((el) => el === document.activeElement)).toBe(true);

    // Live on Mo's open screen, said through the polite region.
    const report = mo.page.getByRole("article").filter({ hasText: POST });
    await report.waitFor();
    await expect.poll(() => mo.page.locator("[aria-live=polite]").textContent()).toContain("New report");
    await report.getByText("“Same link every hour”").waitFor();
    await report.getByText("Reported by Ben").waitFor();
    await expectNoSeriousA11yViolations(mo.page, "moderation");
    await screenshot(mo.page, "moderation-reports", "desktop");
    await mo.page.setViewportSize(phone);
    await screenshot(mo.page, "moderation-reports", "phone");
    await mo.page.setViewportSize(desktop);

    await report.getByLabel("Note for the log (optional)").fill("spam link");
    await report.getByRole("button", { name: "Delete content" }).click();
    const confirm = mo.page.getByRole("dialog", { name: "Delete this content?" });
    await confirm.getByRole("button", { name: "Delete content" }).click();
    await mo.page.getByText("No open reports").waitFor();
    await expect(ana.api.getTweet(tweetId)).rejects.toMatchObject({ code: "not_found" });
    const [row] = await e2e.server.db.query<{ status: string; action: string }>("SELECT status, action FROM reports WHERE target_id = $1", [tweetId]);
    expect(row).toEqual({ status: "resolved", action: "delete_content" });
  });

  it("as an admin Mo also sees the Log tab with what she did", async () => {
    await e2e.server.app.services.moderation.setRole(null, mo.user.userId, "admin");
    const { page } = mo;
    await page.goto("/moderation");
    await page.getByRole("link", { name: "Log" }).click();
    const log = page.getByRole("list", { name: "Moderation log" });
    await log.getByText("Resolved a report: Content deleted").waitFor();
    await log.getByText("“spam link”").waitFor();
    await expectNoSeriousA11yViolations(page, "moderation log");
    await screenshot(page, "moderation-log", "desktop");
  });
});
