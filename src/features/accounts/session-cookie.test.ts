import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connectAs, createUser, newRegistration, type TestUser } from "../../../test/helpers/factories.ts";
import { post } from "../../../test/helpers/http.ts";
import { startServer, type TestServer } from "../../../test/helpers/server.ts";
import { startSmtp, tokenFrom } from "../../../test/helpers/smtp.ts";

const csrf = { "x-telegraph-csrf": "1" };
const TTL = 30 * 24 * 3600;

/** The telegraph_refresh value a response sets. */
function cookieValue(setCookie: string | string[] | number | undefined): string {
  const match = /^telegraph_refresh=([^;]*);/.exec(String(setCookie));
  if (!match) throw new Error(`no session cookie in ${String(setCookie)}`);
  return match[1] ?? "";
}

describe("web app sessions: the refresh token in an HttpOnly cookie", () => {
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    server = await startServer({ env: { WEB_APP: "off" } });
    user = await createUser(server);
  });
  afterEach(closeAll);
  afterAll(() => server.stop());

  const inject = (url: string, headers: Record<string, string> = {}, payload?: unknown) =>
    server.app.http.inject({ method: "POST", url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const loginWithCookie = async (headers: Record<string, string> = {}) => {
    const response = await inject("/login", headers, { username: user.username, password: user.password, session: "cookie" });
    expect(response.statusCode).toBe(200);
    return response;
  };
  const refresh = (cookie: string | undefined, headers: Record<string, string> = csrf) =>
    inject("/session/refresh", { ...headers, ...(cookie ? { cookie: `other=1; telegraph_refresh=${cookie}` } : {}) });

  it("logs in without a refresh token in the body and sets the exact cookie", async () => {
    const response = await loginWithCookie();
    const body = response.json<Record<string, unknown>>();
    expect(body).not.toHaveProperty("refresh_token");
    expect(body).toMatchObject({ authenticated: "ok", user_id: user.userId, username: user.username, access_token: expect.any(String) });
    const token = cookieValue(response.headers["set-cookie"]);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(response.headers["set-cookie"]).toBe(`telegraph_refresh=${token}; HttpOnly; SameSite=Strict; Path=/session; Max-Age=${TTL}`);
    // The plain JSON login is unchanged.
    const plain = await inject("/login", {}, { username: user.username, password: user.password });
    expect(plain.json()).toHaveProperty("refresh_token");
    expect(plain.headers["set-cookie"]).toBeUndefined();
  });

  it("marks the cookie Secure only over https, believing X-Forwarded-Proto only under TRUST_PROXY", async () => {
    const untrusted = await loginWithCookie({ "x-forwarded-proto": "https" });
    expect(String(untrusted.headers["set-cookie"])).not.toContain("Secure");
    const proxied = await startServer({ env: { WEB_APP: "off", TRUST_PROXY: "true" } });
    try {
      const someone = await createUser(proxied);
      const response = await proxied.app.http.inject({
        method: "POST",
        url: "/login",
        headers: { "x-forwarded-proto": "https" },
        payload: { username: someone.username, password: someone.password, session: "cookie" },
      });
      expect(String(response.headers["set-cookie"])).toMatch(/; Path=\/session; Max-Age=\d+; Secure$/);
      const refreshed = await proxied.app.http.inject({
        method: "POST",
        url: "/session/refresh",
        headers: { ...csrf, "x-forwarded-proto": "https", origin: "https://localhost:80", host: "localhost:80", cookie: `telegraph_refresh=${cookieValue(response.headers["set-cookie"])}` },
      });
      expect(refreshed.statusCode).toBe(200);
      expect(String(refreshed.headers["set-cookie"])).toContain("; Secure");
    } finally {
      await proxied.stop();
    }
  });

  it("refresh rotates the cookie; the spent one is refused and revokes the login", async () => {
    const first = cookieValue((await loginWithCookie()).headers["set-cookie"]);
    const rotated = await refresh(first);
    expect(rotated.statusCode).toBe(200);
    expect(Object.keys(rotated.json()).sort()).toEqual(["access_token", "expires_in"]);
    const second = cookieValue(rotated.headers["set-cookie"]);
    expect(second).not.toBe(first);
    expect(rotated.headers["set-cookie"]).toBe(`telegraph_refresh=${second}; HttpOnly; SameSite=Strict; Path=/session; Max-Age=${TTL}`);

    const reused = await refresh(first);
    expect(reused.statusCode).toBe(401);
    expect(reused.json()).toMatchObject({ code: "unauthenticated", message: expect.any(String) });
    expect(reused.headers["set-cookie"]).toBe("telegraph_refresh=; HttpOnly; SameSite=Strict; Path=/session; Max-Age=0");
    // Reuse detection revoked the whole login, as /token/refresh does.
    expect((await refresh(second)).statusCode).toBe(401);
  });

  it("refuses a missing or garbage cookie with 401 and clears it", async () => {
    for (const cookie of [undefined, "not-a-token", "x".repeat(43)]) {
      const response = await refresh(cookie);
      expect(response.statusCode).toBe(401);
      expect(String(response.headers["set-cookie"])).toContain("Max-Age=0");
    }
  });

  it("requires the CSRF header and a same-origin Origin; a refusal changes nothing", async () => {
    const token = cookieValue((await loginWithCookie()).headers["set-cookie"]);
    for (const headers of [{}, { "x-telegraph-csrf": "0" }, { ...csrf, origin: "https://evil.example" }, { ...csrf, origin: "null" }]) {
      const refused = await refresh(token, headers as Record<string, string>);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: "forbidden" });
      expect(refused.headers["set-cookie"]).toBeUndefined();
      const logout = await inject("/session/logout", { ...(headers as Record<string, string>), cookie: `telegraph_refresh=${token}` });
      expect(logout.statusCode).toBe(403);
    }
    // Not rotated, not revoked: the same cookie still works, also with the server's own Origin.
    const ok = await refresh(token, { ...csrf, origin: "http://localhost:80", host: "localhost:80" });
    expect(ok.statusCode).toBe(200);
  });

  it("logout ends the login and clears the cookie; it answers the same without a cookie", async () => {
    const token = cookieValue((await loginWithCookie()).headers["set-cookie"]);
    const out = await inject("/session/logout", { ...csrf, cookie: `telegraph_refresh=${token}` });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ response: "logged_out" });
    expect(out.headers["set-cookie"]).toBe("telegraph_refresh=; HttpOnly; SameSite=Strict; Path=/session; Max-Age=0");
    expect((await refresh(token)).statusCode).toBe(401);
    const anonymous = await inject("/session/logout", csrf);
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ response: "logged_out" });
    expect((await inject("/session/logout", csrf, { everywhere: "yes" })).statusCode).toBe(400);
  });

  it("logout everywhere ends every login and drops a connected socket", async () => {
    const someone = await createUser(server);
    const client = await connectAs(server, someone);
    const dropped = new Promise<string>((resolve) => client.socket.once("disconnect", resolve));
    const login = await inject("/login", {}, { username: someone.username, password: someone.password, session: "cookie" });
    const token = cookieValue(login.headers["set-cookie"]);
    const out = await inject("/session/logout", { ...csrf, cookie: `telegraph_refresh=${token}` }, { everywhere: true });
    expect(out.statusCode).toBe(200);
    expect(await dropped).toBe("io server disconnect");
    expect((await post(server.url, "/token/refresh", { refresh_token: someone.refreshToken })).status).toBe(401);
  });
});

describe("mail links open the web app", { timeout: 60_000 }, () => {
  it("points the confirmation and reset mails at /confirm and /reset when WEB_APP is on", async () => {
    const smtp = await startSmtp();
    const server = await startServer({ env: { EMAIL_CONFIRMATION: "required", SMTP_URL: smtp.url, PUBLIC_URL: "https://chat.example.com" } });
    try {
      const registration = newRegistration();
      expect((await post(server.url, "/register", registration)).status).toBe(201);
      const confirm = await smtp.next();
      const token = tokenFrom(confirm);
      expect(confirm.text).toContain(`https://chat.example.com/confirm?token=${token}`);
      expect(confirm.text).toContain("POST /confirm_email");
      expect((await post(server.url, "/confirm_email", { token })).status).toBe(200);

      expect((await post(server.url, "/reset_password", { email: registration.email })).status).toBe(202);
      const reset = await smtp.next();
      const resetToken = tokenFrom(reset);
      expect(reset.text).toContain(`https://chat.example.com/reset?token=${resetToken}`);
      expect(reset.text).toContain("POST /change_password");
    } finally {
      await server.stop();
      await smtp.close();
    }
  });
});
