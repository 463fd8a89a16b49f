import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";

const SyncPageShape = z.union([
  z.object({
    updates: z.array(z.object({ seq: z.number().int(), event: z.string(), data: z.record(z.string(), z.unknown()) })),
    last_seq: z.number().int(),
    complete: z.boolean().describe("false: ask again with `since` = the last seq of this page"),
  }),
  z.object({ reset: z.literal(true), last_seq: z.number().int() }),
]);

const examplePage = {
  updates: [
    {
      seq: 42,
      event: "messageDeletedFromServer",
      data: { id: "6743f1a2c3d4e5f601234567", seq: 42 },
    },
  ],
  last_seq: 42,
  complete: true,
};

export const syncEvents = {
  getUpdates: clientEvent({
    summary:
      "The updates after `since` (my last processed seq), oldest first, each as the event and payload it would have had live. `complete: false`: ask again from the last seq received. A `since` older than the retention answers `{ reset: true, last_seq }`: reload the chat list and unread messages. While a device catches up, live updates wait for it.",
    args: z.tuple([
      z.strictObject({ since: z.number().int().min(0), limit: z.number().int().min(1).max(500).optional() }).describe("query"),
    ]),
    data: SyncPageShape,
    reply: "syncFromServer",
    rate: "default",
    errors: [],
    example: { args: [{ since: 41 }], data: examplePage },
    handler: (ctx, [{ since, limit }]) => ctx.connection.pullUpdates(since, limit ?? 100),
  }),
  ackUpdatesFromClient: clientEvent({
    summary:
      "This device has received my updates up to `up_to` (a seq). Messages among them become delivered and their senders get `messagesDeliveredFromServer`. Acknowledging a live `singleUnreadMsgFromServer` does the same for it.",
    args: z.tuple([z.strictObject({ up_to: z.number().int().min(0) }).describe("watermark")]),
    data: z.null(),
    reply: undefined,
    rate: "default",
    errors: [],
    example: { args: [{ up_to: 42 }], data: null },
    handler: async (ctx, [{ up_to }]) => {
      await ctx.services.messages.confirmDelivered(new Map([[ctx.userId, up_to]]));
      return null;
    },
  }),
};

export const syncPushes = {
  syncFromServer: serverEvent({
    summary:
      "Catch-up after a reconnect with `auth.lastSeq`, and the reply of `getUpdates`: exactly the updates after that seq, in order (paged), or `{ reset: true, last_seq }` when it is older than the retention.",
    payload: SyncPageShape,
    example: examplePage,
  }),
};
