// A load-generator process (forked by bench/run.ts): opens connections to Telegraph or to the bare relay, drives one
// scenario step at a time on command, and reports latencies as HDR histograms. It only talks to 127.0.0.1.
import { SignJWT } from "jose";
import { io, type Socket } from "socket.io-client";
import { TelegraphClient } from "telegraph-client";
import { encode, newHistogram } from "./lib/stats.ts";
import { runGroupCommand, type GroupCommand } from "./group-load.ts";

/** `alternate`: a second node; then every odd-numbered client of a worker connects to it (pairs split across nodes). */
export type Target = { kind: "telegraph" | "relay"; url: string; secret: string; alternate?: string };
export type Command =
  | { op: "connect"; target: Target; users: string[] }
  | { op: "dm-closed"; pairs: [number, number][]; inFlight: number; durationMs: number }
  | { op: "dm-open"; pairs: [number, number][]; rate: number; durationMs: number }
  | { op: "flood"; target: Target; user: string; victim: string; rate: number; durationMs: number }
  | { op: "listen-tweets" }
  | { op: "report-tweets" }
  | { op: "close" }
  | GroupCommand;

const now = () => performance.timeOrigin + performance.now();
const clients: { user: string; telegraph?: TelegraphClient; raw?: Socket }[] = [];
let target: Target;
let tweetArrivals: number[] = [];

