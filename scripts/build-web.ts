/**
 * `npm install` runs this (prepare): build the web app when `WEB_DIST` is missing or stale. It never fails the
 * install — a failed build is a warning, and `npm start` tries again.
 */
import { ensureWebBuild } from "./web-build.ts";

if (process.env["WEB_APP"] === "off") {
  console.error("web app: WEB_APP=off, not building it");
} else {
  const result = await ensureWebBuild();
  if (result === "failed") console.error("warning: the web app was not built; npm start will try again");
}
