import { z } from "zod";
import type { ProfileRow } from "./repo.ts";

export const ProfileShape = z.object({
  user_id: z.string(),
  name: z.string(),
  family: z.string(),
  username: z.string(),
  photo: z.string().nullable(),
  biography: z.string(),
  last_seen: z.iso.datetime().nullable(),
});

/** A profile as `sendUserProfileFromServer` carries it. */
export function presentProfile(row: ProfileRow): z.infer<typeof ProfileShape> {
  return {
    user_id: row.id,
    name: row.name,
    family: row.family,
    username: row.username,
    photo: row.photo_id ? `/media/${row.photo_id}` : null,
    biography: row.biography,
    last_seen: row.last_seen?.toISOString() ?? null,
  };
}
