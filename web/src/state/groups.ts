import { signal } from "@preact/signals";
import { ConversationStore } from "./conversation-store.ts";
import type { Group, GroupChatEntry, GroupInfo, GroupMessage, GroupViewMessage } from "./types.ts";
import { rememberUsers } from "./users.ts";

/** My groups as chat-list rows, by group id. */
export const groupChats = signal<ReadonlyMap<string, GroupChatEntry>>(new Map());
/** Groups I left or lost during this session (an open conversation then says so instead of loading forever). */
export const goneGroups = signal<ReadonlySet<string>>(new Set());
/** Groups whose members were loaded (an open conversation or info panel), by id. */
export const groupInfos = signal<ReadonlyMap<string, GroupInfo>>(new Map());

function sameMessage(a: GroupViewMessage, b: GroupViewMessage): boolean {
  return a.local === b.local && a.context.text === b.context.text && a.edited_at === b.edited_at && (a.context.image?.url ?? null) === (b.context.image?.url ?? null);
}

/** Group conversations, by group id. */
export const groupConversations = new ConversationStore<GroupViewMessage>(sameMessage);

function setEntry(id: string, entry: GroupChatEntry | null): void {
  const next = new Map(groupChats.value);
  if (entry) next.set(id, entry);
  else next.delete(id);
  groupChats.value = next;
}

export function replaceGroupChats(list: readonly GroupChatEntry[]): void {
  groupChats.value = new Map(list.map((entry) => [entry.group.id, entry]));
}

/** A group I am in changed, or I was added to one: its row and its loaded info follow. */
export function putGroup(from: Group): void {
  // Only the group's own fields: a reply may carry more (members, added, refused).
  const group: Group = { id: from.id, title: from.title, photo: from.photo, owner: from.owner, role: from.role, members_count: from.members_count, created_at: from.created_at };
  if (goneGroups.value.has(group.id)) {
    const gone = new Set(goneGroups.value);
    gone.delete(group.id);
    goneGroups.value = gone;
  }
  const old = groupChats.value.get(group.id);
  setEntry(group.id, { kind: "group", group, last_message: old?.last_message ?? null, unread_count: old?.unread_count ?? 0 });
  const info = groupInfos.value.get(group.id);
  if (info) setInfo({ ...info, ...group });
}

export function setInfo(info: GroupInfo): void {
  rememberUsers(info.members);
  const next = new Map(groupInfos.value);
  next.set(info.id, info);
  groupInfos.value = next;
}

/** I left, was removed, or the group was deleted: it leaves my chats and its history goes. */
export function forgetGroup(id: string): void {
  goneGroups.value = new Set([...goneGroups.value, id]);
  if (groupChats.value.has(id)) setEntry(id, null);
  if (groupInfos.value.has(id)) {
    const next = new Map(groupInfos.value);
    next.delete(id);
    groupInfos.value = next;
  }
  groupConversations.drop(id);
}

/** A message in a group, from any device: the row moves up; unread grows for others' new ones. */
export function groupChatMessage(message: GroupMessage, incoming: boolean): void {
  const old = groupChats.value.get(message.group);
  if (!old) return;
  const last = old.last_message;
  if (last && last.id > message.id) return;
  const isNew = !last || last.id !== message.id;
  setEntry(message.group, { ...old, last_message: message, unread_count: old.unread_count + (incoming && isNew ? 1 : 0) });
}

/** A row's last message was edited. */
export function patchGroupLastMessage(message: GroupMessage): void {
  const old = groupChats.value.get(message.group);
  if (old?.last_message?.id === message.id) setEntry(message.group, { ...old, last_message: message });
}

export function clearGroupUnread(id: string): void {
  const old = groupChats.value.get(id);
  if (old && old.unread_count !== 0) setEntry(id, { ...old, unread_count: 0 });
}

/** A member's read mark moved. */
export function setMemberMark(groupId: string, userId: string, upTo: string): void {
  const info = groupInfos.value.get(groupId);
  if (!info) return;
  const members = info.members.map((m) => (m.user_id === userId && (m.seen_up_to ?? "") < upTo ? { ...m, seen_up_to: upTo } : m));
  setInfo({ ...info, members });
}

/** The newest message any member but me has seen: my messages up to it show as seen. */
export function othersMark(info: GroupInfo | undefined, me: string | null): string {
  let max = "";
  for (const m of info?.members ?? []) if (m.user_id !== me && m.seen_up_to && m.seen_up_to > max) max = m.seen_up_to;
  return max;
}

/** Forgets every group (log out). */
export function clearGroups(): void {
  groupChats.value = new Map();
  groupInfos.value = new Map();
  goneGroups.value = new Set();
  groupConversations.clear();
}
