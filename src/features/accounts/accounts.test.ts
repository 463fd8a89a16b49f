import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connect, TelegraphConnectError } from "telegraph-client";
import { closeAll, connectAs, createUser, newRegistration, waitFor } from "../../../test/helpers/factories.ts";
import { http, post } from "../../../test/helpers/http.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";
import { parseMail, startSmtp, tokenFrom } from "../../../test/helpers/smtp.ts";

type Smtp = Awaited<ReturnType<typeof startSmtp>>;

describe("accounts over HTTP with email confirmation through a real SMTP server", () => {
  let smtp: Smtp;
  let server: TestServer;

  beforeAll(async () => {
    smtp = await startSmtp();
    server = await startServer({ env: { EMAIL_CONFIRMATION: "required", SMTP_URL: smtp.url, LOGIN_RATE_LIMIT_ACCOUNT: "3/60" } });
  });
  afterEach(closeAll);
  afterAll(async () => {
    await server.stop();
    await smtp.close();
  });

  it("registers, confirms the email from the mail, logs in and connects a socket", async () => {
    const reg = newRegistration({ username: `Mixed_${Date.now().toString(36)}` });
    const created = await post(server.url, "/register", reg);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ response: "user_created", user_id: expect.stringMatching(/^[0-9a-f]{24}$/) });

    const mail = await smtp.next();
    expect(mail.to).toEqual([reg.email]);
    expect(mail.subject).toMatch(/Confirm/);

    const early = await post(server.url, "/login", { username: reg.username, password: reg.password });
    expect(early).toMatchObject({ status: 403, body: { authenticated: "email_confirmation_require" } });

    const confirmed = await post(server.url, "/confirm_email", { token: tokenFrom(mail) });
    expect(confirmed).toMatchObject({ status: 200, body: { response: "email_confirmed" } });
    const again = await post(server.url, "/confirm_email", { token: tokenFrom(mail) });
    expect(again).toMatchObject({ status: 400, body: { response: "invalid_token" } });

    // Username is case-insensitive; email works as the login too.
    const login = await post(server.url, "/login", { username: reg.email.toUpperCase(), password: reg.password });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({
      authenticated: "ok",
      user_id: created.body["user_id"],
      username: reg.username.toLowerCase(),
      email: reg.email,
      name: reg.name,
      family: reg.family,
      photo: null,
      biography: "",
      expires_in: 900,
    });
    const stored = await server.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE id = $1", [
      created.body["user_id"],
    ]);
    expect(stored[0]?.password_hash).toMatch(/^\$argon2id\$/);

    const client = await connect(server.url, { accessToken: login.body["access_token"] as string, reconnection: false });
    const profile = await client.api.receiveUserProfile(created.body["user_id"] as string);
    expect(profile.username).toBe(reg.username.toLowerCase());
    client.close();
  });

  it("confirms through the mailed link too (GET), and resends a confirmation on request", async () => {
    const reg = newRegistration();
    await post(server.url, "/register", reg);
    await smtp.next();
    expect((await post(server.url, "/resend_confirmation", { email: reg.email })).status).toBe(202);
    const resent = await smtp.next();
    expect(resent.to).toEqual([reg.email]);
    const link = await http(server.url, "GET", `/confirm_email?token=${tokenFrom(resent)}`);
    expect(link).toMatchObject({ status: 200, body: { response: "email_confirmed" } });
    const login = await post(server.url, "/login", { username: reg.username, password: reg.password });
    expect(login.status).toBe(200);
  });

  it("refuses a taken email or username, case-insensitively, and writes nothing", async () => {
    const reg = newRegistration();
    expect((await post(server.url, "/register", reg)).status).toBe(201);
    await smtp.next();
    const sameEmail = await post(server.url, "/register", { ...newRegistration(), email: reg.email.toUpperCase() });
    expect(sameEmail).toMatchObject({ status: 409, body: { response: "email_exists" } });
    const sameName = await post(server.url, "/register", { ...newRegistration(), username: reg.username.toUpperCase() });
    expect(sameName).toMatchObject({ status: 409, body: { response: "username_exists" } });
    const rows = await server.db.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE username = $1 OR email = $2", [
      reg.username,
      reg.email,
    ]);
    expect(rows[0]?.n).toBe(1);
  });

  it.each([
    ["missing name", { name: undefined }, "name"],
    ["short username", { username: "ab" }, "username"],
    ["username with a dash", { username: "bad-name" }, "username"],
    ["long username", { username: "a".repeat(33) }, "username"],
    ["malformed email", { email: "not-an-email" }, "email"],
    ["short password", { password: "1234567" }, "password"],
    ["numeric name", { name: 42 }, "name"],
    ["unknown field", { admin: true }, "(body)"],
    ["malformed phone", { phone: "call me" }, "phone"],
  ])("answers 400 bad_request naming the field for a %s", async (_label, change, field) => {
    const reg = { ...newRegistration(), ...change };
    const result = await post(server.url, "/register", reg);
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ error: "bad_request", code: "invalid_input" });
    expect((result.body["details"] as { field: string }[]).map((d) => d.field)).toContain(field);
    const rows = await server.db.query("SELECT 1 FROM users WHERE email = $1", [reg.email]);
    expect(rows).toHaveLength(0);
  });

  it("answers malformed JSON with bad_request", async () => {
    const response = await fetch(`${server.url}/login`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "bad_request", code: "invalid_input" });
  });

  it("gives the same answer for an unknown user and a wrong password, and limits failed attempts per account", async () => {
    const reg = newRegistration();
    await post(server.url, "/register", reg);
    await post(server.url, "/confirm_email", { token: tokenFrom(await smtp.next()) });

    const unknown = await post(server.url, "/login", { username: "nobody_here", password: reg.password });
    const wrong = await post(server.url, "/login", { username: reg.username, password: "wrong password" });
    expect(unknown).toMatchObject({ status: 401, body: { authenticated: "invalid_credentials" } });
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.body).toEqual(unknown.body);

    await post(server.url, "/login", { username: reg.username, password: "wrong again" });
    await post(server.url, "/login", { username: reg.username, password: "and again" });
    const limited = await post(server.url, "/login", { username: reg.username, password: reg.password });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: "rate_limited" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("resets the password: old refresh token dies, open sockets are dropped, the new password works", async () => {
    const reg = newRegistration();
    await post(server.url, "/register", reg);
    await post(server.url, "/confirm_email", { token: tokenFrom(await smtp.next()) });
    const login = await post(server.url, "/login", { username: reg.username, password: reg.password });
    const client = await connectAs(server, { accessToken: login.body["access_token"] as string });
    const dropped = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));

    const unknown = await post(server.url, "/reset_password", { email: "nobody@example.com" });
    const known = await post(server.url, "/reset_password", { email: reg.email });
    expect(unknown).toMatchObject({ status: 202, body: { response: "mail_sent" } });
    expect(known).toEqual({ ...unknown, headers: known.headers });
    const mail = await smtp.next();
    expect(mail.to).toEqual([reg.email]);
    expect(smtp.mails).toHaveLength(0); // no mail for the unknown address

    const bad = await post(server.url, "/change_password", { token: "x".repeat(43), password: "brand new pass" });
    expect(bad).toMatchObject({ status: 400, body: { response: "invalid_token" } });
    const changed = await post(server.url, "/change_password", { token: tokenFrom(mail), password: "brand new pass" });
    expect(changed).toMatchObject({ status: 200, body: { response: "password_changed" } });
    expect(await dropped).toBe("io server disconnect");

    expect((await post(server.url, "/token/refresh", { refresh_token: login.body["refresh_token"] })).status).toBe(401);
    expect((await post(server.url, "/verify_token", { ACCESS_TOKEN: login.body["access_token"] })).body).toEqual({ verify: false });
    await expect(connect(server.url, { accessToken: login.body["access_token"] as string, reconnection: false })).rejects.toThrow(
      TelegraphConnectError,
    );
    expect((await post(server.url, "/login", { username: reg.username, password: reg.password })).status).toBe(401);
    expect((await post(server.url, "/login", { username: reg.username, password: "brand new pass" })).status).toBe(200);
    const reuse = await post(server.url, "/change_password", { token: tokenFrom(mail), password: "another new pass" });
    expect(reuse.status).toBe(400);
  });
});

