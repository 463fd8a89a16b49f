import type { Agent } from "node:https";
import path from "node:path";
import type { Config } from "./config.ts";
import { pingDatabase, type Db } from "./db/db.ts";
import { AccountDeletionService } from "./features/accounts/deletion.ts";
import { EmailFlowsService } from "./features/accounts/email-flows.ts";
import { AccountExportService } from "./features/accounts/export.ts";
import { SessionsService } from "./features/accounts/service.ts";
import { AccessTokens } from "./features/accounts/tokens.ts";
import { FileBlobStore } from "./features/media/blob-store.ts";
import { PgBlobStore } from "./features/media/pg-blob-store.ts";
import { MediaLinks } from "./features/media/links.ts";
import { MediaService } from "./features/media/service.ts";
import { GroupsService } from "./features/groups/service.ts";
import { GroupMessageWriter } from "./features/groups/writer.ts";
import { MessagesService } from "./features/messages/service.ts";
import { ModerationService } from "./features/moderation/service.ts";
import { NotificationsService } from "./features/notifications/service.ts";
import { ReceiptCoalescer } from "./features/messages/receipts.ts";
import { MessageWriter } from "./features/messages/writer.ts";
import { Outbox } from "./features/outbox/service.ts";
import { OutboxWorker } from "./features/outbox/worker.ts";
import { GraphService } from "./features/people/graph-service.ts";
import { PeopleService } from "./features/people/service.ts";
import { pushFactsFrom } from "./features/push/facts.ts";
import { PushService } from "./features/push/service.ts";
import { LocalPresence, type Presence } from "./features/presence/presence.ts";
import { RedisPresence } from "./features/presence/redis-presence.ts";
import { StoriesService } from "./features/stories/service.ts";
import { UpdateLog } from "./features/sync/log.ts";
import { CommentsService } from "./features/tweets/comments.ts";
import { TweetsService } from "./features/tweets/service.ts";
import type { Logger } from "./logger.ts";
import type { Mailer } from "./mail/mailer.ts";
import type { Metrics } from "./metrics.ts";
import { LiveFeed } from "./realtime/feed.ts";
import { createPublisher } from "./realtime/publish.ts";
import { disconnectUser } from "./realtime/server.ts";
import type { TelegraphServer } from "./realtime/socket.ts";
import type { RedisConnections } from "./redis.ts";
import type { Clock } from "./shared/clock.ts";
import type { Services } from "./services.ts";

export interface ComposeDeps {
  config: Config;
  db: Db;
  log: Logger;
  clock: Clock;
  mailer: Mailer;
  jwtSecret: string;
  metrics: Metrics;
  redis: RedisConnections | undefined;
  /** Socket.IO is created after the services (it needs them); they reach it through this. */
  getIo: () => TelegraphServer | undefined;
  /** The HTTPS agent for Web Push requests (tests trust their own push service with it). */
  pushAgent?: Agent;
}

export interface Composed {
  services: Services;
  feed: LiveFeed;
  presence: Presence;
  messageWriter: MessageWriter;
  groupWriter: GroupMessageWriter;
  receipts: ReceiptCoalescer;
  updates: UpdateLog;
  outbox: Outbox;
  outboxWorker: OutboxWorker;
}

