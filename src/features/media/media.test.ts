import { access } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connectAs, createUser, type TestUser } from "../../../test/helpers/factories.ts";
import { makeImage, makeJpegWithGps, makeNoisePng, makePngBomb } from "../../../test/helpers/images.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";

const mediaId = (url: string) => /\/media\/([0-9a-f]{24})/.exec(url)![1]!;

async function fetchMedia(server: TestServer, url: string, token?: string, headers: Record<string, string> = {}) {
  const response = await fetch(server.url + url, {
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

const countMedia = async (server: TestServer) =>
  (await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM media"))[0]!.n;

/** Whether the blob of a content hash is in the server's store (a file under DATA_DIR/media, or a row of `blobs`). */
async function blobExists(server: TestServer, sha: string): Promise<boolean> {
  if (server.config.media.store === "postgres") {
    return (await server.db.query("SELECT 1 FROM blobs WHERE key = $1", [sha])).length === 1;
  }
  return access(path.join(server.config.dataDir, "media", sha.slice(0, 2), sha.slice(2, 4), sha)).then(
    () => true,
    () => false,
  );
}

describe.each(["filesystem", "postgres"] as const)("images through the media path (MEDIA_STORE=%s)", (store) => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startServer({
      env: { MEDIA_STORE: store, MEDIA_MAX_BYTES: "200000", MEDIA_MAX_PIXELS: "4000000", MEDIA_ORPHAN_GRACE: "1s" },
    });
    alice = await createUser(server);
    bob = await createUser(server);
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it.each([
    ["png", "a data: URL", async (b: Buffer) => `data:image/png;base64,${b.toString("base64")}`, "image/png"],
    ["jpeg", "bare base64", async (b: Buffer) => b.toString("base64"), "image/jpeg"],
    ["webp", "binary (Buffer)", async (b: Buffer) => b, "image/webp"],
    ["gif", "binary (ArrayBuffer)", async (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.length), "image/gif"],
  ] as const)("round-trips a %s sent as %s: stored, served with its type, same dimensions", async (format, _how, encode, type) => {
    const client = await connectAs(server, alice);
    const original = await makeImage(format, 64, 48);
    const profile = await client.api.updateProfile({ photo: (await encode(original)) as never });
    expect(profile.photo).toMatch(/^\/media\/[0-9a-f]{24}\?exp=\d+&sig=/);

    const served = await fetchMedia(server, `/media/${mediaId(profile.photo!)}`, bob.accessToken);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe(type);
    expect(served.headers.get("etag")).toMatch(/^"[0-9a-f]{64}"$/);
    expect(served.headers.get("cache-control")).toContain("max-age=31536000");
    const decoded = await sharp(served.bytes).metadata();
    expect(decoded.format).toBe(format === "jpeg" ? "jpeg" : format);
    expect([decoded.width, decoded.pageHeight ?? decoded.height]).toEqual([64, 48]);

    const row = await server.db.query<{ owner_id: string; type: string; width: number; height: number; size: number }>(
      "SELECT owner_id, type, width, height, size FROM media WHERE id = $1",
      [mediaId(profile.photo!)],
    );
    expect(row[0]).toEqual({ owner_id: alice.userId, type, width: 64, height: 48, size: served.bytes.length });
  });

  it("answers 304 to a matching If-None-Match, and serves the signed URL without a token", async () => {
    const client = await connectAs(server, alice);
    const profile = await client.api.updateProfile({ photo: await makeImage("png") });
    const first = await fetchMedia(server, profile.photo!);
    expect(first.status).toBe(200);
    const again = await fetchMedia(server, `/media/${mediaId(profile.photo!)}`, bob.accessToken, {
      "if-none-match": first.headers.get("etag")!,
    });
    expect(again.status).toBe(304);
    const tampered = profile.photo!.replace(/sig=./, (m) => (m.endsWith("A") ? "sig=B" : "sig=A"));
    expect((await fetchMedia(server, tampered)).status).toBe(404);
    expect((await fetchMedia(server, `/media/${mediaId(profile.photo!)}`)).status).toBe(401);
  });

  it("removes EXIF, including the GPS position, from what it stores and serves", async () => {
    const withGps = await makeJpegWithGps();
    expect((await sharp(withGps).metadata()).exif).toBeDefined();
    const client = await connectAs(server, alice);
    const profile = await client.api.updateProfile({ photo: withGps });
    const served = await fetchMedia(server, profile.photo!);
    const metadata = await sharp(served.bytes).metadata();
    expect(metadata.exif).toBeUndefined();
    expect(served.bytes.includes(Buffer.from("Spy 3000"))).toBe(false);
    expect(served.bytes.includes(Buffer.from("GPS"))).toBe(false);
  });

  it.each([
    ["text claiming to be a PNG", `data:image/png;base64,${Buffer.from("<svg onload=alert(1)>").toString("base64")}`],
    ["an SVG", Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')],
    ["a truncated PNG", (async () => (await makeImage("png")).subarray(0, 40))()],
    ["non-base64 text", "this is not base64!"],
    ["an empty buffer", Buffer.alloc(0)],
  ])("refuses %s with invalid_input and stores nothing", async (_label, input) => {
    const client = await connectAs(server, alice);
    const before = await countMedia(server);
    await expect(client.api.updateProfile({ photo: (await input) as never })).rejects.toMatchObject({ code: "invalid_input" });
    expect(await countMedia(server)).toBe(before);
  });

  it("refuses an image over MEDIA_MAX_BYTES with payload_too_large, keeping the connection", async () => {
    const client = await connectAs(server, alice);
    const oversized = await makeNoisePng(300, 300); // stored uncompressed: about 270 000 bytes
    expect(oversized.length).toBeGreaterThan(200_000);
    const before = await countMedia(server);
    await expect(client.api.updateProfile({ photo: oversized.toString("base64") })).rejects.toMatchObject({
      code: "payload_too_large",
    });
    expect(client.socket.connected).toBe(true);
    expect(await countMedia(server)).toBe(before);
  });

  it("refuses a decompression bomb before decoding it, without the memory growing", async () => {
    const client = await connectAs(server, alice);
    const bomb = makePngBomb(30_000, 30_000); // 900 megapixels, 2.7 GB decoded, a few hundred bytes sent
    expect(bomb.length).toBeLessThan(2000);
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 5; i++) {
      await expect(client.api.updateProfile({ photo: bomb })).rejects.toMatchObject({ code: "payload_too_large" });
    }
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it("shows a profile photo to anyone but the people its owner blocked, who get 404 as for a missing image", async () => {
    const carol = await createUser(server);
    const dave = await createUser(server);
    const client = await connectAs(server, carol);
    const profile = await client.api.updateProfile({ photo: await makeImage("png") });
    const url = `/media/${mediaId(profile.photo!)}`;
    expect((await fetchMedia(server, url, dave.accessToken)).status).toBe(200);
    await server.db.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2)", [carol.userId, dave.userId]);
    const blocked = await fetchMedia(server, url, dave.accessToken);
    const missing = await fetchMedia(server, "/media/0123456789abcdef01234567", dave.accessToken);
    expect(blocked.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(blocked.bytes.toString()).toBe(missing.bytes.toString());
    expect((await fetchMedia(server, "/media/not-an-id", dave.accessToken)).status).toBe(400);
  });

  it("keeps an upload nothing refers to private to its uploader", async () => {
    const ref = await server.app.services.media.storeImage(alice.userId, await makeImage("png", 10, 10), "message");
    expect((await fetchMedia(server, `/media/${ref.id}`, alice.accessToken)).status).toBe(200);
    expect((await fetchMedia(server, `/media/${ref.id}`, bob.accessToken)).status).toBe(404);
  });

  it("sweeps media nothing refers to, and its blob unless another row shares it, and nothing else", async () => {
    const erin = await createUser(server);
    const client = await connectAs(server, erin);
    const shared = await makeImage("png", 20, 20);
    const old = await client.api.updateProfile({ photo: shared });
    const other = await connectAs(server, bob);
    const bobs = await other.api.updateProfile({ photo: shared }); // same bytes: same blob, another row
    const current = await client.api.updateProfile({ photo: await makeImage("webp", 30, 30) });
    const orphan = await server.app.services.media.storeImage(erin.userId, await makeImage("gif", 12, 12), "message");
    const fresh = await server.app.services.media.storeImage(erin.userId, await makeImage("jpeg", 14, 14), "message");
    await server.db.query("UPDATE media SET created_at = now() - interval '1 hour' WHERE id <> $1", [fresh.id]);

    const hashOf = async (id: string) =>
      (await server.db.query<{ sha256: string }>("SELECT sha256 FROM media WHERE id = $1", [id]))[0]!.sha256;
    const orphanBlob = await hashOf(orphan.id);
    const sharedBlob = await hashOf(mediaId(old.photo!));
    expect(await blobExists(server, orphanBlob)).toBe(true);

    expect(await server.app.services.media.sweep()).toBeGreaterThanOrEqual(2);
    const left = new Set(
      (await server.db.query<{ id: string }>("SELECT id FROM media WHERE owner_id IN ($1, $2)", [erin.userId, bob.userId])).map(
        (r) => r.id,
      ),
    );
    expect(left.has(mediaId(old.photo!))).toBe(false);
    expect(left.has(orphan.id)).toBe(false);
    expect(left.has(mediaId(current.photo!))).toBe(true);
    expect(left.has(mediaId(bobs.photo!))).toBe(true);
    expect(left.has(fresh.id)).toBe(true); // within the grace period
    expect(await blobExists(server, orphanBlob)).toBe(false);
    expect(await blobExists(server, sharedBlob)).toBe(true); // still used by bob's photo
    expect((await fetchMedia(server, `/media/${mediaId(bobs.photo!)}`, erin.accessToken)).status).toBe(200);
  });
});
