import type { FastifyRequest } from "fastify";
import { isHttps } from "../../http/security-headers.ts";

/** The refresh token's cookie: HttpOnly, sent only to /session/* and never cross-site. */
export const SESSION_COOKIE = "telegraph_refresh";
export const CSRF_HEADER = "x-telegraph-csrf";

/** The Set-Cookie value carrying a refresh token for `maxAge` seconds; `Secure` when the request came over https. */
export function sessionCookie(request: FastifyRequest, token: string, maxAge: number): string {
  const secure = isHttps(request) ? "; Secure" : "";
  return `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/session; Max-Age=${maxAge}${secure}`;
}

/** The Set-Cookie value that removes the session cookie. */
export function clearedSessionCookie(request: FastifyRequest): string {
  return sessionCookie(request, "", 0);
}

/** The refresh token from the request's Cookie header, if any (a small parser: one name, no decoding needed). */
export function readSessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    // Refresh tokens are base64url; anything else cannot be one.
    return /^[A-Za-z0-9_-]{1,200}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * CSRF defence for the cookie routes: the custom header cannot be sent cross-site without a CORS preflight (which the
 * server never grants), and a present Origin must be this server's own (scheme per TRUST_PROXY, host).
 */
export function passesCsrfCheck(request: FastifyRequest): boolean {
  if (request.headers[CSRF_HEADER] !== "1") return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return origin === `${request.protocol}://${request.host}`;
}
