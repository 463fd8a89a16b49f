import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type TelegraphClient } from "telegraph-client";
import { newRegistration } from "./helpers/factories.ts";
import { post } from "./helpers/http.ts";
import { startNode } from "./helpers/process.ts";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;

/** Runs the server on dataDir, expecting it to refuse to start: its exit code and what it printed. */
function startExpectingFailure(dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { PATH: process.env["PATH"], HOST: "127.0.0.1", PORT: "0", DATA_DIR: dataDir, JWT_SECRET: "s".repeat(40), LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

/** Every file under dir, relative, sorted. */
async function filesOf(dir: string): Promise<string[]> {
  return (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** Mounts a tmpfs of `megabytes` on dir (root on Linux); false where mounting is not allowed. */
async function mountTmpfs(dir: string, megabytes: number): Promise<boolean> {
  return run("mount", ["-t", "tmpfs", "-o", `size=${megabytes}m`, "tmpfs", dir]).then(
    () => true,
    () => false,
  );
}

describe("the embedded database (DATA_DIR) when its files are damaged or the disk is full", () => {
  let work = "";
  let pristine = "";
  const mounts: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "telegraph-embedded-"));
    pristine = path.join(work, "pristine");
    // One real start creates a database (with its migrations) to damage copies of.
    const node = await startNode({ DATA_DIR: pristine, JWT_SECRET: "s".repeat(40) });
    node.child.kill("SIGTERM");
    expect(await node.exited).toBe(0);
  }, 60_000);

  afterAll(async () => {
    for (const mount of mounts) await run("umount", [mount]).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  });

  const copyOf = async (name: string) => {
    const dir = path.join(work, name);
    await cp(pristine, dir, { recursive: true });
    return dir;
  };

  it("refuses to start on a damaged control file, names the path, and deletes nothing", async () => {
    const dataDir = await copyOf("corrupt");
    const pgdata = path.join(dataDir, "pgdata");
    const garbage = randomBytes(8192);
    await writeFile(path.join(pgdata, "global", "pg_control"), garbage);
    const before = await filesOf(pgdata);

    const { code, output } = await startExpectingFailure(dataDir);
    expect(code).toBe(1);
    expect(output).toContain(`Telegraph could not start: The embedded database in ${pgdata} could not be opened`);
    expect(output).not.toContain("Telegraph listening");
    expect(await filesOf(pgdata)).toEqual(before);
    expect((await readFile(path.join(pgdata, "global", "pg_control"))).equals(garbage)).toBe(true);
  });

  it("refuses a directory with files but no PG_VERSION instead of creating a database over it", async () => {
    const dataDir = await copyOf("no-version");
    const pgdata = path.join(dataDir, "pgdata");
    await rm(path.join(pgdata, "PG_VERSION"));
    const before = await filesOf(pgdata);

    const { code, output } = await startExpectingFailure(dataDir);
    expect(code).toBe(1);
    expect(output).toContain(`The embedded database directory ${pgdata} has files but no PG_VERSION`);
    expect(await filesOf(pgdata)).toEqual(before);
  });

  it("refuses to start on a full disk, names the path, and deletes nothing", async (ctx) => {
    const dataDir = path.join(work, "full");
    await mkdir(dataDir);
    // A tmpfs just big enough for the database, then filled up (needs root on Linux, as in CI's container).
    if (!(await mountTmpfs(dataDir, 64))) ctx.skip("mounting a tmpfs is not allowed here (needs root on Linux)");
    mounts.push(dataDir);
    await cp(pristine, dataDir, { recursive: true });
    const pgdata = path.join(dataDir, "pgdata");
    await run("dd", ["if=/dev/zero", `of=${path.join(dataDir, "filler")}`, "bs=1M", "count=100"]).catch(() => undefined);
    const before = await filesOf(pgdata);

    const { code, output } = await startExpectingFailure(dataDir);
    expect(code).toBe(1);
    expect(output).toContain(`The embedded database in ${pgdata} could not be opened`);
    expect(output).toContain("disk is full");
    expect(await filesOf(pgdata)).toEqual(before);
  });

  it("stops with a clear error naming the path when the disk fills while it runs, and keeps what it acknowledged", async (ctx) => {
    const dataDir = path.join(work, "full-later");
    await mkdir(dataDir);
    if (!(await mountTmpfs(dataDir, 64))) ctx.skip("mounting a tmpfs is not allowed here (needs root on Linux)");
    mounts.push(dataDir);
    await cp(pristine, dataDir, { recursive: true });
    const pgdata = path.join(dataDir, "pgdata");
    const env = { DATA_DIR: dataDir, JWT_SECRET: "s".repeat(40), EMAIL_CONFIRMATION: "off", EVENT_RATE_LIMIT_WRITE: "100000/10" };
    const node = await startNode(env);
    const register = async () => {
      const reg = newRegistration();
      await post(node.url, "/register", reg);
      const login = await post(node.url, "/login", { username: reg.username, password: reg.password });
      return { id: login.body["user_id"] as string, token: login.body["access_token"] as string, reg };
    };
    const alice = await register();
    const bob = await register();
    const a: TelegraphClient = await connect(node.url, { accessToken: alice.token, reconnection: false, requestTimeout: 5000 });
    const acked: string[] = [];
    for (let i = 0; i < 10; i++) acked.push((await a.api.newMessageFromClient({ to: bob.id, context: { text: `before ${i}` } })).id);
    const filler = path.join(dataDir, "filler");
    await run("dd", ["if=/dev/zero", `of=${filler}`, "bs=1M", "count=100"]).catch(() => undefined);

    // Incompressible messages until the database needs space it cannot get.
    let exited = false;
    void node.exited.then(() => (exited = true));
    const deadline = Date.now() + 40_000;
    while (!exited && Date.now() < deadline) {
      await Promise.all(
        Array.from({ length: 20 }, () =>
          a.api.newMessageFromClient({ to: bob.id, context: { text: randomBytes(2048).toString("hex") } }).then(
            (m) => void acked.push(m.id),
            () => undefined,
          ),
        ),
      );
    }
    a.close();
    expect(await node.exited).toBe(1);
    expect(node.output()).toContain(`Telegraph stopped: The embedded database in ${pgdata} cannot write`);

    // Nothing deleted: with space freed it starts again and has the acknowledged messages.
    await rm(filler);
    const again = await startNode(env);
    try {
      const login = await post(again.url, "/login", { username: alice.reg.username, password: alice.reg.password });
      const client = await connect(again.url, { accessToken: login.body["access_token"] as string, reconnection: false });
      const newest = await client.api.getChatMessages({ with: bob.id, limit: 100 });
      const stored = new Set(newest.map((m) => m.id));
      expect(acked.slice(-10).filter((id) => !stored.has(id))).toEqual([]);
      client.close();
    } finally {
      again.child.kill("SIGTERM");
      await again.exited;
    }
  }, 90_000);
});
