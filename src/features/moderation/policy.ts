/** Who may moderate what: pure predicates over roles already loaded. A null actor is the command line, which may do anything. */

export const ROLES = ["user", "moderator", "admin"] as const;
export type Role = (typeof ROLES)[number];
export type ReportStatus = "open" | "resolved";

/** Moderators and admins read and resolve reports, suspend and unsuspend, and get new reports live. */
export function isStaff(role: Role | undefined): boolean {
  return role === "moderator" || role === "admin";
}

/** Only admins grant and take roles and read the moderation log. */
export function isAdmin(role: Role | undefined): boolean {
  return role === "admin";
}

/**
 * Whether a role change may happen. Nobody, not even the command line, takes the last admin's role away: an installation
 * would have nobody left to grant roles (the command line's `create-admin` makes a new one instead).
 */
export function canSetRole(
  actor: { id: string; role: Role } | null,
  target: { id: string; role: Role },
  role: Role,
  adminCount: number,
): "ok" | "forbidden" | "last_admin" {
  if (actor && !isAdmin(actor.role)) return "forbidden";
  if (target.role === "admin" && role !== "admin" && adminCount <= 1) return "last_admin";
  return "ok";
}

/**
 * Whether the actor may suspend (or unsuspend) the target: admins anyone but themselves, moderators plain users only —
 * a moderator cannot silence a colleague or an admin.
 */
export function canSuspend(actor: { id: string; role: Role } | null, target: { id: string; role: Role }): boolean {
  if (!actor) return true;
  if (actor.id === target.id) return false;
  if (isAdmin(actor.role)) return true;
  return actor.role === "moderator" && target.role === "user";
}
