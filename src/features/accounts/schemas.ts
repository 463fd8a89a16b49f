import { z } from "zod";
import { Email, Name, Password, Phone, Username } from "../../shared/schema.ts";

export const RegisterBody = z.strictObject({
  name: Name,
  family: z.string().trim().max(64).optional(),
  username: Username,
  email: Email,
  password: Password,
  phone: z.union([Phone, z.number().int().positive().transform(String)]).optional(),
});

export const TokenBody = z.strictObject({ token: z.string().min(1).max(200) });
export const TokenQuery = z.object({ token: z.string().min(1).max(200) });
export const EmailBody = z.strictObject({ email: Email });
export const LoginBody = z.strictObject({
  username: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
  session: z.literal("cookie").optional().describe('"cookie": the refresh token goes into the HttpOnly telegraph_refresh cookie, not the body'),
});
export const VerifyTokenBody = z.strictObject({ ACCESS_TOKEN: z.string().min(1).max(4096) });
export const RefreshBody = z.strictObject({ refresh_token: z.string().min(1).max(200) });
export const LogoutBody = z.strictObject({
  refresh_token: z.string().min(1).max(200),
  everywhere: z.boolean().optional(),
  push_endpoint: z.string().max(2048).optional().describe("this device's Web Push endpoint, removed with the login"),
});
export const SessionLogoutBody = z.strictObject({ everywhere: z.boolean().optional(), push_endpoint: z.string().max(2048).optional().describe("this device's Web Push endpoint, removed with the login") });
export const ChangePasswordBody = z.strictObject({ token: z.string().min(1).max(200), password: Password });

const Response = (value: string) => z.object({ response: z.literal(value) });

export const LoginResponse = z.object({
  authenticated: z.literal("ok"),
  user_id: z.string(),
  access_token: z.string(),
  refresh_token: z.string(),
  expires_in: z.number().int().describe("seconds until the access token expires"),
  name: z.string(),
  family: z.string(),
  username: z.string(),
  email: z.string(),
  photo: z.string().nullable(),
  biography: z.string(),
});
/** The login answer with `session: "cookie"`: the refresh token is in the cookie instead. */
export const CookieLoginResponse = LoginResponse.omit({ refresh_token: true });
export const SessionTokenResponse = z.object({ access_token: z.string(), expires_in: z.number().int() });
export const TokenPairResponse = z.object({ access_token: z.string(), refresh_token: z.string(), expires_in: z.number().int() });
export const responses = {
  userCreated: z.object({ response: z.literal("user_created"), user_id: z.string() }),
  emailExists: Response("email_exists"),
  usernameExists: Response("username_exists"),
  emailConfirmed: Response("email_confirmed"),
  invalidToken: Response("invalid_token"),
  mailSent: Response("mail_sent"),
  passwordChanged: Response("password_changed"),
  loggedOut: Response("logged_out"),
  invalidCredentials: z.object({ authenticated: z.literal("invalid_credentials") }),
  confirmationRequired: z.object({ authenticated: z.literal("email_confirmation_require") }),
  suspended: z.object({ authenticated: z.literal("account_suspended"), code: z.literal("account_suspended"), message: z.string() }),
  verify: z.object({ verify: z.boolean() }),
  badRequest: z.object({
    error: z.literal("bad_request"),
    code: z.literal("invalid_input"),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })),
  }),
  error: z.object({ code: z.string(), message: z.string() }),
};
