import { signal } from "@preact/signals";
import type { UserSummary } from "./types.ts";

const MAX_USERS = 2_000;

/** People seen so far, by id (chat partners, search results). Bounded. */
export const users = signal<ReadonlyMap<string, UserSummary>>(new Map());
/** Who is online now, by id. */
export const online = signal<ReadonlyMap<string, boolean>>(new Map());

export function rememberUsers(list: readonly UserSummary[]): void {
  const current = users.value;
  const changed = list.filter((u) => {
    const old = current.get(u.user_id);
    return !old || old.name !== u.name || old.family !== u.family || old.username !== u.username || old.photo !== u.photo;
  });
  if (changed.length === 0) return;
  const next = new Map(current);
  for (const u of changed) next.set(u.user_id, u);
  while (next.size > MAX_USERS) next.delete(next.keys().next().value as string);
  users.value = next;
}

export function setOnline(entries: readonly { userId: string; online: boolean }[]): void {
  const current = online.value;
  if (entries.every((e) => current.get(e.userId) === e.online)) return;
  const next = new Map(current);
  for (const e of entries) next.set(e.userId, e.online);
  online.value = next;
}

export function displayName(user: Pick<UserSummary, "name" | "family"> | undefined): string {
  if (!user) return "Unknown";
  return [user.name, user.family].filter(Boolean).join(" ");
}
