import { useEffect, useRef, useState } from "preact/hooks";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { deleteMyStory, storyViewers, type StoryViewer } from "../../connection/stories.ts";
import { displayName } from "../../state/users.ts";
import { timeAgo } from "./time-ago.ts";

/** Who viewed my story, newest first, over the story. */
export function ViewersPanel({ storyId, onBack }: { storyId: string; onBack: () => void }) {
  const [list, setList] = useState<StoryViewer[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  useEffect(() => {
    let live = true;
    setList(null);
    setError(null);
    storyViewers(storyId).then(
      (viewers) => live && setList(viewers),
      () => live && setError("Could not load who viewed it."),
    );
    return () => {
      live = false;
    };
  }, [storyId]);

  return (
    <section class="story-panel" aria-labelledby="story-viewers-title">
      <div class="story-panel__head">
        <h2 id="story-viewers-title" tabIndex={-1} ref={headingRef}>
          Viewers{list ? ` (${list.length})` : ""}
        </h2>
        <Button variant="secondary" onClick={onBack}>
          Back to story
        </Button>
      </div>
      {error ? (
        <p role="alert">{error}</p>
      ) : !list ? (
        <p role="status">Loading…</p>
      ) : list.length === 0 ? (
        <p class="story-panel__empty">No one has viewed it yet.</p>
      ) : (
        <ul class="story-panel__list">
          {list.map((v) => (
            <li key={v.user_id} class="story-panel__viewer">
              <Avatar id={v.user_id} name={displayName(v)} photo={v.photo} size={40} />
              <span class="story-panel__who">
                <span class="story-panel__name">{displayName(v)}</span>
                <span class="story-panel__meta">@{v.username}</span>
              </span>
              <time class="story-panel__meta" dateTime={v.seen_at} title={new Date(v.seen_at).toLocaleString()}>
                {timeAgo(v.seen_at)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** "Delete this story?" over the story; the story is gone for everyone once confirmed. */
export function ConfirmDelete({ ownerId, storyId, onCancel, onDeleted }: { ownerId: string; storyId: string; onCancel: () => void; onDeleted: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
  }, []);
  const confirm = async () => {
    setBusy(true);
    const problem = await deleteMyStory(ownerId, storyId);
    setBusy(false);
    if (problem) setError(problem);
    else onDeleted();
  };
  return (
    <section class="story-panel story-panel--confirm" role="alertdialog" aria-labelledby="story-delete-title" aria-describedby="story-delete-text">
      <h2 id="story-delete-title">Delete this story?</h2>
      <p id="story-delete-text">It disappears for everyone who can see it.</p>
      {error ? <p role="alert">{error}</p> : null}
      <div class="story-panel__actions">
        <button ref={cancelRef} type="button" class="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
        <Button variant="danger" busy={busy} disabled={busy} onClick={() => void confirm()}>
          Delete story
        </Button>
      </div>
    </section>
  );
}
