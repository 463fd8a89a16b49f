import { useEffect, useRef } from "preact/hooks";
import { loadFeedFirst, loadFeedOlder, wireTweetPushes } from "../../connection/tweets.ts";
import { Button } from "../../components/button.tsx";
import { TweetCard } from "../../components/tweet-card.tsx";
import { feedState, showPending, visibleFeed, visiblePending } from "../../state/feed.ts";
import { tweets } from "../../state/tweets.ts";
import { StoriesBar } from "../stories/stories-bar.tsx";
import { Compose } from "./compose.tsx";
import "./home.css";

/** The home feed: stories, the compose box, then my tweets and those of whom I follow, newest first. */
export function Home() {
  const sentinel = useRef<HTMLDivElement>(null);
  const top = useRef<HTMLElement>(null);

  useEffect(() => {
    wireTweetPushes();
    // Coming back to the feed shows what is kept and merges the newest page into it.
    void loadFeedFirst();
  }, []);

  const state = feedState.value;
  const ids = visibleFeed.value;
  const pending = visiblePending.value;
  const store = tweets.value;

  useEffect(() => {
    const el = sentinel.current;
    if (!el || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void loadFeedOlder();
    }, { rootMargin: "600px 0px" });
    observer.observe(el);
    return () => observer.disconnect();
    // Made again after each page: a sentinel still in view then asks for the next one.
  }, [state.loaded, state.end, state.loading]);

  // The feed pattern: Page Down / Page Up move between posts.
  const onFeedKey = (event: KeyboardEvent) => {
    if (event.key !== "PageDown" && event.key !== "PageUp") return;
    const current = (event.target as HTMLElement).closest("article[data-tweet-id]");
    if (!current) return;
    const next = event.key === "PageDown" ? current.nextElementSibling : current.previousElementSibling;
    if (next instanceof HTMLElement) {
      event.preventDefault();
      next.focus();
    } else if (event.key === "PageDown") void loadFeedOlder();
  };

  const reveal = () => {
    showPending();
    top.current?.scrollIntoView({ block: "start" });
    top.current?.focus({ preventScroll: true });
  };

  return (
    <section class="home" aria-labelledby="home-title" ref={top} tabIndex={-1}>
      <h1 id="home-title" class="home__title">
        Home
      </h1>
      <StoriesBar />
      <Compose />
      {pending.length > 0 ? (
        <div class="home__new">
          <button type="button" class="home__new-button" onClick={reveal}>
            {pending.length === 1 ? "1 new post" : `${pending.length} new posts`}
          </button>
        </div>
      ) : null}
      {state.error && !state.loaded ? (
        <div class="home__status" role="alert">
          <p>{state.error}</p>
          <Button variant="secondary" onClick={() => void loadFeedFirst()}>
            Try again
          </Button>
        </div>
      ) : null}
      {!state.loaded && !state.error ? (
        <p class="home__status muted" role="status">
          Loading posts…
        </p>
      ) : null}
      {state.loaded && ids.length === 0 && pending.length === 0 ? (
        <div class="home__status">
          <p>No posts yet.</p>
          <p class="muted">Posts of the people you follow and your own show here. Find people to follow in Search.</p>
        </div>
      ) : null}
      <div class="home__feed" role="feed" aria-busy={state.loading} aria-label="Posts" onKeyDown={onFeedKey}>
        {ids.map((id, i) => {
          const t = store.get(id);
          // The feed pattern: each post's place, and the total once the end is known (-1 until then).
          return t ? <TweetCard key={id} tweet={t} position={{ index: i + 1, total: state.end ? ids.length : -1 }} /> : null;
        })}
      </div>
      {state.loaded && ids.length > 0 ? (
        <div class="home__more" ref={sentinel}>
          {state.end ? (
            <p class="muted">You're all caught up.</p>
          ) : (
            <>
              {state.error ? (
                <p class="home__error" role="alert">
                  {state.error}
                </p>
              ) : null}
              <Button variant="secondary" busy={state.loading} disabled={state.loading} onClick={() => void loadFeedOlder()}>
                {state.loading ? "Loading…" : "Load more"}
              </Button>
            </>
          )}
        </div>
      ) : null}
    </section>
  );
}
