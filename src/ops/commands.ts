import type { TelegraphServer } from "../realtime/socket.ts";
import { UsageError, type Command, type OpsContext } from "./command.ts";
import type { ControlReply } from "./control-socket.ts";
import { moderationCommands } from "./moderation-commands.ts";
import * as repo from "./repo.ts";

const exactly = (args: readonly string[], n: number, usage: string) => {
  if (args.length !== n) throw new UsageError(usage.startsWith("backup") ? "usage: npm run backup -- <file>" : `usage: npm run admin -- ${usage}`);
  return args;
};

const mb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`);

/** Distinct users with at least one socket connected anywhere in the cluster (the adapter asks every node). */
async function countOnline(io: TelegraphServer): Promise<number> {
  const sockets = await io.fetchSockets();
  return new Set(sockets.map((s) => s.data.user?.user_id).filter(Boolean)).size;
}

export { liveOf, UsageError, type Live, type OpsContext } from "./command.ts";

export const commands: Record<string, Command> = {
  backup: {
    usage: "backup <file>",
    summary: "a consistent snapshot of the database and the media into one archive",
    async run(ctx, args) {
      const [file] = exactly(args, 1, "backup <file>");
      const { createBackup } = await import("./backup.ts");
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
  ...moderationCommands,
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
