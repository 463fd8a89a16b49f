/** Finds out once per connection whether this account is a moderator or admin (for the navigation's entry). */
import { effect } from "@preact/signals";
import { isAdmin, moderationAccess } from "../state/moderation.ts";
import { session } from "../state/session.ts";
import { call } from "./call.ts";
import { onConnected } from "./pushes.ts";

let asked: string | null = null;

// Asked again on every connection: a role granted or taken meanwhile shows from the next one.
onConnected(() => {
  const userId = session.value?.userId ?? null;
  asked = userId;
  if (!userId) return;
  void call((c) => c.api.receiveUserProfile(userId)).then((got) => {
    if (asked !== userId || !got.ok) return; // logged out or someone else meanwhile; offline: keep what was known
    const role = got.value.role ?? "user";
    moderationAccess.value = role === "user" ? "none" : "staff";
    isAdmin.value = role === "admin";
  });
});

effect(() => {
  if (session.value) return;
  asked = null;
  moderationAccess.value = "unknown";
  isAdmin.value = null;
});
