import type { Queryable } from "../../db/db.ts";

/** A job as a worker holds it after claiming it: `attempts` counts this claim and fences the worker's answer. */
export interface ClaimedJob {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  created_at: Date;
}

/** Writes a job; pass the transaction of the change that causes it, so the job exists exactly when the change does. */
export async function insertJob(db: Queryable, job: { id: string; kind: string; payload: unknown; runAt: Date }): Promise<void> {
  await db.query("INSERT INTO jobs (id, kind, payload, run_at) VALUES ($1, $2, $3::jsonb, $4)", [
    job.id,
    job.kind,
    JSON.stringify(job.payload),
    job.runAt,
  ]);
}

/**
 * Claims up to `limit` jobs due at `now`, oldest first, for a lease ending at `leaseUntil`. Rows another worker is
 * claiming are skipped (SKIP LOCKED), so workers on several nodes never take the same job while its lease runs.
 */
export async function claimJobs(db: Queryable, now: Date, leaseUntil: Date, limit: number): Promise<ClaimedJob[]> {
  return db.query<ClaimedJob>(
    `UPDATE jobs j SET run_at = $2, attempts = j.attempts + 1
     FROM (SELECT id FROM jobs WHERE run_at <= $1 ORDER BY run_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
     WHERE j.id = due.id
     RETURNING j.id, j.kind, j.payload, j.attempts, j.created_at`,
    [now, leaseUntil, limit],
  );
}

/** Removes a job that is done (or dropped); false when the claim was lost (the lease ran out and another worker took it). */
export async function deleteJob(db: Queryable, job: { id: string; attempts: number }): Promise<boolean> {
  const rows = await db.query("DELETE FROM jobs WHERE id = $1 AND attempts = $2 RETURNING id", [job.id, job.attempts]);
  return rows.length > 0;
}

/** Releases a failed job to run again at `runAt`, keeping its error; false when the claim was lost. */
export async function rescheduleJob(db: Queryable, job: { id: string; attempts: number }, runAt: Date, error: string): Promise<boolean> {
  const rows = await db.query("UPDATE jobs SET run_at = $3, last_error = $4 WHERE id = $1 AND attempts = $2 RETURNING id", [
    job.id,
    job.attempts,
    runAt,
    error,
  ]);
  return rows.length > 0;
}

/** Jobs waiting or running, by kind (the queue-depth gauge). */
export async function countJobsByKind(db: Queryable): Promise<{ kind: string; n: number }[]> {
  return db.query<{ kind: string; n: number }>("SELECT kind, count(*)::int AS n FROM jobs GROUP BY kind");
}
