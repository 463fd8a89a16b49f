import type { GroupSender, ArrivalReport, SendReport } from "./group-load.ts";
import { cpuMeter, split, type Worker } from "./lib/harness.ts";
import { groupId, seedGroups, seedUsers } from "./lib/seed.ts";
import { merge, newHistogram, summarize } from "./lib/stats.ts";
import { closeAll, connectCrowd, WORKERS, withServers, type Options, type Row } from "./scenarios.ts";

const SETTLE_MS = 15_000; // how long deliveries may trail the last acknowledgement before a message counts as lost
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A layout of groups over users 1..groups·size: group g holds users (g-1)·size+1 .. g·size (see seedGroups). */
interface Layout {
  groups: number;
  size: number;
  /** Sending members per group and worker. */
  sendersPerGroup: number;
}

/** Each worker's clients' groups (by their index there) and its senders. */
function plan(layout: Layout) {
  return split(layout.groups * layout.size, WORKERS).map((users) => {
    const groupOf = (user: number) => Math.ceil(user / layout.size);
    // The first members of each group among this worker's clients send (a group may span the workers).
    const count = new Map<number, number>();
    const senders: GroupSender[] = users.flatMap((user, index) => {
      const n = (count.get(groupOf(user)) ?? 0) + 1;
      count.set(groupOf(user), n);
      return n <= layout.sendersPerGroup ? [{ index, group: groupId(groupOf(user)) }] : [];
    });
    return { groups: users.map((u) => groupId(groupOf(u))), senders };
  });
}

/**
 * One measured step: every worker listens, the senders send (`step`), then deliveries are awaited until every member
 * but the sender has each acknowledged message (or SETTLE_MS pass). Reports throughput, acknowledgement latency, the
 * time until the last member had a message, what was lost or doubled, and refusals (`internal` apart).
 */
async function measure(
  workers: Worker[],
  layout: Layout,
  pids: { server: number },
  step: (w: Worker, senders: GroupSender[]) => Promise<SendReport>,
  durationMs: number,
): Promise<Row> {
  const planned = plan(layout);
  await Promise.all(workers.map((w) => w.send({ op: "group-listen" })));
  const cpu = await cpuMeter(pids.server, workers.map((w) => w.pid));
  const sends = await Promise.all(workers.map((w, i) => step(w, planned[i]!.senders)));
  const sentAt = Object.assign({}, ...sends.map((s) => s.sentAt)) as Record<string, number>;
  const acked = sends.reduce((n, s) => n + s.acked, 0);
  const spent = await cpu(acked);
  const expected = layout.size - 1;
  const deadline = Date.now() + SETTLE_MS;
  let reports: ArrivalReport[];
  let totals: Map<string, { n: number; last: number }>;
  for (;;) {
    reports = await Promise.all(workers.map((w) => w.send<ArrivalReport>({ op: "group-report" })));
    totals = new Map();
    for (const r of reports) {
      for (const [key, a] of Object.entries(r.arrivals)) {
        const t = totals.get(key);
        totals.set(key, t ? { n: t.n + a.n, last: Math.max(t.last, a.last) } : { ...a });
      }
    }
    const complete = Object.keys(sentAt).every((k) => (totals.get(k)?.n ?? 0) >= expected);
    if (complete || Date.now() > deadline) break;
    await sleep(250);
  }
  const untilLast = newHistogram();
  let lost = 0;
  for (const [key, t0] of Object.entries(sentAt)) {
    const t = totals.get(key);
    if (t && t.n >= expected) untilLast.recordValue(Math.max(1, Math.round((t.last - t0) * 1000)));
    else lost++;
  }
  const errors = new Map<string, number>();
  for (const [code, k] of sends.flatMap((s) => Object.entries(s.errors))) errors.set(code, (errors.get(code) ?? 0) + k);
  const internal = errors.get("internal") ?? 0;
  const others = [...errors].filter(([code]) => code !== "internal");
  return {
    "msg/s": Math.round(acked / (durationMs / 1000)),
    acked,
    "deliveries/s": Math.round((acked * expected) / (durationMs / 1000)),
    lost, // acknowledged, not at every member within SETTLE_MS
    doubled: reports.reduce((n, r) => n + r.doubled, 0),
    internal,
    "other errors": others.length ? others.map(([code, k]) => `${code} ${k}`).join(", ") : 0,
    ack: summarize(merge(sends.map((s) => s.ack))),
    "until last member": summarize(untilLast),
    // Per acknowledged message, so per 49 or 199 deliveries: the server under test (with the embedded database in
    // it), and with every PostgreSQL backend of the machine (other work on it included).
    "server CPU µs/msg": spent["server CPU µs/msg"],
    "server+db CPU µs/msg": spent["server+db CPU µs/msg"],
    "server busy %": spent["server busy %"],
    "machine busy %": spent["machine busy %"],
  };
}

