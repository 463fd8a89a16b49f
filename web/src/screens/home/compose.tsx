import { useEffect, useRef, useState } from "preact/hooks";
import { readImage } from "../../connection/actions.ts";
import { limits, loadLimits, postTweet } from "../../connection/tweets.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { me, myId } from "../../state/session.ts";
import { displayName } from "../../state/users.ts";
import "../../components/field.css";
import "./compose.css";

/** Counts characters as the server does (code points). */
export function tweetLength(text: string): number {
  return [...text.trim()].length;
}

/** Writing a post: text with a counter to the server's limit, one image with a preview. */
export function Compose() {
  const [text, setText] = useState("");
  const [image, setImage] = useState<string | null>(null);
  const [error, setError] = useState("");
  const [sending, setSending] = useState(false);
  const file = useRef<HTMLInputElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    void loadLimits();
  }, []);
  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 240)}px`;
  }, [text]);

  const max = limits.value?.tweet_max_length ?? null;
  const length = tweetLength(text);
  const over = max !== null && length > max;
  const left = max !== null ? max - length : null;
  const canPost = length > 0 && !over && !sending;

  const submit = async () => {
    if (!canPost) return;
    setSending(true);
    setError("");
    const failed = await postTweet(text.trim(), image);
    setSending(false);
    if (failed) return setError(failed);
    setText("");
    setImage(null);
  };

  const attach = async (event: Event) => {
    const el = event.currentTarget as HTMLInputElement;
    const picked = el.files?.[0];
    el.value = "";
    if (!picked) return;
    setError("");
    if (!picked.type.startsWith("image/")) return setError("Only images can be attached.");
    const maxBytes = limits.value?.media_max_bytes;
    if (maxBytes && picked.size > maxBytes) return setError(`The image is too large (at most ${Math.floor(maxBytes / 1024 / 1024)} MB).`);
    try {
      setImage(await readImage(picked));
      input.current?.focus();
    } catch (e) {
      setError(e instanceof Error ? e.message : "The image could not be read.");
    }
  };

  const who = me.value;
  const name = who ? displayName(who) : "Me";
  return (
    <form
      class="compose"
      aria-label="New post"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Avatar id={myId.value ?? ""} name={name} photo={who?.photo ?? null} size={44} />
      <div class="compose__body">
        <textarea
          ref={input}
          class="text-box compose__input"
          rows={2}
          aria-label="What's happening?"
          aria-describedby="compose-counter"
          placeholder="What's happening?"
          maxLength={4096}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void submit();
            }
          }}
        />
        {image ? (
          <div class="compose__preview">
            <img src={image} alt="Image to post" />
            <button type="button" class="compose__remove" aria-label="Remove image" onClick={() => setImage(null)}>
              <Icon name="close" />
            </button>
          </div>
        ) : null}
        {error ? (
          <p class="compose__error" role="alert">
            {error}
          </p>
        ) : null}
        <div class="compose__bar">
          <Button variant="icon" class="compose__icon" aria-label="Add image" onClick={() => file.current?.click()}>
            <Icon name="image" />
          </Button>
          <input ref={file} type="file" accept="image/png,image/jpeg,image/webp,image/gif" class="visually-hidden" tabIndex={-1} aria-hidden="true" onChange={attach} />
          <span id="compose-counter" class={`compose__counter ${over ? "is-over" : left !== null && left <= 20 ? "is-near" : ""}`}>
            {max === null ? "" : over ? `${-left!} characters over the limit of ${max}` : `${length}/${max}`}
          </span>
          <Button type="submit" disabled={!canPost} busy={sending}>
            Post
          </Button>
        </div>
      </div>
    </form>
  );
}
