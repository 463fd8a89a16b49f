/**
 * The JavaScript for the first screen — the entry chunk and everything it imports statically, not what it loads
 * lazily — is at most 100 KB gzip. Read from the build's manifest (web/dist/.vite/manifest.json), built first when
 * missing or stale.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuildLocked } from "../../scripts/web-build.ts";
import { webDist } from "./helpers/server.ts";

const budgetBytes = 100 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

describe("bundle budget", { timeout: 180_000 }, () => {
  let manifest: Record<string, ManifestChunk> = {};
  beforeAll(async () => {
    const built = await ensureWebBuildLocked({ dist: webDist, quiet: true });
    expect(built, "the web app builds (npm run build:web shows why not)").not.toMatch(/^(failed|no-app)$/);
    manifest = JSON.parse(readFileSync(path.join(webDist, ".vite", "manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  }, 180_000);

  it("keeps the first screen's JavaScript at most 100 KB gzip", () => {
    const entries = Object.keys(manifest).filter((key) => manifest[key]?.isEntry);
    expect(entries.length, "the manifest names an entry").toBeGreaterThan(0);
    const needed = new Set<string>();
    const visit = (key: string) => {
      const chunk = manifest[key];
      if (!chunk || needed.has(chunk.file)) return;
      needed.add(chunk.file);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    for (const entry of entries) visit(entry);
    const sizes = [...needed].filter((file) => file.endsWith(".js")).map((file) => ({
      file,
      gzip: gzipSync(readFileSync(path.join(webDist, file)), { level: 9 }).length,
    }));
    const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
    const report = sizes.map((s) => `${s.file} ${(s.gzip / 1024).toFixed(1)} KB`).join(", ");
    expect(total, `first-screen JS is ${(total / 1024).toFixed(1)} KB gzip: ${report}`).toBeLessThanOrEqual(budgetBytes);
    // Something lazy exists beside it: the first screen does not carry the whole app.
    expect(sizes.length).toBeGreaterThan(0);
  });
});
