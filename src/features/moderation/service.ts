import type { Db, Queryable } from "../../db/db.ts";
import type { Logger } from "../../logger.ts";
import type { Publisher } from "../../realtime/publish.ts";
import { moderatorsRoom } from "../../realtime/rooms.ts";
import { BatchLoader } from "../../shared/batch.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import { canSetRole, canSuspend, isAdmin, isStaff, type ReportStatus, type Role } from "./policy.ts";
import { presentLogEntry, presentReport, type LogEntry, type Report, type ResolveAction, type TargetKind } from "./presenter.ts";
import * as repo from "./repo.ts";
import { removeTarget, takeSnapshot, type TargetServices } from "./targets.ts";

export const REPORTS_PAGE = 50;
export const LOG_PAGE = 50;

export interface ModerationDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  publisher: Publisher;
  mediaUrl(mediaId: string): string;
  /** Drops every socket of the user on every node. */
  disconnectUser(userId: string): void;
  /** Resolved lazily: the other features' services are built alongside this one. */
  targets(): TargetServices;
  /** The user id of a username (lower-cased), through the people feature. */
  idByUsername(username: string): Promise<string | undefined>;
}

export interface Standing {
  role: Role;
  suspended: boolean;
}

/**
 * Roles, reports, suspension and the moderation log. Every method that acts takes the acting user's id, or null for
 * the command line (`npm run admin`), which may do anything and is logged as actor "cli".
 */
export class ModerationService {
  // Read on every connection (the moderators room): connections arriving together share the query.
  private readonly standings = new BatchLoader<string, repo.StandingRow>(async (ids) =>
    new Map((await repo.findStandings(this.deps.db, ids)).map((r) => [r.id, r])),
  );

  constructor(private readonly deps: ModerationDeps) {}

  private readonly mediaUrl = (id: string) => this.deps.mediaUrl(id);

  /** A user's role and whether they are suspended; undefined for an unknown user. */
  async standing(userId: string): Promise<Standing | undefined> {
    const row = await this.standings.load(userId);
    return row ? { role: row.role, suspended: row.suspended_at !== null } : undefined;
  }

  /** The id of the account with this username (any case), or undefined. For the command line. */
  async userIdByUsername(username: string): Promise<string | undefined> {
    return this.deps.idByUsername(username.toLowerCase());
  }

  /**
   * Gives a user a role (admins only; null actor = CLI). Taking the last admin's role away is refused (`conflict`),
   * for an admin demoting themself too. Their live sockets join or leave the moderators room at once.
   */
  async setRole(actorId: string | null, userId: string, role: Role): Promise<{ user_id: string; role: Role }> {
    const { db, clock } = this.deps;
    if (actorId) await this.requireRole(actorId, isAdmin);
    const previous = await db.transaction(async (tx) => {
      const admins = await repo.lockAdmins(tx);
      const [actor, target] = await this.load(tx, actorId, userId);
      const verdict = canSetRole(actor, target, role, admins.length);
      if (verdict === "forbidden") throw new AppError("forbidden", "Only admins grant and take roles.");
      if (verdict === "last_admin") throw new AppError("conflict", "This is the last admin; make another admin first.");
      if (target.role === role) return role;
      await repo.updateRole(tx, userId, role);
      await this.record(tx, actorId, "set_role", { target: userId, details: { from: target.role, to: role } }, clock.now());
      return target.role;
    });
    if (previous !== role) {
      if (isStaff(role) && !isStaff(previous)) await this.deps.publisher.joinRoom([userId], moderatorsRoom());
      if (!isStaff(role) && isStaff(previous)) await this.deps.publisher.leaveRoom([userId], moderatorsRoom());
    }
    return { user_id: userId, role };
  }

