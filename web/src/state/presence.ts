import { signal } from "@preact/signals";
import { onConnected } from "../connection/pushes.ts";
import { currentClient } from "../connection/socket.ts";
import { setOnline } from "./users.ts";

/** One answer of `requestLastSeen`. */
export interface PresenceEntry {
  userId: string;
  lastSeen: string | null;
  online: boolean;
}

/** When each person was last seen (ISO), or null when the server hides it or never saw them. Bounded. */
export const lastSeen = signal<ReadonlyMap<string, string | null>>(new Map());

/** "online", "last seen recently" (hidden or never seen) or "last seen at …", as the server allows. */
export function presenceText(isOnline: boolean, seen: string | null | undefined, now = new Date()): string {
  if (isOnline) return "online";
  if (!seen) return "last seen recently";
  const at = new Date(seen);
  const time = at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (at.toDateString() === now.toDateString()) return `last seen at ${time}`;
  const sameYear = at.getFullYear() === now.getFullYear();
  const day = at.toLocaleDateString(undefined, { day: "numeric", month: "short", ...(sameYear ? {} : { year: "numeric" }) });
  return `last seen at ${time} on ${day}`;
}

export const REFRESH_MS = 30_000;
export const BATCH_MAX = 500;
const MAX_REMEMBERED = 2_000;

export interface PresenceDeps {
  /** Asks the server; rejects or returns null when there is no connection. */
  request(ids: string[]): Promise<PresenceEntry[] | null>;
  /** Writes an answer into the stores. */
  apply(entries: PresenceEntry[]): void;
  isVisible(): boolean;
  onVisible(handler: () => void): () => void;
  onReconnected(handler: () => void): () => void;
}

export interface PresenceStore {
  /** Registers ids shown on screen; the returned function unregisters them. */
  watch(ids: readonly string[]): () => void;
  /** Asks for every registered id now. */
  refresh(): Promise<void>;
  /** Registered ids (for tests). */
  watched(): string[];
}

/**
 * Presence of the people on screen. Components register the ids they show while mounted; registrations in the same
 * tick are asked in one `requestLastSeen` (500 ids a call); while anything is registered the answers are refreshed every
 * 30 s when the tab is visible, at once when it becomes visible again and after a reconnection. The server has no
 * presence push, so this is the "live".
 */
export function createPresenceStore(deps: PresenceDeps): PresenceStore {
  const counts = new Map<string, number>();
  let fresh = new Set<string>();
  let flushScheduled = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  let stops: (() => void)[] = [];

  async function ask(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH_MAX) {
      const chunk = ids.slice(i, i + BATCH_MAX);
      try {
        const answer = await deps.request(chunk);
        if (answer) deps.apply(answer);
      } catch {
        // Presence is a nicety; the next refresh tries again.
      }
    }
  }

  function flush(): void {
    flushScheduled = false;
    const ids = [...fresh].filter((id) => counts.has(id));
    fresh = new Set();
    if (ids.length) void ask(ids);
  }

  function start(): void {
    timer = setInterval(() => {
      if (deps.isVisible()) void refresh();
    }, REFRESH_MS);
    stops = [deps.onVisible(() => void refresh()), deps.onReconnected(() => void refresh())];
  }

  function stop(): void {
    clearInterval(timer);
    timer = undefined;
    for (const s of stops) s();
    stops = [];
  }

  function refresh(): Promise<void> {
    return ask([...counts.keys()]);
  }

  function watch(ids: readonly string[]): () => void {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return () => undefined;
    if (counts.size === 0) start();
    for (const id of unique) {
      const n = counts.get(id) ?? 0;
      counts.set(id, n + 1);
      if (n === 0) fresh.add(id);
    }
    if (fresh.size && !flushScheduled) {
      flushScheduled = true;
      setTimeout(flush, 0);
    }
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const id of unique) {
        const n = (counts.get(id) ?? 1) - 1;
        if (n <= 0) counts.delete(id);
        else counts.set(id, n);
      }
      if (counts.size === 0) stop();
    };
  }

  return { watch, refresh, watched: () => [...counts.keys()] };
}

function applyToStores(entries: PresenceEntry[]): void {
  setOnline(entries.map((e) => ({ userId: e.userId, online: e.online })));
  const current = lastSeen.value;
  if (entries.every((e) => current.has(e.userId) && current.get(e.userId) === e.lastSeen)) return;
  const next = new Map(current);
  for (const e of entries) {
    next.delete(e.userId);
    next.set(e.userId, e.lastSeen);
  }
  while (next.size > MAX_REMEMBERED) next.delete(next.keys().next().value as string);
  lastSeen.value = next;
}

export const presence = createPresenceStore({
  async request(ids) {
    const client = currentClient();
    if (!client?.socket.connected) return null;
    return client.api.requestLastSeen(ids);
  },
  apply: applyToStores,
  isVisible: () => typeof document === "undefined" || document.visibilityState === "visible",
  onVisible(handler) {
    const listener = () => {
      if (document.visibilityState === "visible") handler();
    };
    document.addEventListener("visibilitychange", listener);
    return () => document.removeEventListener("visibilitychange", listener);
  },
  onReconnected: (handler) => onConnected(() => handler()),
});

/** Registers ids with the shared store (for components: call in an effect and return the result). */
export function watchPresence(ids: readonly string[]): () => void {
  return presence.watch(ids);
}
