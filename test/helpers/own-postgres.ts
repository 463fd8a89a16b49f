import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { testDatabaseUrl } from "./database.ts";
import { freePort } from "./process.ts";

const run = promisify(execFile);

/**
 * The directory holding `initdb` and `pg_ctl`: the newest /usr/lib/postgresql/<version>/bin (Debian, Ubuntu), else
 * the first PATH entry that has both (Homebrew, Postgres.app); undefined when there is none.
 */
export function findPostgresBin(): string | undefined {
  const has = (dir: string) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"));
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) if (has(path.join(debian, version, "bin"))) return path.join(debian, version, "bin");
  return (process.env["PATH"] ?? "").split(path.delimiter).find((dir) => dir && has(dir));
}

/** In CI (CI=true, or a TEST_DATABASE_URL given) a test that needs its own PostgreSQL fails instead of skipping. */
export const ownPostgresRequired = process.env["CI"] === "true" || Boolean(testDatabaseUrl);

export interface OwnPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres, trust authentication. */
  url: string;
  port: number;
  /** `pg_ctl stop -m fast`: open connections are terminated (57P01), new ones refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it (if running) and deletes its directory. */
  dispose(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free port, so that the test may stop it (the
 * machine's shared server is never touched). PostgreSQL refuses to run as root: as root, the server runs as the
 * `postgres` user (runuser), in a directory owned by it.
 */
export async function startOwnPostgres(bin: string): Promise<OwnPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), "telegraph-pg-"));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pgRun = (tool: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]) : run(path.join(bin, tool), args);
  const data = path.join(dir, "data");
  const port = await freePort();
  await pgRun("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  // The unix socket lives in the temporary directory too; fsync off: this data is thrown away.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  let running = false;
  const start = async () => {
    await pgRun("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "30", "-o", serverOptions, "start"]);
    running = true;
  };
  const stop = async () => {
    await pgRun("pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
    running = false;
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async dispose() {
      if (running) await stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
