/** Every device of a user joins this room, named by the user id as the founding notes do. */
export function userRoom(userId: string): string {
  return userId;
}