/** Connects everyone of the layout to Telegraph or the relay, joins the relay's clients to their group rooms. */
async function connectGroups(kind: "telegraph" | "relay", s: { telegraph: string; relay: string; secret: string }, layout: Layout) {
  const { workers, errors } = await connectCrowd(kind, kind === "relay" ? s.relay : s.telegraph, s.secret, layout.groups * layout.size);
  if (errors > 0) throw new Error(`${errors} clients failed to connect`);
  const planned = plan(layout);
  await Promise.all(workers.map((w, i) => w.send({ op: "group-join", groups: planned[i]!.groups })));
  return workers;
}

/**
 * Issue 19's group fan-out, beside the bare relay doing the same fan-out in the same run. (a) One group of 200
 * members, all online; four of them send, open loop, at each rate: how long until the last member has a message.
 * (b) 20 groups of 50 chatting, closed loop: two members of each group send, each the next message once the last is
 * acknowledged. Every message is checked at every member's device: none lost, none twice.
 */
export async function groupFanout(o: Options): Promise<Row[]> {
  const big: Layout = { groups: 1, size: 200, sendersPerGroup: 2 };
  const chat: Layout = { groups: 20, size: 50, sendersPerGroup: 2 };
  const rates = o.rates ?? (o.quick ? [20] : [20, 100]);
  const durationMs = o.quick ? 3000 : 8000;
  const chatMs = o.quick ? 3000 : 10_000;
  const rows: Row[] = [];
  const users = Math.max(big.groups * big.size, chat.groups * chat.size);
  await withServers(
    o,
    async (db) => {
      await seedUsers(db, users);
      await seedGroups(db, big.groups, big.size);
    },
    async (s) => {
      for (const kind of ["relay", "telegraph"] as const) {
        const pids = { server: kind === "relay" ? s.relayPid : s.pid };
        const workers = await connectGroups(kind, s, big);
        // Warm-up, not recorded: the first sends compile code paths and prepare statements.
        await measure(workers, big, pids, (w, senders) => w.send({ op: "group-send-open", senders, rate: 10 / WORKERS, durationMs: 1000 }), 1000);
        for (const rate of rates) {
          const row = await measure(
            workers,
            big,
            pids,
            (w, senders) => w.send({ op: "group-send-open", senders, rate: rate / WORKERS, durationMs }),
            durationMs,
          );
          rows.push({ target: kind, layout: "1 group of 200, open loop", "rate msg/s": rate, ...row });
        }
        await closeAll(workers);
      }
    },
  );
  // A second database for (b): its groups are other users' (every user is in one group).
  await withServers(
    o,
    async (db) => {
      await seedUsers(db, chat.groups * chat.size);
      await seedGroups(db, chat.groups, chat.size);
    },
    async (s) => {
      for (const kind of ["relay", "telegraph"] as const) {
        const pids = { server: kind === "relay" ? s.relayPid : s.pid };
        const workers = await connectGroups(kind, s, chat);
        await measure(workers, chat, pids, (w, senders) => w.send({ op: "group-send-closed", senders, durationMs: 1000 }), 1000);
        const row = await measure(workers, chat, pids, (w, senders) => w.send({ op: "group-send-closed", senders, durationMs: chatMs }), chatMs);
        rows.push({ target: kind, layout: "20 groups of 50, closed loop, 2 senders each", "rate msg/s": "closed", ...row });
        await closeAll(workers);
      }
    },
  );
  return rows;
}
