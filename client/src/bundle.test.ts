import { build } from "esbuild";
import { describe, expect, it } from "vitest";

describe("telegraph-client in a browser bundle", () => {
  it("bundles for the browser without any server code or Node built-in", async () => {
    const result = await build({
      entryPoints: [new URL("./index.ts", import.meta.url).pathname],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((f) => f.includes("socket.io-client"))).toBe(true);
    expect(inputs.filter((f) => f.startsWith("src/") || f.includes("/src/features/") || f.includes("zod"))).toEqual([]);
    const code = result.outputFiles[0]!.text;
    expect(code).toContain("TelegraphClient");
    expect(code).not.toMatch(/from\s*["']node:/);
  });
});
