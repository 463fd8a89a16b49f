/** Who may see a story: its owner, and the owner's followers (private or not), while it lasts; never across a block. */
export function canSeeStory(
  viewerId: string,
  story: { owner_id: string; expires_at: Date; i_follow: boolean; blocked: boolean },
  now: number,
): boolean {
  if (story.expires_at.getTime() <= now) return false;
  if (viewerId === story.owner_id) return true;
  return story.i_follow && !story.blocked;
}

/** Only the owner deletes a story or sees who viewed it. */
export function isStoryOwner(viewerId: string, story: { owner_id: string }): boolean {
  return viewerId === story.owner_id;
}
