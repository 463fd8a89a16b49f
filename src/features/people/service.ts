import type { Db } from "../../db/db.ts";
import { isUniqueViolation } from "../../db/db.ts";
import { AppError } from "../../shared/errors.ts";
import type { MediaService } from "../media/service.ts";
import { canSeeProfile } from "./policy.ts";
import { presentProfile, type Profile } from "./presenter.ts";
import * as repo from "./repo.ts";

export interface ProfileUpdate {
  name?: string;
  family?: string;
  username?: string;
  biography?: string;
  phone?: string | null;
  /** New photo bytes, or null to remove the photo. */
  photo?: Buffer | null;
}

/** Profiles and the relations between users. */
export class PeopleService {
  constructor(private readonly deps: { db: Db; media: MediaService }) {}

  /** A user's profile as the viewer may see it; `not_found` for an unknown user and for one who blocked the viewer alike. */
  async getProfile(viewerId: string, userId: string): Promise<Profile> {
    const [row, relation] = await Promise.all([
      repo.findProfile(this.deps.db, userId),
      repo.findBlocksBetween(this.deps.db, viewerId, userId),
    ]);
    if (!row || !canSeeProfile(relation)) throw new AppError("not_found", "No such user.");
    return presentProfile(row, (id) => this.deps.media.url(id));
  }

  /** Changes my profile; a new photo goes through the media path (checked, stripped, scaled). Returns my new profile. */
  async updateProfile(userId: string, update: ProfileUpdate): Promise<Profile> {
    const { photo, ...fields } = update;
    const photoId =
      photo === undefined ? undefined : photo === null ? null : (await this.deps.media.storeImage(userId, photo, "avatar")).id;
    try {
      await repo.updateProfile(this.deps.db, userId, { ...fields, ...(photoId !== undefined ? { photo_id: photoId } : {}) });
    } catch (err) {
      if (isUniqueViolation(err, "users_username_key")) throw new AppError("conflict", "That username is taken.");
      throw err;
    }
    return this.getProfile(userId, userId);
  }
}
