/** Reporting something to the moderators (anyone may, about anything they can see). */
import type { ClientArgs } from "telegraph-client";
import type { ReportReason } from "../lib/reports.ts";
import { call, type Result } from "./call.ts";

export type ReportTarget = ClientArgs<"reportFromClient">[0]["target"];

export async function sendReport(target: ReportTarget, reason: ReportReason, text: string): Promise<Result<null>> {
  const words = text.trim();
  const got = await call((c) => c.api.reportFromClient({ target, reason, ...(words ? { text: words } : {}) }));
  return got.ok ? { ok: true, value: null } : got;
}
