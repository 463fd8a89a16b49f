import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, type TestUser } from "./helpers/factories.ts";
import { startServer, type TestServer } from "./helpers/server.ts";

const run = promisify(execFile);
const repo = fileURLToPath(new URL("..", import.meta.url));
const tsc = path.join(repo, "node_modules/typescript/bin/tsc");
const compilerFlags = ["--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--lib", "es2022,dom", "--strict"];

// What an app developer writes: log in over HTTP, connect, one call, one refusal, a listener.
const program = `import { connect, TelegraphError, type ClientData } from "telegraph-client";

declare const process: { argv: string[] };
const [url = "", username = "", password = ""] = process.argv.slice(2);
const login = await fetch(\`\${url}/login\`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ username, password }),
});
const { access_token } = (await login.json()) as { access_token: string };
const client = await connect(url, { accessToken: access_token, reconnection: false });
client.on("errorFromServer", (error) => console.error(error.code));
const profile: ClientData<"receiveUserProfile"> = await client.api.receiveUserProfile({ username });
const pong = await client.api.ping({ echo: "hello" });
const found = await client.api.searchUsers({ query: username, limit: 5 });
let refused = "";
try {
  await client.api.receiveUserProfile("000000000000000000000000");
} catch (error) {
  if (error instanceof TelegraphError) refused = error.code;
}
console.log(JSON.stringify({ username: profile.username, followers: profile.followers_count, echo: pong.echo, found: found.map((u) => u.user_id), refused }));
client.close();
`;

/** Compiles the temporary project's files in one compiler run (emitting even with errors); its output, by file. */
async function compile(cwd: string, files: string[]): Promise<Record<string, string[]>> {
  let output: string;
  try {
    output = (await run(process.execPath, [tsc, ...compilerFlags, "--outDir", "out", ...files], { cwd })).stdout;
  } catch (error) {
    output = (error as { stdout?: string }).stdout ?? "";
  }
  const errors: Record<string, string[]> = Object.fromEntries(files.map((file) => [file, []]));
  for (const line of output.split("\n").filter((l) => / error TS\d+:/.test(l))) errors[line.slice(0, line.indexOf("("))]?.push(line);
  return errors;
}

describe("telegraph-client as an installed package", () => {
  let server: TestServer;
  let user: TestUser;
  let work: string;
  let project: string;
  let tarball: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), "telegraph-client-"));
    // prepack builds dist/ first; the server starts meanwhile.
    const [started] = await Promise.all([startServer(), run("npm", ["pack", "--pack-destination", work], { cwd: path.join(repo, "client") })]);
    server = started;
    user = await createUser(server);
    tarball = path.join(work, (await readdir(work)).find((f) => f.endsWith(".tgz"))!);
    project = path.join(work, "project");
    await mkdir(project);
    await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    await run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], { cwd: project });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it("packs only dist/, the README and package.json, depending on socket.io-client alone", async () => {
    const { stdout } = await run("tar", ["-tzf", tarball]);
    const files = stdout.trim().split("\n").sort();
    expect(files).toEqual(expect.arrayContaining(["package/README.md", "package/package.json", "package/dist/index.js", "package/dist/index.d.ts"]));
    expect(files.filter((f) => !f.startsWith("package/dist/") && f !== "package/README.md" && f !== "package/package.json")).toEqual([]);
    const installed = path.join(project, "node_modules/telegraph-client");
    const manifest = JSON.parse(await readFile(path.join(installed, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(["socket.io-client"]);
    for (const file of await readdir(path.join(installed, "dist"))) {
      expect(await readFile(path.join(installed, "dist", file), "utf8"), file).not.toMatch(/from\s+["'](\.\.\/)+src\/|zod/);
    }
  });

  it("type-checks a program using it, refuses a wrong event name, payload or listener, and runs against a live server", async () => {
    await writeFile(path.join(project, "main.ts"), program);
    await writeFile(path.join(project, "wrong-name.ts"), program.replace("api.ping(", "api.pign("));
    await writeFile(path.join(project, "wrong-payload.ts"), program.replace("limit: 5", 'limit: "5"'));
    await writeFile(path.join(project, "wrong-listener.ts"), program.replace('client.on("errorFromServer"', 'client.on("errorFormServer"'));
    const errors = await compile(project, ["main.ts", "wrong-name.ts", "wrong-payload.ts", "wrong-listener.ts"]);
    expect(errors["main.ts"]).toEqual([]);
    expect(errors["wrong-name.ts"]).toEqual([expect.stringContaining("Property 'pign' does not exist on type 'TelegraphApi'")]);
    expect(errors["wrong-payload.ts"]).toEqual([expect.stringContaining("Type 'string' is not assignable to type 'number'")]);
    // (and, the listener's payload then being unknown to it, a second error on `error.code`)
    expect(errors["wrong-listener.ts"]?.[0]).toContain(`Argument of type '"errorFormServer"' is not assignable`);

    const { stdout } = await run(process.execPath, ["out/main.js", server.url, user.username, user.password], { cwd: project, timeout: 15_000 });
    expect(JSON.parse(stdout)).toEqual({ username: user.username, followers: 0, echo: "hello", found: [user.userId], refused: "not_found" });
  }, 60_000);
});
