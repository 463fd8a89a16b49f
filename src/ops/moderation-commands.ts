import { ROLES, type Role } from "../features/moderation/policy.ts";
import type { Report } from "../features/moderation/presenter.ts";
import type { Services } from "../services.ts";
import { UsageError, type Command, type OpsContext } from "./command.ts";

// The commands that go through the moderation feature's service with no acting user (null = the command line, which
// may do anything and is logged as actor "cli"). Suspension drops the user's sockets on every node: the service
// does it through Socket.IO, which reaches the cluster through the Redis adapter.

const usage = (line: string) => new UsageError(`usage: npm run admin -- ${line}`);

async function userId(services: Services, username: string | undefined): Promise<string> {
  const name = (username ?? "").replace(/^@/, "");
  const id = name ? await services.moderation.userIdByUsername(name) : undefined;
  if (!id) throw new Error(`no account @${name}`);
  return id;
}

const moderation = async (ctx: OpsContext) => (await ctx.live()).services;

function reportLine(r: Report): string {
  const about = r.snapshot.author ? ` by @${r.snapshot.author.username}` : "";
  const content = r.snapshot.text ? `: ${JSON.stringify(r.snapshot.text.length > 80 ? `${r.snapshot.text.slice(0, 79)}…` : r.snapshot.text)}` : "";
  const words = r.text ? `\n    reporter says: ${JSON.stringify(r.text)}` : "";
  const resolved = r.status === "resolved" ? `\n    resolved ${r.resolved_at ?? ""} (${r.action ?? ""})${r.note ? `: ${JSON.stringify(r.note)}` : ""}` : "";
  return `${r.id}  ${r.created_at}  ${r.reason}  ${r.target.kind} ${r.target.id}${about}${content}${words}${resolved}`;
}

export const moderationCommands: Record<string, Command> = {
  "create-admin": {
    usage: "create-admin <username>",
    summary: "make an existing account an admin (register it first)",
    async run(ctx, args) {
      if (args.length !== 1) throw usage("create-admin <username>");
      const services = await moderation(ctx);
      const name = args[0]!.replace(/^@/, "");
      const id = await services.moderation.userIdByUsername(name);
      if (!id) throw new Error(`no account @${name}: register it first (the web app or POST /register), then run create-admin again`);
      await services.moderation.setRole(null, id, "admin");
      return `@${name} is an admin`;
    },
  },
  grant: {
    usage: "grant <username> <role>",
    summary: `give an account a role (${ROLES.join(", ")})`,
    async run(ctx, args) {
      if (args.length !== 2) throw usage("grant <username> <role>");
      const role = args[1] as Role;
      if (!ROLES.includes(role)) throw new UsageError(`unknown role: ${args[1]} (expected one of ${ROLES.join(", ")})`);
      const services = await moderation(ctx);
      await services.moderation.setRole(null, await userId(services, args[0]), role);
      return `@${args[0]!.replace(/^@/, "")} is now ${role}`;
    },
  },
  suspend: {
    usage: "suspend <username> [reason…]",
    summary: "suspend an account and drop its connections on every node",
    async run(ctx, args) {
      if (args.length < 1) throw usage("suspend <username> [reason…]");
      const services = await moderation(ctx);
      const reason = args.slice(1).join(" ");
      await services.moderation.suspend(null, await userId(services, args[0]), reason || undefined);
      return `@${args[0]!.replace(/^@/, "")} is suspended`;
    },
  },
  unsuspend: {
    usage: "unsuspend <username>",
    summary: "lift a suspension",
    async run(ctx, args) {
      if (args.length !== 1) throw usage("unsuspend <username>");
      const services = await moderation(ctx);
      await services.moderation.unsuspend(null, await userId(services, args[0]));
      return `@${args[0]!.replace(/^@/, "")} is no longer suspended`;
    },
  },
  reports: {
    usage: "reports [open|resolved] [before-id]",
    summary: "the newest 50 reports (open by default); page with the last id shown",
    async run(ctx, args) {
      const [status = "open", before] = args;
      if (args.length > 2 || (status !== "open" && status !== "resolved")) throw usage("reports [open|resolved] [before-id]");
      if (before !== undefined && !/^[0-9a-f]{24}$/.test(before)) throw new UsageError(`not a report id: ${before}`);
      const services = await moderation(ctx);
      const reports = await services.moderation.listReports({ status, before });
      if (!reports.length) return `no ${status} reports${before ? ` before ${before}` : ""}`;
      return [`${reports.length} ${status} report(s), newest first:`, ...reports.map(reportLine)].join("\n");
    },
  },
};
