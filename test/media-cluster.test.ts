import { readdir } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { testDatabaseUrl } from "./helpers/database.ts";
import { closeAll, connectAs, createUser, type TestUser } from "./helpers/factories.ts";
import { makeImage } from "./helpers/images.ts";
import { startTwoNodes, type TestServer, type TwoNodes } from "./helpers/server.ts";

const mediaId = (url: string) => /\/media\/([0-9a-f]{24})/.exec(url)![1]!;

async function fetchMedia(server: TestServer, url: string, token?: string) {
  const response = await fetch(server.url + url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Files under a DATA_DIR's media folder (none when the folder was never made). */
async function mediaFiles(server: TestServer): Promise<string[]> {
  return readdir(path.join(server.config.dataDir, "media"), { recursive: true }).catch(() => []);
}

// Two nodes need one database server: the embedded database belongs to a single process.
describe.skipIf(!testDatabaseUrl)("MEDIA_STORE=postgres: nodes with separate DATA_DIRs serve each other's images (needs TEST_DATABASE_URL)", () => {
  let first: TestServer;
  let second: TestServer;
  let nodes: TwoNodes;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    const env = { MEDIA_STORE: "postgres", MEDIA_ORPHAN_GRACE: "1s" };
    nodes = await startTwoNodes("media", env);
    ({ first, second } = nodes);
    alice = await createUser(first);
    bob = await createUser(first);
  });
  afterEach(closeAll);
  afterAll(async () => {
    await nodes.stop();
  });

  it("gives each node its own DATA_DIR and writes no media files into either", async () => {
    expect(first.config.dataDir).not.toBe(second.config.dataDir);
    const client = await connectAs(first, alice);
    await client.api.updateProfile({ photo: await makeImage("png", 16, 16) });
    expect(await mediaFiles(first)).toEqual([]);
    expect(await mediaFiles(second)).toEqual([]);
  });

  it("serves an image uploaded on one node from the other, by token and by signed URL, byte for byte", async () => {
    const client = await connectAs(first, alice);
    const profile = await client.api.updateProfile({ photo: await makeImage("webp", 40, 30) });
    const url = `/media/${mediaId(profile.photo!)}`;
    const here = await fetchMedia(first, url, bob.accessToken);
    const there = await fetchMedia(second, url, bob.accessToken);
    expect([here.status, there.status]).toEqual([200, 200]);
    expect(there.bytes.equals(here.bytes)).toBe(true);
    expect((await fetchMedia(second, profile.photo!)).status).toBe(200);

    const other = await connectAs(second, bob);
    const bobs = await other.api.updateProfile({ photo: await makeImage("gif", 12, 12) });
    expect((await fetchMedia(first, `/media/${mediaId(bobs.photo!)}`, alice.accessToken)).status).toBe(200);
  });

  it("a sweep on one node removes the blob for every node", async () => {
    const orphan = await second.app.services.media.storeImage(alice.userId, await makeImage("jpeg", 14, 14), "message");
    expect((await fetchMedia(first, `/media/${orphan.id}`, alice.accessToken)).status).toBe(200);
    await first.db.query("UPDATE media SET created_at = now() - interval '1 hour' WHERE id = $1", [orphan.id]);
    const [{ sha256 }] = await first.db.query<{ sha256: string }>("SELECT sha256 FROM media WHERE id = $1", [orphan.id]) as [{ sha256: string }];
    expect(await first.app.services.media.sweep()).toBeGreaterThanOrEqual(1);
    expect(await second.db.query("SELECT 1 FROM blobs WHERE key = $1", [sha256])).toEqual([]);
    expect((await fetchMedia(second, `/media/${orphan.id}`, alice.accessToken)).status).toBe(404);
  });
});
