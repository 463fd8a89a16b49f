import { useLocation } from "preact-iso";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { activePartner, deleteMessage, loadOlder, loadUser, openConversation, retrySend } from "../../connection/actions.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { DaySeparator } from "../../components/day-separator.tsx";
import { Icon } from "../../components/icons.tsx";
import { MessageBubble, type MessageActions } from "../../components/message-bubble.tsx";
import { Modal } from "../../components/modal.tsx";
import { groupByDay } from "../../lib/days.ts";
import { connectionState } from "../../state/connection.ts";
import { conversation } from "../../state/messages.ts";
import { myId } from "../../state/session.ts";
import { typingUntil } from "../../state/typing.ts";
import type { ViewMessage } from "../../state/types.ts";
import { displayName, online, users } from "../../state/users.ts";
import { lastSeen, presenceText, watchPresence } from "../../state/presence.ts";
import { profilePath } from "../shell/views.ts";
import { Composer } from "./composer.tsx";
import { useSeenMarker } from "./use-seen.ts";
import "./conversation.css";

const NEAR_BOTTOM = 48;

/** One conversation: newest at the bottom, older pages on scroll up, live without moving the reader. */
export function Conversation({ partnerId }: { partnerId: string }) {
  const conv = conversation(partnerId);
  const me = myId.value;
  const messages = conv.messages.value;
  const partner = users.value.get(partnerId);
  const name = displayName(partner);
  const { route } = useLocation();
  const log = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const restore = useRef<{ height: number; top: number } | null>(null);
  const lastId = useRef<string | null>(null);
  const [showJump, setShowJump] = useState(false);
  const [replyTo, setReplyTo] = useState<ViewMessage | null>(null);
  const [editing, setEditing] = useState<ViewMessage | null>(null);
  const [viewing, setViewing] = useState<ViewMessage | null>(null);
  const [notice, setNotice] = useState("");
  const connected = connectionState.value === "online";

  useEffect(() => {
    void openConversation(partnerId);
    if (!partner) void loadUser(partnerId);
    return () => {
      if (activePartner.value === partnerId) activePartner.value = null;
    };
  }, [partnerId, connected]);
  useEffect(() => watchPresence([partnerId]), [partnerId]);

  const scrollToBottom = useCallback(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setShowJump(false);
  }, []);

  // Keep the reader where they are: after an older page, and when new messages come while scrolled up.
  useLayoutEffect(() => {
    const el = log.current;
    if (!el) return;
    const newest = messages.at(-1);
    if (restore.current) {
      el.scrollTop = restore.current.top + (el.scrollHeight - restore.current.height);
      restore.current = null;
    } else if (newest && newest.id !== lastId.current) {
      const first = lastId.current === null;
      if (first || atBottom.current || newest.from === me) scrollToBottom();
      else setShowJump(true);
    }
    lastId.current = newest?.id ?? null;
  }, [messages]);

  const onScroll = async () => {
    const el = log.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
    if (atBottom.current) setShowJump(false);
    if (el.scrollTop < 200 && conv.hasMore.value && !conv.loadingOlder.value && conv.loaded.value) {
      const before = { height: el.scrollHeight, top: el.scrollTop };
      restore.current = before;
      const count = await loadOlder(partnerId);
      if (count === 0) restore.current = null;
    }
  };

  useSeenMarker(log, partnerId, messages);

  const byId = useMemo(() => new Map(messages.map((m) => [m.id, m])), [messages]);
  const grouped = useMemo(() => groupByDay(messages), [messages]);

  const jumpTo = (id: string) => {
    const el = log.current?.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(id)}"]`);
    if (!el) return setNotice("The original message is further back.");
    el.scrollIntoView({ block: "center", behavior: "smooth" });
    el.classList.remove("message--highlight");
    void el.offsetWidth;
    el.classList.add("message--highlight");
  };

  const actions: MessageActions = {
    onReply: (m) => {
      setEditing(null);
      setReplyTo(m);
    },
    onEdit: (m) => {
      setReplyTo(null);
      setEditing(m);
    },
    onDelete: (m, forEveryone) => {
      void deleteMessage(m.id, forEveryone).then((failed) => failed && setNotice(failed));
    },
    onOpenImage: setViewing,
    onJumpTo: jumpTo,
    onRetry: (m) => m.client_id && retrySend(m.client_id),
  };

  const typing = (typingUntil.value.get(partnerId) ?? 0) > Date.now();
  const isOnline = online.value.get(partnerId) === true;
  const seen = lastSeen.value;
  const status = typing ? "typing…" : isOnline || seen.has(partnerId) ? presenceText(isOnline, seen.get(partnerId)) : partner ? `@${partner.username}` : "";

  return (
    <section class="conversation" aria-label={`Conversation with ${name}`}>
      <header class="conversation__header">
        <Button variant="icon" class="conversation__back" aria-label="Back" onClick={() => route("/")}>
          <Icon name="back" />
        </Button>
        <Avatar id={partnerId} name={name} photo={partner?.photo} size={40} online={isOnline} />
        <div class="conversation__who">
          <h2 class="conversation__name">{partner ? <a href={profilePath(partner)}>{name}</a> : name}</h2>
          <span class={`conversation__status ${typing ? "is-typing" : ""}`}>{status}</span>
        </div>
      </header>
      {notice ? (
        <div class="conversation__notice" role="status">
          <span>{notice}</span>
          <button type="button" class="conversation__notice-close" aria-label="Dismiss" onClick={() => setNotice("")}>
            <Icon name="close" />
          </button>
        </div>
      ) : null}
      <div class="conversation__log" ref={log} role="log" aria-label="Messages" tabIndex={0} onScroll={() => void onScroll()}>
        {conv.loadingOlder.value || (!conv.loaded.value && messages.length === 0) ? <p class="conversation__loading">Loading…</p> : null}
        {conv.loaded.value && messages.length === 0 ? <p class="conversation__empty">No messages here yet. Say hello!</p> : null}
        {grouped.map((entry) =>
          entry.kind === "day" ? (
            <DaySeparator key={`d-${entry.key}`} label={entry.label} />
          ) : (
            <MessageBubble
              key={entry.item.id}
              message={entry.item}
              mine={entry.item.from === me}
              quoted={entry.item.reply_to ? byId.get(entry.item.reply_to) : undefined}
              quotedName={entry.item.reply_to ? (byId.get(entry.item.reply_to)?.from === me ? "You" : name) : undefined}
              actions={actions}
            />
          ),
        )}
      </div>
      {showJump ? (
        <button type="button" class="conversation__jump" aria-label="Jump to latest" onClick={scrollToBottom}>
          <Icon name="down" />
        </button>
      ) : null}
      <Composer
        partnerId={partnerId}
        replyTo={replyTo}
        replyName={replyTo ? (replyTo.from === me ? "yourself" : name) : ""}
        editing={editing}
        onDone={() => {
          setReplyTo(null);
          setEditing(null);
        }}
      />
      {viewing?.context.image ? (
        <Modal label="Image" variant="viewer" onClose={() => setViewing(null)}>
          <button type="button" class="conversation__viewer-close" aria-label="Close" data-autofocus onClick={() => setViewing(null)}>
            <Icon name="close" />
          </button>
          <img src={viewing.context.image.url} alt="Full-size image" width={viewing.context.image.width || undefined} height={viewing.context.image.height || undefined} />
        </Modal>
      ) : null}
    </section>
  );
}
