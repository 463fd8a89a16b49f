/**
 * `npm start`: build the web app if its output is missing or older than its sources (unless WEB_APP=off), then run
 * the server exactly as `tsx src/main.ts` does — its signals, logs and exit codes are the server's own. A build that
 * fails is logged and the server starts without the app.
 */
import { ensureWebBuild } from "./web-build.ts";

if (process.env["WEB_APP"] !== "off") {
  try {
    await ensureWebBuild();
  } catch (err) {
    console.error(`web app: could not check or build it (${err instanceof Error ? err.message : String(err)}); continuing without it`);
  }
}
await import("../src/main.ts");
