import { describe, expect, it } from "vitest";
import { BACKUP_FORMAT_VERSION, latestMigration, manifestProblem, sha256, type Manifest } from "./manifest.ts";

const dump = Buffer.from("-- dump");
const manifest = (overrides: Partial<Manifest> = {}, database: Partial<Manifest["database"]> = {}): Manifest => ({
  format: "telegraph-backup",
  format_version: BACKUP_FORMAT_VERSION,
  telegraph_version: "1.0.0",
  created_at: new Date().toISOString(),
  database: { kind: "embedded", server_version: "17.5", migration: latestMigration(), file: "database.sql", ...database },
  media_store: "filesystem",
  counts: { users: 0, messages: 0, tweets: 0, media: 0, blobs: 0 },
  checksums: { "database.sql": sha256(dump) },
  ...overrides,
});
const actual = new Map([["database.sql", sha256(dump)]]);

describe("manifest checks", () => {
  it("accepts a manifest whose entries all match", () => {
    expect(manifestProblem(manifest(), actual)).toBeNull();
  });

  it("refuses another format version, a newer migration, a changed, missing or unlisted entry", () => {
    expect(manifestProblem(manifest({ format_version: BACKUP_FORMAT_VERSION + 1 }), actual)).toMatch(/format 2 is not supported/);
    expect(manifestProblem(manifest({}, { migration: "9999_future.sql" }), actual)).toMatch(/newer than this Telegraph's/);
    expect(manifestProblem(manifest(), new Map([["database.sql", sha256(Buffer.from("other"))]]))).toMatch(/checksum mismatch for database.sql/);
    expect(manifestProblem(manifest(), new Map())).toMatch(/lacks database.sql/);
    expect(manifestProblem(manifest(), new Map([...actual, ["media/x", "y"]]))).toMatch(/holds media\/x, which its manifest does not list/);
  });
});
