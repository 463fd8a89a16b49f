import { z } from "zod";
import { defineRoute, type RouteDef } from "../../http/route.ts";

/** The VAPID public key a browser subscribes with (`applicationServerKey`). */
export const pushRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/push/vapid_public_key",
    summary: "The server's VAPID public key (base64url, an uncompressed P-256 point), for `pushManager.subscribe`.",
    responses: { 200: { description: "The key.", schema: z.object({ public_key: z.string() }) } },
    handler: async ({ services }) => ({ status: 200, body: { public_key: (await services.push.vapidKeys()).publicKey } }),
  }),
];
