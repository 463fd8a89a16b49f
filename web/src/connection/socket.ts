import { batch } from "@preact/signals";
import { TelegraphClient, type ServerPayloads } from "telegraph-client";
import { SeqTracker } from "../lib/seq.ts";
import { chatMessage, clearUnread, patchLastMessage, replaceChats, chats } from "../state/chats.ts";
import { announce, connectionState } from "../state/connection.ts";
import { clearGroups, groupConversations, replaceGroupChats } from "../state/groups.ts";
import { clearNotifications } from "../state/notifications.ts";
import { clearConversations, deleteMessageEverywhere, markIncomingSeen, markReceipts, upsertMessages } from "../state/messages.ts";
import { me as sessionMe, session, type Session } from "../state/session.ts";
import { setTyping, stopTyping } from "../state/typing.ts";
import type { AnyChatEntry, GroupChatEntry, Message } from "../state/types.ts";
import { displayName, rememberUsers, users } from "../state/users.ts";
import { activePartner, flushOutbox, onDisconnected, onSent, reloadConversation, restoreOutbox } from "./actions.ts";
import { activeGroup, reloadGroup } from "./groups.ts";
import { dispatchConnected, dispatchPush } from "./pushes.ts";

let client: TelegraphClient | null = null;
let seq: SeqTracker | null = null;
const authState: { accessToken: string } = { accessToken: "" };
let stops: (() => void)[] = [];
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let retryDelay = 1_000;
let renewToken: () => Promise<boolean> = async () => false;
let onSuspended: () => void = () => undefined;

/** auth.ts hands over how to get a fresh token (kept as a callback so the two modules do not import each other). */
export function setTokenRenewer(renew: () => Promise<boolean>): void {
  renewToken = renew;
}

/** auth.ts hands over what to do when the server says the account is suspended (the socket is stopped there). */
export function setSuspensionHandler(handler: () => void): void {
  onSuspended = handler;
}

/** The open client, for actions; null while logged out. */
export function currentClient(): TelegraphClient | null {
  return client;
}

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Connects for a session and wires every push into the stores. */
export function startSocket(s: Session): void {
  stopSocket();
  authState.accessToken = s.accessToken;
  seq = new SeqTracker(storage(), `telegraph.seq.${s.userId}`);
  restoreOutbox(storage(), s.userId);
  const c = new TelegraphClient(window.location.origin, {
    accessToken: s.accessToken,
    auth: authState,
    ...(seq.current !== undefined ? { lastSeq: seq.current } : {}),
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  });
  client = c;
  connectionState.value = "connecting";
  wire(c, s.userId);
  if (navigator.onLine) c.socket.connect();
  else connectionState.value = "offline";
}

export function stopSocket(): void {
  for (const stop of stops) stop();
  stops = [];
  clearTimeout(retryTimer);
  client?.close();
  client = null;
  connectionState.value = "idle";
  clearConversations();
  replaceChats([]);
  clearGroups();
  clearNotifications();
}

/** Hands the live connection a fresh token, so it is not dropped when the old one expires. */
export function updateSocketToken(token: string): void {
  authState.accessToken = token;
  if (client?.socket.connected) client.api.refreshTokenFromClient({ accessToken: token }).catch(() => undefined);
}

function track(c: TelegraphClient): void {
  if (c.lastSeq !== undefined) seq?.advance(c.lastSeq);
}

let chatListTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * Reloads the chat list, direct chats and groups (`getChats`), soon: someone new wrote, a last message vanished, a
 * connection opened. Bursts collapse into one call.
 */
export function reloadChatListSoon(): void {
  clearTimeout(chatListTimer);
  chatListTimer = setTimeout(() => {
    client?.api.getChats().then(applyChats, () => undefined);
  }, 150);
}

function applyChats(list: readonly AnyChatEntry[]): void {
  const direct = list.flatMap((entry) => (entry.kind === "direct" ? [{ user: entry.user, last_message: entry.last_message, unread_count: entry.unread_count }] : []));
  batch(() => {
    applyChatList(direct);
    replaceGroupChats(list.filter((entry): entry is GroupChatEntry => entry.kind === "group"));
  });
}

