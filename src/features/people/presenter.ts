import { z } from "zod";
import type { ProfileRow } from "./repo.ts";

export const ProfileShape = z.object({
  user_id: z.string(),
  name: z.string(),
  family: z.string(),
  username: z.string(),
  photo: z.string().nullable().describe("URL of the profile photo (see GET /media/:id), or null"),
  biography: z.string(),
  last_seen: z.iso.datetime().nullable(),
});
export type Profile = z.infer<typeof ProfileShape>;

/** A profile as `sendUserProfileFromServer` carries it; `mediaUrl` turns the photo's media id into its URL. */
export function presentProfile(row: ProfileRow, mediaUrl: (id: string) => string): Profile {
  return {
    user_id: row.id,
    name: row.name,
    family: row.family,
    username: row.username,
    photo: row.photo_id ? mediaUrl(row.photo_id) : null,
    biography: row.biography,
    last_seen: row.last_seen?.toISOString() ?? null,
  };
}

/** A user as lists show them. */
export const UserSummaryShape = z.object({
  user_id: z.string(),
  name: z.string(),
  family: z.string(),
  username: z.string(),
  photo: z.string().nullable(),
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
    username: row.username,
    photo: row.photo_id ? mediaUrl(row.photo_id) : null,
  };
}
