import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { Presence } from "../../components/presence.tsx";
import { currentClient } from "../../connection/socket.ts";
import { announce } from "../../state/connection.ts";
import { myId } from "../../state/session.ts";
import type { UserSummary } from "../../state/types.ts";
import { displayName, online, rememberUsers } from "../../state/users.ts";
import { profilePath } from "../shell/views.ts";
import { createSearch } from "./search-query.ts";
import "../../components/field.css";
import "./search.css";

/**
 * What was typed last, and by whom, so that coming back from a profile shows the same results (asked again, so they
 * are fresh) — but not to the next account signed in on this tab.
 */
let last = { owner: null as string | null, text: "" };

async function findPeople(query: string): Promise<readonly UserSummary[]> {
  const client = currentClient();
  if (!client?.socket.connected) throw new Error("offline");
  const found = await client.api.searchUsers({ query, limit: 20 });
  rememberUsers(found);
  return found;
}

function Result({ user }: { user: UserSummary }) {
  const name = displayName(user) || user.username;
  return (
    <li class="search__item">
      <a class="search__link" href={profilePath(user)}>
        <Avatar id={user.user_id} name={name} photo={user.photo} size={48} online={online.value.get(user.user_id) === true} />
        <span class="search__who">
          <span class="search__name">{name}</span>
          <span class="search__meta">
            <span class="search__username">@{user.username}</span>
            <Presence userId={user.user_id} variant="text" />
          </span>
        </span>
      </a>
    </li>
  );
}

/** Find people by username, name or family; each result opens the profile. */
export function Search() {
  const owner = myId.value;
  const lastQuery = last.owner === owner ? last.text : "";
  const search = useMemo(() => createSearch(findPeople), []);
  const [text, setText] = useState(lastQuery);
  const box = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);

  useEffect(() => {
    box.current?.focus();
    if (lastQuery) search.now(lastQuery);
    return () => search.dispose();
  }, [search]);

  const state = search.state.value;
  const count = state.status === "done" ? state.results.length : -1;
  useEffect(() => {
    if (count >= 0) announce(count === 0 ? "No one found" : `${count} ${count === 1 ? "person" : "people"} found`);
  }, [count, state.status === "done" ? state.query : ""]);

  const onInput = (value: string) => {
    setText(value);
    last = { owner, text: value };
    search.input(value);
  };

  const links = () => [...(list.current?.querySelectorAll<HTMLAnchorElement>(".search__link") ?? [])];
  const onBoxKey = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown") return;
    const first = links()[0];
    if (first) {
      event.preventDefault();
      first.focus();
    }
  };
  const onListKey = (event: KeyboardEvent) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp" && event.key !== "Home" && event.key !== "End") return;
    const all = links();
    const at = all.indexOf(document.activeElement as HTMLAnchorElement);
    if (at < 0) return;
    event.preventDefault();
    if (event.key === "Home") return all[0]?.focus();
    if (event.key === "End") return all[all.length - 1]?.focus();
    const next = at + (event.key === "ArrowDown" ? 1 : -1);
    if (next < 0) box.current?.focus();
    else all[Math.min(next, all.length - 1)]?.focus();
  };

  const results = state.status === "idle" ? [] : state.results;
  return (
    <section class="search" aria-labelledby="search-title">
      <header class="search__header">
        <h2 id="search-title">Search</h2>
      </header>
      <form class="search__form" role="search" onSubmit={(e) => (e.preventDefault(), search.now(text))}>
        <span class="search__icon">
          <Icon name="search" />
        </span>
        <label class="visually-hidden" for="search-box">
          Search people
        </label>
        <input
          id="search-box"
          ref={box}
          class="field__input search__box"
          type="search"
          placeholder="Search people by name or @username"
          autocomplete="off"
          spellcheck={false}
          maxLength={64}
          value={text}
          aria-controls="search-results"
          aria-describedby="search-help"
          onInput={(e) => onInput(e.currentTarget.value)}
          onKeyDown={onBoxKey}
        />
        <span id="search-help" class="visually-hidden">
          Results appear as you type; press the down arrow to move into them.
        </span>
      </form>
      <div class="search__body" aria-busy={state.status === "loading" ? "true" : undefined}>
        {state.status === "idle" ? <p class="search__hint muted">Type a name or a username to find people.</p> : null}
        {state.status === "done" && results.length === 0 ? <p class="search__hint">No one found for “{state.query}”.</p> : null}
        {state.status === "error" ? (
          <div class="search__error" role="alert">
            <p>Search failed. Check your connection and try again.</p>
            <Button variant="secondary" onClick={() => search.now(text)}>
              Try again
            </Button>
          </div>
        ) : null}
        <ul id="search-results" class="search__list" aria-label="People found" ref={list} onKeyDown={onListKey} hidden={results.length === 0}>
          {results.map((u) => (
            <Result key={u.user_id} user={u} />
          ))}
        </ul>
      </div>
    </section>
  );
}
