import { useEffect, useRef, useState } from "preact/hooks";
import { readImage } from "../../connection/actions.ts";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import type { BubbleMessage } from "../../state/types.ts";
import "../../components/field.css";
import "./composer.css";

/** Where the composer's messages go: a direct chat or a group. */
export interface ComposerTarget {
  send(content: { text?: string; image?: string }, replyTo: string | null): void;
  /** Resolves with null, or the error's text. */
  edit(id: string, text: string): Promise<string | null>;
  typing(): void;
}

/** Writes, replies to, and edits messages. Enter sends; Shift+Enter breaks the line; Escape cancels. */
export function Composer({
  target,
  replyTo,
  replyName,
  editing,
  onDone,
}: {
  target: ComposerTarget;
  replyTo: BubbleMessage | null;
  replyName: string;
  editing: BubbleMessage | null;
  onDone: () => void;
}) {
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  const [image, setImage] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editing) setText(editing.context.text ?? "");
    if (editing || replyTo) input.current?.focus();
  }, [editing, replyTo]);

  useEffect(() => {
    const el = input.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, 160)}px`;
  }, [text]);

  const submit = async () => {
    const body = text.trim();
    if (!body && !(image && !editing)) return;
    setError("");
    if (editing) {
      if (body !== editing.context.text) {
        const failed = await target.edit(editing.id, body);
        if (failed) return setError(failed);
      }
      setText("");
      onDone();
      return;
    }
    target.send(image ? (body ? { image, text: body } : { image }) : { text: body }, replyTo?.id ?? null);
    setText("");
    setImage(null);
    onDone();
  };

  const attach = async (event: Event) => {
    const picked = (event.currentTarget as HTMLInputElement).files?.[0];
    (event.currentTarget as HTMLInputElement).value = "";
    if (!picked) return;
    if (!picked.type.startsWith("image/")) return setError("Only images can be attached.");
    try {
      setImage(await readImage(picked));
      input.current?.focus();
    } catch (e) {
      setError(e instanceof Error ? e.message : "The image could not be read.");
    }
  };

  const context = editing ?? replyTo;
  return (
    <div class="composer">
      {context ? (
        <div class="composer__context">
          <Icon name={editing ? "edit" : "reply"} />
          <div class="composer__context-body">
            <span class="composer__context-title">{editing ? "Edit message" : `Reply to ${replyName}`}</span>
            <span class="composer__context-text">{context.context.text ?? (context.context.image ? "Photo" : "")}</span>
          </div>
          <Button
            variant="icon"
            class="composer__icon"
            aria-label={editing ? "Cancel editing" : "Cancel reply"}
            onClick={() => {
              if (editing) setText("");
              onDone();
            }}
          >
            <Icon name="close" />
          </Button>
        </div>
      ) : null}
      {image && !editing ? (
        <div class="composer__preview">
          <img src={image} alt="Image to send" />
          <Button variant="icon" class="composer__icon" aria-label="Remove image" onClick={() => setImage(null)}>
            <Icon name="close" />
          </Button>
        </div>
      ) : null}
      {error ? (
        <p class="composer__error" role="alert">
          {error}
        </p>
      ) : null}
      <form
        class="composer__row"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {!editing ? (
          <>
            <Button variant="icon" class="composer__icon" aria-label="Attach image" onClick={() => file.current?.click()}>
              <Icon name="attach" />
            </Button>
            <input ref={file} type="file" accept="image/png,image/jpeg,image/webp,image/gif" class="visually-hidden" tabIndex={-1} aria-hidden="true" onChange={attach} />
          </>
        ) : null}
        <textarea
          ref={input}
          class="text-box text-box--round composer__input"
          rows={1}
          aria-label="Message"
          placeholder="Message"
          maxLength={4096}
          value={text}
          onInput={(e) => {
            setText(e.currentTarget.value);
            if (!editing && e.currentTarget.value) target.typing();
          }}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void submit();
            } else if (e.key === "Escape" && context) {
              e.stopPropagation();
              if (editing) setText("");
              onDone();
            }
          }}
        />
        <Button type="submit" variant="primary" class="composer__send" aria-label="Send" disabled={!text.trim() && !(image && !editing)}>
          <Icon name="send" />
        </Button>
      </form>
    </div>
  );
}
