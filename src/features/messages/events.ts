import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";
import { Id, PageNumber, Text } from "../../shared/schema.ts";
import { UserSummaryShape } from "../people/presenter.ts";
import { ClientIdInput, MessageContextInput } from "./input.ts";
import { MessageShape } from "./presenter.ts";

const NewMessage = z.strictObject({ to: Id, reply_to: Id.nullish(), context: MessageContextInput, client_id: ClientIdInput });

const exampleMessage = {
  id: "6743f1a2c3d4e5f601234567",
  from: "63021602091fa84d91c8e9bf",
  to: "62fbb1a596ac46dda02af592",
  reply_to: null,
  context: { text: "hi this is test", image: null },
  sent_at: "2026-11-25T12:00:00.000Z",
  edited_at: null,
  delivered_at: null,
  seen_at: null,
  client_id: "c-1",
};
const exampleSummary = { user_id: "62fbb1a596ac46dda02af592", name: "kia", family: "atri", username: "kiarashatri", photo: null };
const ChatListShape = z.array(z.object({ user: UserSummaryShape, last_message: MessageShape, unread_count: z.number().int() }));
const SeenShape = z.object({ by: z.string(), with: z.string(), up_to: z.string(), seen_at: z.iso.datetime(), seq: z.number().int().optional() });

export const messageEvents = {
  newMessageFromClient: clientEvent({
    summary:
      "Send a direct message. `data` is the stored message, sent only after it is committed. The recipient's devices get `singleUnreadMsgFromServer`, my other devices `singleSentMsgFromServer`. A retry with the same `client_id` returns the original and notifies nobody again. To a suspended account: `recipient_suspended`.",
    args: z.tuple([NewMessage.describe("message")]),
    data: MessageShape,
    reply: "singleSentMsgFromServer",
    rate: "write",
    errors: ["not_found", "forbidden", "payload_too_large", "recipient_suspended"],
    example: { args: [{ to: exampleMessage.to, context: { text: "hi this is test" }, client_id: "c-1" }], data: exampleMessage },
    handler: (ctx, [m]) =>
      ctx.services.messages.send(ctx, {
        to: m.to,
        reply_to: m.reply_to ?? undefined,
        text: m.context.text,
        image: m.context.image,
        client_id: m.client_id ?? undefined,
      }),
  }),
  getChatMessages: clientEvent({
    summary:
      "The conversation with a user, newest first: 50 by default, at most 100. Page with `before` (a message id; stable while messages arrive) or, as older clients do, with a 1-based `page`.",
    args: z.union([
      z.tuple([Id.describe("userId"), PageNumber.optional().describe("page")]),
      z.tuple([z.strictObject({ with: Id, before: Id.optional(), limit: z.number().int().min(1).max(100).optional() }).describe("query")]),
    ]),
    data: z.array(MessageShape),
    reply: "sendChatMessages",
    rate: "default",
    errors: ["not_found"],
    example: { args: [exampleMessage.to, 1], data: [exampleMessage] },
    handler: (ctx, args) => {
      const [first, page] = args;
      return typeof first === "string"
        ? ctx.services.messages.history(ctx.userId, first, { page: page ?? 1, limit: 50 })
        : ctx.services.messages.history(ctx.userId, first.with, {
            ...(first.before ? { before: first.before } : {}),
            limit: first.limit ?? 50,
          });
    },
  }),
  getChatList: clientEvent({
    summary: "One entry per conversation, most recent first (at most 500), with the partner, the last message and my unread count.",
    args: z.tuple([]),
    data: ChatListShape,
    reply: "SendChatListFromServer",
    rate: "default",
    errors: [],
    example: { args: [], data: [{ user: exampleSummary, last_message: exampleMessage, unread_count: 1 }] },
    handler: (ctx) => ctx.services.messages.chatList(ctx.userId),
  }),
  markMessagesSeen: clientEvent({
    summary:
      "Mark every message from `with` to me up to and including `up_to` as seen. The sender's devices and my other devices get `messagesSeenFromServer`.",
    args: z.tuple([z.strictObject({ with: Id, up_to: Id }).describe("range")]),
    data: z.object({ count: z.number().int(), seen_at: z.iso.datetime() }),
    reply: undefined,
    rate: "write",
    errors: [],
    example: { args: [{ with: exampleMessage.from, up_to: exampleMessage.id }], data: { count: 1, seen_at: "2026-11-25T12:01:00.000Z" } },
    handler: (ctx, [{ with: withId, up_to }]) => ctx.services.messages.markSeen(ctx, withId, up_to),
  }),
  editMessage: clientEvent({
    summary: "The sender changes the text of their message; both people's other devices get `messageEditedFromServer`.",
    args: z.tuple([z.strictObject({ id: Id, text: Text(4096) }).describe("edit")]),
    data: MessageShape,
    reply: "messageEditedFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [{ id: exampleMessage.id, text: "hi, edited" }], data: { ...exampleMessage, edited_at: "2026-11-25T12:02:00.000Z" } },
    handler: (ctx, [{ id, text }]) => ctx.services.messages.edit(ctx, id, text),
  }),
  deleteMessage: clientEvent({
    summary:
      "Delete a message for me only, or with `for_everyone` (sender only) for both people. The devices concerned get `messageDeletedFromServer`.",
    args: z.tuple([z.strictObject({ id: Id, for_everyone: z.boolean().optional() }).describe("target")]),
    data: z.object({ id: z.string() }),
    reply: "messageDeletedFromServer",
    rate: "write",
    errors: ["not_found", "forbidden"],
    example: { args: [{ id: exampleMessage.id, for_everyone: true }], data: { id: exampleMessage.id } },
    handler: async (ctx, [{ id, for_everyone }]) => ({ id: (await ctx.services.messages.delete(ctx, id, for_everyone ?? false)).id }),
  }),
  typingFromClient: clientEvent({
    summary:
      "I am typing to `to`. Never stored; at most one every 2 s per conversation reaches them as `typingFromServer`; silently dropped when either blocked the other.",
    args: z.tuple([z.strictObject({ to: Id }).describe("target")]),
    data: z.null(),
    reply: undefined,
    rate: "default",
    errors: [],
    example: { args: [{ to: exampleMessage.to }], data: null },
    handler: (ctx, [{ to }]) => ctx.services.messages.typing(ctx, to),
  }),
};

