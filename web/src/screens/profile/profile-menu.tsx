import { useEffect, useRef, useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { Modal } from "../../components/modal.tsx";
import { toggleBlock } from "../../connection/people.ts";
import { announce } from "../../state/connection.ts";
import type { Profile } from "../../state/profiles.ts";
import { displayName } from "../../state/users.ts";

/** The "…" menu of someone else's profile: Block or Unblock, each confirmed in a dialog. */
export function ProfileMenu({ profile }: { profile: Profile }) {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const name = displayName(profile);
  const blocked = profile.isBlocked;
  const menuId = `profile-menu-${profile.user_id}`;

  useEffect(() => {
    if (!open) return;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onDown = (event: MouseEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !toggleRef.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("mousedown", onDown);
    return () => document.removeEventListener("mousedown", onDown);
  }, [open]);

  const onMenuKey = (event: KeyboardEvent) => {
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      toggleRef.current?.focus();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      items[(index + step + items.length) % items.length]?.focus();
    } else if (event.key === "Tab") {
      setOpen(false);
    }
  };

  const confirm = async () => {
    setBusy(true);
    setFailed(null);
    const result = await toggleBlock(profile.user_id);
    setBusy(false);
    if (!result.ok) {
      setFailed(result.error === "offline" ? "You are offline; try again when the connection is back." : "That did not work; try again.");
      return;
    }
    setConfirming(false);
    announce(result.value ? `You blocked ${name}` : `You unblocked ${name}`);
  };
  const closeDialog = () => {
    if (!busy) setConfirming(false);
  };

  return (
    <div class="profile__menu">
      <button
        type="button"
        class="button button--icon"
        ref={toggleRef}
        aria-label="More actions"
        aria-haspopup="menu"
        aria-expanded={open ? "true" : "false"}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpen(!open)}
      >
        <Icon name="more" />
      </button>
      {open ? (
        <div class="profile__menu-list" role="menu" id={menuId} aria-label="More actions" ref={menuRef} onKeyDown={onMenuKey}>
          <button
            type="button"
            role="menuitem"
            class={`profile__menu-item ${blocked ? "" : "profile__menu-item--danger"}`}
            onClick={() => {
              setOpen(false);
              setFailed(null);
              setConfirming(true);
            }}
          >
            <Icon name="block" />
            {blocked ? "Unblock" : "Block"}
          </button>
        </div>
      ) : null}
      {confirming ? (
        <Modal label={blocked ? `Unblock ${name}?` : `Block ${name}?`} onClose={closeDialog}>
          <h3 class="profile__dialog-title">{blocked ? `Unblock ${name}?` : `Block ${name}?`}</h3>
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
          <div class="profile__dialog-actions">
            <Button variant="secondary" onClick={closeDialog} disabled={busy} data-autofocus>
              Cancel
            </Button>
            <Button variant={blocked ? "primary" : "danger"} onClick={() => void confirm()} disabled={busy} busy={busy}>
              {blocked ? "Unblock" : "Block"}
            </Button>
          </div>
        </Modal>
      ) : null}
    </div>
  );
}
