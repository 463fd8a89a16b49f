import type { ComponentType } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { Avatar } from "../../components/avatar.tsx";
import { Icon } from "../../components/icons.tsx";
import { followStories, shareStory } from "../../connection/stories.ts";
import { prefetchWhenIdle } from "../../lib/prefetch.ts";
import { announce } from "../../state/connection.ts";
import { me, myId } from "../../state/session.ts";
import { hasUnseen, storyGroups, type StoryGroup } from "../../state/stories.ts";
import { displayName } from "../../state/users.ts";
import type { StoryViewerProps } from "./story-viewer.tsx";
import "./stories-bar.css";

const loadViewer = () => import("./story-viewer.tsx");
const ACCEPT = "image/png,image/jpeg,image/webp,image/gif";

function ringClass(group: StoryGroup | undefined): string {
  if (!group) return "story-ring";
  return `story-ring ${hasUnseen(group) ? "story-ring--unseen" : "story-ring--seen"}`;
}

function StoryItem({ group, onOpen }: { group: StoryGroup; onOpen: (ownerId: string) => void }) {
  const name = displayName(group.owner);
  const state = hasUnseen(group) ? "unseen" : "seen";
  return (
    <li class="stories-bar__item">
      <button type="button" class="stories-bar__open" data-owner={group.ownerId} aria-label={`${name}'s story, ${state}`} onClick={() => onOpen(group.ownerId)}>
        <span class={ringClass(group)}>
          <Avatar id={group.ownerId} name={name} photo={group.owner.photo} size={56} />
        </span>
        <span class="stories-bar__name" aria-hidden="true">
          {group.owner.name || group.owner.username}
        </span>
      </button>
    </li>
  );
}

/** The stories bar above the home feed: me first, then whom I follow. */
export function StoriesBar() {
  const groups = storyGroups.value;
  const mine = myId.value ? groups.get(myId.value) : undefined;
  const others = [...groups.values()].filter((g) => g.ownerId !== myId.value);
  const fileRef = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [viewing, setViewing] = useState<{ order: string[]; ownerId: string } | null>(null);
  const [Viewer, setViewer] = useState<ComponentType<StoryViewerProps> | null>(null);

  useEffect(() => followStories(), []);
  // The viewer is its own chunk: fetch it while the browser is idle, so opening a story is instant.
  useEffect(() => prefetchWhenIdle([loadViewer], 2000), []);

  const open = useCallback((ownerId: string) => {
    const me = myId.value;
    const order = ownerId === me ? [ownerId] : [...storyGroups.value.keys()].filter((id) => id !== me);
    loadViewer().then(
      (m) => {
        setViewer(() => m.StoryViewer);
        setViewing({ order, ownerId });
      },
      () => setError("Could not open the story; check the connection."),
    );
  }, []);
  const barRef = useRef<HTMLElement>(null);
  const close = useCallback((lastOwnerId: string) => {
    setViewing(null);
    // The dialog gives focus back to the item it was opened from; after going on to others, the last one seen gets it.
    requestAnimationFrame(() => {
      const item = [...(barRef.current?.querySelectorAll<HTMLElement>("[data-owner]") ?? [])].find((el) => el.dataset["owner"] === lastOwnerId);
      if (item && item !== document.activeElement) item.focus();
    });
  }, []);

  const pick = () => {
    setError(null);
    fileRef.current?.click();
  };
  const onFile = async (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    setBusy(true);
    const problem = await shareStory(file);
    setBusy(false);
    setError(problem);
    if (!problem) announce("Your story was shared");
  };

  const onKeyDown = (event: KeyboardEvent) => {
    const keys = ["ArrowRight", "ArrowLeft", "Home", "End"];
    if (!keys.includes(event.key)) return;
    const list = event.currentTarget as HTMLElement;
    const buttons = [...list.querySelectorAll<HTMLButtonElement>("button:not([disabled])")];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0 || buttons.length === 0) return;
    event.preventDefault();
    const to =
      event.key === "Home" ? 0 : event.key === "End" ? buttons.length - 1 : (at + (event.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length;
    buttons[to]?.focus();
  };

  const myName = me.value ? displayName(me.value) : mine ? displayName(mine.owner) : "Me";
  const myPhoto = me.value?.photo ?? mine?.owner.photo ?? null;

  return (
    <section class="stories-bar" aria-label="Stories" ref={barRef}>
      <ul class="stories-bar__list" onKeyDown={onKeyDown}>
        <li class="stories-bar__item stories-bar__item--me">
          {mine ? (
            <button type="button" class="stories-bar__open" data-owner={mine.ownerId} aria-label={`Your story, ${mine.stories.length} ${mine.stories.length === 1 ? "story" : "stories"}`} onClick={() => open(mine.ownerId)}>
              <span class={ringClass(mine)}>
                <Avatar id={myId.value ?? "me"} name={myName} photo={myPhoto} size={56} />
              </span>
              <span class="stories-bar__name" aria-hidden="true">
                Your story
              </span>
            </button>
          ) : (
            <button type="button" class="stories-bar__open" aria-busy={busy ? "true" : undefined} disabled={busy} onClick={pick}>
              <span class="story-ring">
                <Avatar id={myId.value ?? "me"} name={myName} photo={myPhoto} size={56} />
              </span>
              <span class="stories-bar__name">Add a story</span>
              <span class="stories-bar__plus" aria-hidden="true">
                <Icon name="plus" />
              </span>
            </button>
          )}
          {mine ? (
            <button type="button" class="stories-bar__add" aria-label="Add a story" aria-busy={busy ? "true" : undefined} disabled={busy} onClick={pick}>
              <Icon name="plus" />
            </button>
          ) : null}
          <input ref={fileRef} hidden type="file" accept={ACCEPT} aria-label="Story image" onChange={onFile} />
        </li>
        {others.map((g) => (
          <StoryItem key={g.ownerId} group={g} onOpen={open} />
        ))}
      </ul>
      {busy ? (
        <p class="stories-bar__status" role="status">
          Sharing your story…
        </p>
      ) : null}
      {error ? (
        <p class="stories-bar__error" role="alert">
          {error}
        </p>
      ) : null}
      {viewing && Viewer ? <Viewer order={viewing.order} startOwnerId={viewing.ownerId} onClose={close} /> : null}
    </section>
  );
}
