import { useEffect, useRef, useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { TweetCard } from "../../components/tweet-card.tsx";
import { loadProfile, loadTweets } from "../../connection/people.ts";
import { onPush } from "../../connection/pushes.ts";
import { announce, connectionState } from "../../state/connection.ts";
import { prependTweets, profileTweets, putTweets } from "../../state/profiles.ts";
import { goneTweets } from "../../state/tweets.ts";
import type { Tweet } from "../../state/types.ts";

const MAX_WAITING = 100;

/** A user's posts, newest first, paged with the `before` cursor; new ones wait behind a button. */
export function ProfileTweets({ userId, name }: { userId: string; name: string }) {
  const online = connectionState.value === "online";
  const list = profileTweets.value.get(userId);
  // A post deleted here or elsewhere (the tweets store hears of it) leaves no empty row behind.
  const gone = goneTweets.value;
  const shown = list ? list.tweets.filter((t) => !gone.has(t.id)) : [];
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const [waiting, setWaitingState] = useState<readonly Tweet[]>([]);
  const waitingRef = useRef<readonly Tweet[]>([]);
  const setWaiting = (list: readonly Tweet[]) => {
    waitingRef.current = list;
    setWaitingState(list);
  };

  useEffect(() => {
    if (!online) return;
    let live = true;
    setBusy(true);
    setWaiting([]);
    void loadTweets(userId, false).then((r) => {
      if (!live) return;
      setBusy(false);
      setFailed(!r.ok);
    });
    return () => {
      live = false;
    };
  }, [userId, online]);

  // New posts by this person (I follow them) do not move what I am reading: they wait behind "N new posts".
  useEffect(
    () =>
      onPush("sendTweetToClientFromServer", (pushed) => {
        const theirs = pushed.filter((t) => t.owner.user_id === userId);
        if (theirs.length === 0) return;
        const known = new Set([...(profileTweets.value.get(userId)?.tweets ?? []), ...waitingRef.current].map((t) => t.id));
        const fresh = theirs.filter((t) => !known.has(t.id));
        if (fresh.length === 0) return;
        const next = [...fresh, ...waitingRef.current].slice(0, MAX_WAITING);
        waitingRef.current = next;
        setWaiting(next);
        announce(`${next.length} new ${next.length === 1 ? "post" : "posts"} by ${name}`);
      }),
    [userId, name],
  );

  const showWaiting = () => {
    putTweets(userId, prependTweets(profileTweets.value.get(userId), waiting));
    setWaiting([]);
    void loadProfile(userId); // the posts count
  };

  const more = async () => {
    setBusy(true);
    const r = await loadTweets(userId, true);
    setBusy(false);
    setFailed(!r.ok);
  };

  return (
    <section class="profile__tweets" aria-labelledby="profile-tweets-title">
      <h3 id="profile-tweets-title" class="visually-hidden">
        Posts by {name}
      </h3>
      {waiting.length > 0 ? (
        <div class="profile__more">
          <Button variant="primary" onClick={showWaiting}>
            {waiting.length === 1 ? "1 new post" : `${waiting.length} new posts`}
          </Button>
        </div>
      ) : null}
      {shown.length > 0 ? (
        <ul class="profile__tweet-list" aria-label={`Posts by ${name}`}>
          {shown.map((tweet) => (
            <li key={tweet.id} class="profile__tweet">
              <TweetCard tweet={tweet} />
            </li>
          ))}
        </ul>
      ) : list ? (
        <p class="profile__note">No posts yet.</p>
      ) : busy ? (
        <p class="profile__note" role="status">
          Loading posts…
        </p>
      ) : null}
      {failed ? (
        <p class="profile__error" role="alert">
          The posts could not be loaded.{" "}
          <Button variant="ghost" onClick={() => void more()}>
            Try again
          </Button>
        </p>
      ) : null}
      {list && !list.end && !failed ? (
        <div class="profile__more">
          <Button variant="secondary" onClick={() => void more()} disabled={busy} busy={busy}>
            {busy ? "Loading…" : "Show older posts"}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
