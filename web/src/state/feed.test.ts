import { beforeEach, describe, expect, it } from "vitest";
import { addPage, feedIds, feedState, mergeFirstPage, mergeIds, pendingIds, placePushed, resetFeed, showPending, visibleFeed, visiblePending } from "./feed.ts";
import { clearTweets, removeTweet, upsertTweets } from "./tweets.ts";
import type { Tweet } from "./types.ts";

const id = (n: number) => n.toString(16).padStart(24, "0");
const tweet = (n: number): Tweet => ({
  id: id(n),
  owner: { user_id: "a".repeat(24), name: "Ann", family: "", username: "ann", photo: null },
  context: `tweet ${n}`,
  image: null,
  sent_at: new Date(1_700_000_000_000 + n * 1000).toISOString(),
  likes_count: 0,
  comments_count: 0,
  userLiked: false,
  mentions: [],
});

describe("the home feed's ids", () => {
  beforeEach(() => {
    resetFeed("me");
    clearTweets();
  });

  it("merges pages newest first without duplicates", () => {
    expect(mergeIds([id(5), id(3)], [id(4), id(3), id(9)])).toEqual([id(9), id(5), id(4), id(3)]);
  });

  it("keeps what an overlapping older page repeats once", () => {
    upsertTweets([30, 29, 28, 27].map(tweet));
    addPage([id(30), id(29), id(28)], { older: false, end: false });
    addPage([id(28), id(27)], { older: true, end: true });
    expect(feedIds.value).toEqual([id(30), id(29), id(28), id(27)]);
    expect(feedState.value).toMatchObject({ loaded: true, end: true, loading: false });
    // A reload of the first page after a reconnect does not forget that the end was reached.
    addPage([id(31), id(30)], { older: false, end: false });
    expect(feedState.value.end).toBe(true);
    expect(feedIds.value[0]).toBe(id(31));
  });

  it("holds someone else's new post back and puts mine at the top at once", () => {
    upsertTweets([10, 11, 12].map(tweet));
    addPage([id(10)], { older: false, end: true });
    expect(placePushed(id(11), false)).toBe("pending");
    expect(feedIds.value).toEqual([id(10)]);
    expect(visiblePending.value).toEqual([id(11)]);
    expect(placePushed(id(12), true)).toBe("top");
    expect(feedIds.value).toEqual([id(12), id(10)]);
    expect(placePushed(id(10), false)).toBe("shown");
    showPending();
    expect(feedIds.value).toEqual([id(12), id(11), id(10)]);
    expect(pendingIds.value).toEqual([]);
  });

  it("ignores pushes before the first page (it brings them) and slots in a missed older one", () => {
    expect(placePushed(id(5), false)).toBe("ignored");
    upsertTweets([1, 3, 5].map(tweet));
    addPage([id(5), id(1)], { older: false, end: false });
    expect(placePushed(id(3), false)).toBe("slotted");
    expect(feedIds.value).toEqual([id(5), id(3), id(1)]);
    expect(placePushed(id(0), false)).toBe("ignored");
  });

  it("leaves deleted tweets out of what is shown and of the pending count", () => {
    upsertTweets([1, 2, 3].map(tweet));
    addPage([id(2), id(1)], { older: false, end: true });
    placePushed(id(3), false);
    removeTweet(id(1));
    removeTweet(id(3));
    expect(visibleFeed.value).toEqual([id(2)]);
    expect(visiblePending.value).toEqual([]);
  });

  it("reads the first page again after a reconnect: others' new posts wait, mine show, and what was deleted meanwhile leaves", () => {
    upsertTweets([1, 2, 3, 4, 5, 6, 7, 8].map(tweet));
    addPage([id(5), id(4), id(3)], { older: false, end: false });
    addPage([id(2), id(1)], { older: true, end: true });
    // 4 was deleted while away; 7 is someone else's new post, 8 mine.
    const removed = mergeFirstPage([id(8), id(7), id(5), id(3)], { hold: true, end: false, mine: new Set([id(8)]) });
    expect(removed).toEqual([id(4)]);
    expect(feedIds.value).toEqual([id(8), id(5), id(3), id(2), id(1)]);
    expect(pendingIds.value).toEqual([id(7)]);
    expect(feedState.value.end).toBe(true);
    // Opened again (not while reading): shown at once; a page that is the whole feed drops every older id it lacks
    // (a newer one may have come after the server read the page, so it stays).
    expect(mergeFirstPage([id(7), id(5)], { hold: false, end: true, mine: new Set() })).toEqual([id(3), id(2), id(1)]);
    expect(feedIds.value).toEqual([id(8), id(7), id(5)]);
    expect(pendingIds.value).toEqual([]);
  });

});