export const messagePushes = {
  allUnreadMsgFromServer: serverEvent({
    summary:
      "Right after a connection is accepted: the messages sent to me that are still unseen, oldest first (the newest MESSAGES_UNREAD_CAP of them; the chat list has the full counts). An empty array when there are none.",
    payload: z.array(MessageShape),
    example: [exampleMessage],
    onConnect: ({ userId, services }) => services.messages.unread(userId),
    replacedBySync: true,
    covers: { event: "singleUnreadMsgFromServer", ids: (messages) => messages.map((m) => m.id) },
  }),
  SendChatListFromServer: serverEvent({
    summary: "Right after a connection is accepted, and as the reply of `getChatList`: my conversations, most recent first.",
    payload: ChatListShape,
    example: [{ user: exampleSummary, last_message: exampleMessage, unread_count: 1 }],
    onConnect: ({ userId, services }) => services.messages.chatList(userId),
    replacedBySync: true,
  }),
  singleUnreadMsgFromServer: serverEvent({
    summary: "A new message to me, on every one of my connected devices.",
    payload: MessageShape,
    example: exampleMessage,
  }),
  singleSentMsgFromServer: serverEvent({
    summary: "A message I sent from another device (and the reply of `newMessageFromClient` without acknowledgement).",
    payload: MessageShape,
    example: exampleMessage,
  }),
  messagesSeenFromServer: serverEvent({
    summary: "`by` read the messages of `with` up to `up_to`: a read receipt for the sender's devices, a badge reset for the reader's other devices.",
    payload: SeenShape,
    example: { by: exampleMessage.to, with: exampleMessage.from, up_to: exampleMessage.id, seen_at: "2026-11-25T12:01:00.000Z" },
  }),
  messageEditedFromServer: serverEvent({
    summary: "A message of one of my conversations was edited: the whole message as it is now.",
    payload: MessageShape,
    example: { ...exampleMessage, edited_at: "2026-11-25T12:02:00.000Z" },
  }),
  messageDeletedFromServer: serverEvent({
    summary: "A message disappeared for me (deleted for everyone, or for me on another of my devices).",
    payload: z.object({ id: z.string(), seq: z.number().int().optional() }),
    example: { id: exampleMessage.id, seq: 8 },
  }),
  accountDeletedFromServer: serverEvent({
    summary:
      "Someone I have a conversation with deleted their account: the conversation stays, shown from \"Deleted account\" (no username, no photo), and messages to them are refused.",
    payload: z.object({ user_id: z.string(), name: z.string(), seq: z.number().int().optional() }),
    example: { user_id: exampleMessage.from, name: "Deleted account", seq: 9 },
  }),
  messagesDeliveredFromServer: serverEvent({
    summary: "A device of `by` received my messages to them up to `up_to`: they are delivered (sent → delivered → seen).",
    payload: z.object({ by: z.string(), with: z.string(), up_to: z.string(), delivered_at: z.iso.datetime(), seq: z.number().int().optional() }),
    example: { by: exampleMessage.to, with: exampleMessage.from, up_to: exampleMessage.id, delivered_at: "2026-11-25T12:00:01.000Z", seq: 7 },
  }),
  typingFromServer: serverEvent({
    summary: "`from` is typing to me; the indicator expires by itself at `until` (about 6 s ahead).",
    payload: z.object({ from: z.string(), until: z.iso.datetime() }),
    example: { from: exampleMessage.from, until: "2026-11-25T12:00:06.000Z" },
  }),
};
