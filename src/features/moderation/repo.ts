import type { Queryable } from "../../db/db.ts";
import type { ReportStatus, Role } from "./policy.ts";

export interface StandingRow {
  id: string;
  username: string;
  role: Role;
  suspended_at: Date | null;
}

/** Role and suspension of these users (one query for a batch of connections). */
export async function findStandings(db: Queryable, ids: readonly string[]): Promise<StandingRow[]> {
  return db.query<StandingRow>("SELECT id, username, role, suspended_at FROM users WHERE id = ANY($1::text[])", [ids]);
}

/** Locks the admins' rows and counts them, so two demotions at once cannot leave none. */
export async function lockAdmins(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin' ORDER BY id FOR UPDATE");
  return rows.map((r) => r.id);
}

export async function updateRole(db: Queryable, userId: string, role: Role): Promise<void> {
  await db.query("UPDATE users SET role = $2 WHERE id = $1", [userId, role]);
}

/** Suspends an account that is not suspended yet; false when it already was (nothing changes). */
export async function markSuspended(db: Queryable, userId: string, at: Date, reason: string | null): Promise<boolean> {
  const rows = await db.query(
    "UPDATE users SET suspended_at = $2, suspension_reason = $3 WHERE id = $1 AND suspended_at IS NULL RETURNING id",
    [userId, at, reason],
  );
  return rows.length === 1;
}

/** Lifts a suspension; false when the account was not suspended. */
export async function clearSuspension(db: Queryable, userId: string): Promise<boolean> {
  const rows = await db.query(
    "UPDATE users SET suspended_at = NULL, suspension_reason = NULL WHERE id = $1 AND suspended_at IS NOT NULL RETURNING id",
    [userId],
  );
  return rows.length === 1;
}

export interface ReportRow {
  id: string;
  reporter_id: string | null;
  target_kind: string;
  target_id: string;
  author_id: string | null;
  reason: string;
  text: string | null;
  snapshot: unknown;
  status: ReportStatus;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
  action: string | null;
  note: string | null;
}

const REPORT_COLUMNS =
  "id, reporter_id, target_kind, target_id, author_id, reason, text, snapshot, status, created_at, resolved_at, resolved_by, action, note";

export interface NewReport {
  id: string;
  reporter_id: string;
  target_kind: string;
  target_id: string;
  author_id: string | null;
  reason: string;
  text: string | null;
  snapshot: unknown;
  created_at: Date;
  image_ids: readonly string[];
}

/**
 * Inserts a report and the images its snapshot keeps; undefined when the reporter has an open report on this target
 * already (the unique index decides, under races too).
 */
export async function insertReport(db: Queryable, report: NewReport): Promise<ReportRow | undefined> {
  const rows = await db.query<ReportRow>(
    `INSERT INTO reports (id, reporter_id, target_kind, target_id, author_id, reason, text, snapshot, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9)
     ON CONFLICT (reporter_id, target_kind, target_id) WHERE status = 'open' DO NOTHING
     RETURNING ${REPORT_COLUMNS}`,
    [report.id, report.reporter_id, report.target_kind, report.target_id, report.author_id, report.reason, report.text, JSON.stringify(report.snapshot), report.created_at],
  );
  if (rows.length === 0) return undefined;
  if (report.image_ids.length > 0) {
    await db.query("INSERT INTO report_media (report_id, media_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING", [report.id, report.image_ids]);
  }
  return rows[0];
}

/** The reporter's open report on this target. */
export async function findOpenReport(db: Queryable, reporterId: string, kind: string, targetId: string): Promise<ReportRow | undefined> {
  const rows = await db.query<ReportRow>(
    `SELECT ${REPORT_COLUMNS} FROM reports WHERE reporter_id = $1 AND target_kind = $2 AND target_id = $3 AND status = 'open'`,
    [reporterId, kind, targetId],
  );
  return rows[0];
}

export async function findReport(db: Queryable, id: string): Promise<ReportRow | undefined> {
  const rows = await db.query<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM reports WHERE id = $1`, [id]);
  return rows[0];
}

/** Reports of one status, newest first, before a report id (keyset on reports_status_idx). */
export async function findReportPage(db: Queryable, status: ReportStatus, before: string | undefined, limit: number): Promise<ReportRow[]> {
  return db.query<ReportRow>(
    `SELECT ${REPORT_COLUMNS} FROM reports WHERE status = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
    [status, before ?? null, limit],
  );
}

/** Closes an open report; undefined when it was resolved already (a second moderator lost the race). */
export async function markResolved(
  db: Queryable,
  id: string,
  resolution: { at: Date; by: string | null; action: string; note: string | null },
): Promise<ReportRow | undefined> {
  const rows = await db.query<ReportRow>(
    `UPDATE reports SET status = 'resolved', resolved_at = $2, resolved_by = $3, action = $4, note = $5
     WHERE id = $1 AND status = 'open' RETURNING ${REPORT_COLUMNS}`,
    [id, resolution.at, resolution.by, resolution.action, resolution.note],
  );
  return rows[0];
}

export interface LogRow {
  id: string;
  actor_id: string | null;
  actor: "user" | "cli";
  action: string;
  target_user_id: string | null;
  report_id: string | null;
  details: unknown;
  created_at: Date;
}

export async function insertLogEntry(db: Queryable, entry: Omit<LogRow, "actor">): Promise<void> {
  await db.query(
    `INSERT INTO moderation_log (id, actor_id, actor, action, target_user_id, report_id, details, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
    [entry.id, entry.actor_id, entry.actor_id ? "user" : "cli", entry.action, entry.target_user_id, entry.report_id, JSON.stringify(entry.details), entry.created_at],
  );
}

/** The moderation log, newest first, before an entry id (keyset on the primary key). */
export async function findLogPage(db: Queryable, before: string | undefined, limit: number): Promise<LogRow[]> {
  return db.query<LogRow>(
    `SELECT id, actor_id, actor, action, target_user_id, report_id, details, created_at FROM moderation_log
     WHERE ($1::text IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
    [before ?? null, limit],
  );
}
