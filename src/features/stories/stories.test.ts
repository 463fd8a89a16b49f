import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connectAs, createUser, record, settle } from "../../../test/helpers/factories.ts";
import { makeImage } from "../../../test/helpers/images.ts";
import { startServer, testClock, type TestServer } from "../../../test/helpers/server.ts";

describe("stories", () => {
  let server: TestServer;
  const clock = testClock();
  afterEach(closeAll);
  beforeAll(async () => {
    server = await startServer({ clock, env: { STORY_TTL: "60", EVENT_RATE_LIMIT_WRITE: "10000/10", EVENT_RATE_LIMIT: "10000/10" } });
  });
  afterAll(() => server.stop());

  const user = async (name = "S") => {
    const u = await createUser(server, { name });
    return { u, c: await connectAs(server, u) };
  };

  it("adds a story, pushes it to every device of every follower and to nobody else, and lists it with seen flags", async () => {
    const { u: ann, c: annC } = await user("Ann");
    const { u: ben } = await user("Ben");
    const benPhone = await connectAs(server, ben);
    const benLaptop = await connectAs(server, ben);
    const { c: strangerC } = await user("Sam");
    await benPhone.api.followUser(ann.userId);
    const stranger = record(strangerC);
    const [onPhone, onLaptop] = [benPhone.next("newStoryFromServer"), benLaptop.next("newStoryFromServer")];

    const story = await annC.api.addNewStory(await makeImage("jpeg", 40, 60));
    expect(story).toMatchObject({ ownerId: ann.userId, owner: { user_id: ann.userId, name: "Ann" }, seen: false });
    expect(Date.parse(story.expires_at) - Date.parse(story.added_at)).toBe(60_000);
    expect(await onPhone).toEqual(story);
    expect(await onLaptop).toEqual(story);
    await settle();
    expect(stranger.of("newStoryFromServer")).toEqual([]);

    expect(await benPhone.api.getFollowingStories()).toEqual([story]);
    expect(await strangerC.api.getFollowingStories()).toEqual([]);
    expect(await annC.api.getFollowingStories()).toEqual([story]); // my own

    const photo = await benPhone.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id });
    expect(photo).toMatchObject({ status: true, id: story.id, image: expect.stringMatching(/^data:image\/jpeg;base64,/) });
    const decoded = await sharp(Buffer.from((photo as { image: string }).image.split(",")[1]!, "base64")).metadata();
    expect([decoded.width, decoded.height]).toEqual([40, 60]);
    expect((await benPhone.api.getFollowingStories())[0]?.seen).toBe(true);
  });

  it("orders the bar: owners with unseen stories first, then by newest story; each owner's stories oldest first", async () => {
    const { u: viewer, c: viewerC } = await user();
    const owners = await Promise.all([user("O1"), user("O2"), user("O3")]);
    for (const { u } of owners) await viewerC.api.followUser(u.userId);
    const s1a = await owners[0]!.c.api.addNewStory(await makeImage("png"));
    const s2 = await owners[1]!.c.api.addNewStory(await makeImage("png"));
    const s1b = await owners[0]!.c.api.addNewStory(await makeImage("png"));
    const s3 = await owners[2]!.c.api.addNewStory(await makeImage("png"));
    await viewerC.api.getStoryPhoto({ ownerId: owners[2]!.u.userId, storyId: s3.id }); // O3 all seen
    const bar = await viewerC.api.getFollowingStories();
    expect(bar.map((s) => s.id)).toEqual([s1a.id, s1b.id, s2.id, s3.id]);
    expect(bar.map((s) => s.seen)).toEqual([false, false, false, true]);
    // The same list arrives unasked on connect.
    const boot = await (async () => {
      const { TelegraphClient } = await import("telegraph-client");
      const c = new TelegraphClient(server.url, { accessToken: viewer.accessToken, reconnection: false });
      const first = c.next("sendAllFollowingStorysInfoFromServer");
      await c.open();
      const list = await first;
      c.close();
      return list;
    })();
    expect(boot).toEqual(bar);
  });

  it("records one view per viewer with its time, listed for the owner only, newest first", async () => {
    const { u: ann, c: annC } = await user();
    const { u: ben, c: benC } = await user();
    const { u: cat, c: catC } = await user();
    await benC.api.followUser(ann.userId);
    await catC.api.followUser(ann.userId);
    const story = await annC.api.addNewStory(await makeImage("webp"));
    await benC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id });
    clock.advance(1000);
    await catC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id });
    await benC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id }); // again: still one view
    await annC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id }); // the owner's own look is not a view
    const viewers = await annC.api.getStoryViewers(story.id);
    expect(viewers.map((v) => v.user_id)).toEqual([cat.userId, ben.userId]);
    expect(viewers[0]).toMatchObject({ username: cat.username, seen_at: expect.any(String) });
    const rows = await server.db.query("SELECT 1 FROM story_views WHERE story_id = $1", [story.id]);
    expect(rows).toHaveLength(2);
    await expect(benC.api.getStoryViewers(story.id)).rejects.toMatchObject({ code: "forbidden" });
  });

  it("answers status false for every story I may not see, and sees nothing across a block or a private account", async () => {
    const { u: ann, c: annC } = await user();
    const { u: ben, c: benC } = await user();
    const { c: strangerC } = await user();
    await benC.api.followUser(ann.userId);
    const story = await annC.api.addNewStory(await makeImage("png"));
    const no = { status: false, id: story.id };
    expect(await strangerC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id })).toEqual(no); // not a follower
    expect(await benC.api.getStoryPhoto({ ownerId: ben.userId, storyId: story.id })).toEqual(no); // wrong owner
    expect(await benC.api.getStoryPhoto({ ownerId: ann.userId, storyId: "0123456789abcdef01234567" })).toEqual({
      status: false,
      id: "0123456789abcdef01234567",
    });
    const reply = benC.next("sendStoryPhotoFromServer");
    benC.emit("getStoryPhoto", { ownerId: ann.userId, storyId: story.id });
    expect(await reply).toMatchObject({ status: true });

    // A private account: followers only, as for a public one; a request is not enough.
    await annC.api.togglePublicityStatus();
    const { c: askerC } = await user();
    await askerC.api.followUser(ann.userId);
    expect(await askerC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id })).toEqual(no);
    expect(await askerC.api.getFollowingStories()).toEqual([]);
    expect((await benC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id })).status).toBe(true);

    await annC.api.toggleBlockUser(ben.userId);
    expect(await benC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id })).toEqual(no);
    expect(await benC.api.getFollowingStories()).toEqual([]);
  });

  it("lets only the owner delete, telling the followers' devices", async () => {
    const { u: ann, c: annC } = await user();
    const { c: benC } = await user();
    await benC.api.followUser(ann.userId);
    const story = await annC.api.addNewStory(await makeImage("gif"));
    await expect(benC.api.deleteStory(story.id)).rejects.toMatchObject({ code: "forbidden" });
    const told = benC.next("storyDeletedFromServer");
    expect(await annC.api.deleteStory(story.id)).toEqual({ id: story.id, ownerId: ann.userId });
    expect(await told).toEqual({ id: story.id, ownerId: ann.userId });
    expect(await benC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id })).toEqual({ status: false, id: story.id });
    await expect(annC.api.deleteStory(story.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("vanishes at expires_at exactly, then the sweep deletes the row and the media sweep its image", async () => {
    const { u: ann, c: annC } = await user();
    const { c: benC } = await user();
    await benC.api.followUser(ann.userId);
    const story = await annC.api.addNewStory(await makeImage("png", 9, 9));
    clock.advance(59_000);
    expect((await benC.api.getFollowingStories()).map((s) => s.id)).toContain(story.id);
    clock.advance(1_000);
    expect((await benC.api.getFollowingStories()).map((s) => s.id)).not.toContain(story.id);
    expect(await benC.api.getStoryPhoto({ ownerId: ann.userId, storyId: story.id })).toEqual({ status: false, id: story.id });
    await expect(annC.api.getStoryViewers(story.id)).rejects.toMatchObject({ code: "not_found" });

    expect(await server.app.services.stories.sweep()).toBeGreaterThanOrEqual(1);
    expect(await server.db.query("SELECT 1 FROM stories WHERE id = $1", [story.id])).toHaveLength(0);
    clock.advance(2 * 3600_000);
    await server.app.services.media.sweep();
    const media = await server.db.query("SELECT 1 FROM media WHERE owner_id = $1", [ann.userId]);
    expect(media).toHaveLength(0);
  });

  it.each([
    ["addNewStory", ["not an image"]],
    ["addNewStory", []],
    ["getStoryPhoto", [{ ownerId: "0123456789abcdef01234567" }]],
    ["getStoryPhoto", [{ ownerId: "x", storyId: "0123456789abcdef01234567" }]],
    ["deleteStory", ["nope"]],
    ["getStoryViewers", [{ id: "0123456789abcdef01234567" }]],
  ])("refuses %s with malformed arguments as invalid_input", async (event, args) => {
    const { u, c } = await user();
    const reply = (await c.socket.timeout(3000).emitWithAck(event, ...args)) as { ok: boolean; error: { code: string } };
    expect(reply).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(await server.db.query("SELECT 1 FROM stories WHERE owner_id = $1", [u.userId])).toHaveLength(0);
  });
});
