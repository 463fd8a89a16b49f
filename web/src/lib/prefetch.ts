/**
 * Fetch chunks the current screen does not need yet while the browser is idle, so opening them later is instant.
 * Only while online: a chunk fetched offline fails (a console error and, for its CSS, a rejected preload) and is
 * fetched again on use anyway; when offline, wait for the `online` event instead.
 * Returns a cancel function for effects.
 */
export function prefetchWhenIdle(loaders: Array<() => Promise<unknown>>, fallbackDelayMs = 1500): () => void {
  let cancelled = false;
  let handle: number | undefined;
  const idle = window.requestIdleCallback ?? ((cb: () => void) => window.setTimeout(cb, fallbackDelayMs));
  const cancelIdle = window.cancelIdleCallback ?? window.clearTimeout;
  const run = () => {
    if (cancelled) return;
    if (!navigator.onLine) {
      window.addEventListener("online", schedule, { once: true });
      return;
    }
    for (const load of loaders) void load().catch(() => undefined);
  };
  function schedule() {
    if (!cancelled) handle = idle(run);
  }
  schedule();
  return () => {
    cancelled = true;
    window.removeEventListener("online", schedule);
    if (handle !== undefined) cancelIdle(handle);
  };
}
