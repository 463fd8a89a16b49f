import { signal } from "@preact/signals";
import type { LogEntry, Report } from "../lib/reports.ts";

/**
 * Whether this account may moderate, from the role on its own profile (asked once per connection): "staff" for
 * moderators and admins, "none" for plain users, "unknown" until then and after logging out.
 */
export const moderationAccess = signal<"unknown" | "none" | "staff">("unknown");
/** Admins also read the audit log: null until the own profile has told (or the Moderation screen has asked). */
export const isAdmin = signal<boolean | null>(null);

export const openReports = signal<readonly Report[]>([]);
export const reportsLoaded = signal(false);
export const reportsHasMore = signal(false);

export const moderationLog = signal<readonly LogEntry[]>([]);
export const logHasMore = signal(false);