/** Builds every feature's service once, with the in-process or the Redis-backed parts as configured. */
export function composeServices(deps: ComposeDeps): Composed {
  const { config, db, log, clock, getIo, redis } = deps;
  const shared = redis ? { redis: redis.command, prefix: redis.prefix } : undefined;
  const outboxWorker = new OutboxWorker({
    db,
    clock,
    log,
    metrics: deps.metrics,
    settings: { ...config.outbox, batchSize: 10 },
    handlers: { mail: (mail) => deps.mailer.send(mail), push: (job) => push.deliver(job) },
  });
  const outbox = new Outbox({ db, clock, wake: () => outboxWorker.wake() });
  const accountsDeps = {
    db,
    clock,
    config,
    outbox,
    log,
    accessTokens: new AccessTokens(deps.jwtSecret, config.accessTokenTtl),
    ...(shared ? { redis: shared } : {}),
    disconnectUser: (userId: string) => {
      const io = getIo();
      if (io) disconnectUser(io, userId);
    },
    loggedOut: (userId: string, scope: { everywhere: boolean; pushEndpoint: string | undefined }) =>
      scope.everywhere ? push.unregisterAll(userId) : scope.pushEndpoint ? push.unregister(userId, scope.pushEndpoint).then(() => undefined) : Promise.resolve(),
  };
  const media = new MediaService({
    db,
    store: config.media.store === "postgres" ? new PgBlobStore(db) : new FileBlobStore(path.join(config.dataDir, "media")),
    links: new MediaLinks(deps.jwtSecret, config.media.urlTtl, () => clock.now()),
    config: config.media,
    clock,
    log,
  });
  const publisher = createPublisher(getIo);
  const updates = new UpdateLog(clock);
  const feed = new LiveFeed({
    db,
    log: updates,
    logger: log,
    getIo,
    acknowledged: new Set(["singleUnreadMsgFromServer"]),
    onAcknowledged: (userId, seq) => receipts.acknowledged(userId, seq),
  });
  const receipts = new ReceiptCoalescer(
    (marks) => services.messages.confirmDelivered(marks),
    (err, users) => log.error({ err, users }, "delivery receipts failed"),
  );
  const messageWriter = new MessageWriter({ db, clock, log, updates }, { windowMs: config.messages.batchWindowMs, maxBatch: 256, maxInFlight: db.concurrency });
  // A group message is logged once per member: a smaller batch bounds one call's log rows (64 × the member limit).
  const groupWriter = new GroupMessageWriter({ db, clock, log, updates }, { windowMs: config.messages.batchWindowMs, maxBatch: 64, maxInFlight: db.concurrency });
  const presence: Presence = redis
    ? new RedisPresence({
        redis: redis.command,
        prefix: redis.prefix,
        nodeId: config.nodeId,
        ttlSeconds: config.redis.presenceTtl,
        clock,
        log,
        onStale: (userIds, at) => services.people.markOffline(userIds, at),
      })
    : new LocalPresence();
  const notifications = new NotificationsService({ db, clock, media, updates, feed, written: (tx, entries) => push.notificationsWritten(tx, entries) });
  const push = new PushService({
    db,
    log,
    outbox,
    presence,
    config: config.push,
    dataDir: config.dataDir,
    ...(deps.pushAgent ? { agent: deps.pushAgent } : {}),
    facts: pushFactsFrom({
      messages: { pushFacts: (...a) => services.messages.pushFacts(...a) },
      groups: { pushFacts: (...a) => services.groups.pushFacts(...a) },
      people: { getProfile: (...a) => services.people.getProfile(...a) },
      notifications: { pushFacts: (...a) => services.notifications.pushFacts(...a) },
      previews: async (userId) => (await services.notifications.settings(userId)).push_previews,
    }),
  });
  // A push is scheduled after the message's commit; its failure never fails the send.
  const pushFailed = (err: unknown) => log.error({ err }, "scheduling a push failed");
  const tweets = new TweetsService({ db, maxLength: config.tweetMaxLength, clock, media, publisher, notifications });
  const services: Services = {
    config,
    sessions: new SessionsService(accountsDeps),
    emailFlows: new EmailFlowsService(accountsDeps),
    // Each feature erases its own part of a deleted account, in this order, inside the deletion's one transaction.
    accountDeletion: new AccountDeletionService({
      ...accountsDeps,
      sessions: { authenticate: (token) => services.sessions.authenticate(token) },
      erasers: [
        (tx, userId) => services.tweets.eraseUserIn(tx, userId),
        (tx, userId) => services.stories.eraseUserIn(tx, userId),
        (tx, userId) => services.graph.eraseUserIn(tx, userId),
        (tx, userId) => services.groups.eraseUserIn(tx, userId),
        (tx, userId) => services.notifications.eraseUserIn(tx, userId),
        (tx, userId) => services.push.eraseUserIn(tx, userId),
        (tx, userId) => services.messages.eraseUserIn(tx, userId),
        (tx, userId) => updates.eraseUserIn(tx, userId),
      ],
    }),
    accountExport: new AccountExportService({
      db, clock, spec: config.accountExportRateLimit, redis: shared,
      people: { getProfile: (...a) => services.people.getProfile(...a) },
      tweets: { ownPage: (...a) => services.tweets.ownPage(...a), ownLikes: (...a) => services.tweets.ownLikes(...a), ownComments: (...a) => services.tweets.ownComments(...a) },
      stories: { ownLive: (...a) => services.stories.ownLive(...a) },
      graph: { ownList: (...a) => services.graph.ownList(...a) },
      messages: { partners: (...a) => services.messages.partners(...a), history: (...a) => services.messages.history(...a) },
      media,
    }),
    media,
    people: new PeopleService({ db, media, presence }),
    graph: new GraphService({ db, media, publisher, updates, feed, notifications }),
    tweets,
    comments: new CommentsService({ db, clock, media, tweets, updates, feed, publisher, notifications }),
    stories: new StoriesService({ db, clock, media, publisher, ttlSeconds: config.stories.ttl }),
    messages: new MessagesService({
      db, clock, config, media, publisher, writer: messageWriter, updates, feed, metrics: deps.metrics,
      onSent: (sent) => void push.messageSent({ kind: "direct", ...sent }).catch(pushFailed),
    }),
    groups: new GroupsService({
      db, clock, config, media, publisher, updates, feed, writer: groupWriter,
      onSent: (sent) => void push.messageSent({ kind: "group", ...sent }).catch(pushFailed),
    }),
    push,
    notifications,
    moderation: new ModerationService({
      db, clock, log, publisher,
      mediaUrl: (id) => media.url(id),
      disconnectUser: accountsDeps.disconnectUser,
      targets: () => services,
      idByUsername: (username) => services.people.idByUsername(username),
    }),
    isReady: async () => (await pingDatabase(db)) && (!redis || redis.isReady()),
  };
  return { services, feed, presence, messageWriter, groupWriter, receipts, updates, outbox, outboxWorker };
}
