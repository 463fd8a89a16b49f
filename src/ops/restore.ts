import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config.ts";
import { FileBlobStore } from "../features/media/blob-store.ts";
import { SECRET_FILES } from "./backup.ts";
import { manifestProblem, manifestSchema, sha256, type Manifest } from "./manifest.ts";
import * as repo from "./repo.ts";
import { embeddedTarget, postgresTarget, RestoreRefused } from "./restore-targets.ts";
import { ArchiveError, readTar } from "./tar.ts";

export { RestoreRefused };

/**
 * Restores `file` into the configured target — DATA_DIR (embedded) or DATABASE_URL's current schema — which must be
 * empty; `force` empties it first (embedded: deletes DATA_DIR/pgdata and DATA_DIR/media; PostgreSQL: drops the schema
 * with everything in it and creates it again). The archive is read twice: once to check the manifest and every
 * checksum before anything is touched, then to restore. The next `npm start` migrates the result as usual.
 */
export async function restoreBackup(config: Config, file: string, options: { force: boolean }): Promise<{ manifest: Manifest; lines: string[] }> {
  const manifest = await verify(file);
  if (!config.databaseUrl && manifest.database.kind === "postgres") {
    throw new RestoreRefused("this backup is of a PostgreSQL database (pg_dump's format): restore it into PostgreSQL (set DATABASE_URL)");
  }
  const lines: string[] = [];
  const target = config.databaseUrl ? await postgresTarget(config.databaseUrl, options.force, lines) : await embeddedTarget(config, options.force, lines);
  const fileStore = new FileBlobStore(path.join(config.dataDir, "media"));
  let blobs = 0;
  let failed = true;
  try {
    for await (const entry of readTar(file)) {
      if (entry.name === manifest.database.file) {
        await target.load(entry.name, entry.data);
      } else if (entry.name.startsWith("media/")) {
        const key = entry.name.slice("media/".length);
        if (config.media.store === "postgres") await repo.insertBlobIfMissing(target.db(), key, entry.data);
        else await fileStore.put(key, entry.data);
        blobs++;
      } else if (entry.name.startsWith("secrets/")) {
        const name = entry.name.slice("secrets/".length);
        await mkdir(config.dataDir, { recursive: true });
        // A secret already in place (this machine's own) wins; JWT_SECRET / VAPID_* in the environment win over both.
        const wrote = await writeFile(path.join(config.dataDir, name), entry.data, { mode: 0o600, flag: "wx" }).then(
          () => true,
          (err: unknown) => {
            if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
            throw err;
          },
        );
        if (wrote) lines.push(`restored ${name} into ${config.dataDir}`);
      }
    }
    // A backup of MEDIA_STORE=postgres restored where images are files: the blobs leave the table for DATA_DIR/media.
    if (manifest.media_store === "postgres" && config.media.store === "filesystem") {
      for (let after = "", page; (page = await repo.findBlobPage(target.db(), after, 100)).length; after = page[page.length - 1]!.key) {
        for (const blob of page) await fileStore.put(blob.key, blob.bytes);
        blobs += page.length;
      }
    }
    failed = false;
  } finally {
    await target.close(failed);
  }
  const c = manifest.counts;
  lines.push(
    `restored ${manifest.database.kind} backup of ${manifest.created_at} (Telegraph ${manifest.telegraph_version}, migration ${manifest.database.migration ?? "none"}) into ${target.description}`,
    `  ${c.users} users, ${c.messages} messages, ${c.tweets} tweets, ${c.media} media; ${blobs} image file(s) into the ${config.media.store} store`,
    "start Telegraph as usual: it applies any newer migrations",
  );
  return { manifest, lines };
}

/** First pass: the manifest parses, its format and migration are ones this code restores, and every checksum matches. */
async function verify(file: string): Promise<Manifest> {
  const actual = new Map<string, string>();
  let raw: Buffer | undefined;
  try {
    for await (const entry of readTar(file)) {
      if (entry.name === "manifest.json") raw = entry.data;
      else actual.set(entry.name, sha256(entry.data));
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw new RestoreRefused(`${file}: ${err.message}`);
    throw err;
  }
  if (!raw) throw new RestoreRefused(`${file} has no manifest.json: not a Telegraph backup`);
  let manifest: Manifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(raw.toString("utf8")));
  } catch {
    throw new RestoreRefused(`${file}: its manifest.json is not a Telegraph backup manifest`);
  }
  const problem = manifestProblem(manifest, actual);
  if (problem) throw new RestoreRefused(`${file}: ${problem}`);
  for (const name of actual.keys()) {
    if (name.startsWith("media/") && !/^media\/[0-9a-f]{64}$/.test(name)) throw new RestoreRefused(`${file}: unexpected entry ${name}`);
    // Images are named by their hash: one whose bytes are not its name would be served in place of another.
    if (name.startsWith("media/") && actual.get(name) !== name.slice("media/".length)) throw new RestoreRefused(`${file}: ${name} does not match its hash`);
    if (name.startsWith("secrets/") && !SECRET_FILES.some((s) => name === `secrets/${s}`)) throw new RestoreRefused(`${file}: unexpected entry ${name}`);
  }
  return manifest;
}
