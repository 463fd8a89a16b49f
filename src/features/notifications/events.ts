import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";
import { Id } from "../../shared/schema.ts";
import { NotificationShape } from "./presenter.ts";
import { NotificationSettingsPatch, NotificationSettingsShape } from "./settings.ts";

const actor = { user_id: "62fbb1a596ac46dda02af592", name: "kia", family: "atri", username: "kiarashatri", photo: null };
const exampleNotification = {
  id: "6743f1a2c3d4e5f601234567",
  sort_id: "6743f1b0c3d4e5f601234570",
  kind: "like" as const,
  actors: [actor],
  actors_count: 3,
  tweet: { id: "63021602091fa84d91c8e9c1", text: "im tweeting! brah" },
  comment: null,
  created_at: "2024-11-25T03:40:18.000Z",
  updated_at: "2024-11-25T03:40:32.000Z",
  read: false,
};
const exampleSettings = NotificationSettingsShape.parse({ mentions_from_non_followed: false });
const Count = z.object({ unread_count: z.number().int().describe("my unread entries (a grouped entry counts once)") });
const PageShape = z.object({ notifications: z.array(NotificationShape), unread_count: z.number().int() });

export const notificationEvents = {
  getNotifications: clientEvent({
    summary:
      "My notifications, newest first: follows, follow requests, accepted requests, likes of my tweets, comments on them, replies to my comments, mentions. Likes of one tweet, and follows, collapse into one entry while it is unread (`actors`: the latest 3, `actors_count`: all). `before`: the `sort_id` of the last entry I have (keyset); at most 50 a page, 20 by default.",
    args: z.union([z.tuple([]), z.tuple([z.strictObject({ before: Id.optional(), limit: z.number().int().min(1).max(50).optional() }).describe("query")])]),
    data: PageShape,
    reply: "sendNotificationsFromServer",
    rate: "default",
    errors: [],
    example: { args: [{ limit: 20 }], data: { notifications: [exampleNotification], unread_count: 1 } },
    handler: (ctx, [query]) => ctx.services.notifications.page(ctx.userId, query ?? {}),
  }),
  markNotificationsRead: clientEvent({
    summary:
      "I have seen my notifications up to `up_to` (a `sort_id`, inclusive): they become read, and new likes or follows start new entries. My other devices get `notificationsCountFromServer`.",
    args: z.tuple([z.strictObject({ up_to: Id }).describe("watermark")]),
    data: Count,
    reply: "markNotificationsReadFromServer",
    rate: "default",
    errors: [],
    example: { args: [{ up_to: exampleNotification.sort_id }], data: { unread_count: 0 } },
    handler: (ctx, [{ up_to }]) => ctx.services.notifications.markRead(ctx, up_to),
  }),
  getNotificationSettings: clientEvent({
    summary: "My notification settings: each kind on or off, mentions from people I do not follow, and Web Push previews.",
    args: z.tuple([]),
    data: NotificationSettingsShape,
    reply: "sendNotificationSettingsFromServer",
    rate: "default",
    errors: [],
    example: { args: [], data: exampleSettings },
    handler: (ctx) => ctx.services.notifications.settings(ctx.userId),
  }),
  updateNotificationSettings: clientEvent({
    summary: "Changes some of my notification settings (the others keep their value); answers them all. A kind turned off is no longer written (entries already there stay).",
    args: z.tuple([NotificationSettingsPatch.describe("changes")]),
    data: NotificationSettingsShape,
    reply: "updateNotificationSettingsFromServer",
    rate: "write",
    errors: [],
    example: { args: [{ mentions_from_non_followed: false }], data: exampleSettings },
    handler: (ctx, [patch]) => ctx.services.notifications.updateSettings(ctx.userId, patch),
  }),
};

export const notificationPushes = {
  notificationsCountFromServer: serverEvent({
    summary:
      "Right after a connection is accepted: my unread notifications count (a client catching up with `auth.lastSeq` gets the log instead). Later, through the log (with `seq`), when another device of mine marked notifications read, or an undone cause (an unlike, an unfollow, a withdrawn request, a block) removed an unread entry: refetch the list.",
    payload: Count.extend({ seq: z.number().int().optional() }),
    example: { unread_count: 2 },
    onConnect: ({ userId, services }) => services.notifications.unreadCount(userId),
    replacedBySync: true,
  }),
  newNotificationFromServer: serverEvent({
    summary:
      "A new notification entry, or a grouped one that an actor joined (same `id`, a new `sort_id`: move it to the top), with my unread count. Through the update log: it carries `seq` and is replayed on catch-up.",
    payload: NotificationShape.extend({ unread_count: z.number().int(), seq: z.number().int().optional() }),
    example: { ...exampleNotification, unread_count: 1, seq: 17 },
  }),
};
