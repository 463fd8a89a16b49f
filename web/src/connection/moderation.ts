/** The Moderation screen's calls: open reports (paged, live), resolving them, and the admins' audit log. */
import { batch, signal } from "@preact/signals";
import { mergeReports, MODERATION_PAGE, withoutReport, type ResolveAction } from "../lib/reports.ts";
import { announce } from "../state/connection.ts";
import { isAdmin, logHasMore, moderationAccess, moderationLog, openReports, reportsHasMore, reportsLoaded } from "../state/moderation.ts";
import { rememberUsers, users } from "../state/users.ts";
import { call, type Result } from "./call.ts";
import { onConnected, onPush } from "./pushes.ts";
import { currentClient } from "./socket.ts";

/** True while the screen is open: only then is a new report said aloud. */
export const moderationScreenOpen = signal(false);

/** Reporters and log entries name people by id; their names come from the users store, asked for once when unknown. */
const asked = new Set<string>();
function learnUsers(ids: ReadonlyArray<string | null>): void {
  for (const id of new Set(ids)) {
    if (!id) continue;
    if (users.value.has(id) || asked.has(id)) continue;
    asked.add(id);
    void call((c) => c.api.receiveUserProfile(id)).then((got) => {
      if (got.ok) rememberUsers([{ user_id: got.value.user_id, name: got.value.name, family: got.value.family, username: got.value.username, photo: got.value.photo }]);
    });
  }
}

/** The first page again (opening the screen, a new connection), or the page after the oldest shown. */
export async function loadReports(older = false): Promise<Result<null>> {
  const last = openReports.value.at(-1);
  const got = await call((c) => c.api.getReports({ status: "open", ...(older && last ? { before: last.id } : {}) }));
  if (!got.ok) {
    if (got.error === "forbidden") moderationAccess.value = "none";
    return got;
  }
  batch(() => {
    moderationAccess.value = "staff";
    openReports.value = older ? mergeReports(openReports.value, got.value) : mergeReports([], got.value);
    reportsHasMore.value = got.value.length >= MODERATION_PAGE;
    reportsLoaded.value = true;
  });
  learnUsers(got.value.map((r) => r.reporter));
  return { ok: true, value: null };
}

/** Closes a report; one closed already (by another moderator) leaves the list too, with that said. */
export async function resolve(id: string, action: ResolveAction, note: string): Promise<"done" | "already" | "offline" | "failed"> {
  const client = currentClient();
  if (!client?.socket.connected) return "offline";
  const words = note.trim();
  try {
    const done = await client.api.resolveReport({ id, action, ...(words ? { note: words } : {}) });
    openReports.value = mergeReports(openReports.value, [done]);
    return "done";
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "conflict" || code === "not_found") {
      openReports.value = withoutReport(openReports.value, id);
      return "already";
    }
    return "failed";
  }
}

/** The audit log (admins); a forbidden answer means this account is a moderator only. */
export async function loadLog(older = false): Promise<void> {
  const last = moderationLog.value.at(-1);
  const got = await call((c) => c.api.getModerationLog(older && last ? { before: last.id } : {}));
  if (!got.ok) {
    if (got.error === "forbidden") isAdmin.value = false;
    return;
  }
  batch(() => {
    isAdmin.value = true;
    moderationLog.value = older ? [...moderationLog.value, ...got.value.filter((e) => !moderationLog.value.some((o) => o.id === e.id))] : got.value;
    logHasMore.value = got.value.length >= MODERATION_PAGE;
  });
  learnUsers(got.value.flatMap((e) => [e.actor.user_id, e.target_user_id]));
}

onPush("newReportFromServer", (report) => {
  if (!reportsLoaded.value) return;
  const before = openReports.value;
  openReports.value = mergeReports(before, [report]);
  learnUsers([report.reporter]);
  if (moderationScreenOpen.value && openReports.value !== before) announce(`New report: ${report.snapshot.author?.name ?? "an account"}`);
});

onConnected(() => {
  // Pushes missed while away are not replayed: a list once shown is read again.
  if (reportsLoaded.value) void loadReports();
});
