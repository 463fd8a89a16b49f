import { describe, expect, it } from "vitest";
import { logSummary, mergeReports, withoutReport, type LogEntry, type Report } from "./reports.ts";

function report(id: string, created_at: string, status: Report["status"] = "open"): Report {
  return {
    id,
    target: { kind: "tweet", id: `t${id}` },
    reason: "spam",
    text: null,
    reporter: "r",
    author: "a",
    snapshot: { author: null, text: null, images: [], content: {} },
    status,
    created_at,
    resolved_at: null,
    resolved_by: null,
    action: null,
    note: null,
  };
}

describe("mergeReports", () => {
  const a = report("a1", "2026-12-04T03:00:00.000Z");
  const b = report("b2", "2026-12-04T03:01:00.000Z");
  it("keeps one entry per id, newest first", () => {
    expect(mergeReports([a], [b, a]).map((r) => r.id)).toEqual(["b2", "a1"]);
  });
  it("orders equal times by id, newest id first", () => {
    const c = report("c3", a.created_at);
    expect(mergeReports([a], [c]).map((r) => r.id)).toEqual(["c3", "a1"]);
  });
  it("drops a report that arrives resolved", () => {
    expect(mergeReports([a, b], [{ ...a, status: "resolved" }]).map((r) => r.id)).toEqual(["b2"]);
  });
  it("returns the same array when nothing changes", () => {
    const list = [b, a];
    expect(mergeReports(list, [a])).toBe(list);
    expect(mergeReports(list, [])).toBe(list);
    expect(mergeReports(list, [report("x", a.created_at, "resolved")])).toBe(list);
  });
  it("withoutReport removes one id and keeps the array when it is absent", () => {
    const list = [b, a];
    expect(withoutReport(list, "a1").map((r) => r.id)).toEqual(["b2"]);
    expect(withoutReport(list, "zz")).toBe(list);
  });
});

describe("logSummary", () => {
  const entry = (action: LogEntry["action"], details: Record<string, unknown>): LogEntry => ({
    id: "e",
    actor: { kind: "user", user_id: "u" },
    action,
    target_user_id: "t",
    report_id: null,
    details,
    at: "2026-12-04T03:05:00.000Z",
  });
  it("says what each action did", () => {
    expect(logSummary(entry("set_role", { from: "user", to: "moderator" }))).toBe("Set role to moderator");
    expect(logSummary(entry("suspend", {}))).toBe("Suspended an account");
    expect(logSummary(entry("unsuspend", {}))).toBe("Lifted a suspension");
    expect(logSummary(entry("resolve_report", { action: "delete_content" }))).toBe("Resolved a report: Content deleted");
    expect(logSummary(entry("resolve_report", { action: "weird" }))).toBe("Resolved a report");
  });
});
