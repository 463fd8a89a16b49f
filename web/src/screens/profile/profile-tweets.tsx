import { useEffect, useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { TweetCard } from "../../components/tweet-card.tsx";
import { loadTweets } from "../../connection/people.ts";
import { connectionState } from "../../state/connection.ts";
import { profileTweets } from "../../state/profiles.ts";
import { goneTweets } from "../../state/tweets.ts";

/** A user's posts, newest first, paged with the `before` cursor. */
export function ProfileTweets({ userId, name }: { userId: string; name: string }) {
  const online = connectionState.value === "online";
  const list = profileTweets.value.get(userId);
  // A post deleted here or elsewhere (the tweets store hears of it) leaves no empty row behind.
  const gone = goneTweets.value;
  const shown = list ? list.tweets.filter((t) => !gone.has(t.id)) : [];
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!online) return;
    let live = true;
    setBusy(true);
    void loadTweets(userId, false).then((r) => {
      if (!live) return;
      setBusy(false);
      setFailed(!r.ok);
    });
    return () => {
      live = false;
    };
  }, [userId, online]);

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
