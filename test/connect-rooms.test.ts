import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TelegraphClient } from "telegraph-client";
import { middlewares } from "../src/realtime/middlewares.ts";
import type { ConnectionMiddleware } from "../src/realtime/middleware.ts";
import { testDatabaseUrl } from "./helpers/database.ts";
import { closeAll, connectAs, connectWithBootstrap, createUser, record, type TestUser } from "./helpers/factories.ts";
import { startServer, testRedisUrl, type TestServer } from "./helpers/server.ts";

const clustered = Boolean(testDatabaseUrl && testRedisUrl);

/**
 * A device's followers rooms are joined in the middlewares, from a read of whom the user follows. These cases hold a
 * new device of B at the end of its middlewares — its rooms joined, not yet accepted — while B (from another device,
 * possibly through another node) follows or unfollows someone, or is blocked; then let it in. The held device must end
 * up in exactly the rooms an accepted device would be in: it gets the tweets of whom B follows now, and none of those
 * B no longer follows.
 */
class Gate {
  private held = new Map<string, () => void>();
  private arrived = new Map<string, () => void>();

  /** The last middleware: waits while the user is held. */
  readonly middleware: ConnectionMiddleware = async (socket) => {
    const userId = socket.data.user.user_id;
    if (!this.held.has(userId)) return true;
    this.arrived.get(userId)?.();
    await new Promise<void>((resolve) => this.held.set(userId, resolve));
    return true;
  };

  /** Holds the next connection of `userId`; resolves when it is waiting, with the function that lets it in. */
  hold(userId: string): Promise<() => void> {
    this.held.set(userId, () => undefined);
    return new Promise((resolve) =>
      this.arrived.set(userId, () =>
        resolve(() => {
          const release = this.held.get(userId)!;
          this.held.delete(userId);
          this.arrived.delete(userId);
          release();
        }),
      ),
    );
  }
}
const gateInstance = new Gate();

async function tweetsReaching(device: TelegraphClient, author: TelegraphClient): Promise<string[]> {
  const seen = record(device);
  const tweet = await author.api.addNewTweet(`probe ${randomBytes(3).toString("hex")}`);
  // A round trip on the device's own socket after the tweet: anything pushed to it before has arrived.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await device.api.ping();
  // The push carries a list of tweets (the founding notes' shape).
  const pushed = seen.of("sendTweetToClientFromServer").flatMap((list) => (list as { id: string }[]).map((t) => t.id));
  return pushed.filter((id) => id === tweet.id);
}

function suite(title: string, nodes: () => { holding: TestServer; acting: TestServer }) {
  describe(title, () => {
    let b: TestUser;
    let c: TestUser;
    let bElsewhere: TelegraphClient;
    let cClient: TelegraphClient;

    beforeAll(async () => {
      const { holding, acting } = nodes();
      [b, c] = await Promise.all([createUser(holding, { name: "B" }), createUser(holding, { name: "C" })]);
      bElsewhere = await connectAs(acting, b);
      cClient = await connectAs(acting, c);
    });

    /** Holds a new device of B, runs `meanwhile` from B's other device, lets the held one in. */
    async function connectWhile(meanwhile: () => Promise<unknown>): Promise<TelegraphClient> {
      const held = gateInstance.hold(b.userId);
      // With its bootstrap received, so that the home feed page sent on connect is not mistaken for a live push.
      const connecting = connectWithBootstrap(nodes().holding, b);
      const release = await held;
      await meanwhile();
      release();
      return (await connecting).client;
    }

    it("a follow made while the device connects reaches it", async () => {
      const device = await connectWhile(() => bElsewhere.api.followUser(c.userId));
      expect(await tweetsReaching(device, cClient)).toHaveLength(1);
      await bElsewhere.api.unfollowUser(c.userId);
    });

    it("an unfollow made while the device connects reaches it", async () => {
      await bElsewhere.api.followUser(c.userId);
      const device = await connectWhile(() => bElsewhere.api.unfollowUser(c.userId));
      expect(await tweetsReaching(device, cClient)).toEqual([]);
      // Control: a device that follows still gets the tweet, so the probe can fail.
      await bElsewhere.api.followUser(c.userId);
      expect(await tweetsReaching(bElsewhere, cClient)).toHaveLength(1);
      await bElsewhere.api.unfollowUser(c.userId);
    });

    it("a block made while the device connects takes it out of the blocker's followers room", async () => {
      await bElsewhere.api.followUser(c.userId);
      const device = await connectWhile(() => cClient.api.toggleBlockUser(b.userId));
      expect(await tweetsReaching(device, cClient)).toEqual([]);
      await cClient.api.toggleBlockUser(b.userId);
    });
  });
}

const withGate = [...middlewares, gateInstance.middleware];
const env = { EVENT_RATE_LIMIT_WRITE: "100000/60", EVENT_RATE_LIMIT: "100000/60" };

let single: TestServer;
beforeAll(async () => {
  single = await startServer({ env, middlewares: withGate });
});
afterAll(async () => {
  closeAll();
  await single.stop();
});
suite("followers rooms of a connecting device (one node)", () => ({ holding: single, acting: single }));

describe("a logout everywhere while a device connects (one node)", () => {
  it("refuses the device instead of letting it in with a session that ended", async () => {
    const user = await createUser(single);
    const held = gateInstance.hold(user.userId);
    const connecting = connectAs(single, user);
    const release = await held;
    const logout = await fetch(`${single.url}/logout`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ refresh_token: user.refreshToken, everywhere: true }),
    });
    expect(logout.status).toBe(200);
    release();
    await expect(connecting).rejects.toMatchObject({ code: "unauthenticated" });
  });
});

describe.skipIf(!clustered)("across two nodes (needs TEST_DATABASE_URL and TEST_REDIS_URL)", () => {
  let holding: TestServer;
  let acting: TestServer;
  beforeAll(async () => {
    const redisPrefix = `t-rooms-${randomBytes(4).toString("hex")}`;
    holding = await startServer({ env, redisPrefix, middlewares: withGate });
    acting = await startServer({ env, redisPrefix, jwtSecret: holding.jwtSecret, ...(holding.schema ? { schema: holding.schema } : {}) });
  });
  afterAll(async () => {
    closeAll();
    await acting.stop({ keepDatabase: true });
    await holding.stop();
  });
  suite("followers rooms of a device connecting to the other node", () => ({ holding, acting }));
});
