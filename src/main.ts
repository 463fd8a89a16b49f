import { mkdir } from "node:fs/promises";
import { createTelegraph } from "./app.ts";
import { ConfigError, loadConfigFromProcess, type Config } from "./config.ts";
import { migrate } from "./db/migrate.ts";
import { openDatabase } from "./db/open.ts";
import { resolveJwtSecret } from "./features/accounts/secret.ts";
import { createLogger, type Logger } from "./logger.ts";
import { openRedis } from "./redis.ts";
import { answerControl, liveOf, type OpsContext } from "./ops/commands.ts";
import { controlSocketPath, listenControl } from "./ops/control-socket.ts";

/** config → database (migrated) → HTTP + Socket.IO → listen; SIGINT/SIGTERM shut down in the reverse order. */
async function main(config: Config): Promise<void> {
  const log = createLogger(config.logLevel);
  keepServingThroughStrayFailures(log);
  await mkdir(config.dataDir, { recursive: true });
  // `npm run backup` and `npm run admin` reach this server (its database, its sockets) through DATA_DIR/control.sock.
  // Taken before the embedded database is opened: whoever holds it owns DATA_DIR/pgdata (PGlite has no lock).
  const ready: { ops?: OpsContext } = {};
  const control = await listenControl(controlSocketPath(config.dataDir), async (request) => {
    if (!ready.ops) return { ok: false, error: "the server is still starting; try again in a moment" };
    log.info({ command: request.command }, "control command");
    return answerControl(ready.ops, request);
  }).catch((err: unknown) => {
    // A DATA_DIR whose path is too long for a Unix socket, or a file system without them: serve anyway.
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "no control socket: npm run admin and backup cannot reach this server");
    return undefined;
  });
  if (control === null && !config.databaseUrl) {
    throw new Error(`another process is using the embedded database in ${config.dataDir} (a running Telegraph, or npm run admin, backup or restore)`);
  }
  const jwtSecret = await resolveJwtSecret(config.jwtSecret, config.dataDir);
  // The embedded database that can no longer write would leave every request hanging: stop, saying why.
  const db = await openDatabase(config, {
    onFatal: (err) => {
      log.fatal({ err: err.message }, "embedded database failed");
      log.flush();
      process.stderr.write(`Telegraph stopped: ${err.message}\n`);
      process.exit(1);
    },
  });
  const applied = await migrate(db);
  if (applied.length) log.info({ applied }, "migrations applied");
  const redis = config.redis.url ? await openRedis(config.redis.url, config.redis.prefix, log) : undefined;
  const app = createTelegraph({ config, db, log, jwtSecret, ...(redis ? { redis } : {}) });
  const url = await app.listen();
  ready.ops = { config, db, live: async () => liveOf(app) };
  if (!control) log.info("another node on this DATA_DIR answers npm run admin and backup");
  const cluster = redis ? `, cluster node ${config.nodeId} on Redis` : "";
  log.info(`Telegraph listening on ${url} (HTTP and Socket.IO) with database: ${db.description}${cluster}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    try {
      await control?.close();
      await app.close();
      await redis?.close();
      await db.close();
    } catch (err) {
      log.error({ err }, "shutdown failed");
      process.exitCode = 1;
    }
    log.flush();
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
}

/**
 * A promise nobody awaited that rejects, or an exception thrown in a timer or event callback of a feature, is logged
 * and the node keeps serving: every request and event already answers its own failures (`internal`), so what reaches
 * here is a stray background job, and exiting would drop every connection for it. Truly fatal errors (out of memory, a
 * native crash, a failure while starting) still end the process with a non-zero code, for the supervisor to restart it.
 */
function keepServingThroughStrayFailures(log: Logger): void {
  process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled promise rejection; still serving"));
  process.on("uncaughtException", (err, origin) => log.error({ err, origin }, "uncaught exception in a callback; still serving"));
}

let config: Config;
try {
  config = loadConfigFromProcess();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
// A start that fails (the database cannot be opened, Redis unreachable) says why on one line and exits non-zero.
await main(config).catch((err: unknown) => {
  process.stderr.write(`Telegraph could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
