import { useState } from "preact/hooks";
import { deleteComment } from "../../connection/tweets.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Icon } from "../../components/icons.tsx";
import { LinkifiedText } from "../../components/linkified-text.tsx";
import { ReportDialog } from "../../components/report-dialog.tsx";
import { TweetTime } from "../../components/tweet-time.tsx";
import { myId } from "../../state/session.ts";
import { tweets } from "../../state/tweets.ts";
import type { Comment } from "../../state/types.ts";
import { displayName } from "../../state/users.ts";
import { profilePath } from "../shell/views.ts";
import { threadOf } from "./thread.ts";

function CommentItem({ tweetId, comment, onReply, reply }: { tweetId: string; comment: Comment; onReply: (id: string) => void; reply: boolean }) {
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [reporting, setReporting] = useState(false);
  const me = myId.value;
  const name = displayName(comment.owner) || comment.owner.username;
  const canDelete = comment.owner.user_id === me || tweets.value.get(tweetId)?.owner.user_id === me;
  const remove = async () => {
    setBusy(true);
    setError("");
    const failed = await deleteComment(tweetId, comment.id);
    setBusy(false);
    if (failed) setError(failed);
  };
  return (
    <article class={`comment ${reply ? "comment--reply" : ""}`} data-comment-id={comment.id} aria-label={`Comment by ${name}`}>
      <Avatar id={comment.owner.user_id} name={name} photo={comment.owner.photo} size={reply ? 28 : 36} />
      <div class="comment__body">
        <header class="comment__head">
          <a class="comment__author" href={profilePath(comment.owner)}>
            {name}
          </a>
          <TweetTime iso={comment.sent_at} class="comment__time" />
        </header>
        <p class="comment__text">
          <LinkifiedText text={comment.context} mentions={comment.mentions} />
        </p>
        <div class="comment__actions">
          <button type="button" class="comment__action" onClick={() => onReply(comment.id)} aria-label={`Reply to ${name}`}>
            <Icon name="reply" />
            <span aria-hidden="true">Reply</span>
          </button>
          {canDelete ? (
            <button type="button" class="comment__action comment__delete" disabled={busy} onClick={() => void remove()} aria-label="Delete comment">
              <Icon name="trash" />
              <span aria-hidden="true">Delete</span>
            </button>
          ) : null}
          {comment.owner.user_id !== me ? (
            <button type="button" class="comment__action" onClick={() => setReporting(true)} aria-label={`Report comment by ${name}`}>
              <Icon name="flag" />
              <span aria-hidden="true">Report</span>
            </button>
          ) : null}
        </div>
        {error ? (
          <p class="comment__error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      {reporting ? <ReportDialog target={{ kind: "comment", id: comment.id }} what="comment" onClose={() => setReporting(false)} /> : null}
    </article>
  );
}

/** A tweet's comments with the replies under them. */
export function CommentThread({ tweetId, comments, onReply }: { tweetId: string; comments: readonly Comment[]; onReply: (id: string) => void }) {
  const groups = threadOf(comments);
  if (groups.length === 0) return null;
  return (
    <ul class="comments" aria-label="Comments">
      {groups.map(({ comment, replies }) => (
        <li key={comment.id} class="comments__item">
          <CommentItem tweetId={tweetId} comment={comment} onReply={onReply} reply={false} />
          {replies.length > 0 ? (
            <ul class="comments__replies" aria-label={`Replies to ${displayName(comment.owner) || comment.owner.username}`}>
              {replies.map((r) => (
                <li key={r.id}>
                  <CommentItem tweetId={tweetId} comment={r} onReply={() => onReply(comment.id)} reply />
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
