import type { Telegraph } from "../app.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/db.ts";
import type { TelegraphServer } from "../realtime/socket.ts";
import type { Services } from "../services.ts";

/** The running parts a command may need: the services, Socket.IO (live sockets, cluster-wide) and the sweeps. */
export interface Live {
  services: Services;
  io: TelegraphServer;
  /** Trims the update log to UPDATES_RETENTION / UPDATES_MAX_PER_USER now; resolves with the updates removed. */
  sweepUpdates(): Promise<number>;
}

/** The parts of a Telegraph (the running server's, or one built by the command) that commands use. */
export function liveOf(app: Telegraph): Live {
  return { services: app.services, io: app.io, sweepUpdates: () => app.sweepUpdates() };
}

/**
 * Where a command runs: inside the running server (through its control socket) or in the command's own process
 * against the configured database. `live()` is built on first use (a backup needs none of it).
 */
export interface OpsContext {
  config: Config;
  db: Db;
  live(): Promise<Live>;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** One row per command: its usage line and what it does with its arguments. */
export interface Command {
  usage: string;
  summary: string;
  run(ctx: OpsContext, args: readonly string[]): Promise<string>;
}
