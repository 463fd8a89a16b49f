import type { Db } from "../../db/db.ts";
import { isUniqueViolation } from "../../db/db.ts";
import { AppError } from "../../shared/errors.ts";
import type { MediaService } from "../media/service.ts";
import type { Presence } from "../presence/presence.ts";
import * as graph from "./graph-repo.ts";
import { canSeeLastSeen, canSeeProfile } from "./policy.ts";
import { presentProfile, presentSummary, type Profile, type UserSummary } from "./presenter.ts";
import * as repo from "./repo.ts";
import type { GroupInvites, LastSeenVisibility } from "./repo.ts";

export interface ProfileUpdate {
  name?: string;
  family?: string;
  username?: string;
  biography?: string;
  phone?: string | null;
  /** New photo bytes, or null to remove the photo. */
  photo?: Buffer | null;
  last_seen_visibility?: LastSeenVisibility;
  group_invites?: GroupInvites;
}

/** Profiles, search and last seen. */
export class PeopleService {
  constructor(private readonly deps: { db: Db; media: MediaService; presence: Presence }) {}

  private readonly mediaUrl = (id: string) => this.deps.media.url(id);

  /** A user's profile as the viewer may see it; `not_found` for an unknown user and for one who blocked the viewer alike. */
  async getProfile(viewerId: string, userId: string): Promise<Profile> {
    const { db, presence } = this.deps;
    const [row, relation, myVisibility, online] = await Promise.all([
      repo.findProfile(db, userId),
      graph.findRelation(db, viewerId, userId),
      repo.findVisibility(db, viewerId),
      presence.online([userId]),
    ]);
    if (!row || !canSeeProfile(relation)) throw new AppError("not_found", "No such user.");
    const lastSeenVisible = canSeeLastSeen(
      viewerId,
      { id: userId, visibility: row.last_seen_visibility, i_follow_them: relation.i_follow, they_follow_me: relation.they_follow, they_blocked_me: false },
      myVisibility,
    );
    const view = { self: viewerId === userId, lastSeenVisible, online: online.has(userId) };
    return presentProfile(row, relation, view, this.mediaUrl);
  }

  /** The profile at a `/@username` address: the same answer as by id, `not_found` for an unknown name. */
  async getProfileByUsername(viewerId: string, username: string): Promise<Profile> {
    const userId = await repo.findUserIdByUsername(this.deps.db, username.toLowerCase());
    if (!userId) throw new AppError("not_found", "No such user.");
    return this.getProfile(viewerId, userId);
  }

  /** The id of the account with this username (any case), or undefined (the command line names users by username). */
  async idByUsername(username: string): Promise<string | undefined> {
    return repo.findUserIdByUsername(this.deps.db, username.toLowerCase());
  }

  /** Changes my profile; a new photo goes through the media path (checked, stripped, scaled). Returns my new profile. */
  async updateProfile(userId: string, update: ProfileUpdate): Promise<Profile> {
    const { photo, last_seen_visibility, group_invites, ...fields } = update;
    const photoId =
      photo === undefined ? undefined : photo === null ? null : (await this.deps.media.storeImage(userId, photo, "avatar")).id;
    try {
      await repo.updateProfile(
        this.deps.db,
        userId,
        { ...fields, ...(photoId !== undefined ? { photo_id: photoId } : {}) },
        { last_seen_visibility, group_invites },
      );
    } catch (err) {
      if (isUniqueViolation(err, "users_username_key")) throw new AppError("conflict", "That username is taken.");
      throw err;
    }
    return this.getProfile(userId, userId);
  }

  /** Users whose username, name or family starts with the query, best matches first; never those who blocked me. */
  async search(viewerId: string, query: string, limit: number): Promise<UserSummary[]> {
    const rows = await repo.searchUsers(this.deps.db, viewerId, query, limit);
    return rows.map((row) => presentSummary(row, this.mediaUrl));
  }

  /** Last seen and online for each asked user, in the order asked; hidden, blocked and unknown users come back empty. */
  async lastSeen(viewerId: string, userIds: readonly string[]) {
    const { db, presence } = this.deps;
    const unique = [...new Set(userIds)];
    const [facts, myVisibility, online] = await Promise.all([
      repo.findPresenceFacts(db, viewerId, unique),
      repo.findVisibility(db, viewerId),
      presence.online(unique),
    ]);
    const byId = new Map(facts.map((f) => [f.id, f]));
    return userIds.map((userId) => {
      const f = byId.get(userId);
      const visible = f !== undefined && canSeeLastSeen(viewerId, f, myVisibility);
      return {
        userId,
        lastSeen: visible ? (f.last_seen?.toISOString() ?? null) : null,
        online: visible && online.has(userId),
      };
    });
  }

  /** A socket of the user connected. */
  async socketConnected(userId: string, socketId: string): Promise<void> {
    await this.deps.presence.connect(userId, socketId);
  }

  /** A socket of the user disconnected; when it was the last one, `last_seen` is stored. */
  socketDisconnected(userId: string, socketId: string, at: Date): Promise<void> {
    const write = (async () => {
      if (await this.deps.presence.disconnect(userId, socketId)) await repo.setLastSeen(this.deps.db, userId, at);
    })();
    this.pendingWrites.add(write);
    return write.finally(() => this.pendingWrites.delete(write));
  }

  /** Users a dead cluster node held are offline since `at` (called by the shared presence). */
  async markOffline(userIds: readonly string[], at: Date): Promise<void> {
    for (const userId of userIds) await repo.setLastSeen(this.deps.db, userId, at);
  }

  /** Resolves when every last-seen write started so far is done (shutdown waits for it before closing the database). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.pendingWrites]);
  }

  private readonly pendingWrites = new Set<Promise<void>>();
}
