import { signal, type ReadonlySignal } from "@preact/signals";

export type SearchState<T> =
  | { status: "idle" }
  | { status: "loading"; query: string; results: readonly T[] }
  | { status: "done"; query: string; results: readonly T[] }
  | { status: "error"; query: string; results: readonly T[] };

export interface SearchController<T> {
  state: ReadonlySignal<SearchState<T>>;
  /** The box changed: ask after `delay` ms of quiet (an empty box clears at once). */
  input(text: string): void;
  /** Ask now (retry, or a query restored on open). */
  now(text: string): void;
  dispose(): void;
}

/**
 * Results as one types: debounced, and a late answer to an older query never replaces a newer one (each request gets
 * a number; only the latest may write).
 */
export function createSearch<T>(fetcher: (query: string) => Promise<readonly T[]>, delay = 250): SearchController<T> {
  const state = signal<SearchState<T>>({ status: "idle" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  const shown = (): readonly T[] => {
    const s = state.value;
    return s.status === "idle" ? [] : s.results;
  };

  async function run(query: string): Promise<void> {
    const mine = ++latest;
    state.value = { status: "loading", query, results: shown() };
    try {
      const results = await fetcher(query);
      if (mine === latest) state.value = { status: "done", query, results };
    } catch {
      if (mine === latest) state.value = { status: "error", query, results: [] };
    }
  }

  function now(text: string): void {
    clearTimeout(timer);
    const query = text.trim();
    if (!query) {
      latest++;
      state.value = { status: "idle" };
      return;
    }
    void run(query);
  }

  function input(text: string): void {
    clearTimeout(timer);
    const query = text.trim();
    if (!query) return now("");
    timer = setTimeout(() => void run(query), delay);
  }

  return {
    state,
    input,
    now,
    dispose() {
      clearTimeout(timer);
      latest++;
    },
  };
}
