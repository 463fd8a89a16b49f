/**
 * The web app's build, shared by `npm install` (prepare), `npm start` and the browser tests: is `WEB_DIST` missing or
 * older than the app's sources, and if so run `vite build --config web/vite.config.ts` in a child process.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export const repoRoot = path.resolve(new URL("..", import.meta.url).pathname);

export type WebBuildState = "no-app" | "missing" | "stale" | "fresh";

/** WEB_DIST as the server reads it: relative to the working directory, default `web/dist` of this checkout. */
export function webDistDir(env: NodeJS.ProcessEnv = process.env): string {
  const dist = env["WEB_DIST"];
  return dist ? path.resolve(dist) : path.join(repoRoot, "web", "dist");
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** The app's sources whose change makes a build stale (it bundles the typed client from its source). */
const sources = ["web/src", "web/public", "web/index.html", "web/vite.config.ts", "web/tsconfig.json", "client/src"];

export function webBuildState(dist: string = webDistDir()): WebBuildState {
  if (!existsSync(path.join(repoRoot, "web", "vite.config.ts"))) return "no-app";
  const built = path.join(dist, "index.html");
  if (!existsSync(built)) return "missing";
  const builtAt = statSync(built).mtimeMs;
  const newestSource = Math.max(...sources.map((s) => newestMtime(path.join(repoRoot, s))));
  return newestSource > builtAt ? "stale" : "fresh";
}

/** Runs Vite's build; resolves with its exit code (the build's own output goes to stderr, stdout stays for logs). */
export function runViteBuild(options: { outDir?: string; quiet?: boolean } = {}): Promise<number> {
  const vite = path.join(repoRoot, "node_modules", "vite", "bin", "vite.js");
  if (!existsSync(vite)) return Promise.resolve(127);
  const args = [vite, "build", "--config", "web/vite.config.ts"];
  if (options.outDir) args.push("--outDir", options.outDir, "--emptyOutDir");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: repoRoot,
      stdio: ["ignore", options.quiet ? "ignore" : process.stderr, options.quiet ? "pipe" : process.stderr],
    });
    let errors = "";
    child.stderr?.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    child.once("error", () => resolve(127));
    child.once("exit", (code) => {
      if (code !== 0 && options.quiet && errors) process.stderr.write(errors);
      resolve(code ?? 1);
    });
  });
}

/**
 * Builds when the output is missing or stale. Returns what happened; never throws, so a failed build leaves the
 * caller free to go on without the app.
 */
export async function ensureWebBuild(options: { dist?: string; log?: (line: string) => void; quiet?: boolean } = {}): Promise<WebBuildState | "built" | "failed"> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dist = options.dist ?? webDistDir();
  const state = webBuildState(dist);
  if (state === "no-app") {
    log("web app: no web app to build (web/vite.config.ts is absent)");
    return state;
  }
  if (state === "fresh") return state;
  log(`web app: ${dist} is ${state}; building it (vite build --config web/vite.config.ts)`);
  const outDir = path.resolve(dist) === path.join(repoRoot, "web", "dist") ? undefined : dist;
  const code = await runViteBuild({ ...(outDir ? { outDir } : {}), ...(options.quiet ? { quiet: true } : {}) });
  if (code !== 0) {
    log(`web app: the build failed (exit code ${code}); continuing without it`);
    return "failed";
  }
  log("web app: built");
  return "built";
}

/**
 * `ensureWebBuild` for test files that run in parallel workers: one builds while the others wait on a lock directory
 * next to the output, then find the build fresh.
 */
export async function ensureWebBuildLocked(options: { dist?: string; quiet?: boolean } = {}): Promise<WebBuildState | "built" | "failed"> {
  const { mkdirSync, rmSync } = await import("node:fs");
  const dist = options.dist ?? webDistDir();
  const lock = `${dist.replace(/\/+$/, "")}.build-lock`;
  const deadline = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock, { recursive: false });
      break;
    } catch {
      // A lock older than five minutes belongs to a run that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the web build lock ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return await ensureWebBuild({ dist, ...(options.quiet ? { quiet: true, log: () => {} } : {}) });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
