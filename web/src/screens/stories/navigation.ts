import { startIndex, type StoryGroup } from "../../state/stories.ts";

/** Which story the viewer shows: an owner and the index in their stories. */
export interface Position {
  ownerId: string;
  index: number;
}

type Groups = ReadonlyMap<string, StoryGroup>;

/** The first owner after `ownerId` in `order` who still has stories, starting at their first unseen one. */
function ownerAfter(order: readonly string[], groups: Groups, ownerId: string): Position | null {
  const from = order.indexOf(ownerId);
  for (let i = from + 1; i < order.length; i++) {
    const group = groups.get(order[i]!);
    if (group?.stories.length) return { ownerId: group.ownerId, index: startIndex(group) };
  }
  return null;
}

/** The next story: later in this owner's, else the next owner's; null after the last (the viewer closes). */
export function nextPosition(order: readonly string[], groups: Groups, at: Position): Position | null {
  const group = groups.get(at.ownerId);
  if (group && at.index + 1 < group.stories.length) return { ownerId: at.ownerId, index: at.index + 1 };
  return ownerAfter(order, groups, at.ownerId);
}

/** The previous story: earlier in this owner's, else the previous owner's last; the same one at the very start. */
export function prevPosition(order: readonly string[], groups: Groups, at: Position): Position {
  if (at.index > 0 && groups.get(at.ownerId)) return { ownerId: at.ownerId, index: at.index - 1 };
  const from = order.indexOf(at.ownerId);
  for (let i = from - 1; i >= 0; i--) {
    const group = groups.get(order[i]!);
    if (group?.stories.length) return { ownerId: group.ownerId, index: group.stories.length - 1 };
  }
  return at;
}

/**
 * Where to be after the store changed under the viewer (a story deleted, an owner gone): the same place clamped to
 * what is left, else the next owner, else null (close).
 */
export function settlePosition(order: readonly string[], groups: Groups, at: Position): Position | null {
  const group = groups.get(at.ownerId);
  if (group?.stories.length) {
    const index = Math.min(at.index, group.stories.length - 1);
    return index === at.index ? at : { ownerId: at.ownerId, index };
  }
  return ownerAfter(order, groups, at.ownerId);
}
