import { SignJWT } from "jose";
import { TelegraphClient } from "telegraph-client";
import type { Db } from "../src/db/db.ts";
import { cpuMeter, prepareDatabase, rssOf, split, startRelay, startTelegraph, Worker, type DbKind } from "./lib/harness.ts";
import { seedComments, seedFollowers, seedFollowing, seedTweets, seedUpdates, seedUsers, userId } from "./lib/seed.ts";
import { merge, newHistogram, summarize, type Latency } from "./lib/stats.ts";
import { cluster } from "./cluster.ts";
import { groupFanout } from "./groups.ts";

export interface Options {
  db: DbKind;
  quick: boolean;
  /** dm-open and group-fanout (its open loop): the rate steps to run instead of the default ones. */
  rates?: number[];
}
export type Row = Record<string, string | number | Latency | undefined>;

export const WORKERS = 2;
const now = () => performance.timeOrigin + performance.now();
const mintToken = (n: number, secret: string) =>
  new SignJWT({ user_id: userId(n) }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("2h").sign(new TextEncoder().encode(secret));

/** Runs `body` against a fresh Telegraph process (and the bare relay when asked), then tears everything down. */
export async function withServers<T>(
  o: Options,
  seed: (db: Db) => Promise<void>,
  body: (s: { telegraph: string; relay: string; secret: string; pid: number; relayPid: number }) => Promise<T>,
  serverEnv: Record<string, string> = {},
): Promise<T> {
  const prepared = await prepareDatabase(o.db, seed);
  const node = await startTelegraph(prepared.env, serverEnv);
  const relay = await startRelay();
  try {
    return await body({ telegraph: node.url, relay: relay.url, secret: prepared.env["JWT_SECRET"]!, pid: node.child.pid!, relayPid: relay.child.pid! });
  } finally {
    relay.stop();
    node.child.kill("SIGTERM");
    await node.exited;
    await prepared.cleanup();
  }
}

/**
 * Connects users 1..count across the workers; returns the workers and how long until every one was ready. With
 * `alternate`, every second client of a worker connects to that node instead.
 */
export async function connectCrowd(kind: "telegraph" | "relay", url: string, secret: string, count: number, alternate?: string) {
  const workers = Array.from({ length: WORKERS }, () => new Worker());
  const started = now();
  const results = await Promise.all(
    split(count, WORKERS).map((users, i) =>
      workers[i]!.send<{ histogram: string; connected: number; errors: number }>({
        op: "connect",
        target: { kind, url, secret, ...(alternate ? { alternate } : {}) },
        users: users.map(userId),
      }),
    ),
  );
  const errors = results.reduce((n, r) => n + r.errors, 0);
  return { workers, readyMs: now() - started, connect: summarize(merge(results.map((r) => r.histogram))), errors };
}

export const closeAll = async (workers: Worker[]) => {
  await Promise.all(workers.map((w) => w.send({ op: "close" })));
  for (const w of workers) w.stop();
};

/** Index pairs (within one worker's clients): (0,1), (2,3), … */
export const pairsOf = (n: number) => Array.from({ length: Math.floor(n / 2) }, (_, i) => [2 * i, 2 * i + 1] as [number, number]);

export async function dmClosed(o: Options): Promise<Row[]> {
  const users = o.quick ? 200 : 2000;
  const durationMs = o.quick ? 3000 : 10_000;
  const rows: Row[] = [];
  await withServers(o, (db) => seedUsers(db, users), async (s) => {
    for (const inFlight of [1, 16]) {
      for (const kind of ["relay", "telegraph"] as const) {
        const { workers } = await connectCrowd(kind, kind === "relay" ? s.relay : s.telegraph, s.secret, users);
        const per = users / WORKERS;
        const cpu = await cpuMeter(kind === "relay" ? s.relayPid : s.pid, workers.map((w) => w.pid));
        const results = await Promise.all(
          workers.map((w) => w.send<{ histogram: string; completed: number; errors: number; elapsedMs: number }>({ op: "dm-closed", pairs: pairsOf(per), inFlight, durationMs })),
        );
        const completed = results.reduce((n, r) => n + r.completed, 0);
        const spent = await cpu(completed);
        await closeAll(workers);
        rows.push({
          target: kind,
          users,
          inFlight,
          "msg/s": Math.round(completed / (durationMs / 1000)),
          errors: results.reduce((n, r) => n + r.errors, 0),
          latency: summarize(merge(results.map((r) => r.histogram))),
          ...spent,
        });
      }
    }
  });
  return withRatio(rows, "msg/s", ["inFlight"]);
}

export async function dmOpen(o: Options): Promise<Row[]> {
  const users = o.quick ? 200 : 2000;
  const durationMs = o.quick ? 3000 : 8000;
  const rates = o.rates ?? (o.quick ? [500, 1000] : [1000, 2500, 5000, 10_000]);
  const rows: Row[] = [];
  await withServers(o, (db) => seedUsers(db, users), async (s) => {
    for (const kind of ["relay", "telegraph"] as const) {
      const { workers } = await connectCrowd(kind, kind === "relay" ? s.relay : s.telegraph, s.secret, users);
      for (const rate of rates) {
        const cpu = await cpuMeter(kind === "relay" ? s.relayPid : s.pid, workers.map((w) => w.pid));
        const results = await Promise.all(
          workers.map((w) =>
            w.send<{ histogram: string; completed: number; errors: number; sent: number }>({ op: "dm-open", pairs: pairsOf(users / WORKERS), rate: rate / WORKERS, durationMs }),
          ),
        );
        const latency = summarize(merge(results.map((r) => r.histogram)));
        const spent = await cpu(results.reduce((n, r) => n + r.completed, 0));
        rows.push({
          target: kind,
          users,
          "rate msg/s": rate,
          "sent msg/s": Math.round(results.reduce((n, r) => n + r.sent, 0) / (durationMs / 1000)),
          errors: results.reduce((n, r) => n + r.errors, 0),
          latency,
          "p99<50ms": latency.p99 < 50 ? "yes" : "no",
          ...spent,
        });
      }
      await closeAll(workers);
    }
  });
  return rows;
}

export async function connectStorm(o: Options): Promise<Row[]> {
  const users = o.quick ? 1000 : 10_000;
  const rows: Row[] = [];
  await withServers(o, (db) => seedUsers(db, users), async (s) => {
    for (const kind of ["relay", "telegraph"] as const) {
      const pid = kind === "telegraph" ? s.pid : undefined;
      const before = pid ? await rssOf(pid) : 0;
      const { workers, readyMs, connect, errors } = await connectCrowd(kind, kind === "relay" ? s.relay : s.telegraph, s.secret, users);
      await new Promise((r) => setTimeout(r, 2000)); // idle: let buffers settle
      const after = pid ? await rssOf(pid) : 0;
      await closeAll(workers);
      rows.push({
        target: kind,
        connections: users,
        "all ready s": Math.round(readyMs) / 1000,
        "failed to connect": errors,
        "connect→ready": connect,
        ...(pid ? { "server RSS per connection KiB": Math.round((after - before) / users / 102.4) / 10 } : {}),
      });
    }
  });
  return rows;
}

export async function feed(o: Options): Promise<Row[]> {
  const users = o.quick ? 10_000 : 100_000;
  const tweets = o.quick ? 100_000 : 1_000_000;
  const rounds = o.quick ? 100 : 300;
  const rows: Row[] = [];
  const commentedTweet = (tweets - 1).toString(16).padStart(16, "0"); // the newest tweet's counter part
  await withServers(
    o,
    async (db) => {
      await seedUsers(db, users);
      await seedFollowing(db, 1, 2, 1001);
      await seedTweets(db, tweets, users - 1);
      const [newest] = await db.query<{ id: string }>("SELECT id FROM tweets WHERE id LIKE $1", [`%${commentedTweet}`]);
      await seedComments(db, newest!.id, 1000);
    },
    async (s) => {
      const client = await new TelegraphClient(s.telegraph, { accessToken: await mintToken(1, s.secret), reconnection: false }).open();
      const measure = async (label: string, call: () => Promise<unknown>) => {
        const histogram = newHistogram();
        for (let i = 0; i < rounds; i++) {
          const t0 = now();
          await call();
          histogram.recordValue(Math.max(1, Math.round((now() - t0) * 1000)));
        }
        rows.push({ query: label, dataset: `${users} users, ${tweets} tweets, following 1000`, latency: summarize(histogram) });
      };
      const first = await client.api.getHomeFeed();
      const tweetId = (await client.api.getTweetsOfAnUser(userId(2)))[0]!.id;
      const commented = (await client.api.getTweetsOfAnUser(userId(2 + ((tweets - 1) % (users - 1)))))[0]!.id;
      await measure("home feed, first page", () => client.api.getHomeFeed());
      await measure("home feed, next page (before)", () => client.api.getHomeFeed({ before: first.at(-1)!.id }));
      await measure("user timeline, first page", () => client.api.getTweetsOfAnUser(userId(2), 1));
      await measure("comments, page 1", () => client.api.getComments(commented, 1));
      await measure("comments, after cursor", () => client.api.getComments({ tweetId: commented, after: "0".repeat(24) }));
      void tweetId;
      client.close();
    },
  );
  return rows;
}

export async function catchUp(o: Options): Promise<Row[]> {
  const missed = 1000;
  const rounds = o.quick ? 10 : 100;
  const warmUp = 5; // not recorded: the first connections compile code paths and prepare statements
  const rows: Row[] = [];
  await withServers(
    o,
    async (db) => {
      await seedUsers(db, 2);
      await seedUpdates(db, missed);
    },
    async (s) => {
      const histogram = newHistogram();
      const token = await mintToken(1, s.secret);
      for (let i = -warmUp; i < rounds; i++) {
        const t0 = now();
        const client = new TelegraphClient(s.telegraph, { accessToken: token, reconnection: false, lastSeq: 0 });
        const first = client.next("syncFromServer");
        await client.open();
        let page = (await first) as { updates: { seq: number }[]; complete: boolean };
        while (!page.complete) page = (await client.api.getUpdates({ since: page.updates.at(-1)!.seq, limit: 500 })) as typeof page;
        if (i >= 0) histogram.recordValue(Math.max(1, Math.round((now() - t0) * 1000)));
        client.close();
      }
      rows.push({ scenario: `reconnect after ${missed} missed updates, until complete`, latency: summarize(histogram) });
    },
  );
  return rows;
}

export async function fanOut(o: Options): Promise<Row[]> {
  const followers = o.quick ? 1000 : 10_000;
  const rows: Row[] = [];
  await withServers(
    o,
    async (db) => {
      await seedUsers(db, followers + 1);
      await seedFollowers(db, 1, 2, followers + 1);
    },
    async (s) => {
      const workers = Array.from({ length: WORKERS }, () => new Worker());
      const ranges = split(followers, WORKERS).map((r) => r.map((n) => n + 1));
      await Promise.all(ranges.map((users, i) => workers[i]!.send({ op: "connect", target: { kind: "telegraph", url: s.telegraph, secret: s.secret }, users: users.map(userId) })));
      await Promise.all(workers.map((w) => w.send({ op: "listen-tweets" })));
      const poster = await new TelegraphClient(s.telegraph, { accessToken: await mintToken(1, s.secret), reconnection: false }).open();
      const t0 = now();
      await poster.api.addNewTweet("to all my followers");
      await new Promise((r) => setTimeout(r, o.quick ? 2000 : 5000));
      const arrivals = (await Promise.all(workers.map((w) => w.send<{ arrivals: number[] }>({ op: "report-tweets" })))).flatMap((r) => r.arrivals);
      const histogram = newHistogram();
      for (const at of arrivals) histogram.recordValue(Math.max(1, Math.round((at - t0) * 1000)));
      rows.push({ followers, received: arrivals.length, "until the last (ms)": summarize(histogram).max, latency: summarize(histogram) });
      poster.close();
      await closeAll(workers);
    },
  );
  return rows;
}

/**
 * 50 users exchanging messages (open loop, 200 msg/s in all), measured without and then with one more user flooding
 * the server with thousands of events a second — valid, invalid and undeclared — from its own process. Real budgets
 * here (the normal users stay well inside theirs); the flooder is refused, disconnected after ABUSE_DISCONNECT_AFTER
 * and reconnects at once, as a hostile client would.
 */
export async function flood(o: Options): Promise<Row[]> {
  const users = 50;
  const rate = 200;
  const floodRate = 5000;
  const durationMs = o.quick ? 4000 : 10_000;
  const rows: Row[] = [];
  await withServers(
    o,
    (db) => seedUsers(db, users + 1),
    async (s) => {
      const { workers } = await connectCrowd("telegraph", s.telegraph, s.secret, users);
      const pairs = pairsOf(users / WORKERS);
      const exchange = () =>
        Promise.all(
          workers.map((w) => w.send<{ histogram: string; completed: number; errors: number }>({ op: "dm-open", pairs, rate: rate / WORKERS, durationMs })),
        );
      await Promise.all(workers.map((w) => w.send({ op: "dm-open", pairs, rate: rate / WORKERS, durationMs: 2000 }))); // warm-up, not recorded
      const measure = async (label: string, floodTarget?: "telegraph" | "relay") => {
        const flooder = floodTarget ? new Worker() : undefined;
        const cpu = await cpuMeter(s.pid, [...workers, ...(flooder ? [flooder] : [])].map((w) => w.pid));
        const flooding = flooder?.send<{ sent: number; refused: number; invalid: number; accepted: number; disconnects: number }>({
          op: "flood",
          target: { kind: floodTarget!, url: floodTarget === "relay" ? s.relay : s.telegraph, secret: s.secret },
          user: userId(users + 1),
          victim: userId(1),
          rate: floodRate,
          durationMs: durationMs + 500,
        });
        const results = await exchange();
        const f = await flooding;
        flooder?.stop();
        const completed = results.reduce((n, r) => n + r.completed, 0);
        const { "server busy %": serverBusy, "machine busy %": machineBusy } = await cpu(completed);
        rows.push({
          run: label,
          users,
          "rate msg/s": rate,
          delivered: completed,
          errors: results.reduce((n, r) => n + r.errors, 0),
          latency: summarize(merge(results.map((r) => r.histogram))),
          "flooder events/s": f ? Math.round(f.sent / ((durationMs + 500) / 1000)) : 0,
          "flooder refused / invalid / served": f ? `${f.refused} / ${f.invalid} / ${f.accepted}` : "",
          "flooder disconnected": f ? f.disconnects : "",
          "server busy %": serverBusy,
          "machine busy %": machineBusy,
        });
      };
      await measure("without flooder");
      await measure("with flooder", "telegraph");
      // The same flooder aimed at the bare relay: what its own CPU on this shared host costs the others.
      await measure("flooder on the relay instead (control)", "relay");
      await closeAll(workers);
    },
    { EVENT_RATE_LIMIT: "100/10", EVENT_RATE_LIMIT_WRITE: "100/10", ABUSE_DISCONNECT_AFTER: "5s" },
  );
  const [calm, flooded, control] = rows.map((r) => (r["latency"] as Latency).p99);
  return [
    ...rows,
    { run: "p99 with / without", ratio: `${(flooded! / calm!).toFixed(2)}× (target ≤ 2×)` },
    { run: "p99 with / control", ratio: `${(flooded! / control!).toFixed(2)}×` },
  ];
}

/** Adds each Telegraph row's share of the relay's figure measured in the same run. */
function withRatio(rows: Row[], metric: string, keys: string[]): Row[] {
  return rows.map((row) => {
    if (row["target"] !== "telegraph") return row;
    const relay = rows.find((r) => r["target"] === "relay" && keys.every((k) => r[k] === row[k]));
    const ratio = relay ? Number(row[metric]) / Number(relay[metric]) : undefined;
    return ratio === undefined ? row : { ...row, "vs relay": `${Math.round(ratio * 100)} %` };
  });
}

export const scenarios: Record<string, (o: Options) => Promise<Row[]>> = {
  cluster,
  "dm-closed": dmClosed,
  "dm-open": dmOpen,
  "connect-storm": connectStorm,
  feed,
  "catch-up": catchUp,
  "fan-out": fanOut,
  flood,
  "group-fanout": groupFanout,
};
