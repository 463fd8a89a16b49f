import { z } from "zod";
import { isTombstoneUsername } from "../../shared/tombstone.ts";
import { ROLES } from "../moderation/policy.ts";
import type { RelationRow } from "./graph-repo.ts";
import type { ProfileRow } from "./repo.ts";

/** A user as lists show them. */
export const UserSummaryShape = z.object({
  user_id: z.string(),
  name: z.string(),
  family: z.string(),
  username: z.string().describe('empty for a deleted account (shown as name "Deleted account", photo null)'),
  photo: z.string().nullable().describe("URL of the profile photo (see GET /media/:id), or null"),
});
export type UserSummary = z.infer<typeof UserSummaryShape>;

export function presentSummary(
  row: { id: string; name: string; family: string; username: string; photo_id: string | null },
  mediaUrl: (id: string) => string,
): UserSummary {
  return {
    user_id: row.id,
    name: row.name,
    family: row.family,
    // A deleted account (its tombstone) has no username to show or link to.
    username: isTombstoneUsername(row.username) ? "" : row.username,
    photo: row.photo_id ? mediaUrl(row.photo_id) : null,
  };
}

export const LastSeenVisibilityShape = z.enum(["everyone", "followers", "nobody"]);
export const GroupInvitesShape = z.enum(["everyone", "following", "nobody"]);

export const ProfileShape = UserSummaryShape.extend({
  biography: z.string(),
  last_seen: z.iso.datetime().nullable().describe("null when hidden by either side's last_seen_visibility, or never seen"),
  online: z.boolean(),
  isPrivate: z.boolean(),
  isFollowed: z.boolean().describe("I follow them"),
  isBlocked: z.boolean().describe("I blocked them"),
  mutual: z.boolean().describe("we follow each other"),
  followsMe: z.boolean().describe("they follow me"),
  followRequested: z.boolean().describe("my follow request to them is pending"),
  followers_count: z.number().int(),
  following_count: z.number().int(),
  tweets_count: z.number().int(),
  last_seen_visibility: LastSeenVisibilityShape.optional().describe("only on my own profile"),
  group_invites: GroupInvitesShape.optional().describe("who may add me to groups; only on my own profile"),
  role: z.enum(ROLES).optional().describe("my role (moderators and admins see the moderation screens); only on my own profile"),
});
export type Profile = z.infer<typeof ProfileShape>;

/** A profile as `sendUserProfileFromServer` carries it, relative to the viewer. */
export function presentProfile(
  row: ProfileRow,
  relation: RelationRow,
  view: { self: boolean; lastSeenVisible: boolean; online: boolean },
  mediaUrl: (id: string) => string,
): Profile {
  return {
    ...presentSummary(row, mediaUrl),
    biography: row.biography,
    last_seen: view.lastSeenVisible ? (row.last_seen?.toISOString() ?? null) : null,
    online: view.lastSeenVisible && view.online,
    isPrivate: row.is_private,
    isFollowed: relation.i_follow,
    isBlocked: relation.i_blocked,
    mutual: relation.i_follow && relation.they_follow,
    followsMe: relation.they_follow,
    followRequested: relation.i_requested,
    followers_count: row.followers_count,
    following_count: row.following_count,
    tweets_count: row.tweets_count,
    ...(view.self ? { last_seen_visibility: row.last_seen_visibility, group_invites: row.group_invites, role: row.role } : {}),
  };
}
