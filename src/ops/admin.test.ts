import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "../../test/helpers/database.ts";
import { closeAll, connectAs, createUser, type TestUser } from "../../test/helpers/factories.ts";
import { post } from "../../test/helpers/http.ts";
import { makeImage } from "../../test/helpers/images.ts";
import { startNode, type NodeProcess } from "../../test/helpers/process.ts";
import { freshDatabase, runScript } from "../../test/helpers/scripts.ts";
import { testRedisUrl, type TestServer } from "../../test/helpers/server.ts";

// `npm run admin` as a child process against real server processes: through the control socket of the server
// running on DATA_DIR, and on its own when none runs.
const nodeEnv = (extra: Record<string, string>) => ({
  WEB_APP: "off",
  EMAIL_CONFIRMATION: "off",
  LOGIN_RATE_LIMIT_ADDRESS: "10000/60",
  HANDSHAKE_RATE_LIMIT: "10000/1",
  ...extra,
});
const asServer = (node: NodeProcess) => ({ url: node.url }) as TestServer;
const login = (node: NodeProcess, user: TestUser) => post(node.url, "/login", { username: user.username, password: user.password });

async function stopNode(node: NodeProcess): Promise<void> {
  node.child.kill("SIGTERM");
  await node.exited;
}

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "telegraph-admin-test-"));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  closeAll();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("npm run admin on the embedded database", () => {
  let node: NodeProcess;
  let env: Record<string, string>;
  let alice: TestUser;
  let bob: TestUser;
  const admin = (...args: string[]) => runScript("admin", args, env);

  beforeAll(async () => {
    env = { DATA_DIR: await tempDir() };
    // Short enough for the sweeps to find something to remove within the test.
    node = await startNode(nodeEnv({ ...env, MEDIA_ORPHAN_GRACE: "1s", UPDATES_RETENTION: "1s" }));
    alice = await createUser(asServer(node));
    bob = await createUser(asServer(node));
  }, 60_000);
  afterAll(async () => {
    closeAll();
    if (node.child.exitCode === null) await stopNode(node);
  });

  it("stats and sweep go through the running server (it holds the database): users, who is online, today's messages, sizes", async () => {
    const client = await connectAs(asServer(node), alice);
    await client.api.newMessageFromClient({ to: bob.userId, context: { text: "counted today" } });
    const stats = await admin("stats");
    expect(stats.stderr).toBe("");
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^users: 2\nonline: 1\nmessages today \(UTC\): 1\ndatabase size: [\d.]+ MB\nmedia size: 0\.0 kB \(filesystem\)\n$/);
    // A replaced profile photo is unreferenced; the message left updates in the log.
    await client.api.updateProfile({ photo: await makeImage("png", 16, 16) });
    await client.api.updateProfile({ photo: await makeImage("png", 20, 20) });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sweep = await admin("sweep");
    expect(sweep.code).toBe(0);
    expect(sweep.stdout).toMatch(/^media sweep: removed 1 unreferenced media item\(s\)\nupdate log sweep: removed [1-9]\d* update\(s\)\n$/);
    expect((await admin("sweep")).stdout).toMatch(/removed 0 unreferenced media .*\n.*removed 0 update/);
    client.close();
  }, 30_000);

  it("create-admin, grant and reports; unknown users, roles and commands are clear errors with a non-zero exit", async () => {
    expect((await admin("create-admin", alice.username)).stdout).toBe(`@${alice.username} is an admin\n`);
    const missing = await admin("create-admin", "nobody_here");
    expect([missing.code, missing.stderr]).toEqual([1, "error: no account @nobody_here: register it first (the web app or POST /register), then run create-admin again\n"]);
    expect((await admin("grant", bob.username, "moderator")).stdout).toBe(`@${bob.username} is now moderator\n`);
    const badRole = await admin("grant", bob.username, "wizard");
    expect([badRole.code, badRole.stderr]).toEqual([2, "unknown role: wizard (expected one of user, moderator, admin)\n"]);
    const unknown = await admin("frobnicate");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^unknown command: frobnicate\nusage: npm run admin -- <command>\n(.|\n)*create-admin <username>/);
    expect((await admin()).code).toBe(2);

    const reporter = await connectAs(asServer(node), bob);
    const report = await reporter.api.reportFromClient({ target: { kind: "user", id: alice.userId }, reason: "spam", text: "ads" });
    const reports = await admin("reports");
    expect(reports.code).toBe(0);
    expect(reports.stdout).toContain(`1 open report(s), newest first:\n${report.id}`);
    expect(reports.stdout).toContain(`spam  user ${alice.userId} by @${alice.username}`);
    expect((await admin("reports", "resolved")).stdout).toBe("no resolved reports\n");
    reporter.close();
  }, 60_000);

  it("suspend drops the user's live sockets and refuses logins; unsuspend lets them back", async () => {
    const client = await connectAs(asServer(node), bob);
    const dropped = new Promise((resolve) => client.socket.once("disconnect", resolve));
    const suspend = await admin("suspend", bob.username, "too", "much", "spam");
    expect([suspend.code, suspend.stdout]).toEqual([0, `@${bob.username} is suspended\n`]);
    await dropped;
    expect((await login(node, bob)).body).toMatchObject({ code: "account_suspended" });
    expect((await admin("unsuspend", bob.username)).code).toBe(0);
    expect((await login(node, bob)).status).toBe(200);
    const noOne = await admin("suspend", "nobody_here");
    expect([noOne.code, noOne.stderr]).toEqual([1, "error: no account @nobody_here\n"]);
  }, 30_000);

  it("with no server running, opens the database itself", async () => {
    await stopNode(node);
    const stats = await admin("stats");
    expect(stats.stderr).toBe("");
    expect(stats.stdout).toMatch(/^users: 2\nonline: 0\n/);
    const nowhere = await runScript("admin", ["stats"], { DATA_DIR: await tempDir() });
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/no embedded database in .*pgdata and no server running on it/);
  }, 30_000);
});

