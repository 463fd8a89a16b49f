import type { Redis } from "ioredis";
import type { Logger } from "../../logger.ts";
import type { Clock } from "../../shared/clock.ts";
import type { Presence } from "./presence.ts";

export interface RedisPresenceOptions {
  redis: Redis;
  prefix: string;
  nodeId: string;
  /** A node that has not refreshed its entries for this long is dead, and its users are offline. */
  ttlSeconds: number;
  clock: Clock;
  log: Logger;
  /** Called with the users of a dead node who have no socket left anywhere, and when they were last seen. */
  onStale(userIds: string[], lastSeen: Date): Promise<void>;
}

/**
 * Presence shared by every node. Per user, a sorted set of the nodes holding one of their sockets, scored by when that
 * node's claim expires; each node refreshes its claims on a heartbeat. A node that dies stops refreshing: its users
 * count as offline once the claims expire, and the first node to notice writes their last_seen.
 */
export class RedisPresence implements Presence {
  private readonly local = new Map<string, Set<string>>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly o: RedisPresenceOptions) {}

  private userKey = (userId: string) => `${this.o.prefix}:presence:u:${userId}`;
  private nodeUsersKey = (nodeId: string) => `${this.o.prefix}:presence:n:${nodeId}`;
  private get nodesKey() {
    return `${this.o.prefix}:presence:nodes`;
  }
  private expiry = () => this.o.clock.now() + this.o.ttlSeconds * 1000;

  /** Starts the heartbeat and the dead-node sweep (each a third of the TTL). */
  async start(): Promise<void> {
    await this.heartbeat();
    // Redis back after an outage (perhaps emptied): claim this node's users again at once, not at the next beat.
    this.o.redis.on("ready", this.reclaim);
    const every = Math.max(200, (this.o.ttlSeconds * 1000) / 3);
    this.timers = [
      setInterval(this.reclaim, every),
      setInterval(() => void this.sweepDeadNodes().catch((err: unknown) => this.fail("sweep", err)), every),
    ];
    for (const timer of this.timers) timer.unref();
  }

  /** Stops the timers and withdraws this node's claims (graceful shutdown). */
  private readonly reclaim = () => void this.heartbeat().catch((err: unknown) => this.fail("heartbeat", err));

  async stop(): Promise<void> {
    this.o.redis.off("ready", this.reclaim);
    for (const timer of this.timers) clearInterval(timer);
    const pipeline = this.o.redis.multi().zrem(this.nodesKey, this.o.nodeId).del(this.nodeUsersKey(this.o.nodeId));
    for (const userId of this.local.keys()) pipeline.zrem(this.userKey(userId), this.o.nodeId);
    await pipeline.exec().catch((err: unknown) => this.fail("stop", err));
  }

  async connect(userId: string, socketId: string): Promise<boolean> {
    const sockets = this.local.get(userId) ?? new Set<string>();
    sockets.add(socketId);
    this.local.set(userId, sockets);
    if (sockets.size > 1) return false;
    const now = this.o.clock.now();
    const result = await this.o.redis
      .multi()
      .zcount(this.userKey(userId), now, "+inf")
      .zadd(this.userKey(userId), this.expiry(), this.o.nodeId)
      .sadd(this.nodeUsersKey(this.o.nodeId), userId)
      .exec();
    return Number(result?.[0]?.[1] ?? 0) === 0;
  }

  async disconnect(userId: string, socketId: string): Promise<boolean> {
    const sockets = this.local.get(userId);
    if (!sockets?.delete(socketId) || sockets.size > 0) return false;
    this.local.delete(userId);
    const result = await this.o.redis
      .multi()
      .zrem(this.userKey(userId), this.o.nodeId)
      .srem(this.nodeUsersKey(this.o.nodeId), userId)
      .zcount(this.userKey(userId), this.o.clock.now(), "+inf")
      .exec();
    return Number(result?.[2]?.[1] ?? 0) === 0;
  }

  /** Who is online; while Redis is away, what this node knows (its own users) rather than an error. */
  async online(userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const now = this.o.clock.now();
    const pipeline = this.o.redis.pipeline();
    for (const userId of userIds) pipeline.zcount(this.userKey(userId), now, "+inf");
    try {
      const counts = (await pipeline.exec()) ?? [];
      const failed = counts.find(([err]) => err);
      if (failed || counts.length < userIds.length) throw failed?.[0] ?? new Error("incomplete presence lookup");
      return new Set(userIds.filter((_, i) => Number(counts[i]?.[1] ?? 0) > 0));
    } catch (err) {
      this.fail("lookup", err);
      return new Set(userIds.filter((id) => this.local.has(id)));
    }
  }

  private async heartbeat(): Promise<void> {
    const expiry = this.expiry();
    const pipeline = this.o.redis.pipeline().zadd(this.nodesKey, expiry, this.o.nodeId);
    for (const userId of this.local.keys()) {
      pipeline.zadd(this.userKey(userId), expiry, this.o.nodeId).sadd(this.nodeUsersKey(this.o.nodeId), userId);
    }
    await pipeline.exec();
  }

  /** Claims each node whose heartbeat expired (ZREM succeeds for one claimer only) and settles its users. */
  async sweepDeadNodes(): Promise<void> {
    const { redis } = this.o;
    const now = this.o.clock.now();
    const dead = await redis.zrangebyscore(this.nodesKey, "-inf", now, "WITHSCORES");
    for (let i = 0; i < dead.length; i += 2) {
      const nodeId = dead[i]!;
      if (nodeId === this.o.nodeId || (await redis.zrem(this.nodesKey, nodeId)) !== 1) continue;
      const lastSeen = new Date(Number(dead[i + 1]) - this.o.ttlSeconds * 1000);
      const users = await redis.smembers(this.nodeUsersKey(nodeId));
      const pipeline = redis.pipeline();
      for (const userId of users) pipeline.zrem(this.userKey(userId), nodeId).zcount(this.userKey(userId), now, "+inf");
      const results = (await pipeline.exec()) ?? [];
      const offline = users.filter((_, j) => Number(results[j * 2 + 1]?.[1] ?? 0) === 0);
      await redis.del(this.nodeUsersKey(nodeId));
      if (offline.length > 0) await this.o.onStale(offline, lastSeen);
      this.o.log.warn({ nodeId, offline: offline.length }, "presence: a node stopped heartbeating; its users are offline");
    }
  }

  private fail(what: string, err: unknown): void {
    this.o.log.error({ err: err instanceof Error ? err.message : err }, `presence ${what} failed`);
  }
}
