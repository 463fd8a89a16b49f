import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect } from "telegraph-client";
import { newRegistration } from "./helpers/factories.ts";
import { http, post } from "./helpers/http.ts";
import { parseMail, tokenFrom } from "./helpers/smtp.ts";

const root = new URL("..", import.meta.url).pathname;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function waitForLine(child: ChildProcess, output: string[], pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern}:\n${output.join("")}`)), timeoutMs);
    const check = () => {
      const line = output.join("").split("\n").find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    check();
  });
}

describe("the server process (npm start)", { timeout: 60_000 }, () => {
  let dataDir = "";
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("starts on the embedded database, serves accounts and sockets, and shuts down cleanly on SIGTERM", async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "telegraph-start-"));
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      env: { PATH: process.env["PATH"], PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

    const line = await waitForLine(child, output, /Telegraph listening/);
    expect(line).toContain(`http://127.0.0.1:${port}`);
    expect(line).toContain(`embedded PGlite (${path.join(dataDir, "pgdata")})`);
    expect(output.join("").split("\n").filter((l) => l.includes("listening"))).toHaveLength(1);
    const base = `http://127.0.0.1:${port}`;
    expect((await http(base, "GET", "/readyz")).status).toBe(200);

    // The whole path with the default mail mode: the confirmation mail is an .eml file in DATA_DIR/mail.
    const reg = newRegistration();
    expect((await post(base, "/register", reg)).status).toBe(201);
    const mailLine = await waitForLine(child, output, /mail written to file/);
    const file = (JSON.parse(mailLine) as { file: string; to: string; subject: string }).file;
    expect(JSON.parse(mailLine)).toMatchObject({ to: reg.email, subject: expect.stringContaining("Confirm") });
    expect((await post(base, "/confirm_email", { token: tokenFrom(parseMail(await readFile(file, "utf8"))) })).status).toBe(200);
    const login = await post(base, "/login", { username: reg.username, password: reg.password });
    const client = await connect(base, { accessToken: login.body["access_token"] as string, reconnection: false });
    const disconnected = new Promise((resolve) => client.socket.once("disconnect", resolve));

    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    await disconnected;
    expect(output.join("")).toContain("shutting down");
  });

  it("refuses to start with a wrong setting and names the variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      env: { PATH: process.env["PATH"], PORT: "not-a-port", EMAIL_CONFIRMATION: "sometimes" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toContain("PORT: expected a port number");
    expect(stderr).toContain("EMAIL_CONFIRMATION");
  });
});
