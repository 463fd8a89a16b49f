import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseDurationSeconds } from "./shared/duration.ts";

const duration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const seconds = parseDurationSeconds(value);
      if (seconds === null) {
        ctx.addIssue({ code: "custom", message: 'expected a duration such as "900", "15m", "12h" or "30d"' });
        return z.NEVER;
      }
      return seconds;
    });

/** "points/seconds", e.g. "30/10" = 30 calls per 10 seconds. */
const rate = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const match = /^(\d+)\/(\d+)$/.exec(value.trim());
      if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
        ctx.addIssue({ code: "custom", message: 'expected "points/seconds", e.g. "30/10"' });
        return z.NEVER;
      }
      return { points: Number(match[1]), seconds: Number(match[2]) };
    });

/** A delay in milliseconds: "300ms", "3s", "1m", or a bare number of seconds. */
const delayMs = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const match = /^(\d+)\s*(ms|s|m)?$/.exec(value.trim());
      if (!match) {
        ctx.addIssue({ code: "custom", message: 'expected a delay such as "300ms", "3s" or "1m"' });
        return z.NEVER;
      }
      return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? "s") as "ms" | "s" | "m"];
    });

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

/** Every environment variable Telegraph reads; the README's configuration table mirrors this schema. */
export const envSchema = z.object({
  PORT: z.coerce.number({ error: "expected a port number from 0 to 65535" }).int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "expected a postgres:// or postgresql:// URL")
      .optional(),
  ),
  JWT_SECRET: z.preprocess(emptyToUndefined, z.string().min(32, "expected at least 32 characters").optional()),
  ACCESS_TOKEN_TTL: duration("15m"),
  REFRESH_TOKEN_TTL: duration("30d"),
  TOKEN_EXPIRY_GRACE: duration("60s"),
  EMAIL_TOKEN_TTL: duration("24h"),
  USERNAME_QUARANTINE: duration("30d"),
  SMTP_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^smtps?:\/\//, "expected an smtp:// or smtps:// URL")
      .optional(),
  ),
  MAIL_FROM: z.string().default("Telegraph <no-reply@localhost>"),
  OUTBOX_POLL_MS: z.coerce.number({ error: "expected milliseconds" }).int().min(10).max(60_000).default(1000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number({ error: "expected a number of attempts" }).int().min(1).max(100).default(8),
  OUTBOX_BACKOFF_BASE_MS: z.coerce.number({ error: "expected milliseconds" }).int().min(1).max(3_600_000).default(5000),
  OUTBOX_BACKOFF_MAX: duration("1h"),
  OUTBOX_LEASE: duration("2m"),
  VAPID_PUBLIC_KEY: optionalString,
  VAPID_PRIVATE_KEY: optionalString,
  VAPID_SUBJECT: optionalString.pipe(
    z
      .string()
      .regex(/^(mailto:|https:\/\/)/, "expected a mailto: address or an https:// URL")
      .optional(),
  ),
  PUSH_DELAY: delayMs("3s"),
  PUSH_PRIVATE_ENDPOINTS: z.enum(["deny", "allow"]).default("deny"),
  PUBLIC_URL: optionalString.pipe(z.url("expected an absolute URL such as https://chat.example.com").optional()),
  EMAIL_CONFIRMATION: z.enum(["required", "off"]).default("required"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOGIN_RATE_LIMIT_ACCOUNT: rate("5/900"),
  ACCOUNT_EXPORT_RATE_LIMIT: rate("3/3600"),
  LOGIN_RATE_LIMIT_ADDRESS: rate("30/60"),
  EVENT_RATE_LIMIT: rate("60/10"),
  EVENT_RATE_LIMIT_WRITE: rate("20/10"),
  ABUSE_DISCONNECT_AFTER: duration("10s"),
  MAX_SOCKET_BUFFER: z.coerce.number({ error: "expected a number of bytes" }).int().min(64 * 1024).default(8 * 1024 * 1024),
  MAX_SOCKETS_PER_USER: z.coerce.number({ error: "expected a number of sockets" }).int().min(1).max(1000).default(10),
  HANDSHAKE_RATE_LIMIT: rate("30/1"),
  MEDIA_MAX_BYTES: z.coerce.number({ error: "expected a number of bytes" }).int().min(1024).default(5 * 1024 * 1024),
  MEDIA_MAX_PIXELS: z.coerce.number({ error: "expected a number of pixels" }).int().min(1).default(40_000_000),
  MEDIA_URL_TTL: duration("1h"),
  MEDIA_SWEEP_INTERVAL: duration("1h"),
  MEDIA_ORPHAN_GRACE: duration("1h"),
  MEDIA_STORE: z.enum(["filesystem", "postgres"]).default("filesystem"),
  AVATAR_MAX_SIZE: z.coerce.number({ error: "expected a number of pixels" }).int().min(16).max(4096).default(512),
  MESSAGES_UNREAD_CAP: z.coerce.number({ error: "expected a number of messages" }).int().min(1).max(100_000).default(1000),
  GROUP_MAX_MEMBERS: z.coerce.number({ error: "expected a number of members" }).int().min(2).max(10_000).default(200),
  MESSAGE_BATCH_WINDOW_MS: z.coerce.number({ error: "expected milliseconds" }).int().min(0).max(1000).default(2),
  UPDATES_RETENTION: duration("30d"),
  UPDATES_MAX_PER_USER: z.coerce.number({ error: "expected a number of updates" }).int().min(100).default(10_000),
  UPDATES_SWEEP_INTERVAL: duration("1h"),
  TWEET_MAX_LENGTH: z.coerce.number({ error: "expected a number of characters" }).int().min(1).max(4096).default(280),
  STORY_TTL: duration("86400"),
  STORY_SWEEP_INTERVAL: duration("10m"),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, "expected a redis:// or rediss:// URL")
      .optional(),
  ),
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "expected letters, digits and _ . : -").default("telegraph"),
  PRESENCE_TTL: duration("30s"),
  NODE_ID: z.preprocess(emptyToUndefined, z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "expected letters, digits and _ . -").optional()),
  TRUST_PROXY: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  WEB_APP: z.enum(["on", "off"]).default("on"),
  WEB_DIST: optionalString,
});

