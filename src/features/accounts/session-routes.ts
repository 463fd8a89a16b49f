import { defineRoute, type HttpResult, type RouteDef } from "../../http/route.ts";
import { clearedSessionCookie, passesCsrfCheck, readSessionCookie, sessionCookie } from "./session-cookie.ts";
import { responses as r, SessionLogoutBody, SessionTokenResponse } from "./schemas.ts";

const forbidden: HttpResult = {
  status: 403,
  body: { code: "forbidden", message: "Send the X-Telegraph-CSRF: 1 header, from this server's own origin." },
};
const csrfDoc = { description: "The X-Telegraph-CSRF header is missing, or the Origin is another site's.", schema: r.error };

/**
 * The web app's session: the refresh token lives in an HttpOnly cookie (set by `POST /login` with `session: "cookie"`),
 * never readable by page scripts. Both routes need `X-Telegraph-CSRF: 1`.
 */
export const sessionRoutes: RouteDef[] = [
  defineRoute({
    method: "POST",
    url: "/session/refresh",
    summary:
      "Rotate the refresh token in the telegraph_refresh cookie and get a new access token (header X-Telegraph-CSRF: 1). " +
      "Reusing a spent cookie revokes the whole login.",
    responses: {
      200: { description: "A new access token; the cookie is replaced.", schema: SessionTokenResponse },
      401: { description: "No cookie, or an unknown, spent, revoked or expired one; the cookie is cleared.", schema: r.error },
      403: { ...csrfDoc, description: `${csrfDoc.description} Also: the account is suspended (\`account_suspended\`).` },
    },
    async handler({ request, services }) {
      if (!passesCsrfCheck(request)) return forbidden;
      const token = readSessionCookie(request);
      const pair = token ? await services.sessions.refresh(token) : null;
      if (!pair) {
        return {
          status: 401,
          headers: { "set-cookie": clearedSessionCookie(request) },
          body: { code: "unauthenticated", message: "The session is not valid; log in again." },
        };
      }
      return {
        status: 200,
        headers: { "set-cookie": sessionCookie(request, pair.refreshToken, services.config.refreshTokenTtl) },
        body: { access_token: pair.accessToken, expires_in: pair.expiresIn },
      };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/session/logout",
    summary:
      "End the login in the telegraph_refresh cookie (with `everywhere: true`, every login of the user, dropping their sockets) " +
      "and clear the cookie (header X-Telegraph-CSRF: 1).",
    body: SessionLogoutBody,
    responses: {
      200: { description: "Done (also without a cookie).", schema: r.loggedOut },
      400: { description: "The body does not match the schema.", schema: r.badRequest },
      403: csrfDoc,
    },
    async handler({ body, request, services }) {
      if (!passesCsrfCheck(request)) return forbidden;
      const token = readSessionCookie(request);
      if (token) await services.sessions.logout(token, body.everywhere ?? false, body.push_endpoint);
      return { status: 200, headers: { "set-cookie": clearedSessionCookie(request) }, body: { response: "logged_out" } };
    },
  }),
];
