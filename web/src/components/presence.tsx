import { useEffect } from "preact/hooks";
import { lastSeen, presenceText, watchPresence } from "../state/presence.ts";
import { online } from "../state/users.ts";
import "./presence.css";

/** A person's presence: an online dot (with its label), or "last seen …" as text. Registers the id while shown. */
export function Presence({ userId, variant = "text" }: { userId: string; variant?: "dot" | "text" }) {
  useEffect(() => watchPresence([userId]), [userId]);
  const isOnline = online.value.get(userId) === true;
  if (variant === "dot") {
    return isOnline ? <span class="presence-dot" role="img" aria-label="online" title="online" /> : null;
  }
  const seen = lastSeen.value;
  // Nothing until the first answer, rather than a guess.
  if (!isOnline && !seen.has(userId)) return <span class="presence-text" />;
  return <span class={`presence-text ${isOnline ? "is-online" : ""}`}>{presenceText(isOnline, seen.get(userId))}</span>;
}
