/**
 * Issue 16's paths the main chat flow does not walk: a login refused because the email is not confirmed (with the
 * resend), an access token that expires under a live connection (`tokenExpiredFromServer`: renewed without a visible
 * reconnect), and a reload while messages wait to be sent (they survive it and go out once).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectAs, createUser, newRegistration, record } from "../../test/helpers/factories.ts";
import { post } from "../../test/helpers/http.ts";
import { middlewares } from "../../src/realtime/middlewares.ts";
import type { ConnectionMiddleware } from "../../src/realtime/middleware.ts";
import { AppError } from "../../src/shared/errors.ts";
import { describeBrowser, launchBrowser, Person } from "./helpers/browser.ts";
import { signedIn } from "./helpers/people.ts";
import { appLinkFrom, startE2eServer, type E2eServer } from "./helpers/server.ts";

const wait = { timeout: 10_000 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records in the page whether the "connection lost" banner ever showed, however briefly. */
function watchForOfflineBanner(person: Person): Promise<unknown> {
  return person.context.addInitScript(() => {
    const w = window as unknown as { sawOffline: boolean };
    w.sawOffline = false;
    new MutationObserver(() => {
      if (document.querySelector(".shell__offline")) w.sawOffline = true;
    }).observe(document, { childList: true, subtree: true });
  });
}
const sawOffline = (page: Page) => page.evaluate(() => (window as unknown as { sawOffline: boolean }).sawOffline);

