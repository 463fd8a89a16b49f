/** Group chats: the calls to the server, and the pushes that keep the chat list and open groups live. */
import { batch, signal } from "@preact/signals";
import { TelegraphError, type ClientData } from "telegraph-client";
import { announce } from "../state/connection.ts";
import {
  clearGroupUnread,
  forgetGroup,
  groupChatMessage,
  groupChats,
  groupConversations,
  groupInfos,
  patchGroupLastMessage,
  putGroup,
  setInfo,
  setMemberMark,
} from "../state/groups.ts";
import { myId } from "../state/session.ts";
import { setTyping, stopTyping } from "../state/typing.ts";
import { displayName, rememberUsers, users } from "../state/users.ts";
import { onSent } from "./actions.ts";
import { onConnected, onPush } from "./pushes.ts";
import { currentClient, reloadChatListSoon } from "./socket.ts";

const PAGE = 50;

/** The group on screen, if any. */
export const activeGroup = signal<string | null>(null);

/** The key a member's typing is kept under (direct typing uses the partner's id). */
export function typingKey(groupId: string, userId: string): string {
  return `${groupId}:${userId}`;
}

function errorText(error: unknown): string {
  return error instanceof TelegraphError ? error.message : "Something went wrong.";
}

/** Runs a request; resolves with its answer, or with the error's text for the view. */
async function attempt<T>(
  run: (api: NonNullable<ReturnType<typeof currentClient>>["api"]) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: string; code: string }> {
  const client = currentClient();
  if (!client?.socket.connected) return { ok: false, error: "Not connected.", code: "offline" };
  try {
    return { ok: true, value: await run(client.api) };
  } catch (error) {
    return { ok: false, error: errorText(error), code: error instanceof TelegraphError ? error.code : "failed" };
  }
}

export type Refused = ClientData<"addGroupMembers">["refused"];

/** Creates a group with me as its owner; the others are added as by addGroupMembers (some may be refused). */
export async function createGroup(title: string, members: string[]) {
  const got = await attempt((api) => api.createGroup({ title, members }));
  if (got.ok) putGroup(got.value);
  return got;
}

/** Loads (or reloads) the members, their roles and read marks. */
export async function loadGroupInfo(groupId: string): Promise<boolean> {
  const got = await attempt((api) => api.getGroupInfo(groupId));
  if (!got.ok) {
    // Not (or no longer) a member: the group is gone for me.
    if (got.code === "not_found") forgetGroup(groupId);
    return false;
  }
  batch(() => {
    setInfo(got.value);
    putGroup(got.value);
  });
  return true;
}

/** Opens a group: its members and its newest page (one request each) unless already here. */
export async function openGroup(groupId: string): Promise<void> {
  activeGroup.value = groupId;
  if (!groupInfos.value.has(groupId)) void loadGroupInfo(groupId);
  if (groupConversations.get(groupId).loaded.value) return;
  await reloadGroup(groupId);
}

/** Fetches the newest page again and merges it (after a fresh connection). */
export async function reloadGroup(groupId: string): Promise<void> {
  const conv = groupConversations.get(groupId);
  const got = await attempt((api) => api.getGroupMessages({ group: groupId, limit: PAGE }));
  if (got.ok) {
    groupConversations.upsert(groupId, got.value);
    if (!conv.loaded.value) conv.hasMore.value = got.value.length >= PAGE;
  }
  if (got.ok || currentClient()?.socket.connected) conv.loaded.value = true;
}

/** Loads the page before the oldest message shown. Resolves with how many came. */
export async function loadOlderGroup(groupId: string): Promise<number> {
  const conv = groupConversations.peek(groupId);
  const oldest = conv?.messages.value.find((m) => !m.local);
  if (!conv || !oldest || conv.loadingOlder.value || !conv.hasMore.value) return 0;
  conv.loadingOlder.value = true;
  const got = await attempt((api) => api.getGroupMessages({ group: groupId, before: oldest.id, limit: PAGE }));
  conv.loadingOlder.value = false;
  if (!got.ok) return 0;
  groupConversations.upsert(groupId, got.value);
  conv.hasMore.value = got.value.length >= PAGE;
  if (got.value.length) announce(`${got.value.length} older messages loaded`);
  return got.value.length;
}

export async function editGroupMessage(id: string, text: string): Promise<string | null> {
  const got = await attempt((api) => api.editGroupMessage({ id, text }));
  if (!got.ok) return got.error;
  groupConversations.upsert(got.value.group, [got.value]);
  patchGroupLastMessage(got.value);
  return null;
}

export async function deleteGroupMessage(groupId: string, id: string, forEveryone: boolean): Promise<string | null> {
  const got = await attempt((api) => api.deleteGroupMessage({ id, for_everyone: forEveryone }));
  if (!got.ok) return got.error;
  removedMessage(groupId, id);
  return null;
}

function removedMessage(groupId: string, id: string): void {
  groupConversations.deleteEverywhere(id);
  if (groupChats.value.get(groupId)?.last_message?.id === id) reloadChatListSoon();
}

