import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "telegraph-client";
import { adminQuery, testDatabaseUrl } from "./helpers/database.ts";
import { newRegistration } from "./helpers/factories.ts";
import { post } from "./helpers/http.ts";
import { startNode, withSearchPath, type NodeProcess } from "./helpers/process.ts";

/** Resolves once the process has printed `text` (a log line). */
function printed(node: NodeProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!node.output().includes(text)) return;
      node.child.stdout!.off("data", check);
      node.child.stderr!.off("data", check);
      resolve();
    };
    node.child.stdout!.on("data", check);
    node.child.stderr!.on("data", check);
    check();
  });
}

describe("a feature's stray failure in the real process", { timeout: 60_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("logs an unhandled rejection and a timer's exception, and keeps serving HTTP and sockets", async () => {
    const schema = testDatabaseUrl ? `t_stray_${randomBytes(4).toString("hex")}` : undefined;
    if (schema) {
      await adminQuery(`CREATE SCHEMA ${schema}`);
      cleanups.push(() => adminQuery(`DROP SCHEMA ${schema} CASCADE`));
    }
    const dataDir = await mkdtemp(path.join(tmpdir(), "telegraph-stray-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const node = await startNode(
      {
        DATA_DIR: dataDir,
        JWT_SECRET: randomBytes(32).toString("hex"),
        EMAIL_CONFIRMATION: "off",
        ...(schema ? { DATABASE_URL: withSearchPath(testDatabaseUrl!, schema) } : {}),
      },
      undefined,
      // The test-only preload: SIGUSR2 makes a timer throw and a promise reject (see the file).
      ["--import", path.resolve("test/helpers/faults.mjs")],
    );
    cleanups.push(async () => {
      if (node.child.exitCode === null) node.child.kill("SIGTERM");
      await node.exited;
    });
    const reg = newRegistration();
    await post(node.url, "/register", reg);
    const before = await connect(node.url, {
      accessToken: (await post(node.url, "/login", { username: reg.username, password: reg.password })).body["access_token"] as string,
      reconnection: false,
    });

    const logged = Promise.all([printed(node, "uncaught exception in a callback; still serving"), printed(node, "unhandled promise rejection; still serving")]);
    node.child.kill("SIGUSR2");
    await logged;
    expect(node.output()).toContain("timer callback exploded");
    expect(node.output()).toContain("nobody awaited this");

    // Still the same process, still serving: the socket opened before, HTTP, and a new login and socket.
    expect(node.child.exitCode).toBeNull();
    expect((await before.api.ping({ echo: "before" })).echo).toBe("before");
    expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    const login = await post(node.url, "/login", { username: reg.username, password: reg.password });
    expect(login.status).toBe(200);
    const after = await connect(node.url, { accessToken: login.body["access_token"] as string, reconnection: false });
    expect((await after.api.ping({ echo: "after" })).echo).toBe("after");
    before.close();
    after.close();
  });
});
