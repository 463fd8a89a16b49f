import { z } from "zod";
import { presentSummary, UserSummaryShape } from "../people/presenter.ts";
import type { StoryRow } from "./repo.ts";

/** A story as lists carry it: never the image bytes. */
export const StoryShape = z.object({
  id: z.string(),
  ownerId: z.string(),
  owner: UserSummaryShape,
  added_at: z.iso.datetime(),
  expires_at: z.iso.datetime(),
  seen: z.boolean().describe("whether I viewed it"),
});
export type Story = z.infer<typeof StoryShape>;

export function presentStory(row: StoryRow, mediaUrl: (id: string) => string): Story {
  return {
    id: row.id,
    ownerId: row.owner_id,
    owner: presentSummary({ ...row, id: row.owner_id }, mediaUrl),
    added_at: row.added_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    seen: row.seen,
  };
}

/**
 * Orders stories for the story bar: grouped by owner; owners with an unseen story first, then by their newest story;
 * each owner's stories oldest first, in the order they are played.
 */
export function orderForBar(stories: readonly Story[]): Story[] {
  const groups = new Map<string, Story[]>();
  for (const story of stories) groups.set(story.ownerId, [...(groups.get(story.ownerId) ?? []), story]);
  const rank = [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.added_at.localeCompare(b.added_at) || a.id.localeCompare(b.id));
    return { sorted, unseen: sorted.some((s) => !s.seen), newest: sorted.at(-1)!.added_at };
  });
  rank.sort((a, b) => Number(b.unseen) - Number(a.unseen) || b.newest.localeCompare(a.newest));
  return rank.flatMap((r) => r.sorted);
}
