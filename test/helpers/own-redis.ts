import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";

/** True when a redis-server binary is on PATH. */
export const hasRedisServer = (process.env["PATH"] ?? "").split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, "redis-server")));

/**
 * A throwaway redis-server of the test's own on 127.0.0.1:port, without persistence: stopped and started again, it
 * comes back empty (as a Redis restarted without RDB or AOF does). Resolves once it answers PING.
 */
export async function startOwnRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  const probe = new Redis(port, "127.0.0.1", { lazyConnect: true, retryStrategy: () => 100, maxRetriesPerRequest: null });
  probe.on("error", () => undefined); // refused until the server is up
  await probe.connect().catch(() => undefined);
  await probe.ping();
  probe.disconnect();
  return child;
}

/** Kills it (SIGKILL: whatever it held is gone) and resolves once it exited. */
export async function killOwnRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}
