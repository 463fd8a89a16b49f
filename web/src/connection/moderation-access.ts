/** Finds out once per connection whether this account is a moderator or admin (for the navigation's entry). */
import { effect } from "@preact/signals";
import { isAdmin, moderationAccess } from "../state/moderation.ts";
import { session } from "../state/session.ts";
import { call } from "./call.ts";
import { onConnected } from "./pushes.ts";

let asked: string | null = null;

onConnected(() => {
  const userId = session.value?.userId ?? null;
  asked = userId;
  void call((c) => c.api.getReports({ status: "open" })).then((got) => {
    if (asked !== userId) return; // logged out or someone else meanwhile
    if (got.ok) moderationAccess.value = "staff";
    else if (got.error === "forbidden") moderationAccess.value = "none";
    // offline or failed: keep what was known; the next connection asks again
  });
});

effect(() => {
  if (session.value) return;
  asked = null;
  moderationAccess.value = "unknown";
  isAdmin.value = null;
});