describe.skipIf(!testDatabaseUrl || !testRedisUrl)("npm run admin in a cluster (PostgreSQL and Redis)", () => {
  it("suspend drops the user's sockets on every node, from a node's control socket or from a machine running none", async () => {
    const database = await freshDatabase(testDatabaseUrl!);
    const shared = { DATABASE_URL: database.url, REDIS_URL: testRedisUrl!, REDIS_PREFIX: `t-${randomBytes(6).toString("hex")}`, JWT_SECRET: randomBytes(32).toString("hex") };
    const nodes: NodeProcess[] = [];
    try {
      const first = { ...shared, DATA_DIR: await tempDir() };
      nodes.push(await startNode(nodeEnv({ ...first, NODE_ID: "n1" })));
      nodes.push(await startNode(nodeEnv({ ...shared, DATA_DIR: await tempDir(), NODE_ID: "n2" })));
      const bob = await createUser(asServer(nodes[0]!));
      const carol = await createUser(asServer(nodes[0]!));
      const dave = await createUser(asServer(nodes[0]!));
      const onSecond = async (user: TestUser) => {
        const client = await connectAs(asServer(nodes[1]!), user);
        // In an object: an async function returning the promise itself would wait for it.
        return { dropped: new Promise((resolve) => client.socket.once("disconnect", resolve)) };
      };

      // Through the first node's control socket; bob is connected to the second node only.
      const bobDropped = await onSecond(bob);
      const viaNode = await runScript("admin", ["suspend", bob.username], first);
      expect([viaNode.code, viaNode.stderr]).toEqual([0, ""]);
      await bobDropped.dropped;

      // From a DATA_DIR no server uses: the command joins the cluster through Redis to reach the second node.
      const elsewhere = { ...shared, DATA_DIR: await tempDir() };
      const carolDropped = await onSecond(carol);
      const direct = await runScript("admin", ["suspend", carol.username], elsewhere);
      expect([direct.code, direct.stderr]).toEqual([0, ""]);
      await carolDropped.dropped;
      // Who is online is asked of every node, through the adapter.
      await onSecond(dave);
      expect((await runScript("admin", ["stats"], elsewhere)).stdout).toMatch(/^users: 3\nonline: 1\n/);
    } finally {
      closeAll();
      for (const node of nodes) await stopNode(node);
      await database.drop();
      const redis = new Redis(testRedisUrl!);
      const keys = await redis.keys(`${shared.REDIS_PREFIX}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  }, 90_000);
});
