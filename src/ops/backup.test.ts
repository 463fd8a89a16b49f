import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { testDatabaseUrl } from "../../test/helpers/database.ts";
import { closeAll, connectAs, createUser, type TestUser } from "../../test/helpers/factories.ts";
import { makeImage } from "../../test/helpers/images.ts";
import { startNode, type NodeProcess } from "../../test/helpers/process.ts";
import { freshDatabase, runScript } from "../../test/helpers/scripts.ts";
import type { TestServer } from "../../test/helpers/server.ts";
import { restoreBackup } from "./restore.ts";
import { readTar, TarWriter } from "./tar.ts";

// Real server processes (the backup goes through the running server's control socket), real sockets, the real
// backup and restore commands as child processes.
const nodeEnv = (dataDir: string, extra: Record<string, string> = {}) => ({
  DATA_DIR: dataDir,
  WEB_APP: "off",
  EMAIL_CONFIRMATION: "off",
  LOGIN_RATE_LIMIT_ADDRESS: "10000/60",
  HANDSHAKE_RATE_LIMIT: "10000/1",
  EVENT_RATE_LIMIT_WRITE: "100000/10",
  ...extra,
});

const asServer = (node: NodeProcess) => ({ url: node.url }) as TestServer;
const mediaPath = (url: string) => url.split("?")[0]!;

