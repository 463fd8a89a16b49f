import { Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { defineRoute, type HttpResult, type RouteDef } from "../../http/route.ts";
import { AppError } from "../../shared/errors.ts";
import type { Services } from "../../services.ts";
import { responses as r } from "./schemas.ts";

const DeleteAccountBody = z.strictObject({ password: z.string().min(1).max(256).describe("the account's password, checked again") });
const bearer = "`Authorization: Bearer <access token>`";

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  if (!header?.startsWith("Bearer ")) throw new AppError("unauthenticated", `Send an access token (${bearer.slice(1, -1)}).`);
  return header.slice("Bearer ".length);
}

async function authenticated(services: Services, request: FastifyRequest): Promise<string> {
  const token = await services.sessions.authenticate(bearerToken(request));
  if (!token) throw new AppError("unauthenticated", "The access token is invalid or expired.");
  return token.userId;
}

/** Leaving with one's data: deleting the account, and exporting everything it owns and received. */
export const lifecycleRoutes: RouteDef[] = [
  defineRoute({
    method: "DELETE",
    url: "/account",
    summary:
      `Delete my account and everything it owns, in one transaction (${bearer} from a login in the last 5 minutes, and the password). ` +
      'Direct messages stay readable by the other side, from "Deleted account"; the username is free again after USERNAME_QUARANTINE.',
    body: DeleteAccountBody,
    responses: {
      200: { description: "Deleted; every login and socket of the account has ended.", schema: z.object({ response: z.literal("account_deleted") }) },
      400: { description: "The body does not match the schema.", schema: r.badRequest },
      401: { description: "`unauthenticated` (no valid token) or `reauth_required` (the token is older than 5 minutes: log in again).", schema: r.error },
      403: { description: "`forbidden`: wrong password. Nothing changed.", schema: r.error },
      429: { description: "`rate_limited`: too many wrong passwords.", schema: r.error },
    },
    async handler({ body, request, services }) {
      await services.accountDeletion.deleteAccount(bearerToken(request), body.password);
      return { status: 200, body: { response: "account_deleted" } };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/account/export",
    summary:
      `Everything my account owns and received, streamed as JSON lines (application/x-ndjson), ${bearer}. ` +
      "One object per line with a `type`: `export` (format and version, first), `profile`, `tweet`, `comment`, `like`, " +
      "`story`, `follower`, `following`, `block`, `message` (with `with`: the partner), `image` (base64 `data`), `end` (counts). " +
      "Limited by ACCOUNT_EXPORT_RATE_LIMIT per user.",
    responses: {
      200: { description: "The export, streamed (application/x-ndjson)." },
      401: { description: "No valid access token.", schema: r.error },
      429: { description: "`rate_limited`: too many exports; see the Retry-After header.", schema: r.error },
    },
    async handler({ request, services }): Promise<HttpResult> {
      const userId = await authenticated(services, request);
      const wait = await services.accountExport.admit(userId);
      if (wait > 0) {
        return {
          status: 429,
          headers: { "retry-after": String(wait) },
          body: { code: "rate_limited", message: `Too many exports; retry in ${wait} s.` },
        };
      }
      return {
        status: 200,
        headers: {
          "content-type": "application/x-ndjson; charset=utf-8",
          "content-disposition": 'attachment; filename="telegraph-export.jsonl"',
          "cache-control": "no-store",
        },
        body: Readable.from(services.accountExport.lines(userId), { objectMode: false }),
      };
    },
  }),
];
