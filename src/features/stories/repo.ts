import type { Queryable } from "../../db/db.ts";
import { groupByUser } from "../../db/group.ts";

export interface StoryRow {
  id: string;
  owner_id: string;
  added_at: Date;
  expires_at: Date;
  seen: boolean;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
}

/** A story's columns as the viewer (an SQL expression) sees them. */
const storyColumns = (viewer: string) => `s.id, s.owner_id, s.added_at, s.expires_at,
  EXISTS (SELECT 1 FROM story_views v WHERE v.story_id = s.id AND v.viewer_id = ${viewer}) AS seen,
  u.name, u.family, u.username, u.photo_id`;
const STORY_COLUMNS = storyColumns("$1");

export async function insertStory(
  db: Queryable,
  story: { id: string; owner_id: string; image_id: string; added_at: Date; expires_at: Date },
): Promise<void> {
  await db.query("INSERT INTO stories (id, owner_id, image_id, added_at, expires_at) VALUES ($1, $2, $3, $4, $5)", [
    story.id,
    story.owner_id,
    story.image_id,
    story.added_at,
    story.expires_at,
  ]);
}

/** One story seen by `viewer`; a suspended account's stories are hidden from everyone but itself. */
export async function findStory(db: Queryable, viewer: string, id: string): Promise<StoryRow | undefined> {
  const rows = await db.query<StoryRow>(
    `SELECT ${STORY_COLUMNS} FROM stories s JOIN users u ON u.id = s.owner_id WHERE s.id = $2 AND (u.suspended_at IS NULL OR u.id = $1)`,
    [viewer, id],
  );
  return rows[0];
}

/** A story with what deciding whether `viewer` may see it depends on. */
export interface StoryAccessRow {
  id: string;
  owner_id: string;
  image_id: string;
  expires_at: Date;
  i_follow: boolean;
  blocked: boolean;
}

export async function findStoryAccess(db: Queryable, viewer: string, id: string): Promise<StoryAccessRow | undefined> {
  const rows = await db.query<StoryAccessRow>(
    `SELECT s.id, s.owner_id, s.image_id, s.expires_at,
            EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.followee_id = s.owner_id) AS i_follow,
            EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $1 AND b.blocked_id = s.owner_id)
                                            OR (b.blocker_id = s.owner_id AND b.blocked_id = $1)) AS blocked
     FROM stories s WHERE s.id = $2
       AND NOT EXISTS (SELECT 1 FROM users x WHERE x.id = s.owner_id AND x.suspended_at IS NOT NULL AND x.id <> $1)`,
    [viewer, id],
  );
  return rows[0];
}

/**
 * The unexpired stories of everyone each viewer follows and their own, with whether they saw each (uses (owner_id,
 * expires_at)); several viewers in one query (connections arriving together).
 */
export async function findFollowingStoriesOf(db: Queryable, viewers: readonly string[], now: Date): Promise<Map<string, StoryRow[]>> {
  const rows = await db.query<StoryRow & { for_user: string }>(
    `SELECT r.viewer AS for_user, s.* FROM unnest($1::text[]) AS r(viewer)
     CROSS JOIN LATERAL (
       SELECT ${storyColumns("r.viewer")}
       FROM (
         SELECT followee_id AS owner_id FROM follows
         WHERE follower_id = r.viewer AND NOT EXISTS (SELECT 1 FROM users x WHERE x.id = followee_id AND x.suspended_at IS NOT NULL)
         UNION ALL SELECT r.viewer
       ) o
       JOIN stories s ON s.owner_id = o.owner_id AND s.expires_at > $2
       JOIN users u ON u.id = s.owner_id
     ) s`,
    [viewers, now],
  );
  return groupByUser(viewers, rows);
}

/** Records a view once per viewer, with its time. */
export async function recordView(db: Queryable, storyId: string, viewer: string, at: Date): Promise<void> {
  await db.query("INSERT INTO story_views (story_id, viewer_id, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [storyId, viewer, at]);
}

export interface ViewerRow {
  id: string;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
  seen_at: Date;
}

/** Who saw a story, newest first, without the viewers who have since blocked its owner (invisible to the owner). */
export function findViewers(db: Queryable, owner: string, storyId: string): Promise<ViewerRow[]> {
  return db.query<ViewerRow>(
    `SELECT u.id, u.name, u.family, u.username, u.photo_id, v.seen_at
     FROM story_views v JOIN users u ON u.id = v.viewer_id
     WHERE v.story_id = $1 AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = u.id AND b.blocked_id = $2)
     ORDER BY v.seen_at DESC, v.viewer_id`,
    [storyId, owner],
  );
}

export async function deleteStory(db: Queryable, id: string): Promise<void> {
  await db.query("DELETE FROM stories WHERE id = $1", [id]);
}

/** Deletes a story whoever owns it (moderation); its owner, or undefined when it was gone already. */
export async function deleteStoryReturningOwner(db: Queryable, id: string): Promise<string | undefined> {
  const rows = await db.query<{ owner_id: string }>("DELETE FROM stories WHERE id = $1 RETURNING owner_id", [id]);
  return rows[0]?.owner_id;
}

/** Deletes stories that expired (their views go with them; the media sweep reclaims the images). */
export async function deleteExpired(db: Queryable, now: Date): Promise<number> {
  const rows = await db.query("DELETE FROM stories WHERE expires_at <= $1 RETURNING 1", [now]);
  return rows.length;
}

/** Deletes an account's stories (their views go with them) and its views of others' stories; returns its stories' ids. */
export async function deleteStoriesAndViewsOf(db: Queryable, userId: string): Promise<string[]> {
  await db.query("DELETE FROM story_views WHERE viewer_id = $1", [userId]);
  const rows = await db.query<{ id: string }>("DELETE FROM stories WHERE owner_id = $1 RETURNING id", [userId]);
  return rows.map((r) => r.id);
}

/** An account's unexpired stories with their image ids, oldest first (the export; a handful per day). */
export function findLiveStoriesOf(db: Queryable, ownerId: string, now: Date): Promise<{ id: string; image_id: string; added_at: Date; expires_at: Date }[]> {
  return db.query<{ id: string; image_id: string; added_at: Date; expires_at: Date }>(
    "SELECT id, image_id, added_at, expires_at FROM stories WHERE owner_id = $1 AND expires_at > $2 ORDER BY owner_id, expires_at",
    [ownerId, now],
  );
}
