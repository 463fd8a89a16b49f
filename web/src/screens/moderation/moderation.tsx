import { useEffect, useRef, useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { loadLog, loadReports, moderationScreenOpen } from "../../connection/moderation.ts";
import { connectionState } from "../../state/connection.ts";
import { isAdmin, moderationAccess, openReports, reportsHasMore, reportsLoaded } from "../../state/moderation.ts";
import { ModerationLog } from "./moderation-log.tsx";
import { ReportItem } from "./report-item.tsx";
import "../../components/field.css";
import "./moderation.css";

function OpenReports() {
  const list = openReports.value;
  const [busy, setBusy] = useState(false);
  const listRef = useRef<HTMLOListElement>(null);
  const more = async () => {
    setBusy(true);
    await loadReports(true);
    setBusy(false);
  };
  // A resolved report leaves the list: focus goes to the next one (else the previous, else the heading).
  const onResolved = (id: string) => {
    const items = [...(listRef.current?.querySelectorAll<HTMLElement>("[data-report-id]") ?? [])];
    const at = items.findIndex((el) => el.dataset["reportId"] === id);
    const next = items[at + 1] ?? items[at - 1];
    setTimeout(() => (next ?? document.getElementById("mod-title"))?.focus(), 0);
  };
  if (!reportsLoaded.value) return <p class="mod__empty" role="status">Loading…</p>;
  if (list.length === 0) return <p class="mod__empty">No open reports. New ones appear here as they come in.</p>;
  return (
    <>
      <ol class="mod__list" aria-label="Open reports" ref={listRef}>
        {list.map((r) => (
          <li key={r.id}>
            <ReportItem report={r} onResolved={onResolved} />
          </li>
        ))}
      </ol>
      {reportsHasMore.value ? (
        <div class="mod__more">
          <Button variant="secondary" onClick={() => void more()} disabled={busy} busy={busy}>
            Load more
          </Button>
        </div>
      ) : null}
    </>
  );
}

/** Moderators and admins: the open reports, live; admins also the audit log. Anyone else is told it is not for them. */
export function Moderation({ tab }: { tab: "reports" | "log" }) {
  const online = connectionState.value === "online";
  const access = moderationAccess.value;

  useEffect(() => {
    moderationScreenOpen.value = true;
    return () => {
      moderationScreenOpen.value = false;
    };
  }, []);
  useEffect(() => {
    if (!online) return;
    void loadReports();
    if (isAdmin.value === null) void loadLog();
  }, [online]);

  if (access === "none")
    return (
      <section class="mod" aria-labelledby="mod-title">
        <header class="mod__header">
          <h2 id="mod-title" tabIndex={-1}>
            Moderation
          </h2>
        </header>
        <div class="mod__denied">
          <h3>You are not allowed to see this page</h3>
          <p class="muted">Only moderators and admins review reports.</p>
          <a href="/home">Back to Home</a>
        </div>
      </section>
    );

  const showLog = tab === "log" && isAdmin.value === true;
  return (
    <section class="mod" aria-labelledby="mod-title">
      <header class="mod__header">
        <h2 id="mod-title" tabIndex={-1}>
          {showLog ? "Moderation log" : "Moderation"}
        </h2>
        {isAdmin.value ? (
          <nav class="mod__tabs" aria-label="Moderation">
            <a href="/moderation" class={`mod__tab ${showLog ? "" : "is-active"}`} aria-current={showLog ? undefined : "page"}>
              Reports
            </a>
            <a href="/moderation/log" class={`mod__tab ${showLog ? "is-active" : ""}`} aria-current={showLog ? "page" : undefined}>
              Log
            </a>
          </nav>
        ) : null}
      </header>
      {access === "unknown" && !reportsLoaded.value ? (
        <p class="mod__empty" role="status">
          {online ? "Loading…" : "Waiting for the connection…"}
        </p>
      ) : showLog ? (
        <ModerationLog />
      ) : (
        <OpenReports />
      )}
    </section>
  );
}
