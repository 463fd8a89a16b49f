import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TelegraphConnectError, type TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, createUser, record, settle, type TestUser } from "../../../test/helpers/factories.ts";
import { post } from "../../../test/helpers/http.ts";
import { makeImage } from "../../../test/helpers/images.ts";
import { startServer, testClock, type TestServer } from "../../../test/helpers/server.ts";

describe("moderation", () => {
  let server: TestServer;
  const clock = testClock();
  const refusalOf = async (work: Promise<unknown>) => work.then(() => "accepted", (err: unknown) => (err as { code?: string }).code);
  const moderation = () => server.app.services.moderation;
  /** A registered, connected person; with a role when given (granted as the command line grants it). */
  const person = async (role?: "moderator" | "admin"): Promise<{ user: TestUser; client: TelegraphClient }> => {
    const user = await createUser(server);
    if (role) await moderation().setRole(null, user.userId, role);
    return { user, client: await connectAs(server, user) };
  };

  beforeAll(async () => {
    server = await startServer({ clock, env: { EVENT_RATE_LIMIT: "10000/10", EVENT_RATE_LIMIT_WRITE: "10000/10", MEDIA_ORPHAN_GRACE: "1s" } });
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("reports each kind of target the reporter can see, with a snapshot; a repeat answers the open report", async () => {
    const [author, reporter] = await Promise.all([person(), person()]);
    await reporter.client.api.followUser(author.user.userId);
    const tweet = await author.client.api.addNewTweet({ context: "buy now", image: await makeImage("png", 8, 8) });
    const comment = await author.client.api.addCommentToTweet(tweet.id, "really, buy");
    const story = await author.client.api.addNewStory(await makeImage("png", 8, 8));
    const message = await author.client.api.newMessageFromClient({ to: reporter.user.userId, context: { text: "psst" } });
    const report = (kind: "user" | "tweet" | "comment" | "story" | "message", id: string) =>
      reporter.client.api.reportFromClient({ target: { kind, id }, reason: "spam", text: "look" });

    const byKind = {
      user: await report("user", author.user.userId),
      tweet: await report("tweet", tweet.id),
      comment: await report("comment", comment.id),
      story: await report("story", story.id),
      message: await report("message", message.id),
    };
    const authorSummary = { user_id: author.user.userId, username: author.user.username, name: author.user.name };
    for (const [kind, r] of Object.entries(byKind)) {
      expect(r, kind).toMatchObject({ target: { kind }, reason: "spam", text: "look", reporter: reporter.user.userId, author: author.user.userId, status: "open" });
      expect(r.snapshot.author, kind).toEqual(authorSummary);
    }
    expect(byKind.tweet.snapshot).toMatchObject({ text: "buy now", images: [{ id: tweet.image!.id }] });
    expect(byKind.comment.snapshot.text).toBe("really, buy");
    expect(byKind.message.snapshot.text).toBe("psst");
    expect(byKind.story.snapshot.images).toHaveLength(1);
    // The same reporter, the same open target: the open report, not a second one.
    expect((await report("tweet", tweet.id)).id).toBe(byKind.tweet.id);
    const open = await moderation().listReports({ status: "open", limit: 1000 });
    expect(open.filter((r) => r.target.id === tweet.id)).toHaveLength(1);
  });

  it("refuses what the reporter cannot see: a DM by its sender or a third person, a story of someone not followed, across a block, itself", async () => {
    const [sender, recipient, third] = await Promise.all([person(), person(), person()]);
    const message = await sender.client.api.newMessageFromClient({ to: recipient.user.userId, context: { text: "hi" } });
    const story = await sender.client.api.addNewStory(await makeImage("png", 8, 8));
    const tweet = await sender.client.api.addNewTweet("mine");
    await sender.client.api.toggleBlockUser(third.user.userId);
    const reportAs = (who: TelegraphClient, kind: "user" | "tweet" | "story" | "message", id: string) =>
      refusalOf(who.api.reportFromClient({ target: { kind, id }, reason: "abuse" }));
    expect(await reportAs(sender.client, "message", message.id)).toBe("not_found");
    expect(await reportAs(third.client, "message", message.id)).toBe("not_found");
    expect(await reportAs(recipient.client, "story", story.id)).toBe("not_found");
    expect(await reportAs(third.client, "tweet", tweet.id)).toBe("not_found");
    expect(await reportAs(third.client, "user", sender.user.userId)).toBe("not_found");
    expect(await reportAs(sender.client, "user", sender.user.userId)).toBe("invalid_input");
    expect(await reportAs(recipient.client, "message", message.id)).toBe("accepted");
  });

  it("refuses malformed moderation input as invalid_input, changing nothing", async () => {
    const [mod, reporter] = await Promise.all([person("moderator"), person()]);
    const raw = (client: TelegraphClient, event: string, ...args: unknown[]) => refusalOf(client.request(event, args));
    expect(await raw(reporter.client, "reportFromClient", { target: { kind: "group", id: mod.user.userId }, reason: "spam" })).toBe("invalid_input");
    expect(await raw(reporter.client, "reportFromClient", { target: { kind: "user", id: mod.user.userId }, reason: "boring" })).toBe("invalid_input");
    expect(await raw(reporter.client, "reportFromClient", { target: { kind: "user", id: "nope" }, reason: "spam" })).toBe("invalid_input");
    expect(await raw(mod.client, "resolveReport", { id: mod.user.userId, action: "ban" })).toBe("invalid_input");
    expect(await raw(mod.client, "getReports", { status: "pending" })).toBe("invalid_input");
    expect(await raw(mod.client, "suspendUser", { user: reporter.user.userId, extra: true })).toBe("invalid_input");
    expect(await raw(mod.client, "setUserRole", { user: reporter.user.userId, role: "owner" })).toBe("invalid_input");
    expect(await moderation().standing(reporter.user.userId)).toEqual({ role: "user", suspended: false });
    expect((await moderation().listReports({ status: "open", limit: 1000 })).filter((r) => r.reporter === reporter.user.userId)).toEqual([]);
  });

  it("keeps the evidence when the content is deleted: the text, and the image through the media sweep", async () => {
    const [author, reporter, mod] = await Promise.all([person(), person(), person("moderator")]);
    const tweet = await author.client.api.addNewTweet({ context: "evidence", image: await makeImage("png", 12, 12) });
    const report = await reporter.client.api.reportFromClient({ target: { kind: "tweet", id: tweet.id }, reason: "illegal" });
    await author.client.api.deleteTweet(tweet.id);
    clock.advance(5000); // past MEDIA_ORPHAN_GRACE
    await server.app.services.media.sweep();
    const [listed] = (await mod.client.api.getReports({ status: "open" })).filter((r) => r.id === report.id);
    expect(listed!.snapshot).toMatchObject({ text: "evidence", content: { id: tweet.id, context: "evidence" } });
    const image = await fetch(server.url + listed!.snapshot.images[0]!.url);
    expect(image.status).toBe(200);
    // Without a report the same sweep removes a deleted tweet's image (so the check above can fail).
    const other = await author.client.api.addNewTweet({ context: "no report", image: await makeImage("png", 13, 13) });
    await author.client.api.deleteTweet(other.id);
    clock.advance(5000);
    await server.app.services.media.sweep();
    expect((await fetch(`${server.url}/media/${other.image!.id}`, { headers: { authorization: `Bearer ${author.user.accessToken}` } })).status).toBe(404);
  });

  it("pushes a new report to moderators and admins, not to a plain user; lists reports newest first by keyset", async () => {
    const [mod, admin, plain, author, reporter] = await Promise.all([person("moderator"), person("admin"), person(), person(), person()]);
    const plainInbox = record(plain.client);
    const tweets = [await author.client.api.addNewTweet("one"), await author.client.api.addNewTweet("two"), await author.client.api.addNewTweet("three")];
    const [toMod, toAdmin] = [mod.client.next("newReportFromServer"), admin.client.next("newReportFromServer")];
    const first = await reporter.client.api.reportFromClient({ target: { kind: "tweet", id: tweets[0]!.id }, reason: "other" });
    expect((await toMod).id).toBe(first.id);
    expect((await toAdmin).id).toBe(first.id);
    await reporter.client.api.reportFromClient({ target: { kind: "tweet", id: tweets[1]!.id }, reason: "other" });
    const third = await reporter.client.api.reportFromClient({ target: { kind: "tweet", id: tweets[2]!.id }, reason: "other" });
    await settle();
    expect(plainInbox.of("newReportFromServer")).toEqual([]);

    const page = await mod.client.api.getReports({ status: "open" });
    const mine = page.filter((r) => r.reporter === reporter.user.userId).map((r) => r.target.id);
    expect(mine).toEqual([tweets[2]!.id, tweets[1]!.id, tweets[0]!.id]);
    const older = await mod.client.api.getReports({ status: "open", before: third.id });
    expect(older.every((r) => r.id < third.id)).toBe(true);
    expect(older.filter((r) => r.reporter === reporter.user.userId).map((r) => r.target.id)).toEqual([tweets[1]!.id, tweets[0]!.id]);
  });

  it("resolves reports: dismiss, delete_content for each kind of content, suspend_user; a closed report is a conflict", async () => {
    const [mod, author, reporter] = await Promise.all([person("moderator"), person(), person()]);
    await reporter.client.api.followUser(author.user.userId);
    const tweet = await author.client.api.addNewTweet("bad tweet");
    const commentedOn = await reporter.client.api.addNewTweet("a reporter's tweet");
    const comment = await author.client.api.addCommentToTweet(commentedOn.id, "bad comment");
    const story = await author.client.api.addNewStory(await makeImage("png", 8, 8));
    const message = await author.client.api.newMessageFromClient({ to: reporter.user.userId, context: { text: "bad message" } });
    const report = (kind: "user" | "tweet" | "comment" | "story" | "message", id: string) =>
      reporter.client.api.reportFromClient({ target: { kind, id }, reason: "abuse" });

    const dismissed = await mod.client.api.resolveReport({ id: (await report("user", author.user.userId)).id, action: "dismiss", note: "fine" });
    expect(dismissed).toMatchObject({ status: "resolved", action: "dismiss", note: "fine", resolved_by: mod.user.userId });
    expect((await mod.client.api.getReports({ status: "resolved" })).some((r) => r.id === dismissed.id)).toBe(true);
    expect(await refusalOf(mod.client.api.resolveReport({ id: dismissed.id, action: "dismiss" }))).toBe("conflict");

    const deleted = new Map<string, Promise<unknown>>([["tweet", reporter.client.next("tweetDeletedFromServer")], ["story", reporter.client.next("storyDeletedFromServer")]]);
    for (const [kind, id] of [["tweet", tweet.id], ["comment", comment.id], ["story", story.id], ["message", message.id]] as const) {
      const resolved = await mod.client.api.resolveReport({ id: (await report(kind, id)).id, action: "delete_content" });
      expect(resolved, kind).toMatchObject({ status: "resolved", action: "delete_content" });
    }
    expect(await deleted.get("tweet")).toEqual({ id: tweet.id });
    expect(await deleted.get("story")).toMatchObject({ id: story.id });
    expect(await refusalOf(reporter.client.api.getTweet(tweet.id))).toBe("not_found");
    expect((await reporter.client.api.getComments(commentedOn.id)).comments).toEqual([]);
    expect((await reporter.client.api.getFollowingStories()).map((s) => s.id)).not.toContain(story.id);
    expect((await reporter.client.api.getChatMessages(author.user.userId)).map((m) => m.id)).not.toContain(message.id);
    // The reports keep what was deleted.
    const resolved = await mod.client.api.getReports({ status: "resolved" });
    expect(resolved.find((r) => r.target.id === tweet.id)!.snapshot.text).toBe("bad tweet");

    const another = await author.client.api.addNewTweet("worse tweet");
    const suspended = await mod.client.api.resolveReport({ id: (await report("tweet", another.id)).id, action: "suspend_user" });
    expect(suspended.action).toBe("suspend_user");
    expect(await moderation().standing(author.user.userId)).toEqual({ role: "user", suspended: true });
  });

  it("suspends: login and refresh refused, sockets dropped, connections refused, content hidden but kept, DMs refused; unsuspend restores", async () => {
    const [mod, victim, fan] = await Promise.all([person("moderator"), person(), person()]);
    await fan.client.api.followUser(victim.user.userId);
    const tweet = await victim.client.api.addNewTweet("still here");
    const fanTweet = await fan.client.api.addNewTweet("fan's");
    const comment = await victim.client.api.addCommentToTweet(fanTweet.id, "a comment");
    const story = await victim.client.api.addNewStory(await makeImage("png", 8, 8));
    const seen = async () => ({
      feed: (await fan.client.api.getHomeFeed()).map((t) => t.id).includes(tweet.id),
      timeline: (await fan.client.api.getTweetsOfAnUser(victim.user.userId)).length,
      single: await refusalOf(fan.client.api.getTweet(tweet.id)),
      comments: (await fan.client.api.getComments(fanTweet.id)).comments.map((c) => c.id),
      stories: (await fan.client.api.getFollowingStories()).map((s) => s.id).includes(story.id),
    });
    expect(await seen()).toEqual({ feed: true, timeline: 1, single: "accepted", comments: [comment.id], stories: true });

    const told = victim.client.next("disconnectFromServer");
    const dropped = new Promise((resolve) => victim.client.socket.once("disconnect", resolve));
    expect(await mod.client.api.suspendUser({ user: victim.user.userId, reason: "spam" })).toEqual({ user_id: victim.user.userId, suspended: true });
    expect(await told).toMatchObject({ code: "account_suspended" });
    await dropped;

    const login = await post(server.url, "/login", { username: victim.user.username, password: victim.user.password });
    expect(login.status).toBe(403);
    expect(login.body).toMatchObject({ authenticated: "account_suspended", code: "account_suspended" });
    const wrongPassword = await post(server.url, "/login", { username: victim.user.username, password: "not the password" });
    expect(wrongPassword.status).toBe(401);
    const refresh = await post(server.url, "/token/refresh", { refresh_token: victim.user.refreshToken });
    expect([refresh.status, refresh.body["code"]]).toEqual([403, "account_suspended"]);
    const refused = await connectAs(server, victim.user).then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(TelegraphConnectError);
    expect((refused as TelegraphConnectError).code).toBe("account_suspended");

    expect(await seen()).toEqual({ feed: false, timeline: 0, single: "not_found", comments: [], stories: false });
    expect(await refusalOf(fan.client.api.newMessageFromClient({ to: victim.user.userId, context: { text: "hello?" } }))).toBe("recipient_suspended");
    const kept = await server.db.query("SELECT 1 FROM tweets WHERE id = $1", [tweet.id]);
    expect(kept).toHaveLength(1);

    expect(await mod.client.api.unsuspendUser({ user: victim.user.userId })).toEqual({ user_id: victim.user.userId, suspended: false });
    expect(await seen()).toEqual({ feed: true, timeline: 1, single: "accepted", comments: [comment.id], stories: true });
    expect((await post(server.url, "/login", { username: victim.user.username, password: victim.user.password })).status).toBe(200);
    // The refresh token was not spent by the refusal.
    expect((await post(server.url, "/token/refresh", { refresh_token: victim.user.refreshToken })).status).toBe(200);
    await connectAs(server, victim.user);
    expect(await refusalOf(fan.client.api.newMessageFromClient({ to: victim.user.userId, context: { text: "welcome back" } }))).toBe("accepted");
  });

  it("lets a moderator suspend plain users only, an admin anyone but themself", async () => {
    const [mod, otherMod, admin, otherAdmin, plain] = await Promise.all([person("moderator"), person("moderator"), person("admin"), person("admin"), person()]);
    const suspend = (by: TelegraphClient, user: TestUser) => refusalOf(by.api.suspendUser({ user: user.userId }));
    expect(await suspend(mod.client, otherMod.user)).toBe("forbidden");
    expect(await suspend(mod.client, admin.user)).toBe("forbidden");
    expect(await suspend(mod.client, mod.user)).toBe("forbidden");
    expect(await suspend(admin.client, admin.user)).toBe("forbidden");
    expect(await suspend(admin.client, otherMod.user)).toBe("accepted");
    expect(await suspend(admin.client, otherAdmin.user)).toBe("accepted");
    expect(await suspend(mod.client, plain.user)).toBe("accepted");
    expect(await refusalOf(mod.client.api.suspendUser({ user: "0123456789abcdef01234567" }))).toBe("not_found");
  });

  it("grants and takes roles (the moderators room follows live); the last admin keeps theirs", async () => {
    const [admin, user, author, reporter] = await Promise.all([person("admin"), person(), person(), person()]);
    const tweet = await author.client.api.addNewTweet("reported");
    const promoted = await admin.client.api.setUserRole({ user: user.user.userId, role: "moderator" });
    expect(promoted).toEqual({ user_id: user.user.userId, role: "moderator" });
    // Each account reads its own role on its own profile (the web app's moderation entry), and nobody else's.
    expect((await user.client.api.receiveUserProfile(user.user.userId)).role).toBe("moderator");
    expect((await author.client.api.receiveUserProfile(user.user.userId)).role).toBeUndefined();
    expect((await author.client.api.receiveUserProfile(author.user.userId)).role).toBe("user");
    const live = user.client.next("newReportFromServer");
    const report = await reporter.client.api.reportFromClient({ target: { kind: "tweet", id: tweet.id }, reason: "spam" });
    expect((await live).id).toBe(report.id);
    expect((await user.client.api.getReports({ status: "open" })).some((r) => r.id === report.id)).toBe(true);

    await admin.client.api.setUserRole({ user: user.user.userId, role: "user" });
    const inbox = record(user.client);
    await reporter.client.api.reportFromClient({ target: { kind: "user", id: author.user.userId }, reason: "spam" });
    await settle();
    expect(inbox.of("newReportFromServer")).toEqual([]);
    expect(await refusalOf(user.client.api.getReports({ status: "open" }))).toBe("forbidden");

    // Every admin but one demoted (other tests made admins too): that one cannot be, not even by themself or the CLI.
    const admins = await server.db.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin' AND id <> $1", [admin.user.userId]);
    for (const { id } of admins) await moderation().setRole(null, id, "user");
    expect(await refusalOf(admin.client.api.setUserRole({ user: admin.user.userId, role: "moderator" }))).toBe("conflict");
    expect(await refusalOf(moderation().setRole(null, admin.user.userId, "user"))).toBe("conflict");
    await admin.client.api.setUserRole({ user: user.user.userId, role: "admin" });
    expect(await admin.client.api.setUserRole({ user: admin.user.userId, role: "moderator" })).toMatchObject({ role: "moderator" });
  });

  it("logs every moderator action with its actor (a user or the command line), newest first, for admins", async () => {
    const [admin, mod, target, author, reporter] = await Promise.all([person("admin"), person("moderator"), person(), person(), person()]);
    await admin.client.api.setUserRole({ user: target.user.userId, role: "moderator" });
    await admin.client.api.setUserRole({ user: target.user.userId, role: "user" });
    await mod.client.api.suspendUser({ user: target.user.userId, reason: "flood" });
    await moderation().unsuspend(null, target.user.userId);
    const tweet = await author.client.api.addNewTweet("x");
    const report = await reporter.client.api.reportFromClient({ target: { kind: "tweet", id: tweet.id }, reason: "spam" });
    await mod.client.api.resolveReport({ id: report.id, action: "dismiss", note: "ok" });

    const log = await admin.client.api.getModerationLog({});
    const about = log.filter((e) => e.target_user_id === target.user.userId || e.report_id === report.id);
    expect(about.map((e) => [e.action, e.actor.kind, e.actor.user_id])).toEqual([
      ["resolve_report", "user", mod.user.userId],
      ["unsuspend", "cli", null],
      ["suspend", "user", mod.user.userId],
      ["set_role", "user", admin.user.userId],
      ["set_role", "user", admin.user.userId],
    ]);
    expect(about[2]!.details).toEqual({ reason: "flood" });
    expect(about[4]!.details).toEqual({ from: "user", to: "moderator" });
    expect(about[0]).toMatchObject({ report_id: report.id, target_user_id: author.user.userId, details: { action: "dismiss", note: "ok" } });
    const older = await admin.client.api.getModerationLog({ before: about[2]!.id });
    expect(older.every((e) => e.id < about[2]!.id)).toBe(true);
    expect(await refusalOf(mod.client.api.getModerationLog())).toBe("forbidden");
  });
});
