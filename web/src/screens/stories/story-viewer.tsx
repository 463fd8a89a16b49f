import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { Avatar } from "../../components/avatar.tsx";
import { Icon } from "../../components/icons.tsx";
import { Modal } from "../../components/modal.tsx";
import { openStory, type StoryImage } from "../../connection/stories.ts";
import { announce } from "../../state/connection.ts";
import { myId } from "../../state/session.ts";
import { startIndex, storyGroups } from "../../state/stories.ts";
import { displayName } from "../../state/users.ts";
import { nextPosition, prevPosition, settlePosition, type Position } from "./navigation.ts";
import { ConfirmDelete, ViewersPanel } from "./story-panels.tsx";
import { timeAgo } from "./time-ago.ts";
import "./story-viewer.css";

/** How long one story shows. */
export const STORY_MS = 5_000;

export interface StoryViewerProps {
  /** The owners to go through, in the bar's order. */
  order: readonly string[];
  startOwnerId: string;
  /** Closes the viewer; told whose stories were showing last (the bar focuses that person). */
  onClose: (lastOwnerId: string) => void;
}

type Panel = "viewers" | "confirm" | null;

function useVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState === "visible");
  useEffect(() => {
    const update = () => setVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", update);
    return () => document.removeEventListener("visibilitychange", update);
  }, []);
  return visible;
}

