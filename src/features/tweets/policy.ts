/** What deciding whether a viewer may see an account's tweets depends on. */
export interface TweetAccess {
  owner_id: string;
  owner_private: boolean;
  i_follow: boolean;
  blocked: boolean;
}

/**
 * Tweets, their likes and comments: visible to their owner, to anyone for a public account, to followers for a private
 * one, and never across a block (either way).
 */
export function canSeeTweets(viewerId: string, access: TweetAccess): boolean {
  if (viewerId === access.owner_id) return true;
  if (access.blocked) return false;
  return !access.owner_private || access.i_follow;
}

/** Only the owner deletes a tweet. */
export function canDeleteTweet(viewerId: string, tweet: { owner_id: string }): boolean {
  return viewerId === tweet.owner_id;
}

/** A comment goes with its author or the owner of the tweet it is on. */
export function canDeleteComment(viewerId: string, comment: { owner_id: string }, tweet: { owner_id: string }): boolean {
  return viewerId === comment.owner_id || viewerId === tweet.owner_id;
}
