import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";
import { Id, Text } from "../../shared/schema.ts";
import { ROLES } from "./policy.ts";
import { LogEntryShape, ReportReason, ReportShape, ResolveAction, TargetKind } from "./presenter.ts";

const Role = z.enum(ROLES);
const Note = Text(1000);

const exampleReport = {
  id: "6750a1b2c3d4e5f601234567",
  target: { kind: "tweet" as const, id: "6750a0b2c3d4e5f601234500" },
  reason: "spam" as const,
  text: "Posts the same link every minute",
  reporter: "62fbb1a596ac46dda02af592",
  author: "63021602091fa84d91c8e9bf",
  snapshot: {
    author: { user_id: "63021602091fa84d91c8e9bf", username: "spammer", name: "Spam" },
    text: "Buy now: https://example.com",
    images: [],
    content: { id: "6750a0b2c3d4e5f601234500", context: "Buy now: https://example.com" },
  },
  status: "open" as const,
  created_at: "2026-12-04T03:00:00.000Z",
  resolved_at: null,
  resolved_by: null,
  action: null,
  note: null,
};
const exampleEntry = {
  id: "6750a1b2c3d4e5f601234599",
  actor: { kind: "user" as const, user_id: "62fbb1a596ac46dda02af592" },
  action: "suspend" as const,
  target_user_id: "63021602091fa84d91c8e9bf",
  report_id: null,
  details: { reason: "spam" },
  at: "2026-12-04T03:05:00.000Z",
};

export const moderationEvents = {
  reportFromClient: clientEvent({
    summary:
      "Report something I can see — a user, a direct message I received, a tweet, a comment or a story — to the moderators. The content is copied into the report, so deleting it keeps the evidence. Reporting the same target again while my report is open answers that report. Anything I cannot see is `not_found`.",
    args: z.tuple([
      z
        .strictObject({
          target: z.strictObject({ kind: TargetKind, id: Id }),
          reason: ReportReason,
          text: Text(1000).optional().describe("my words for the moderators"),
        })
        .describe("report"),
    ]),
    data: ReportShape,
    reply: "reportFromServer",
    rate: "write",
    errors: ["not_found"],
    example: {
      args: [{ target: exampleReport.target, reason: "spam", text: exampleReport.text }],
      data: exampleReport,
    },
    handler: (ctx, [r]) => ctx.services.moderation.report(ctx.userId, { kind: r.target.kind, id: r.target.id, reason: r.reason, text: r.text }),
  }),
  getReports: clientEvent({
    summary: "Moderators and admins: reports of one status, newest first, 50 a page; `before` a report id for the next page.",
    args: z.tuple([z.strictObject({ status: z.enum(["open", "resolved"]), before: Id.optional() }).describe("query")]),
    data: z.array(ReportShape),
    reply: "sendReportsFromServer",
    rate: "default",
    errors: ["forbidden"],
    example: { args: [{ status: "open" }], data: [exampleReport] },
    handler: (ctx, [q]) => ctx.services.moderation.reportsFor(ctx.userId, q),
  }),
  resolveReport: clientEvent({
    summary:
      "Moderators and admins: close an open report — `dismiss`, `delete_content` (the tweet, comment, story or message is deleted as when its author deletes it) or `suspend_user` (its author, by the rules of `suspendUser`). A closed report is `conflict`.",
    args: z.tuple([z.strictObject({ id: Id, action: ResolveAction, note: Note.optional() }).describe("resolution")]),
    data: ReportShape,
    reply: "resolveReportFromServer",
    rate: "write",
    errors: ["forbidden", "not_found", "conflict"],
    example: {
      args: [{ id: exampleReport.id, action: "delete_content", note: "spam" }],
      data: { ...exampleReport, status: "resolved", resolved_at: "2026-12-04T03:05:00.000Z", resolved_by: exampleEntry.actor.user_id, action: "delete_content", note: "spam" },
    },
    handler: (ctx, [r]) => ctx.services.moderation.resolve(ctx.userId, r),
  }),
  suspendUser: clientEvent({
    summary:
      "Moderators and admins: suspend an account — it cannot log in or refresh, its sockets are dropped on every node and new ones refused, its tweets, comments and stories are hidden from everyone else and direct messages to it are refused. A moderator may suspend plain users only; nobody suspends themself. Suspending a suspended account changes nothing.",
    args: z.tuple([z.strictObject({ user: Id, reason: Note.optional() }).describe("suspension")]),
    data: z.object({ user_id: z.string(), suspended: z.literal(true) }),
    reply: "suspendUserFromServer",
    rate: "write",
    errors: ["forbidden", "not_found"],
    example: { args: [{ user: exampleEntry.target_user_id, reason: "spam" }], data: { user_id: exampleEntry.target_user_id, suspended: true } },
    handler: (ctx, [s]) => ctx.services.moderation.suspend(ctx.userId, s.user, s.reason),
  }),
  unsuspendUser: clientEvent({
    summary: "Moderators and admins: lift a suspension; everything hidden shows again. Same rules as `suspendUser`.",
    args: z.tuple([z.strictObject({ user: Id }).describe("account")]),
    data: z.object({ user_id: z.string(), suspended: z.literal(false) }),
    reply: "unsuspendUserFromServer",
    rate: "write",
    errors: ["forbidden", "not_found"],
    example: { args: [{ user: exampleEntry.target_user_id }], data: { user_id: exampleEntry.target_user_id, suspended: false } },
    handler: (ctx, [s]) => ctx.services.moderation.unsuspend(ctx.userId, s.user),
  }),
  setUserRole: clientEvent({
    summary:
      "Admins: give an account the role `user`, `moderator` or `admin`. Taking the last admin's role away (an admin's own included) is `conflict`.",
    args: z.tuple([z.strictObject({ user: Id, role: Role }).describe("grant")]),
    data: z.object({ user_id: z.string(), role: Role }),
    reply: "setUserRoleFromServer",
    rate: "write",
    errors: ["forbidden", "not_found", "conflict"],
    example: { args: [{ user: exampleEntry.target_user_id, role: "moderator" }], data: { user_id: exampleEntry.target_user_id, role: "moderator" } },
    handler: (ctx, [g]) => ctx.services.moderation.setRole(ctx.userId, g.user, g.role),
  }),
  getModerationLog: clientEvent({
    summary: "Admins: every moderator action (role changes, suspensions, resolved reports), newest first, 50 a page; `before` an entry id.",
    args: z.union([z.tuple([]), z.tuple([z.strictObject({ before: Id.optional() }).describe("query")])]),
    data: z.array(LogEntryShape),
    reply: "sendModerationLogFromServer",
    rate: "default",
    errors: ["forbidden"],
    example: { args: [{}], data: [exampleEntry] },
    handler: (ctx, input) => ctx.services.moderation.moderationLog(ctx.userId, { before: input[0]?.before }),
  }),
};

export const moderationPushes = {
  newReportFromServer: serverEvent({
    summary: "To every connected moderator and admin: a new report (the same shape as `getReports` lists).",
    payload: ReportShape,
    example: exampleReport,
  }),
};
