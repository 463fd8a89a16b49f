import { useEffect, useRef, useState } from "preact/hooks";
import { addComment, limits, loadLimits } from "../../connection/tweets.ts";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import type { Comment } from "../../state/types.ts";
import { displayName } from "../../state/users.ts";
import "../../components/field.css";

/** Until the server's limits (`GET /limits`) have come. */
const DEFAULT_MAX_COMMENT = 1000;

/** Writing a comment, or a reply to one. */
export function CommentBox({ tweetId, replyTo, onCancelReply }: { tweetId: string; replyTo: Comment | null; onCancelReply: () => void }) {
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  const [sending, setSending] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const MAX_COMMENT = limits.value?.comment_max_length ?? DEFAULT_MAX_COMMENT;

  useEffect(() => {
    void loadLimits();
  }, []);

  useEffect(() => {
    if (replyTo) input.current?.focus();
  }, [replyTo]);
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [text]);

  const length = [...text.trim()].length;
  const over = length > MAX_COMMENT;
  const submit = async () => {
    if (length === 0 || over || sending) return;
    setSending(true);
    setError("");
    const failed = await addComment(tweetId, text.trim(), replyTo?.id ?? null);
    setSending(false);
    if (failed) return setError(failed);
    setText("");
    onCancelReply();
  };

  return (
    <form
      class="comment-box"
      aria-label="Add a comment"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {replyTo ? (
        <div class="comment-box__context">
          <span>
            Replying to <strong>{displayName(replyTo.owner) || replyTo.owner.username}</strong>
          </span>
          <Button variant="icon" aria-label="Cancel reply" onClick={onCancelReply}>
            <Icon name="close" />
          </Button>
        </div>
      ) : null}
      <div class="comment-box__row">
        <textarea
          ref={input}
          class="text-box text-box--round comment-box__input"
          rows={1}
          aria-label={replyTo ? "Reply" : "Comment"}
          placeholder={replyTo ? "Write a reply" : "Write a comment"}
          maxLength={MAX_COMMENT * 2}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void submit();
            } else if (e.key === "Escape" && replyTo) {
              e.stopPropagation();
              onCancelReply();
            }
          }}
        />
        <Button type="submit" disabled={length === 0 || over || sending} busy={sending}>
          {replyTo ? "Reply" : "Comment"}
        </Button>
      </div>
      {over ? <p class="comment-box__error">At most {MAX_COMMENT} characters.</p> : null}
      {error ? (
        <p class="comment-box__error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}
