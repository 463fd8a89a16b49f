import { signal } from "@preact/signals";

/** The socket's state as the banner shows it. */
export const connectionState = signal<"idle" | "connecting" | "online" | "offline">("idle");
/** Something for the single polite live region to say. */
export const announcement = signal("");

let clearTimer: ReturnType<typeof setTimeout> | undefined;

/** Says something once through the polite live region. */
export function announce(text: string): void {
  announcement.value = "";
  // A fresh text node each time, so screen readers announce a repeat too.
  queueMicrotask(() => (announcement.value = text));
  clearTimeout(clearTimer);
  clearTimer = setTimeout(() => (announcement.value = ""), 5_000);
}