async function token(user: string, secret: string): Promise<string> {
  return new SignJWT({ user_id: user }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("2h").sign(new TextEncoder().encode(secret));
}

/** Opens every connection and waits until each got its bootstrap (Telegraph) or its `ready` (relay). */
async function connectAll(users: string[]) {
  const histogram = newHistogram();
  const started = now();
  let errors = 0;
  const open = async (user: string, index: number) => {
    const t0 = now();
    const url = index % 2 === 1 && target.alternate ? target.alternate : target.url;
    try {
    if (target.kind === "relay") {
      const raw = io(url, { transports: ["websocket"], auth: { user }, reconnection: false, timeout: 120_000 });
      await new Promise<void>((resolve, reject) => {
        raw.once("ready", () => resolve());
        raw.once("connect_error", reject);
      });
      clients[index] = { user, raw };
    } else {
      const client = new TelegraphClient(url, {
        accessToken: await token(user, target.secret),
        reconnection: false,
        requestTimeout: 30_000,
        timeout: 120_000,
      });
      const boot = Promise.all(
        ["allUnreadMsgFromServer", "SendChatListFromServer", "sendAllFollowingStorysInfoFromServer", "sendTweetToClientFromServer"].map((event) =>
          client.next(event as "allUnreadMsgFromServer", { timeoutMs: 120_000 }),
        ),
      );
      boot.catch(() => undefined); // awaited below; a failed open must not leave it unhandled
      await client.open();
      await boot;
      clients[index] = { user, telegraph: client };
    }
    histogram.recordValue(Math.max(1, Math.round((now() - t0) * 1000)));
    } catch {
      errors++;
    }
  };
  // Opened in waves, as a crowd of devices would: all at once would only measure the listen backlog.
  const wave = 200;
  // Each client keeps its place in the list, so that pairs (2i, 2i+1) are the same people whatever order they opened in.
  for (let i = 0; i < users.length; i += wave) await Promise.all(users.slice(i, i + wave).map((u, j) => open(u, i + j)));
  return { histogram: encode(histogram), elapsedMs: now() - started, connected: clients.filter(Boolean).length, errors };
}

/** What a run saw beyond latencies: acknowledged messages never delivered, and deliveries of a message seen twice. */
export const LOST = "acknowledged, not delivered within 30 s";
let duplicates = 0;

/** Sends from `from` to `to`; resolves with the delivery latency once the recipient has it and the sender has the ack. */
function makeSender() {
  const waiting = new Map<string, { t0: number; acked: boolean; delivered: boolean; resolve: (ms: number) => void }>();
  const deliveredKeys = new Set<string>();
  duplicates = 0;
  let seq = 0;
  const done = (key: string) => {
    const w = waiting.get(key);
    if (w && w.acked && w.delivered) {
      waiting.delete(key);
      w.resolve(now() - w.t0);
    }
  };
  for (const c of clients.filter(Boolean)) {
    const onMessage = (m: { context?: { text?: string | null }; body?: string }) => {
      const key = m.context?.text ?? m.body ?? "";
      if (deliveredKeys.has(key)) duplicates++;
      else deliveredKeys.add(key);
      const w = waiting.get(key);
      if (w) {
        w.delivered = true;
        done(key);
      }
    };
    c.telegraph?.on("singleUnreadMsgFromServer", onMessage);
    c.raw?.on("dm", onMessage);
  }
  return (from: number, to: number) =>
    new Promise<number>((resolve, reject) => {
      const key = `${process.pid}:${++seq}`;
      waiting.set(key, { t0: now(), acked: false, delivered: false, resolve });
      // A message that is never delivered (its recipient dropped under overload) counts as an error, not a hang.
      setTimeout(() => {
        const w = waiting.get(key);
        if (w && waiting.delete(key)) reject(new Error(w.acked ? LOST : "not acknowledged and delivered within 30 s"));
      }, 30_000).unref();
      const sender = clients[from]!;
      const onAck = () => {
        const w = waiting.get(key);
        if (w) {
          w.acked = true;
          done(key);
        }
      };
      if (sender.raw) sender.raw.emit("dm", { to: clients[to]!.user, body: key }, onAck);
      else sender.telegraph!.api.newMessageFromClient({ to: clients[to]!.user, context: { text: key } }).then(onAck, reject);
    });
}

async function dmClosed(pairs: [number, number][], inFlight: number, durationMs: number) {
  const send = makeSender();
  const histogram = newHistogram();
  let completed = 0;
  let errors = 0;
  let lost = 0;
  const stopAt = now() + durationMs;
  const loop = async (from: number, to: number) => {
    while (now() < stopAt) {
      try {
        histogram.recordValue(Math.max(1, Math.round((await send(from, to)) * 1000)));
        completed++;
      } catch (err) {
        if ((err as Error).message === LOST) lost++;
        else errors++;
      }
    }
  };
  const started = now();
  await Promise.all(pairs.flatMap(([a, b]) => [...Array.from({ length: inFlight }, () => loop(a, b)), ...Array.from({ length: inFlight }, () => loop(b, a))]));
  return { histogram: encode(histogram), completed, errors, lost, duplicates, elapsedMs: now() - started };
}

async function dmOpen(pairs: [number, number][], rate: number, durationMs: number) {
  const send = makeSender();
  const histogram = newHistogram();
  let completed = 0;
  let errors = 0;
  let lost = 0;
  const pending: Promise<void>[] = [];
  const interval = 1000 / rate;
  const started = now();
  let i = 0;
  // Open loop: messages leave on schedule whether or not earlier ones came back (no coordinated omission).
  while (now() - started < durationMs) {
    const due = started + i * interval;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const [a, b] = pairs[i % pairs.length]!;
    const [from, to] = i % 2 ? [b, a] : [a, b];
    // Latency counts from when the message was due (no coordinated omission), or from when it left if the timer
    // (1 ms granularity) let it leave a little early.
    const intended = Math.max(due, now());
    pending.push(
      send(from, to).then(
        () => {
          histogram.recordValue(Math.max(1, Math.round((now() - intended) * 1000)));
          completed++;
        },
        (err: Error) => void (err.message === LOST ? lost++ : errors++),
      ),
    );
    i++;
  }
  await Promise.all(pending);
  return { histogram: encode(histogram), completed, errors, lost, duplicates, sent: i, elapsedMs: now() - started };
}

/**
 * One client sending `rate` events a second for `durationMs`: in turn a valid ping, a ping with invalid arguments, an
 * undeclared event and a valid message to `victim`. Replies are counted by outcome; when the server disconnects it, it
 * reconnects at once and goes on.
 */
async function floodFrom(user: string, victim: string, rate: number, durationMs: number) {
  const accessToken = await token(user, target.secret);
  const counts = { sent: 0, refused: 0, invalid: 0, accepted: 0, disconnects: 0 };
  const started = now();
  let socket: Socket | undefined;
  const open = () => {
    const auth = target.kind === "relay" ? { user } : { accessToken };
    const s = io(target.url, { transports: ["websocket"], auth, reconnection: false });
    s.on("errorFromServer", (e: { code: string }) => void (e.code === "rate_limited" ? counts.refused++ : counts.invalid++));
    s.on("pong", () => void counts.accepted++);
    s.on("disconnectFromServer", () => void counts.disconnects++);
    s.on("disconnect", () => {
      if (now() - started < durationMs) socket = open();
    });
    return s;
  };
  socket = open();
  await new Promise<void>((resolve) => socket!.once("connect", () => resolve()));
  if (target.kind === "relay") await new Promise((r) => setTimeout(r, 100)); // its "ready" follows the connect
  let k = 0;
  while (now() - started < durationMs) {
    const due = Math.floor(((now() - started) * rate) / 1000);
    for (; k < due; k++) {
      if (!socket.connected) continue; // reconnecting: these are not sent
      counts.sent++;
      switch (k % 4) {
        case 0:
          socket.emit("ping");
          break;
        case 1:
          // (the bare relay's ping takes no arguments: there, another undeclared event)
          socket.emit(target.kind === "relay" ? "pingg" : "ping", { echo: 42, extra: true });
          break;
        case 2:
          socket.emit(`junk${k}`, { k });
          break;
        default:
          socket.emit("newMessageFromClient", { to: victim, context: { text: `flood ${k}` } }, (reply: { ok: boolean; error?: { code: string } }) => {
            if (reply.ok) counts.accepted++;
            else if (reply.error?.code === "rate_limited") counts.refused++;
            else counts.invalid++;
          });
      }
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  socket.disconnect();
  return counts;
}

process.on("message", async (command: Command) => {
  try {
    let result: unknown;
    switch (command.op) {
      case "connect":
        target = command.target;
        result = await connectAll(command.users);
        break;
      case "dm-closed":
        result = await dmClosed(command.pairs, command.inFlight, command.durationMs);
        break;
      case "dm-open":
        result = await dmOpen(command.pairs, command.rate, command.durationMs);
        break;
      case "flood":
        target = command.target;
        result = await floodFrom(command.user, command.victim, command.rate, command.durationMs);
        break;
      case "listen-tweets":
        tweetArrivals = [];
        for (const c of clients.filter(Boolean)) c.telegraph?.on("sendTweetToClientFromServer", () => tweetArrivals.push(now()));
        result = { listening: clients.length };
        break;
      case "report-tweets":
        result = { arrivals: tweetArrivals };
        break;
      case "group-join":
      case "group-listen":
      case "group-report":
      case "group-send-open":
      case "group-send-closed":
        result = await runGroupCommand(clients, command);
        break;
      case "close":
        for (const c of clients.filter(Boolean)) {
          c.telegraph?.close();
          c.raw?.disconnect();
        }
        clients.length = 0;
        result = { closed: true };
        break;
    }
    process.send!({ ok: true, result });
  } catch (err) {
    process.send!({ ok: false, error: String(err instanceof Error ? err.stack : err) });
  }
});
