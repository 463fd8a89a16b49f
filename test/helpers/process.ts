import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

const root = new URL("../..", import.meta.url).pathname;

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export interface NodeProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once it exited. */
  exited: Promise<number | string | null>;
}

/** Runs `npm start`'s entry point as a separate process on 127.0.0.1 and resolves once it listens. */
export async function startNode(env: Record<string, string>, port?: number, nodeArgs: string[] = []): Promise<NodeProcess> {
  const listenOn = port ?? (await freePort());
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { PATH: process.env["PATH"], HOST: "127.0.0.1", LOG_LEVEL: "info", ...env, PORT: String(listenOn) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | string | null>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Telegraph listening")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => reject(new Error(`node exited before listening:\n${output}`)));
  });
  return { child, url: `http://127.0.0.1:${listenOn}`, port: listenOn, output: () => output, exited };
}

/** PostgreSQL connection string that puts every query in `schema` (a node of a test gets its run's schema). */
export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("options", `-c search_path=${schema}`);
  return parsed.toString();
}
