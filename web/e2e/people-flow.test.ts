/**
 * Profiles, follows, follow requests and blocks in a real browser: Ana (public) and Cee (private, made so through a
 * typed client) against a real server. Ana asks to follow Cee, Cee sees the badge live and accepts in the inbox, Ana's
 * button follows live and Cee's post shows; then Cee blocks Ana from Ana's profile and the follow is gone both ways.
 * The steps build on each other and run in order; every page fails the test on a console error or a dialog.
 */
import type { Browser, Locator, Page } from "playwright-core";
import type { TelegraphClient } from "telegraph-client";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, connectAs, createUser } from "../../test/helpers/factories.ts";
import { makeImage } from "../../test/helpers/images.ts";
import { screenshot, seriousA11yViolations } from "./helpers/a11y.ts";
import { describeBrowser, desktop, launchBrowser, phone } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });
const requestsLink = (page: Page) => nav(page).getByRole("link", { name: /^Requests/ });
const profile = (page: Page) => page.getByRole("region", { name: /./ }).filter({ has: page.locator("#profile-title") });
const heading = (page: Page) => page.locator("#profile-title");
const followButton = (page: Page) => page.getByRole("button", { name: /^(Follow|Requested|Following)$/ });
const posts = (page: Page, name: string) => page.getByRole("list", { name: `Posts by ${name}` });

async function text(locator: Locator): Promise<string> {
  return (await locator.count()) ? locator.first().innerText() : "";
}

