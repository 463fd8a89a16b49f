import type { z } from "zod";
import { accountEvents, accountPushes } from "../features/accounts/events.ts";
import { groupEvents, groupPushes } from "../features/groups/events.ts";
import { messageEvents, messagePushes } from "../features/messages/events.ts";
import { moderationEvents, moderationPushes } from "../features/moderation/events.ts";
import { notificationEvents, notificationPushes } from "../features/notifications/events.ts";
import { peopleEvents, peoplePushes } from "../features/people/events.ts";
import { pushEvents } from "../features/push/events.ts";
import { storyEvents, storyPushes } from "../features/stories/events.ts";
import { syncEvents, syncPushes } from "../features/sync/events.ts";
import { tweetEvents, tweetPushes } from "../features/tweets/events.ts";
import { systemEvents, systemPushes } from "../features/system/events.ts";
import type { WireError } from "../shared/errors.ts";
import type { ClientEventDef, ServerEventDef } from "./event.ts";

/** Every client-to-server event. Adding an event is adding its row to a feature's events.ts and spreading it here. */
export const clientEvents = {
  ...systemEvents,
  ...accountEvents,
  ...peopleEvents,
  ...messageEvents,
  ...groupEvents,
  ...pushEvents,
  ...syncEvents,
  ...tweetEvents,
  ...storyEvents,
  ...notificationEvents,
  ...moderationEvents,
};

/** Every server push that is not simply the reply of a client event. */
export const serverPushes = {
  ...systemPushes,
  ...accountPushes,
  ...messagePushes,
  ...groupPushes,
  ...syncPushes,
  ...peoplePushes,
  ...tweetPushes,
  ...storyPushes,
  ...notificationPushes,
  ...moderationPushes,
};

export type ClientEvents = typeof clientEvents;
export type ClientEventName = keyof ClientEvents;
export type ServerPushes = typeof serverPushes;

/** The argument list a client sends for an event (without the acknowledgement). */
export type ClientArgs<K extends ClientEventName> = z.input<ClientEvents[K]["args"]>;
/** What a successful reply carries. */
export type ClientData<K extends ClientEventName> = z.output<ClientEvents[K]["data"]>;

type ReplyName<K extends ClientEventName> = ClientEvents[K]["reply"] & string;

/** The payloads of the declared pushes (what services emit and log). */
export type PushPayloads = { [K in keyof ServerPushes]: z.output<ServerPushes[K]["payload"]> };

/** The payload of every event a client may receive: pushes and named replies. */
export type ServerPayloads = PushPayloads & {
  [K in ClientEventName as ReplyName<K>]: ClientData<K>;
};

/** What an acknowledgement callback receives. */
export type AckReply<T> = { ok: true; data: T } | { ok: false; error: WireError };

/** Socket.IO's typed maps, derived from the tables above. */
export type ServerToClientEvents = { [K in keyof ServerPayloads]: (payload: ServerPayloads[K]) => void };

/** The same rows seen without their specific types, for the dispatcher and the docs generator. */
export const clientEventTable: Record<string, ClientEventDef> = clientEvents as unknown as Record<string, ClientEventDef>;
export const serverPushTable: Record<string, ServerEventDef> = serverPushes;
