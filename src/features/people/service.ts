import type { Db } from "../../db/db.ts";
import { AppError } from "../../shared/errors.ts";
import { canSeeProfile } from "./policy.ts";
import { presentProfile } from "./presenter.ts";
import * as repo from "./repo.ts";

/** Profiles and the relations between users. */
export class PeopleService {
  constructor(private readonly deps: { db: Db }) {}

  /** A user's profile as the viewer may see it; `not_found` for an unknown user and for one who blocked the viewer alike. */
  async getProfile(viewerId: string, userId: string) {
    const [row, relation] = await Promise.all([
      repo.findProfile(this.deps.db, userId),
      repo.findBlocksBetween(this.deps.db, viewerId, userId),
    ]);
    if (!row || !canSeeProfile(relation)) throw new AppError("not_found", "No such user.");
    return presentProfile(row);
  }
}