/** The built web app's default folder, from this file's location so the working directory does not matter. */
export const defaultWebDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "web", "dist");

export type Env = z.input<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  jwtSecret: string | undefined;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  tokenExpiryGrace: number;
  emailTokenTtl: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  emailConfirmation: "required" | "off";
  /** The durable outbox of mail and pushes (see README, "Outbox"). */
  /** Web Push (see README, "Web Push"): keys given, or generated once into DATA_DIR. */
  push: { vapidPublicKey: string | undefined; vapidPrivateKey: string | undefined; vapidSubject: string; delayMs: number; allowPrivateEndpoints: boolean };
  outbox: { pollMs: number; maxAttempts: number; backoffBaseMs: number; backoffMaxMs: number; leaseMs: number };
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  loginRateLimitAccount: RateSpec;
  /** `GET /account/export` per user. */
  accountExportRateLimit: RateSpec;
  loginRateLimitAddress: RateSpec;
  eventRateLimit: RateSpec;
  eventRateLimitWrite: RateSpec;
  /** Floods and slow clients (see README, "Floods and slow clients"). */
  limits: { abuseDisconnectAfter: number; maxSocketBuffer: number; maxSocketsPerUser: number; handshakeRateLimit: RateSpec };
  trustProxy: boolean;
  /** The web app: served from `dist` when on (see README, "Web app sessions"). */
  web: { enabled: boolean; dist: string };
  redis: { url: string | undefined; prefix: string; presenceTtl: number };
  nodeId: string;
  messages: { unreadCap: number; batchWindowMs: number };
  groups: { maxMembers: number };
  updates: { retention: number; maxPerUser: number; sweepInterval: number };
  /** How long a deleted account's username stays untakable, in seconds. */
  usernameQuarantine: number;
  tweetMaxLength: number;
  stories: { ttl: number; sweepInterval: number };
  media: {
    /** Where image bytes live: files under DATA_DIR/media, or rows of the database's `blobs` table. */
    store: "filesystem" | "postgres";
    maxBytes: number;
    maxPixels: number;
    urlTtl: number;
    sweepInterval: number;
    orphanGrace: number;
    avatarMaxSize: number;
  };
}

