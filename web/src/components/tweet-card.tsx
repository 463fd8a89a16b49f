import { useEffect, useRef, useState } from "preact/hooks";
import { deleteTweet, refreshTweetOnce, toggleLike, wireTweetPushes } from "../connection/tweets.ts";
import { profilePath } from "../screens/shell/views.ts";
import { myId } from "../state/session.ts";
import { goneTweets, tweets, upsertTweets } from "../state/tweets.ts";
import type { Tweet } from "../state/types.ts";
import { displayName } from "../state/users.ts";
import { Avatar } from "./avatar.tsx";
import { Button } from "./button.tsx";
import { Icon } from "./icons.tsx";
import { LinkifiedText } from "./linkified-text.tsx";
import { Modal } from "./modal.tsx";
import { ReportDialog } from "./report-dialog.tsx";
import { TweetTime } from "./tweet-time.tsx";
import "./tweet-card.css";

const MAX_W = 560;
const MAX_H = 480;

function fit(width: number, height: number): { width: number; height: number } {
  if (!width || !height) return { width: 320, height: 240 };
  const scale = Math.min(1, MAX_W / width, MAX_H / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

// Objects already put into the store: a list re-rendering with an old object must not undo a newer like.
const seen = new WeakSet<Tweet>();

/**
 * One tweet (author, time, text, image, like and comment counts, delete for mine). Works for any tweet object: the
 * one given goes into the tweets store, and the store's copy (fresher, once liked or pushed) is what shows.
 */
export function TweetCard({ tweet, standalone = false, position }: { tweet: Tweet; standalone?: boolean; position?: { index: number; total: number } }) {
  useEffect(() => {
    wireTweetPushes();
    if (!seen.has(tweet)) {
      seen.add(tweet);
      upsertTweets([tweet]);
    }
  }, [tweet]);
  const [viewing, setViewing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reporting, setReporting] = useState(false);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const self = useRef<HTMLElement>(null);

  const t = tweets.value.get(tweet.id) ?? tweet;
  if (goneTweets.value.has(tweet.id)) return null;
  const name = displayName(t.owner) || t.owner.username;
  const mine = t.owner.user_id === myId.value;
  const size = t.image ? fit(t.image.width, t.image.height) : null;
  const titleId = `tweet-${t.id}-author`;

  const like = async () => {
    setError("");
    const failed = await toggleLike(t.id);
    if (failed) setError(failed);
  };
  const remove = async () => {
    setBusy(true);
    // Where focus goes once this card is gone: the next post, else the previous one, else the list's screen.
    const el = self.current;
    const after = (el?.nextElementSibling ?? el?.previousElementSibling ?? el?.closest("section")) as HTMLElement | null;
    const failed = await deleteTweet(t.id);
    setBusy(false);
    setConfirming(false);
    if (failed) setError(failed);
    else setTimeout(() => after?.focus(), 0);
  };

  return (
    <article ref={self} class={`tweet ${standalone ? "tweet--standalone" : ""}`} data-tweet-id={t.id} aria-labelledby={titleId} tabIndex={-1} aria-posinset={position ? position.index : undefined} aria-setsize={position ? position.total : undefined}>
      <a class="tweet__avatar" href={profilePath(t.owner)} tabIndex={-1} aria-hidden="true">
        <Avatar id={t.owner.user_id} name={name} photo={t.owner.photo} size={44} />
      </a>
      <div class="tweet__body">
        <header class="tweet__head">
          <a class="tweet__author" href={profilePath(t.owner)} id={titleId}>
            <span class="tweet__name">{name}</span> <span class="tweet__username">@{t.owner.username}</span>
          </a>
          <span class="tweet__dot" aria-hidden="true">
            ·
          </span>
          <a class="tweet__time" href={`/tweet/${encodeURIComponent(t.id)}`}>
            <TweetTime iso={t.sent_at} />
          </a>
        </header>
        {t.context ? (
          <p class="tweet__text">
            <LinkifiedText text={t.context} mentions={t.mentions} />
          </p>
        ) : null}
        {t.image && size ? (
          <button type="button" class="tweet__image" aria-label="Open image full size" onClick={() => setViewing(true)}>
            <img src={t.image.url} alt={`Image posted by ${name}`} width={size.width} height={size.height} loading="lazy" decoding="async" onError={() => refreshTweetOnce(t.id)} />
          </button>
        ) : null}
        <div class="tweet__actions">
          <button type="button" class={`tweet__action tweet__like ${t.userLiked ? "is-on" : ""}`} aria-pressed={t.userLiked} onClick={() => void like()}>
            <Icon name={t.userLiked ? "heart" : "heartOutline"} />
            <span class="visually-hidden">Like</span>
            <span class="tweet__count" data-count="likes">
              {t.likes_count}
            </span>
          </button>
          <a class="tweet__action" href={`/tweet/${encodeURIComponent(t.id)}`}>
            <Icon name="comment" />
            <span class="visually-hidden">Comments</span>
            <span class="tweet__count" data-count="comments">
              {t.comments_count}
            </span>
          </a>
          {mine ? (
            <button type="button" class="tweet__action tweet__delete" aria-label="Delete post" onClick={() => setConfirming(true)}>
              <Icon name="trash" />
            </button>
          ) : (
            <button type="button" class="tweet__action tweet__report" aria-label="Report post" onClick={() => setReporting(true)}>
              <Icon name="flag" />
            </button>
          )}
        </div>
        {error ? (
          <p class="tweet__error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      {viewing && t.image ? (
        <Modal label="Image" variant="viewer" onClose={() => setViewing(false)}>
          <button type="button" class="tweet__viewer-close" aria-label="Close" data-autofocus onClick={() => setViewing(false)}>
            <Icon name="close" />
          </button>
          <img src={t.image.url} alt={`Image posted by ${name}, full size`} width={t.image.width || undefined} height={t.image.height || undefined} />
        </Modal>
      ) : null}
      {reporting ? <ReportDialog target={{ kind: "tweet", id: t.id }} what="post" onClose={() => setReporting(false)} /> : null}
      {confirming ? (
        <Modal label="Delete post?" onClose={() => setConfirming(false)}>
          <h2 class="modal__title">Delete post?</h2>
          <p class="muted">It goes for everyone, with its likes and comments. This cannot be undone.</p>
          <div class="modal__actions">
            <Button variant="secondary" data-autofocus onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button variant="danger" busy={busy} disabled={busy} onClick={() => void remove()}>
              Delete
            </Button>
          </div>
        </Modal>
      ) : null}
    </article>
  );
}
