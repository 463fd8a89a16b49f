import { z } from "zod";
import { defineRoute, type RouteDef } from "./route.ts";

/** Health checks. */
export const systemRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/healthz",
    summary: "The process is up.",
    responses: { 200: { description: "Up.", schema: z.object({ status: z.literal("ok") }) } },
    handler: async () => ({ status: 200, body: { status: "ok" } }),
  }),
  defineRoute({
    method: "GET",
    url: "/readyz",
    summary: "The database answers; 503 when it does not.",
    responses: {
      200: { description: "Ready.", schema: z.object({ status: z.literal("ready") }) },
      503: { description: "The database does not answer.", schema: z.object({ status: z.literal("unavailable") }) },
    },
    async handler({ services }) {
      return (await services.isReady())
        ? { status: 200, body: { status: "ready" } }
        : { status: 503, body: { status: "unavailable" } };
    },
  }),
];
