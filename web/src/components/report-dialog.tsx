import { useEffect, useId, useRef, useState } from "preact/hooks";
import { sendReport, type ReportTarget } from "../connection/report.ts";
import { REASONS, type ReportReason } from "../lib/reports.ts";
import { announce } from "../state/connection.ts";
import { Button } from "./button.tsx";
import { Modal } from "./modal.tsx";
import "./field.css";
import "./report-dialog.css";

/** The server's limit for the reporter's words. */
const TEXT_MAX = 1000;
const THANKS = "Thanks — a moderator will look at it";

const FAILURES = {
  offline: "You are offline. Try again once the connection is back.",
  not_found: "This is no longer there to report.",
  forbidden: "This cannot be reported.",
  failed: "The report could not be sent. Try again in a moment.",
};

/**
 * Reporting one thing to the moderators: why (a radio group) and, if wanted, a few words. On success the dialog says
 * thanks (and the live region says it too); a refusal shows inside the dialog.
 */
export function ReportDialog({ target, what, onClose }: { target: ReportTarget; what: string; onClose: () => void }) {
  const [reason, setReason] = useState<ReportReason | null>(null);
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const [sent, setSent] = useState(false);
  const id = useId();
  const doneRef = useRef<HTMLButtonElement>(null);
  const title = `Report ${what}`;
  // The Send button is gone once sent: focus moves to Done, inside the dialog.
  useEffect(() => {
    if (sent) doneRef.current?.focus();
  }, [sent]);

  const choose = (value: ReportReason) => {
    setReason(value);
    setError("");
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!reason) {
      setError("Choose a reason.");
      return;
    }
    setBusy(true);
    setError("");
    const got = await sendReport(target, reason, text);
    setBusy(false);
    if (!got.ok) {
      setError(FAILURES[got.error]);
      return;
    }
    setSent(true);
    announce(THANKS);
  };

  return (
    <Modal label={title} onClose={onClose}>
      <h2 class="modal__title">{title}</h2>
      {sent ? (
        <>
          <p class="report-dialog__thanks" role="status">
            {THANKS}.
          </p>
          <div class="modal__actions">
            <button type="button" class="button button--primary" ref={doneRef} onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <form class="report-dialog" onSubmit={(e) => void submit(e)} noValidate>
          <fieldset class="report-dialog__reasons" aria-describedby={error ? `${id}-error` : undefined}>
            <legend class="field__label">Why are you reporting this {what}?</legend>
            {REASONS.map((r) => (
              <label key={r.value} class="report-dialog__reason">
                <input type="radio" name={`${id}-reason`} value={r.value} checked={reason === r.value} onChange={() => choose(r.value)} data-autofocus={r.value === "spam" ? true : undefined} />
                {r.label}
              </label>
            ))}
          </fieldset>
          <label class="field__label" for={`${id}-text`}>
            Anything the moderators should know (optional)
          </label>
          <textarea
            id={`${id}-text`}
            class="field__input report-dialog__text"
            value={text}
            maxLength={TEXT_MAX}
            rows={3}
            aria-describedby={`${id}-count`}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <p class="field__hint report-dialog__count" id={`${id}-count`}>
            {text.length} / {TEXT_MAX}
          </p>
          {error ? (
            <p class="field__error" id={`${id}-error`} role="alert">
              {error}
            </p>
          ) : null}
          <div class="modal__actions">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" busy={busy} disabled={busy}>
              {busy ? "Sending…" : "Send report"}
            </Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
