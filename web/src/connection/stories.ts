import { batch } from "@preact/signals";
import { TelegraphError, type ServerPayloads } from "telegraph-client";
import { myId } from "../state/session.ts";
import { addStory, clearStories, markStorySeen, pruneExpiredStories, removeStory, replaceStories } from "../state/stories.ts";
import { onConnected, onPush } from "./pushes.ts";
import { currentClient } from "./socket.ts";

export type StoryViewer = ServerPayloads["sendStoryViewersFromServer"][number];

/** A story's image, ready to show at its own size. */
export interface StoryImage {
  url: string;
  width: number;
  height: number;
}

const IMAGE_CACHE = 12;
const images = new Map<string, StoryImage>();

function errorText(error: unknown): string {
  if (error instanceof TelegraphError) {
    if (error.code === "payload_too_large") return "That image is too large.";
    if (error.code === "invalid_input") return "That file is not an image the server accepts.";
    if (error.code === "rate_limited") return "Too many stories at once; try again in a moment.";
    return error.message;
  }
  return "Something went wrong; try again.";
}

function client() {
  const c = currentClient();
  if (!c) throw new Error("Not connected.");
  return c;
}

/** Loads the list of active stories (mine and of whom I follow) again. */
export async function loadStories(): Promise<void> {
  const c = currentClient();
  if (!c?.socket.connected) return;
  try {
    replaceStories(await c.api.getFollowingStories());
  } catch {
    // The bar keeps what it shows; the next connection reloads.
  }
}

let wired = 0;
let stops: (() => void)[] = [];
/** Whose stories the store holds: another account signing in in this tab starts from nothing. */
let heldFor: string | null = null;

/**
 * Keeps the stories store live while a view shows it: pushes (live and replayed), a reload after a fresh connection,
 * and expired stories dropped each minute. Returns the cleanup.
 */
export function followStories(): () => void {
  if (wired++ === 0) {
    if (heldFor !== myId.value) {
      clearStories();
      images.clear();
      heldFor = myId.value;
    }
    const expiry = setInterval(() => {
      if (document.visibilityState === "visible") pruneExpiredStories();
    }, 60_000);
    stops = [
      onPush("sendAllFollowingStorysInfoFromServer", (list) => replaceStories(list)),
      onPush("newStoryFromServer", (story) => addStory(story)),
      onPush("storyDeletedFromServer", (p) => {
        images.delete(p.id);
        removeStory(p.ownerId, p.id);
      }),
      onConnected((resumed) => {
        if (!resumed) void loadStories();
      }),
      () => clearInterval(expiry),
    ];
    // Pushes that came while no view listened were missed: ask for the list now.
    void loadStories();
  }
  return () => {
    if (--wired > 0) return;
    for (const stop of stops) stop();
    stops = [];
  };
}

let limits: Promise<{ media_max_bytes?: number }> | null = null;
function mediaMaxBytes(): Promise<number | undefined> {
  limits ??= fetch("/limits", { headers: { accept: "application/json" } })
    .then((r) => (r.ok ? (r.json() as Promise<{ media_max_bytes?: number }>) : {}))
    .catch(() => {
      limits = null;
      return {};
    });
  return limits.then((l) => l.media_max_bytes);
}

/** Shares an image file as my story. Resolves with an error text to show, or null when it was added. */
export async function shareStory(file: File): Promise<string | null> {
  if (!file.type.startsWith("image/")) return "Choose an image file.";
  const max = await mediaMaxBytes();
  if (max && file.size > max) return `That image is too large (at most ${Math.floor(max / 1_048_576) || 1} MB).`;
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const story = await client().api.addNewStory(bytes);
    addStory(story);
    return null;
  } catch (error) {
    return errorText(error);
  }
}

function measure(url: string): Promise<StoryImage> {
  return new Promise((resolve) => {
    const img = new Image();
    img.onload = () => resolve({ url, width: img.naturalWidth || 1, height: img.naturalHeight || 1 });
    img.onerror = () => resolve({ url, width: 1, height: 1 });
    img.src = url;
  });
}

/**
 * A story's image (which records my view); marks the story seen in the store. Null when it is gone (deleted,
 * expired, or no longer mine to see) — then it leaves the store too.
 */
export async function openStory(ownerId: string, storyId: string): Promise<StoryImage | null> {
  const cached = images.get(storyId);
  if (cached) {
    images.delete(storyId);
    images.set(storyId, cached);
    markStorySeen(ownerId, storyId);
    return cached;
  }
  const answer = await client().api.getStoryPhoto({ ownerId, storyId });
  if (!answer.status) {
    removeStory(ownerId, storyId);
    return null;
  }
  const image = await measure(answer.image);
  images.set(storyId, image);
  while (images.size > IMAGE_CACHE) images.delete(images.keys().next().value as string);
  markStorySeen(ownerId, storyId);
  return image;
}

/** Who viewed my story, newest first. */
export function storyViewers(storyId: string): Promise<StoryViewer[]> {
  return client().api.getStoryViewers(storyId);
}

/** Deletes my story. Resolves with an error text, or null when it is gone. */
export async function deleteMyStory(ownerId: string, storyId: string): Promise<string | null> {
  try {
    await client().api.deleteStory(storyId);
  } catch (error) {
    if (!(error instanceof TelegraphError && error.code === "not_found")) return errorText(error);
  }
  batch(() => {
    images.delete(storyId);
    removeStory(ownerId, storyId);
  });
  return null;
}
