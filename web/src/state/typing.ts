import { signal } from "@preact/signals";

/** Until when (ms since epoch) each partner is shown as typing. */
export const typingUntil = signal<ReadonlyMap<string, number>>(new Map());

const timers = new Map<string, ReturnType<typeof setTimeout>>();

export function setTyping(from: string, untilIso: string): void {
  const until = Math.min(Date.parse(untilIso), Date.now() + 8_000);
  const next = new Map(typingUntil.value);
  next.set(from, until);
  typingUntil.value = next;
  clearTimeout(timers.get(from));
  timers.set(from, setTimeout(() => stopTyping(from), Math.max(0, until - Date.now())));
}

/** A message from them ends their typing. */
export function stopTyping(from: string): void {
  if (!typingUntil.value.has(from)) return;
  const next = new Map(typingUntil.value);
  next.delete(from);
  typingUntil.value = next;
}
