/**
 * Issue 21 in the browser: Dora downloads her data and then deletes her account from Settings (a wrong password
 * first, and a deletion cut off by the network, both leaving the account and no second login behind); Ezra, who
 * chatted with her, then sees "Deleted account". Sami is suspended by a moderator while his page is open, and Tove
 * while hers is offline (the reconnect is refused): both get the suspended screen instead of "connection lost", and
 * logging in again shows it too.
 */
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, connectAs, createUser } from "../../test/helpers/factories.ts";
import { post } from "../../test/helpers/http.ts";
import { expectNoSeriousA11yViolations, screenshot } from "./helpers/a11y.ts";
import { describeBrowser, launchBrowser, phone } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

const status = (code: string) => new RegExp(`Failed to load resource: the server responded with a status of ${code}`);
const dialog = (page: Page) => page.getByRole("dialog", { name: "Delete your account?" });
const suspendedHeading = (page: Page) => page.getByRole("heading", { name: "This account is suspended" });

async function logInThroughPage(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel("Username or email").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

describeBrowser("download my data, delete account, suspension", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let dora: SignedIn;
  let ezra: SignedIn;
  let sami: SignedIn;
  let tove: SignedIn;
  /** The logins the server still honours (refresh-token families with a live token). */
  const liveLogins = async (userId: string) =>
    (await e2e.server.db.query<{ n: number }>("SELECT count(DISTINCT family_id)::int AS n FROM refresh_tokens WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()", [userId]))[0]?.n;

  beforeAll(async () => {
    // One export an hour, so the second click meets the limit.
    [e2e, browser] = await Promise.all([startE2eServer({ confirmation: "off", env: { ACCOUNT_EXPORT_RATE_LIMIT: "1/3600" } }), launchBrowser()]);
    [dora, ezra, sami, tove] = await Promise.all([
      signedIn(browser, e2e, "Dora", { path: "/settings" }),
      signedIn(browser, e2e, "Ezra", { path: "/" }),
      signedIn(browser, e2e, "Sami", { path: "/home" }),
      signedIn(browser, e2e, "Tove", { path: "/home" }),
    ]);
    const fromEzra = await connectAs(e2e.server, ezra.user);
    await fromEzra.api.newMessageFromClient({ to: dora.user.userId, context: { text: "Hello Dora" } });
  }, 120_000);
  afterEach(() => {
    for (const p of [dora, ezra, sami, tove]) p?.person.assertNoProblems();
  });
  afterAll(async () => {
    closeAll();
    await browser?.close();
    await e2e?.stop();
  });

  it("Dora downloads her data as JSON lines (after renewing a refused token); a second download is told when it can be done again", async () => {
    const { page, person, user } = dora;
    // The first answer refuses the token, as for one that expired meanwhile: the app renews it and asks again.
    person.expectConsoleError(status("401"));
    let refused = 0;
    await page.route("**/account/export", (route) => (refused++ === 0 ? route.fulfill({ status: 401, json: { code: "unauthenticated", message: "expired" } }) : route.continue()));
    const refreshes: string[] = [];
    page.on("request", (request) => new URL(request.url()).pathname === "/session/refresh" && refreshes.push(request.method()));
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download my data" }).click();
    const file = await download;
    expect(refused).toBe(2);
    expect(refreshes).toEqual(["POST"]);
    await page.unroute("**/account/export");
    const today = new Date();
    const day = [today.getFullYear(), today.getMonth() + 1, today.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
    expect(file.suggestedFilename()).toBe(`telegraph-export-${user.username}-${day}.jsonl`);
    const lines = (await readFile((await file.path())!, "utf8")).trim().split("\n").map((line) => JSON.parse(line) as { type: string; [k: string]: unknown });
    expect(lines[0]).toMatchObject({ type: "export", user_id: user.userId });
    expect(lines.find((l) => l.type === "profile")).toMatchObject({ username: user.username, name: "Dora" });
    expect(lines.some((l) => l.type === "message" && (l as { context?: { text?: string } }).context?.text === "Hello Dora")).toBe(true);
    await page.getByText(`Saved as telegraph-export-${user.username}-${day}.jsonl.`).waitFor();

    person.expectConsoleError(status("429"));
    await page.getByRole("button", { name: "Download my data" }).click();
    await page.getByText("You can download your data again in 60 minutes.").waitFor();
    await expectNoSeriousA11yViolations(page, "settings");
    await page.locator(".settings__body").evaluate((body) => body.scrollTo(0, body.scrollHeight));
    await screenshot(page, "settings-danger-zone", "desktop");
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "settings-danger-zone-dark", "desktop");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("Dora's wrong password is an inline error, a deletion cut off leaves her account, and no extra login stays", async () => {
    const { page, person, user } = dora;
    // The helper's own login and the page's.
    const logins = await liveLogins(user.userId);
    expect(logins).toBe(2);
    const open = page.locator(".settings__danger").getByRole("button", { name: "Delete account" });
    await open.click();
    await dialog(page).getByText("stay visible to the other person, shown from “Deleted account”").waitFor();
    // Focus starts in the password box, stays in the dialog, Escape closes it and gives focus back.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe("password");
    await expectNoSeriousA11yViolations(page, "delete account dialog");
    await screenshot(page, "settings-delete-dialog", "desktop");
    for (let i = 0; i < 4; i++) await page.keyboard.press("Tab");
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest("[role=dialog]")))).toBe(true);
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog(page).count()).toBe(0);
    await expect.poll(() => open.evaluate((el) => el === document.activeElement)).toBe(true);

    person.expectConsoleError(status("401"));
    await open.click();
    await dialog(page).getByLabel("Password").fill("not my password");
    await dialog(page).getByRole("button", { name: "Delete account" }).click();
    await dialog(page).getByText("Wrong password.").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("delete-password");
    expect(await dialog(page).getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    expect((await post(e2e.url, "/verify_token", { ACCESS_TOKEN: user.accessToken })).body).toEqual({ verify: true });
    expect(await liveLogins(user.userId)).toBe(logins);

    // The fresh login succeeds, then the deletion never reaches the server: that login is ended again.
    person.expectConsoleError(/net::ERR_FAILED/);
    await page.route("**/account", (route) => route.abort());
    await dialog(page).getByLabel("Password").fill(user.password);
    await dialog(page).getByRole("button", { name: "Delete account" }).click();
    await dialog(page).getByText("The server cannot be reached.").waitFor();
    await page.unroute("**/account");
    expect(await liveLogins(user.userId)).toBe(logins);
    expect((await post(e2e.url, "/verify_token", { ACCESS_TOKEN: user.accessToken })).body).toEqual({ verify: true });
  });

  it("Dora deletes her account: the login screen says so, her password no longer works, and Ezra sees “Deleted account”", async () => {
    const { page, user } = dora;
    await dialog(page).getByRole("button", { name: "Delete account" }).click();
    await page.getByText("Your account was deleted.").waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await expect.poll(() => page.evaluate(() => localStorage.getItem("telegraph.session"))).toBe(null);
    expect(await liveLogins(user.userId)).toBe(0);
    await expectNoSeriousA11yViolations(page, "login after deletion");

    await logInThroughPage(page, user.username, user.password);
    await page.getByText("Wrong username or password.").waitFor();

    // The conversation stays for Ezra, from "Deleted account" and without a profile link: his open chat list follows
    // live (accountDeletedFromServer), without a reload.
    const chat = ezra.page.getByRole("link", { name: /Deleted account/ });
    await chat.waitFor();
    await chat.click();
    await ezra.page.getByText("Hello Dora", { exact: true }).waitFor();
    await ezra.page.getByRole("heading", { name: "Deleted account" }).waitFor();
  });

  it("Sami, suspended by a moderator while his page is open, sees the suspended screen, and again after logging in", async () => {
    const { page, person, user } = sami;
    const moderator = await createUser(e2e.server, { name: "Mona" });
    const moderation = e2e.server.app.services.moderation;
    await moderation.setRole(null, moderator.userId, "moderator");
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    await moderation.suspend(moderator.userId, user.userId, "spam");

    await suspendedHeading(page).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("This account is suspended");
    // Nothing tries to come back (the app would after 1 s), and "connection lost" never shows.
    const opened = sockets.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sockets.length).toBe(opened);
    expect(await page.locator(".shell__offline").count()).toBe(0);
    await expectNoSeriousA11yViolations(page, "suspended");
    await screenshot(page, "suspended", "desktop");
    await page.setViewportSize(phone);
    await screenshot(page, "suspended", "phone");

    person.expectConsoleError(status("403"));
    await page.getByRole("button", { name: "Log out" }).click();
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await logInThroughPage(page, user.username, user.password);
    await suspendedHeading(page).waitFor();
    expect(await page.getByRole("navigation", { name: "Main" }).count()).toBe(0);
  });

  it("Tove, suspended while offline, is refused on reconnect and sees the suspended screen", async () => {
    const { page, person, user } = tove;
    await person.context.setOffline(true);
    await page.locator(".shell__offline").waitFor();
    await e2e.server.app.services.moderation.suspend(null, user.userId);
    const sockets: string[] = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    await person.context.setOffline(false);
    await suspendedHeading(page).waitFor();
    expect(sockets.length).toBeGreaterThan(0);
    expect(await page.locator(".shell__offline").count()).toBe(0);
  });
});
