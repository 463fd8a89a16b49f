import { useLocation } from "preact-iso";
import { useCallback, useRef, useState } from "preact/hooks";
import { Banner } from "../../components/banner.tsx";
import { Button } from "../../components/button.tsx";
import { Field } from "../../components/field.tsx";
import { Modal } from "../../components/modal.tsx";
import { deleteAccount } from "../../connection/account.ts";
import { resetActions } from "../../connection/actions.ts";
import { logOut } from "../../connection/auth.ts";
import { disablePush } from "../../connection/push.ts";
import { minutesText } from "../../lib/account.ts";
import { loginNotice, me } from "../../state/session.ts";

/** The confirmation: what goes and what stays, and the password (checked again by a fresh login). */
function ConfirmDelete({ onCancel }: { onCancel: () => void }) {
  const { route } = useLocation();
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [wrong, setWrong] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // The modal's effect depends on onClose: keep it stable so a re-render does not move focus.
  const latest = useRef({ busy, onCancel });
  latest.current = { busy, onCancel };
  const close = useCallback(() => {
    if (!latest.current.busy) latest.current.onCancel();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const username = me.value?.username;
    if (!password) return setWrong(true);
    if (!username) return setProblem("Your account is still loading. Try again in a moment.");
    setBusy(true);
    setWrong(false);
    setProblem(null);
    const result = await deleteAccount(username, password);
    if (result.ok) {
      loginNotice.value = "account_deleted";
      // The server ended every login; this clears the cookie and everything kept here.
      await logOut();
      await disablePush().catch(() => undefined);
      resetActions();
      route("/login");
      return;
    }
    setBusy(false);
    // Back to the box to try again (the button that had focus was disabled meanwhile).
    setTimeout(() => {
      const box = document.querySelector<HTMLInputElement>("#delete-password");
      box?.focus();
      box?.select();
    }, 0);
    if (result.reason === "wrong_password") setWrong(true);
    else if (result.reason === "rate_limited") setProblem(`Too many attempts. You can try again in ${minutesText(result.retryAfter)}.`);
    else if (result.reason === "network") setProblem("The server cannot be reached. Try again in a moment.");
    else setProblem("The account could not be deleted. Try again in a moment.");
  };

  return (
    <Modal label="Delete your account?" onClose={close}>
      <form onSubmit={submit} noValidate>
        <h3 class="modal__title">Delete your account?</h3>
        <p class="muted">
          Your profile, posts, comments, likes, stories, followers and the people you follow, blocks and every login are removed for good. This cannot be undone.
        </p>
        <p class="muted delete-account__stays">
          Direct messages you exchanged stay visible to the other person, shown from “Deleted account”. Download your data first if you want a copy.
        </p>
        {problem ? <Banner tone="warning">{problem}</Banner> : null}
        <Field
          id="delete-password"
          label="Password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          error={wrong ? "Wrong password." : undefined}
          readOnly={busy}
          data-autofocus
        />
        <div class="modal__actions">
          <Button variant="secondary" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="danger" disabled={busy} busy={busy}>
            Delete account
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** The danger zone of Settings: deleting the account, after a confirmation. */
export function DangerZone() {
  const [asking, setAsking] = useState(false);
  return (
    <section class="settings__card settings__danger" aria-labelledby="danger-title">
      <h3 id="danger-title">Danger zone</h3>
      <p class="muted">Deleting your account removes it and everything it owns. Messages you sent stay with the people you sent them to.</p>
      <div class="settings__actions">
        <Button variant="danger" onClick={() => setAsking(true)}>
          Delete account
        </Button>
      </div>
      {asking ? <ConfirmDelete onCancel={() => setAsking(false)} /> : null}
    </section>
  );
}
