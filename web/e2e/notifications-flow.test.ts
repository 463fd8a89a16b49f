/**
 * Issue 20, "In the browser": Ana in a real browser; Bo and Cy act through typed clients against the same real server.
 * Their likes of Ana's post collapse into one entry and their follows into another, the badge counts the entries
 * live, the screen lists them grouped ("Bo Baker and Cy Cole liked your post"), a mention links to Ana's profile,
 * and a click opens the post. Every page fails the test on a console error, an uncaught exception or a dialog.
 */
import type { Browser, Page } from "playwright-core";
import type { TelegraphClient } from "telegraph-client";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, connectAs, createUser, type TestUser } from "../../test/helpers/factories.ts";
import { screenshot, seriousA11yViolations } from "./helpers/a11y.ts";
import { describeBrowser, launchBrowser, phone, desktop } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });
const bell = (page: Page) => nav(page).getByRole("link", { name: /^Notifications/ });
const entries = (page: Page) => page.getByRole("list", { name: "Notifications" }).getByRole("listitem");

describeBrowser("notifications in a real browser: grouped likes and follows, the badge, a mention, a click to the post", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let ana: SignedIn;
  let bo: TestUser;
  let cy: TestUser;
  let boClient: TelegraphClient;
  let cyClient: TelegraphClient;
  let tweetId = "";

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([startE2eServer({ confirmation: "off" }), launchBrowser()]);
    ana = await signedIn(browser, e2e, "Ana", { overrides: { family: "Archer" }, path: "/home" });
    [bo, cy] = await Promise.all([createUser(e2e.server, { name: "Bo", family: "Baker" }), createUser(e2e.server, { name: "Cy", family: "Cole" })]);
    [boClient, cyClient] = await Promise.all([connectAs(e2e.server, bo), connectAs(e2e.server, cy)]);
    const anaClient = await connectAs(e2e.server, ana.user);
    tweetId = (await anaClient.api.addNewTweet("Sunrise over the bay")).id;
  }, 120_000);

  afterEach(() => ana?.person.assertNoProblems());

  afterAll(async () => {
    closeAll();
    await browser?.close();
    await e2e?.stop();
  });

  it("likes of one post and follows each collapse into one entry; the badge counts the entries live", async () => {
    const page = ana.page;
    await boClient.api.toggleTweetLike(tweetId);
    await cyClient.api.toggleTweetLike(tweetId);
    await boClient.api.followUser(ana.user.userId);
    await cyClient.api.followUser(ana.user.userId);
    await nav(page).getByRole("link", { name: "Notifications 2 new" }).waitFor();

    await bell(page).click();
    await expect.poll(() => entries(page).count()).toBe(2);
    // What a screen reader reads for each entry: who, what, and the post.
    const texts = await Promise.all((await entries(page).getByRole("link").all()).map((link) => link.getAttribute("aria-label")));
    expect(texts.find((t) => t?.includes("liked your post"))).toMatch(/^(Unread: )?(Cy Cole and Bo Baker|Bo Baker and Cy Cole) liked your post: Sunrise over the bay$/);
    expect(texts.find((t) => t?.includes("followed you"))).toMatch(/^(Unread: )?(Cy Cole and Bo Baker|Bo Baker and Cy Cole) followed you$/);
    const a11y = await seriousA11yViolations(page, "notifications");
    expect(a11y).toEqual([]);
    await screenshot(page, "notifications", "1280x800");
  });

  it("shown with focus, they are read: the badge clears", async () => {
    await nav(ana.page).getByRole("link", { name: "Notifications", exact: true }).waitFor();
    await expect.poll(() => ana.page.locator(".notif.is-unread").count()).toBe(0);
  });

  it("a mention arrives live as a new entry, and the post links the mention to Ana's profile", async () => {
    const page = ana.page;
    const posted = await boClient.api.addNewTweet(`Morning @${ana.user.username}, look at this`);
    expect(posted.mentions).toEqual([expect.objectContaining({ user_id: ana.user.userId, username: ana.user.username })]);
    const mention = entries(page).filter({ hasText: "Bo Baker mentioned you" });
    await mention.waitFor();
    await mention.getByRole("link").click();
    await page.waitForURL(new RegExp(`/tweet/${posted.id}$`));
    const link = page.getByRole("link", { name: `@${ana.user.username}`, exact: true }).first();
    await link.waitFor();
    expect(await link.getAttribute("href")).toBe(`/@${encodeURIComponent(ana.user.username)}`);
  });

  it("the app's service worker shows a pushed message as a notification that leads to its chat", async () => {
    // Chromium delivers the push itself (DevTools' ServiceWorker.deliverPushMessage): no push service is reachable
    // here, and what is tested is the worker's handling of the payload the server sends (src/features/push).
    const { page, person } = ana;
    await person.context.grantPermissions(["notifications"]);
    const cdp = await person.context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
    await cdp.send("ServiceWorker.enable");
    await page.evaluate(async () => {
      await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => registrations.some((r) => !r.isDeleted)).toBe(true);
    const registrationId = registrations.find((r) => !r.isDeleted)!.registrationId;
    const payload = { kind: "message", title: "Bo Baker", body: "Are you coming?", url: `/chat/${bo.userId}`, tag: `chat:${bo.userId}` };
    await cdp.send("ServiceWorker.deliverPushMessage", { origin: new URL(page.url()).origin, registrationId, data: JSON.stringify(payload) });
    const shown = () =>
      page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown })));
    await expect.poll(shown).toEqual([{ title: "Bo Baker", body: "Are you coming?", tag: `chat:${bo.userId}`, data: { url: `/chat/${bo.userId}` } }]);
    await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).forEach((n) => n.close()));
    await cdp.detach();
  });

  it("a click on the grouped like opens the post", async () => {
    const page = ana.page;
    await bell(page).click();
    await entries(page).filter({ hasText: "liked your post" }).getByRole("link").click();
    await page.waitForURL(new RegExp(`/tweet/${tweetId}$`));
    await page.getByText("Sunrise over the bay").first().waitFor();
    await page.setViewportSize(phone);
    await bell(page).click();
    await entries(page).first().waitFor();
    await screenshot(page, "notifications", "390x844");
    await page.setViewportSize(desktop);
  });
});
