import { useEffect, useRef, useState } from "preact/hooks";
import { messageStatus, type BubbleMessage } from "../state/types.ts";
import { Avatar } from "./avatar.tsx";
import { Icon } from "./icons.tsx";
import { LinkifiedText } from "./linkified-text.tsx";
import { Ticks } from "./ticks.tsx";
import "./message-bubble.css";

export interface MessageActions {
  onReply(m: BubbleMessage): void;
  onEdit(m: BubbleMessage): void;
  onDelete(m: BubbleMessage, forEveryone: boolean): void;
  onOpenImage(m: BubbleMessage): void;
  onJumpTo(id: string): void;
  onRetry(m: BubbleMessage): void;
  /** Groups: who has seen one of my messages. */
  onSeenBy?(m: BubbleMessage): void;
  /** Direct chats: report a message I received. */
  onReport?(m: BubbleMessage): void;
}

/** Who wrote someone else's message in a group: the name on the first of a run, the photo beside its last. */
export interface BubbleSender {
  id: string;
  name: string;
  photo: string | null;
  href: string;
  showName: boolean;
  showPhoto: boolean;
}

const MAX_W = 320;
const MAX_H = 360;

function fit(width: number, height: number): { width: number; height: number } {
  if (!width || !height) return { width: 240, height: 180 };
  const scale = Math.min(1, MAX_W / width, MAX_H / height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/** One message: text as text, an image at its size, the quote it replies to, time, "edited", ticks, actions. */
export function MessageBubble({
  message,
  mine,
  quoted,
  quotedName,
  actions,
  sender,
  canDeleteForEveryone = mine,
}: {
  message: BubbleMessage;
  mine: boolean;
  quoted?: BubbleMessage | undefined;
  quotedName?: string | undefined;
  actions: MessageActions;
  sender?: BubbleSender | undefined;
  canDeleteForEveryone?: boolean;
}) {
  const [menu, setMenu] = useState(false);
  const more = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const press = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (!menu) return;
    const away = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setMenu(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [menu]);
  const status = messageStatus(message);
  const image = message.context.image;
  const size = image ? fit(image.width, image.height) : null;
  const time = new Date(message.sent_at).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const close = () => {
    setMenu(false);
    more.current?.focus();
  };
  const act = (fn: () => void) => () => {
    close();
    fn();
  };
  return (
    <div
      class={`message ${mine ? "message--mine" : "message--theirs"} ${sender ? "message--in-group" : ""}`}
      data-message-id={message.id}
      data-status={status}
      ref={root}
      onTouchStart={() => {
        if (message.local) return;
        press.current = setTimeout(() => setMenu(true), 500);
      }}
      onTouchEnd={() => clearTimeout(press.current)}
      onTouchMove={() => clearTimeout(press.current)}
      onContextMenu={(e) => {
        if (message.local) return;
        e.preventDefault();
        setMenu(true);
      }}
    >
      {sender ? (
        <span class="message__avatar">
          {sender.showPhoto ? (
            <a href={sender.href} tabIndex={-1} aria-hidden="true">
              <Avatar id={sender.id} name={sender.name} photo={sender.photo} size={32} />
            </a>
          ) : null}
        </span>
      ) : null}
      <div class="message__bubble">
        {sender?.showName ? (
          <a class="message__sender" href={sender.href}>
            {sender.name}
          </a>
        ) : null}
        {message.reply_to ? (
          <button type="button" class="message__quote" onClick={() => message.reply_to && actions.onJumpTo(message.reply_to)}>
            <span class="message__quote-name">{quotedName ?? "Reply"}</span>
            <span class="message__quote-text">{quoted ? (quoted.context.text ?? (quoted.context.image ? "Photo" : "")) : "Original message"}</span>
          </button>
        ) : null}
        {image && size ? (
          <button type="button" class="message__image" aria-label="Open image" onClick={() => actions.onOpenImage(message)}>
            <img src={image.url} alt="Image" width={size.width} height={size.height} loading="lazy" />
          </button>
        ) : null}
        {message.context.text ? (
          <p class="message__text">
            <LinkifiedText text={message.context.text} />
          </p>
        ) : null}
        <span class="message__meta">
          {message.edited_at ? <span class="message__edited">edited</span> : null}
          <time dateTime={message.sent_at}>{time}</time>
          {mine ? <Ticks status={status} /> : null}
        </span>
      </div>
      {status === "failed" ? (
        <button type="button" class="message__retry" onClick={() => actions.onRetry(message)}>
          <Icon name="retry" /> Retry
        </button>
      ) : null}
      {!message.local ? (
        <div class="message__actions">
          <button type="button" ref={more} class="message__more" aria-label="Message actions" aria-haspopup="menu" aria-expanded={menu ? "true" : "false"} onClick={() => setMenu(!menu)}>
            <Icon name="more" />
          </button>
          {menu ? (
            <div
              class="message__menu"
              role="menu"
              onKeyDown={(e) => {
                if (e.key === "Escape") {
                  e.stopPropagation();
                  close();
                  return;
                }
                if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
                e.preventDefault();
                const items = [...e.currentTarget.querySelectorAll<HTMLElement>("[role=menuitem]")];
                const at = items.indexOf(document.activeElement as HTMLElement);
                items[(at + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length]?.focus();
              }}
              ref={(el) => el?.querySelector<HTMLElement>("button")?.focus()}
            >
              <button type="button" role="menuitem" onClick={act(() => actions.onReply(message))}>
                Reply
              </button>
              {mine && message.context.text ? (
                <button type="button" role="menuitem" onClick={act(() => actions.onEdit(message))}>
                  Edit
                </button>
              ) : null}
              <button type="button" role="menuitem" onClick={act(() => actions.onDelete(message, false))}>
                Delete for me
              </button>
              {mine && actions.onSeenBy ? (
                <button type="button" role="menuitem" onClick={act(() => actions.onSeenBy?.(message))}>
                  Seen by
                </button>
              ) : null}
              {!mine && actions.onReport ? (
                <button type="button" role="menuitem" onClick={act(() => actions.onReport?.(message))}>
                  Report
                </button>
              ) : null}
              {canDeleteForEveryone ? (
                <button type="button" role="menuitem" class="danger" onClick={act(() => actions.onDelete(message, true))}>
                  Delete for everyone
                </button>
              ) : null}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