  /**
   * Suspends an account (moderators and admins; a moderator only plain users; nobody themself; null actor = CLI): no
   * login or refresh, its sockets dropped on every node, new connections refused, its posts hidden from others, DMs
   * to it refused. Suspending a suspended account changes nothing and logs nothing.
   */
  async suspend(actorId: string | null, userId: string, reason?: string): Promise<{ user_id: string; suspended: true }> {
    const { db, clock } = this.deps;
    if (actorId) await this.requireRole(actorId, isStaff);
    await db.transaction(async (tx) => {
      const [actor, target] = await this.load(tx, actorId, userId);
      if (actor && !isStaff(actor.role)) throw new AppError("forbidden", "Only moderators and admins suspend accounts.");
      if (!canSuspend(actor, target)) throw new AppError("forbidden", "Moderators suspend plain users only, and nobody suspends themself.");
      if (!(await repo.markSuspended(tx, userId, new Date(clock.now()), reason ?? null))) return;
      await this.record(tx, actorId, "suspend", { target: userId, details: reason ? { reason } : {} }, clock.now());
    });
    // Told why first (the adapter keeps the order on every node), then dropped.
    this.deps.publisher.toUsers([userId], "disconnectFromServer", { code: "account_suspended", message: "This account is suspended." });
    this.deps.disconnectUser(userId);
    return { user_id: userId, suspended: true };
  }

  /** Lifts a suspension (same rules as `suspend`; null actor = CLI): everything hidden shows again. Idempotent. */
  async unsuspend(actorId: string | null, userId: string): Promise<{ user_id: string; suspended: false }> {
    const { db, clock } = this.deps;
    if (actorId) await this.requireRole(actorId, isStaff);
    await db.transaction(async (tx) => {
      const [actor, target] = await this.load(tx, actorId, userId);
      if (actor && !isStaff(actor.role)) throw new AppError("forbidden", "Only moderators and admins lift suspensions.");
      if (!canSuspend(actor, target)) throw new AppError("forbidden", "Moderators lift plain users' suspensions only.");
      if (!(await repo.clearSuspension(tx, userId))) return;
      await this.record(tx, actorId, "unsuspend", { target: userId, details: {} }, clock.now());
    });
    return { user_id: userId, suspended: false };
  }

  /**
   * Reports something the reporter can see; the content is copied into the report. A second report by the same
   * reporter on a target they have an open report about answers that open report (and tells nobody again).
   */
  async report(reporterId: string, input: { kind: TargetKind; id: string; reason: string; text?: string | undefined }): Promise<Report> {
    const { db, clock } = this.deps;
    const earlier = await repo.findOpenReport(db, reporterId, input.kind, input.id);
    if (earlier) return presentReport(earlier, this.mediaUrl);
    const { authorId, stored } = await takeSnapshot(this.deps.targets(), reporterId, input.kind, input.id);
    const row = await db.transaction((tx) =>
      repo.insertReport(tx, {
        id: newId(clock.now()),
        reporter_id: reporterId,
        target_kind: input.kind,
        target_id: input.id,
        author_id: authorId,
        reason: input.reason,
        text: input.text ?? null,
        snapshot: stored,
        created_at: new Date(clock.now()),
        image_ids: stored.image_ids,
      }),
    );
    if (!row) {
      // The same report raced this one in: answer it.
      const raced = await repo.findOpenReport(db, reporterId, input.kind, input.id);
      if (!raced) throw new AppError("conflict", "The report changed meanwhile; retry.");
      return presentReport(raced, this.mediaUrl);
    }
    const report = presentReport(row, this.mediaUrl);
    this.deps.publisher.toRoom(moderatorsRoom(), "newReportFromServer", report);
    return report;
  }

  /** Reports of one status, newest first, `before` a report id (moderators and admins; for the CLI as is). */
  async listReports(query: { status: ReportStatus; before?: string | undefined; limit?: number }): Promise<Report[]> {
    const rows = await repo.findReportPage(this.deps.db, query.status, query.before, query.limit ?? REPORTS_PAGE);
    return rows.map((row) => presentReport(row, this.mediaUrl));
  }

