/** Every device of a user joins this room, named by the user id as the founding notes do. */
export function userRoom(userId: string): string {
  return userId;
}

/** The devices of everyone who follows `userId`: pushes to followers go here, not through a query per follower. */
export function followersRoom(userId: string): string {
  return `followed-${userId}`;
}

/** The sockets whose screen shows this tweet's comments (`watchTweetComments`): new and deleted comments go here. */
export const TWEET_ROOM_PREFIX = "tweet-";
export function tweetRoom(tweetId: string): string {
  return `${TWEET_ROOM_PREFIX}${tweetId}`;
}

/** Every device of every member of a group: its ephemeral pushes (typing) go here; logged ones go per member. */
export function groupRoom(groupId: string): string {
  return `group-${groupId}`;
}

/** Every device of every moderator and admin (joined on connect, and live when a role is granted or taken): new reports. */
export function moderatorsRoom(): string {
  return "moderators";
}
