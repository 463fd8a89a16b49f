import { useEffect, useState } from "preact/hooks";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { LIST_PAGE, loadFollowList, resolveUsername, type Failure, type ListedUser } from "../../connection/people.ts";
import { connectionState } from "../../state/connection.ts";
import { displayName } from "../../state/users.ts";
import { profilePath } from "../shell/views.ts";
import "./profile.css";
import "./follow-list.css";

const TITLES = { followers: "Followers", following: "Following" } as const;

function refusal(error: Failure, kind: "followers" | "following", username: string): string {
  if (error === "forbidden") return `@${username} has a private account: only its followers can see ${kind === "followers" ? "who follows it" : "whom it follows"}.`;
  if (error === "not_found") return `@${username} does not exist, or you cannot see this account.`;
  if (error === "offline") return "You are offline; the list loads when the connection is back.";
  return "The list could not be loaded.";
}

/** Who follows someone, or whom they follow: rows linking to each profile, 50 a page. */
export function FollowList({ username, kind }: { username: string; kind: "followers" | "following" }) {
  const online = connectionState.value === "online";
  const [userId, setUserId] = useState<string | null>(null);
  const [people, setPeople] = useState<ListedUser[] | null>(null);
  const [page, setPage] = useState(0);
  const [end, setEnd] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Failure | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!online) return;
    let live = true;
    setBusy(true);
    setError(null);
    void (async () => {
      const found = await resolveUsername(username);
      if (!live) return;
      if (!found.ok) {
        setBusy(false);
        setError(found.error);
        return;
      }
      setUserId(found.value);
      const got = await loadFollowList(found.value, kind, 1);
      if (!live) return;
      setBusy(false);
      if (!got.ok) {
        setError(got.error);
        return;
      }
      setPeople(got.value);
      setPage(1);
      setEnd(got.value.length < LIST_PAGE);
    })();
    return () => {
      live = false;
    };
  }, [online, username, kind, attempt]);

  const more = async () => {
    if (!userId) return;
    setBusy(true);
    const got = await loadFollowList(userId, kind, page + 1);
    setBusy(false);
    if (!got.ok) {
      setError(got.error);
      return;
    }
    const known = new Set((people ?? []).map((p) => p.user_id));
    setPeople([...(people ?? []), ...got.value.filter((p) => !known.has(p.user_id))]);
    setPage(page + 1);
    setEnd(got.value.length < LIST_PAGE);
  };

  const base = `/@${encodeURIComponent(username)}`;
  const title = `${TITLES[kind]} of @${username}`;
  return (
    <section class="follow-list" aria-labelledby="follow-list-title">
      <header class="follow-list__header">
        <a class="button button--icon follow-list__back" href={base} aria-label={`Back to @${username}`}>
          <Icon name="back" />
        </a>
        <h2 id="follow-list-title">{title}</h2>
      </header>
      <nav class="follow-list__tabs" aria-label="Lists">
        {(["followers", "following"] as const).map((k) => (
          <a key={k} href={`${base}/${k}`} class={`follow-list__tab ${k === kind ? "is-active" : ""}`} aria-current={k === kind ? "page" : undefined}>
            {TITLES[k]}
          </a>
        ))}
      </nav>
      {people && people.length > 0 ? (
        <ul class="follow-list__rows" aria-label={title}>
          {people.map((p) => (
            <li key={p.user_id}>
              <a class="follow-list__row" href={profilePath(p)}>
                <Avatar id={p.user_id} name={displayName(p)} photo={p.photo} size={44} />
                <span class="follow-list__who">
                  <span class="follow-list__name">{displayName(p)}</span>
                  <span class="muted">@{p.username}</span>
                </span>
              </a>
            </li>
          ))}
        </ul>
      ) : people ? (
        <p class="profile__note">{kind === "followers" ? `Nobody follows @${username} yet.` : `@${username} does not follow anyone yet.`}</p>
      ) : busy || (!online && !error) ? (
        <p class="profile__note" role="status">
          {online ? "Loading…" : "Waiting for the connection…"}
        </p>
      ) : null}
      {error ? (
        <div class="profile__notice" role={error === "forbidden" || error === "not_found" ? undefined : "alert"}>
          <Icon name={error === "forbidden" ? "lock" : "block"} />
          <div>
            <p>{refusal(error, kind, username)}</p>
            {error === "failed" ? (
              <Button variant="ghost" onClick={() => setAttempt(attempt + 1)}>
                Try again
              </Button>
            ) : null}
          </div>
        </div>
      ) : null}
      {people && !end && !error ? (
        <div class="profile__more">
          <Button variant="secondary" onClick={() => void more()} disabled={busy} busy={busy}>
            {busy ? "Loading…" : "Show more"}
          </Button>
        </div>
      ) : null}
    </section>
  );
}
