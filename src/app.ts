import type { Agent } from "node:https";
import type { FastifyInstance } from "fastify";
import { createAdapter } from "@socket.io/redis-adapter";
import type { Config } from "./config.ts";
import type { Db } from "./db/db.ts";
import { composeServices } from "./compose.ts";
import { createHttpApp } from "./http/app.ts";
import { registerRoutes } from "./http/route.ts";
import { httpRoutes } from "./http/routes.ts";
import type { Logger } from "./logger.ts";
import { createMailer, type Mailer } from "./mail/mailer.ts";
import { Metrics } from "./metrics.ts";
import { jobKinds } from "./features/outbox/jobs.ts";
import type { Outbox } from "./features/outbox/service.ts";
import { Dispatcher } from "./realtime/dispatch.ts";
import type { LiveFeed } from "./realtime/feed.ts";
import type { ClientEventDef } from "./realtime/event.ts";
import type { Logged } from "./features/sync/log.ts";
import type { ConnectionMiddleware } from "./realtime/middleware.ts";
import { middlewares as defaultMiddlewares } from "./realtime/middlewares.ts";
import { clientEventTable } from "./realtime/protocol.ts";
import { EventLimiter } from "./realtime/rate-limit.ts";
import { createRealtime } from "./realtime/server.ts";
import type { TelegraphServer } from "./realtime/socket.ts";
import type { RedisConnections } from "./redis.ts";
import { systemClock, type Clock } from "./shared/clock.ts";
import type { Services } from "./services.ts";

export interface TelegraphOptions {
  config: Config;
  db: Db;
  log: Logger;
  jwtSecret: string;
  clock?: Clock;
  mailer?: Mailer;
  /** Set when REDIS_URL is: the node joins a cluster (adapter, presence, rate limits in Redis). */
  redis?: RedisConnections;
  /** Replaces the connection middleware chain (tests insert their own). */
  middlewares?: readonly ConnectionMiddleware[];
  /** The HTTPS agent for Web Push requests (tests trust their own push service's certificate). */
  pushAgent?: Agent;
  /** Events added to the protocol table (tests declare failing ones). */
  extraEvents?: Record<string, ClientEventDef>;
}

export interface Telegraph {
  http: FastifyInstance;
  io: TelegraphServer;
  services: Services;
  metrics: Metrics;
  /** Trims the update log to UPDATES_RETENTION and UPDATES_MAX_PER_USER now (`npm run admin -- sweep`); resolves with the count removed. */
  sweepUpdates(): Promise<number>;
  /** Listens on config.host:config.port; resolves with the base URL. */
  listen(): Promise<string>;
  /**
   * Stops accepting connections and events, lets in-flight events reply and queued messages commit, then closes the
   * transports (clients reconnect elsewhere), HTTP and mail. The database and Redis belong to the caller.
   */
  close(): Promise<void>;
}

// Logged updates travel between nodes on this server-side channel; each node hands them to its own sockets.
const UPDATES_CHANNEL = "telegraph:updates";

