import type { ServerPayloads } from "telegraph-client";

type Handler = (payload: never) => void;
const registry = new Map<string, Set<Handler>>();

/**
 * Lets a feature's state follow a server push without socket.ts knowing about it: the handler runs for the live push
 * and for the same update replayed on catch-up (`syncFromServer`), on whichever connection is open.
 */
export function onPush<K extends keyof ServerPayloads>(event: K, handler: (payload: ServerPayloads[K]) => void): () => void {
  let set = registry.get(event);
  if (!set) registry.set(event, (set = new Set()));
  set.add(handler as Handler);
  return () => set.delete(handler as Handler);
}

/** Called by the connection for every push and every replayed update. */
export function dispatchPush(event: string, payload: unknown): void {
  const set = registry.get(event);
  if (!set) return;
  for (const handler of set) {
    try {
      handler(payload as never);
    } catch (err) {
      // One feature's bug must not stop the others from seeing the push.
      queueMicrotask(() => {
        throw err;
      });
    }
  }
}

const connectHandlers = new Set<(resumed: boolean) => void>();

/**
 * Runs on every (re)connection. `resumed` is true when the server replays what was missed (`lastSeq`), false after a
 * fresh start (then the feature reloads what it shows).
 */
export function onConnected(handler: (resumed: boolean) => void): () => void {
  connectHandlers.add(handler);
  return () => connectHandlers.delete(handler);
}

export function dispatchConnected(resumed: boolean): void {
  for (const handler of connectHandlers) handler(resumed);
}
