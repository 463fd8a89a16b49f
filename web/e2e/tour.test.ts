/**
 * The README's tour: a small, lived-in scene and the three screens it shows, at desktop width. Nora follows Maya, Leo
 * and Priya; they have posted over the last few days (one post with a photo, liked and commented on), Maya and Leo
 * have stories Nora has not seen and Priya one she has. The test checks what each screen shows — Nora's feed newest
 * first with its authors and counts, the rings, Maya's profile with her biography, counts and Nora's Following, the
 * story viewer on Maya's story — scans each with axe and fails on any console error. The content is made through
 * the typed client; only the post times are moved back in the database, so that the feed reads "2h", not "now".
 * With UPDATE_DOCS_SCREENSHOTS=1 the screenshots are copied to docs/ for the README.
 */
import type { Browser, Page } from "playwright-core";
import type { TelegraphClient } from "telegraph-client";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { closeAll, connectAs, createUser, type TestUser } from "../../test/helpers/factories.ts";
import { copyToDocs, expectNoSeriousA11yViolations, screenshot } from "./helpers/a11y.ts";
import { describeBrowser, launchBrowser } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

const wait = { timeout: 10_000 };

/** A portrait-style avatar: a soft gradient with a head-and-shoulders shape. */
function avatarSvg(from: string, to: string, figure: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
  <rect width="256" height="256" fill="url(#g)"/>
  <circle cx="128" cy="104" r="50" fill="${figure}"/>
  <ellipse cx="128" cy="262" rx="92" ry="82" fill="${figure}"/>
</svg>`;
}

/** The photo in Maya's post: last light over an estuary — sky, sun, hills, water and its reflection. */
const sunsetSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="640" viewBox="0 80 1200 640">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#2b1055"/><stop offset="0.45" stop-color="#d3436e"/><stop offset="0.8" stop-color="#fd8f52"/><stop offset="1" stop-color="#ffd07b"/>
    </linearGradient>
    <linearGradient id="sea" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#f49a5c"/><stop offset="0.4" stop-color="#8a3f6e"/><stop offset="1" stop-color="#1d1238"/>
    </linearGradient>
    <radialGradient id="sun"><stop offset="0" stop-color="#fff6d5"/><stop offset="0.6" stop-color="#ffd27a"/><stop offset="1" stop-color="#ffb35c" stop-opacity="0"/></radialGradient>
  </defs>
  <rect width="1200" height="520" fill="url(#sky)"/>
  <circle cx="760" cy="420" r="160" fill="url(#sun)"/>
  <circle cx="760" cy="420" r="58" fill="#fff1c9"/>
  <path d="M0 430 L140 360 L260 410 L400 330 L520 400 L640 370 L760 440 L900 350 L1040 410 L1200 340 L1200 520 L0 520 Z" fill="#6a2c5e" opacity="0.75"/>
  <path d="M0 470 L180 410 L330 460 L480 400 L640 470 L820 420 L980 470 L1120 420 L1200 450 L1200 520 L0 520 Z" fill="#3d1a4a"/>
  <rect y="520" width="1200" height="280" fill="url(#sea)"/>
  <g fill="#fff1c9" opacity="0.55">
    <rect x="700" y="540" width="120" height="5" rx="2"/><rect x="672" y="568" width="176" height="4" rx="2"/>
    <rect x="716" y="596" width="88" height="4" rx="2"/><rect x="690" y="628" width="140" height="3" rx="2"/>
    <rect x="730" y="664" width="60" height="3" rx="2"/>
  </g>
  <path d="M160 640 q20 -6 40 0 l-6 10 h-28 z" fill="#1d1238"/><rect x="178" y="596" width="3" height="44" fill="#1d1238"/>
  <path d="M181 600 l24 34 h-24 z" fill="#1d1238"/>
</svg>`;

/** A story: hot-air balloons over hills at dawn, in portrait. */
const balloonsSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="1280">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#7fc8f8"/><stop offset="0.6" stop-color="#ffe3b3"/><stop offset="1" stop-color="#ffb38a"/>
    </linearGradient>
  </defs>
  <rect width="720" height="1280" fill="url(#sky)"/>
  <circle cx="560" cy="300" r="70" fill="#fff5d6" opacity="0.9"/>
  <g><ellipse cx="230" cy="420" rx="110" ry="130" fill="#e63946"/><path d="M230 290 q-40 130 0 260 q40 -130 0 -260" fill="#ffb703"/>
    <path d="M170 530 L210 600 M290 530 L250 600" stroke="#6b4f3a" stroke-width="4"/><rect x="205" y="600" width="50" height="40" rx="6" fill="#8d5b3f"/></g>
  <g><ellipse cx="520" cy="640" rx="70" ry="84" fill="#2a9d8f"/><path d="M520 556 q-26 84 0 168 q26 -84 0 -168" fill="#e9f5db"/>
    <path d="M482 712 L508 756 M558 712 L532 756" stroke="#6b4f3a" stroke-width="3"/><rect x="505" y="756" width="30" height="26" rx="4" fill="#8d5b3f"/></g>
  <g><ellipse cx="330" cy="860" rx="40" ry="48" fill="#7b2cbf"/><path d="M330 812 q-15 48 0 96 q15 -48 0 -96" fill="#ffd166"/>
    <rect x="322" y="918" width="16" height="14" rx="3" fill="#8d5b3f"/></g>
  <path d="M0 1040 Q180 960 360 1030 T720 1000 L720 1280 L0 1280 Z" fill="#90be6d"/>
  <path d="M0 1120 Q220 1060 420 1130 T720 1110 L720 1280 L0 1280 Z" fill="#43aa8b"/>
  <path d="M0 1200 Q260 1160 480 1210 T720 1200 L720 1280 L0 1280 Z" fill="#277d6a"/>
</svg>`;

/** Leo's story: a loaf on a board. Priya's: a tram line on a map. Simple, colourful shapes. */
const breadSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="1280">
  <rect width="720" height="1280" fill="#f4e1c1"/><rect y="820" width="720" height="460" fill="#b07d4f"/>
  <ellipse cx="360" cy="760" rx="250" ry="150" fill="#c8843c"/><ellipse cx="360" cy="730" rx="230" ry="120" fill="#d99a4e"/>
  <path d="M220 700 q60 -40 120 0 M320 680 q60 -40 120 0 M420 700 q40 -30 80 0" stroke="#8a4f1d" stroke-width="10" fill="none" stroke-linecap="round"/>
</svg>`;
const mapSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="720" height="1280">
  <rect width="720" height="1280" fill="#eef3f7"/>
  <path d="M0 300 H720 M0 640 H720 M0 980 H720 M180 0 V1280 M420 0 V1280 M620 0 V1280" stroke="#d6dee6" stroke-width="26"/>
  <path d="M80 1180 C200 900 300 860 360 640 S560 300 640 100" stroke="#f4a261" stroke-width="18" fill="none"/>
  <g fill="#fff" stroke="#264653" stroke-width="8"><circle cx="80" cy="1180" r="22"/><circle cx="250" cy="880" r="22"/><circle cx="360" cy="640" r="22"/><circle cx="520" cy="360" r="22"/><circle cx="640" cy="100" r="22"/></g>
</svg>`;

const png = (svg: string) => sharp(Buffer.from(svg)).png().toBuffer();
const jpeg = (svg: string) => sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();

interface Cast {
  user: TestUser;
  client: TelegraphClient;
}

describeBrowser("the README tour: feed, profile and story viewer", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let nora: SignedIn;
  let noraClient: TelegraphClient;
  let maya: Cast;
  let leo: Cast;
  let priya: Cast;
  /** The feed Nora should see, newest first: author, text and counts. */
  const expectedFeed: { name: string; text: string; likes: number; comments: number }[] = [];

  async function cast(overrides: Record<string, unknown>): Promise<Cast> {
    const user = await createUser(e2e.server, overrides);
    return { user, client: await connectAs(e2e.server, user) };
  }

  /** Moves a post back in time (the server stamps it now; ids, and so the order, stay as posted). */
  async function backdate(table: "tweets" | "stories", id: string, minutes: number): Promise<void> {
    const column = table === "tweets" ? "sent_at" : "added_at";
    await e2e.server.db.query(`UPDATE ${table} SET ${column} = now() - make_interval(mins => $2) WHERE id = $1`, [id, minutes]);
  }

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([startE2eServer({ confirmation: "off", env: { EVENT_RATE_LIMIT_WRITE: "1000/10" } }), launchBrowser()]);
    // Photos for the people who have one (Leo keeps his initials, as many do).
    const [noraPhoto, mayaPhoto, priyaPhoto, sunset, balloons, bread, map] = await Promise.all([
      png(avatarSvg("#a8edea", "#fed6e3", "#3a506b")),
      png(avatarSvg("#f6d365", "#fda085", "#5b2a86")),
      png(avatarSvg("#84fab0", "#8fd3f4", "#1b4965")),
      jpeg(sunsetSvg),
      jpeg(balloonsSvg),
      jpeg(breadSvg),
      jpeg(mapSvg),
    ]);
    let tomas: Cast;
    let hana: Cast;
    [nora, maya, leo, priya, tomas, hana] = await Promise.all([
      signedIn(browser, e2e, "Nora", { overrides: { family: "Quinn", username: "nora" }, path: "/home" }),
      cast({ name: "Maya", family: "Okafor", username: "maya" }),
      cast({ name: "Leo", family: "Brandt", username: "leo" }),
      cast({ name: "Priya", family: "Natarajan", username: "priya" }),
      cast({ name: "Tomás", family: "Ruiz", username: "tomas" }),
      cast({ name: "Hana", family: "Sato", username: "hana" }),
    ]);
    noraClient = await connectAs(e2e.server, nora.user);
    await Promise.all([
      noraClient.api.updateProfile({ photo: noraPhoto, biography: "Reading, running, and too many browser tabs." }),
      maya.client.api.updateProfile({
        photo: mayaPhoto,
        biography: "Landscape photographer in Lisbon. Chasing the last light along the Tagus. Prints and zines at https://example.com/maya",
      }),
      leo.client.api.updateProfile({ biography: "Backend engineer. Weekend baker." }),
      priya.client.api.updateProfile({ photo: priyaPhoto, biography: "Product designer. Notes on type, maps and trains." }),
    ]);

    // Who follows whom: Nora follows the three; Maya follows Nora back; Maya has a few more followers.
    const follows: [{ client: TelegraphClient }, TestUser][] = [
      [{ client: noraClient }, maya.user],
      [{ client: noraClient }, leo.user],
      [{ client: noraClient }, priya.user],
      [maya, nora.user],
      [maya, leo.user],
      [leo, maya.user],
      [priya, maya.user],
      [tomas, maya.user],
      [hana, maya.user],
    ];
    for (const [who, whom] of follows) expect(await who.client.api.followUser(whom.userId)).toEqual({ status: "following" });

    // The posts, oldest first (the feed is ordered by id), each put back to when it was "written".
    const posts: { by: Cast; name: string; text: string; minutes: number; image?: Buffer; likedBy?: Cast[]; comments?: [Cast, string][] }[] = [
      { by: maya, name: "Maya Okafor", minutes: 3 * 24 * 60, text: "Printed my first zine: 24 pages of harbour mornings. A few copies are left at the bookshop on Rua da Rosa." },
      { by: priya, name: "Priya Natarajan", minutes: 26 * 60, text: "Redrew our onboarding on paper before opening Figma. Three screens became one. Paper is underrated.", likedBy: [leo, maya] },
      { by: maya, name: "Maya Okafor", minutes: 20 * 60, text: "Scouting the coast this weekend. Favourite viewpoints north of Cascais? Sunrise spots especially.", comments: [[priya, "Cabo da Roca, but go early — the buses fill up by nine."]] },
      { by: leo, name: "Leo Brandt", minutes: 5 * 60, text: "Sourdough attempt #14: finally an open crumb. The trick was a colder, longer proof — fourteen hours in the fridge.", likedBy: [maya, priya, hana], comments: [[maya, "Send a slice my way!"]] },
      { by: priya, name: "Priya Natarajan", minutes: 2 * 60 + 10, text: "Tiny joy of the day: the tram map at Martim Moniz finally uses the same colours as the app." },
      {
        by: maya,
        name: "Maya Okafor",
        minutes: 42,
        text: "Last light over the estuary tonight. Worth every step up the hill.",
        image: sunset,
        likedBy: [leo, priya, tomas, hana],
        comments: [
          [leo, "Those colours! Which lens?"],
          [priya, "This wants to be a print."],
          [tomas, "Miradouro da Graça?"],
        ],
      },
      { by: leo, name: "Leo Brandt", minutes: 9, text: "Deploy went out at 17:58 on a Friday and nothing caught fire. Feature flags are a gift.", likedBy: [maya, priya], comments: [[priya, "Brave. Also: congrats."]] },
    ];
    for (const post of posts) {
      const tweet = post.image ? await post.by.client.api.addNewTweet({ context: post.text, image: post.image }) : await post.by.client.api.addNewTweet(post.text);
      await backdate("tweets", tweet.id, post.minutes);
      for (const fan of post.likedBy ?? []) expect(await fan.client.api.toggleTweetLike(tweet.id)).toBe(true);
      // Nora liked Maya's photo herself: its heart shows filled.
      if (post.image) expect(await noraClient.api.toggleTweetLike(tweet.id)).toBe(true);
      for (const [who, text] of post.comments ?? []) await who.client.api.addCommentToTweet(tweet.id, text);
      expectedFeed.unshift({ name: post.name, text: post.text, likes: (post.likedBy?.length ?? 0) + (post.image ? 1 : 0), comments: post.comments?.length ?? 0 });
    }
    // Stories: Priya's (seen by Nora already), then Leo's and Maya's, unseen.
    const priyaStory = await priya.client.api.addNewStory(map);
    await backdate("stories", priyaStory.id, 5 * 60);
    expect(await noraClient.api.getStoryPhoto({ ownerId: priya.user.userId, storyId: priyaStory.id })).toMatchObject({ status: true });
    await backdate("stories", (await leo.client.api.addNewStory(bread)).id, 3 * 60);
    await backdate("stories", (await maya.client.api.addNewStory(balloons)).id, 35);
  }, 120_000);

  afterEach(() => nora?.person.assertNoProblems());
  afterAll(async () => {
    closeAll();
    await browser?.close();
    await e2e?.stop();
  });

  /** Waits until every image on screen has loaded (lazy ones below the fold are left alone). */
  async function imagesSettled(page: Page): Promise<void> {
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll("img")).every((img) => {
          const box = img.getBoundingClientRect();
          const onScreen = box.bottom > 0 && box.top < innerHeight && box.width > 0;
          return !onScreen || (img.complete && img.naturalWidth > 0);
        }),
      undefined,
      wait,
    );
  }

  it("the home feed: the posts of whom Nora follows, newest first, with their authors, counts and photo; rings on unseen stories", async () => {
    const page = nora.page;
    await page.goto("/home");
    const cards = page.getByRole("feed", { name: "Posts" }).locator("article[data-tweet-id]");
    await expect.poll(() => cards.count(), wait).toBe(expectedFeed.length);
    const shown = await cards.evaluateAll((els) =>
      els.map((el) => ({
        name: el.querySelector(".tweet__name")?.textContent ?? "",
        text: el.querySelector(".tweet__text")?.textContent ?? "",
        likes: Number(el.querySelector('[data-count="likes"]')?.textContent),
        comments: Number(el.querySelector('[data-count="comments"]')?.textContent),
      })),
    );
    expect(shown).toEqual(expectedFeed);
    // Times read as written a while ago, newest first (a slow run may have added a minute).
    const times = await cards.locator(".tweet__time").allInnerTexts();
    expect(times.join(" ")).toMatch(/^(9|10)m (42|43)m 2h 5h 20h 1d 3d$/);
    const photo = cards.nth(1).getByRole("button", { name: "Open image full size" }).locator("img");
    expect(await photo.getAttribute("alt")).toBe("Image posted by Maya Okafor");
    expect([await photo.getAttribute("width"), await photo.getAttribute("height")]).toEqual(["560", "299"]);
    expect(await cards.nth(1).getByRole("button", { name: /^Like/ }).getAttribute("aria-pressed")).toBe("true");

    // The stories bar: Nora's own "add" first, then newest first; Maya and Leo unseen (a ring), Priya seen.
    const bar = page.getByRole("region", { name: "Stories" });
    await bar.getByRole("button", { name: "Maya Okafor's story, unseen" }).waitFor(wait);
    const names = [...(await bar.ariaSnapshot()).matchAll(/button "([^"]*)"/g)].map((m) => m[1]);
    expect(names).toEqual(["Add a story", "Maya Okafor's story, unseen", "Leo Brandt's story, unseen", "Priya Natarajan's story, seen"]);
    const rings = await bar.locator("[data-owner] .story-ring").evaluateAll((els) => els.map((el) => el.className));
    expect(rings).toEqual(["story-ring story-ring--unseen", "story-ring story-ring--unseen", "story-ring story-ring--seen"]);

    await imagesSettled(page);
    await expectNoSeriousA11yViolations(page, "home");
    await copyToDocs(await screenshot(page, "tour-feed", "desktop"), "screenshot-feed.png");
  });

  it("Maya's profile: photo, biography, counts, Follows you, Nora's Following, and her posts", async () => {
    const page = nora.page;
    // From the feed, as a reader would: Maya's name on her post.
    await page.locator("article[data-tweet-id]").filter({ hasText: "Last light" }).getByRole("link", { name: /^Maya Okafor/ }).click();
    await expect.poll(() => new URL(page.url()).pathname, wait).toBe("/@maya");
    await expect.poll(() => page.locator("#profile-title").innerText(), wait).toContain("Maya Okafor");
    expect(await page.locator(".profile__handle").innerText()).toContain("@maya");
    await page.getByText("Follows you").waitFor(wait);
    expect(await page.locator(".profile__bio").innerText()).toContain("Landscape photographer in Lisbon.");
    expect(await page.locator(".profile__bio").getByRole("link", { name: "https://example.com/maya" }).count()).toBe(1);
    expect(await page.getByRole("list", { name: "Counts" }).getByRole("listitem").allInnerTexts()).toEqual(["5 followers", "2 following", "3 posts"]);
    expect(await page.getByRole("button", { name: /^(Follow|Requested|Following)$/ }).innerText()).toBe("Following");
    const list = page.getByRole("list", { name: "Posts by Maya Okafor" });
    await list.getByText("Last light over the estuary tonight.", { exact: false }).waitFor(wait);
    const items = await list.getByRole("listitem").allTextContents();
    expect(items).toHaveLength(3);
    expect(items[0]).toContain("Last light over the estuary");
    expect(items[2]).toContain("Printed my first zine");
    expect(await page.locator(".profile__header .avatar img").count()).toBe(1);

    await imagesSettled(page);
    await expectNoSeriousA11yViolations(page, "profile");
    await copyToDocs(await screenshot(page, "tour-profile", "desktop"), "screenshot-profile.png");
  });

  it("the story viewer, open on Maya's story (paused): her name, the time and the image", async () => {
    const page = nora.page;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Home" }).click();
    await page.getByRole("region", { name: "Stories" }).getByRole("button", { name: "Maya Okafor's story, unseen" }).click();
    const dialog = page.getByRole("dialog", { name: "Maya Okafor's stories" });
    await dialog.waitFor(wait);
    await dialog.getByRole("button", { name: "Pause" }).click();
    await dialog.getByRole("button", { name: "Play" }).waitFor(wait);
    const image = dialog.getByRole("img", { name: /^Story by Maya Okafor/ });
    await image.waitFor(wait);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth, img.naturalHeight]), wait).toEqual([true, 720, 1280]);
    await dialog.getByRole("progressbar", { name: "Story 1 of 1" }).waitFor(wait);
    expect(await dialog.locator(".story-viewer__name").innerText()).toBe("Maya Okafor");
    expect(await dialog.locator(".story-viewer__time").innerText()).toMatch(/^3[56] min ago$/);
    expect(await page.locator("#app").getAttribute("inert")).toBe("");

    await imagesSettled(page);
    await expectNoSeriousA11yViolations(page, "story viewer");
    await copyToDocs(await screenshot(page, "tour-story", "desktop"), "screenshot-story.png");
  });
});
