/** Every device of a user joins this room, named by the user id as the founding notes do. */
export function userRoom(userId: string): string {
  return userId;
}

/** The devices of everyone who follows `userId`: pushes to followers go here, not through a query per follower. */
export function followersRoom(userId: string): string {
  return `followed-${userId}`;
}
