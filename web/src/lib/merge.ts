/** The minimum a message needs to be merged and ordered. */
export interface Ordered {
  id: string;
  sent_at: string;
}

/** Ids are ObjectId-like hex: time first, so they order like sent_at and break its ties. */
export function compareMessages(a: Ordered, b: Ordered): number {
  if (a.sent_at !== b.sent_at) return a.sent_at < b.sent_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Merges incoming messages into a list kept oldest first, without duplicates; an incoming copy of an id replaces
 * the stored one. Returns the same array when nothing changed, so a signal is not woken for nothing.
 */
export function mergeMessages<T extends Ordered>(current: readonly T[], incoming: readonly T[], same: (a: T, b: T) => boolean = (a, b) => a === b): readonly T[] {
  if (incoming.length === 0) return current;
  const byId = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const message of incoming) {
    const old = byId.get(message.id);
    if (old && same(old, message)) continue;
    byId.set(message.id, message);
    changed = true;
  }
  if (!changed) return current;
  return [...byId.values()].sort(compareMessages);
}

/** Removes one id; the same array when it was not there. */
export function removeMessage<T extends Ordered>(current: readonly T[], id: string): readonly T[] {
  const index = current.findIndex((m) => m.id === id);
  if (index < 0) return current;
  return [...current.slice(0, index), ...current.slice(index + 1)];
}
