import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TelegraphConnectError } from "telegraph-client";
import { testDatabaseUrl } from "../../../test/helpers/database.ts";
import { closeAll, connectAs, createUser } from "../../../test/helpers/factories.ts";
import { startTwoNodes, testRedisUrl, type TestServer, type TwoNodes } from "../../../test/helpers/server.ts";

// Two nodes need one database server and Redis between them: the embedded database belongs to a single process.
describe.skipIf(!testDatabaseUrl || !testRedisUrl)("moderation across two nodes (needs TEST_DATABASE_URL and TEST_REDIS_URL)", () => {
  let first: TestServer;
  let second: TestServer;
  let nodes: TwoNodes;

  beforeAll(async () => {
    nodes = await startTwoNodes("mod");
    ({ first, second } = nodes);
  });
  afterEach(closeAll);
  afterAll(async () => {
    await nodes.stop();
  });

  it("a moderator on one node suspends a user connected to the other: that socket is dropped and reconnecting there is refused", async () => {
    const [modUser, victimUser] = await Promise.all([createUser(first), createUser(first)]);
    await first.app.services.moderation.setRole(null, modUser.userId, "moderator");
    const mod = await connectAs(first, modUser);
    const victim = await connectAs(second, victimUser);
    const told = victim.next("disconnectFromServer");
    const dropped = new Promise<string>((resolve) => victim.socket.once("disconnect", resolve));
    await mod.api.suspendUser({ user: victimUser.userId });
    expect(await told).toMatchObject({ code: "account_suspended" });
    expect(await dropped).toBe("io server disconnect");
    const refused = await connectAs(second, victimUser).then(() => null, (err: unknown) => err);
    expect((refused as TelegraphConnectError).code).toBe("account_suspended");
  });

  it("a role granted on one node puts the user's socket on the other in the moderators room: reports made on the first reach it", async () => {
    const [modUser, author, reporter] = await Promise.all([createUser(first), createUser(first), createUser(first)]);
    const mod = await connectAs(second, modUser);
    await first.app.services.moderation.setRole(null, modUser.userId, "moderator");
    const live = mod.next("newReportFromServer");
    const tweet = await (await connectAs(first, author)).api.addNewTweet("reported");
    const report = await (await connectAs(first, reporter)).api.reportFromClient({ target: { kind: "tweet", id: tweet.id }, reason: "spam" });
    expect((await live).id).toBe(report.id);
  });
});
