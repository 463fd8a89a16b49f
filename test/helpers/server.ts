import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import type { Agent } from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { createTelegraph, type Telegraph } from "../../src/app.ts";
import { loadConfig, type Config } from "../../src/config.ts";
import type { Db } from "../../src/db/db.ts";
import type { Clock } from "../../src/shared/clock.ts";
import { createLogger } from "../../src/logger.ts";
import type { ClientEventDef } from "../../src/realtime/event.ts";
import type { ConnectionMiddleware } from "../../src/realtime/middleware.ts";
import { openRedis } from "../../src/redis.ts";
import { openTestDatabase, type TestDatabase } from "./database.ts";

/** The Redis the suites use when TEST_REDIS_URL is set (CI); unset: in-process presence and rate limits. */
export const testRedisUrl = process.env["TEST_REDIS_URL"] || undefined;

export interface TestServer {
  url: string;
  app: Telegraph;
  db: Db;
  config: Config;
  jwtSecret: string;
  /** The PostgreSQL schema when on a server (pass it back to `startServer` to reopen the same data). */
  schema: string | undefined;
  /** Stops the server and disposes of its database (kept when `keepDatabase`). */
  stop(options?: { keepDatabase?: boolean }): Promise<void>;
}

export interface StartOptions {
  /** Environment overrides, as the variables are spelled in the README. */
  env?: Record<string, string>;
  /** A DATA_DIR to use (and keep); a fresh temporary one otherwise. */
  dataDir?: string;
  /** Reopen this PostgreSQL schema (restart tests on a server). */
  schema?: string;
  /** A PostgreSQL server of the test's own (an outage test stops and restarts it); default TEST_DATABASE_URL. */
  databaseUrl?: string;
  jwtSecret?: string;
  /** A Redis of the test's own (an outage test stops and restarts it); default TEST_REDIS_URL. */
  redisUrl?: string;
  /** The Redis key prefix: two servers given the same one (and the same schema) form a cluster. */
  redisPrefix?: string;
  /** The server's clock (a test clock lets a test move time instead of sleeping). */
  clock?: Clock;
  middlewares?: readonly ConnectionMiddleware[];
  /** The HTTPS agent for Web Push (one that trusts the test's own push service). */
  pushAgent?: Agent;
  extraEvents?: Record<string, ClientEventDef>;
}

/** Two nodes of one cluster (one PostgreSQL schema, one Redis prefix, one JWT secret), each with its own DATA_DIR. */
export interface TwoNodes {
  first: TestServer;
  second: TestServer;
  /** Stops both; the schema goes with the first. */
  stop(): Promise<void>;
}

/** Starts two cluster nodes on TEST_DATABASE_URL and TEST_REDIS_URL (`name` tags the Redis prefix in keys and logs). */
export async function startTwoNodes(name: string, env: Record<string, string> = {}): Promise<TwoNodes> {
  const redisPrefix = `t-${name}-${randomBytes(4).toString("hex")}`;
  const first = await startServer({ env, redisPrefix });
  const second = await startServer({ env, redisPrefix, jwtSecret: first.jwtSecret, ...(first.schema ? { schema: first.schema } : {}) });
  return {
    first,
    second,
    async stop() {
      await second.stop({ keepDatabase: true });
      await first.stop();
    },
  };
}

/** A real Telegraph on 127.0.0.1 and an ephemeral port, with a fresh database (embedded, or a schema on TEST_DATABASE_URL). */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "telegraph-test-")));
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env["TEST_LOG_LEVEL"] ?? "silent",
    EMAIL_CONFIRMATION: "off",
    LOGIN_RATE_LIMIT_ADDRESS: "10000/60",
    HANDSHAKE_RATE_LIMIT: "10000/1", // every test client connects from 127.0.0.1
    ...options.env,
  });
  const database: TestDatabase = await openTestDatabase({
    ...(options.dataDir ? { dataDir: path.join(dataDir, "pgdata") } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.databaseUrl ? { url: options.databaseUrl } : {}),
  });
  const jwtSecret = options.jwtSecret ?? randomBytes(32).toString("hex");
  // With TEST_REDIS_URL every suite runs as a cluster node (adapter, presence, rate limits in Redis), alone in its prefix.
  const redisUrl = options.redisUrl ?? testRedisUrl;
  const redis = redisUrl ? await openRedis(redisUrl, options.redisPrefix ?? `t-${randomBytes(6).toString("hex")}`, createLogger("silent")) : undefined;
  const app = createTelegraph({
    config,
    db: database.db,
    log: createLogger(config.logLevel),
    jwtSecret,
    ...(redis ? { redis } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.middlewares ? { middlewares: options.middlewares } : {}),
    ...(options.extraEvents ? { extraEvents: options.extraEvents } : {}),
    ...(options.pushAgent ? { pushAgent: options.pushAgent } : {}),
  });
  const url = (await app.listen()).replace("localhost", "127.0.0.1");
  return {
    url,
    app,
    db: database.db,
    config,
    jwtSecret,
    schema: database.schema,
    async stop({ keepDatabase = false } = {}) {
      await app.close();
      if (redis) {
        const keys = await redis.command.keys(`${redis.prefix}:*`).catch(() => []);
        if (keys.length > 0) await redis.command.del(...keys);
        await redis.close();
      }
      await database.dispose({ keep: keepDatabase });
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock that starts at real time and moves only when told. */
export function testClock(): Clock & { advance(ms: number): void } {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms) => void (offset += ms) };
}
