import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { closeAll, connectAs, createUser, waitFor } from "./helpers/factories.ts";
import { http } from "./helpers/http.ts";
import { killOwnRedis, startOwnRedis } from "./helpers/own-redis.ts";
import { freePort } from "./helpers/process.ts";
import { startServer, testRedisUrl, type TestServer } from "./helpers/server.ts";

// Runs where the cluster suites run (TEST_REDIS_URL set: CI's second pass), with a redis-server binary of its own.
describe.skipIf(!testRedisUrl)("a node whose Redis goes away", () => {
  let redis: ChildProcess | undefined;
  let server: TestServer | undefined;
  afterAll(async () => {
    closeAll();
    await server?.stop();
    if (redis) await killOwnRedis(redis);
  });

  it("keeps serving its own connections, reports not ready, and recovers when Redis is back", async () => {
    const port = await freePort();
    redis = await startOwnRedis(port);
    server = await startServer({ redisUrl: `redis://127.0.0.1:${port}` });
    const alice = await createUser(server);
    const bob = await createUser(server);
    const a = await connectAs(server, alice);
    const b = await connectAs(server, bob);
    const ready = async () => (await http(server!.url, "GET", "/readyz")).status === 200;
    expect(await ready()).toBe(true);

    await killOwnRedis(redis);
    expect(await waitFor(async () => !(await ready()), 5000, 200)).toBe(true);
    // Its own sockets still work: events are handled (rate limits fall back to memory) and messages delivered here.
    expect(await a.api.ping({ echo: "still here" })).toMatchObject({ echo: "still here" });
    const arrived = b.next("singleUnreadMsgFromServer");
    const sent = await a.api.newMessageFromClient({ to: bob.userId, context: { text: "during the outage" } });
    expect((await arrived).id).toBe(sent.id);
    expect((await a.api.requestLastSeen([bob.userId]))[0]).toMatchObject({ online: true });

    redis = await startOwnRedis(port);
    expect(await waitFor(ready, 10_000, 200)).toBe(true);
    expect((await a.api.receiveUserProfile(bob.userId)).online).toBe(true);
  });
});
