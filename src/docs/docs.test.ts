import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { envSchema } from "../config.ts";
import { clientEventTable, serverPushTable } from "../realtime/protocol.ts";
import { errorCodes } from "../shared/errors.ts";
import { buildAsyncApi } from "./asyncapi.ts";
import { generatedDocs, generatedSources } from "./generated.ts";

describe("generated documents", () => {
  it.each(Object.entries(generatedDocs()))("docs/%s matches what the declarations generate (run `npm run docs`)", async (file, content) => {
    expect(await readFile(new URL(`../../docs/${file}`, import.meta.url), "utf8")).toBe(content);
  });

  it.each(Object.entries(generatedSources()))("%s matches what the declarations generate (run `npm run docs`)", async (file, content) => {
    expect(await readFile(new URL(`../../${file}`, import.meta.url), "utf8")).toBe(content);
  });

  it("documents every error code, in the protocol reference and the README", async () => {
    const reference = generatedDocs()["protocol.md"]!;
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    for (const code of errorCodes) {
      expect(reference).toContain(`| \`${code}\` |`);
      expect(readme).toContain(`\`${code}\``);
    }
  });

  it("documents every environment variable in the README's configuration tables", async () => {
    const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
    const undocumented = Object.keys(envSchema.shape).filter((name) => !readme.includes(`| \`${name}\` |`));
    expect(undocumented).toEqual([]);
  });

  it("lists every declared event, with its reply, in the AsyncAPI document", () => {
    const doc = buildAsyncApi() as { asyncapi: string; operations: Record<string, { action: string; reply?: unknown }> };
    expect(doc.asyncapi).toBe("3.0.0");
    for (const name of Object.keys(clientEventTable)) {
      expect(doc.operations[name]).toMatchObject({ action: "receive", reply: expect.any(Object) });
    }
    for (const name of Object.keys(serverPushTable)) expect(doc.operations[name]).toMatchObject({ action: "send" });
  });

  it("declares an example for every event that its own schemas accept", () => {
    for (const [name, def] of Object.entries(clientEventTable)) {
      expect(def.args.safeParse(def.example.args).success, `${name} example args`).toBe(true);
      expect(def.data.safeParse(def.example.data).success, `${name} example data`).toBe(true);
    }
    for (const [name, def] of Object.entries(serverPushTable)) {
      expect(def.payload.safeParse(def.example).success, `${name} example payload`).toBe(true);
    }
  });

  it("keeps the founding notes' event names", () => {
    expect(Object.keys(clientEventTable)).toEqual(expect.arrayContaining(["receiveUserProfile"]));
    expect(clientEventTable["receiveUserProfile"]?.reply).toBe("sendUserProfileFromServer");
  });
});
