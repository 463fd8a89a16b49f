import { signal } from "@preact/signals";
import type { LogEntry, Report } from "../lib/reports.ts";

/**
 * Whether this account may moderate: nothing tells the client its role, so the connection asks for the open reports
 * once per connection ("staff" when allowed, "none" on forbidden). "unknown" until then, and after logging out.
 */
export const moderationAccess = signal<"unknown" | "none" | "staff">("unknown");
/** Admins also read the audit log: null until the Moderation screen has asked. */
export const isAdmin = signal<boolean | null>(null);

export const openReports = signal<readonly Report[]>([]);
export const reportsLoaded = signal(false);
export const reportsHasMore = signal(false);

export const moderationLog = signal<readonly LogEntry[]>([]);
export const logHasMore = signal(false);
