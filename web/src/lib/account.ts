/** Wording and names for leaving with one's data or deleting the account (no DOM, unit-tested). */

/** The export's file name: `telegraph-export-<username>-<YYYY-MM-DD>.jsonl`, the date in the person's own time zone. */
export function exportFileName(username: string, date: Date): string {
  // Usernames are plain already; anything else would only trouble a file system.
  const safe = username.replace(/[^A-Za-z0-9_.-]/g, "_") || "me";
  const day = [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((n) => String(n).padStart(2, "0")).join("-");
  return `telegraph-export-${safe}-${day}.jsonl`;
}

/** A Retry-After wait in whole minutes, rounded up ("1 minute", "42 minutes"): what the waits here are measured in. */
export function minutesText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? "1 minute" : `${minutes} minutes`;
}

/** A byte count as people read it ("820 KB", "3.4 MB"), for the progress of a download. */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Why a deletion did not happen, as the dialog shows it. */
export type DeletionRefusal =
  | { reason: "wrong_password" }
  | { reason: "rate_limited"; retryAfter: number }
  | { reason: "network" }
  | { reason: "failed" };

/**
 * Reads a refusal from either step — the fresh login (`POST /login`) or `DELETE /account`: a wrong password is a 401
 * from the login and a 403 `forbidden` from the deletion; both are limited per account (429 with Retry-After).
 */
export function deletionRefusal(step: "login" | "delete", status: number, body: { code?: unknown }, retryAfter: number | null): DeletionRefusal {
  if (status === 0) return { reason: "network" };
  if (status === 429) return { reason: "rate_limited", retryAfter: retryAfter ?? 60 };
  if (step === "login" && status === 401) return { reason: "wrong_password" };
  if (step === "delete" && status === 403 && body.code === "forbidden") return { reason: "wrong_password" };
  return { reason: "failed" };
}
