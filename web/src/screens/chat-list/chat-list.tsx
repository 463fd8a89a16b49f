import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { searchPeople, startChatWith } from "../../connection/actions.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { shortTime } from "../../lib/days.ts";
import { sortedChats } from "../../state/chats.ts";
import { myId } from "../../state/session.ts";
import { typingUntil } from "../../state/typing.ts";
import type { ChatEntry, UserSummary } from "../../state/types.ts";
import { displayName, online } from "../../state/users.ts";
import { watchPresence } from "../../state/presence.ts";
import "./chat-list.css";

function preview(entry: ChatEntry, me: string | null): string {
  const m = entry.last_message;
  const body = m.context.text ?? (m.context.image ? "Photo" : "");
  return m.from === me ? `You: ${body}` : body;
}

/** Moves focus between rows with the arrow keys, Home and End. */
function onListKey(event: KeyboardEvent) {
  const keys = ["ArrowDown", "ArrowUp", "Home", "End"];
  if (!keys.includes(event.key)) return;
  const list = event.currentTarget as HTMLElement;
  const items = [...list.querySelectorAll<HTMLElement>("[data-row]")];
  const index = items.indexOf(document.activeElement as HTMLElement);
  const next = event.key === "Home" ? 0 : event.key === "End" ? items.length - 1 : index + (event.key === "ArrowDown" ? 1 : -1);
  const target = items[Math.max(0, Math.min(items.length - 1, next))];
  if (target) {
    event.preventDefault();
    target.focus();
  }
}

/** The chat list, live and sorted, with people search on top. */
export function ChatList({ activeId }: { activeId: string | null }) {
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<UserSummary[] | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const { route } = useLocation();
  const me = myId.value;

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => void searchPeople(q).then((found) => live && setResults(found)), 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);

  const open = (user: UserSummary) => {
    startChatWith(user);
    setQuery("");
    route(`/chat/${user.user_id}`);
  };

  const chats = sortedChats.value;
  const typing = typingUntil.value;
  const onlineNow = online.value;
  const partnerIds = chats.map((entry) => entry.user.user_id).join(",");
  // Presence of everyone in the list, asked in one call and kept fresh while the list is shown.
  useEffect(() => watchPresence(partnerIds ? partnerIds.split(",") : []), [partnerIds]);

  return (
    <div class="chat-list">
      <header class="chat-list__header">
        <h1 class="chat-list__title">Chats</h1>
        <Button variant="icon" aria-label="New chat" onClick={() => searchRef.current?.focus()}>
          <Icon name="compose" />
        </Button>
      </header>
      <div class="chat-list__search">
        <label class="visually-hidden" for="people-search">
          Search people
        </label>
        <input
          id="people-search"
          ref={searchRef}
          type="search"
          placeholder="Search people"
          autocomplete="off"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Escape") setQuery("");
          }}
        />
      </div>
      {results ? (
        <ul class="chat-list__items" role="list" aria-label="People" onKeyDown={onListKey}>
          {results.length === 0 ? <li class="chat-list__empty">No one found</li> : null}
          {results.map((user) => (
            <li key={user.user_id}>
              <button type="button" data-row class="chat-row" onClick={() => open(user)} aria-label={`${displayName(user)} @${user.username}`}>
                <Avatar id={user.user_id} name={displayName(user)} photo={user.photo} />
                <span class="chat-row__body">
                  <span class="chat-row__name">{displayName(user)}</span>
                  <span class="chat-row__preview">@{user.username}</span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <ul class="chat-list__items" role="list" aria-label="Chats" onKeyDown={onListKey}>
          {chats.length === 0 ? <li class="chat-list__empty">No chats yet. Search for someone to write to.</li> : null}
          {chats.map((entry) => {
            const id = entry.user.user_id;
            const name = displayName(entry.user);
            const isTyping = (typing.get(id) ?? 0) > Date.now();
            const text = isTyping ? "typing…" : preview(entry, me);
            const unread = entry.unread_count;
            return (
              <li key={id}>
                <a
                  href={`/chat/${id}`}
                  data-row
                  class={`chat-row ${id === activeId ? "is-active" : ""}`}
                  aria-current={id === activeId ? "page" : undefined}
                  aria-label={`${name}${unread ? `, ${unread} unread` : ""}: ${text}`}
                >
                  <Avatar id={id} name={name} photo={entry.user.photo} online={onlineNow.get(id) === true} />
                  <span class="chat-row__body">
                    <span class="chat-row__top">
                      <span class="chat-row__name">{name}</span>
                      <time class="chat-row__time" dateTime={entry.last_message.sent_at}>
                        {shortTime(entry.last_message.sent_at)}
                      </time>
                    </span>
                    <span class="chat-row__bottom">
                      <span class={`chat-row__preview ${isTyping ? "is-typing" : ""}`}>{text}</span>
                      {unread > 0 ? (
                        <span class="chat-row__badge" role="img" aria-label={`${unread} unread`}>
                          {unread}
                        </span>
                      ) : null}
                    </span>
                  </span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
