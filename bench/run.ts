// npm run bench -- <scenario|all> [--db=embedded|postgres|both] [--quick] [--rates=1000,2500]
// Every run is bounded in time, stops by itself and talks to 127.0.0.1 only. Results: bench/results/<scenario>-<db>.json
// and a row per measurement appended to bench/results/log.md.
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { scenarios, type Row } from "./scenarios.ts";
import type { Latency } from "./lib/stats.ts";

const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--")) ?? "";
const dbArg = args.find((a) => a.startsWith("--db="))?.slice(5) ?? "both";
const quick = args.includes("--quick");
// --rates=1000,2500: only these dm-open (or group-fanout open-loop) steps (msg/s), for quick before/after comparisons.
const ratesArg = args.find((a) => a.startsWith("--rates="))?.slice(8);
const rates = ratesArg ? ratesArg.split(",").map(Number) : undefined;
if (rates?.some((r) => !Number.isInteger(r) || r <= 0)) {
  console.error(`--rates takes whole messages per second, comma-separated: ${ratesArg}`);
  process.exit(2);
}
const names = name === "all" ? Object.keys(scenarios) : [name];
if (names.some((n) => !scenarios[n]) || !["embedded", "postgres", "both"].includes(dbArg)) {
  console.error(`usage: npm run bench -- <${Object.keys(scenarios).join("|")}|all> [--db=embedded|postgres|both] [--quick] [--rates=1000,2500]`);
  process.exit(2);
}
const dbs = dbArg === "both" ? (["embedded", "postgres"] as const) : [dbArg as "embedded" | "postgres"];
const machine = `${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const cell = (v: Row[string]) =>
  v === undefined ? "" : typeof v === "object" ? `p50 ${(v as Latency).p50} / p90 ${(v as Latency).p90} / p99 ${(v as Latency).p99} / max ${(v as Latency).max} ms` : String(v);

await mkdir("bench/results", { recursive: true });
const deadline = setTimeout(() => {
  console.error("benchmark exceeded 20 minutes; stopping");
  process.exit(1);
}, 20 * 60_000);
deadline.unref();

for (const scenario of names) {
  for (const db of dbs) {
    console.log(`\n## ${scenario} on ${db}${quick ? " (quick)" : ""}`);
    const started = new Date();
    const rows = await scenarios[scenario]!({ db, quick, ...(rates ? { rates } : {}) });
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const table = [`| ${columns.join(" | ")} |`, `| ${columns.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${columns.map((c) => cell(r[c])).join(" | ")} |`)].join("\n");
    console.log(table);
    await writeFile(`bench/results/${scenario}-${db}.json`, JSON.stringify({ scenario, db, quick, machine, started, rows }, null, 2) + "\n");
    await appendFile("bench/results/log.md", `\n### ${scenario} · ${db}${quick ? " · quick" : ""} · ${started.toISOString()}\n${machine}\n\n${table}\n`);
  }
}
process.exit(0);
