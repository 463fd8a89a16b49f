import type { Queryable } from "../../db/db.ts";
import type { ImageType } from "./sniff.ts";

export interface MediaRow {
  id: string;
  owner_id: string;
  sha256: string;
  type: ImageType;
  size: number;
  width: number;
  height: number;
  created_at: Date;
}

export async function insertMedia(db: Queryable, row: Omit<MediaRow, "created_at">): Promise<MediaRow> {
  const rows = await db.query<MediaRow>(
    `INSERT INTO media (id, owner_id, sha256, type, size, width, height) VALUES ($1, $2, $3, $4, $5, $6, $7)
     RETURNING id, owner_id, sha256, type, size, width, height, created_at`,
    [row.id, row.owner_id, row.sha256, row.type, row.size, row.width, row.height],
  );
  return rows[0]!;
}

export async function findMedia(db: Queryable, id: string): Promise<MediaRow | undefined> {
  const rows = await db.query<MediaRow>(
    "SELECT id, owner_id, sha256, type, size, width, height, created_at FROM media WHERE id = $1",
    [id],
  );
  return rows[0];
}

export async function findMediaByIds(db: Queryable, ids: readonly string[]): Promise<MediaRow[]> {
  if (ids.length === 0) return [];
  return db.query<MediaRow>(
    "SELECT id, owner_id, sha256, type, size, width, height, created_at FROM media WHERE id = ANY($1::text[])",
    [ids],
  );
}

/** Serialises blob writes and deletions of one content hash across transactions and nodes. */
export async function lockBlob(db: Queryable, sha256: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`blob:${sha256}`]);
}

/** One thing that refers to an image, with what the viewer's access depends on. */
export interface MediaReference {
  kind: "avatar" | "message" | "tweet" | "story" | "group_message" | "group_photo";
  owner_id: string;
  /** For a message: the recipient; otherwise null. */
  other_id: string | null;
  owner_private: boolean;
  viewer_follows_owner: boolean;
  owner_blocked_viewer: boolean;
  viewer_blocked_owner: boolean;
  active: boolean;
}

/** Everything that refers to a media item, seen from one viewer, in one query. */
export async function findMediaReferences(db: Queryable, mediaId: string, viewerId: string): Promise<MediaReference[]> {
  return db.query<MediaReference>(
    `WITH refs AS (
       SELECT 'avatar' AS kind, u.id AS owner_id, NULL::text AS other_id, true AS active FROM users u WHERE u.photo_id = $1
       UNION ALL
       SELECT 'message', m.sender_id, m.recipient_id, true FROM messages m WHERE m.image_id = $1
       UNION ALL
       SELECT 'tweet', t.owner_id, NULL, true FROM tweets t WHERE t.image_id = $1
       UNION ALL
       SELECT 'story', s.owner_id, NULL, s.expires_at > now() FROM stories s WHERE s.image_id = $1
       UNION ALL
       -- active: the viewer is a member of the group now (a member who left or was removed loses its media).
       SELECT 'group_message', g.sender_id, NULL,
              EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = g.group_id AND gm.user_id = $2)
       FROM group_messages g WHERE g.image_id = $1
       UNION ALL
       SELECT 'group_photo', g.owner_id, NULL,
              EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = g.id AND gm.user_id = $2)
       FROM groups g WHERE g.photo_id = $1
     )
     SELECT r.kind, r.owner_id, r.other_id, r.active, o.is_private AS owner_private,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $2 AND f.followee_id = r.owner_id) AS viewer_follows_owner,
            EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = r.owner_id AND b.blocked_id = $2) AS owner_blocked_viewer,
            EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $2 AND b.blocked_id = r.owner_id) AS viewer_blocked_owner
     FROM refs r JOIN users o ON o.id = r.owner_id`,
    [mediaId, viewerId],
  );
}

/** Media rows older than the cutoff that nothing refers to, one content hash per entry. */
export async function findOrphanHashes(db: Queryable, createdBefore: Date, limit: number): Promise<string[]> {
  const rows = await db.query<{ sha256: string }>(
    `SELECT DISTINCT m.sha256 FROM media m
     WHERE m.created_at < $1
       AND NOT EXISTS (SELECT 1 FROM users u WHERE u.photo_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM messages x WHERE x.image_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM tweets t WHERE t.image_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.image_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM group_messages g WHERE g.image_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM groups g WHERE g.photo_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM report_media r WHERE r.media_id = m.id)
     LIMIT $2`,
    [createdBefore, limit],
  );
  return rows.map((r) => r.sha256);
}

/** Deletes the orphan rows of one hash; returns how many went and how many rows of that hash remain. */
export async function deleteOrphansOfHash(
  db: Queryable,
  sha256: string,
  createdBefore: Date,
): Promise<{ deleted: number; remaining: number }> {
  const deleted = await db.query(
    `DELETE FROM media m
     WHERE m.sha256 = $1 AND m.created_at < $2
       AND NOT EXISTS (SELECT 1 FROM users u WHERE u.photo_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM messages x WHERE x.image_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM tweets t WHERE t.image_id = m.id)
       AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.image_id = m.id)
       -- A report keeps the images of the content it is about (the evidence outlives the content).
       AND NOT EXISTS (SELECT 1 FROM report_media r WHERE r.media_id = m.id)
     RETURNING m.id`,
    [sha256, createdBefore],
  );
  const remaining = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM media WHERE sha256 = $1", [sha256]);
  return { deleted: deleted.length, remaining: remaining[0]?.n ?? 0 };
}

/** Stores a blob's bytes once: a second write of the same content address changes nothing. */
export async function insertBlob(db: Queryable, key: string, bytes: Buffer): Promise<void> {
  await db.query("INSERT INTO blobs (key, bytes, size) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING", [key, bytes, bytes.length]);
}

/** A blob's bytes (PGlite answers a Uint8Array, the pg driver a Buffer), or undefined. */
export async function findBlob(db: Queryable, key: string): Promise<Uint8Array | undefined> {
  const rows = await db.query<{ bytes: Uint8Array }>("SELECT bytes FROM blobs WHERE key = $1", [key]);
  return rows[0]?.bytes;
}

export async function deleteBlob(db: Queryable, key: string): Promise<void> {
  await db.query("DELETE FROM blobs WHERE key = $1", [key]);
}
