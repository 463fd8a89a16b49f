import type { FastifyInstance, FastifyRequest } from "fastify";

// The web app loads only its own bundled scripts and styles (no inline script: Vite emits files); images may be
// data:/blob: URLs (previews of a picked photo before upload); the socket connects to the same host over ws/wss.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join("; ");

/** Whether the request reached us over https; `request.protocol` honours X-Forwarded-Proto only under TRUST_PROXY. */
export function isHttps(request: FastifyRequest): boolean {
  return request.protocol === "https";
}

/** Adds the usual security headers to every response, and the Content-Security-Policy to HTML ones. */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (request, reply, payload) => {
    void reply.headers({
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      "cross-origin-opener-policy": "same-origin",
    });
    const type = reply.getHeader("content-type");
    if (typeof type === "string" && type.startsWith("text/html")) void reply.header("content-security-policy", contentSecurityPolicy);
    if (isHttps(request)) void reply.header("strict-transport-security", "max-age=31536000");
    return payload;
  });
}
