import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { loadComments, loadTweet, watchComments, wireTweetPushes } from "../../connection/tweets.ts";
import { onConnected } from "../../connection/pushes.ts";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { TweetCard } from "../../components/tweet-card.tsx";
import { commentsByTweet, goneTweets, tweets } from "../../state/tweets.ts";
import { CommentBox } from "./comment-box.tsx";
import { CommentThread } from "./comment-thread.tsx";
import "./tweet-page.css";

type Status = "loading" | "ok" | "gone" | "error";

/** One tweet with its comments (replies nested one level), a box to comment, and a way back. */
export function TweetPage({ id }: { id: string }) {
  const [status, setStatus] = useState<Status>(tweets.value.has(id) ? "ok" : "loading");
  const [commentsState, setCommentsState] = useState<{ loading: boolean; more: boolean; error: string }>({ loading: true, more: false, error: "" });
  const [replyTo, setReplyTo] = useState<string | null>(null);
  const { route } = useLocation();
  const hasMore = useRef(false);
  hasMore.current = commentsState.more;
  // Back to where I came from inside the app; opened from outside, to the feed.
  const goBack = () => (history.length > 1 ? history.back() : route("/home"));

  const loadMore = async (after?: string) => {
    setCommentsState((s) => ({ ...s, loading: true, error: "" }));
    const answer = await loadComments(id, after);
    if ("error" in answer) {
      if (answer.code === "not_found" || answer.code === "forbidden") setStatus("gone");
      setCommentsState({ loading: false, more: false, error: answer.code === "not_found" ? "" : answer.error });
    } else setCommentsState({ loading: false, more: answer.count > 0 && answer.count >= 50, error: "" });
  };

  useEffect(() => {
    wireTweetPushes();
    let live = true;
    const load = () => {
      void loadTweet(id).then((s) => {
        if (!live) return;
        setStatus((old) => (s === "error" ? (old === "loading" ? "error" : old) : s));
      });
      const last = commentsByTweet.value.get(id)?.at(-1)?.id;
      void loadMore(last);
    };
    load();
    // Its new and deleted comments arrive live while the page is open; the server forgets that on a disconnect, so
    // every connection asks again, and reads what came meanwhile (only the owner's are replayed).
    watchComments(id);
    const stop = onConnected((resumed) => {
      watchComments(id);
      if (!resumed) load();
      else if (!hasMore.current) void loadComments(id, commentsByTweet.value.get(id)?.at(-1)?.id);
    });
    return () => {
      live = false;
      stop();
      watchComments(null);
    };
  }, [id]);

  const tweet = tweets.value.get(id);
  const gone = goneTweets.value.has(id) || status === "gone";
  const comments = commentsByTweet.value.get(id) ?? [];

  return (
    <section class="tweet-page" aria-labelledby="tweet-page-title">
      <header class="tweet-page__head">
        <Button variant="icon" aria-label="Back" onClick={goBack}>
          <Icon name="back" />
        </Button>
        <h1 id="tweet-page-title" class="tweet-page__title">
          Post
        </h1>
      </header>
      {gone ? (
        <div class="tweet-page__status" role="alert">
          <p>This post is not available.</p>
          <p class="muted">It was deleted, or you are not allowed to see it.</p>
          <a href="/home">Go to Home</a>
        </div>
      ) : tweet ? (
        <TweetCard tweet={tweet} standalone />
      ) : status === "loading" || status === "ok" ? (
        <p class="tweet-page__status muted" role="status">
          Loading…
        </p>
      ) : (
        <div class="tweet-page__status" role="alert">
          <p>The post could not be loaded.</p>
          <Button variant="secondary" onClick={() => location.reload()}>
            Try again
          </Button>
        </div>
      )}
      {gone ? null : (
        <>
          <CommentBox tweetId={id} replyTo={replyTo ? (comments.find((c) => c.id === replyTo) ?? null) : null} onCancelReply={() => setReplyTo(null)} />
          <h2 class="tweet-page__subtitle">Comments</h2>
          {commentsState.error ? (
            <p class="tweet-page__error" role="alert">
              {commentsState.error}
            </p>
          ) : null}
          <CommentThread tweetId={id} comments={comments} onReply={setReplyTo} />
          {!commentsState.loading && comments.length === 0 && !commentsState.error ? <p class="tweet-page__status muted">No comments yet.</p> : null}
          {commentsState.loading && comments.length === 0 ? (
            <p class="tweet-page__status muted" role="status">
              Loading comments…
            </p>
          ) : null}
          {commentsState.more ? (
            <div class="tweet-page__more">
              <Button variant="secondary" busy={commentsState.loading} disabled={commentsState.loading} onClick={() => void loadMore(comments.at(-1)?.id)}>
                More comments
              </Button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
