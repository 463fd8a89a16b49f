import type { Db, Queryable } from "../../db/db.ts";
import type { AfterErasure } from "../../shared/tombstone.ts";
import type { Publisher } from "../../realtime/publish.ts";
import { followersRoom } from "../../realtime/rooms.ts";
import { AppError } from "../../shared/errors.ts";
import type { MediaService } from "../media/service.ts";
import type { NotificationsService } from "../notifications/service.ts";
import { update, type UpdateDelivery, type UpdateLog } from "../sync/log.ts";
import * as graph from "./graph-repo.ts";
import { canSeeProfile, followOutcome, listAccess } from "./policy.ts";
import { presentSummary, type UserSummary } from "./presenter.ts";
import * as repo from "./repo.ts";
import { BatchLoader } from "../../shared/batch.ts";

const PAGE = 50;
const LIST_CAP = 1000;

export interface GraphDeps {
  db: Db;
  media: MediaService;
  publisher: Publisher;
  updates: UpdateLog;
  feed: UpdateDelivery;
  notifications: NotificationsService;
}

/** The follow graph, private accounts and blocks. Follows move sockets between followers rooms as they change. */
export class GraphService {
  /** Read by every new connection: a storm of connections shares queries. */
  private readonly followingOf: BatchLoader<string, string[]>;

  constructor(private readonly deps: GraphDeps) {
    this.followingOf = new BatchLoader((ids) => graph.findFollowingIdsOf(deps.db, ids));
  }

  private readonly mediaUrl = (id: string) => this.deps.media.url(id);

  /** Follows a public account now, or asks a private one; the other side hears of it. */
  async follow(me: string, target: string): Promise<{ status: "following" | "requested" }> {
    const { db } = this.deps;
    const relation = await graph.findRelation(db, me, target);
    const outcome = followOutcome(me, target, relation);
    if (outcome === "self") throw new AppError("invalid_input", "You cannot follow yourself.");
    if (outcome === "not_found") throw new AppError("not_found", "No such user.");
    if (outcome === "blocked") throw new AppError("forbidden", "You cannot follow this user.");
    if (outcome === "already") return { status: "following" };
    const summary = await this.summaryOf(me);
    const { notifications } = this.deps;
    const logged = await db.transaction(async (tx) => {
      const cause = { recipient: target, actor: me, kind: outcome === "following" ? ("follow" as const) : ("follow_request" as const) };
      if (outcome === "following") {
        if (!(await graph.insertFollow(tx, me, target))) return [];
        return [...(await this.deps.updates.record(tx, [update(target, "newFollowerFromServer", summary)])), ...(await notifications.notify(tx, [cause]))];
      }
      if (!(await graph.insertFollowRequest(tx, me, target))) return [];
      return [...(await this.deps.updates.record(tx, [update(target, "newFollowRequest", summary)])), ...(await notifications.notify(tx, [cause]))];
    });
    if (outcome === "following") await this.deps.publisher.joinRoom([me], followersRoom(target));
    this.deps.feed.deliver(logged);
    return { status: outcome };
  }

  /** Removes my follow, or withdraws my pending request (the account I asked hears of it, for its inbox). */
  async unfollow(me: string, target: string): Promise<{ status: "unfollowed" | "request_withdrawn" | "not_following" }> {
    const { removed, logged } = await this.deps.db.transaction(async (tx) => {
      const removed = await graph.deleteFollowAndRequest(tx, me, target);
      const items = removed.request ? [update(target, "followRequestWithdrawnFromServer", { userId: me })] : [];
      const logged = await this.deps.updates.record(tx, items);
      if (!removed.follow && !removed.request) return { removed, logged };
      return { removed, logged: [...logged, ...(await this.deps.notifications.withdraw(tx, { recipient: target, actor: me, kinds: ["follow", "follow_request"] }))] };
    });
    if (removed.follow) await this.deps.publisher.leaveRoom([me], followersRoom(target));
    this.deps.feed.deliver(logged);
    return { status: removed.follow ? "unfollowed" : removed.request ? "request_withdrawn" : "not_following" };
  }

  async followRequests(me: string) {
    const rows = await graph.findFollowRequests(this.deps.db, me, LIST_CAP);
    return rows.map((row) => ({ ...presentSummary(row, this.mediaUrl), requested_at: row.at.toISOString() }));
  }

  /** Accepts (a follow is created) or rejects a request to me; the applicant hears the answer. */
  async answerRequest(me: string, applicant: string, accept: boolean): Promise<{ userId: string; accepted: boolean }> {
    const logged = await this.deps.db.transaction(async (tx) => {
      if (!(await graph.deleteFollowRequest(tx, applicant, me))) throw new AppError("not_found", "No such follow request.");
      if (accept) await graph.insertFollow(tx, applicant, me);
      const logged = await this.deps.updates.record(tx, [update(applicant, "followRequestAnsweredFromServer", { userId: me, accepted: accept })]);
      if (!accept) return logged;
      return [...logged, ...(await this.deps.notifications.notify(tx, [{ recipient: applicant, actor: me, kind: "follow_accepted" }]))];
    });
    if (accept) await this.deps.publisher.joinRoom([applicant], followersRoom(me));
    this.deps.feed.deliver(logged);
    return { userId: applicant, accepted: accept };
  }

