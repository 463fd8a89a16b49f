import type { MediaReference } from "./repo.ts";

/**
 * Who may fetch an image: its uploader; anyone not blocked by (or blocking) the account whose profile photo it is;
 * the two people of a direct message; those who may see the tweet (public owner, or a follower of a private one) or
 * the active story (followers of its owner); the members of the group a group message's image was sent to, or whose photo it is. Everyone else is told it does not exist.
 */
export function canSeeMedia(viewerId: string, uploaderId: string, references: readonly MediaReference[]): boolean {
  if (viewerId === uploaderId) return true;
  return references.some((ref) => canSeeThrough(viewerId, ref));
}

function canSeeThrough(viewerId: string, ref: MediaReference): boolean {
  if (ref.owner_id === viewerId) return true;
  const blocked = ref.owner_blocked_viewer || ref.viewer_blocked_owner;
  switch (ref.kind) {
    case "message":
      return ref.other_id === viewerId;
    case "avatar":
      return !ref.owner_blocked_viewer;
    case "tweet":
      return !blocked && (!ref.owner_private || ref.viewer_follows_owner);
    case "story":
      return ref.active && !blocked && ref.viewer_follows_owner;
    case "group_message":
    case "group_photo":
      return ref.active;
  }
}
