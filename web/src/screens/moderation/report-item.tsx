import { useId, useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { Modal } from "../../components/modal.tsx";
import { resolve } from "../../connection/moderation.ts";
import { reasonLabel, targetLabel, type Report, type ResolveAction } from "../../lib/reports.ts";
import { announce } from "../../state/connection.ts";
import { displayName, users } from "../../state/users.ts";
import { profilePath } from "../shell/views.ts";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const NOTE_MAX = 1000;

const CONFIRM: Record<Exclude<ResolveAction, "dismiss">, { title: string; body: string; button: string }> = {
  delete_content: {
    title: "Delete this content?",
    body: "It is deleted for everyone, as if its author had deleted it. The report keeps its copy.",
    button: "Delete content",
  },
  suspend_user: {
    title: "Suspend the author?",
    body: "They cannot log in, are disconnected at once, and their posts, comments and stories are hidden until the suspension is lifted.",
    button: "Suspend author",
  },
};

const DONE: Record<ResolveAction, string> = { dismiss: "Report dismissed", delete_content: "Content deleted", suspend_user: "Author suspended" };

/** The reported thing as it was when reported: who made it, its text and images. */
function Snapshot({ report }: { report: Report }) {
  const { author, text, images } = report.snapshot;
  return (
    <blockquote class="mod-report__snapshot">
      {author ? (
        <p class="mod-report__author">
          <a href={profilePath(author)}>{author.name || author.username}</a> <span class="muted">@{author.username}</span>
        </p>
      ) : null}
      {text ? <p class="mod-report__content">{text}</p> : <p class="mod-report__content muted">No text</p>}
      {images.length > 0 ? (
        <div class="mod-report__images">
          {images.map((image, index) => (
            <img key={image.id} src={image.url} alt={`Reported image ${index + 1}`} width={160} height={120} loading="lazy" decoding="async" />
          ))}
        </div>
      ) : null}
    </blockquote>
  );
}

/** One open report with what it is about and the three ways to close it (the destructive two confirmed). */
export function ReportItem({ report, onResolved }: { report: Report; onResolved: (id: string) => void }) {
  const [note, setNote] = useState("");
  const [confirming, setConfirming] = useState<Exclude<ResolveAction, "dismiss"> | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const id = useId();
  const reporter = report.reporter ? users.value.get(report.reporter) : undefined;
  const reporterName = report.reporter === null ? "a deleted account" : reporter ? displayName(reporter) : "someone";
  const titleId = `${id}-title`;

  const act = async (action: ResolveAction) => {
    setBusy(true);
    setError("");
    const outcome = await resolve(report.id, action, note);
    setBusy(false);
    if (outcome === "done" || outcome === "already") {
      setConfirming(null);
      announce(outcome === "done" ? DONE[action] : "Already resolved by another moderator");
      onResolved(report.id);
    } else {
      setConfirming(null);
      setError(outcome === "offline" ? "You are offline. Try again once the connection is back." : "That did not work. Try again in a moment.");
    }
  };

  return (
    <article class="mod-report" data-report-id={report.id} aria-labelledby={titleId} tabIndex={-1}>
      <header class="mod-report__head">
        <h3 class="mod-report__title" id={titleId}>
          <span class={`mod-report__reason mod-report__reason--${report.reason}`}>{reasonLabel(report.reason)}</span> {targetLabel(report.target.kind)}
        </h3>
        <p class="mod-report__meta muted">
          Reported by {reporter?.username ? <a href={profilePath(reporter)}>{reporterName}</a> : reporterName} ·{" "}
          <time dateTime={report.created_at}>{when.format(new Date(report.created_at))}</time>
        </p>
      </header>
      {report.text ? <p class="mod-report__words">“{report.text}”</p> : null}
      <Snapshot report={report} />
      <label class="field__label" for={`${id}-note`}>
        Note for the log (optional)
      </label>
      <input id={`${id}-note`} class="field__input mod-report__note" value={note} maxLength={NOTE_MAX} onInput={(e) => setNote(e.currentTarget.value)} />
      <div class="mod-report__actions">
        <Button variant="secondary" disabled={busy} busy={busy && confirming === null} onClick={() => void act("dismiss")}>
          Dismiss
        </Button>
        {report.target.kind !== "user" ? (
          <Button variant="danger" disabled={busy} onClick={() => setConfirming("delete_content")}>
            Delete content
          </Button>
        ) : null}
        {report.author ? (
          <Button variant="danger" disabled={busy} onClick={() => setConfirming("suspend_user")}>
            Suspend author
          </Button>
        ) : null}
      </div>
      {error ? (
        <p class="field__error" role="alert">
          {error}
        </p>
      ) : null}
      {confirming ? (
        <Modal label={CONFIRM[confirming].title} onClose={() => setConfirming(null)}>
          <h2 class="modal__title">{CONFIRM[confirming].title}</h2>
          <p class="muted">{CONFIRM[confirming].body}</p>
          {note.trim() ? <p>Note: {note.trim()}</p> : null}
          <div class="modal__actions">
            <Button variant="secondary" data-autofocus onClick={() => setConfirming(null)}>
              Cancel
            </Button>
            <Button variant="danger" busy={busy} disabled={busy} onClick={() => void act(confirming)}>
              {CONFIRM[confirming].button}
            </Button>
          </div>
        </Modal>
      ) : null}
    </article>
  );
}
