import { fork, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { Db } from "../../src/db/db.ts";
import { migrate } from "../../src/db/migrate.ts";
import { openEmbedded } from "../../src/db/pglite.ts";
import { openPostgres } from "../../src/db/postgres.ts";
import { startNode, withSearchPath, type NodeProcess } from "../../test/helpers/process.ts";
import type { Command } from "../load.ts";

export type DbKind = "embedded" | "postgres";
export const benchDatabaseUrl = process.env["BENCH_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

export interface Prepared {
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/** A fresh database of the given kind, migrated and seeded, and the environment a Telegraph process needs to use it. */
export async function prepareDatabase(kind: DbKind, seed: (db: Db) => Promise<void>): Promise<Prepared> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "telegraph-bench-"));
  const secret = randomBytes(32).toString("hex");
  if (kind === "embedded") {
    const db = await openEmbedded(path.join(dataDir, "pgdata"));
    await migrate(db);
    await seed(db);
    await db.exec("VACUUM ANALYZE"); // a settled table, as in steady state (visibility map set, statistics fresh)
    await db.close();
    return { env: { DATA_DIR: dataDir, JWT_SECRET: secret }, cleanup: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: benchDatabaseUrl });
    await client.connect();
    await client.query(sql).finally(() => client.end());
  };
  await admin(`CREATE SCHEMA ${schema}`);
  const db = await openPostgres(benchDatabaseUrl, { schema, max: 2 });
  await migrate(db);
  await seed(db);
  await db.exec("VACUUM ANALYZE");
  await db.close();
  return {
    env: { DATA_DIR: dataDir, JWT_SECRET: secret, DATABASE_URL: withSearchPath(benchDatabaseUrl, schema) },
    async cleanup() {
      await admin(`DROP SCHEMA ${schema} CASCADE`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Telegraph as a separate process, with budgets high enough not to throttle the load (unless `overrides` set them). */
export function startTelegraph(env: Record<string, string>, overrides: Record<string, string> = {}): Promise<NodeProcess> {
  // BENCH_PROFILE_DIR=dir: the server writes a V8 CPU profile there when it exits (open it in Chrome DevTools).
  const profile = process.env["BENCH_PROFILE_DIR"];
  return startNode(
    {
      ...env,
      LOG_LEVEL: "info",
      EMAIL_CONFIRMATION: "off",
      EVENT_RATE_LIMIT: "100000000/1",
      EVENT_RATE_LIMIT_WRITE: "100000000/1",
      HANDSHAKE_RATE_LIMIT: "100000000/1", // every load generator connects from 127.0.0.1
      ...overrides,
      ...serverSettings(process.env["BENCH_SERVER_ENV"]),
    },
    undefined,
    profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [],
  );
}

/** BENCH_SERVER_ENV="NAME=value,NAME=value": extra settings for the server under test (to compare tunings). */
function serverSettings(list: string | undefined): Record<string, string> {
  const pairs = (list ?? "").split(",").filter((kv) => kv.includes("="));
  return Object.fromEntries(pairs.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
}

/** The bare relay as a separate process. */
export async function startRelay(): Promise<{ url: string; child: ChildProcess; stop(): void }> {
  const child = spawn(process.execPath, ["--import", "tsx", new URL("../relay.ts", import.meta.url).pathname], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      const match = /relay listening (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", () => reject(new Error("relay exited")));
  });
  return { url: `http://127.0.0.1:${port}`, child, stop: () => void child.kill("SIGTERM") };
}

/** Resident memory of a process, in bytes (Linux). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

/** A load-generator process (bench/load.ts), driven one command at a time. */
export class Worker {
  private readonly child = fork(new URL("../load.ts", import.meta.url).pathname, [], { execArgv: ["--import", "tsx"], stdio: "inherit" });
  readonly pid = this.child.pid!;

  send<T>(command: Command): Promise<T> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error(`load generator exited during ${command.op}`));
      this.child.once("exit", onExit);
      this.child.once("message", (reply: { ok: boolean; result?: T; error?: string }) => {
        this.child.off("exit", onExit);
        if (reply.ok) resolve(reply.result as T);
        else reject(new Error(reply.error));
      });
      this.child.send(command);
    });
  }

  stop(): void {
    this.child.kill("SIGKILL");
  }
}

/** Splits 1..count into `parts` contiguous ranges of user numbers. */
export function split(count: number, parts: number): number[][] {
  const per = Math.ceil(count / parts);
  return Array.from({ length: parts }, (_, p) => Array.from({ length: Math.max(0, Math.min(per, count - p * per)) }, (_, i) => p * per + i + 1));
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
async function cpuSecondsOf(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
  } catch {
    return 0;
  }
}

/** The pids of this machine's processes named `comm` (PostgreSQL's server with its backends, redis-server). */
export async function pidsNamed(comm: string): Promise<number[]> {
  const entries = await readdir("/proc");
  const pids = await Promise.all(
    entries.filter((e) => /^\d+$/.test(e)).map(async (e) => ((await readFile(`/proc/${e}/comm`, "utf8").catch(() => "")).trim() === comm ? Number(e) : 0)),
  );
  return pids.filter((p) => p > 0);
}
const postgresPids = () => pidsNamed("postgres");

/** Busy and total CPU seconds of the whole machine so far, over all cores. */
async function machineSeconds(): Promise<{ busy: number; total: number }> {
  const [cpu] = (await readFile("/proc/stat", "utf8")).split("\n");
  const ticks = cpu!.split(/\s+/).slice(1).map(Number);
  const idle = ticks[3]! + ticks[4]!; // idle + iowait
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/**
 * Where the CPU went during a measurement: seconds used by the server under test, by the load generators and by
 * PostgreSQL, and how busy the whole machine was. On a machine shared by all of them, it tells which one is the limit.
 */
export async function cpuMeter(server: number | number[], loadGenerators: number[], redis: number[] = []) {
  const servers = Array.isArray(server) ? server : [server];
  const sum = async (pids: number[]) => (await Promise.all(pids.map(cpuSecondsOf))).reduce((a, b) => a + b, 0);
  const sample = async () => {
    const pg = await postgresPids();
    const [s, l, r, p, m] = await Promise.all([
      sum(servers),
      sum(loadGenerators),
      sum(redis),
      Promise.all(pg.map(async (pid) => [pid, await cpuSecondsOf(pid)] as const)),
      machineSeconds(),
    ]);
    return { server: s, load: l, redis: r, postgres: new Map(p), machine: m };
  };
  const before = await sample();
  return async (work: number) => {
    const after = await sample();
    // A backend that started during the measurement counts from zero.
    let postgres = 0;
    for (const [pid, seconds] of after.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
    const elapsed = (after.machine.total - before.machine.total) / cpus().length;
    const perUnit = (seconds: number) => Math.round((seconds / work) * 1e6);
    return {
      "server CPU µs/msg": perUnit(after.server - before.server),
      "load CPU µs/msg": perUnit(after.load - before.load),
      "postgres CPU µs/msg": perUnit(postgres),
      ...(redis.length > 0 ? { "redis CPU µs/msg": perUnit(after.redis - before.redis) } : {}),
      "server+db CPU µs/msg": perUnit(after.server - before.server + postgres + (after.redis - before.redis)),
      "server busy %": Math.round(((after.server - before.server) / elapsed) * 100),
      "machine busy %": Math.round(((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total)) * 100),
    };
  };
}