let seenSent = new Map<string, string>();
/** Marks the group's messages up to `upTo` as seen (only for messages actually on screen with focus). */
export function markGroupSeen(groupId: string, upTo: string): void {
  const done = seenSent.get(groupId);
  if ((done && done >= upTo) || !currentClient()?.socket.connected) return;
  seenSent.set(groupId, upTo);
  void attempt((api) => api.markGroupSeen({ group: groupId, up_to: upTo })).then((got) => {
    if (!got.ok) seenSent.delete(groupId);
    else if ((groupChats.value.get(groupId)?.last_message?.id ?? "") <= upTo) clearGroupUnread(groupId);
  });
}

let typingSent = new Map<string, number>();
/** Tells the other members I am typing, at most once every 2 s (the server drops more). */
export function sendGroupTyping(groupId: string): void {
  const now = Date.now();
  if (now - (typingSent.get(groupId) ?? 0) < 2_000) return;
  typingSent.set(groupId, now);
  void attempt((api) => api.groupTypingFromClient(groupId));
}

/** Who of the others has seen one of my messages, and when. */
export async function loadReaders(messageId: string) {
  const got = await attempt((api) => api.getGroupMessageReaders(messageId));
  if (got.ok) rememberUsers(got.value.map((r) => r.user));
  return got;
}

/** Member management (admins; roles and ownership: the owner). Each answers null or the error's text. */
export const manage = {
  async add(groupId: string, members: string[]) {
    const got = await attempt((api) => api.addGroupMembers({ group: groupId, members }));
    if (got.ok) void loadGroupInfo(groupId);
    return got;
  },
  remove: (groupId: string, user: string) => after(groupId, attempt((api) => api.removeGroupMember({ group: groupId, user }))),
  setRole: (groupId: string, user: string, role: "admin" | "member") => after(groupId, attempt((api) => api.setGroupMemberRole({ group: groupId, user, role }))),
  transfer: (groupId: string, user: string) => after(groupId, attempt((api) => api.transferGroupOwnership({ group: groupId, user }))),
  rename: (groupId: string, title: string) => after(groupId, attempt((api) => api.updateGroup({ group: groupId, title }))),
  async leave(groupId: string) {
    const got = await attempt((api) => api.leaveGroup(groupId));
    if (!got.ok) return got.error;
    forgetGroup(groupId);
    return null;
  },
  async remove_group(groupId: string) {
    const got = await attempt((api) => api.deleteGroup(groupId));
    if (!got.ok) return got.error;
    forgetGroup(groupId);
    return null;
  },
};

async function after(groupId: string, done: Promise<{ ok: true; value: unknown } | { ok: false; error: string; code: string }>): Promise<string | null> {
  const got = await done;
  if (!got.ok) return got.error;
  await loadGroupInfo(groupId);
  return null;
}

let infoTimers = new Map<string, ReturnType<typeof setTimeout>>();
/** Members or roles changed: reload the info of a group whose members are shown (bursts collapse). */
function reloadInfoSoon(groupId: string): void {
  if (!groupInfos.value.has(groupId)) return;
  clearTimeout(infoTimers.get(groupId));
  infoTimers.set(groupId, setTimeout(() => void loadGroupInfo(groupId), 150));
}

function titleOf(groupId: string): string {
  return groupChats.value.get(groupId)?.group.title ?? "a group";
}

onPush("addedToGroupFromServer", (p) => {
  putGroup(p.group);
  if (p.by !== myId.value) announce(`${displayName(users.value.get(p.by))} added you to ${p.group.title}`);
});
onPush("groupUpdatedFromServer", (p) => {
  putGroup(p);
  reloadInfoSoon(p.id);
});
onPush("removedFromGroupFromServer", (p) => {
  const title = titleOf(p.group);
  forgetGroup(p.group);
  if (p.by !== myId.value) announce(`You are no longer in ${title}`);
});
onPush("singleGroupMsgFromServer", (m) => {
  const mine = m.from === myId.value;
  batch(() => {
    if (mine) onSent(m);
    groupConversations.upsert(m.group, [m]);
    stopTyping(typingKey(m.group, m.from));
    if (!groupChats.value.has(m.group)) reloadChatListSoon();
    else groupChatMessage(m, !mine);
  });
  if (!mine) announce(`New message from ${displayName(users.value.get(m.from))} in ${titleOf(m.group)}`);
});
onPush("groupMessageEditedFromServer", (m) => {
  batch(() => {
    groupConversations.upsert(m.group, [m]);
    patchGroupLastMessage(m);
  });
});
onPush("groupMessageDeletedFromServer", (p) => removedMessage(p.group, p.id));
onPush("groupSeenFromServer", (p) => {
  batch(() => {
    setMemberMark(p.group, p.by, p.up_to);
    if (p.by !== myId.value) return;
    if ((groupChats.value.get(p.group)?.last_message?.id ?? "") <= p.up_to) clearGroupUnread(p.group);
    else reloadChatListSoon();
  });
});
onPush("groupTypingFromServer", (p) => setTyping(typingKey(p.group, p.user), p.until));
onConnected((resumed) => {
  const open = activeGroup.value;
  if (!open) return;
  // After a fresh start nothing was replayed: the open group's page and members come again.
  if (!resumed) void reloadGroup(open);
  void loadGroupInfo(open);
});

/** Forgets per-session bookkeeping on log out. */
export function resetGroups(): void {
  seenSent = new Map();
  typingSent = new Map();
  for (const timer of infoTimers.values()) clearTimeout(timer);
  infoTimers = new Map();
  activeGroup.value = null;
}
