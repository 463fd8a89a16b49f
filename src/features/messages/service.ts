import type { Config } from "../../config.ts";
import type { Db, Queryable } from "../../db/db.ts";
import type { Publisher } from "../../realtime/publish.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { TOMBSTONE_NAME, type AfterErasure } from "../../shared/tombstone.ts";
import type { MediaService } from "../media/service.ts";
import { presentSummary, type UserSummary } from "../people/presenter.ts";
import { update, type UpdateDelivery, type UpdateLog } from "../sync/log.ts";
import { canDeleteForEveryone, canEdit, canMessage, isParticipant, visibleSeenAt } from "./policy.ts";
import { presentMessage, type Message } from "./presenter.ts";
import * as repo from "./repo.ts";
import type { MessageRow } from "./repo.ts";
import type { MessageWriter } from "./writer.ts";
import { BatchLoader } from "../../shared/batch.ts";

export interface Actor {
  userId: string;
  socketId: string;
}

export interface ChatEntry {
  user: UserSummary;
  last_message: Message;
  unread_count: number;
}

export interface SendInput {
  to: string;
  reply_to?: string | undefined;
  text?: string | undefined;
  image?: Buffer | undefined;
  client_id?: string | undefined;
}

const TYPING_THROTTLE_MS = 2000;
const TYPING_SHOWN_MS = 6000;
const CHAT_LIST_LIMIT = 500;

