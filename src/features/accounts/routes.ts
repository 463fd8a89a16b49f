import { defineRoute, type HttpResult, type RouteDef } from "../../http/route.ts";
import type { Services } from "../../services.ts";
import { presentLogin, presentTokenPair } from "./presenter.ts";
import { sessionCookie } from "./session-cookie.ts";
import {
  ChangePasswordBody,
  CookieLoginResponse,
  EmailBody,
  LoginBody,
  LoginResponse,
  LogoutBody,
  RefreshBody,
  RegisterBody,
  responses as r,
  TokenBody,
  TokenPairResponse,
  TokenQuery,
  VerifyTokenBody,
} from "./schemas.ts";

const badRequest = { description: "The body does not match the schema; `details` names the fields.", schema: r.badRequest };
const confirmResponses = {
  200: { description: "Confirmed.", schema: r.emailConfirmed },
  400: { description: "Unknown, used or expired token.", schema: r.invalidToken },
};

async function confirmEmail(services: Services, token: string): Promise<HttpResult> {
  const ok = await services.emailFlows.confirmEmail(token);
  return ok ? { status: 200, body: { response: "email_confirmed" } } : { status: 400, body: { response: "invalid_token" } };
}

const tooMany = { description: "Too many attempts; see the Retry-After header.", schema: r.error };

/** The accounts HTTP API. Answers keep the founding clients' shapes (`response`, `authenticated`, `verify`). */
export const accountRoutes: RouteDef[] = [
  defineRoute({
    method: "POST",
    url: "/register",
    summary: "Create an account; a confirmation mail goes out unless EMAIL_CONFIRMATION=off.",
    body: RegisterBody,
    responses: {
      201: { description: "Created.", schema: r.userCreated },
      400: badRequest,
      409: { description: "The email or the username is taken.", schema: r.emailExists.or(r.usernameExists) },
    },
    async handler({ body, services }) {
      const result = await services.emailFlows.register({ ...body, family: body.family ?? "", phone: body.phone ?? null });
      if (result.status === "user_created") return { status: 201, body: { response: result.status, user_id: result.userId } };
      return { status: 409, body: { response: result.status } };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/confirm_email",
    summary: "Confirm an email address with the token from the confirmation mail.",
    body: TokenBody,
    responses: confirmResponses,
    handler: ({ body, services }) => confirmEmail(services, body.token),
  }),
  defineRoute({
    method: "GET",
    url: "/confirm_email",
    summary: "The link in the confirmation mail; same as POST /confirm_email.",
    query: TokenQuery,
    responses: confirmResponses,
    handler: ({ query, services }) => confirmEmail(services, query.token),
  }),
  defineRoute({
    method: "POST",
    url: "/resend_confirmation",
    summary: "Mail a new confirmation token to an unconfirmed account. Answers 202 whatever the email.",
    body: EmailBody,
    responses: { 202: { description: "Accepted.", schema: r.mailSent }, 400: badRequest },
    async handler({ body, services }) {
      await services.emailFlows.resendConfirmation(body.email);
      return { status: 202, body: { response: "mail_sent" } };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/login",
    summary: "Log in with username or email and password; rate-limited per account and per address.",
    body: LoginBody,
    responses: {
      200: {
        description: 'Logged in. With `session: "cookie"` the refresh token is set as the telegraph_refresh cookie, not in the body.',
        schema: LoginResponse.or(CookieLoginResponse),
      },
      400: badRequest,
      401: { description: "Wrong username or password (the same answer for both).", schema: r.invalidCredentials },
      403: { description: "The email is not confirmed yet, or the account is suspended (`account_suspended`).", schema: r.confirmationRequired.or(r.suspended) },
      429: tooMany,
    },
    async handler({ body, ip, request, services }): Promise<HttpResult> {
      const result = await services.sessions.login(body.username, body.password, ip);
      switch (result.status) {
        case "ok": {
          const login = presentLogin(result.user, result.tokens, result.user.photo_id ? services.media.url(result.user.photo_id) : null);
          if (body.session !== "cookie") return { status: 200, body: login };
          const { refresh_token: refreshToken, ...rest } = login;
          return {
            status: 200,
            headers: { "set-cookie": sessionCookie(request, refreshToken, services.config.refreshTokenTtl) },
            body: rest,
          };
        }
        case "invalid_credentials":
          return { status: 401, body: { authenticated: "invalid_credentials" } };
        case "email_confirmation_require":
          return { status: 403, body: { authenticated: "email_confirmation_require" } };
        case "account_suspended":
          return { status: 403, body: { authenticated: "account_suspended", code: "account_suspended", message: "This account is suspended." } };
        case "rate_limited":
          return {
            status: 429,
            headers: { "retry-after": String(result.retryAfter) },
            body: { code: "rate_limited", message: `Too many login attempts; retry in ${result.retryAfter} s.` },
          };
      }
    },
  }),
  defineRoute({
    method: "POST",
    url: "/verify_token",
    summary: "Tell whether an access token is currently accepted.",
    body: VerifyTokenBody,
    responses: { 200: { description: "The verdict.", schema: r.verify }, 400: badRequest },
    async handler({ body, services }) {
      return { status: 200, body: { verify: (await services.sessions.authenticate(body.ACCESS_TOKEN)) !== null } };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/token/refresh",
    summary: "Trade a refresh token for a new pair. Refresh tokens rotate; reusing a spent one revokes the whole login.",
    body: RefreshBody,
    responses: {
      200: { description: "A new pair.", schema: TokenPairResponse },
      400: badRequest,
      401: { description: "Unknown, spent, revoked or expired refresh token.", schema: r.error },
      403: { description: "The account is suspended (`account_suspended`); the token stays unspent.", schema: r.error },
    },
    async handler({ body, services }) {
      const pair = await services.sessions.refresh(body.refresh_token);
      if (!pair) return { status: 401, body: { code: "unauthenticated", message: "The refresh token is not valid." } };
      return { status: 200, body: presentTokenPair(pair) };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/logout",
    summary: "End the login of this refresh token; with `everywhere: true`, every login of the user, and drop their sockets.",
    body: LogoutBody,
    responses: { 200: { description: "Done (also for an unknown token).", schema: r.loggedOut }, 400: badRequest },
    async handler({ body, services }) {
      await services.sessions.logout(body.refresh_token, body.everywhere ?? false, body.push_endpoint);
      return { status: 200, body: { response: "logged_out" } };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/reset_password",
    summary: "Mail a password-reset token. Answers 202 whatever the email, so accounts cannot be discovered.",
    body: EmailBody,
    responses: { 202: { description: "Accepted.", schema: r.mailSent }, 400: badRequest },
    async handler({ body, services }) {
      await services.emailFlows.requestPasswordReset(body.email);
      return { status: 202, body: { response: "mail_sent" } };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/change_password",
    summary: "Set a new password with a reset token; revokes every login and drops the user's sockets.",
    body: ChangePasswordBody,
    responses: {
      200: { description: "Changed.", schema: r.passwordChanged },
      400: { description: "Bad body, or unknown, used or expired token.", schema: r.invalidToken.or(r.badRequest) },
    },
    async handler({ body, services }) {
      const ok = await services.emailFlows.changePassword(body.token, body.password);
      return ok ? { status: 200, body: { response: "password_changed" } } : { status: 400, body: { response: "invalid_token" } };
    },
  }),
];