  async publicity(viewer: string, userId: string): Promise<{ userId: string; isPrivate: boolean }> {
    const relation = await graph.findRelation(this.deps.db, viewer, userId);
    if (!relation.exists || !canSeeProfile(relation)) throw new AppError("not_found", "No such user.");
    return { userId, isPrivate: relation.is_private };
  }

  /** Flips my account between public and private; going public accepts every pending request. */
  async togglePublicity(me: string): Promise<{ isPrivate: boolean }> {
    const { accepted, isPrivate, logged } = await this.deps.db.transaction(async (tx) => {
      const next = !(await graph.findIsPrivate(tx, me));
      await graph.setPrivate(tx, me, next);
      const requesters = next ? [] : await graph.acceptAllRequests(tx, me);
      const items = requesters.map((r) => update(r, "followRequestAnsweredFromServer", { userId: me, accepted: true }));
      const accepted = await this.deps.notifications.notify(tx, requesters.map((r) => ({ recipient: r, actor: me, kind: "follow_accepted" as const })));
      return { accepted: requesters, isPrivate: next, logged: [...(await this.deps.updates.record(tx, items)), ...accepted] };
    });
    await this.deps.publisher.joinRoom(accepted, followersRoom(me));
    this.deps.feed.deliver(logged);
    return { isPrivate };
  }

  async following(viewer: string, userId: string, page: number): Promise<{ userId: string; following: UserSummary[] }> {
    await this.assertListAccess(viewer, userId);
    const rows = await graph.findFollowing(this.deps.db, viewer, userId, PAGE, (page - 1) * PAGE);
    return { userId, following: rows.map((r) => presentSummary(r, this.mediaUrl)) };
  }

  async followers(viewer: string, userId: string, page: number): Promise<{ userId: string; followers: UserSummary[] }> {
    await this.assertListAccess(viewer, userId);
    const rows = await graph.findFollowers(this.deps.db, viewer, userId, PAGE, (page - 1) * PAGE);
    return { userId, followers: rows.map((r) => presentSummary(r, this.mediaUrl)) };
  }

  /** Blocks or unblocks. Blocking removes follows and requests both ways; both sides' lists hear of a removed follow. */
  async toggleBlock(me: string, target: string): Promise<{ blocked: boolean }> {
    if (me === target) throw new AppError("invalid_input", "You cannot block yourself.");
    const { db } = this.deps;
    if (!(await graph.findRelation(db, me, target)).exists) throw new AppError("not_found", "No such user.");
    const { result, logged } = await db.transaction(async (tx) => {
      const toggled = await graph.toggleBlock(tx, me, target);
      const items = toggled.removedFollows.flatMap(({ follower, followee }) =>
        [follower, followee].map((user) => update(user, "followRemovedFromServer", { follower_id: follower, followee_id: followee })),
      );
      const logged = await this.deps.updates.record(tx, items);
      const counts = toggled.blocked ? await this.deps.notifications.blocked(tx, me, target) : [];
      return { result: toggled, logged: [...logged, ...counts] };
    });
    for (const { follower, followee } of result.removedFollows) await this.deps.publisher.leaveRoom([follower], followersRoom(followee));
    this.deps.feed.deliver(logged);
    return { blocked: result.blocked };
  }

  async blockList(me: string) {
    const rows = await graph.findBlocked(this.deps.db, me, LIST_CAP);
    return rows.map((row) => ({ ...presentSummary(row, this.mediaUrl), blocked_at: row.at.toISOString() }));
  }

  /** The users whose followers room a new connection of `userId` joins. */
  async followingIds(userId: string): Promise<string[]> {
    return (await this.followingOf.load(userId)) ?? [];
  }

  /**
   * The graph part of deleting an account (inside its transaction): its follows, requests and blocks both ways. The
   * accounts it had asked hear the request withdrawn; follower counts are counted on read, so they follow at once.
   */
  async eraseUserIn(tx: Queryable, userId: string): Promise<AfterErasure> {
    const removed = await graph.deleteRelationsOf(tx, userId);
    const logged = await this.deps.updates.record(tx, removed.requestedFrom.map((target) => update(target, "followRequestWithdrawnFromServer", { userId })));
    return async () => {
      const followers = removed.follows.filter((f) => f.followee === userId).map((f) => f.follower);
      await this.deps.publisher.leaveRoom(followers, followersRoom(userId));
      this.deps.feed.deliver(logged);
    };
  }

  /** A page of my followers, followings or blocked accounts, by user id after a cursor (the export). */
  async ownList(userId: string, list: graph.RelationList, after: string | null, limit: number): Promise<(UserSummary & { since: string })[]> {
    const rows = await graph.findRelationPage(this.deps.db, list, userId, after, limit);
    return rows.map((row) => ({ ...presentSummary(row, this.mediaUrl), since: row.at.toISOString() }));
  }

  private async assertListAccess(viewer: string, owner: string): Promise<void> {
    const access = listAccess(viewer, owner, await graph.findRelation(this.deps.db, viewer, owner));
    if (access === "not_found") throw new AppError("not_found", "No such user.");
    if (access === "forbidden") throw new AppError("forbidden", "This account is private.");
  }

  private async summaryOf(userId: string): Promise<UserSummary> {
    const row = await repo.findProfile(this.deps.db, userId);
    if (!row) throw new AppError("not_found", "No such user.");
    return presentSummary(row, this.mediaUrl);
  }
}
