import { useEffect, useState } from "preact/hooks";
import { loadReaders } from "../../connection/groups.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Modal } from "../../components/modal.tsx";
import { PanelHeader } from "./panel-header.tsx";
import { displayName } from "../../state/users.ts";

type Reader = { user: { user_id: string; name: string; family: string; username: string; photo: string | null }; seen_at: string };

/** "Seen by": who of the others has seen one of my group messages, and when. */
export function Readers({ messageId, onClose }: { messageId: string; onClose: () => void }) {
  const [readers, setReaders] = useState<Reader[] | null>(null);
  const [error, setError] = useState("");
  useEffect(() => {
    let live = true;
    void loadReaders(messageId).then((got) => {
      if (!live) return;
      if (got.ok) setReaders(got.value);
      else setError(got.error);
    });
    return () => {
      live = false;
    };
  }, [messageId]);
  return (
    <Modal label="Seen by" onClose={onClose}>
      <PanelHeader title="Seen by" onClose={onClose} />
      {error ? <p role="alert">{error}</p> : null}
      {readers === null && !error ? <p class="group-panel__muted">Loading…</p> : null}
      {readers?.length === 0 ? <p class="group-panel__muted">Nobody has seen it yet.</p> : null}
      {readers?.length ? (
        <ul class="group-panel__list" aria-label="Readers">
          {readers.map((r) => (
            <li key={r.user.user_id} class="group-panel__person">
              <Avatar id={r.user.user_id} name={displayName(r.user)} photo={r.user.photo} size={36} />
              <span class="group-panel__person-name">{displayName(r.user)}</span>
              <time class="group-panel__muted" dateTime={r.seen_at}>
                {new Date(r.seen_at).toLocaleString(undefined, { dateStyle: "short", timeStyle: "short" })}
              </time>
            </li>
          ))}
        </ul>
      ) : null}
    </Modal>
  );
}
