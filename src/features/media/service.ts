import { createHash } from "node:crypto";
import type { Config } from "../../config.ts";
import type { Db } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { BlobStore } from "./blob-store.ts";
import { processImage } from "./image.ts";
import { assertImageSize } from "./intake.ts";
import type { MediaLinks } from "./links.ts";
import { canSeeMedia } from "./policy.ts";
import { presentMediaRef, type MediaRef } from "./presenter.ts";
import * as repo from "./repo.ts";

export type MediaPurpose = "avatar" | "message" | "tweet" | "story" | "group_message";

export interface MediaDeps {
  db: Db;
  store: BlobStore;
  links: MediaLinks;
  config: Config["media"];
  clock: Clock;
  log: Logger;
}

/** The one way images come in (checked, stripped, stored once by content) and go out (to those allowed to see them). */
export class MediaService {
  constructor(private readonly deps: MediaDeps) {}

  /** Checks, re-encodes and stores an image for its owner; returns the reference replies carry. */
  async storeImage(ownerId: string, input: Buffer, purpose: MediaPurpose): Promise<MediaRef> {
    const { config, db, store } = this.deps;
    assertImageSize(input, config.maxBytes);
    const image = await processImage(input, {
      maxPixels: config.maxPixels,
      ...(purpose === "avatar" ? { fitWithin: config.avatarMaxSize } : {}),
    });
    const sha256 = createHash("sha256").update(image.bytes).digest("hex");
    const row = await db.transaction(async (tx) => {
      // Held until commit, so the sweep cannot delete this blob between the write and the row that keeps it.
      await repo.lockBlob(tx, sha256);
      await store.put(sha256, image.bytes, tx);
      return repo.insertMedia(tx, {
        id: newId(this.deps.clock.now()),
        owner_id: ownerId,
        sha256,
        type: image.type,
        size: image.bytes.length,
        width: image.width,
        height: image.height,
      });
    });
    return presentMediaRef(row, this.deps.links);
  }

  /** References for media rows by id (batch: one query for a whole list). */
  async refsByIds(ids: readonly string[]): Promise<Map<string, MediaRef>> {
    const rows = await repo.findMediaByIds(this.deps.db, [...new Set(ids)]);
    return new Map(rows.map((row) => [row.id, presentMediaRef(row, this.deps.links)]));
  }

  /** The URL of a media item (signed), for presenters that only hold an id. */
  url(mediaId: string): string {
    return this.deps.links.url(mediaId);
  }

  /** The image if the viewer may see it; `not_found` otherwise, exactly as for an id that does not exist. */
  async readForViewer(mediaId: string, viewer: { userId: string } | { signature: { exp: number; sig: string } }) {
    const row = await repo.findMedia(this.deps.db, mediaId);
    if (!row) throw new AppError("not_found", "No such media.");
    if ("signature" in viewer) {
      if (!this.deps.links.verify(mediaId, viewer.signature.exp, viewer.signature.sig)) {
        throw new AppError("not_found", "No such media.");
      }
    } else {
      const references = await repo.findMediaReferences(this.deps.db, mediaId, viewer.userId);
      if (!canSeeMedia(viewer.userId, row.owner_id, references)) throw new AppError("not_found", "No such media.");
    }
    const bytes = await this.deps.store.get(row.sha256);
    if (!bytes) {
      this.deps.log.error({ mediaId, sha256: row.sha256 }, "media row without its blob");
      throw new AppError("not_found", "No such media.");
    }
    return { bytes, type: row.type, etag: `"${row.sha256}"` };
  }

  /** The bytes of a media item, for replies that carry the image itself; authorization is the caller's. */
  async readBytes(mediaId: string): Promise<{ bytes: Buffer; type: string } | null> {
    const row = await repo.findMedia(this.deps.db, mediaId);
    const bytes = row ? await this.deps.store.get(row.sha256) : null;
    return row && bytes ? { bytes, type: row.type } : null;
  }

  /**
   * Removes media that nothing refers to and that is older than the grace period (a fresh upload is not referenced
   * yet), and each blob no row uses any more. Returns how many rows went.
   */
  async sweep(batch = 500): Promise<number> {
    const { db, store, clock, config } = this.deps;
    const cutoff = new Date(clock.now() - config.orphanGrace * 1000);
    let removed = 0;
    for (const sha256 of await repo.findOrphanHashes(db, cutoff, batch)) {
      removed += await db.transaction(async (tx) => {
        await repo.lockBlob(tx, sha256);
        const { deleted, remaining } = await repo.deleteOrphansOfHash(tx, sha256, cutoff);
        if (remaining === 0) await store.delete(sha256, tx);
        return deleted;
      });
    }
    if (removed) this.deps.log.info({ removed }, "media sweep removed orphans");
    return removed;
  }
}
