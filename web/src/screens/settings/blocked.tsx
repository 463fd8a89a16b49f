import { useLocation } from "preact-iso";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import type { ServerPayloads } from "telegraph-client";
import { Avatar } from "../../components/avatar.tsx";
import { Banner } from "../../components/banner.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { Modal } from "../../components/modal.tsx";
import { onConnected } from "../../connection/pushes.ts";
import { currentClient } from "../../connection/socket.ts";
import { announce } from "../../state/connection.ts";
import { displayName } from "../../state/users.ts";
import { profilePath } from "../shell/views.ts";
import "./settings.css";
import "./blocked.css";

type BlockedUser = ServerPayloads["getBlockListFromServer"][number];

function Confirm({ user, onDone }: { user: BlockedUser; onDone: (unblocked: boolean) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = displayName(user) || user.username;
  // The modal's effect depends on onClose: keep it stable so a re-render does not move focus.
  const latest = useRef({ busy, onDone });
  latest.current = { busy, onDone };
  const close = useCallback(() => {
    if (!latest.current.busy) latest.current.onDone(false);
  }, []);
  const unblock = async () => {
    const client = currentClient();
    if (!client?.socket.connected) return setError("Not connected. Try again in a moment.");
    setBusy(true);
    try {
      let answer = await client.api.toggleBlockUser(user.user_id);
      // Unblocked elsewhere meanwhile: the toggle blocked again, so toggle back.
      if (answer.blocked) answer = await client.api.toggleBlockUser(user.user_id);
      onDone(!answer.blocked);
    } catch {
      setBusy(false);
      setError("Could not unblock. Try again.");
    }
  };
  return (
    <Modal label={`Unblock ${name}?`} onClose={close}>
      <h3 class="modal__title">Unblock {name}?</h3>
      <p class="muted">They will be able to message you, follow you and see your profile, posts and stories again.</p>
      {error ? <Banner tone="error">{error}</Banner> : null}
      <div class="modal__actions">
        <Button variant="secondary" onClick={() => onDone(false)} disabled={busy} data-autofocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={() => void unblock()} disabled={busy} busy={busy}>
          Unblock
        </Button>
      </div>
    </Modal>
  );
}

/** The people I blocked, newest first, each with Unblock (after a confirmation). */
export function Blocked() {
  const { route } = useLocation();
  const [list, setList] = useState<BlockedUser[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [asking, setAsking] = useState<BlockedUser | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const load = () => {
    const client = currentClient();
    if (!client?.socket.connected) return;
    client.api.getBlockListRequest().then(
      (l) => {
        setList(l);
        setFailed(false);
      },
      () => setFailed(true),
    );
  };
  useEffect(() => {
    load();
    return onConnected(load);
  }, []);

  const done = (user: BlockedUser, unblocked: boolean) => {
    setAsking(null);
    if (!unblocked) return;
    setList((l) => (l ? l.filter((u) => u.user_id !== user.user_id) : l));
    announce(`${displayName(user) || user.username} unblocked`);
    // The Unblock button that had focus is gone: the heading takes it (after the modal gives focus back).
    setTimeout(() => heading.current?.focus(), 0);
  };

  return (
    <section class="settings" aria-labelledby="blocked-title">
      <header class="settings__header">
        <Button variant="icon" class="settings__back" aria-label="Back to settings" onClick={() => route("/settings")}>
          <Icon name="back" />
        </Button>
        <h2 id="blocked-title" ref={heading} tabIndex={-1}>
          Blocked users
        </h2>
      </header>
      <div class="settings__body">
        <p class="muted blocked__intro">People you block cannot message you, follow you, or see your profile, posts, stories or when you were online.</p>
        {failed ? (
          <Banner tone="error">
            The list could not be loaded.{" "}
            <Button variant="ghost" onClick={load}>
              Try again
            </Button>
          </Banner>
        ) : null}
        {list === null && !failed ? (
          <p class="muted" role="status">
            Loading…
          </p>
        ) : null}
        {list && list.length === 0 ? <p class="blocked__empty">You have not blocked anyone.</p> : null}
        {list && list.length > 0 ? (
          <ul class="settings__card blocked__list" aria-label="Blocked users">
            {list.map((u) => {
              const name = displayName(u) || u.username;
              return (
                <li key={u.user_id} class="blocked__item">
                  <Avatar id={u.user_id} name={name} photo={u.photo} size={44} />
                  <a class="blocked__who" href={profilePath(u)}>
                    <span class="blocked__name">{name}</span>
                    <span class="muted blocked__meta">@{u.username}</span>
                    <span class="muted blocked__meta">
                      Blocked <time dateTime={u.blocked_at}>{new Date(u.blocked_at).toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" })}</time>
                    </span>
                  </a>
                  <Button variant="secondary" onClick={() => setAsking(u)} aria-label={`Unblock ${name}`}>
                    Unblock
                  </Button>
                </li>
              );
            })}
          </ul>
        ) : null}
      </div>
      {asking ? <Confirm user={asking} onDone={(ok) => done(asking, ok)} /> : null}
    </section>
  );
}
