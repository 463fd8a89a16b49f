import { useEffect, useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { loadLog } from "../../connection/moderation.ts";
import { logSummary, type LogEntry } from "../../lib/reports.ts";
import { logHasMore, moderationLog } from "../../state/moderation.ts";
import { displayName, users } from "../../state/users.ts";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function who(userId: string | null, fallback: string): string {
  if (!userId) return fallback;
  const user = users.value.get(userId);
  return user ? displayName(user) : `account ${userId.slice(-6)}`;
}

function Entry({ entry }: { entry: LogEntry }) {
  const note = typeof entry.details["note"] === "string" ? entry.details["note"] : typeof entry.details["reason"] === "string" ? entry.details["reason"] : "";
  return (
    <li class="mod-log__entry">
      <span class="mod-log__what">
        <strong>{entry.actor.kind === "cli" ? "Command line" : who(entry.actor.user_id, "Someone")}</strong> {logSummary(entry)}
        {entry.target_user_id ? ` — ${who(entry.target_user_id, "")}` : ""}
      </span>
      {note ? <span class="mod-log__note muted">“{note}”</span> : null}
      <time class="mod-log__time muted" dateTime={entry.at}>
        {when.format(new Date(entry.at))}
      </time>
    </li>
  );
}

/** Admins: every moderator action, newest first, with "Load more". */
export function ModerationLog() {
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    void loadLog().then(() => setLoaded(true));
  }, []);
  const more = async () => {
    setBusy(true);
    await loadLog(true);
    setBusy(false);
  };
  const list = moderationLog.value;
  if (!loaded && list.length === 0) return <p class="mod__empty" role="status">Loading…</p>;
  if (list.length === 0) return <p class="mod__empty">No moderator actions yet.</p>;
  return (
    <>
      <ul class="mod-log" aria-label="Moderation log">
        {list.map((entry) => (
          <Entry key={entry.id} entry={entry} />
        ))}
      </ul>
      {logHasMore.value ? (
        <div class="mod__more">
          <Button variant="secondary" onClick={() => void more()} disabled={busy} busy={busy}>
            Load more
          </Button>
        </div>
      ) : null}
    </>
  );
}