describeBrowser("session edges in a real browser", { timeout: 90_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  describe("a login before the email is confirmed", () => {
    let e2e: E2eServer;
    beforeAll(async () => {
      e2e = await startE2eServer();
    });
    afterAll(async () => {
      await e2e?.stop();
    });

    it("says so, resends the mail on request, and logs in once the new link is followed", async () => {
      const registration = newRegistration();
      expect((await post(e2e.url, "/register", registration)).status).toBe(201);
      await e2e.mailTo(registration.email); // the first confirmation mail, left unused

      const person = await Person.open(browser, "Una", e2e.url);
      // The refused login is an HTTP 403 the app shows as a notice; Chromium logs the status line itself.
      person.expectConsoleError(/Failed to load resource: the server responded with a status of 403/);
      const page = await person.newPage();
      await page.goto("/login");
      await page.getByLabel("Username or email").fill(registration.username);
      await page.getByLabel("Password").fill(registration.password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByText("Your email is not confirmed yet.").waitFor(wait);

      await page.getByLabel("Email", { exact: true }).fill(registration.email);
      await page.getByRole("button", { name: "Resend confirmation" }).click();
      await page.getByText("A new confirmation mail is on its way.").waitFor(wait);
      const resent = await e2e.mailTo(registration.email);

      await page.goto(appLinkFrom(resent, "/confirm"));
      await page.getByText(/confirmed/i).first().waitFor(wait);
      await page.goto("/login");
      await page.getByLabel("Username or email").fill(registration.email);
      await page.getByLabel("Password").fill(registration.password);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("navigation", { name: "Main" }).waitFor(wait);
      person.assertNoProblems();
      await person.close();
    });
  });

  describe("a live connection", () => {
    let e2e: E2eServer;
    beforeAll(async () => {
      // Tokens of 8 s with 3 s of grace: an unrenewed connection would be dropped 11 s after its login.
      e2e = await startE2eServer({ confirmation: "off", env: { ACCESS_TOKEN_TTL: "8", TOKEN_EXPIRY_GRACE: "3" } });
    });
    afterAll(async () => {
      await e2e?.stop();
    });

    it("renews its token when the server says it expired, without a visible reconnect", async () => {
      const partner = await signedIn(browser, e2e, "Pat", { path: "/" });
      // The partner watches in a browser: a typed client here would itself be dropped when its 8 s token ran out.
      const person = await Person.open(browser, "Tom", e2e.url);
      await watchForOfflineBanner(person);
      await person.context.addInitScript(() => localStorage.setItem("telegraph.session", "1"));
      const tom = await createUser(e2e.server, { name: "Tom" });
      expect((await person.context.request.post("/login", { data: { username: tom.username, password: tom.password, session: "cookie" } })).status()).toBe(200);

      // The page refreshes its token a little before expiry; that one refresh is made to fail, so that the server's
      // tokenExpiredFromServer is what brings the next one.
      const refreshes: number[] = [];
      await person.context.route("**/session/refresh", (route) => {
        refreshes.push(Date.now());
        return refreshes.length === 2 ? route.abort("connectionrefused") : route.continue();
      });
      // The refresh the test makes fail is logged by Chromium itself.
      person.expectConsoleError(/Failed to load resource: net::ERR_CONNECTION_REFUSED/);
      const page = await person.newPage();
      const started = Date.now();
      await page.goto(`/chat/${partner.user.userId}`);
      await page.getByLabel("Message", { exact: true }).waitFor(wait);

      await partner.page.goto(`/chat/${tom.userId}`);
      await sleep(Math.max(0, started + 13_000 - Date.now()));
      expect(refreshes.length, "the load, the failed early refresh, and the one tokenExpiredFromServer asked for").toBe(3);
      expect(await sawOffline(page)).toBe(false);

      await page.getByLabel("Message", { exact: true }).fill("after the token expired");
      await page.getByRole("button", { name: "Send", exact: true }).click();
      await partner.page.locator("[data-message-id]", { hasText: "after the token expired" }).waitFor(wait);
      await page.locator("[data-message-id]", { hasText: "after the token expired" }).and(page.locator('[data-status="sent"], [data-status="delivered"], [data-status="seen"]')).waitFor(wait);
      expect(await sawOffline(page)).toBe(false);
      person.assertNoProblems();
      partner.person.assertNoProblems();
      await person.close();
      await partner.person.close();
    });

  });

  describe("a reload while messages wait", () => {
    let e2e: E2eServer;
    // While set, the server refuses new sockets of this user as it does when its database is away ("unavailable"):
    // the page (HTTP) still loads, its socket cannot get in.
    let refused: string | null = null;
    const refuseWhileSet: ConnectionMiddleware = (socket) => {
      if (socket.data.user.user_id === refused) throw new AppError("unavailable");
      return true;
    };
    beforeAll(async () => {
      e2e = await startE2eServer({ confirmation: "off", middlewares: [...middlewares, refuseWhileSet] });
    });
    afterAll(async () => {
      await e2e?.stop();
    });

    it("keeps messages written while the socket is away across a reload, and sends each once when it is back", async () => {
      const b = await signedIn(browser, e2e, "Bea", { path: "/" });
      const a = await signedIn(browser, e2e, "Abe", { path: `/chat/${b.user.userId}` });
      const bClient = await connectAs(e2e.server, b.user);
      const received = record(bClient);
      const { page } = a;
      const message = (text: string) => page.locator("[data-message-id]", { hasText: text });
      const stored = page.locator('[data-status="sent"], [data-status="delivered"], [data-status="seen"]');
      await page.getByLabel("Message", { exact: true }).waitFor(wait);

      refused = a.user.userId;
      await a.person.context.setOffline(true);
      await page.getByRole("status").filter({ hasText: /connection lost/i }).waitFor(wait);
      const texts = ["waited through a reload one", "waited through a reload two"];
      for (const text of texts) {
        await page.getByLabel("Message", { exact: true }).fill(text);
        await page.getByRole("button", { name: "Send", exact: true }).click();
        await message(text).and(page.locator('[data-status="sending"]')).waitFor(wait);
      }
      await a.person.context.setOffline(false);
      await page.reload();
      for (const text of texts) await message(text).and(page.locator('[data-status="sending"]')).waitFor(wait);
      await page.getByRole("status").filter({ hasText: /connection lost/i }).waitFor(wait);
      expect(received.of("singleUnreadMsgFromServer")).toHaveLength(0);

      refused = null;
      for (const text of texts) await message(text).and(stored).waitFor({ timeout: 20_000 });
      const textsReceived = () => received.of("singleUnreadMsgFromServer").map((m) => (m as { context: { text: string } }).context.text);
      await expect.poll(textsReceived).toEqual(texts);
      // Stored once each: B's history holds one of each, and a further reload of A's page sends nothing again.
      await page.reload();
      await message(texts[1]!).and(stored).waitFor(wait);
      await sleep(500);
      const history = await bClient.api.getChatMessages({ with: a.user.userId });
      expect(history.filter((m) => texts.includes(m.context.text ?? "")).map((m) => m.context.text).sort()).toEqual([...texts].sort());
      expect(textsReceived()).toEqual(texts);
      expect(await message(texts[0]!).count()).toBe(1);
      a.person.assertNoProblems();
      b.person.assertNoProblems();
    });
  });
});
