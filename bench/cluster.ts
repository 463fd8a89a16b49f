import { randomBytes } from "node:crypto";
import { cpuMeter, pidsNamed, prepareDatabase, startTelegraph } from "./lib/harness.ts";
import { seedUsers } from "./lib/seed.ts";
import { merge, summarize } from "./lib/stats.ts";
import { closeAll, connectCrowd, pairsOf, WORKERS, type Options, type Row } from "./scenarios.ts";

const benchRedisUrl = process.env["BENCH_REDIS_URL"] ?? "redis://127.0.0.1:6379";

interface Outcome {
  histogram: string;
  completed: number;
  errors: number;
  lost: number;
  duplicates: number;
}

/**
 * Two nodes on one PostgreSQL and one Redis, every pair of people split across them (each message crosses nodes),
 * beside one node alone on the same database: closed loop (one message in flight per person) and open loop at
 * 1,000 msg/s. Errors, acknowledged messages never delivered (lost) and deliveries seen twice are counted, and the
 * CPU per delivered message of everything that serves it — the nodes, PostgreSQL, and Redis for the cluster.
 */
export async function cluster(o: Options): Promise<Row[]> {
  if (o.db !== "postgres") return [{ layout: "skipped", note: "two nodes share a PostgreSQL: run with --db=postgres" }];
  const users = o.quick ? 200 : 2000;
  const durationMs = o.quick ? 3000 : 10_000;
  const rate = 1000;
  const prepared = await prepareDatabase("postgres", (db) => seedUsers(db, users));
  const redisPids = await pidsNamed("redis-server");
  const rows: Row[] = [];
  try {
    for (const layout of ["one node", "two nodes"] as const) {
      const env =
        layout === "one node" ? prepared.env : { ...prepared.env, REDIS_URL: benchRedisUrl, REDIS_PREFIX: `bench-${randomBytes(4).toString("hex")}` };
      const nodes = await Promise.all((layout === "one node" ? [0] : [0, 1]).map(() => startTelegraph(env)));
      try {
        for (const loop of ["closed, 1 in flight", `open, ${rate} msg/s`]) {
          const secret = prepared.env["JWT_SECRET"]!;
          const { workers, errors: connectErrors } = await connectCrowd("telegraph", nodes[0]!.url, secret, users, nodes[1]?.url);
          const pairs = pairsOf(users / WORKERS);
          const cpu = await cpuMeter(
            nodes.map((n) => n.child.pid!),
            workers.map((w) => w.pid),
            layout === "two nodes" ? redisPids : [],
          );
          const results = await Promise.all(
            workers.map((w) =>
              w.send<Outcome>(
                loop.startsWith("closed") ? { op: "dm-closed", pairs, inFlight: 1, durationMs } : { op: "dm-open", pairs, rate: rate / WORKERS, durationMs },
              ),
            ),
          );
          const total = (key: "completed" | "errors" | "lost" | "duplicates") => results.reduce((n, r) => n + r[key], 0);
          const spent = await cpu(total("completed"));
          await closeAll(workers);
          rows.push({
            layout,
            loop,
            users,
            "msg/s": Math.round(total("completed") / (durationMs / 1000)),
            "connect errors": connectErrors,
            errors: total("errors"),
            lost: total("lost"),
            duplicates: total("duplicates"),
            latency: summarize(merge(results.map((r) => r.histogram))),
            ...spent,
          });
        }
      } finally {
        for (const n of nodes) n.child.kill("SIGTERM");
        await Promise.all(nodes.map((n) => n.exited));
      }
    }
  } finally {
    await prepared.cleanup();
  }
  const cost = (layout: string, loop: string) => Number(rows.find((r) => r["layout"] === layout && r["loop"] === loop)?.["server+db CPU µs/msg"]);
  const ratios = [...new Set(rows.map((r) => String(r["loop"])))].map((loop) => ({
    layout: "two nodes / one node",
    loop,
    ratio: `${(cost("two nodes", loop) / cost("one node", loop)).toFixed(2)}× CPU per delivered message (target ≤ 1.3×)`,
  }));
  return [...rows, ...ratios];
}
