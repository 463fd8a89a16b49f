import type { Queryable } from "../../db/db.ts";
import { groupByUser } from "../../db/group.ts";

/** Everything about two users' relation, seen from `me`, in one query. */
export interface RelationRow {
  exists: boolean;
  is_private: boolean;
  i_follow: boolean;
  they_follow: boolean;
  i_requested: boolean;
  i_blocked: boolean;
  they_blocked: boolean;
}

export async function findRelation(db: Queryable, me: string, other: string): Promise<RelationRow> {
  const rows = await db.query<Omit<RelationRow, "exists"> & { exists: boolean | null }>(
    `SELECT u.id IS NOT NULL AS exists, COALESCE(u.is_private, false) AS is_private,
            EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2) AS i_follow,
            EXISTS (SELECT 1 FROM follows WHERE follower_id = $2 AND followee_id = $1) AS they_follow,
            EXISTS (SELECT 1 FROM follow_requests WHERE requester_id = $1 AND target_id = $2) AS i_requested,
            EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2) AS i_blocked,
            EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $2 AND blocked_id = $1) AS they_blocked
     FROM (SELECT 1) one LEFT JOIN users u ON u.id = $2 AND u.deleted_at IS NULL`, // a deleted account: no one to follow or block
    [me, other],
  );
  const row = rows[0]!;
  return { ...row, exists: row.exists === true };
}

/** Creates the follow; false when it existed already. */
export async function insertFollow(db: Queryable, follower: string, followee: string): Promise<boolean> {
  const rows = await db.query(
    "INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
    [follower, followee],
  );
  return rows.length === 1;
}

export async function insertFollowRequest(db: Queryable, requester: string, target: string): Promise<boolean> {
  const rows = await db.query(
    "INSERT INTO follow_requests (requester_id, target_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
    [requester, target],
  );
  return rows.length === 1;
}

/** Removes a follow and a pending request from follower to followee; reports what there was. */
export async function deleteFollowAndRequest(
  db: Queryable,
  follower: string,
  followee: string,
): Promise<{ follow: boolean; request: boolean }> {
  const follow = await db.query("DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2 RETURNING 1", [follower, followee]);
  const request = await db.query("DELETE FROM follow_requests WHERE requester_id = $1 AND target_id = $2 RETURNING 1", [
    follower,
    followee,
  ]);
  return { follow: follow.length > 0, request: request.length > 0 };
}

/** Removes the request from requester to target; false when there was none. */
export async function deleteFollowRequest(db: Queryable, requester: string, target: string): Promise<boolean> {
  const rows = await db.query("DELETE FROM follow_requests WHERE requester_id = $1 AND target_id = $2 RETURNING 1", [requester, target]);
  return rows.length > 0;
}

/** Turns every pending request to `target` into a follow; returns the requesters. */
export async function acceptAllRequests(db: Queryable, target: string): Promise<string[]> {
  const rows = await db.query<{ requester_id: string }>(
    `WITH accepted AS (DELETE FROM follow_requests WHERE target_id = $1 RETURNING requester_id, created_at)
     INSERT INTO follows (follower_id, followee_id, created_at)
     SELECT requester_id, $1, now() FROM accepted ON CONFLICT DO NOTHING
     RETURNING follower_id AS requester_id`,
    [target],
  );
  return rows.map((r) => r.requester_id);
}

export async function setPrivate(db: Queryable, userId: string, isPrivate: boolean): Promise<void> {
  await db.query("UPDATE users SET is_private = $2 WHERE id = $1", [userId, isPrivate]);
}

export async function findIsPrivate(db: Queryable, userId: string): Promise<boolean | undefined> {
  const rows = await db.query<{ is_private: boolean }>("SELECT is_private FROM users WHERE id = $1", [userId]);
  return rows[0]?.is_private;
}

export interface SummaryRow {
  id: string;
  name: string;
  family: string;
  username: string;
  photo_id: string | null;
  at: Date;
}

const SUMMARY = "u.id, u.name, u.family, u.username, u.photo_id";

/** Whom a user follows, newest first, without the people who blocked the viewer (they are invisible to them). */
export function findFollowing(db: Queryable, viewer: string, userId: string, limit: number, offset: number): Promise<SummaryRow[]> {
  return db.query<SummaryRow>(
    `SELECT ${SUMMARY}, f.created_at AS at FROM follows f JOIN users u ON u.id = f.followee_id
     WHERE f.follower_id = $1 AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = u.id AND b.blocked_id = $4)
     ORDER BY f.created_at DESC, f.followee_id LIMIT $2 OFFSET $3`,
    [userId, limit, offset, viewer],
  );
}

