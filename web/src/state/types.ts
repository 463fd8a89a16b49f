import type { ServerPayloads } from "telegraph-client";

/** A stored message as the server sends it. */
export type Message = ServerPayloads["singleUnreadMsgFromServer"];
/** One chat-list row as the server sends it. */
export type ChatEntry = ServerPayloads["SendChatListFromServer"][number];
/** A person's summary (search results, chat partners). */
export type UserSummary = ChatEntry["user"];

/** A message as the views show it: a stored one, or one of mine still in the outbox. */
export type ViewMessage = Message & { local?: "sending" | "failed" };

/** The tick state of one of my messages. */
export type MessageStatus = "sending" | "failed" | "sent" | "delivered" | "seen";

export function messageStatus(message: BubbleMessage): MessageStatus {
  if (message.local) return message.local;
  if (message.seen_at) return "seen";
  if (message.delivered_at) return "delivered";
  return "sent";
}

/** A tweet as the server sends it (feed pages and live pushes share the shape). */
export type Tweet = ServerPayloads["sendTweetToClientFromServer"][number];
/** A story of someone I follow, as the stories bar lists it. */
export type StoryGroup = ServerPayloads["sendAllFollowingStorysInfoFromServer"] extends (infer T)[] ? T : ServerPayloads["sendAllFollowingStorysInfoFromServer"];
/** A comment on a tweet (`reply_to`: the comment it answers, on the same tweet). */
export type Comment = ServerPayloads["newCommentFromServer"];

/** A group as one member sees it (`role` is mine). */
export type Group = ServerPayloads["addedToGroupFromServer"]["group"];
/** A group with its members, their roles and read marks. */
export type GroupInfo = ServerPayloads["sendGroupInfoFromServer"];
export type GroupMember = GroupInfo["members"][number];
/** A stored group message as the server sends it. */
export type GroupMessage = ServerPayloads["singleGroupMsgFromServer"];
/** A group message as the views show it: stored, or mine still in the outbox. */
export type GroupViewMessage = GroupMessage & { local?: "sending" | "failed" };
/** One row of the one chat list (`getChats`): a direct chat or a group. */
export type AnyChatEntry = ServerPayloads["sendChatsFromServer"][number];
export type GroupChatEntry = Extract<AnyChatEntry, { kind: "group" }>;

/** What a message bubble shows; direct and group messages both have it (receipts only direct ones, or derived). */
export interface BubbleMessage {
  id: string;
  from: string;
  reply_to: string | null;
  context: Message["context"];
  sent_at: string;
  edited_at: string | null;
  client_id: string | null;
  local?: "sending" | "failed";
  delivered_at?: string | null;
  seen_at?: string | null;
}

/** One entry of my notifications (a grouped one keeps its `id`; `sort_id` orders the list). */
export type NotificationEntry = ServerPayloads["sendNotificationsFromServer"]["notifications"][number];
