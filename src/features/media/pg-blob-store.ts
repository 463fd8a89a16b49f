import type { Queryable } from "../../db/db.ts";
import type { BlobStore } from "./blob-store.ts";
import * as repo from "./repo.ts";

/**
 * Blobs as rows of the `blobs` table (MEDIA_STORE=postgres), so every node of a cluster serves every image without a
 * shared volume. Writes and deletions run in the caller's transaction: a blob commits with the media row that keeps it
 * and goes with the sweep's deletion, or neither does. A read loads the whole row — images are capped at MEDIA_MAX_BYTES,
 * so chunked reads out of PostgreSQL (large objects, substring paging) would buy little.
 */
export class PgBlobStore implements BlobStore {
  constructor(private readonly db: Queryable) {}

  async put(key: string, bytes: Buffer, tx: Queryable): Promise<void> {
    await repo.insertBlob(tx, key, bytes);
  }

  async get(key: string): Promise<Buffer | null> {
    const bytes = await repo.findBlob(this.db, key);
    if (!bytes) return null;
    return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async delete(key: string, tx: Queryable): Promise<void> {
    await repo.deleteBlob(tx, key);
  }
}
