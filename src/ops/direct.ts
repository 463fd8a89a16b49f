import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { createTelegraph, type Telegraph } from "../app.ts";
import type { Config } from "../config.ts";
import { migrate } from "../db/migrate.ts";
import { openDatabase } from "../db/open.ts";
import { resolveJwtSecret } from "../features/accounts/secret.ts";
import { createLogger } from "../logger.ts";
import { openRedis, type RedisConnections } from "../redis.ts";
import { liveOf, type Live, type OpsContext } from "./command.ts";
import { runCommand } from "./commands.ts";
import { holdDataDir } from "./control-socket.ts";

/** No server on this DATA_DIR: open the configured database in this process (and Redis, to reach a cluster's sockets). */
export async function runHere(config: Config, name: string, args: readonly string[]): Promise<string> {
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
    return await runCommand(ctx, name, args);
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