/** Who follows a user, newest first, without the people who blocked the viewer. */
export function findFollowers(db: Queryable, viewer: string, userId: string, limit: number, offset: number): Promise<SummaryRow[]> {
  return db.query<SummaryRow>(
    `SELECT ${SUMMARY}, f.created_at AS at FROM follows f JOIN users u ON u.id = f.follower_id
     WHERE f.followee_id = $1 AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = u.id AND b.blocked_id = $4)
     ORDER BY f.created_at DESC, f.follower_id LIMIT $2 OFFSET $3`,
    [userId, limit, offset, viewer],
  );
}

/** Pending requests to a user, newest first. */
export function findFollowRequests(db: Queryable, target: string, limit: number): Promise<SummaryRow[]> {
  return db.query<SummaryRow>(
    `SELECT ${SUMMARY}, r.created_at AS at FROM follow_requests r JOIN users u ON u.id = r.requester_id
     WHERE r.target_id = $1 ORDER BY r.created_at DESC LIMIT $2`,
    [target, limit],
  );
}

/** Whom a user blocked, newest first. */
export function findBlocked(db: Queryable, blocker: string, limit: number): Promise<SummaryRow[]> {
  return db.query<SummaryRow>(
    `SELECT ${SUMMARY}, b.created_at AS at FROM blocks b JOIN users u ON u.id = b.blocked_id
     WHERE b.blocker_id = $1 ORDER BY b.created_at DESC LIMIT $2`,
    [blocker, limit],
  );
}

/** Whom each of these users follows (one query for a batch of connections). */
export async function findFollowingIdsOf(db: Queryable, userIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await db.query<{ for_user: string; followee_id: string }>(
    "SELECT follower_id AS for_user, followee_id FROM follows WHERE follower_id = ANY($1::text[])",
    [userIds],
  );
  return groupByUser(userIds, rows, (r) => r.followee_id);
}

/** Blocks or unblocks; blocking also removes follows both ways and pending requests both ways. Returns the new state. */
export async function toggleBlock(
  db: Queryable,
  blocker: string,
  blocked: string,
): Promise<{ blocked: boolean; removedFollows: { follower: string; followee: string }[] }> {
  const removed = await db.query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2 RETURNING 1", [blocker, blocked]);
  if (removed.length > 0) return { blocked: false, removedFollows: [] };
  await db.query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [blocker, blocked]);
  const follows = await db.query<{ follower_id: string; followee_id: string }>(
    `DELETE FROM follows WHERE (follower_id = $1 AND followee_id = $2) OR (follower_id = $2 AND followee_id = $1)
     RETURNING follower_id, followee_id`,
    [blocker, blocked],
  );
  await db.query(
    `DELETE FROM follow_requests WHERE (requester_id = $1 AND target_id = $2) OR (requester_id = $2 AND target_id = $1)`,
    [blocker, blocked],
  );
  return { blocked: true, removedFollows: follows.map((f) => ({ follower: f.follower_id, followee: f.followee_id })) };
}

/**
 * Deletes an account's follows, follow requests and blocks, both ways; returns the follows that went and whom it had
 * asked to follow (their request inboxes change).
 */
export async function deleteRelationsOf(
  db: Queryable,
  userId: string,
): Promise<{ follows: { follower: string; followee: string }[]; requestedFrom: string[] }> {
  const follows = await db.query<{ follower_id: string; followee_id: string }>(
    "DELETE FROM follows WHERE follower_id = $1 OR followee_id = $1 RETURNING follower_id, followee_id",
    [userId],
  );
  const requests = await db.query<{ requester_id: string; target_id: string }>(
    "DELETE FROM follow_requests WHERE requester_id = $1 OR target_id = $1 RETURNING requester_id, target_id",
    [userId],
  );
  await db.query("DELETE FROM blocks WHERE blocker_id = $1 OR blocked_id = $1", [userId]);
  return {
    follows: follows.map((f) => ({ follower: f.follower_id, followee: f.followee_id })),
    requestedFrom: requests.filter((r) => r.requester_id === userId).map((r) => r.target_id),
  };
}

export type RelationList = "followers" | "following" | "blocked";

const RELATION_PAGES: Record<RelationList, { table: string; self: string; other: string }> = {
  followers: { table: "follows", self: "followee_id", other: "follower_id" },
  following: { table: "follows", self: "follower_id", other: "followee_id" },
  blocked: { table: "blocks", self: "blocker_id", other: "blocked_id" },
};

/** One of an account's lists by keyset on the other user's id (the export walks them whole). */
export function findRelationPage(db: Queryable, list: RelationList, userId: string, after: string | null, limit: number): Promise<SummaryRow[]> {
  // Table and column names come from the fixed map above, never from input.
  const { table, self, other } = RELATION_PAGES[list];
  return db.query<SummaryRow>(
    `SELECT ${SUMMARY}, r.created_at AS at FROM ${table} r JOIN users u ON u.id = r.${other}
     WHERE r.${self} = $1 AND ($2::text IS NULL OR r.${other} > $2) ORDER BY r.${other} LIMIT $3`,
    [userId, after, limit],
  );
}