/** The full-screen story viewer: one story at a time, advancing every five seconds. */
export function StoryViewer({ order, startOwnerId, onClose: close }: StoryViewerProps) {
  const groups = storyGroups.value;
  const [at, setAt] = useState<Position>(() => {
    const group = storyGroups.value.get(startOwnerId);
    return { ownerId: startOwnerId, index: group ? startIndex(group) : 0 };
  });
  // What the fetch of a story's image gave, kept with the story's id so that nothing of the previous one shows.
  const [loaded, setLoaded] = useState<{ id: string; image: StoryImage | null; failed: boolean } | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [paused, setPaused] = useState(false);
  const [restart, setRestart] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const visible = useVisible();
  const fillRef = useRef<HTMLSpanElement>(null);
  const elapsed = useRef(0);
  const viewersButton = useRef<HTMLButtonElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  // Where the viewer is, for handlers: set at once on every move, so that keys pressed before the next render (and
  // before the effects holding the handlers run again) step from the right place.
  const atRef = useRef(at);
  atRef.current = at;
  const go = useCallback((to: Position) => {
    atRef.current = to;
    setAt(to);
  }, []);
  const onClose = useCallback(() => close(atRef.current.ownerId), [close]);

  const group = groups.get(at.ownerId);
  const story = group?.stories[at.index];
  const mine = at.ownerId === myId.value;

  // The store changed under us (a story deleted here or by its owner): stay where possible, else move on or close.
  useEffect(() => {
    const settled = settlePosition(order, groups, at);
    if (!settled) onClose();
    else if (settled !== at) go(settled);
  }, [groups, at, order, onClose, go]);

  const next = useCallback(() => {
    const to = nextPosition(order, storyGroups.value, atRef.current);
    if (to) go(to);
    else onClose();
  }, [order, onClose, go]);
  const prev = useCallback(() => {
    const from = atRef.current;
    const to = prevPosition(order, storyGroups.value, from);
    if (to.ownerId === from.ownerId && to.index === from.index) setRestart((n) => n + 1);
    else go(to);
  }, [order, go]);

  // Fetch the image (this records my view and marks the story seen).
  const storyId = story?.id;
  const image = loaded && loaded.id === storyId ? loaded.image : null;
  const failed = Boolean(loaded && loaded.id === storyId && loaded.failed);
  useEffect(() => {
    if (!storyId) return;
    let live = true;
    setLoaded(null);
    openStory(at.ownerId, storyId).then(
      (img) => live && setLoaded({ id: storyId, image: img, failed: false }),
      () => live && setLoaded({ id: storyId, image: null, failed: true }),
    );
    return () => {
      live = false;
    };
  }, [at.ownerId, storyId, attempt]);

  // The clock: runs while the image shows, nothing is open over it, it is not paused and the tab is visible.
  const running = Boolean(image) && !panel && !paused && visible;
  useEffect(() => {
    elapsed.current = 0;
    if (fillRef.current) fillRef.current.style.transform = "scaleX(0)";
  }, [storyId, restart]);
  useEffect(() => {
    if (!running) return;
    let last = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      elapsed.current += now - last;
      last = now;
      if (fillRef.current) fillRef.current.style.transform = `scaleX(${Math.min(1, elapsed.current / STORY_MS)})`;
      if (elapsed.current >= STORY_MS) next();
      else frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [running, next, storyId, restart]);

  // Arrow keys step through stories; Escape first closes what is open over the story. Captured before the Modal's own
  // Escape handler, which closes the viewer.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (panel) {
        if (event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          setPanel(null);
        }
        return;
      }
      if (event.key === "ArrowRight") {
        event.preventDefault();
        next();
      } else if (event.key === "ArrowLeft") {
        event.preventDefault();
        prev();
      }
    };
    document.addEventListener("keydown", onKey, true);
    return () => document.removeEventListener("keydown", onKey, true);
  }, [panel, next, prev]);

  const closePanel = useCallback(() => {
    setPanel(null);
    requestAnimationFrame(() => viewersButton.current?.focus());
  }, []);

  const onStageClick = (event: MouseEvent) => {
    if (panel) return;
    const stage = event.currentTarget as HTMLElement;
    const box = stage.getBoundingClientRect();
    if (event.clientX - box.left < box.width / 2) prev();
    else next();
  };

  if (!group || !story) return null;
  const name = displayName(group.owner);
  const total = group.stories.length;

  return (
    <Modal label={`${mine ? "Your" : `${name}'s`} stories`} onClose={onClose} variant="viewer">
      <div class="story-viewer">
        <div class="story-viewer__top">
          <div class="story-progress" role="progressbar" aria-label={`Story ${at.index + 1} of ${total}`} aria-valuemin={1} aria-valuemax={total} aria-valuenow={at.index + 1}>
            {group.stories.map((s, i) => (
              <span key={s.id} class={`story-progress__segment ${i < at.index ? "is-done" : ""}`}>
                {i === at.index ? <span class="story-progress__fill" ref={fillRef} /> : null}
              </span>
            ))}
          </div>
          <div class="story-viewer__head">
            <Avatar id={group.ownerId} name={name} photo={group.owner.photo} size={36} />
            <span class="story-viewer__who">
              <span class="story-viewer__name">{mine ? "Your story" : name}</span>
              <time class="story-viewer__time" dateTime={story.added_at}>
                {timeAgo(story.added_at)}
              </time>
            </span>
            <button type="button" class="story-viewer__icon" aria-label={paused ? "Play" : "Pause"} onClick={() => setPaused((p) => !p)}>
              <Icon name={paused ? "play" : "pause"} />
            </button>
            <button ref={closeButton} type="button" class="story-viewer__icon" aria-label="Close" data-autofocus onClick={onClose}>
              <Icon name="close" />
            </button>
          </div>
        </div>
        <div class="story-viewer__stage" onClick={onStageClick}>
          {image ? (
            <img
              class="story-viewer__image"
              src={image.url}
              width={image.width}
              height={image.height}
              alt={`Story by ${name}, ${timeAgo(story.added_at)}`}
              loading="lazy"
              decoding="async"
            />
          ) : failed ? (
            <div class="story-viewer__note" role="alert">
              <p>Could not load this story.</p>
              <button
                type="button"
                class="story-viewer__action"
                onClick={(e) => {
                  e.stopPropagation();
                  setAttempt((n) => n + 1);
                }}
              >
                Try again
              </button>
            </div>
          ) : (
            <p class="story-viewer__note" role="status">
              Loading…
            </p>
          )}
          <button type="button" class="story-viewer__step story-viewer__step--prev" aria-label="Previous story" onClick={(e) => (e.stopPropagation(), prev())}>
            <Icon name="prev" />
          </button>
          <button type="button" class="story-viewer__step story-viewer__step--next" aria-label="Next story" onClick={(e) => (e.stopPropagation(), next())}>
            <Icon name="next" />
          </button>
        </div>
        {mine ? (
          <div class="story-viewer__own">
            <button ref={viewersButton} type="button" class="story-viewer__action" onClick={() => setPanel("viewers")}>
              <Icon name="eye" /> Viewers
            </button>
            <button type="button" class="story-viewer__action" onClick={() => setPanel("confirm")}>
              <Icon name="trash" /> Delete
            </button>
          </div>
        ) : null}
        {panel === "viewers" ? <ViewersPanel storyId={story.id} onBack={closePanel} /> : null}
        {panel === "confirm" ? (
          <ConfirmDelete
            ownerId={group.ownerId}
            storyId={story.id}
            onCancel={closePanel}
            onDeleted={() => {
              setPanel(null);
              announce("Story deleted");
              requestAnimationFrame(() => closeButton.current?.focus());
            }}
          />
        ) : null}
      </div>
    </Modal>
  );
}
