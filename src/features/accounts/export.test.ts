import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TelegraphClient } from "telegraph-client";
import { closeAll, connectAs, createUser, type TestUser } from "../../../test/helpers/factories.ts";
import { makeImage } from "../../../test/helpers/images.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";

type Line = { type: string } & Record<string, unknown>;

describe("GET /account/export", () => {
  let server: TestServer;
  const exportOf = (token: string | undefined) =>
    fetch(`${server.url}/account/export`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const linesOf = async (response: Response): Promise<Line[]> =>
    (await response.text()).split("\n").filter(Boolean).map((l) => JSON.parse(l) as Line);

  beforeAll(async () => {
    server = await startServer({ env: { ACCOUNT_EXPORT_RATE_LIMIT: "3/3600", EVENT_RATE_LIMIT_WRITE: "10000/10" } });
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("requires an access token", async () => {
    expect((await exportOf(undefined)).status).toBe(401);
    const bad = await exportOf("not-a-token");
    expect([bad.status, await bad.json()]).toEqual([401, { code: "unauthenticated", message: expect.any(String) }]);
  });

  it("holds each kind of item, received messages too, and images byte-identical to GET /media/:id", async () => {
    const [alice, bob, carol, dave] = (await Promise.all(["Alice", "Bob", "Carol", "Dave"].map((name) => createUser(server, { name })))) as [TestUser, TestUser, TestUser, TestUser];
    const [a, b, c] = (await Promise.all([alice, bob, carol].map((u) => connectAs(server, u)))) as [TelegraphClient, TelegraphClient, TelegraphClient];
    await a.api.updateProfile({ photo: await makeImage("png", 40, 40), biography: "hi" });
    const tweet = await a.api.addNewTweet({ context: "with a picture", image: await makeImage("png", 30, 20) });
    const bobTweet = await b.api.addNewTweet("bob's");
    await a.api.addCommentToTweet(bobTweet.id, "a comment");
    await a.api.toggleTweetLike(bobTweet.id);
    await a.api.addNewStory(await makeImage("jpeg", 20, 20));
    await c.api.followUser(alice.userId);
    await a.api.followUser(bob.userId);
    await a.api.toggleBlockUser(dave.userId);
    const received = await b.api.newMessageFromClient({ to: alice.userId, context: { text: "for alice", image: await makeImage("webp", 16, 16) } });
    await a.api.newMessageFromClient({ to: bob.userId, context: { text: "for bob" } });

    const response = await exportOf(alice.accessToken);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const lines = await linesOf(response);
    expect(lines[0]).toMatchObject({ type: "export", format: "telegraph-account-export", version: 1, user_id: alice.userId });
    expect(lines.at(-1)?.type).toBe("end");
    const of = (type: string) => lines.filter((l) => l.type === type);
    expect(of("profile")).toEqual([expect.objectContaining({ user_id: alice.userId, email: alice.email, biography: "hi", followers_count: 1 })]);
    expect(of("tweet").map((t) => t["id"])).toEqual([tweet.id]);
    expect(of("comment").map((x) => [x["context"], x["tweet_id"]])).toEqual([["a comment", bobTweet.id]]);
    expect(of("like").map((l) => l["tweet_id"])).toEqual([bobTweet.id]);
    expect(of("story")).toHaveLength(1);
    expect(of("follower").map((p) => p["user_id"])).toEqual([carol.userId]);
    expect(of("following").map((p) => p["user_id"])).toEqual([bob.userId]);
    expect(of("block").map((p) => p["user_id"])).toEqual([dave.userId]);
    expect(of("message").map((m) => [m["with"], (m["context"] as { text: string }).text]).sort()).toEqual([
      [bob.userId, "for alice"],
      [bob.userId, "for bob"],
    ]);
    // Photo, tweet image, story image and the image received: each once, as GET /media/:id serves it.
    const images = of("image");
    expect(images).toHaveLength(4);
    for (const id of [received.context.image!.id, tweet.image!.id]) {
      const served = Buffer.from(await (await fetch(`${server.url}/media/${id}`, { headers: { authorization: `Bearer ${alice.accessToken}` } })).arrayBuffer());
      const exported = images.find((i) => i["id"] === id)!;
      expect(Buffer.from(exported["data"] as string, "base64").equals(served)).toBe(true);
    }
    expect(lines.at(-1)?.["counts"]).toMatchObject({ profile: 1, tweet: 1, comment: 1, like: 1, story: 1, follower: 1, following: 1, block: 1, message: 2, image: 4 });
  });

  it("streams a long history as it reads it, one database page at a time", async () => {
    const [erin, frank] = (await Promise.all([createUser(server), createUser(server)])) as [TestUser, TestUser];
    const total = 3000;
    // Written straight into the tables: the point is the reading, and 3,000 sends would only slow the test down.
    await server.db.query(
      `INSERT INTO messages (id, sender_id, recipient_id, text, sent_at)
       SELECT lpad(to_hex(1700000000 + i), 8, '0') || lpad(to_hex(i), 16, '0'),
              CASE WHEN i % 2 = 0 THEN $1 ELSE $2 END, CASE WHEN i % 2 = 0 THEN $2 ELSE $1 END, repeat('x', 4000) || i, now()
       FROM generate_series(1, $3::int) AS i`,
      [erin.userId, frank.userId, total],
    );
    await server.db.query(
      `INSERT INTO conversations (user_id, other_id, last_message_id)
       SELECT a, b, (SELECT max(id) FROM messages WHERE sender_id IN ($1, $2)) FROM (VALUES ($1, $2), ($2, $1)) AS p(a, b)`,
      [erin.userId, frank.userId],
    );
    const reader = (await exportOf(erin.accessToken)).body!.getReader();
    const chunks: Uint8Array[] = [(await reader.read()).value!];
    // The export reads newest first. With the first piece in hand, the older three quarters (9 MB) go: an export built
    // before sending would still hold them; a stream that reads a page only when the client takes more cannot.
    await server.db.query(
      "DELETE FROM messages WHERE sender_id IN ($1, $2) AND id <= lpad(to_hex(1700000000 + $3::int), 8, '0') || lpad(to_hex($3::int), 16, '0')",
      [erin.userId, frank.userId, total * 0.75],
    );
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    const lines = Buffer.concat(chunks).toString("utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Line);
    const messages = lines.filter((l) => l.type === "message").length;
    expect(messages).toBeGreaterThanOrEqual(total * 0.25);
    expect(messages).toBeLessThan(total * 0.6);
    expect(lines.at(-1)).toMatchObject({ type: "end", counts: { message: messages } });
  });

  it("is limited per user by ACCOUNT_EXPORT_RATE_LIMIT", async () => {
    const [gina, hal] = (await Promise.all([createUser(server), createUser(server)])) as [TestUser, TestUser];
    for (let i = 0; i < 3; i++) expect((await linesOf(await exportOf(gina.accessToken))).at(-1)?.type).toBe("end");
    const refused = await exportOf(gina.accessToken);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: "rate_limited" });
    const other = await exportOf(hal.accessToken);
    expect([other.status, (await linesOf(other)).at(-1)?.type]).toEqual([200, "end"]);
  });
});