  /** `listReports` for a user: moderators and admins only. */
  async reportsFor(actorId: string, query: { status: ReportStatus; before?: string | undefined }): Promise<Report[]> {
    await this.requireRole(actorId, isStaff);
    return this.listReports(query);
  }

  /**
   * Closes an open report (moderators and admins; null actor = CLI): `dismiss`, `delete_content` (through the owning
   * feature; content gone already is fine) or `suspend_user` (the author, by the rules of `suspend`). A report closed
   * already is a `conflict`.
   */
  async resolve(actorId: string | null, input: { id: string; action: ResolveAction; note?: string | undefined }): Promise<Report> {
    const { db, clock } = this.deps;
    if (actorId) await this.requireRole(actorId, isStaff);
    const report = await repo.findReport(db, input.id);
    if (!report) throw new AppError("not_found", "No such report.");
    if (report.status !== "open") throw new AppError("conflict", "This report is resolved already.");
    if (input.action === "suspend_user") {
      if (!report.author_id) throw new AppError("not_found", "The author's account is gone.");
      await this.suspend(actorId, report.author_id, input.note ?? `report ${report.id}`);
    }
    if (input.action === "delete_content") await removeTarget(this.deps.targets(), report.target_kind as TargetKind, report.target_id);
    const row = await db.transaction(async (tx) => {
      const resolved = await repo.markResolved(tx, report.id, { at: new Date(clock.now()), by: actorId, action: input.action, note: input.note ?? null });
      if (!resolved) throw new AppError("conflict", "This report is resolved already.");
      const details = { action: input.action, ...(input.note ? { note: input.note } : {}) };
      await this.record(tx, actorId, "resolve_report", { target: report.author_id, report: report.id, details }, clock.now());
      return resolved;
    });
    return presentReport(row, this.mediaUrl);
  }

  /** The moderation log, newest first, `before` an entry id (admins only; null actor = CLI). */
  async moderationLog(actorId: string | null, query: { before?: string | undefined; limit?: number }): Promise<LogEntry[]> {
    if (actorId) await this.requireRole(actorId, isAdmin);
    const rows = await repo.findLogPage(this.deps.db, query.before, query.limit ?? LOG_PAGE);
    return rows.map(presentLogEntry);
  }

  /** Checked before anything about the target, so a plain user learns nothing (not even whether it exists). */
  private async requireRole(actorId: string, allowed: (role: Role | undefined) => boolean): Promise<void> {
    const actor = await this.standing(actorId);
    if (!actor || actor.suspended || !allowed(actor.role)) {
      throw new AppError("forbidden", allowed === isAdmin ? "Only admins may do this." : "Only moderators and admins may do this.");
    }
  }

  /** The actor (null for the CLI) and the target, read in the transaction; `not_found` for an unknown target. */
  private async load(tx: Queryable, actorId: string | null, userId: string) {
    const rows = await repo.findStandings(tx, actorId ? [actorId, userId] : [userId]);
    const target = rows.find((r) => r.id === userId);
    if (!target) throw new AppError("not_found", "No such user.");
    const actorRow = actorId ? rows.find((r) => r.id === actorId) : undefined;
    if (actorId && (!actorRow || actorRow.suspended_at)) throw new AppError("forbidden", "You may not do this.");
    const actor = actorRow ? { id: actorRow.id, role: actorRow.role } : null;
    return [actor, { id: target.id, role: target.role }] as const;
  }

  private async record(
    tx: Queryable,
    actorId: string | null,
    action: string,
    about: { target: string | null; report?: string; details: Record<string, unknown> },
    now: number,
  ): Promise<void> {
    await repo.insertLogEntry(tx, {
      id: newId(now),
      actor_id: actorId,
      action,
      target_user_id: about.target,
      report_id: about.report ?? null,
      details: about.details,
      created_at: new Date(now),
    });
  }
}
