import { z } from "zod";
import { clientEvent, serverEvent } from "../../realtime/event.ts";
import { AppError } from "../../shared/errors.ts";

export const accountEvents = {
  refreshTokenFromClient: clientEvent({
    summary:
      "Hand this connection a fresh access token (from POST /token/refresh) so it is not dropped when the one it connected with expires.",
    args: z.tuple([z.strictObject({ accessToken: z.string().min(1).max(4096) }).describe("token")]),
    data: z.object({ expires_at: z.iso.datetime() }),
    reply: "tokenRefreshedFromServer",
    rate: "default",
    errors: ["unauthenticated", "forbidden"],
    example: { args: [{ accessToken: "eyJhbGciOiJIUzI1NiJ9…" }], data: { expires_at: "2026-11-25T12:15:00.000Z" } },
    async handler(ctx, [{ accessToken }]) {
      const token = await ctx.services.sessions.authenticate(accessToken);
      if (!token) throw new AppError("unauthenticated", "The access token is invalid or expired.");
      if (token.userId !== ctx.userId) throw new AppError("forbidden", "The token belongs to another user.");
      ctx.connection.renewToken(token.expiresAtMs);
      return { expires_at: new Date(token.expiresAtMs).toISOString() };
    },
  }),
};

export const accountPushes = {
  tokenExpiredFromServer: serverEvent({
    summary:
      "The access token this connection authenticated with has expired; send `refreshTokenFromClient` within `grace_seconds` or the server disconnects.",
    payload: z.object({ expired_at: z.iso.datetime(), grace_seconds: z.number().int() }),
    example: { expired_at: "2026-11-25T12:15:00.000Z", grace_seconds: 60 },
  }),
};
