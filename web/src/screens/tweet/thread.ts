import type { Comment } from "../../state/types.ts";

/** Top-level comments in order, each with the replies to it (one level: a reply to a reply goes under the same top comment). */
export function threadOf(comments: readonly Comment[]): { comment: Comment; replies: Comment[] }[] {
  const byId = new Map(comments.map((c) => [c.id, c]));
  const rootOf = (c: Comment): string => {
    let current = c;
    for (let i = 0; i < 50 && current.reply_to && byId.has(current.reply_to); i++) current = byId.get(current.reply_to)!;
    return current.id;
  };
  const groups = new Map<string, { comment: Comment; replies: Comment[] }>();
  for (const c of comments) if (!c.reply_to || !byId.has(c.reply_to)) groups.set(c.id, { comment: c, replies: [] });
  for (const c of comments) {
    if (groups.has(c.id)) continue;
    groups.get(rootOf(c))?.replies.push(c);
  }
  return [...groups.values()];
}
