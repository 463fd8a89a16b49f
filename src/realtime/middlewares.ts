import { limitHandshakes, limitSendBuffer, limitSocketsPerUser } from "./limits.ts";
import type { ConnectionMiddleware } from "./middleware.ts";
import { isStaff } from "../features/moderation/policy.ts";
import { AppError } from "../shared/errors.ts";
import { followersRoom, moderatorsRoom, userRoom } from "./rooms.ts";

/**
 * Reads the access token from `auth.accessToken` (what existing clients send), `auth.token` or an
 * `Authorization: Bearer` header, and puts `{ user_id }` on `socket.data.user`. A suspended account's is refused
 * with `account_suspended`.
 */
export const authenticate: ConnectionMiddleware = async (socket, { services }) => {
  const auth = socket.handshake.auth as Record<string, unknown>;
  const header = socket.handshake.headers.authorization;
  const bearer = header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined;
  const candidate = [auth["accessToken"], auth["token"], bearer].find((v) => typeof v === "string" && v.length > 0);
  if (typeof candidate !== "string" || candidate.length > 4096) return false;
  const token = await services.sessions.check(candidate);
  if (token === "suspended") throw new AppError("account_suspended", "This account is suspended.");
  if (!token) return false;
  socket.data.user = { user_id: token.userId };
  socket.data.tokenExpiresAt = token.expiresAtMs;
  return true;
};

/** Every device of a user joins the user's own room, so a push to the user reaches all of them. */
export const joinOwnRoom: ConnectionMiddleware = async (socket) => {
  await socket.join(userRoom(socket.data.user.user_id));
  return true;
};

/** Every device joins the followers rooms of everyone the user follows, so pushes to followers reach it. */
export const joinFollowedRooms: ConnectionMiddleware = async (socket, { services }) => {
  const following = await services.graph.followingIds(socket.data.user.user_id);
  if (following.length > 0) await socket.join(following.map(followersRoom));
  return true;
};

/** Every device joins the rooms of the user's groups (typing; members added or removed later join or leave live). */
export const joinGroupRooms: ConnectionMiddleware = async (socket, { services }) => {
  const rooms = await services.groups.roomsOf(socket.data.user.user_id);
  if (rooms.length > 0) await socket.join(rooms);
  return true;
};

/** Moderators' and admins' devices join the moderators room, so new reports reach them live. */
export const joinModeratorsRoom: ConnectionMiddleware = async (socket, { services }) => {
  const standing = await services.moderation.standing(socket.data.user.user_id);
  if (isStaff(standing?.role)) await socket.join(moderatorsRoom());
  return true;
};

/**
 * The connection middlewares, in order. To add one: write a function `(socket, ctx) => boolean | Promise<boolean>`
 * and put it in this array.
 */
export const middlewares: ConnectionMiddleware[] = [
  limitHandshakes,
  authenticate,
  limitSendBuffer,
  joinOwnRoom,
  limitSocketsPerUser,
  joinFollowedRooms,
  joinGroupRooms,
  joinModeratorsRoom,
];