describe("token pairs", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  it("rotates refresh tokens and revokes the whole login when a spent one is presented again", async () => {
    const user = await createUser(server);
    const first = await post(server.url, "/token/refresh", { refresh_token: user.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 900 });
    expect(first.body["refresh_token"]).not.toBe(user.refreshToken);
    const second = await post(server.url, "/token/refresh", { refresh_token: first.body["refresh_token"] });
    expect(second.status).toBe(200);

    // The first token is replayed: it leaked, so the login it belongs to ends, including the newest token.
    const replay = await post(server.url, "/token/refresh", { refresh_token: user.refreshToken });
    expect(replay.status).toBe(401);
    expect((await post(server.url, "/token/refresh", { refresh_token: second.body["refresh_token"] })).status).toBe(401);
    const stored = await server.db.query<{ hash_is_hex: boolean }>(
      "SELECT bool_and(token_hash ~ '^[0-9a-f]{64}$') AS hash_is_hex FROM refresh_tokens WHERE user_id = $1",
      [user.userId],
    );
    expect(stored[0]?.hash_is_hex).toBe(true);
  });

  it("refuses unknown and malformed refresh tokens", async () => {
    expect((await post(server.url, "/token/refresh", { refresh_token: "nope" })).status).toBe(401);
    expect((await post(server.url, "/token/refresh", {})).status).toBe(400);
  });

  it("logs out one login, or every login and socket with everywhere", async () => {
    const user = await createUser(server);
    const other = await post(server.url, "/login", { username: user.username, password: user.password });
    expect((await post(server.url, "/logout", { refresh_token: user.refreshToken })).body).toEqual({ response: "logged_out" });
    expect((await post(server.url, "/token/refresh", { refresh_token: user.refreshToken })).status).toBe(401);
    // The second login is untouched by a plain logout.
    const rotated = await post(server.url, "/token/refresh", { refresh_token: other.body["refresh_token"] });
    expect(rotated.status).toBe(200);

    const client = await connectAs(server, { accessToken: rotated.body["access_token"] as string });
    const dropped = new Promise((resolve) => client.socket.once("disconnect", resolve));
    await post(server.url, "/logout", { refresh_token: rotated.body["refresh_token"], everywhere: true });
    await dropped;
    expect((await post(server.url, "/verify_token", { ACCESS_TOKEN: rotated.body["access_token"] })).body).toEqual({ verify: false });
  });

  it("verifies access tokens", async () => {
    const user = await createUser(server);
    expect((await post(server.url, "/verify_token", { ACCESS_TOKEN: user.accessToken })).body).toEqual({ verify: true });
    expect((await post(server.url, "/verify_token", { ACCESS_TOKEN: user.accessToken + "x" })).body).toEqual({ verify: false });
  });

  it("limits login attempts per address", async () => {
    const limited = await startServer({ env: { LOGIN_RATE_LIMIT_ADDRESS: "2/60" } });
    try {
      const user = await createUser(limited); // one attempt
      expect((await post(limited.url, "/login", { username: user.username, password: user.password })).status).toBe(200);
      const third = await post(limited.url, "/login", { username: user.username, password: user.password });
      expect(third.status).toBe(429);
      expect(third.headers.get("retry-after")).toMatch(/^\d+$/);
    } finally {
      await limited.stop();
    }
  });

  it("answers health and readiness", async () => {
    expect(await http(server.url, "GET", "/healthz")).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(await http(server.url, "GET", "/readyz")).toMatchObject({ status: 200, body: { status: "ready" } });
    expect(await http(server.url, "GET", "/nope")).toMatchObject({ status: 404, body: { code: "not_found" } });
  });

  it("tells clients its limits, as configured", async () => {
    const limited = await startServer({ env: { TWEET_MAX_LENGTH: "120", MEDIA_MAX_BYTES: "100000", STORY_TTL: "2h" } });
    try {
      expect(await http(limited.url, "GET", "/limits")).toMatchObject({
        status: 200,
        body: { tweet_max_length: 120, comment_max_length: 1000, media_max_bytes: 100_000, story_ttl_seconds: 7200 },
      });
    } finally {
      await limited.stop();
    }
  });
});

describe("mail without SMTP_URL", () => {
  it("writes each mail as an .eml file under DATA_DIR/mail", async () => {
    const server = await startServer({ env: { EMAIL_CONFIRMATION: "required" } });
    try {
      const reg = newRegistration();
      await post(server.url, "/register", reg);
      const dir = path.join(server.config.dataDir, "mail");
      const emls = async () => (await readdir(dir).catch(() => [])).filter((f) => f.endsWith(".eml"));
      // The outbox worker writes it just after the registration commits.
      expect(await waitFor(async () => (await emls()).length > 0, 5000, 20)).toBe(true);
      const files = await emls();
      expect(files).toHaveLength(1);
      const raw = await readFile(path.join(dir, files[0]!), "utf8");
      expect(raw).toContain(`To: ${reg.email}`);
      const token = tokenFrom(parseMail(raw));
      expect((await post(server.url, "/confirm_email", { token })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