function applyChatList(list: ServerPayloads["SendChatListFromServer"]): void {
  batch(() => {
    rememberUsers(list.map((entry) => entry.user));
    replaceChats(list);
  });
}

function partnerOf(message: Message, me: string): string {
  return message.from === me ? message.to : message.from;
}

function wire(c: TelegraphClient, me: string): void {
  const socket = c.socket;
  const handlers = {
    SendChatListFromServer: applyChatList,
    allUnreadMsgFromServer(list: Message[]) {
      const byPartner = new Map<string, Message[]>();
      for (const m of list) byPartner.set(m.from, [...(byPartner.get(m.from) ?? []), m]);
      batch(() => {
        for (const [partner, messages] of byPartner) upsertMessages(partner, messages);
      });
    },
    singleUnreadMsgFromServer(m: Message) {
      batch(() => {
        upsertMessages(m.from, [m]);
        stopTyping(m.from);
        if (!users.value.has(m.from) && !chats.value.has(m.from)) reloadChatListSoon();
        else chatMessage(m.from, m, true, true);
      });
      announce(`New message from ${displayName(users.value.get(m.from))}`);
    },
    singleSentMsgFromServer(m: Message) {
      batch(() => {
        onSent(m);
        upsertMessages(m.to, [m]);
        if (!users.value.has(m.to) && !chats.value.has(m.to)) reloadChatListSoon();
        else chatMessage(m.to, m, false, false);
      });
    },
    messagesSeenFromServer(p: ServerPayloads["messagesSeenFromServer"]) {
      batch(() => {
        if (p.by === me) {
          clearUnread(p.with);
          markIncomingSeen(p.with, p.up_to, p.seen_at);
        } else {
          markReceipts(p.by, me, p.up_to, "seen_at", p.seen_at);
          const last = chats.value.get(p.by)?.last_message;
          if (last && last.from === me && last.id <= p.up_to) patchLastMessage(p.by, last.id, { seen_at: p.seen_at });
        }
      });
    },
    messagesDeliveredFromServer(p: ServerPayloads["messagesDeliveredFromServer"]) {
      markReceipts(p.by, me, p.up_to, "delivered_at", p.delivered_at);
    },
    messageEditedFromServer(m: Message) {
      const partner = partnerOf(m, me);
      batch(() => {
        upsertMessages(partner, [m]);
        patchLastMessage(partner, m.id, m);
      });
    },
    messageDeletedFromServer(p: { id: string }) {
      deleteMessageEverywhere(p.id);
      for (const entry of chats.value.values()) if (entry.last_message.id === p.id) reloadChatListSoon();
    },
    typingFromServer(p: ServerPayloads["typingFromServer"]) {
      setTyping(p.from, p.until);
    },
    accountDeletedFromServer(p: ServerPayloads["accountDeletedFromServer"]) {
      // The conversation stays, from the tombstone: shown at once, and the chat list re-read to match the server.
      rememberUsers([{ user_id: p.user_id, name: p.name, family: "", username: "", photo: null }]);
      reloadChatListSoon();
    },
  } as Record<string, (payload: never) => void>;

  for (const [event, handler] of Object.entries(handlers)) {
    stops.push(c.on(event as keyof ServerPayloads, (payload) => {
      handler(payload as never);
      track(c);
    }));
  }

  const onAnyPush = (event: string, payload: unknown) => {
    if (event !== "syncFromServer") dispatchPush(event, payload);
  };
  socket.onAny(onAnyPush);
  stops.push(() => socket.offAny(onAnyPush));
  stops.push(c.on("syncFromServer", (page) => void applySync(c, page)));
  stops.push(c.on("tokenExpiredFromServer", () => {
    void renewToken();
  }));
  stops.push(c.on("disconnectFromServer", (p) => {
    // Suspended: no reconnecting (every attempt would be refused); the app shows the suspended screen instead.
    if (p.code === "account_suspended") onSuspended();
    else connectionState.value = "offline";
  }));

  const onConnect = () => {
    retryDelay = 1_000;
    connectionState.value = "online";
    const resumed = seq?.current !== undefined;
    // The chat list is cheap and always right; after a fresh start the open conversation reloads too.
    reloadChatListSoon();
    if (!resumed) {
      const partner = activePartner.value;
      if (partner) void reloadConversation(partner);
    }
    flushOutbox();
    dispatchConnected(resumed);
    if (!sessionMe.value) void loadMe(c, me);
  };
  const onDisconnect = (reason: string) => {
    connectionState.value = "offline";
    onDisconnected();
    // The server closed it on purpose (log out everywhere, a password change, an expired token): ask whether the
    // session still holds; if it does, come back with the fresh token.
    // A short wait lets a log out in another tab (the storage event) arrive first.
    if (reason === "io server disconnect") {
      setTimeout(() => {
        if (client !== c) return;
        void renewToken().then((ok) => {
          if (ok && client === c && !socket.connected) socket.connect();
        });
      }, 1_000);
    }
  };
  const onConnectError = (err: Error & { data?: { code?: string } }) => {
    if (err.data?.code === "account_suspended") return onSuspended();
    connectionState.value = "offline";
    if (socket.active || !navigator.onLine) return;
    // Refused by a middleware (usually an expired token): refresh, then try again with backoff.
    clearTimeout(retryTimer);
    retryTimer = setTimeout(async () => {
      if (err.data?.code === "unauthenticated" || /auth/i.test(err.message)) {
        if (!(await renewToken())) return;
      }
      if (client === c) socket.connect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15_000);
  };
  socket.on("connect", onConnect);
  socket.on("disconnect", onDisconnect);
  socket.on("connect_error", onConnectError);
  stops.push(() => {
    socket.off("connect", onConnect);
    socket.off("disconnect", onDisconnect);
    socket.off("connect_error", onConnectError);
  });

  // The browser knows sooner than a ping timeout: drop the transport so the reconnect loop (and the banner) start now.
  // While offline no attempt is made at all (each would only fail); back online, connect at once.
  const onOffline = () => {
    socket.disconnect();
    connectionState.value = "offline";
  };
  const onOnline = () => {
    if (!socket.connected) socket.connect();
  };
  window.addEventListener("offline", onOffline);
  window.addEventListener("online", onOnline);
  stops.push(() => {
    window.removeEventListener("offline", onOffline);
    window.removeEventListener("online", onOnline);
  });
}

async function applySync(c: TelegraphClient, page: ServerPayloads["syncFromServer"]): Promise<void> {
  if ("reset" in page) {
    seq?.reset(page.last_seq);
    batch(() => {
      clearConversations();
      groupConversations.clear();
    });
    reloadChatListSoon();
    const partner = activePartner.value;
    if (partner) void reloadConversation(partner);
    const group = activeGroup.value;
    if (group) void reloadGroup(group);
    return;
  }
  const handlers = (c.socket as unknown as { listeners(event: string): ((p: unknown) => void)[] }).listeners.bind(c.socket);
  batch(() => {
    for (const update of page.updates) {
      for (const listener of handlers(update.event)) listener(update.data);
      dispatchPush(update.event, update.data);
    }
  });
  track(c);
  const last = page.updates.at(-1)?.seq ?? page.last_seq;
  if (last !== undefined && session.value) c.api.ackUpdatesFromClient({ up_to: last }).catch(() => undefined);
  if (!page.complete && c.lastSeq !== undefined) {
    c.api.getUpdates({ since: c.lastSeq }).then((next) => applySync(c, next), () => undefined);
  }
}

async function loadMe(c: TelegraphClient, id: string): Promise<void> {
  try {
    const p = await c.api.receiveUserProfile(id);
    sessionMe.value = { name: p.name, family: p.family, username: p.username, photo: p.photo };
  } catch {
    // The settings screen shows "Me" until it is known.
  }
}
