import { useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { Modal } from "../../components/modal.tsx";
import { toggleBlock } from "../../connection/people.ts";
import { announce } from "../../state/connection.ts";
import type { Profile } from "../../state/profiles.ts";
import { displayName } from "../../state/users.ts";

/** The confirmation before blocking or unblocking someone. */
export function BlockDialog({ profile, onClose }: { profile: Profile; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const name = displayName(profile);
  const blocked = profile.isBlocked;
  const title = blocked ? `Unblock ${name}?` : `Block ${name}?`;
  const confirm = async () => {
    setBusy(true);
    setFailed(null);
    const result = await toggleBlock(profile.user_id);
    setBusy(false);
    if (!result.ok) {
      setFailed(result.error === "offline" ? "You are offline; try again when the connection is back." : "That did not work; try again.");
      return;
    }
    onClose();
    announce(result.value ? `You blocked ${name}` : `You unblocked ${name}`);
  };
  const close = () => {
    if (!busy) onClose();
  };
  return (
    <Modal label={title} onClose={close}>
      <h3 class="modal__title">{title}</h3>
      <p class="muted">
        {blocked
          ? `@${profile.username} will be able to see your profile, follow you and message you again.`
          : `@${profile.username} will no longer be able to follow you, message you, or see your profile, posts and stories. Follows between you both end.`}
      </p>
      {failed ? (
        <p class="profile__error" role="alert">
          {failed}
        </p>
      ) : null}
      <div class="modal__actions">
        <Button variant="secondary" onClick={close} disabled={busy} data-autofocus>
          Cancel
        </Button>
        <Button variant={blocked ? "primary" : "danger"} onClick={() => void confirm()} disabled={busy} busy={busy}>
          {blocked ? "Unblock" : "Block"}
        </Button>
      </div>
    </Modal>
  );
}

/** A plain Unblock button (on the profile of someone I blocked), confirmed like the menu's. */
export function UnblockButton({ profile }: { profile: Profile }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        Unblock
      </Button>
      {open ? <BlockDialog profile={profile} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