/** Direct messages: every write commits before anyone hears of it, then reaches every device through user rooms. */
export class MessagesService {
  private readonly typingSent = new Map<string, number>();
  // Read by every connection's bootstrap: connections arriving together share the queries.
  private readonly unreadOf = new BatchLoader<string, MessageRow[]>((ids) =>
    repo.findUnreadOf(this.deps.db, ids, this.deps.config.messages.unreadCap),
  );
  // Every send asks whether its recipient is suspended: sends arriving together share the query.
  private readonly suspended = new BatchLoader<string, true>(async (ids) =>
    new Map((await repo.findSuspended(this.deps.db, ids)).map((id) => [id, true as const])),
  );
  private readonly chatListOf = new BatchLoader<string, repo.ChatListRow[]>((ids) =>
    repo.findChatListOf(this.deps.db, ids, CHAT_LIST_LIMIT),
  );

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      config: Config;
      media: MediaService;
      publisher: Publisher;
      writer: MessageWriter;
      updates: UpdateLog;
      feed: UpdateDelivery;
      metrics?: { messagesSent: { inc(): void } };
      /** Told of each new message after its commit (Web Push for recipients with no device connected). */
      onSent?: (sent: { message_id: string; recipients: string[] }) => void;
    },
  ) {}

  /** Stores a message (idempotent per sender and client_id) and delivers it; resolves only after the commit. */
  async send(actor: Actor, input: SendInput): Promise<Message> {
    const { db, media, writer, feed } = this.deps;
    // A retry of a send with an image returns the original before the image is processed again; without an image
    // the writer finds the original itself.
    if (input.client_id && input.image) {
      const [earlier] = await repo.findByClientIds(db, [{ sender_id: actor.userId, client_id: input.client_id }]);
      if (earlier) return (await this.present([earlier]))[0]!;
    }
    // Existence and blocks are checked by the batch INSERT itself (no query per send); only "self" is decided here.
    if (canMessage(actor.userId, input.to, { exists: true, i_blocked: false, they_blocked: false, blocked_since: null }) === "self") {
      throw new AppError("invalid_input", "You cannot message yourself.");
    }
    if (await this.suspended.load(input.to)) throw new AppError("recipient_suspended", "This account is suspended; messages to it are refused.");
    if (input.reply_to) {
      const target = await repo.findMessage(db, input.reply_to);
      const [a, b] = repo.conversationKey(actor.userId, input.to);
      if (!target || repo.conversationKey(target.sender_id, target.recipient_id).join() !== [a, b].join()) {
        throw new AppError("invalid_input", "reply_to is not a message of this conversation.");
      }
    }
    const image = input.image ? await media.storeImage(actor.userId, input.image, "message") : null;
    const result = await writer.write({
      message: {
        sender_id: actor.userId,
        recipient_id: input.to,
        reply_to: input.reply_to ?? null,
        text: input.text ?? null,
        image_id: image?.id ?? null,
        client_id: input.client_id ?? null,
      },
      image,
    });
    if (result.status === "unknown" || result.status === "blocked") {
      throw result.status === "unknown"
        ? new AppError("not_found", "No such user.")
        : new AppError("forbidden", "You cannot message this user.");
    }
    const message = presentMessage(result.row, new Map(image ? [[image.id, image]] : []));
    if (result.status === "duplicate") return message;
    this.deps.metrics?.messagesSent.inc();
    feed.deliver(result.logged, { exceptSocket: actor.socketId });
    this.deps.onSent?.({ message_id: result.row.id, recipients: [input.to] });
    const mine = result.logged.find((l) => l.userId === actor.userId);
    return mine ? { ...message, seq: mine.seq } : message;
  }

  /** The conversation with another user, newest first, by keyset (`before`) or by 1-based page. */
  async history(me: string, other: string, page: { before?: string; page?: number; limit: number }): Promise<Message[]> {
    const relation = await repo.findRecipientRelation(this.deps.db, me, other);
    if (!relation.exists) throw new AppError("not_found", "No such user.");
    const rows = await repo.findConversationPage(this.deps.db, me, other, {
      ...(page.before ? { before: page.before } : {}),
      offset: page.before ? 0 : ((page.page ?? 1) - 1) * page.limit,
      limit: page.limit,
    });
    return this.present(rows.map((row) => ({ ...row, seen_at: visibleSeenAt(me, row, relation.blocked_since) })));
  }

  /**
   * The messages part of deleting an account (inside its transaction): its chat list and what it hid go; the messages
   * stay, so each partner still reads the conversation, from the tombstone ("Deleted account"), and is told live.
   */
  async eraseUserIn(tx: Queryable, userId: string): Promise<AfterErasure> {
    const partners = await repo.deleteOwnSideOf(tx, userId);
    // Logged, so a partner's chat list shows "Deleted account" live, or after catching up, without reloading.
    const logged = await this.deps.updates.record(tx, partners.map((p) => update(p, "accountDeletedFromServer", { user_id: userId, name: TOMBSTONE_NAME })));
    return () => this.deps.feed.deliver(logged);
  }

  /** A page of the people I have conversations with, by id after a cursor (the export walks each conversation). */
  partners(userId: string, after: string | null, limit: number): Promise<string[]> {
    return repo.findPartners(this.deps.db, userId, after, limit);
  }

  /** Unseen messages to me, oldest first, at most the configured cap (the newest ones). */
  async unread(me: string): Promise<Message[]> {
    return this.present((await this.unreadOf.load(me)) ?? []);
  }

  /** One entry per conversation, most recent first. */
  async chatList(me: string): Promise<ChatEntry[]> {
    const rows = (await this.chatListOf.load(me)) ?? [];
    const messages = await this.present(rows.map((r) => ({ ...r.message, seen_at: visibleSeenAt(me, r.message, r.blocked_since) })));
    const url = (id: string) => this.deps.media.url(id);
    return rows.map((row, i) => ({
      user: presentSummary({ id: row.other_id, ...row }, url),
      last_message: messages[i]!,
      unread_count: row.unread_count,
    }));
  }

  /** Marks `with`'s messages to me up to `upTo` as seen and tells both sides (only my own devices across a block). */
  async markSeen(actor: Actor, withId: string, upTo: string): Promise<{ count: number; seen_at: string }> {
    const seenAt = new Date(this.deps.clock.now());
    const payload = { by: actor.userId, with: withId, up_to: upTo, seen_at: seenAt.toISOString() };
    const { count, logged } = await this.deps.db.transaction(async (tx) => {
      const changed = await repo.markSeen(tx, actor.userId, withId, upTo, seenAt);
      if (changed === 0) return { count: 0, logged: [] };
      const relation = await repo.findRecipientRelation(tx, actor.userId, withId);
      const told = relation.blocked_since === null ? [withId, actor.userId] : [actor.userId];
      const items = told.map((user) => update(user, "messagesSeenFromServer", payload));
      return { count: changed, logged: await this.deps.updates.record(tx, items) };
    });
    this.deps.feed.deliver(logged, { exceptSocket: actor.socketId });
    return { count, seen_at: payload.seen_at };
  }

  /** The sender changes the text of their message; both people's devices hear of it. */
  async edit(actor: Actor, id: string, text: string): Promise<Message> {
    const row = await this.visibleMessage(actor.userId, id);
    const other = row.sender_id === actor.userId ? row.recipient_id : row.sender_id;
    const relation = await repo.findRecipientRelation(this.deps.db, actor.userId, other);
    if (!canEdit(actor.userId, row, { blocked: relation.i_blocked || relation.they_blocked })) {
      throw new AppError("forbidden", "Only the sender can edit a message, and not across a block.");
    }
    const { message, logged } = await this.deps.db.transaction(async (tx) => {
      const updated = await repo.updateText(tx, id, text, new Date(this.deps.clock.now()));
      if (!updated) throw new AppError("not_found", "No such message.");
      const [presented] = await this.present([updated]);
      const items = [updated.sender_id, updated.recipient_id].map((user) => update(user, "messageEditedFromServer", presented!));
      return { message: presented!, logged: await this.deps.updates.record(tx, items) };
    });
    this.deps.feed.deliver(logged, { exceptSocket: actor.socketId });
    return message;
  }

  /** Deletes for me only, or (the sender) for both people. */
  async delete(actor: Actor, id: string, forEveryone: boolean): Promise<{ id: string; for_everyone: boolean }> {
    const row = await this.visibleMessage(actor.userId, id);
    const [a, b] = repo.conversationKey(row.sender_id, row.recipient_id);
    if (forEveryone && !canDeleteForEveryone(actor.userId, row)) {
      throw new AppError("forbidden", "Only the sender can delete a message for everyone.");
    }
    const audience = forEveryone ? [row.sender_id, row.recipient_id] : [actor.userId];
    const logged = await this.deps.db.transaction(async (tx) => {
      if (forEveryone) await repo.deleteMessage(tx, id);
      else await repo.hideFor(tx, actor.userId, id);
      await repo.refreshLastMessage(tx, audience, a, b);
      return this.deps.updates.record(tx, audience.map((user) => update(user, "messageDeletedFromServer", { id })));
    });
    this.deps.feed.deliver(logged, { exceptSocket: actor.socketId });
    return { id, for_everyone: forEveryone };
  }

  /** A direct message as its recipient sees it (only the recipient may report one); `not_found` for anyone else. */
  async received(viewerId: string, id: string): Promise<Message> {
    const row = await this.visibleMessage(viewerId, id);
    if (row.recipient_id !== viewerId) throw new AppError("not_found", "No such message.");
    return (await this.present([row]))[0]!;
  }

  /** Deletes a message for both people whoever sent it (moderation), as a delete for everyone. False: gone already. */
  async remove(id: string): Promise<boolean> {
    const row = await repo.findMessage(this.deps.db, id);
    if (!row) return false;
    const [a, b] = repo.conversationKey(row.sender_id, row.recipient_id);
    const audience = [row.sender_id, row.recipient_id];
    const logged = await this.deps.db.transaction(async (tx) => {
      await repo.deleteMessage(tx, id);
      await repo.refreshLastMessage(tx, audience, a, b);
      return this.deps.updates.record(tx, audience.map((user) => update(user, "messageDeletedFromServer", { id })));
    });
    this.deps.feed.deliver(logged);
    return true;
  }

  /**
   * Devices confirmed receiving their users' updates up to a seq (user id → seq): the messages among them become
   * delivered, and each sender hears it once per advance of a watermark (`messagesDeliveredFromServer`). Many users'
   * confirmations share one transaction.
   */
  async confirmDelivered(marks: ReadonlyMap<string, number>): Promise<void> {
    const deliveredAt = new Date(this.deps.clock.now());
    const logged = await this.deps.db.transaction(async (tx) => {
      const covered = await this.deps.updates.advanceDelivered(tx, marks, "singleUnreadMsgFromServer");
      const changed = await repo.markDelivered(
        tx,
        covered.map((u) => ({ recipient_id: u.user_id, id: String(u.data["id"]) })),
        deliveredAt,
      );
      // One receipt per (recipient, sender) pair, naming the newest message it covers.
      const newest = new Map<string, { by: string; with: string; up_to: string }>();
      for (const m of changed) {
        const key = `${m.recipient_id}:${m.sender_id}`;
        if ((newest.get(key)?.up_to ?? "") < m.id) newest.set(key, { by: m.recipient_id, with: m.sender_id, up_to: m.id });
      }
      const items = [...newest.values()].map((r) =>
        update(r.with, "messagesDeliveredFromServer", { ...r, delivered_at: deliveredAt.toISOString() }),
      );
      return this.deps.updates.record(tx, items);
    });
    this.deps.feed.deliver(logged);
  }

  /** An ephemeral typing indicator: never stored, at most one per conversation every 2 s, silent when not allowed. */
  async typing(actor: Actor, to: string): Promise<null> {
    const now = this.deps.clock.now();
    const key = `${actor.userId}:${to}`;
    if ((this.typingSent.get(key) ?? 0) > now - TYPING_THROTTLE_MS) return null;
    this.typingSent.set(key, now);
    if (this.typingSent.size > 50_000) this.forgetOldTyping(now);
    if (canMessage(actor.userId, to, await repo.findRecipientRelation(this.deps.db, actor.userId, to)) !== "ok") return null;
    this.deps.publisher.toUsers([to], "typingFromServer", { from: actor.userId, until: new Date(now + TYPING_SHOWN_MS).toISOString() });
    return null;
  }

  private forgetOldTyping(now: number): void {
    for (const [key, at] of this.typingSent) if (at <= now - TYPING_THROTTLE_MS) this.typingSent.delete(key);
  }

  /** A message the user takes part in and has not hidden; `not_found` otherwise, as for one that does not exist. */
  /** What a push about a message needs, as its recipient sees it now; undefined when it is gone, hidden or not to them. */
  async pushFacts(recipientId: string, messageId: string): Promise<{ seen: boolean; sender_id: string; text: string | null; hasImage: boolean } | undefined> {
    const row = await repo.findMessage(this.deps.db, messageId);
    if (!row || row.recipient_id !== recipientId || (await repo.isHiddenFor(this.deps.db, recipientId, messageId))) return undefined;
    return { seen: row.seen_at !== null, sender_id: row.sender_id, text: row.text, hasImage: row.image_id !== null };
  }

  private async visibleMessage(userId: string, id: string): Promise<MessageRow> {
    const row = await repo.findMessage(this.deps.db, id);
    if (!row || !isParticipant(userId, row) || (await repo.isHiddenFor(this.deps.db, userId, id))) {
      throw new AppError("not_found", "No such message.");
    }
    return row;
  }

  private async present(rows: readonly MessageRow[]): Promise<Message[]> {
    const images = await this.deps.media.refsByIds(rows.flatMap((r) => (r.image_id ? [r.image_id] : [])));
    return rows.map((row) => presentMessage(row, images));
  }
}
