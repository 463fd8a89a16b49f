import { batch, computed, signal } from "@preact/signals";
import { goneTweets, tweets } from "./tweets.ts";

const MAX_FEED = 600;

/** Ids newest first, without duplicates (ids are time-ordered, so sorting by id sorts by time). */
export function mergeIds(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort((x, y) => (x < y ? 1 : x > y ? -1 : 0));
}

/** The home feed as ids (the tweets live in the tweets store), newest first. */
export const feedIds = signal<readonly string[]>([]);
/** New posts pushed live, held behind the "N new posts" button so the reader is not moved. */
export const pendingIds = signal<readonly string[]>([]);
export const feedState = signal<{ loaded: boolean; loading: boolean; end: boolean; error: string }>({ loaded: false, loading: false, end: false, error: "" });
/** Whose feed this is (a different account starts over). */
export const feedOwner = signal<string | null>(null);

/** The feed as shown: deleted tweets and those dropped from the store are left out. */
export const visibleFeed = computed(() => {
  const gone = goneTweets.value;
  const store = tweets.value;
  return feedIds.value.filter((id) => !gone.has(id) && store.has(id));
});
export const visiblePending = computed(() => {
  const gone = goneTweets.value;
  return pendingIds.value.filter((id) => !gone.has(id) && !feedIds.value.includes(id));
});

export function resetFeed(owner: string | null): void {
  batch(() => {
    feedOwner.value = owner;
    feedIds.value = [];
    pendingIds.value = [];
    feedState.value = { loaded: false, loading: false, end: false, error: "" };
  });
}

/** A page from the server (the first, or an older one) merged in by id. */
export function addPage(ids: readonly string[], { older, end }: { older: boolean; end: boolean }): void {
  batch(() => {
    let merged = mergeIds(feedIds.value, ids);
    if (merged.length > MAX_FEED && older) merged = merged.slice(merged.length - MAX_FEED);
    else if (merged.length > MAX_FEED) merged = merged.slice(0, MAX_FEED);
    feedIds.value = merged;
    pendingIds.value = pendingIds.value.filter((id) => !merged.includes(id));
    const state = feedState.value;
    feedState.value = { ...state, loaded: true, loading: false, error: "", end: older ? end : state.loaded ? state.end : end };
  });
}

/**
 * The newest page read again (a reconnect, the feed opened again): merged by id; posts of others newer than what is
 * shown wait behind the button when `hold`; and what the page should hold but does not (deleted, or unfollowed while
 * away: tweet deletes are not replayed) leaves the feed. Returns the ids that left.
 */
export function mergeFirstPage(ids: readonly string[], { hold, end, mine }: { hold: boolean; end: boolean; mine: ReadonlySet<string> }): string[] {
  if (!feedState.value.loaded) {
    addPage(ids, { older: false, end });
    return [];
  }
  const inPage = new Set(ids);
  const newest = ids[0];
  const oldest = ids.at(-1);
  const missing = (id: string) => !inPage.has(id) && (newest === undefined ? end : id <= newest && (end || id >= oldest!));
  const removed = feedIds.value.filter(missing);
  const kept = feedIds.value.filter((id) => !missing(id));
  const top = kept[0];
  const held = hold && top !== undefined ? ids.filter((id) => id > top && !mine.has(id)) : [];
  const shown = ids.filter((id) => !held.includes(id));
  batch(() => {
    const merged = mergeIds(kept, shown).slice(0, MAX_FEED);
    feedIds.value = merged;
    pendingIds.value = mergeIds(pendingIds.value.filter((id) => !missing(id)), held).filter((id) => !merged.includes(id));
    feedState.value = { ...feedState.value, loaded: true, loading: false, error: "" };
  });
  return removed;
}

/**
 * Where a pushed tweet goes: one already shown is only updated; my own goes to the top at once; someone else's newer
 * than what is shown waits behind the button; an older one (missed while away) slots into its place.
 */
export function placePushed(id: string, mine: boolean): "shown" | "top" | "pending" | "slotted" | "ignored" {
  const ids = feedIds.value;
  if (ids.includes(id)) return "shown";
  if (!feedState.value.loaded) return "ignored"; // the first page will bring it
  const newest = ids[0];
  if (mine) {
    feedIds.value = mergeIds(ids, [id]);
    return "top";
  }
  if (newest === undefined || id > newest) {
    if (!pendingIds.value.includes(id)) pendingIds.value = mergeIds(pendingIds.value, [id]);
    return "pending";
  }
  const oldest = ids[ids.length - 1]!;
  if (id < oldest) return "ignored"; // scrolling will bring it
  feedIds.value = mergeIds(ids, [id]);
  return "slotted";
}

/** Shows the held-back posts (the "N new posts" button). */
export function showPending(): void {
  if (pendingIds.value.length === 0) return;
  batch(() => {
    feedIds.value = mergeIds(feedIds.value, pendingIds.value);
    pendingIds.value = [];
  });
}
