/** Who may do what in a group: decided from roles alone (the service reads them). */
export type GroupRole = "owner" | "admin" | "member";

/** Title, photo and adding members: admins and the owner. */
export function canAdminister(role: GroupRole | undefined): boolean {
  return role === "owner" || role === "admin";
}

/** Roles and ownership: the owner only. */
export function canChangeRoles(role: GroupRole | undefined): boolean {
  return role === "owner";
}

/** Admins remove members; the owner removes anyone; nobody removes the owner (the owner leaves instead). */
export function canRemove(actor: GroupRole | undefined, target: GroupRole | undefined): boolean {
  if (target === undefined || target === "owner") return false;
  if (actor === "owner") return true;
  return actor === "admin" && target === "member";
}

/** The owner leaves only alone; with others left, ownership is transferred first. */
export function canLeave(role: GroupRole | undefined, membersCount: number): boolean {
  if (role === undefined) return false;
  return role !== "owner" || membersCount <= 1;
}

/** Deleting a message for everyone: its sender, or an admin. */
export function canDeleteForEveryone(actor: { userId: string; role: GroupRole | undefined }, senderId: string): boolean {
  return actor.userId === senderId ? actor.role !== undefined : canAdminister(actor.role);
}

/** Editing a message, and learning who has read it: its sender only. */
export function isSender(userId: string, senderId: string): boolean {
  return userId === senderId;
}

/** What decides whether `adder` may add someone (read by the repo), and the reason when not. */
export interface AddFacts {
  exists: boolean;
  member: boolean;
  /** A block between them and the adder, either way. */
  blocked: boolean;
  /** Their `group_invites` setting. */
  invites: string;
  /** They follow the adder (what `following` allows). */
  follows_adder: boolean;
}

export type AddRefusal = "not_found" | "blocked" | "privacy" | "already_member";

export function addRefusal(f: AddFacts): AddRefusal | undefined {
  if (!f.exists) return "not_found";
  if (f.member) return "already_member";
  if (f.blocked) return "blocked";
  if (f.invites === "nobody" || (f.invites === "following" && !f.follows_adder)) return "privacy";
  return undefined;
}