/** The composition root below main.ts: services, HTTP routes and the real-time server, wired once. */
export function createTelegraph(options: TelegraphOptions): Telegraph {
  const { config, log, redis } = options;
  const clock = options.clock ?? systemClock;
  const mailer = options.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log });
  const http = createHttpApp({ log, trustProxy: config.trustProxy, web: config.web });
  const realtimeRef: { io?: TelegraphServer; outbox?: Outbox } = {};
  const metrics = new Metrics({
    sockets: () => realtimeRef.io?.of("/").sockets.size ?? 0,
    pool: () => options.db.poolStats?.(),
    outboxDepth: async () => (await realtimeRef.outbox?.depth()) ?? [],
    outboxKinds: jobKinds,
  });
  const db = metrics.instrument(options.db);
  const { services, feed, presence, messageWriter, groupWriter, receipts, updates, outbox, outboxWorker } = composeServices({
    config,
    db,
    log,
    clock,
    mailer,
    jwtSecret: options.jwtSecret,
    metrics,
    redis,
    getIo: () => realtimeRef.io,
    ...(options.pushAgent ? { pushAgent: options.pushAgent } : {}),
  });
  const shared = redis ? { redis: redis.command, prefix: redis.prefix } : undefined;
  const dispatcher = new Dispatcher(
    { ...clientEventTable, ...options.extraEvents },
    new EventLimiter({ default: config.eventRateLimit, write: config.eventRateLimitWrite }, shared, {
      clock,
      disconnectAfterMs: config.limits.abuseDisconnectAfter * 1000,
    }),
    services,
    log,
    metrics,
  );
  const io = createRealtime({
    httpServer: http.server,
    middlewares: options.middlewares ?? defaultMiddlewares,
    dispatcher,
    feed,
    services,
    clock,
    log,
    tokenGraceMs: config.tokenExpiryGrace * 1000,
    // Base64 adds a third: an image just over MEDIA_MAX_BYTES still arrives whole and gets a clear payload_too_large.
    maxPayloadBytes: Math.ceil(config.media.maxBytes * 1.4) + 256 * 1024,
  });
  realtimeRef.io = io;
  realtimeRef.outbox = outbox;
  if (redis) joinCluster(io, redis, feed, metrics, log);
  registerRoutes(http, httpRoutes, services);
  http.get("/metrics", async (_request, reply) =>
    reply.header("content-type", metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  const sweepUpdates = () => updates.sweep(db, config.updates.retention, config.updates.maxPerUser);
  const timers = [
    every(config.media.sweepInterval, () => services.media.sweep(), log, "media sweep"),
    every(config.stories.sweepInterval, () => services.stories.sweep(), log, "story sweep"),
    every(config.updates.sweepInterval, () => sweepUpdates(), log, "update log sweep"),
  ];

  return {
    http,
    io,
    services,
    metrics,
    sweepUpdates,
    async listen() {
      await presence.start();
      outboxWorker.start();
      await http.listen({ port: config.port, host: config.host });
      const address = http.server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
      return `http://${host}:${port}`;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      io.engine.opts.allowRequest = (_req, callback) => callback("shutting down", false);
      dispatcher.stopAccepting();
      await dispatcher.drain();
      await Promise.all([messageWriter.flush(), groupWriter.flush()]);
      await receipts.drain();
      // Closing the transports (not a server-side disconnect) makes clients reconnect by themselves, to another node.
      io.engine.close();
      // Acknowledgements that arrived between the first drain and the closing of the transports: confirmed now,
      // while Redis is still open (a flush after the caller closed it would be a rejection nobody handles).
      await receipts.drain();
      await services.people.drain();
      await presence.stop();
      await http.close();
      // Jobs in hand finish first; anything not started stays in the table for the next poll, here or on another node.
      await outboxWorker.stop();
      mailer.close();
    },
  };
}

/** Room broadcasts cross nodes through the Redis adapter; logged updates through a server-side channel. */
function joinCluster(io: TelegraphServer, redis: RedisConnections, feed: LiveFeed, metrics: Metrics, log: Logger): void {
  io.adapter(createAdapter(redis.pub, redis.sub, { key: `${redis.prefix}:socket.io` }));
  io.of("/").adapter.on("error", (err: unknown) => {
    metrics.adapterErrors.inc();
    log.error({ err }, "socket.io adapter error");
  });
  const untyped = io as unknown as {
    serverSideEmit(event: string, ...args: unknown[]): boolean;
    on(event: string, listener: (...args: unknown[]) => void): void;
  };
  feed.broadcastWith((updates, options) => untyped.serverSideEmit(UPDATES_CHANNEL, updates, options));
  untyped.on(UPDATES_CHANNEL, (updates, options) => feed.deliverLocal(updates as Logged[], (options ?? {}) as { exceptSocket?: string }));
}

/** Runs a periodic job without keeping the process alive; a failure is logged and the next run happens anyway. */
function every(seconds: number, job: () => Promise<unknown>, log: Logger, name: string): NodeJS.Timeout {
  const timer = setInterval(() => {
    job().catch((err: unknown) => log.error({ err }, `${name} failed`));
  }, seconds * 1000);
  timer.unref();
  return timer;
}
