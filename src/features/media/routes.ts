import { z } from "zod";
import { defineRoute, type RouteDef } from "../../http/route.ts";
import { AppError } from "../../shared/errors.ts";
import { Id } from "../../shared/schema.ts";

const SignedQuery = z.object({
  exp: z.coerce.number().int().positive().optional(),
  sig: z.string().max(64).optional(),
});

export const mediaRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/media/:id",
    summary:
      "An image, to those who may see what it belongs to: with `Authorization: Bearer <access token>`, or through the signed URL a reply carried. Anyone else gets 404.",
    params: z.object({ id: Id }),
    query: SignedQuery,
    responses: {
      200: { description: "The image bytes, with Content-Type, ETag and long-lived private cache headers." },
      304: { description: "Not modified (If-None-Match)." },
      404: { description: "No such image, or not visible to the requester.", schema: z.object({ code: z.string(), message: z.string() }) },
    },
    async handler({ params, query, request, services }) {
      const header = request.headers.authorization;
      let viewer: { userId: string } | { signature: { exp: number; sig: string } };
      if (header?.startsWith("Bearer ")) {
        const token = await services.sessions.authenticate(header.slice("Bearer ".length));
        if (!token) throw new AppError("unauthenticated", "The access token is invalid or expired.");
        viewer = { userId: token.userId };
      } else if (query.exp !== undefined && query.sig !== undefined) {
        viewer = { signature: { exp: query.exp, sig: query.sig } };
      } else {
        throw new AppError("unauthenticated", "Send an access token (Authorization: Bearer) or use a signed media URL.");
      }
      const media = await services.media.readForViewer(params.id, viewer);
      const headers = {
        "content-type": media.type,
        etag: media.etag,
        // Content-addressed, so the bytes behind an id never change; private because access is per user.
        "cache-control": "private, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
      };
      if (request.headers["if-none-match"] === media.etag) return { status: 304, body: "", headers };
      return { status: 200, body: media.bytes, headers };
    },
  }),
];
