import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { createTelegraph, type Telegraph } from "../app.ts";
import { ConfigError, loadConfigFromProcess, type Config } from "../config.ts";
import { migrate } from "../db/migrate.ts";
import { openDatabase } from "../db/open.ts";
import { resolveJwtSecret } from "../features/accounts/secret.ts";
import { createLogger } from "../logger.ts";
import { openRedis, type RedisConnections } from "../redis.ts";
import { commands, liveOf, runCommand, usage, UsageError, type Live, type OpsContext } from "./commands.ts";
import { callControl, controlSocketPath, holdDataDir } from "./control-socket.ts";

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliIo = { out: (t) => process.stdout.write(t + "\n"), err: (t) => process.stderr.write(t + "\n") };

/**
 * `npm run admin -- <command> …` (and `npm run backup`): sent to the server running on this DATA_DIR through its
 * control socket when there is one — with the embedded database it holds the data, and it holds the live sockets —
 * otherwise run here against the configured database. Resolves with the exit code: 0, 1 (the command failed), 2 (usage).
 */
export async function runCli(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  let config: Config;
  try {
    config = loadConfigFromProcess();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    return 1;
  }
  const [name = "", ...rest] = argv;
  if (!Object.hasOwn(commands, name)) {
    io.err(name && name !== "help" && name !== "--help" ? `unknown command: ${name}\n${usage()}` : usage());
    return 2;
  }
  // Paths are the caller's: the server's working directory may differ.
  const args = name === "backup" && rest[0] ? [path.resolve(rest[0]), ...rest.slice(1)] : rest;
  try {
    const reply = await callControl(controlSocketPath(config.dataDir), { command: name, args });
    if (reply) {
      if (reply.ok) io.out(reply.output);
      else io.err(reply.usage ? reply.error : `error: ${reply.error}`);
      return reply.ok ? 0 : reply.usage ? 2 : 1;
    }
    return await runHere(config, name, args, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(err.message);
      return 2;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

/** No server on this DATA_DIR: open the configured database in this process (and Redis, to reach a cluster's sockets). */
async function runHere(config: Config, name: string, args: readonly string[], io: CliIo): Promise<number> {
  if (!config.databaseUrl && !existsSync(path.join(config.dataDir, "pgdata", "PG_VERSION"))) {
    throw new Error(`no embedded database in ${path.join(config.dataDir, "pgdata")} and no server running on it: check DATA_DIR (or DATABASE_URL)`);
  }
  const lock = config.databaseUrl ? undefined : await holdDataDir(config.dataDir, `npm run admin -- ${name}`);
  if (lock === null) throw new Error(`another process is using ${config.dataDir} right now; try again when it is done`);
  const db = await openDatabase(config).catch(async (err: unknown) => {
    await lock?.close();
    throw err;
  });
  let app: Telegraph | undefined;
  let redis: RedisConnections | undefined;
  const ctx: OpsContext = {
    config,
    db,
    live: async (): Promise<Live> => {
      if (!app) {
        await migrate(db);
        const log = createLogger("error");
        redis = config.redis.url ? await openRedis(config.redis.url, config.redis.prefix, log) : undefined;
        app = createTelegraph({ config, db, log, jwtSecret: await jwtSecretFor(config), ...(redis ? { redis } : {}) });
      }
      return liveOf(app);
    },
  };
  try {
    io.out(await runCommand(ctx, name, args));
    return 0;
  } finally {
    await app?.close();
    await redis?.close();
    await db.close();
    await lock?.close();
  }
}

// The command signs nothing a client will check; it must not create DATA_DIR/jwt-secret where the server has none.
async function jwtSecretFor(config: Config): Promise<string> {
  if (config.jwtSecret || existsSync(path.join(config.dataDir, "jwt-secret"))) return resolveJwtSecret(config.jwtSecret, config.dataDir);
  return randomBytes(32).toString("hex");
}
