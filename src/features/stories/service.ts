import type { Db, Queryable } from "../../db/db.ts";
import type { AfterErasure } from "../../shared/tombstone.ts";
import type { Publisher } from "../../realtime/publish.ts";
import { followersRoom } from "../../realtime/rooms.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import { presentDataUrl } from "../media/presenter.ts";
import type { MediaService } from "../media/service.ts";
import { presentSummary } from "../people/presenter.ts";
import { canSeeStory, isStoryOwner } from "./policy.ts";
import { orderForBar, presentStory, type Story } from "./presenter.ts";
import * as repo from "./repo.ts";
import { BatchLoader } from "../../shared/batch.ts";

export type StoryPhoto = { status: true; id: string; image: string } | { status: false; id: string };

/** 24-hour stories: seen by their owner's followers while they last, pushed live through the followers room. */
export class StoriesService {
  constructor(private readonly deps: { db: Db; clock: Clock; media: MediaService; publisher: Publisher; ttlSeconds: number }) {}

  // Read by every connection's bootstrap: connections arriving together share the query.
  private readonly followingOf = new BatchLoader<string, repo.StoryRow[]>((ids) =>
    repo.findFollowingStoriesOf(this.deps.db, ids, new Date(this.deps.clock.now())),
  );

  private readonly mediaUrl = (id: string) => this.deps.media.url(id);

  /** Stores a story for STORY_TTL and tells my followers' devices. */
  async add(actor: { userId: string; socketId: string }, image: Buffer): Promise<Story> {
    const { db, clock, media, publisher, ttlSeconds } = this.deps;
    const ref = await media.storeImage(actor.userId, image, "story");
    const now = clock.now();
    const id = newId(now);
    await repo.insertStory(db, { id, owner_id: actor.userId, image_id: ref.id, added_at: new Date(now), expires_at: new Date(now + ttlSeconds * 1000) });
    const story = presentStory((await repo.findStory(db, actor.userId, id))!, this.mediaUrl);
    // Followers have not seen it yet, whatever my own view says.
    publisher.toRoom(followersRoom(actor.userId), "newStoryFromServer", { ...story, seen: false });
    publisher.toUsers([actor.userId], "newStoryFromServer", story, { exceptSocket: actor.socketId });
    return story;
  }

  /** The active stories of everyone I follow and mine, ordered for the story bar. */
  async following(viewerId: string): Promise<Story[]> {
    const rows = (await this.followingOf.load(viewerId)) ?? [];
    return orderForBar(rows.map((row) => presentStory(row, this.mediaUrl)));
  }

  /** The image as a data: URL, recording my view once; `status: false` for anything I may not see. */
  async photo(viewerId: string, ownerId: string, storyId: string): Promise<StoryPhoto> {
    const { db, clock, media } = this.deps;
    const story = await repo.findStoryAccess(db, viewerId, storyId);
    if (!story || story.owner_id !== ownerId || !canSeeStory(viewerId, story, clock.now())) return { status: false, id: storyId };
    const bytes = await media.readBytes(story.image_id);
    if (!bytes) return { status: false, id: storyId };
    if (viewerId !== story.owner_id) await repo.recordView(db, storyId, viewerId, new Date(clock.now()));
    return { status: true, id: storyId, image: presentDataUrl(bytes.type, bytes.bytes) };
  }

  /** Deletes my story; the followers who were shown it are told. */
  async delete(actor: { userId: string; socketId: string }, storyId: string): Promise<{ id: string; ownerId: string }> {
    const story = await this.owned(actor.userId, storyId);
    await repo.deleteStory(this.deps.db, storyId);
    const payload = { id: storyId, ownerId: story.owner_id };
    this.deps.publisher.toRoom(followersRoom(actor.userId), "storyDeletedFromServer", payload);
    this.deps.publisher.toUsers([actor.userId], "storyDeletedFromServer", payload, { exceptSocket: actor.socketId });
    return payload;
  }

  /** One story the viewer may see now, with its image's id (reports keep it); `not_found` otherwise. */
  async one(viewerId: string, storyId: string): Promise<{ story: Story; imageId: string }> {
    const { db, clock } = this.deps;
    const access = await repo.findStoryAccess(db, viewerId, storyId);
    const row = access && canSeeStory(viewerId, access, clock.now()) ? await repo.findStory(db, viewerId, storyId) : undefined;
    if (!access || !row) throw new AppError("not_found", "No such story.");
    return { story: presentStory(row, this.mediaUrl), imageId: access.image_id };
  }

  /** Deletes a story whoever owns it (moderation); its owner's followers and devices are told. False: gone already. */
  async remove(storyId: string): Promise<boolean> {
    const owner = await repo.deleteStoryReturningOwner(this.deps.db, storyId);
    if (!owner) return false;
    const payload = { id: storyId, ownerId: owner };
    this.deps.publisher.toRoom(followersRoom(owner), "storyDeletedFromServer", payload);
    this.deps.publisher.toUsers([owner], "storyDeletedFromServer", payload);
    return true;
  }

  /** Who viewed my story, newest first. */
  async viewers(userId: string, storyId: string) {
    await this.owned(userId, storyId);
    const rows = await repo.findViewers(this.deps.db, userId, storyId);
    return rows.map((row) => ({ ...presentSummary(row, this.mediaUrl), seen_at: row.seen_at.toISOString() }));
  }

  /** Deletes expired stories; the media sweep then reclaims their images. */
  sweep(): Promise<number> {
    return repo.deleteExpired(this.deps.db, new Date(this.deps.clock.now()));
  }

  /** The stories part of deleting an account (inside its transaction): its stories and its views; followers hear after the commit. */
  async eraseUserIn(tx: Queryable, userId: string): Promise<AfterErasure> {
    const ids = await repo.deleteStoriesAndViewsOf(tx, userId);
    return () => {
      for (const id of ids) this.deps.publisher.toRoom(followersRoom(userId), "storyDeletedFromServer", { id, ownerId: userId });
    };
  }

  /** My stories still live, with their image ids (the export). */
  async ownLive(userId: string): Promise<{ id: string; image_id: string; added_at: string; expires_at: string }[]> {
    const rows = await repo.findLiveStoriesOf(this.deps.db, userId, new Date(this.deps.clock.now()));
    return rows.map((r) => ({ id: r.id, image_id: r.image_id, added_at: r.added_at.toISOString(), expires_at: r.expires_at.toISOString() }));
  }

  private async owned(userId: string, storyId: string): Promise<repo.StoryAccessRow> {
    const story = await repo.findStoryAccess(this.deps.db, userId, storyId);
    if (!story || !canSeeStory(userId, story, this.deps.clock.now())) throw new AppError("not_found", "No such story.");
    if (!isStoryOwner(userId, story)) throw new AppError("forbidden", "Only the owner can do this.");
    return story;
  }
}
