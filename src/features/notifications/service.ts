import type { Db, Queryable } from "../../db/db.ts";
import type { Clock } from "../../shared/clock.ts";
import { newId } from "../../shared/ids.ts";
import type { AfterErasure } from "../../shared/tombstone.ts";
import type { MediaService } from "../media/service.ts";
import { update, type Logged, type UpdateDelivery, type UpdateItem, type UpdateLog } from "../sync/log.ts";
import { findMentionCandidates, MAX_MENTIONED, resolveCandidates, type Mention } from "./mentions.ts";
import { shouldNotify } from "./policy.ts";
import { presentNotification, type Notification } from "./presenter.ts";
import * as repo from "./repo.ts";
import { NOTIFICATION_KINDS, parseSettings, type NotificationKind, type NotificationSettings, type NotificationSettingsPatch } from "./settings.ts";

export const NOTIFICATIONS_PAGE = 20;

/** A cause of a notification, as the feature that saw it happen describes it. */
export interface Cause {
  recipient: string;
  actor: string;
  kind: NotificationKind;
  tweet?: { id: string; owner: string };
  comment_id?: string;
}

export interface NotificationsDeps {
  db: Db;
  clock: Clock;
  media: MediaService;
  updates: UpdateLog;
  feed: UpdateDelivery;
  /** Told, in the writing transaction, of the entries written (Web Push queues its pushes there). */
  written?: (tx: Queryable, entries: { recipient: string; id: string }[]) => Promise<void>;
}

/**
 * The notifications feed. Other features call the hooks with their transaction, so a notification is written (and
 * logged as `newNotificationFromServer`) with its cause, and undone with it; they deliver what the hooks return
 * after their commit.
 */
export class NotificationsService {
  constructor(private readonly deps: NotificationsDeps) {}

  private readonly mediaUrl = (id: string) => this.deps.media.url(id);

  /** Resolves the text's `@username`s (existing users on neither side of a block with the author) in one query. */
  async resolveMentions(db: Queryable, author: string, text: string): Promise<Mention[]> {
    const candidates = findMentionCandidates(text);
    const usernames = [...new Set(candidates.map((c) => c.username))].slice(0, MAX_MENTIONED);
    return resolveCandidates(candidates, await repo.findMentionable(db, author, usernames));
  }

  /** Writes the notifications these causes deserve (see shouldNotify) and logs them; deliver the result after commit. */
  async notify(tx: Queryable, causes: readonly Cause[]): Promise<Logged[]> {
    const candidates = causes.filter((c) => c.recipient !== c.actor);
    if (candidates.length === 0) return [];
    const facts = await repo.findFacts(tx, candidates.map((c) => ({ recipient: c.recipient, actor: c.actor, tweetOwner: c.tweet?.owner ?? null })));
    const written = new Map<string, string[]>();
    for (const [i, cause] of candidates.entries()) {
      const f = facts[i]!;
      const tweet = cause.tweet
        ? { owner_private: f.owner_private, follows_owner: f.follows_owner, is_owner: cause.tweet.owner === cause.recipient, blocked_with_owner: f.blocked_with_owner }
        : null;
      if (!shouldNotify(cause.recipient, cause.actor, cause.kind, { settings: parseSettings(f.settings), blocked: f.blocked, follows_actor: f.follows_actor, tweet })) continue;
      const now = this.deps.clock.now();
      const id = await repo.addToEntry(
        tx,
        {
          id: newId(now),
          sort_id: newId(now),
          recipient: cause.recipient,
          kind: cause.kind,
          tweet_id: cause.tweet?.id ?? null,
          comment_id: cause.comment_id ?? null,
          group_key: groupKey(cause),
          at: new Date(now),
        },
        cause.actor,
      );
      written.set(cause.recipient, [...(written.get(cause.recipient) ?? []), id]);
    }
    await this.deps.written?.(tx, [...written].flatMap(([recipient, ids]) => [...new Set(ids)].map((id) => ({ recipient, id }))));
    const items: UpdateItem[] = [];
    for (const [recipient, ids] of written) {
      const rows = await repo.findEntriesByIds(tx, recipient, ids);
      const unread_count = await repo.countUnread(tx, recipient);
      for (const row of rows.reverse()) items.push(update(recipient, "newNotificationFromServer", { ...presentNotification(row, this.mediaUrl), unread_count }));
    }
    return this.deps.updates.record(tx, items);
  }

