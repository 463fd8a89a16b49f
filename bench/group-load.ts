// The group-chat steps of a load generator (bench/load.ts): every client listens for group messages and notes when
// each arrived; chosen clients send, open loop (on schedule) or closed loop (the next once the last is acknowledged).
// Messages are told apart by their text, unique per run; the coordinator (bench/groups.ts) joins what the senders and
// the listeners saw: the time until the last member had each message, and what was lost or doubled.
import type { Socket } from "socket.io-client";
import type { TelegraphClient } from "telegraph-client";
import { encode, newHistogram } from "./lib/stats.ts";

export interface GroupClient {
  user: string;
  telegraph?: TelegraphClient;
  raw?: Socket;
}

/** A sending client (its index among this worker's clients) and its group. */
export interface GroupSender {
  index: number;
  group: string;
}

export type GroupCommand =
  | { op: "group-join"; groups: string[] }
  | { op: "group-listen" }
  | { op: "group-report" }
  | { op: "group-send-open"; senders: GroupSender[]; rate: number; durationMs: number }
  | { op: "group-send-closed"; senders: GroupSender[]; durationMs: number };

/** What a sending worker reports: when each acknowledged message left, the acknowledgement latencies, refusals by code. */
export interface SendReport {
  sentAt: Record<string, number>;
  ack: string;
  acked: number;
  errors: Record<string, number>;
}

/** What a listening worker reports: per message, how many of its clients had it and when the last one did. */
export interface ArrivalReport {
  arrivals: Record<string, { n: number; last: number }>;
  doubled: number;
}

const now = () => performance.timeOrigin + performance.now();
let arrivals = new Map<string, { n: number; last: number }>();
let seen = new Set<string>();
let doubled = 0;
let listening = false;
let counter = 0;

/** Runs one group command against this worker's clients. */
export async function runGroupCommand(clients: GroupClient[], command: GroupCommand): Promise<unknown> {
  switch (command.op) {
    case "group-join":
      // The bare relay has no membership: its clients join their group's room themselves. Telegraph's join on connect.
      await Promise.all(
        clients.map((c, i) => (c.raw ? c.raw.timeout(30_000).emitWithAck("join", command.groups[i]) : undefined)),
      );
      return { joined: clients.length };
    case "group-listen":
      listen(clients);
      return { listening: clients.length };
    case "group-report":
      return { arrivals: Object.fromEntries(arrivals), doubled } satisfies ArrivalReport;
    case "group-send-open":
      return sendOpen(clients, command.senders, command.rate, command.durationMs);
    case "group-send-closed":
      return sendClosed(clients, command.senders, command.durationMs);
  }
}

/** Starts (or restarts, forgetting what was seen) noting every group message each client receives. */
function listen(clients: GroupClient[]): void {
  arrivals = new Map();
  seen = new Set();
  doubled = 0;
  if (listening) return;
  listening = true;
  clients.forEach((c, i) => {
    const onMessage = (m: { context?: { text?: string | null } }) => {
      const at = now();
      const key = m.context?.text ?? "";
      if (seen.has(`${i}:${key}`)) {
        doubled++;
        return;
      }
      seen.add(`${i}:${key}`);
      const a = arrivals.get(key);
      if (a) {
        a.n++;
        a.last = Math.max(a.last, at);
      } else arrivals.set(key, { n: 1, last: at });
    };
    c.telegraph?.on("singleGroupMsgFromServer", onMessage);
    c.raw?.on("group", onMessage);
  });
}

function sender(clients: GroupClient[]) {
  const sentAt: Record<string, number> = {};
  const ack = newHistogram();
  const errors: Record<string, number> = {};
  let acked = 0;
  const send = async ({ index, group }: GroupSender, due: number) => {
    const text = `${process.pid}:${++counter}`;
    const c = clients[index]!;
    try {
      if (c.raw) await c.raw.timeout(30_000).emitWithAck("group", { group, context: { text } });
      else await c.telegraph!.api.newGroupMessageFromClient({ group, context: { text }, client_id: text });
      ack.recordValue(Math.max(1, Math.round((now() - due) * 1000)));
      sentAt[text] = due; // only acknowledged messages must reach every member
      acked++;
    } catch (err) {
      const code = (err as { code?: string }).code ?? "no reply";
      errors[code] = (errors[code] ?? 0) + 1;
    }
  };
  const report = (): SendReport => ({ sentAt, ack: encode(ack), acked, errors });
  return { send, report };
}

/** Sends `rate` messages a second in all, the senders in turn, on schedule whether or not earlier ones came back. */
async function sendOpen(clients: GroupClient[], senders: GroupSender[], rate: number, durationMs: number): Promise<SendReport> {
  const { send, report } = sender(clients);
  const pending: Promise<void>[] = [];
  const started = now();
  for (let i = 0; now() - started < durationMs; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // Latency counts from when the message was due (no coordinated omission).
    pending.push(send(senders[i % senders.length]!, Math.max(due, now())));
  }
  await Promise.all(pending);
  return report();
}

/** Each sender sends, waits for the acknowledgement and sends again, until the time is up. */
async function sendClosed(clients: GroupClient[], senders: GroupSender[], durationMs: number): Promise<SendReport> {
  const { send, report } = sender(clients);
  const stopAt = now() + durationMs;
  await Promise.all(
    senders.map(async (s) => {
      while (now() < stopAt) await send(s, now());
    }),
  );
  return report();
}