export interface RateSpec {
  points: number;
  seconds: number;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Validates the environment once; a wrong value throws a ConfigError naming each variable and what it expects. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    jwtSecret: e.JWT_SECRET,
    accessTokenTtl: e.ACCESS_TOKEN_TTL,
    refreshTokenTtl: e.REFRESH_TOKEN_TTL,
    tokenExpiryGrace: e.TOKEN_EXPIRY_GRACE,
    emailTokenTtl: e.EMAIL_TOKEN_TTL,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    emailConfirmation: e.EMAIL_CONFIRMATION,
    push: {
      vapidPublicKey: e.VAPID_PUBLIC_KEY,
      vapidPrivateKey: e.VAPID_PRIVATE_KEY,
      vapidSubject: e.VAPID_SUBJECT ?? "mailto:no-reply@telegraph.invalid",
      delayMs: e.PUSH_DELAY,
      allowPrivateEndpoints: e.PUSH_PRIVATE_ENDPOINTS === "allow",
    },
    outbox: {
      pollMs: e.OUTBOX_POLL_MS,
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
      backoffBaseMs: e.OUTBOX_BACKOFF_BASE_MS,
      backoffMaxMs: e.OUTBOX_BACKOFF_MAX * 1000,
      leaseMs: e.OUTBOX_LEASE * 1000,
    },
    logLevel: e.LOG_LEVEL,
    loginRateLimitAccount: e.LOGIN_RATE_LIMIT_ACCOUNT,
    accountExportRateLimit: e.ACCOUNT_EXPORT_RATE_LIMIT,
    loginRateLimitAddress: e.LOGIN_RATE_LIMIT_ADDRESS,
    eventRateLimit: e.EVENT_RATE_LIMIT,
    eventRateLimitWrite: e.EVENT_RATE_LIMIT_WRITE,
    limits: {
      abuseDisconnectAfter: e.ABUSE_DISCONNECT_AFTER,
      maxSocketBuffer: e.MAX_SOCKET_BUFFER,
      maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
      handshakeRateLimit: e.HANDSHAKE_RATE_LIMIT,
    },
    trustProxy: e.TRUST_PROXY,
    web: { enabled: e.WEB_APP === "on", dist: e.WEB_DIST ? path.resolve(e.WEB_DIST) : defaultWebDist },
    redis: { url: e.REDIS_URL, prefix: e.REDIS_PREFIX, presenceTtl: e.PRESENCE_TTL },
    nodeId: e.NODE_ID ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    messages: { unreadCap: e.MESSAGES_UNREAD_CAP, batchWindowMs: e.MESSAGE_BATCH_WINDOW_MS },
    groups: { maxMembers: e.GROUP_MAX_MEMBERS },
    usernameQuarantine: e.USERNAME_QUARANTINE,
    tweetMaxLength: e.TWEET_MAX_LENGTH,
    stories: { ttl: e.STORY_TTL, sweepInterval: e.STORY_SWEEP_INTERVAL },
    updates: { retention: e.UPDATES_RETENTION, maxPerUser: e.UPDATES_MAX_PER_USER, sweepInterval: e.UPDATES_SWEEP_INTERVAL },
    media: {
      store: e.MEDIA_STORE,
      maxBytes: e.MEDIA_MAX_BYTES,
      maxPixels: e.MEDIA_MAX_PIXELS,
      urlTtl: e.MEDIA_URL_TTL,
      sweepInterval: e.MEDIA_SWEEP_INTERVAL,
      orphanGrace: e.MEDIA_ORPHAN_GRACE,
      avatarMaxSize: e.AVATAR_MAX_SIZE,
    },
  };
}

/** Reads `.env` from the working directory into process.env (existing variables win), then validates. */
export function loadConfigFromProcess(): Config {
  if (existsSync(".env")) process.loadEnvFile(".env");
  return loadConfig(process.env);
}
