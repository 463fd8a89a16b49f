import type { Db } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { Metrics } from "../../metrics.ts";
import type { Clock } from "../../shared/clock.ts";
import { backoffMs } from "./backoff.ts";
import { jobPayloads, type JobHandlers, type JobKind } from "./jobs.ts";
import * as repo from "./repo.ts";
import type { ClaimedJob } from "./repo.ts";

export interface OutboxSettings {
  pollMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claimed job belongs to its worker; longer than any send may take (the mailer's timeouts). */
  leaseMs: number;
  batchSize: number;
}

export interface WorkerDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  settings: OutboxSettings;
  handlers: JobHandlers;
}

/**
 * One per node: claims due jobs every `pollMs` (at once when woken), runs each with its kind's handler, deletes it when
 * done, reschedules it with exponential backoff when it fails, and drops it with a log line after `maxAttempts`.
 * Delivery is at least once: a worker that dies mid-job leaves the job to whoever claims it after the lease.
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;
  private failing = false;

  constructor(private readonly deps: WorkerDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a poll now (or right after the one in progress). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling and waits for the jobs in hand to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    let full = false;
    this.running = this.poll().then(
      (n) => void (full = n === this.deps.settings.batchSize),
      (err: unknown) => this.pollFailed(err),
    );
    await this.running;
    this.running = undefined;
    if (this.stopped) return;
    const again = this.again || full;
    this.again = false;
    this.schedule(again ? 0 : this.deps.settings.pollMs);
  }

  /** Claims one batch and runs it; resolves with how many jobs it claimed. */
  async poll(): Promise<number> {
    const { db, clock, settings } = this.deps;
    const now = clock.now();
    const jobs = await repo.claimJobs(db, new Date(now), new Date(now + settings.leaseMs), settings.batchSize);
    if (this.failing) this.deps.log.info("outbox worker polling again");
    this.failing = false;
    await Promise.all(jobs.map((job) => this.run(job)));
    return jobs.length;
  }

  // The database is unreachable: logged once per outage, and the next poll tries again.
  private pollFailed(err: unknown): void {
    if (!this.failing) this.deps.log.error({ err }, "outbox worker cannot poll; retrying");
    this.failing = true;
  }

  private async run(job: ClaimedJob): Promise<void> {
    const { db, log, settings } = this.deps;
    const kind = job.kind as JobKind;
    const schema = jobPayloads[kind] as (typeof jobPayloads)[JobKind] | undefined;
    const parsed = schema?.safeParse(job.payload);
    if (!schema || !parsed?.success) return this.drop(job, new Error(`unknown job kind or payload of kind "${job.kind}"`));
    // Claimed once more after its last attempt's worker died: that was the last attempt.
    if (job.attempts > settings.maxAttempts) return this.drop(job, new Error("the last attempt's worker stopped mid-job"));
    try {
      await (this.deps.handlers[kind] as (payload: unknown) => Promise<void>)(parsed.data);
    } catch (err) {
      return this.failed(job, err);
    }
    this.deps.metrics.outboxSent.inc({ kind: job.kind });
    if (!(await repo.deleteJob(db, job))) log.warn({ jobId: job.id, kind: job.kind }, "outbox job finished after its lease ran out");
  }

  private async failed(job: ClaimedJob, err: unknown): Promise<void> {
    const { db, clock, log, metrics, settings } = this.deps;
    metrics.outboxFailures.inc({ kind: job.kind });
    if (job.attempts >= settings.maxAttempts) return this.drop(job, err);
    const delay = backoffMs(job.attempts, settings.backoffBaseMs, settings.backoffMaxMs);
    log.warn({ err, jobId: job.id, kind: job.kind, attempts: job.attempts, retryInMs: delay }, "outbox job failed; will retry");
    await repo.rescheduleJob(db, job, new Date(clock.now() + delay), errorText(err));
  }

  private async drop(job: ClaimedJob, err: unknown): Promise<void> {
    this.deps.metrics.outboxDropped.inc({ kind: job.kind });
    this.deps.log.error({ err, jobId: job.id, kind: job.kind, attempts: job.attempts }, "outbox job dropped");
    await repo.deleteJob(this.deps.db, job);
  }
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 1000);
}
