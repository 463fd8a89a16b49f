import type { Telegraph } from "../app.ts";
import type { Config } from "../config.ts";
import type { Db } from "../db/db.ts";
import type { TelegraphServer } from "../realtime/socket.ts";
import type { Services } from "../services.ts";
import { createBackup } from "./backup.ts";
import type { ControlReply } from "./control-socket.ts";
import * as repo from "./repo.ts";

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

const exactly = (args: readonly string[], n: number, usage: string) => {
  if (args.length !== n) throw new UsageError(`usage: ${usage}`);
  return args;
};

const mb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`);

/** Distinct users with at least one socket connected anywhere in the cluster (the adapter asks every node). */
async function countOnline(io: TelegraphServer): Promise<number> {
  const sockets = await io.fetchSockets();
  return new Set(sockets.map((s) => s.data.user?.user_id).filter(Boolean)).size;
}

export const commands: Record<string, Command> = {
  backup: {
    usage: "backup <file>",
    summary: "a consistent snapshot of the database and the media into one archive",
    async run(ctx, args) {
      const [file] = exactly(args, 1, "backup <file>");
      const { manifest, warnings } = await createBackup(ctx, file!);
      const c = manifest.counts;
      return [
        `backup written to ${file} (${manifest.database.kind} database, migration ${manifest.database.migration ?? "none"})`,
        `  ${c.users} users, ${c.messages} messages, ${c.tweets} tweets, ${c.media} media, ${c.blobs} blobs`,
        ...warnings.map((w) => `warning: ${w}`),
      ].join("\n");
    },
  },
  stats: {
    usage: "stats",
    summary: "users, online, messages today, database size, media size",
    async run(ctx, args) {
      exactly(args, 0, "stats");
      const live = await ctx.live();
      const today = new Date();
      today.setUTCHours(0, 0, 0, 0);
      const stats = await repo.findStats(ctx.db, today);
      return [
        `users: ${stats.users}`,
        `online: ${await countOnline(live.io)}`,
        `messages today (UTC): ${stats.messagesToday}`,
        `database size: ${mb(stats.databaseBytes)}`,
        `media size: ${mb(stats.mediaBytes)} (${ctx.config.media.store})`,
      ].join("\n");
    },
  },
  sweep: {
    usage: "sweep",
    summary: "run the media sweep and the update-log sweep now",
    async run(ctx, args) {
      exactly(args, 0, "sweep");
      const live = await ctx.live();
      const media = await live.services.media.sweep();
      const updates = await live.sweepUpdates();
      return [`media sweep: removed ${media} unreferenced media item(s)`, `update log sweep: removed ${updates} update(s)`].join("\n");
    },
  },
};

/** Runs one command line (`[name, ...args]`); unknown names are a UsageError listing every command. */
export async function runCommand(ctx: OpsContext, name: string, args: readonly string[]): Promise<string> {
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) throw new UsageError(name ? `unknown command: ${name}\n${usage()}` : usage());
  return command.run(ctx, args);
}

/** The usage text of `npm run admin`. */
export function usage(): string {
  const rows = Object.values(commands).map((c) => `  ${c.usage.padEnd(34)}${c.summary}`);
  return ["usage: npm run admin -- <command>", ...rows].join("\n");
}

/** The server's side of the control socket: each request is one command line, answered with its output or error. */
export async function answerControl(ctx: OpsContext, request: { command: string; args: string[] }): Promise<ControlReply> {
  try {
    return { ok: true, output: await runCommand(ctx, request.command, request.args) };
  } catch (err) {
    if (err instanceof UsageError) return { ok: false, error: err.message, usage: true };
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
