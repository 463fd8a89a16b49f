import type { ComponentChildren } from "preact";
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { DaySeparator } from "../../components/day-separator.tsx";
import { Icon } from "../../components/icons.tsx";
import { groupByDay } from "../../lib/days.ts";
import type { Conversation } from "../../state/conversation-store.ts";
import type { BubbleMessage } from "../../state/types.ts";
import { useSeenMarker } from "./use-seen.ts";

const NEAR_BOTTOM = 48;

/** What the log asks of its messages' owner (a direct chat or a group). */
export interface LogProps<T extends BubbleMessage> {
  /** Changes when another conversation is shown (the seen marker starts over). */
  id: string;
  conv: Conversation<T>;
  me: string | null;
  loadOlder(): Promise<number>;
  /** Whether a message still waits to be seen by me; those on screen with focus are marked. */
  unseen(m: T): boolean;
  markSeen(upTo: string): void;
  /** One message; `previous` and `next` are its neighbours in the list (for runs of one sender). */
  renderMessage(m: T, previous: T | undefined, next: T | undefined, byId: ReadonlyMap<string, T>): ComponentChildren;
}

/** A conversation's messages: newest at the bottom, older pages on scroll up, live without moving the reader. */
export function MessageLog<T extends BubbleMessage>({ id, conv, me, loadOlder, unseen, markSeen, renderMessage }: LogProps<T>) {
  const messages = conv.messages.value;
  const log = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const restore = useRef<{ height: number; top: number } | null>(null);
  const lastId = useRef<string | null>(null);
  const [showJump, setShowJump] = useState(false);

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
      restore.current = { height: el.scrollHeight, top: el.scrollTop };
      const count = await loadOlder();
      if (count === 0) restore.current = null;
    }
  };

  useSeenMarker(log, id, messages, unseen, markSeen);

  const byId = useMemo(() => new Map(messages.map((m) => [m.id, m])), [messages]);
  const grouped = useMemo(() => groupByDay(messages), [messages]);

  return (
    <>
      <div class="conversation__log" ref={log} role="log" aria-label="Messages" tabIndex={0} onScroll={() => void onScroll()}>
        {conv.loadingOlder.value || (!conv.loaded.value && messages.length === 0) ? <p class="conversation__loading">Loading…</p> : null}
        {conv.loaded.value && messages.length === 0 ? <p class="conversation__empty">No messages here yet. Say hello!</p> : null}
        {grouped.map((entry, index) => {
          if (entry.kind === "day") return <DaySeparator key={`d-${entry.key}`} label={entry.label} />;
          const before = grouped[index - 1];
          const after = grouped[index + 1];
          return renderMessage(entry.item, before?.kind === "item" ? before.item : undefined, after?.kind === "item" ? after.item : undefined, byId);
        })}
      </div>
      {showJump ? (
        <button type="button" class="conversation__jump" aria-label="Jump to latest" onClick={scrollToBottom}>
          <Icon name="down" />
        </button>
      ) : null}
    </>
  );
}

/** Scrolls to a quoted message and flashes it; false when it is not loaded. */
export function jumpToMessage(id: string): boolean {
  const el = document.querySelector<HTMLElement>(`.conversation__log [data-message-id="${CSS.escape(id)}"]`);
  if (!el) return false;
  el.scrollIntoView({ block: "center", behavior: "smooth" });
  el.classList.remove("message--highlight");
  void el.offsetWidth;
  el.classList.add("message--highlight");
  return true;
}
