import type { Config } from "../../config.ts";
import type { Db, Queryable } from "../../db/db.ts";
import type { Publisher } from "../../realtime/publish.ts";
import { groupRoom } from "../../realtime/rooms.ts";
import { BatchLoader } from "../../shared/batch.ts";
import type { Clock } from "../../shared/clock.ts";
import { AppError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { AfterErasure } from "../../shared/tombstone.ts";
import type { MediaService } from "../media/service.ts";
import { update, type UpdateDelivery, type UpdateItem, type UpdateLog } from "../sync/log.ts";
import { addRefusal, canAdminister, canChangeRoles, canDeleteForEveryone, canLeave, canRemove, isSender, type GroupRole } from "./policy.ts";
import { presentSummary } from "../people/presenter.ts";
import { presentGroup, presentGroupMessage, presentMember, type Group, type GroupMessage } from "./presenter.ts";
import * as repo from "./repo.ts";
import type { GroupMessageWriter } from "./writer.ts";

export interface Actor {
  userId: string;
  socketId: string;
}

export type Refusal = { user_id: string; reason: "not_found" | "blocked" | "privacy" | "already_member" | "full" };

const TYPING_THROTTLE_MS = 2000;
const TYPING_SHOWN_MS = 6000;

/**
 * Group chats. Every change to a group runs in a transaction holding the group's lock (members, roles, messages in
 * one order), is logged for each member it concerns, and reaches their devices only after the commit.
 */
export class GroupsService {
  private readonly typingSent = new Map<string, number>();
  // Read by every connection (its group rooms): connections arriving together share the query.
  private readonly groupIdsOf = new BatchLoader<string, string[]>((ids) => repo.findGroupIdsOf(this.deps.db, ids));

  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      config: Config;
      media: MediaService;
      publisher: Publisher;
      updates: UpdateLog;
      feed: UpdateDelivery;
      writer: GroupMessageWriter;
      /** Told of each new message after its commit, with the members it was logged for (Web Push). */
      onSent?: (sent: { group_id: string; message_id: string; recipients: string[] }) => void;
    },
  ) {}

  private readonly mediaUrl = (id: string) => this.deps.media.url(id);

  /** The rooms a new connection joins. */
  async roomsOf(userId: string): Promise<string[]> {
    return ((await this.groupIdsOf.load(userId)) ?? []).map(groupRoom);
  }

  async create(
    actor: Actor,
    input: { title: string; members: readonly string[]; photo?: Buffer | undefined },
  ): Promise<Group & { added: string[]; refused: Refusal[] }> {
    const { title, members } = input;
    const id = newId(this.deps.clock.now());
    const photo = input.photo ? await this.deps.media.storeImage(actor.userId, input.photo, "avatar") : null;
    const result = await this.change(actor, async (tx, now) => {
      await repo.insertGroup(tx, { id, title, photo_id: photo?.id ?? null, owner_id: actor.userId, created_at: now });
      await repo.lockGroup(tx, id);
      await repo.addMembers(tx, id, [{ user_id: actor.userId, role: "owner" }], now);
      const outcome = await this.addIn(tx, id, actor.userId, members.filter((m) => m !== actor.userId), now);
      return { value: outcome, items: outcome.items };
    });
    const { added, refused } = result;
    await this.deps.publisher.joinRoom([actor.userId, ...added], groupRoom(id));
    const group = (await repo.findGroup(this.deps.db, id))!;
    return { ...presentGroup(group, "owner", this.mediaUrl), added, refused };
  }

  async info(userId: string, groupId: string) {
    const { group, role } = await this.membership(this.deps.db, groupId, userId);
    const members = await repo.findMembers(this.deps.db, groupId);
    return { ...presentGroup(group, role, this.mediaUrl), members: members.map((m) => presentMember(m, this.mediaUrl)) };
  }

  /** Title and photo (admins); a null photo removes it. */
  async update(actor: Actor, groupId: string, change: { title?: string | undefined; photo?: Buffer | null | undefined }): Promise<Group> {
    // Checked before the image is processed, and again under the lock.
    if (!canAdminister((await this.membership(this.deps.db, groupId, actor.userId)).role)) {
      throw new AppError("forbidden", "Only the group's admins can change it.");
    }
    const photoId =
      change.photo === undefined ? undefined : change.photo === null ? null : (await this.deps.media.storeImage(actor.userId, change.photo, "avatar")).id;
    await this.change(actor, async (tx) => {
      const { role } = await this.locked(tx, groupId, actor.userId);
      if (!canAdminister(role)) throw new AppError("forbidden", "Only the group's admins can change it.");
      await repo.updateGroup(tx, groupId, { title: change.title, photo_id: photoId });
      return { value: null, items: await this.updatedItems(tx, groupId) };
    });
    return this.groupAs(groupId, actor.userId);
  }

  async addMembers(actor: Actor, groupId: string, members: readonly string[]): Promise<{ added: string[]; refused: Refusal[] }> {
    const outcome = await this.change(actor, async (tx, now) => {
      const { role } = await this.locked(tx, groupId, actor.userId);
      if (!canAdminister(role)) throw new AppError("forbidden", "Only the group's admins can add members.");
      const result = await this.addIn(tx, groupId, actor.userId, members, now);
      return { value: result, items: result.items };
    });
    await this.deps.publisher.joinRoom(outcome.added, groupRoom(groupId));
    return { added: outcome.added, refused: outcome.refused };
  }

  async removeMember(actor: Actor, groupId: string, userId: string): Promise<{ group: string; user: string }> {
    await this.change(actor, async (tx) => {
      const { role } = await this.locked(tx, groupId, actor.userId);
      const target = await repo.findRole(tx, groupId, userId);
      if (target === undefined) throw new AppError("not_found", "That user is not a member of this group.");
      if (!canRemove(role, target)) throw new AppError("forbidden", "Admins remove members; only the owner removes admins, and nobody the owner.");
      return { value: null, items: await this.removeIn(tx, groupId, userId, actor.userId) };
    });
    await this.deps.publisher.leaveRoom([userId], groupRoom(groupId));
    return { group: groupId, user: userId };
  }

  async leave(actor: Actor, groupId: string): Promise<{ group: string }> {
    await this.change(actor, async (tx) => {
      const { group, role } = await this.locked(tx, groupId, actor.userId);
      if (!canLeave(role, group.members_count)) throw new AppError("forbidden", "Transfer the ownership before leaving the group.");
      if (group.members_count <= 1) {
        await repo.deleteGroup(tx, groupId);
        return { value: null, items: [update(actor.userId, "removedFromGroupFromServer", { group: groupId, by: actor.userId })] };
      }
      return { value: null, items: await this.removeIn(tx, groupId, actor.userId, actor.userId) };
    });
    await this.deps.publisher.leaveRoom([actor.userId], groupRoom(groupId));
    return { group: groupId };
  }

  async setRole(actor: Actor, groupId: string, userId: string, role: "admin" | "member"): Promise<Group> {
    await this.change(actor, async (tx) => {
      const mine = await this.locked(tx, groupId, actor.userId);
      if (!canChangeRoles(mine.role)) throw new AppError("forbidden", "Only the group's owner can change roles.");
      const target = await repo.findRole(tx, groupId, userId);
      if (target === undefined) throw new AppError("not_found", "That user is not a member of this group.");
      if (target === "owner") throw new AppError("invalid_input", "The owner's role changes only by transferring the ownership.");
      await repo.setRole(tx, groupId, userId, role);
      return { value: null, items: await this.updatedItems(tx, groupId) };
    });
    return this.groupAs(groupId, actor.userId);
  }

  async transferOwnership(actor: Actor, groupId: string, userId: string): Promise<Group> {
    await this.change(actor, async (tx) => {
      const mine = await this.locked(tx, groupId, actor.userId);
      if (!canChangeRoles(mine.role)) throw new AppError("forbidden", "Only the group's owner can transfer it.");
      const target = await repo.findRole(tx, groupId, userId);
      if (target === undefined) throw new AppError("not_found", "That user is not a member of this group.");
      if (target === "owner") return { value: null, items: [] };
      await repo.setRole(tx, groupId, userId, "owner");
      await repo.setRole(tx, groupId, actor.userId, "admin");
      await repo.setOwner(tx, groupId, userId);
      return { value: null, items: await this.updatedItems(tx, groupId) };
    });
    return this.groupAs(groupId, actor.userId);
  }

  async delete(actor: Actor, groupId: string): Promise<{ group: string }> {
    let members: string[] = [];
    await this.change(actor, async (tx) => {
      const { role } = await this.locked(tx, groupId, actor.userId);
      if (!canChangeRoles(role)) throw new AppError("forbidden", "Only the group's owner can delete it.");
      members = await repo.findMemberIds(tx, groupId);
      await repo.deleteGroup(tx, groupId);
      return { value: null, items: members.map((m) => update(m, "removedFromGroupFromServer", { group: groupId, by: actor.userId })) };
    });
    await this.deps.publisher.leaveRoom(members, groupRoom(groupId));
    return { group: groupId };
  }

  /**
   * Stores a message (idempotent per sender and client_id) and logs it for every member; resolves after the commit,
   * which it shares with the sends around it (see GroupMessageWriter).
   */
  async send(
    actor: Actor,
    input: { group: string; reply_to?: string | undefined; text?: string | undefined; image?: Buffer | undefined; client_id?: string | undefined },
  ): Promise<GroupMessage> {
    const { db, media, writer, feed } = this.deps;
    // A send with an image: a retry returns the original, and a non-member is refused, before the image is processed.
    // Without one the batch decides both by itself (membership under the group's lock), with no query per send.
    if (input.image) {
      const earlier = input.client_id ? await repo.findByClientId(db, actor.userId, input.client_id) : undefined;
      if (earlier) return this.presentMessage(earlier);
      await this.membership(db, input.group, actor.userId);
    }
    const image = input.image ? await media.storeImage(actor.userId, input.image, "group_message") : null;
    const result = await writer.write({
      message: {
        group_id: input.group,
        sender_id: actor.userId,
        reply_to: input.reply_to ?? null,
        text: input.text ?? null,
        image_id: image?.id ?? null,
        client_id: input.client_id ?? null,
      },
      image,
    });
    if (result.status === "refused") throw new AppError("not_found", "No such group.");
    // A retry (or its twin in the same batch): the original, told to nobody again.
    if (result.status === "duplicate") return this.presentMessage(result.row);
    feed.deliver(result.logged, { exceptSocket: actor.socketId });
    this.deps.onSent?.({ group_id: input.group, message_id: result.row.id, recipients: result.logged.map((l) => l.userId).filter((id) => id !== actor.userId) });
    const message = presentGroupMessage(result.row, new Map(image ? [[image.id, image]] : []));
    const mine = result.logged.find((l) => l.userId === actor.userId);
    return mine ? { ...message, seq: mine.seq } : message;
  }

  /**
   * What a push about a group message needs, as a member sees it now; undefined when it is gone, hidden, or they are
   * no longer a member. Seen: their read mark has reached it.
   */
  async pushFacts(
    userId: string,
    groupId: string,
    messageId: string,
  ): Promise<{ seen: boolean; sender_id: string; text: string | null; hasImage: boolean; title: string } | undefined> {
    const { db } = this.deps;
    const [row, mark, group] = await Promise.all([repo.findMessage(db, messageId), repo.findSeenUpTo(db, groupId, userId), repo.findGroup(db, groupId)]);
    if (!row || row.group_id !== groupId || mark === undefined || !group || (await repo.isHiddenFor(db, userId, messageId))) return undefined;
    return { seen: mark !== null && mark >= messageId, sender_id: row.sender_id, text: row.text, hasImage: row.image_id !== null, title: group.title };
  }

  /** The group's messages, newest first, by keyset; members only. */
  async history(userId: string, groupId: string, before: string | undefined, limit: number): Promise<GroupMessage[]> {
    await this.membership(this.deps.db, groupId, userId);
    const rows = await repo.findMessagesPage(this.deps.db, groupId, userId, before, limit);
    const images = await this.deps.media.refsByIds(rows.flatMap((r) => (r.image_id ? [r.image_id] : [])));
    return rows.map((r) => presentGroupMessage(r, images));
  }

  /** The sender changes a message's text; every member's devices hear of it. */
  async edit(actor: Actor, id: string, text: string): Promise<GroupMessage> {
    const row = await this.visibleMessage(actor.userId, id);
    if (!isSender(actor.userId, row.sender_id)) throw new AppError("forbidden", "Only the sender can edit a message.");
    return this.change(actor, async (tx, now) => {
      await this.locked(tx, row.group_id, actor.userId);
      const updated = await repo.updateMessageText(tx, id, text, now);
      if (!updated) throw new AppError("not_found", "No such message.");
      const presented = await this.presentMessage(updated);
      const members = await repo.findMemberIds(tx, row.group_id);
      return { value: presented, items: members.map((m) => update(m, "groupMessageEditedFromServer", presented)) };
    });
  }

  /** Deletes for me only, or for everyone (the sender, or an admin). */
  async deleteMessage(actor: Actor, id: string, forEveryone: boolean): Promise<{ id: string; group: string; for_everyone: boolean }> {
    const row = await this.visibleMessage(actor.userId, id);
    const payload = { id, group: row.group_id };
    await this.change(actor, async (tx) => {
      const { role } = await this.locked(tx, row.group_id, actor.userId);
      if (!forEveryone) {
        await repo.hideMessage(tx, actor.userId, id);
        return { value: null, items: [update(actor.userId, "groupMessageDeletedFromServer", payload)] };
      }
      if (!canDeleteForEveryone({ userId: actor.userId, role }, row.sender_id)) {
        throw new AppError("forbidden", "Only the sender or an admin can delete a message for everyone.");
      }
      await repo.deleteMessage(tx, id);
      const members = await repo.findMemberIds(tx, row.group_id);
      return { value: null, items: members.map((m) => update(m, "groupMessageDeletedFromServer", payload)) };
    });
    return { ...payload, for_everyone: forEveryone };
  }

  /** Who of the other members has seen my message, and when (the sender only). */
  async readers(userId: string, id: string) {
    const row = await this.visibleMessage(userId, id);
    if (!isSender(userId, row.sender_id)) throw new AppError("forbidden", "Only the sender sees who read a message.");
    const readers = await repo.findReaders(this.deps.db, row);
    return readers.map((r) => ({ user: presentSummary({ id: r.user_id, ...r }, this.mediaUrl), seen_at: r.seen_at.toISOString() }));
  }

  /** A message of a group I am in that I did not hide; `not_found` otherwise, as for one that does not exist. */
  private async visibleMessage(userId: string, id: string): Promise<repo.GroupMessageRow> {
    const row = await repo.findMessage(this.deps.db, id);
    if (!row || (await repo.findRole(this.deps.db, row.group_id, userId)) === undefined || (await repo.isHiddenFor(this.deps.db, userId, id))) {
      throw new AppError("not_found", "No such message.");
    }
    return row;
  }

  /** Moves my read mark to `upTo`; every member's devices hear of it (only when it moved). */
  async markSeen(actor: Actor, groupId: string, upTo: string): Promise<{ group: string; up_to: string; seen_at: string }> {
    const seenAt = new Date(this.deps.clock.now());
    const payload = { group: groupId, by: actor.userId, up_to: upTo, seen_at: seenAt.toISOString() };
    const logged = await this.deps.db.transaction(async (tx) => {
      await this.membership(tx, groupId, actor.userId);
      if (!(await repo.advanceSeen(tx, groupId, actor.userId, upTo, seenAt))) return [];
      const members = await repo.findMemberIds(tx, groupId);
      return this.deps.updates.record(tx, members.map((m) => update(m, "groupSeenFromServer", payload)));
    });
    this.deps.feed.deliver(logged, { exceptSocket: actor.socketId });
    return { group: groupId, up_to: upTo, seen_at: payload.seen_at };
  }

  /** Ephemeral, throttled like direct typing; not shown to members who blocked the typist; silent for non-members. */
  async typing(actor: Actor, groupId: string): Promise<null> {
    const now = this.deps.clock.now();
    const key = `${actor.userId}:${groupId}`;
    if ((this.typingSent.get(key) ?? 0) > now - TYPING_THROTTLE_MS) return null;
    this.typingSent.set(key, now);
    if (this.typingSent.size > 50_000) for (const [k, at] of this.typingSent) if (at <= now - TYPING_THROTTLE_MS) this.typingSent.delete(k);
    if ((await repo.findRole(this.deps.db, groupId, actor.userId)) === undefined) return null;
    const blockers = await repo.findBlockersAmong(this.deps.db, groupId, actor.userId);
    this.deps.publisher.toRoom(
      groupRoom(groupId),
      "groupTypingFromServer",
      { group: groupId, user: actor.userId, until: new Date(now + TYPING_SHOWN_MS).toISOString() },
      { exceptUsers: [actor.userId, ...blockers] },
    );
    return null;
  }

  /** My groups for the chat list (see getChats), most recent activity first. */
  async chats(userId: string, limit: number): Promise<{ group: Group; last_message: GroupMessage | null; unread_count: number; activity: string }[]> {
    const rows = await repo.findGroupChats(this.deps.db, userId, limit);
    const images = await this.deps.media.refsByIds(rows.flatMap((r) => (r.last?.image_id ? [r.last.image_id] : [])));
    return rows.map((r) => ({
      group: presentGroup(r, r.role, this.mediaUrl),
      last_message: r.last ? presentGroupMessage(r.last, images) : null,
      unread_count: r.unread_count,
      activity: r.last?.id ?? r.id,
    }));
  }

  /**
   * The groups part of deleting an account (inside its transaction): it leaves every group. A group it owned passes to
   * its longest-standing admin, else its longest-standing member; one where it was alone is deleted. Its messages
   * stay, shown from "Deleted account". The members hear after the commit.
   */
  async eraseUserIn(tx: Queryable, userId: string): Promise<AfterErasure> {
    // In id order, so two deletions sharing groups take the locks in the same order.
    const groupIds = [...((await repo.findGroupIdsOf(tx, [userId])).get(userId) ?? [])].sort();
    const items: UpdateItem[] = [];
    for (const groupId of groupIds) {
      await repo.lockGroup(tx, groupId);
      const group = await repo.findGroup(tx, groupId);
      const role = group ? await repo.findRole(tx, groupId, userId) : undefined;
      if (!group || role === undefined) continue;
      const successor = await repo.findSuccessor(tx, groupId, userId);
      if (!successor) {
        await repo.deleteGroup(tx, groupId);
        continue;
      }
      if (role === "owner") {
        await repo.setRole(tx, groupId, successor, "owner");
        await repo.setOwner(tx, groupId, successor);
      }
      await repo.removeMember(tx, groupId, userId);
      items.push(...(await this.updatedItems(tx, groupId)));
    }
    await repo.deleteMessageMarksOf(tx, userId);
    const logged = await this.deps.updates.record(tx, items);
    return () => this.deps.feed.deliver(logged);
  }

  /** Runs a change in one transaction and delivers what it logged after the commit. */
  private async change<T>(actor: Actor, fn: (tx: Queryable, now: Date) => Promise<{ value: T; items: UpdateItem[] }>): Promise<T> {
    const { value, logged } = await this.deps.db.transaction(async (tx) => {
      const result = await fn(tx, new Date(this.deps.clock.now()));
      return { value: result.value, logged: await this.deps.updates.record(tx, result.items) };
    });
    this.deps.feed.deliver(logged, { exceptSocket: actor.socketId });
    return value;
  }

  /** The group and my role; `not_found` for a group that does not exist or that I am not in (the same answer). */
  private async membership(db: Queryable, groupId: string, userId: string): Promise<{ group: repo.GroupRow; role: GroupRole }> {
    const [group, role] = await Promise.all([repo.findGroup(db, groupId), repo.findRole(db, groupId, userId)]);
    if (!group || role === undefined) throw new AppError("not_found", "No such group.");
    return { group, role };
  }

  /** As membership(), under the group's lock (inside a transaction). */
  private async locked(tx: Queryable, groupId: string, userId: string) {
    await repo.lockGroup(tx, groupId);
    const group = await repo.findGroup(tx, groupId);
    const role = group ? await repo.findRole(tx, groupId, userId) : undefined;
    if (!group || role === undefined) throw new AppError("not_found", "No such group.");
    return { group, role };
  }

  /** Adds whom `adder` may add, up to the limit; the added hear of the group, the members of the change. */
  private async addIn(tx: Queryable, groupId: string, adder: string, candidates: readonly string[], now: Date) {
    const wanted = [...new Set(candidates)].filter((c) => c !== adder);
    const facts = await repo.findAddFacts(tx, groupId, adder, wanted);
    const refusals = new Map(wanted.flatMap((id) => {
      const reason = addRefusal(facts.get(id)!);
      return reason ? [[id, reason] as const] : [];
    }));
    const refused: Refusal[] = [...refusals].map(([user_id, reason]) => ({ user_id, reason }));
    const group = (await repo.findGroup(tx, groupId))!;
    const room = Math.max(0, this.deps.config.groups.maxMembers - group.members_count);
    const allowed = wanted.filter((c) => !refusals.has(c));
    for (const user_id of allowed.slice(room)) refused.push({ user_id, reason: "full" });
    const added = await repo.addMembers(tx, groupId, allowed.slice(0, room).map((user_id) => ({ user_id, role: "member" as const })), now);
    if (added.length === 0) return { added, refused, items: [] as UpdateItem[] };
    const after = (await repo.findGroup(tx, groupId))!;
    const items = [
      ...added.map((user) => update(user, "addedToGroupFromServer", { group: presentGroup(after, "member", this.mediaUrl), by: adder })),
      ...(await this.updatedItems(tx, groupId, added)),
    ];
    return { added, refused, items };
  }

  private async removeIn(tx: Queryable, groupId: string, userId: string, by: string): Promise<UpdateItem[]> {
    await repo.removeMember(tx, groupId, userId);
    return [update(userId, "removedFromGroupFromServer", { group: groupId, by }), ...(await this.updatedItems(tx, groupId))];
  }

  /** groupUpdatedFromServer for every member (each with their own role), except those given. */
  private async updatedItems(tx: Queryable, groupId: string, except: readonly string[] = []): Promise<UpdateItem[]> {
    const group = (await repo.findGroup(tx, groupId))!;
    const members = await repo.findMembers(tx, groupId);
    return members
      .filter((m) => !except.includes(m.user_id))
      .map((m) => update(m.user_id, "groupUpdatedFromServer", presentGroup(group, m.role, this.mediaUrl)));
  }

  private async groupAs(groupId: string, userId: string): Promise<Group> {
    const { group, role } = await this.membership(this.deps.db, groupId, userId);
    return presentGroup(group, role, this.mediaUrl);
  }

  private async presentMessage(row: repo.GroupMessageRow): Promise<GroupMessage> {
    const images = await this.deps.media.refsByIds(row.image_id ? [row.image_id] : []);
    return presentGroupMessage(row, images);
  }
}
