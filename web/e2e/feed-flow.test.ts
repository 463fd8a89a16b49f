/**
 * The home feed, tweets, likes and comments with two people: Ana (public) posts from the compose box with an image
 * (the counter follows the server's TWEET_MAX_LENGTH, here 40); Ben, who follows her, sees "1 new post" appear live,
 * opens it, likes it (Ana's count follows live), comments on its
 * page while Ana watches it there (both pages get each other's comments live), deletes his comment; Ana deletes the tweet
 * and it leaves Ben's feed live. Then ~45 seeded tweets page in as Ben scrolls, with no duplicates, and a tweet whose
 * text is markup shows as text. Axe scans and screenshots of home and of a tweet's page, on a desktop and a phone.
 */
import type { Browser, Locator, Page } from "playwright-core";
import type { TelegraphClient } from "telegraph-client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { closeAll, connectAs } from "../../test/helpers/factories.ts";
import { makeImage } from "../../test/helpers/images.ts";
import { expectNoSeriousA11yViolations, screenshot } from "./helpers/a11y.ts";
import { describeBrowser, desktop, launchBrowser, phone } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

const wait = { timeout: 10_000 };
const MAX = 40;

describeBrowser("the home feed, tweets, likes and comments", { timeout: 120_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let ana: SignedIn;
  let ben: SignedIn;
  let anaClient: TelegraphClient;
  let tweetId = "";
  const a11y: string[] = [];

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([
      startE2eServer({ confirmation: "off", env: { TWEET_MAX_LENGTH: String(MAX), EVENT_RATE_LIMIT_WRITE: "1000/10" } }),
      launchBrowser(),
    ]);
    [ana, ben] = await Promise.all([signedIn(browser, e2e, "Ana"), signedIn(browser, e2e, "Ben")]);
    const benClient = await connectAs(e2e.server, ben.user);
    expect(await benClient.api.followUser(ana.user.userId)).toEqual({ status: "following" });
    anaClient = await connectAs(e2e.server, ana.user);
    // Ben's page joins Ana's followers' room when it connects: open it afresh now that he follows her.
    await ben.page.reload();
    await ben.page.getByText("No posts yet.").waitFor(wait);
  }, 90_000);
  afterAll(async () => {
    closeAll();
    await browser?.close();
    await e2e?.stop();
  });

  const feed = (page: Page) => page.getByRole("feed", { name: "Posts" });
  const postWith = (page: Page, text: string): Locator => page.locator("article[data-tweet-id]").filter({ hasText: text });
  const compose = (page: Page) => page.getByRole("textbox", { name: "What's happening?" });
  const likeCount = (post: Locator) => post.locator('[data-count="likes"]');
  const commentsRegion = (page: Page) => page.getByRole("list", { name: "Comments" });

  async function scan(page: Page, screen: string) {
    try {
      await expectNoSeriousA11yViolations(page, screen);
    } catch (err) {
      a11y.push((err as Error).message);
    }
  }

  it("Ana writes a post: the counter follows the server's limit, Post is disabled over it, and it goes with an image", async () => {
    const { page } = ana;
    await compose(page).waitFor(wait);
    const post = page.getByRole("button", { name: "Post", exact: true });
    await expect.poll(() => page.locator("#compose-counter").innerText(), wait).toBe(`0/${MAX}`);
    expect(await post.isDisabled()).toBe(true);
    await compose(page).fill("x".repeat(MAX + 1));
    await expect.poll(() => page.locator("#compose-counter").innerText()).toBe(`1 characters over the limit of ${MAX}`);
    expect(await post.isDisabled()).toBe(true);

    await compose(page).fill("Sunset from the pier");
    await expect.poll(() => page.locator("#compose-counter").innerText()).toBe(`20/${MAX}`);
    const chooser = page.waitForEvent("filechooser", wait);
    await page.getByRole("button", { name: "Add image" }).click();
    await (await chooser).setFiles({ name: "sunset.png", mimeType: "image/png", buffer: await makeImage("png", 320, 240) });
    await page.getByRole("img", { name: "Image to post" }).waitFor(wait);
    // The preview can be removed, and added again.
    await page.getByRole("button", { name: "Remove image" }).click();
    await page.getByRole("img", { name: "Image to post" }).waitFor({ state: "detached" });
    const again = page.waitForEvent("filechooser", wait);
    await page.getByRole("button", { name: "Add image" }).click();
    await (await again).setFiles({ name: "sunset.png", mimeType: "image/png", buffer: await makeImage("png", 320, 240) });
    await page.getByRole("img", { name: "Image to post" }).waitFor(wait);
    expect(await post.isDisabled()).toBe(false);
    await post.click();

    const mine = postWith(page, "Sunset from the pier");
    await mine.waitFor(wait);
    tweetId = (await mine.getAttribute("data-tweet-id")) ?? "";
    expect(tweetId).toMatch(/^[0-9a-f]{24}$/);
    // At the top of my own feed at once, with the image at its size.
    expect(await page.locator("article[data-tweet-id]").first().getAttribute("data-tweet-id")).toBe(tweetId);
    const img = mine.locator(".tweet__image img");
    expect(await img.getAttribute("width")).toBe("320");
    expect(await img.getAttribute("loading")).toBe("lazy");
    await expect.poll(() => compose(page).inputValue()).toBe("");
    ana.person.assertNoProblems();
  });

  it('Ben sees "1 new post" appear live, and clicking it shows the post with its image', async () => {
    const { page } = ben;
    const button = page.getByRole("button", { name: "1 new post" });
    await button.waitFor(wait);
    // Held back: what Ben reads does not move.
    expect(await page.locator(`article[data-tweet-id="${tweetId}"]`).count()).toBe(0);
    await screenshot(page, "home-new-post", "desktop");
    await button.click();
    const post = postWith(page, "Sunset from the pier");
    await post.waitFor(wait);
    await button.waitFor({ state: "detached" });
    const img = post.getByRole("button", { name: "Open image full size" }).locator("img");
    await page.waitForFunction((el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0, await img.elementHandle(), wait);
    // The image opens full size, and Escape closes it.
    await post.getByRole("button", { name: "Open image full size" }).click();
    await page.getByRole("dialog", { name: "Image" }).waitFor(wait);
    await page.keyboard.press("Escape");
    await page.getByRole("dialog", { name: "Image" }).waitFor({ state: "detached" });
    ben.person.assertNoProblems();
  });

  it("Ben likes it at once; Ana's count follows live, and her tweet's page reads it afresh", async () => {
    const post = postWith(ben.page, "Sunset from the pier");
    const anaCount = likeCount(postWith(ana.page, "Sunset from the pier"));
    expect(await anaCount.innerText()).toBe("0");
    const like = post.getByRole("button", { name: /^Like/ });
    expect(await like.getAttribute("aria-pressed")).toBe("false");
    await like.click();
    await expect.poll(() => like.getAttribute("aria-pressed")).toBe("true");
    await expect.poll(() => likeCount(post).innerText()).toBe("1");
    await expect.poll(() => anaCount.innerText(), wait).toBe("1");
    // The server's answer agrees (a reload reads it back).
    await ben.page.reload();
    await expect.poll(() => likeCount(postWith(ben.page, "Sunset from the pier")).innerText(), wait).toBe("1");

    // Ana opens the tweet's page from her feed (its comments link): it reads the tweet afresh.
    await postWith(ana.page, "Sunset from the pier").getByRole("link", { name: /^Comments/ }).click();
    await expect.poll(() => ana.page.url()).toMatch(new RegExp(`/tweet/${tweetId}$`));
    await expect.poll(() => likeCount(postWith(ana.page, "Sunset from the pier")).innerText(), wait).toBe("1");
    ben.person.assertNoProblems();
    ana.person.assertNoProblems();
  });

  it("Ben comments on the tweet's page and Ana, on the same page, sees it appear live; her reply reaches Ben live; Ben deletes his comment", async () => {
    const { page } = ben;
    await postWith(page, "Sunset from the pier").getByRole("link", { name: /^Comments/ }).click();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/tweet/${tweetId}$`));
    await page.getByText("No comments yet.").waitFor(wait);
    await page.getByRole("textbox", { name: "Comment" }).fill("What a view! https://example.com/pier");
    await page.getByRole("button", { name: "Comment", exact: true }).click();
    const mine = commentsRegion(page).getByRole("article", { name: "Comment by Ben User" });
    await mine.waitFor(wait);
    expect(await mine.getByRole("link", { name: "https://example.com/pier" }).getAttribute("rel")).toBe("noopener noreferrer");
    await expect.poll(() => page.locator('[data-count="comments"]').innerText()).toBe("1");
    // Opened directly (a reload: nothing in memory), the page reads the tweet and its comments from the server.
    await page.reload();
    await postWith(page, "Sunset from the pier").waitFor(wait);
    await mine.waitFor(wait).catch(async (err: Error) => {
      throw new Error(`after a reload the tweet's page reads: ${JSON.stringify(await page.locator("main").innerText())}: ${err.message}`);
    });

    const seen = commentsRegion(ana.page).getByText("What a view!");
    await seen.waitFor(wait);
    await expect.poll(() => ana.page.locator('[data-count="comments"]').innerText()).toBe("1");

    // Ana answers under it: one level of replies.
    await commentsRegion(ana.page).getByRole("button", { name: "Reply to Ben User" }).click();
    await ana.page.getByRole("textbox", { name: "Reply" }).fill("Thanks!");
    await ana.page.getByRole("button", { name: "Reply", exact: true }).click();
    await ana.page.getByRole("list", { name: "Replies to Ben User" }).getByText("Thanks!").waitFor(wait);
    // Ben, on the same page, has her reply live too (he watches the tweet's comments; he does not own it).
    await page.getByRole("list", { name: "Replies to Ben User" }).getByText("Thanks!").waitFor({ timeout: 5_000 });
    await expect.poll(() => page.locator('[data-count="comments"]').innerText()).toBe("2");

    // Ana's page: the tweet, Ben's comment and her reply under it.
    for (const [viewport, size] of [["desktop", desktop], ["phone", phone]] as const) {
      await ana.page.setViewportSize(size);
      await ana.page.getByRole("article", { name: "Comment by Ben User" }).waitFor(wait);
      await screenshot(ana.page, "comments", viewport);
    }
    await ana.page.setViewportSize(desktop);
    await scan(ana.page, "tweet");

    await mine.getByRole("button", { name: "Delete comment" }).click();
    await mine.waitFor({ state: "detached" });
    // Ana's reply stays (a reply outlives what it answered); Ana's page follows the delete live.
    await expect.poll(() => page.locator('[data-count="comments"]').innerText()).toBe("1");
    await commentsRegion(ana.page).getByRole("article", { name: "Comment by Ben User" }).waitFor({ state: "detached", timeout: 5_000 });
    ben.person.assertNoProblems();
    ana.person.assertNoProblems();
  });

  it("Cy, who follows nobody, opens the public tweet's page cold and sees it; the comment box takes up to the server's 1000; comments come and go live", async () => {
    const cy = await signedIn(browser, e2e, "Cy", { path: `/tweet/${tweetId}` });
    try {
      await postWith(cy.page, "Sunset from the pier").waitFor(wait);
      const box = cy.page.getByRole("textbox", { name: "Comment" });
      await box.fill("x".repeat(1000));
      expect(await cy.page.getByRole("button", { name: "Comment", exact: true }).isEnabled()).toBe(true);
      expect(await cy.page.getByText("At most 1000 characters.").count()).toBe(0);
      await box.fill("x".repeat(1001));
      await cy.page.getByText("At most 1000 characters.").waitFor(wait);
      expect(await cy.page.getByRole("button", { name: "Comment", exact: true }).isDisabled()).toBe(true);
      // Cy is neither the owner nor a follower: Ben's comment reaches his open page live (watchTweetComments), well
      // within the 5 s asked here, and leaves it when Ben deletes it.
      const benClient = await connectAs(e2e.server, ben.user);
      const post = postWith(cy.page, "Sunset from the pier");
      const before = Number(await post.locator('[data-count="comments"]').innerText());
      const comment = await benClient.api.addCommentToTweet(tweetId, "Seen from the other pier too");
      await cy.page.getByText("Seen from the other pier too").waitFor({ timeout: 5_000 });
      await expect.poll(() => post.locator('[data-count="comments"]').innerText(), { timeout: 5_000 }).toBe(String(before + 1));
      await benClient.api.deleteTweetComment(comment.id);
      await cy.page.getByText("Seen from the other pier too").waitFor({ state: "detached", timeout: 5_000 });
      cy.person.assertNoProblems();
    } finally {
      await cy.person.close();
    }
  });

  it("Ana deletes the tweet (after a confirmation) and it leaves Ben's feed live", async () => {
    await ben.page.getByRole("button", { name: "Back" }).click();
    await expect.poll(() => ben.page.url()).toMatch(/\/home$/);
    await postWith(ben.page, "Sunset from the pier").waitFor(wait);

    await postWith(ana.page, "Sunset from the pier").getByRole("button", { name: "Delete post" }).click();
    const dialog = ana.page.getByRole("dialog", { name: "Delete post?" });
    await dialog.waitFor(wait);
    await dialog.getByRole("button", { name: "Delete" }).click();
    await ana.page.getByText("This post is not available.").waitFor(wait);
    await screenshot(ana.page, "tweet-gone", "desktop");

    await postWith(ben.page, "Sunset from the pier").waitFor({ state: "detached", ...wait });
    ben.person.assertNoProblems();
    ana.person.assertNoProblems();
  });

  it("Ben, offline for a while, catches up: a post made meanwhile waits behind the button, one deleted meanwhile leaves", async () => {
    const { page } = ben;
    const still = await anaClient.api.addNewTweet("Still here");
    const before = await anaClient.api.addNewTweet("Before the outage");
    await page.getByRole("button", { name: "2 new posts" }).click();
    await postWith(page, "Before the outage").waitFor(wait);
    // Page Down moves between posts (the feed pattern).
    await postWith(page, "Before the outage").focus();
    await page.keyboard.press("PageDown");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-tweet-id"))).toBe(still.id);

    await ben.person.context.setOffline(true);
    await page.getByText("Connection lost").waitFor(wait);
    await anaClient.api.deleteTweet(before.id);
    const during = await anaClient.api.addNewTweet("During the outage");
    await ben.person.context.setOffline(false);

    await postWith(page, "Before the outage").waitFor({ state: "detached", ...wait });
    await page.getByRole("button", { name: "1 new post" }).click();
    await postWith(page, "During the outage").waitFor(wait);
    expect(await page.locator("article[data-tweet-id]").first().getAttribute("data-tweet-id")).toBe(during.id);
    await postWith(page, "Still here").waitFor(wait);
    for (const t of [during, still]) await anaClient.api.deleteTweet(t.id);
    await postWith(page, "Still here").waitFor({ state: "detached", ...wait });
    await postWith(page, "During the outage").waitFor({ state: "detached", ...wait });
    ben.person.assertNoProblems();
  });

  it("Ben's feed loads older posts as he scrolls to the end, without duplicates; markup in a tweet shows as text", async () => {
    const markup = "<img src=x onerror=alert(1)>";
    for (let i = 1; i <= 45; i++) await anaClient.api.addNewTweet(i === 45 ? markup : `Seeded post number ${i}`);
    const { page } = ben;
    await page.goto("/home");
    await feed(page).locator("article[data-tweet-id]").first().waitFor(wait);
    const ids = () => page.locator("article[data-tweet-id]").evaluateAll((els) => els.map((el) => el.getAttribute("data-tweet-id")));
    await expect.poll(async () => (await ids()).length, wait).toBe(20);

    // Text, not markup: the first post reads as written and no image came of it.
    const first = page.locator("article[data-tweet-id]").first();
    expect(await first.locator(".tweet__text").innerText()).toBe(markup);
    expect(await first.locator("img[src='x']").count()).toBe(0);

    await scan(page, "home");
    for (const [viewport, size] of [["desktop", desktop], ["phone", phone]] as const) {
      await page.setViewportSize(size);
      await page.evaluate(() => document.querySelector(".shell__main")?.scrollTo(0, 0));
      await screenshot(page, "home", viewport);
    }
    await page.setViewportSize(desktop);
    await page.emulateMedia({ colorScheme: "dark" });
    await screenshot(page, "home-dark", "desktop");
    await page.emulateMedia({ colorScheme: "light" });

    // Scrolling to the end brings the next pages (the sentinel), until all 45 are there.
    for (let round = 0; round < 4 && (await ids()).length < 45; round++) {
      await page.locator(".home__more").scrollIntoViewIfNeeded();
      const before = (await ids()).length;
      await expect.poll(async () => (await ids()).length, wait).toBeGreaterThan(before);
    }
    const all = await ids();
    expect(all.length).toBe(45);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort().reverse()).toEqual(all);
    await page.getByText("You're all caught up.").waitFor(wait);
    ben.person.assertNoProblems();
    ana.person.assertNoProblems();
  });

  it("has no serious accessibility violations on home and on a tweet's page", () => {
    expect(a11y).toEqual([]);
  });
});
