import { useEffect, useRef, useState } from "preact/hooks";
import { Icon } from "../../components/icons.tsx";
import { ReportDialog } from "../../components/report-dialog.tsx";
import type { Profile } from "../../state/profiles.ts";
import { BlockDialog } from "./block-dialog.tsx";

/** The "…" menu of someone else's profile: Block or Unblock (confirmed in a dialog), and Report. */
export function ProfileMenu({ profile }: { profile: Profile }) {
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [reporting, setReporting] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
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

  // The menu item that opened the dialog is gone by then: focus goes back to the menu's button instead.
  const closeReport = () => {
    setReporting(false);
    setTimeout(() => toggleRef.current?.focus(), 0);
  };

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
            class={`profile__menu-item ${profile.isBlocked ? "" : "profile__menu-item--danger"}`}
            onClick={() => {
              setOpen(false);
              setConfirming(true);
            }}
          >
            <Icon name="block" />
            {profile.isBlocked ? "Unblock" : "Block"}
          </button>
          <button
            type="button"
            role="menuitem"
            class="profile__menu-item"
            onClick={() => {
              setOpen(false);
              setReporting(true);
            }}
          >
            <Icon name="flag" />
            Report
          </button>
        </div>
      ) : null}
      {confirming ? <BlockDialog profile={profile} onClose={() => setConfirming(false)} /> : null}
      {reporting ? <ReportDialog target={{ kind: "user", id: profile.user_id }} what="account" onClose={closeReport} /> : null}
    </div>
  );
}
