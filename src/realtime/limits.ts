import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { RemoteSocket } from "socket.io";
import { AppError } from "../shared/errors.ts";
import type { ConnectionMiddleware } from "./middleware.ts";
import type { PushPayloads, ServerToClientEvents } from "./protocol.ts";
import { userRoom } from "./rooms.ts";
import { capSendBuffer } from "./send-buffer.ts";
import type { SocketData, TelegraphSocket } from "./socket.ts";

type AnySocket = TelegraphSocket | RemoteSocket<ServerToClientEvents, SocketData>;

/**
 * Tells a client why it is being disconnected (`disconnectFromServer`), then disconnects it. Works on a socket of
 * another node too (through the adapter, in order). A client should not reconnect at once after it.
 */
export function disconnectWithReason(socket: AnySocket, code: PushPayloads["disconnectFromServer"]["code"], message: string): void {
  socket.emit("disconnectFromServer", { code, message });
  socket.disconnect(true);
}

// One limiter per Socket.IO server (a test process runs several): handshakes per address, on this node.
const handshakeLimiters = new WeakMap<object, RateLimiterMemory>();

/**
 * HANDSHAKE_RATE_LIMIT: connections per client address and window, counted on this node, checked before the token is
 * verified. Over it: `connect_error` with `data.code = "rate_limited"`.
 */
export const limitHandshakes: ConnectionMiddleware = async function limitHandshakes(socket, { services }) {
  const { config } = services;
  let limiter = handshakeLimiters.get(socket.nsp.server);
  if (!limiter) {
    const spec = config.limits.handshakeRateLimit;
    limiter = new RateLimiterMemory({ points: spec.points, duration: spec.seconds });
    handshakeLimiters.set(socket.nsp.server, limiter);
  }
  try {
    await limiter.consume(clientAddress(socket, config.trustProxy));
    return true;
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    throw new AppError("rate_limited", `Too many connections from this address; retry in ${Math.ceil(res.msBeforeNext / 1000)} s.`);
  }
};

/** Behind a trusted proxy the client is the first address of X-Forwarded-For (as Fastify reads it for HTTP). */
function clientAddress(socket: TelegraphSocket, trustProxy: boolean): string {
  const forwarded = socket.handshake.headers["x-forwarded-for"];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return trustProxy && first ? first : socket.handshake.address;
}

/**
 * MAX_SOCKETS_PER_USER, across the cluster (the user's room spans the nodes): disconnects the oldest of the user's
 * sockets beyond the limit, telling each why (`too_many_sockets`), ranked by handshake time then id. Connections still
 * being admitted at the same moment do not see each other; the next connection of the user evens the count out.
 */
export const limitSocketsPerUser: ConnectionMiddleware = async function limitSocketsPerUser(socket, { services, log }) {
  const max = services.config.limits.maxSocketsPerUser;
  let sockets: AnySocket[];
  try {
    sockets = await socket.nsp.in(userRoom(socket.data.user.user_id)).fetchSockets();
  } catch (err) {
    // A node that does not answer in time must not lock its users out: the limit is a guard, not a guarantee.
    log.warn({ err, userId: socket.data.user.user_id }, "socket count unavailable; connection admitted");
    return true;
  }
  // fetchSockets lists accepted sockets only: this one is still being admitted.
  const all: AnySocket[] = [...sockets.filter((s) => s.id !== socket.id), socket];
  if (all.length <= max) return true;
  const newestFirst = all.sort((a, b) => b.handshake.issued - a.handshake.issued || (a.id < b.id ? 1 : -1));
  const evicted = newestFirst.slice(max);
  for (const old of evicted) {
    if (old.id === socket.id) continue;
    disconnectWithReason(old, "too_many_sockets", `More than ${max} connections of this account: the oldest is closed.`);
  }
  log.info({ userId: socket.data.user.user_id, evicted: evicted.length }, "oldest sockets of a user disconnected (MAX_SOCKETS_PER_USER)");
  // Only a clock step back could rank the new one itself beyond the limit: then it is the one refused.
  return !evicted.some((s) => s.id === socket.id);
};

/** MAX_SOCKET_BUFFER: a connection that stops reading is dropped before what waits for it grows past the cap. */
export const limitSendBuffer: ConnectionMiddleware = function limitSendBuffer(socket, { services, log }) {
  capSendBuffer(socket, services.config.limits.maxSocketBuffer, log);
  return true;
};
