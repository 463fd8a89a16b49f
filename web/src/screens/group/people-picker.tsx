import { useState } from "preact/hooks";
import { Avatar } from "../../components/avatar.tsx";
import { Icon } from "../../components/icons.tsx";
import type { UserSummary } from "../../state/types.ts";
import { displayName } from "../../state/users.ts";
import { usePeopleSearch } from "../chat-list/use-people-search.ts";

/** Picks people by search: results toggle on click; the chosen show as removable chips above. */
export function PeoplePicker({ chosen, onChange, exclude = [] }: { chosen: readonly UserSummary[]; onChange: (next: UserSummary[]) => void; exclude?: readonly string[] }) {
  const [query, setQuery] = useState("");
  const results = usePeopleSearch(query) ?? [];
  const isChosen = (id: string) => chosen.some((u) => u.user_id === id);
  const toggle = (user: UserSummary) => onChange(isChosen(user.user_id) ? chosen.filter((u) => u.user_id !== user.user_id) : [...chosen, user]);
  const shown = results.filter((u) => !exclude.includes(u.user_id));
  return (
    <div class="picker">
      {chosen.length ? (
        <ul class="picker__chips" aria-label="Chosen people">
          {chosen.map((u) => (
            <li key={u.user_id}>
              <button type="button" class="picker__chip" aria-label={`Remove ${displayName(u)}`} onClick={() => toggle(u)}>
                {displayName(u)} <Icon name="close" />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label class="field__label" for="picker-search">
        Add people
      </label>
      <input
        id="picker-search"
        class="text-box"
        type="search"
        placeholder="Search by name or username"
        autocomplete="off"
        value={query}
        onInput={(e) => setQuery(e.currentTarget.value)}
      />
      {shown.length ? (
        <ul class="picker__results" aria-label="People found">
          {shown.map((u) => (
            <li key={u.user_id}>
              <button type="button" class="picker__result" aria-pressed={isChosen(u.user_id) ? "true" : "false"} onClick={() => toggle(u)}>
                <Avatar id={u.user_id} name={displayName(u)} photo={u.photo} size={32} />
                <span class="picker__result-name">
                  {displayName(u)} <span class="group-panel__muted">@{u.username}</span>
                </span>
                {isChosen(u.user_id) ? <Icon name="check" /> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : query.trim() ? (
        <p class="group-panel__muted">No one found</p>
      ) : null}
    </div>
  );
}

const REASONS: Record<string, string> = {
  not_found: "no such account",
  blocked: "blocked",
  privacy: "does not accept group invites from you",
  already_member: "already a member",
  full: "the group is full",
};

/** "Not added: Ann (does not accept group invites from you)". */
export function refusalText(refused: readonly { user_id: string; reason: string }[], nameOf: (id: string) => string): string {
  if (!refused.length) return "";
  return `Not added: ${refused.map((r) => `${nameOf(r.user_id)} (${REASONS[r.reason] ?? r.reason})`).join(", ")}`;
}
