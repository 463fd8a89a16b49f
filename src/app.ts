import path from "node:path";
import type { FastifyInstance } from "fastify";
import type { Config } from "./config.ts";
import { pingDatabase, type Db } from "./db/db.ts";
import { EmailFlowsService } from "./features/accounts/email-flows.ts";
import { SessionsService } from "./features/accounts/service.ts";
import { AccessTokens } from "./features/accounts/tokens.ts";
import { FileBlobStore } from "./features/media/blob-store.ts";
import { MediaLinks } from "./features/media/links.ts";
import { MediaService } from "./features/media/service.ts";
import { MessagesService } from "./features/messages/service.ts";
import { MessageWriter } from "./features/messages/writer.ts";
import { GraphService } from "./features/people/graph-service.ts";
import { PeopleService } from "./features/people/service.ts";
import { LocalPresence } from "./features/presence/presence.ts";
import { StoriesService } from "./features/stories/service.ts";
import { UpdateLog } from "./features/sync/log.ts";
import { CommentsService } from "./features/tweets/comments.ts";
import { TweetsService } from "./features/tweets/service.ts";
import { createHttpApp } from "./http/app.ts";
import { registerRoutes } from "./http/route.ts";
import { httpRoutes } from "./http/routes.ts";
import type { Logger } from "./logger.ts";
import { createMailer, type Mailer } from "./mail/mailer.ts";
import { Dispatcher } from "./realtime/dispatch.ts";
import type { ClientEventDef } from "./realtime/event.ts";
import type { ConnectionMiddleware } from "./realtime/middleware.ts";
import { middlewares as defaultMiddlewares } from "./realtime/middlewares.ts";
import { clientEventTable } from "./realtime/protocol.ts";
import { LiveFeed } from "./realtime/feed.ts";
import { createPublisher } from "./realtime/publish.ts";
import { EventLimiter } from "./realtime/rate-limit.ts";
import { createRealtime, disconnectUser } from "./realtime/server.ts";
import type { TelegraphServer } from "./realtime/socket.ts";
import { systemClock, type Clock } from "./shared/clock.ts";
import type { Services } from "./services.ts";

export interface TelegraphOptions {
  config: Config;
  db: Db;
  log: Logger;
  jwtSecret: string;
  clock?: Clock;
  mailer?: Mailer;
  /** Replaces the connection middleware chain (tests insert their own). */
  middlewares?: readonly ConnectionMiddleware[];
  /** Events added to the protocol table (tests declare failing ones). */
  extraEvents?: Record<string, ClientEventDef>;
}

export interface Telegraph {
  http: FastifyInstance;
  io: TelegraphServer;
  services: Services;
  /** Listens on config.host:config.port; resolves with the base URL. */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight events reply, closes sockets, HTTP and mail. The database belongs to the caller. */
  close(): Promise<void>;
}

/** The composition root below main.ts: services, HTTP routes and the real-time server, wired once. */
export function createTelegraph(options: TelegraphOptions): Telegraph {
  const { config, db, log } = options;
  const clock = options.clock ?? systemClock;
  const mailer =
    options.mailer ?? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, dataDir: config.dataDir, log });
  const http = createHttpApp({ log, trustProxy: config.trustProxy });
  // Services are built before Socket.IO (which needs them); they reach it through this late-bound holder.
  const realtimeRef: { io?: TelegraphServer } = {};
  const accountsDeps = {
    db,
    clock,
    config,
    mailer,
    log,
    accessTokens: new AccessTokens(options.jwtSecret, config.accessTokenTtl),
    disconnectUser: (userId: string) => realtimeRef.io && disconnectUser(realtimeRef.io, userId),
  };
  const media = new MediaService({
    db,
    store: new FileBlobStore(path.join(config.dataDir, "media")),
    links: new MediaLinks(options.jwtSecret, config.media.urlTtl, () => clock.now()),
    config: config.media,
    clock,
    log,
  });
  const publisher = createPublisher(() => realtimeRef.io);
  const updates = new UpdateLog(clock);
  const feed = new LiveFeed({
    db,
    log: updates,
    logger: log,
    getIo: () => realtimeRef.io,
    acknowledged: new Set(["singleUnreadMsgFromServer"]),
    onAcknowledged: (userId, seq) => {
      services.messages.confirmDelivered(userId, seq).catch((err: unknown) => log.error({ err, userId }, "delivery receipt failed"));
    },
  });
  const messageWriter = new MessageWriter(
    { db, clock, log, updates },
    { windowMs: config.messages.batchWindowMs, maxBatch: 256 },
  );
  const tweets = new TweetsService({ db, maxLength: config.tweetMaxLength, clock, media, publisher });
  const services: Services = {
    config,
    sessions: new SessionsService(accountsDeps),
    emailFlows: new EmailFlowsService(accountsDeps),
    media,
    people: new PeopleService({ db, media, presence: new LocalPresence() }),
    graph: new GraphService({ db, media, publisher, updates, feed }),
    tweets,
    comments: new CommentsService({ db, clock, media, tweets, updates, feed }),
    stories: new StoriesService({ db, clock, media, publisher, ttlSeconds: config.stories.ttl }),
    messages: new MessagesService({ db, clock, config, media, publisher, writer: messageWriter, updates, feed }),
    isReady: () => pingDatabase(db),
  };
  const dispatcher = new Dispatcher(
    { ...clientEventTable, ...options.extraEvents },
    new EventLimiter({ default: config.eventRateLimit, write: config.eventRateLimitWrite }),
    services,
    log,
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
  registerRoutes(http, httpRoutes, services);
  const timers = [
    every(config.media.sweepInterval, () => media.sweep(), log, "media sweep"),
    every(config.stories.sweepInterval, () => services.stories.sweep(), log, "story sweep"),
    every(config.updates.sweepInterval, () => updates.sweep(db, config.updates.retention, config.updates.maxPerUser), log, "update log sweep"),
  ];

  return {
    http,
    io,
    services,
    async listen() {
      await http.listen({ port: config.port, host: config.host });
      const address = http.server.address();
      const port = typeof address === "object" && address ? address.port : config.port;
      const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
      return `http://${host}:${port}`;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      // New connections are refused first; events already being handled still get their reply.
      io.engine.opts.allowRequest = (_req, callback) => callback("shutting down", false);
      await dispatcher.drain();
      await messageWriter.flush();
      io.disconnectSockets(true);
      io.engine.close();
      await services.people.drain();
      await http.close();
      mailer.close();
    },
  };
}

/** Runs a periodic job without keeping the process alive; a failure is logged and the next run happens anyway. */
function every(seconds: number, job: () => Promise<unknown>, log: Logger, name: string): NodeJS.Timeout {
  const timer = setInterval(() => {
    job().catch((err: unknown) => log.error({ err }, `${name} failed`));
  }, seconds * 1000);
  timer.unref();
  return timer;
}
