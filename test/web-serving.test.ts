import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliCompressSync, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "./helpers/server.ts";

const indexHtml = '<!doctype html><html><head><script type="module" src="/assets/app-abc123.js"></script></head><body></body></html>';
const appJs = `export const greeting = ${JSON.stringify("hello ".repeat(400))};\n`;
const html = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

let dist: string;
let server: TestServer;

beforeAll(async () => {
  dist = await mkdtemp(path.join(tmpdir(), "telegraph-web-"));
  await mkdir(path.join(dist, "assets"));
  await writeFile(path.join(dist, "index.html"), indexHtml);
  await writeFile(path.join(dist, "index.html.gz"), gzipSync(indexHtml));
  await writeFile(path.join(dist, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  await writeFile(path.join(dist, "assets", "app-abc123.js"), appJs);
  await writeFile(path.join(dist, "assets", "app-abc123.js.gz"), gzipSync(appJs));
  await writeFile(path.join(dist, "assets", "app-abc123.js.br"), brotliCompressSync(appJs));
  server = await startServer({ env: { WEB_DIST: dist } });
});

afterAll(async () => {
  await server.stop();
  await rm(dist, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}, method = "GET") =>
  server.app.http.inject({ method: method as "GET", url, headers });

describe("serving the web app", () => {
  it("answers the app's routes with index.html, never cached, with a CSP", async () => {
    for (const url of ["/", "/login", "/signup", "/confirm?token=abc", "/reset?token=abc", "/chat/42", "/@alice", "/settings"]) {
      const response = await get(url, html);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers["content-type"], url).toMatch(/^text\/html/);
      expect(response.headers["cache-control"], url).toBe("no-cache");
      expect(response.body, url).toBe(indexHtml);
      expect(response.headers["content-security-policy"]).toContain("script-src 'self'");
      expect(response.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    }
    const head = await get("/chat/42", html, "HEAD");
    expect(head.statusCode).toBe(200);
    expect((await get("/index.html", html)).headers["cache-control"]).toBe("no-cache");
    const compressed = await get("/chat/42", { ...html, "accept-encoding": "gzip" });
    expect(compressed.statusCode).toBe(200);
    expect(compressed.headers["content-encoding"]).toBe("gzip");
    expect(compressed.headers["cache-control"]).toBe("no-cache");
    expect(compressed.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(gunzipSync(compressed.rawPayload).toString()).toBe(indexHtml);
  });

  it("serves hashed assets as immutable, compressed when the client accepts it", async () => {
    const plain = await get("/assets/app-abc123.js");
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(plain.body).toBe(appJs);
    const gz = await get("/assets/app-abc123.js", { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gz.rawPayload).toString()).toBe(appJs);
    const br = await get("/assets/app-abc123.js", { "accept-encoding": "br, gzip" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["vary"]).toMatch(/accept-encoding/i);
  });

  it("serves other root files with a short cache", async () => {
    const icon = await get("/favicon.svg");
    expect(icon.statusCode).toBe(200);
    expect(icon.headers["cache-control"]).toBe("public, max-age=3600");
  });

  it("answers a missing asset with a 404, never index.html", async () => {
    for (const url of ["/assets/missing.js", "/assets/app-abc123.js.gz", "/nothing.png"]) {
      const response = await get(url, html);
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toContain("<html");
    }
  });

  it("keeps the JSON 404 for API-ish requests and POSTs, and the API routes as they were", async () => {
    for (const headers of [{}, { accept: "application/json" }] as Record<string, string>[]) {
      const response = await get("/login", headers);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: "not_found" });
    }
    const post = await server.app.http.inject({ method: "POST", url: "/nowhere", headers: html, payload: {} });
    expect(post.statusCode).toBe(404);
    expect(post.json()).toMatchObject({ code: "not_found" });
    expect((await get("/healthz", html)).headers["content-type"]).toMatch(/json/);
    const confirm = await get("/confirm_email?token=nope", html);
    expect(confirm.statusCode).toBe(400);
    expect(confirm.json()).toEqual({ response: "invalid_token" });
  });

  it("sends the security headers on every response, HSTS only over https", async () => {
    for (const response of [await get("/healthz"), await get("/", html), await get("/assets/app-abc123.js")]) {
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
      expect(response.headers["x-frame-options"]).toBe("DENY");
      expect(response.headers["cross-origin-opener-policy"]).toBe("same-origin");
      expect(response.headers["strict-transport-security"]).toBeUndefined();
    }
    expect((await get("/healthz")).headers["content-security-policy"]).toBeUndefined();
    // Without TRUST_PROXY a forwarded scheme is not believed.
    expect((await get("/healthz", { "x-forwarded-proto": "https" })).headers["strict-transport-security"]).toBeUndefined();
  });
});

describe("web app settings", () => {
  it("WEB_APP=off serves nothing and keeps the JSON 404 at /", async () => {
    const off = await startServer({ env: { WEB_DIST: dist, WEB_APP: "off" } });
    try {
      for (const url of ["/", "/assets/app-abc123.js"]) {
        const response = await off.app.http.inject({ method: "GET", url, headers: html });
        expect(response.statusCode, url).toBe(404);
        expect(response.json()).toMatchObject({ code: "not_found" });
      }
    } finally {
      await off.stop();
    }
  });

  it("a missing build answers HTML requests with a 503 page naming the build command", async () => {
    const missing = await startServer({ env: { WEB_DIST: path.join(dist, "does-not-exist") } });
    try {
      const page = await missing.app.http.inject({ method: "GET", url: "/", headers: html });
      expect(page.statusCode).toBe(503);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.body).toContain("npm run build:web");
      const json = await missing.app.http.inject({ method: "GET", url: "/", headers: { accept: "application/json" } });
      expect(json.statusCode).toBe(404);
    } finally {
      await missing.stop();
    }
  });

  it("HSTS is sent when a trusted proxy says https", async () => {
    const proxied = await startServer({ env: { WEB_DIST: dist, TRUST_PROXY: "true" } });
    try {
      const response = await proxied.app.http.inject({ method: "GET", url: "/healthz", headers: { "x-forwarded-proto": "https" } });
      expect(response.headers["strict-transport-security"]).toBe("max-age=31536000");
    } finally {
      await proxied.stop();
    }
  });
});