async function fetchBytes(baseUrl: string, url: string, token: string): Promise<Buffer> {
  const response = await fetch(baseUrl + mediaPath(url), { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function stopNode(node: NodeProcess): Promise<void> {
  node.child.kill("SIGTERM");
  await node.exited;
}

interface Expected {
  alice: TestUser;
  bob: TestUser;
  /** Messages acknowledged before the backup command started. */
  acked: string[];
  tweetId: string;
  images: { url: string; bytes: Buffer }[];
}

/** Seeds two users, a tweet with an image and a DM with an image, then backs up while alice keeps sending. */
async function seedAndBackUp(node: NodeProcess, file: string, env: Record<string, string>): Promise<Expected> {
  const alice = await createUser(asServer(node));
  const bob = await createUser(asServer(node));
  const client = await connectAs(asServer(node), alice);
  const tweet = await client.api.addNewTweet({ context: "before the backup", image: await makeImage("png", 40, 30) });
  const dm = await client.api.newMessageFromClient({ to: bob.userId, context: { text: "a picture", image: await makeImage("jpeg", 32, 24) } });
  const images = [];
  for (const url of [tweet.image!.url, dm.context.image!.url]) images.push({ url, bytes: await fetchBytes(node.url, url, bob.accessToken) });
  const acked: string[] = [dm.id];
  let writing = true;
  let sent = 0;
  const writer = (async () => {
    while (writing) {
      const message = await client.api.newMessageFromClient({ to: bob.userId, context: { text: `while backing up ${++sent}` } });
      acked.push(message.id);
    }
  })();
  while (acked.length < 20) await new Promise((resolve) => setTimeout(resolve, 10));
  const ackedBefore = [...acked];
  const backup = await runScript("backup", [file], env);
  const duringBackup = acked.length - ackedBefore.length;
  writing = false;
  await writer;
  expect(backup.stderr).toBe("");
  expect(backup.code).toBe(0);
  expect(backup.stdout).toMatch(/backup written to .* \d+ users, \d+ messages, 1 tweets, 2 media/s);
  // The server kept answering while the snapshot was taken.
  expect(duringBackup).toBeGreaterThan(0);
  return { alice, bob, acked: ackedBefore, tweetId: tweet.id, images };
}

/** Every message acknowledged before the backup, the tweet, and both images (byte for byte) on the restored node. */
async function expectRestored(node: NodeProcess, expected: Expected): Promise<void> {
  // The access token from before still works: the JWT secret came back with the data.
  const bob = await connectAs(asServer(node), expected.bob);
  const ids = new Set<string>();
  let before: string | undefined;
  for (;;) {
    const page = await bob.api.getChatMessages({ with: expected.alice.userId, limit: 100, ...(before ? { before } : {}) });
    for (const m of page) ids.add(m.id);
    if (page.length < 100) break;
    before = page[page.length - 1]!.id;
  }
  expect(expected.acked.filter((id) => !ids.has(id))).toEqual([]);
  const tweets = await bob.api.getTweetsOfAnUser({ userId: expected.alice.userId });
  expect(tweets.map((t) => t.id)).toContain(expected.tweetId);
  for (const image of expected.images) expect((await fetchBytes(node.url, image.url, expected.bob.accessToken)).equals(image.bytes)).toBe(true);
  closeAll();
}

const dirs: string[] = [];
const tempDir = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "telegraph-backup-test-"));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  closeAll();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("backup and restore of the embedded database", () => {
  let file: string;
  let expected: Expected;

  beforeAll(async () => {
    const dataDir = await tempDir();
    file = path.join(await tempDir(), "telegraph.tar.gz");
    const node = await startNode(nodeEnv(dataDir));
    try {
      expected = await seedAndBackUp(node, file, { DATA_DIR: dataDir });
    } finally {
      closeAll();
      await stopNode(node);
    }
  }, 60_000);

  it("restores into a fresh DATA_DIR: every message acknowledged before the backup, the tweet, the images byte for byte", async () => {
    const dataDir = await tempDir();
    const restore = await runScript("restore", [file], { DATA_DIR: dataDir });
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    const node = await startNode(nodeEnv(dataDir));
    try {
      await expectRestored(node, expected);
      // Not under a running server, not even with --force.
      await expect(restoreBackup(loadConfig({ DATA_DIR: dataDir }), file, { force: true })).rejects.toThrow(/a Telegraph server \(or another command\) is using/);
    } finally {
      await stopNode(node);
    }
    // A second restore into the same, now non-empty, DATA_DIR is refused; nothing is touched.
    await expect(restoreBackup(loadConfig({ DATA_DIR: dataDir }), file, { force: false })).rejects.toThrow(/pgdata and .*media are not empty.*--force/s);
    expect(existsSync(path.join(dataDir, "pgdata", "PG_VERSION"))).toBe(true);
  }, 60_000);

  it("refuses a damaged archive (a checksum that does not match) before touching the target", async () => {
    const damaged = path.join(await tempDir(), "damaged.tar.gz");
    const tar = new TarWriter(damaged);
    for await (const entry of readTar(file)) {
      await tar.add(entry.name, entry.name === "database.sql" ? Buffer.from(entry.data.toString().replace("while backing up 1", "while backing up X")) : entry.data);
    }
    await tar.close();
    const dataDir = await tempDir();
    const restore = await runScript("restore", [damaged], { DATA_DIR: dataDir });
    expect(restore.code).toBe(1);
    expect(restore.stderr).toMatch(/restore refused: .*checksum mismatch for database\.sql/);
    expect(existsSync(path.join(dataDir, "pgdata"))).toBe(false);
  }, 30_000);

  it.skipIf(!testDatabaseUrl)("restores into an empty PostgreSQL database (moving from the embedded database to PostgreSQL)", async () => {
    const database = await freshDatabase(testDatabaseUrl!);
    try {
      const dataDir = await tempDir();
      const restore = await runScript("restore", [file], { DATA_DIR: dataDir, DATABASE_URL: database.url });
      expect(restore.stderr).toBe("");
      expect(restore.code).toBe(0);
      const node = await startNode(nodeEnv(dataDir, { DATABASE_URL: database.url }));
      try {
        await expectRestored(node, expected);
      } finally {
        await stopNode(node);
      }
    } finally {
      await database.drop();
    }
  }, 60_000);
});

describe.skipIf(!testDatabaseUrl)("backup and restore of a PostgreSQL database", () => {
  it("backs up with pg_dump while a client writes and restores into another database (its images out of the blobs table into files)", async () => {
    const source = await freshDatabase(testDatabaseUrl!);
    const target = await freshDatabase(testDatabaseUrl!);
    try {
      const file = path.join(await tempDir(), "telegraph.tar.gz");
      const sourceEnv = { DATA_DIR: await tempDir(), DATABASE_URL: source.url, MEDIA_STORE: "postgres" };
      const node = await startNode(nodeEnv(sourceEnv.DATA_DIR, sourceEnv));
      let expected: Expected;
      try {
        expected = await seedAndBackUp(node, file, sourceEnv);
      } finally {
        closeAll();
        await stopNode(node);
      }
      // Restored where images are files: the blobs come out of the table into DATA_DIR/media.
      const targetEnv = { DATA_DIR: await tempDir(), DATABASE_URL: target.url, MEDIA_STORE: "filesystem" };
      const restore = await runScript("restore", [file], targetEnv);
      expect(restore.stderr).toBe("");
      expect(restore.code).toBe(0);
      const restored = await startNode(nodeEnv(targetEnv.DATA_DIR, targetEnv));
      try {
        await expectRestored(restored, expected);
      } finally {
        await stopNode(restored);
      }
      // The target now holds Telegraph's tables: refused without --force, replaced with it.
      const again = await runScript("restore", [file], targetEnv);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/schema public of .* is not empty .*--force/);
      const forced = await runScript("restore", [file, "--force"], { ...targetEnv, MEDIA_STORE: "postgres" });
      expect(forced.code).toBe(0);
      expect(forced.stdout).toMatch(/--force: dropped and re-created schema public/);
    } finally {
      await source.drop();
      await target.drop();
    }
  }, 90_000);
});
