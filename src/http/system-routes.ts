import { z } from "zod";
import { COMMENT_MAX_LENGTH } from "../features/tweets/events.ts";
import { defineRoute, type RouteDef } from "./route.ts";

const Limits = z.object({
  tweet_max_length: z.number().int().describe("characters a tweet may have after trimming (TWEET_MAX_LENGTH)"),
  comment_max_length: z.number().int().describe("characters a comment may have"),
  media_max_bytes: z.number().int().describe("largest upload, in bytes (MEDIA_MAX_BYTES)"),
  story_ttl_seconds: z.number().int().describe("how long a story stays (STORY_TTL)"),
});

/** Health checks, and the limits a client needs to know before it sends (so it need not hard-code them). */
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
  defineRoute({
    method: "GET",
    url: "/limits",
    summary: "This server's limits that a client checks before sending: tweet length, upload size, story lifetime.",
    responses: { 200: { description: "The limits.", schema: Limits } },
    handler: async ({ services }) => {
      const config = services.config;
      return {
        status: 200,
        body: {
          tweet_max_length: config.tweetMaxLength,
          comment_max_length: COMMENT_MAX_LENGTH,
          media_max_bytes: config.media.maxBytes,
          story_ttl_seconds: config.stories.ttl,
        },
      };
    },
  }),
];
