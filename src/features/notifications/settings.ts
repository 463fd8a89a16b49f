import { z } from "zod";

export const NOTIFICATION_KINDS = ["follow", "follow_request", "follow_accepted", "like", "comment", "reply", "mention"] as const;
export const NotificationKindShape = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof NotificationKindShape>;

const on = (what: string) => z.boolean().default(true).describe(what);

/** A user's notification settings: every key defaults to true, so a stored object holds only what was changed. */
export const NotificationSettingsShape = z.object({
  follow: on("someone followed me"),
  follow_request: on("someone asked to follow my private account"),
  follow_accepted: on("someone accepted my follow request"),
  like: on("someone liked my tweet"),
  comment: on("someone commented on my tweet"),
  reply: on("someone replied to my comment"),
  mention: on("someone mentioned me in a tweet or comment I may see"),
  mentions_from_non_followed: on("mentions from people I do not follow (with `mention` on)"),
  push_previews: on("Web Push notifications show the sender and a preview; false: content-free pushes"),
});
export type NotificationSettings = z.infer<typeof NotificationSettingsShape>;

/** What `updateNotificationSettings` takes: any of the keys; the others keep their value. */
export const NotificationSettingsPatch = z.strictObject(
  Object.fromEntries(Object.keys(NotificationSettingsShape.shape).map((key) => [key, z.boolean().optional()])) as {
    [K in keyof NotificationSettings]: z.ZodOptional<z.ZodBoolean>;
  },
);
export type NotificationSettingsPatch = z.infer<typeof NotificationSettingsPatch>;

/** A stored settings object (jsonb), checked: unknown keys are dropped, malformed values fall back to the default. */
export function parseSettings(value: unknown): NotificationSettings {
  const parsed = NotificationSettingsShape.safeParse(value ?? {});
  return parsed.success ? parsed.data : NotificationSettingsShape.parse({});
}
