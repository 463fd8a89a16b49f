import { useLocation } from "preact-iso";
import { useEffect, useRef, useState } from "preact/hooks";
import { startChatWith } from "../../connection/actions.ts";
import "../../connection/groups.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { shortTime } from "../../lib/days.ts";
import { sortedChats, type ChatRow } from "../../state/chats.ts";
import { myId } from "../../state/session.ts";
import { typingUntil } from "../../state/typing.ts";
import type { GroupChatEntry, UserSummary } from "../../state/types.ts";
import { displayName, online, users } from "../../state/users.ts";
import { watchPresence } from "../../state/presence.ts";
import { NewGroupDialog } from "../group/new-group.tsx";
import "./chat-list.css";
import { usePeopleSearch } from "./use-people-search.ts";

function preview(entry: ChatRow, me: string | null): string {
  const m = entry.last_message;
  if (!m) return "Group created";
  const body = m.context.text ?? (m.context.image ? "Photo" : "");
  if (m.from === me) return `You: ${body}`;
  const who = entry.kind === "group" ? users.value.get(m.from)?.name : undefined;
  return who ? `${who}: ${body}` : body;
}

function isGroupTyping(entry: GroupChatEntry, typing: ReadonlyMap<string, number>, now: number): boolean {
  const prefix = `${entry.group.id}:`;
  for (const [key, until] of typing) if (key.startsWith(prefix) && until > now) return true;
  return false;
}

/** What a row shows, the same for a direct chat and a group. */
function rowOf(entry: ChatRow) {
  return entry.kind === "direct"
    ? { id: entry.user.user_id, href: `/chat/${entry.user.user_id}`, name: displayName(entry.user), photo: entry.user.photo }
    : { id: entry.group.id, href: `/group/${entry.group.id}`, name: entry.group.title, photo: entry.group.photo };
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
  const results = usePeopleSearch(query);
  const [creating, setCreating] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const { route } = useLocation();
  const me = myId.value;

  const open = (user: UserSummary) => {
    startChatWith(user);
    setQuery("");
    route(`/chat/${user.user_id}`);
  };

  const chats = sortedChats.value;
  const typing = typingUntil.value;
  const onlineNow = online.value;
  const partnerIds = chats.flatMap((entry) => (entry.kind === "direct" ? [entry.user.user_id] : [])).join(",");
  // Presence of everyone in the list, asked in one call and kept fresh while the list is shown.
  useEffect(() => watchPresence(partnerIds ? partnerIds.split(",") : []), [partnerIds]);

  return (
    <div class="chat-list">
      <header class="chat-list__header">
        <h1 class="chat-list__title">Chats</h1>
        <span class="chat-list__actions">
          <Button variant="icon" aria-label="New group" onClick={() => setCreating(true)}>
            <Icon name="group" />
          </Button>
          <Button variant="icon" aria-label="New chat" onClick={() => searchRef.current?.focus()}>
            <Icon name="compose" />
          </Button>
        </span>
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
            const { id, href, name, photo } = rowOf(entry);
            const now = Date.now();
            const isTyping = entry.kind === "direct" ? (typing.get(id) ?? 0) > now : isGroupTyping(entry, typing, now);
            const text = isTyping ? "typing…" : preview(entry, me);
            const unread = entry.unread_count;
            const time = entry.last_message?.sent_at ?? (entry.kind === "group" ? entry.group.created_at : "");
            return (
              <li key={id}>
                <a
                  href={href}
                  data-row
                  data-kind={entry.kind}
                  class={`chat-row ${id === activeId ? "is-active" : ""}`}
                  aria-current={id === activeId ? "page" : undefined}
                  aria-label={`${entry.kind === "group" ? "Group " : ""}${name}${unread ? `, ${unread} unread` : ""}: ${text}`}
                >
                  <Avatar id={id} name={name} photo={photo} online={entry.kind === "direct" && onlineNow.get(id) === true} />
                  <span class="chat-row__body">
                    <span class="chat-row__top">
                      <span class="chat-row__name">{name}</span>
                      <time class="chat-row__time" dateTime={time}>
                        {shortTime(time)}
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
      {creating ? <NewGroupDialog onClose={() => setCreating(false)} /> : null}
    </div>
  );
}