describeBrowser("profiles, follows, requests and blocks in a real browser", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let a: SignedIn;
  let c: SignedIn;
  let cClient: TelegraphClient;
  let postText = "";
  // Every screen is scanned where the flow reaches it; the findings are asserted together at the end.
  const a11y = new Map<string, string[]>();
  const scan = async (page: Page, screen: string) => void a11y.set(screen, await seriousA11yViolations(page, screen));

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([startE2eServer({ confirmation: "off", env: { EVENT_RATE_LIMIT_WRITE: "200/10" } }), launchBrowser()]);
    [a, c] = await Promise.all([
      signedIn(browser, e2e, "Ana", { overrides: { family: "Public" } }),
      signedIn(browser, e2e, "Cee", { overrides: { family: "Private" }, path: "/" }),
    ]);
    cClient = await connectAs(e2e.server, c.user);
    const made = await cClient.api.togglePublicityStatus();
    expect(made.isPrivate).toBe(true);
    await cClient.api.updateProfile({
      biography: "Writes about <b>birds</b> and trains. More at https://example.com/cee",
      photo: (await makeImage("png", 256, 256)).toString("base64"),
    });
    postText = `Only for my followers ${Date.now().toString(36)}`;
    await cClient.api.addNewTweet(postText);
  }, 120_000);

  afterEach(() => {
    a?.person.assertNoProblems();
    c?.person.assertNoProblems();
  });

  afterAll(async () => {
    closeAll();
    await browser?.close();
    await e2e?.stop();
  });

  it("shows a private account's header, its lock and no posts to someone who does not follow it", async () => {
    const page = a.page;
    // Opened cold by username, the profile is read once (resolving the username is that read).
    const reads: string[] = [];
    page.on("websocket", (ws) => ws.on("framesent", (f) => typeof f.payload === "string" && f.payload.includes('"receiveUserProfile"') && reads.push(f.payload)));
    await page.goto(`/@${c.user.username}`);
    await expect.poll(() => text(heading(page))).toContain("Cee Private");
    await page.waitForTimeout(300);
    expect(reads.filter((r) => r.includes(`"username":"${c.user.username}"`) || r.includes(`"${c.user.userId}"`))).toHaveLength(1);
    expect(await page.getByRole("img", { name: "Private account" }).count()).toBe(1);
    await page.getByText("This account is private").waitFor();
    // Someone else's profile is no section's page: no navigation item says it is the current one.
    expect(await nav(page).locator('[aria-current="page"]').count()).toBe(0);
    expect(await text(page.locator(".profile__handle"))).toContain(`@${c.user.username}`);
    // The biography is text: the markup stays visible as written, and only the URL is a link.
    const bio = page.locator(".profile__bio");
    expect(await bio.innerText()).toContain("<b>birds</b>");
    expect(await bio.locator("b").count()).toBe(0);
    expect(await bio.getByRole("link", { name: "https://example.com/cee" }).getAttribute("rel")).toBe("noopener noreferrer");
    expect(await page.getByText(postText).count()).toBe(0);
    expect(await text(followButton(page))).toBe("Follow");
    expect(await page.getByRole("link", { name: "Message" }).getAttribute("href")).toBe(`/chat/${c.user.userId}`);
    expect(await page.getByRole("link", { name: "Edit profile" }).count()).toBe(0);
    await scan(page, "private profile header");
    await screenshot(page, "profile-private", "desktop");
  });

  it("sends a follow request: the button says Requested, and Cee's badge counts it live", async () => {
    await a.page.getByRole("button", { name: "Follow", exact: true }).click();
    await expect.poll(() => text(followButton(a.page))).toBe("Requested");
    // Cee's app is open on the chat list; the badge comes from the newFollowRequest push.
    await expect.poll(() => text(requestsLink(c.page)), { message: "Cee's Requests badge says 1" }).toMatch(/1/);
    expect(await requestsLink(c.page).getAttribute("aria-label")).toBeNull();
    expect(await requestsLink(c.page).locator('[aria-label="1 new"]').count()).toBe(1);
  });

  it("lets Cee accept in the inbox: the row goes, the badge clears, and Ana's button turns to Following live", async () => {
    const page = c.page;
    await requestsLink(page).click();
    await expect.poll(() => page.url()).toMatch(/\/requests$/);
    const list = page.getByRole("list", { name: "Follow requests" });
    await list.getByRole("link", { name: /Ana Public/ }).waitFor();
    await scan(page, "requests inbox");
    await screenshot(page, "requests", "desktop");
    await list.getByRole("button", { name: "Accept Ana Public" }).click();
    await expect.poll(() => list.getByRole("listitem").count(), { message: "the answered row disappears" }).toBe(0);
    await page.getByText("No follow requests.").waitFor();
    await expect.poll(() => requestsLink(page).locator('[aria-label$="new"]').count(), { message: "the badge clears" }).toBe(0);

    // Ana did not reload: the answer push turns the button and shows the post.
    await expect.poll(() => text(followButton(a.page)), { message: "Ana's button follows the answer" }).toBe("Following");
    await posts(a.page, "Cee Private").getByText(postText).waitFor();
    expect(await a.page.getByText("This account is private").count()).toBe(0);
    await expect.poll(() => text(a.page.locator(".profile__counts"))).toContain("1 follower");
  });

  it("lists Ana among Cee's followers, each row a link to the profile", async () => {
    const page = a.page;
    await page.getByRole("link", { name: "1 follower" }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/@${c.user.username}/followers$`));
    const list = page.getByRole("list", { name: `Followers of @${c.user.username}` });
    const row = list.getByRole("link", { name: /Ana Public/ });
    await row.waitFor();
    expect(await row.getAttribute("href")).toBe(`/@${a.user.username}`);
    await scan(page, "followers list");
    await screenshot(page, "followers", "desktop");
    // Ana's own following list has Cee.
    await page.goto(`/@${a.user.username}/following`);
    await page.getByRole("list", { name: `Following of @${a.user.username}` }).getByRole("link", { name: /Cee Private/ }).waitFor();
    await page.goto(`/@${c.user.username}`);
    await expect.poll(() => text(followButton(page))).toBe("Following");
  });

  it("lets Cee block Ana from Ana's profile menu, after a confirmation; Ana's open view of Cee then says it is not available", async () => {
    const page = c.page;
    await page.goto(`/@${a.user.username}`);
    await expect.poll(() => text(heading(page))).toContain("Ana Public");
    // Ana follows Cee, Cee does not follow Ana: "Follows you" comes from the profile's followsMe, not from mutual.
    await page.getByText("Follows you").waitFor();
    expect(await text(followButton(page))).toBe("Follow");
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Block" }).click();
    const dialog = page.getByRole("dialog", { name: "Block Ana Public?" });
    await dialog.waitFor();
    // Cancel first: nothing happens.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Block" }).click();
    await dialog.getByRole("button", { name: "Block", exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.getByText(`You blocked @${a.user.username}`).waitFor();
    expect(await followButton(page).count()).toBe(0);
    await screenshot(page, "profile-blocked", "desktop");

    // Ana's page is still on Cee's profile; the followRemovedFromServer push makes it look again.
    await a.page.getByRole("heading", { name: "This profile is not available" }).waitFor();
    expect(await a.page.getByText(postText).count()).toBe(0);
    await screenshot(a.page, "profile-unavailable", "desktop");
    await a.page.reload();
    await a.page.getByRole("heading", { name: "This profile is not available" }).waitFor();
    // No such user reads the same.
    await a.page.goto("/@nobody_by_this_name");
    await a.page.getByRole("heading", { name: "This profile is not available" }).waitFor();
  });

  it("ends the follow on both sides: Cee's followers list no longer has Ana (page and typed client)", async () => {
    const page = c.page;
    await page.goto(`/@${c.user.username}/followers`);
    await page.getByText(`Nobody follows @${c.user.username} yet.`).waitFor();
    expect(await page.getByRole("link", { name: /Ana Public/ }).count()).toBe(0);
    const followers = await cClient.api.getFollowerListRequest(c.user.userId);
    expect(followers.followers.map((u) => u.user_id)).not.toContain(a.user.userId);
    const aClient = await connectAs(e2e.server, a.user);
    const following = await aClient.api.getFollowingListRequest(a.user.userId);
    expect(following.following.map((u) => u.user_id)).not.toContain(c.user.userId);
    const seen = await cClient.api.receiveUserProfile(a.user.userId);
    expect(seen).toMatchObject({ isBlocked: true, isFollowed: false, mutual: false });
  });

  it("lets Cee unblock Ana, after a confirmation; the follow does not come back", async () => {
    const page = c.page;
    await page.goto(`/@${a.user.username}`);
    await page.getByText(`You blocked @${a.user.username}`).waitFor();
    // The menu says Unblock now; the plain Unblock button beside it asks the same.
    await page.getByRole("button", { name: "More actions" }).click();
    await page.getByRole("menuitem", { name: "Unblock" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Unblock", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Unblock Ana Public?" });
    await dialog.getByRole("button", { name: "Unblock", exact: true }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => text(followButton(page))).toBe("Follow");
    expect(await page.getByText("Follows you").count()).toBe(0);
    expect(await cClient.api.receiveUserProfile(a.user.userId)).toMatchObject({ isBlocked: false, isFollowed: false, mutual: false });
  });

  it("shows Ana her own profile with Edit profile and no Follow or Message, on a desktop and on a phone", async () => {
    const page = a.page;
    await nav(page).getByRole("link", { name: "Profile" }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/@${a.user.username}$`));
    await expect.poll(() => text(heading(page))).toContain("Ana Public");
    const edit = page.getByRole("link", { name: "Edit profile" });
    await edit.waitFor();
    expect(await edit.getAttribute("href")).toBe("/settings/profile");
    expect(await followButton(page).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Message" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "More actions" }).count()).toBe(0);
    await scan(page, "own profile");
    expect(await profile(page).count()).toBe(1);
    await page.setViewportSize(phone);
    await edit.waitFor();
    expect(await followButton(page).count()).toBe(0);
    await page.setViewportSize(desktop);
  });

  it("shows a new follower (Bo) Cee's profile by id, lets Bo withdraw and ask again, and looks right at desktop and phone widths", async () => {
    // A fresh follower (Bo) sees Cee after Cee accepts through the typed client.
    const b = await signedIn(browser, e2e, "Bo", { overrides: { family: "Reader" }, path: `/@${c.user.username}` });
    try {
      // A private account's lists are refused to someone who does not follow it, and the page says so.
      await b.page.goto(`/@${c.user.username}/followers`);
      await b.page.getByText(`@${c.user.username} has a private account: only its followers can see who follows it.`).waitFor();
      await screenshot(b.page, "followers-private", "desktop");
      // By id too, and a request withdrawn by pressing Requested.
      await b.page.goto(`/user/${c.user.userId}`);
      await expect.poll(() => text(heading(b.page))).toContain("Cee Private");
      await b.page.getByRole("button", { name: "Follow", exact: true }).click();
      await expect.poll(() => text(followButton(b.page))).toBe("Requested");
      await expect.poll(() => text(requestsLink(c.page)), { message: "Cee's badge counts Bo's request" }).toMatch(/1/);
      await b.page.getByRole("button", { name: "Requested", exact: true }).click();
      await expect.poll(() => text(followButton(b.page))).toBe("Follow");
      expect(await cClient.api.getFollowRequestList()).toEqual([]);
      // The withdrawal reaches Cee's open app live (followRequestWithdrawnFromServer): the badge clears.
      await expect
        .poll(() => requestsLink(c.page).locator('[aria-label$="new"]').count(), { message: "Cee's badge clears on the withdrawal" })
        .toBe(0);
      await b.page.getByRole("button", { name: "Follow", exact: true }).click();
      await expect.poll(() => text(followButton(b.page))).toBe("Requested");
      // Cee rejects in the inbox (on a phone); Bo's button goes back to Follow live.
      await c.page.setViewportSize(phone);
      await nav(c.page).getByRole("link", { name: /^Requests/ }).click();
      const inbox = c.page.getByRole("list", { name: "Follow requests" });
      await inbox.getByRole("link", { name: /Bo Reader/ }).waitFor();
      await screenshot(c.page, "requests", "phone");
      await inbox.getByRole("button", { name: "Reject Bo Reader" }).click();
      await c.page.getByText("No follow requests.").waitFor();
      await c.page.setViewportSize(desktop);
      await expect.poll(() => text(followButton(b.page)), { message: "Bo's button follows the rejection" }).toBe("Follow");
      expect(await b.page.getByText(postText).count()).toBe(0);
      await b.page.getByRole("button", { name: "Follow", exact: true }).click();
      await expect.poll(() => text(followButton(b.page))).toBe("Requested");
      const bId = b.user.userId;
      await expect.poll(async () => (await cClient.api.getFollowRequestList()).some((r) => r.user_id === bId)).toBe(true);
      await cClient.api.answerFollowRequest({ userId: bId, accept: true });
      await posts(b.page, "Cee Private").getByText(postText).waitFor();
      await scan(b.page, "profile");
      await b.page.setViewportSize(desktop);
      await screenshot(b.page, "profile", "desktop");
      await b.page.setViewportSize(phone);
      await posts(b.page, "Cee Private").getByText(postText).waitFor();
      await screenshot(b.page, "profile", "phone");
      await b.page.emulateMedia({ colorScheme: "dark" });
      await screenshot(b.page, "profile-dark", "phone");
      await b.page.emulateMedia({ colorScheme: "light" });
      // The menu by keyboard: Enter opens it on its first item, Escape closes it and gives focus back.
      const more = b.page.getByRole("button", { name: "More actions" });
      await more.focus();
      await b.page.keyboard.press("Enter");
      await expect.poll(() => b.page.evaluate(() => document.activeElement?.textContent)).toBe("Block");
      await b.page.keyboard.press("Escape");
      await expect.poll(() => b.page.getByRole("menuitem").count()).toBe(0);
      await expect.poll(() => b.page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("More actions");
      b.person.assertNoProblems();
    } finally {
      await b.person.context.close();
    }
  });

  it("pages a public account's posts with the before cursor: 20 first, then the older ones, then no more button", async () => {
    const dee = await createUser(e2e.server, { name: "Dee", family: "Writer" });
    const deeClient = await connectAs(e2e.server, dee);
    for (let i = 1; i <= 23; i++) await deeClient.api.addNewTweet(`Dee's post number ${i}`);
    const page = a.page;
    await page.goto(`/@${dee.username}`);
    const list = posts(page, "Dee Writer");
    await list.getByText("Dee's post number 23", { exact: true }).waitFor();
    expect(await list.getByRole("listitem").count()).toBe(20);
    expect(await page.getByText("Dee's post number 3", { exact: true }).count()).toBe(0);
    await page.getByRole("button", { name: "Show older posts" }).click();
    await list.getByText("Dee's post number 1", { exact: true }).waitFor();
    await expect.poll(() => list.getByRole("listitem").count()).toBe(23);
    await expect.poll(() => page.getByRole("button", { name: "Show older posts" }).count()).toBe(0);
    // A public account: Follow follows at once, and the counts are read back.
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await expect.poll(() => text(followButton(page))).toBe("Following");
    await expect.poll(() => text(page.locator(".profile__counts"))).toContain("1 follower");
    // A new post by someone I follow waits behind a button instead of moving the list.
    await deeClient.api.addNewTweet("Dee's post number 24");
    const waiting = page.getByRole("button", { name: "1 new post" });
    await waiting.waitFor();
    expect(await list.getByText("Dee's post number 24", { exact: true }).count()).toBe(0);
    await waiting.click();
    await list.getByText("Dee's post number 24", { exact: true }).waitFor();
    expect(await list.getByRole("listitem").first().innerText()).toContain("Dee's post number 24");
    await expect.poll(() => text(page.locator(".profile__counts"))).toContain("24 posts");
  });

  it("has no serious accessibility findings on any of these screens", () => {
    const found = [...a11y.values()].flat();
    expect(found, found.join("\n")).toEqual([]);
    expect([...a11y.keys()]).toEqual(["private profile header", "requests inbox", "followers list", "own profile", "profile"]);
  });
});
