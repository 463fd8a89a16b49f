import type { NotificationKind, NotificationSettings } from "./settings.ts";

/** What deciding whether a cause notifies its recipient depends on, loaded for each (recipient, actor) pair. */
export interface NotifyFacts {
  settings: NotificationSettings;
  /** A block between the recipient and the actor, either way. */
  blocked: boolean;
  /** The recipient follows the actor. */
  follows_actor: boolean;
  /** The cause is about a tweet (a like, comment, reply or mention): can the recipient see it? */
  tweet: { owner_private: boolean; follows_owner: boolean; is_owner: boolean; blocked_with_owner: boolean } | null;
}

/**
 * Whether a cause becomes a notification: never one's own act, nothing across a block, nothing about a tweet the
 * recipient may not see (a private account's they do not follow, or across a block with its owner), and only the
 * kinds the recipient left on — mentions from people they do not follow only with `mentions_from_non_followed`.
 */
export function shouldNotify(recipient: string, actor: string, kind: NotificationKind, facts: NotifyFacts): boolean {
  if (recipient === actor || facts.blocked || !facts.settings[kind]) return false;
  if (facts.tweet && !canSeeTweet(facts.tweet)) return false;
  if (kind === "mention" && !facts.settings.mentions_from_non_followed && !facts.follows_actor) return false;
  return true;
}

function canSeeTweet(t: NonNullable<NotifyFacts["tweet"]>): boolean {
  if (t.is_owner) return true;
  return !t.blocked_with_owner && (!t.owner_private || t.follows_owner);
}
