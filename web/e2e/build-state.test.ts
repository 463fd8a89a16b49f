/** When `npm start` and the browser tests rebuild the web app: the output is missing, or older than a source. */
import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot, webBuildState, webDistDir } from "../../scripts/web-build.ts";

describe("web build state", () => {
  let dist = "";
  afterAll(() => rm(dist, { recursive: true, force: true }));

  it("is missing without index.html, stale when older than web/ sources, fresh when newer", async () => {
    dist = await mkdtemp(path.join(tmpdir(), "telegraph-dist-"));
    expect(webBuildState(dist)).toBe("missing");
    const index = path.join(dist, "index.html");
    await writeFile(index, "<!doctype html>");
    await utimes(index, new Date(0), new Date(0));
    expect(webBuildState(dist)).toBe("stale");
    const future = new Date(Date.now() + 3_600_000);
    await utimes(index, future, future);
    expect(webBuildState(dist)).toBe("fresh");
  });

  it("reads WEB_DIST relative to the working directory, default web/dist of the checkout", () => {
    expect(webDistDir({})).toBe(path.join(repoRoot, "web", "dist"));
    expect(webDistDir({ WEB_DIST: "some/dir" })).toBe(path.resolve("some/dir"));
  });
});