  /**
   * Undoes a cause: the actor leaves the recipient's entries of these kinds (about the tweet, when given). When an
   * unread entry went, the recipient's devices get the new count (logged; deliver it after the commit).
   */
  async withdraw(tx: Queryable, removal: { recipient: string; actor: string; kinds: readonly NotificationKind[]; tweet_id?: string }): Promise<Logged[]> {
    if (!(await repo.removeActor(tx, removal))) return [];
    return this.countChanged(tx, [removal.recipient]);
  }

  /** A block: each side's notifications from the other go (and reading hides any written meanwhile). */
  async blocked(tx: Queryable, a: string, b: string): Promise<Logged[]> {
    const kinds = NOTIFICATION_KINDS;
    const changed = [
      ...((await repo.removeActor(tx, { recipient: a, actor: b, kinds })) ? [a] : []),
      ...((await repo.removeActor(tx, { recipient: b, actor: a, kinds })) ? [b] : []),
    ];
    return this.countChanged(tx, changed);
  }

  /**
   * The notifications part of deleting an account (inside its transaction): what it received goes, and it leaves
   * everyone's entries as an actor (entries about its tweets and comments go with them by foreign key). Recipients
   * whose unread count changed hear after the commit.
   */
  async eraseUserIn(tx: Queryable, userId: string): Promise<AfterErasure> {
    const logged = await this.countChanged(tx, await repo.deleteAllOf(tx, userId));
    return () => this.deliver(logged);
  }

  private async countChanged(tx: Queryable, userIds: readonly string[]): Promise<Logged[]> {
    const items: UpdateItem[] = [];
    for (const userId of userIds) items.push(update(userId, "notificationsCountFromServer", { unread_count: await repo.countUnread(tx, userId) }));
    return this.deps.updates.record(tx, items);
  }

  /** Hands what the hooks logged to the devices (after the commit). */
  deliver(logged: readonly Logged[]): void {
    this.deps.feed.deliver(logged);
  }

  /** My entries, newest first, before a sort_id; with my unread count. */
  async page(userId: string, query: { before?: string | undefined; limit?: number | undefined }): Promise<{ notifications: Notification[]; unread_count: number }> {
    const { db } = this.deps;
    const rows = await repo.findEntries(db, userId, { ...(query.before ? { before: query.before } : {}), limit: query.limit ?? NOTIFICATIONS_PAGE });
    return { notifications: rows.map((r) => presentNotification(r, this.mediaUrl)), unread_count: await repo.countUnread(db, userId) };
  }

  async unreadCount(userId: string): Promise<{ unread_count: number }> {
    return { unread_count: await repo.countUnread(this.deps.db, userId) };
  }

  /** Marks my entries up to `upTo` (a sort_id) read; my other devices get the new count through the log. */
  async markRead(actor: { userId: string; socketId: string }, upTo: string): Promise<{ unread_count: number }> {
    const { unread_count, logged } = await this.deps.db.transaction(async (tx) => {
      await repo.markRead(tx, actor.userId, upTo);
      const unread_count = await repo.countUnread(tx, actor.userId);
      return { unread_count, logged: await this.deps.updates.record(tx, [update(actor.userId, "notificationsCountFromServer", { unread_count })]) };
    });
    this.deps.feed.deliver(logged, { exceptSocket: actor.socketId });
    return { unread_count };
  }

  /** An entry as its recipient sees it now (for a push); undefined when it is gone or no longer visible. */
  async pushFacts(recipient: string, id: string): Promise<Notification | undefined> {
    const [row] = await repo.findEntriesByIds(this.deps.db, recipient, [id]);
    return row ? presentNotification(row, this.mediaUrl) : undefined;
  }

  async settings(userId: string): Promise<NotificationSettings> {
    return repo.findNotificationSettings(this.deps.db, userId);
  }

  async updateSettings(userId: string, patch: NotificationSettingsPatch): Promise<NotificationSettings> {
    const changed = Object.fromEntries(Object.entries(patch).filter((e): e is [string, boolean] => typeof e[1] === "boolean"));
    return parseSettings(await repo.mergeSettings(this.deps.db, userId, changed));
  }
}

/** Likes of one tweet, and follows, collapse into one entry while it is unread; everything else stands alone. */
function groupKey(cause: Cause): string | null {
  if (cause.kind === "like" && cause.tweet) return `like:${cause.tweet.id}`;
  if (cause.kind === "follow") return "follow";
  return null;
}
