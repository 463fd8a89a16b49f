import { z } from "zod";
import type { LogRow, ReportRow } from "./repo.ts";

export const TargetKind = z.enum(["user", "message", "tweet", "comment", "story"]);
export type TargetKind = z.infer<typeof TargetKind>;
export const ReportReason = z.enum(["spam", "abuse", "illegal", "other"]);
export const ResolveAction = z.enum(["dismiss", "delete_content", "suspend_user"]);
export type ResolveAction = z.infer<typeof ResolveAction>;

/** What a report keeps of its target, copied when it was made: it outlives the content. */
export const SnapshotShape = z.object({
  author: z.object({ user_id: z.string(), username: z.string(), name: z.string() }).nullable(),
  text: z.string().nullable().describe("the text of the content (a profile: its biography)"),
  images: z.array(z.object({ id: z.string(), url: z.string() })).describe("kept while the report exists; URLs signed afresh"),
  content: z.record(z.string(), z.unknown()).describe("the content as the reporter saw it (its usual wire shape)"),
});

/** The stored snapshot (JSON column): image ids only, URLs are signed when it is presented. */
export const StoredSnapshot = SnapshotShape.omit({ images: true }).extend({ image_ids: z.array(z.string()) });
export type StoredSnapshot = z.infer<typeof StoredSnapshot>;

export const ReportShape = z.object({
  id: z.string(),
  target: z.object({ kind: TargetKind, id: z.string() }),
  reason: ReportReason,
  text: z.string().nullable().describe("the reporter's words"),
  reporter: z.string().nullable().describe("user id; null once that account is gone"),
  author: z.string().nullable().describe("user id of whoever made the content (the user, for a report about a user)"),
  snapshot: SnapshotShape,
  status: z.enum(["open", "resolved"]),
  created_at: z.iso.datetime(),
  resolved_at: z.iso.datetime().nullable(),
  resolved_by: z.string().nullable().describe("user id; null when resolved from the command line"),
  action: ResolveAction.nullable(),
  note: z.string().nullable(),
});
export type Report = z.infer<typeof ReportShape>;

export const LogEntryShape = z.object({
  id: z.string(),
  actor: z.object({ kind: z.enum(["user", "cli"]), user_id: z.string().nullable() }),
  action: z.enum(["set_role", "suspend", "unsuspend", "resolve_report"]),
  target_user_id: z.string().nullable(),
  report_id: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  at: z.iso.datetime(),
});
export type LogEntry = z.infer<typeof LogEntryShape>;

/** A report as moderators see it; image URLs are signed now, so they work however old the report is. */
export function presentReport(row: ReportRow, mediaUrl: (id: string) => string): Report {
  const stored = StoredSnapshot.parse(row.snapshot);
  return {
    id: row.id,
    target: { kind: TargetKind.parse(row.target_kind), id: row.target_id },
    reason: ReportReason.parse(row.reason),
    text: row.text,
    reporter: row.reporter_id,
    author: row.author_id,
    snapshot: {
      author: stored.author,
      text: stored.text,
      images: stored.image_ids.map((id) => ({ id, url: mediaUrl(id) })),
      content: stored.content,
    },
    status: row.status,
    created_at: row.created_at.toISOString(),
    resolved_at: row.resolved_at?.toISOString() ?? null,
    resolved_by: row.resolved_by,
    action: row.action === null ? null : ResolveAction.parse(row.action),
    note: row.note,
  };
}

export function presentLogEntry(row: LogRow): LogEntry {
  return {
    id: row.id,
    actor: { kind: row.actor, user_id: row.actor_id },
    action: LogEntryShape.shape.action.parse(row.action),
    target_user_id: row.target_user_id,
    report_id: row.report_id,
    details: z.record(z.string(), z.unknown()).parse(row.details),
    at: row.created_at.toISOString(),
  };
}
