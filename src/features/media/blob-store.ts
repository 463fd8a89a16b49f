import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Queryable } from "../../db/db.ts";

/**
 * Where image bytes live, by content hash (MEDIA_STORE): files under DATA_DIR (the default) or rows in the database
 * (PgBlobStore); an S3-compatible store would implement the same. `tx` is the transaction holding the blob's lock: a
 * database store writes in it (on the embedded database it is the only connection), a file store ignores it.
 */
export interface BlobStore {
  /** Stores bytes under key; atomic: readers see the whole blob or none. Storing an existing key again is harmless. */
  put(key: string, bytes: Buffer, tx: Queryable): Promise<void>;
  /** The bytes, or null when there is no such blob. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string, tx: Queryable): Promise<void>;
}

/** Blobs as files under root/ab/cd/<key>, written to a temporary name and renamed into place. */
export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private file(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`not a blob key: ${key}`);
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), key);
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temp, bytes);
    await rename(temp, file);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.file(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.file(key), { force: true });
  }
}
