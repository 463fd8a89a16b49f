import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { Logger } from "../logger.ts";
import type { Clock } from "../shared/clock.ts";
import type { Services } from "../services.ts";
import type { Dispatcher } from "./dispatch.ts";
import type { Covered, LiveFeed } from "./feed.ts";
import { runMiddlewares, type ConnectionMiddleware } from "./middleware.ts";
import { PendingSockets } from "./pending-sockets.ts";
import { serverPushTable } from "./protocol.ts";
import { userRoom } from "./rooms.ts";
import { TokenSession } from "./session.ts";
import type { TelegraphServer, TelegraphSocket } from "./socket.ts";

export interface RealtimeOptions {
  httpServer: HttpServer;
  middlewares: readonly ConnectionMiddleware[];
  dispatcher: Dispatcher;
  feed: LiveFeed;
  services: Services;
  clock: Clock;
  log: Logger;
  tokenGraceMs: number;
  maxPayloadBytes: number;
}

/** Socket.IO on the HTTP server: the middleware chain admits a connection, then the dispatcher serves its events. */
export function createRealtime(options: RealtimeOptions): TelegraphServer {
  const { log } = options;
  const io: TelegraphServer = new Server(options.httpServer, {
    maxHttpBufferSize: options.maxPayloadBytes,
    serveClient: false,
  });

  const pending = new PendingSockets(() => io.of("/").adapter);
  io.use((socket, next) => {
    admit(socket).then(
      (refusal) => {
        if (!refusal) return next();
        const err = new Error(refusal.message) as Error & { data: unknown };
        err.data = refusal.data;
        next(err);
      },
      (err: unknown) => next(err instanceof Error ? err : new Error("internal")),
    );
  });
  const admit = async (socket: TelegraphSocket) => {
    pending.begin(socket);
    try {
      const refusal = await runMiddlewares(options.middlewares, socket, { services: options.services, log });
      if (refusal) return refusal;
      // In its rooms now: where its feed starts is read before it is accepted, so nothing logged later is missed.
      await options.feed.prepare(socket, readLastSeq(socket));
      // Follows and disconnects that arrived while it connected; nothing can arrive between this and the acceptance.
      // A disconnect of the user's sockets (logout everywhere, a new password) meanwhile refuses it as a bad token would.
      if (!pending.settle(socket)) return { message: "disconnected", data: { code: "unauthenticated" as const, middleware: "disconnected" } };
      return null;
    } finally {
      pending.forget(socket);
    }
  };

  io.on("connection", (socket) => {
    const session = new TokenSession(socket, options.tokenGraceMs, options.clock);
    session.renew(socket.data.tokenExpiresAt);
    const userId = socket.data.user.user_id;
    // Synchronous up to here: handlers must be registered before the first event can arrive, and the feed's first
    // tasks (bootstrap or replay) queued before any live update.
    options.feed.attach(socket, (opts) => sendBootstrap(socket, { userId, services: options.services }, log, opts)).catch(
      (err: unknown) => log.error({ err, userId }, "feed attach failed"),
    );
    options.dispatcher.attach(socket, {
      renewToken: (expiresAtMs) => session.renew(expiresAtMs),
      pullUpdates: (since, limit) => options.feed.pull(socket, since, limit),
    });
    log.debug({ userId, socketId: socket.id }, "socket connected");
    const { people } = options.services;
    const online = people.socketConnected(userId, socket.id).catch((err: unknown) => log.error({ err, userId }, "presence update failed"));
    socket.once("disconnect", () => {
      void online
        .then(() => people.socketDisconnected(userId, socket.id, new Date(options.clock.now())))
        .catch((err: unknown) => log.error({ err, userId }, "presence update failed"));
    });
  });
  return io;
}

/**
 * The founding notes' emits on connect (unread messages, chat list …), in declaration order. Resolves with the ids of
 * live updates they carried, so those are not pushed a second time.
 */
async function sendBootstrap(
  socket: TelegraphSocket,
  ctx: { userId: string; services: Services },
  log: Logger,
  options: { includeSyncState: boolean },
): Promise<Covered> {
  const covered: Covered = new Map();
  for (const [event, def] of Object.entries(serverPushTable)) {
    if (!def.onConnect || (def.replacedBySync && !options.includeSyncState)) continue;
    try {
      const payload = await def.onConnect(ctx);
      if (socket.connected) (socket.emit as (event: string, payload: unknown) => boolean)(event, payload);
      if (def.covers) covered.set(def.covers.event, new Set(def.covers.ids(payload)));
    } catch (err) {
      log.error({ err, event, userId: ctx.userId }, "bootstrap emit failed");
    }
  }
  return covered;
}

/** `auth.lastSeq`: the last update seq this device processed; absent (older clients) or malformed means none. */
function readLastSeq(socket: TelegraphSocket): number | undefined {
  const value = (socket.handshake.auth as Record<string, unknown>)["lastSeq"];
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Drops every socket of a user on every node (the adapter carries it across a cluster). This node's sockets, and those
 * still in their middlewares here, are dropped before this returns: Redis's adapter only publishes the request and
 * applies it when it comes back, so a device connecting here meanwhile would be let in and dropped a moment later.
 */
export function disconnectUser(io: TelegraphServer, userId: string): void {
  io.local.in(userRoom(userId)).disconnectSockets(true);
  io.in(userRoom(userId)).disconnectSockets(true);
}
