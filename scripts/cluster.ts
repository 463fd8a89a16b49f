// Starts N Telegraph nodes on consecutive ports against the configured PostgreSQL and Redis, for trying a cluster out:
//   DATABASE_URL=postgres://… REDIS_URL=redis://… npm run cluster -- 3
// Ports start at PORT (3000). Every node shares JWT_SECRET (generated for this run when unset) and DATA_DIR.
// Ctrl-C stops them all, each gracefully.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";

const count = Number(process.argv[2] ?? 3);
if (!Number.isInteger(count) || count < 1 || count > 32) {
  console.error("usage: npm run cluster -- <number of nodes, 1-32>");
  process.exit(2);
}
for (const name of ["DATABASE_URL", "REDIS_URL"]) {
  if (!process.env[name]) {
    console.error(`${name} must be set: a cluster shares one PostgreSQL and one Redis.`);
    process.exit(2);
  }
}
const basePort = Number(process.env["PORT"] ?? 3000);
const jwtSecret = process.env["JWT_SECRET"] || randomBytes(32).toString("hex");
const nodes: ChildProcess[] = [];

for (let i = 0; i < count; i++) {
  const port = basePort + i;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { ...process.env, PORT: String(port), JWT_SECRET: jwtSecret, NODE_ID: `node-${port}` },
    stdio: "inherit",
  });
  child.on("exit", (code, signal) => console.log(`node on port ${port} exited (${signal ?? code})`));
  nodes.push(child);
}
console.log(`started ${count} nodes on ports ${basePort}–${basePort + count - 1}; put a load balancer in front (see README)`);

const stop = () => {
  for (const node of nodes) node.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
