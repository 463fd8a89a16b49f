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

export function messageStatus(message: ViewMessage): MessageStatus {
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
