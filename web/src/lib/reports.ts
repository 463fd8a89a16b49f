/** Moderation lists without DOM: the open reports in order, and the words for reasons, actions and log entries. */
import type { ClientData } from "telegraph-client";

export type Report = ClientData<"getReports">[number];
export type LogEntry = ClientData<"getModerationLog">[number];
export type ReportReason = Report["reason"];
export type ResolveAction = NonNullable<Report["action"]>;

/** The server's page size for reports and log entries. */
export const MODERATION_PAGE = 50;

export const REASONS: ReadonlyArray<{ value: ReportReason; label: string }> = [
  { value: "spam", label: "Spam" },
  { value: "abuse", label: "Abuse" },
  { value: "illegal", label: "Illegal" },
  { value: "other", label: "Other" },
];

export function reasonLabel(reason: ReportReason): string {
  return REASONS.find((r) => r.value === reason)?.label ?? reason;
}

/** Newest first: by time, then by id (ids grow with time, so equal times still keep one order). */
function newerFirst(a: { created_at: string; id: string }, b: { created_at: string; id: string }): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * The open list after reports arrive (a page, a live push, a resolution's answer): one entry per id, the later copy
 * winning, resolved ones dropped, newest first. Returns the same array when nothing changes, so views skip a render.
 */
export function mergeReports(current: readonly Report[], incoming: readonly Report[]): readonly Report[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((r) => [r.id, r]));
  let changed = false;
  for (const r of incoming) {
    const old = byId.get(r.id);
    if (r.status !== "open") {
      if (old) {
        byId.delete(r.id);
        changed = true;
      }
    } else if (old !== r) {
      byId.set(r.id, r);
      changed = true;
    }
  }
  return changed ? [...byId.values()].sort(newerFirst) : current;
}

/** The list without one report (resolved here, or already by someone else). */
export function withoutReport(current: readonly Report[], id: string): readonly Report[] {
  return current.some((r) => r.id === id) ? current.filter((r) => r.id !== id) : current;
}

const KIND_WORDS: Record<Report["target"]["kind"], string> = {
  user: "Profile",
  message: "Direct message",
  tweet: "Post",
  comment: "Comment",
  story: "Story",
};

export function targetLabel(kind: Report["target"]["kind"]): string {
  return KIND_WORDS[kind];
}

const ACTION_WORDS: Record<ResolveAction, string> = {
  dismiss: "Dismissed",
  delete_content: "Content deleted",
  suspend_user: "Author suspended",
};

/** One audit-log line, e.g. "Suspended an account", "Resolved a report: Content deleted", "Set role to moderator". */
export function logSummary(entry: LogEntry): string {
  const details = entry.details;
  switch (entry.action) {
    case "set_role":
      return typeof details["to"] === "string" ? `Set role to ${details["to"]}` : "Changed a role";
    case "suspend":
      return "Suspended an account";
    case "unsuspend":
      return "Lifted a suspension";
    case "resolve_report": {
      const action = details["action"];
      return typeof action === "string" && action in ACTION_WORDS ? `Resolved a report: ${ACTION_WORDS[action as ResolveAction]}` : "Resolved a report";
    }
  }
}
