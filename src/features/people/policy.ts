import type { LastSeenVisibility } from "./repo.ts";

/** What is known of two users' relation, seen from the viewer. */
export interface Relation {
  exists: boolean;
  is_private: boolean;
  i_follow: boolean;
  i_blocked: boolean;
  they_blocked: boolean;
}

/** Someone who blocked me is invisible to me: their profile answers as if they did not exist. */
export function canSeeProfile(relation: Pick<Relation, "they_blocked">): boolean {
  return !relation.they_blocked;
}

/** Follower and following lists: the owner and, for a private account, its followers only; a blocked pair sees nothing. */
export function listAccess(viewerId: string, ownerId: string, relation: Relation): "ok" | "forbidden" | "not_found" {
  if (viewerId === ownerId) return "ok";
  if (!relation.exists || relation.i_blocked || relation.they_blocked) return "not_found";
  if (relation.is_private && !relation.i_follow) return "forbidden";
  return "ok";
}

/**
 * What following `target` does: refused, a follow now (public account), or a request (private account). Someone who
 * blocked me answers as if they did not exist, so the refusal does not tell me I am blocked.
 */
export function followOutcome(
  me: string,
  target: string,
  relation: Relation,
): "self" | "not_found" | "blocked" | "already" | "following" | "requested" {
  if (me === target) return "self";
  if (!relation.exists || relation.they_blocked) return "not_found";
  if (relation.i_blocked) return "blocked";
  if (relation.i_follow) return "already";
  return relation.is_private ? "requested" : "following";
}

/** Whether an owner's last-seen setting lets this viewer see it. */
export function visibilityAllows(setting: LastSeenVisibility, viewerFollowsOwner: boolean): boolean {
  return setting === "everyone" || (setting === "followers" && viewerFollowsOwner);
}

/**
 * Last seen and online, Telegram's way: always my own; yours only if your setting lets me and mine would let you see
 * mine; never if you blocked me.
 */
export function canSeeLastSeen(
  viewerId: string,
  facts: { id: string; visibility: LastSeenVisibility; i_follow_them: boolean; they_follow_me: boolean; they_blocked_me: boolean },
  myVisibility: LastSeenVisibility,
): boolean {
  if (facts.id === viewerId) return true;
  if (facts.they_blocked_me) return false;
  return visibilityAllows(facts.visibility, facts.i_follow_them) && visibilityAllows(myVisibility, facts.they_follow_me);
}
