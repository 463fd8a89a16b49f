import type { FastifyInstance, FastifyRequest } from "fastify";
import type { z } from "zod";
import { AppError } from "../shared/errors.ts";
import { findUnstorableText } from "../shared/schema.ts";
import type { Services } from "../services.ts";

export interface HttpResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/**
 * One HTTP route, declared once: Fastify registration and the OpenAPI document are both derived from it.
 * The body is parsed by its schema before the handler runs; a bad body is a 400 naming the fields.
 */
export interface RouteDef<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  method: "GET" | "POST" | "DELETE";
  url: string;
  summary: string;
  body?: B;
  query?: Q;
  params?: P;
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  handler(input: {
    body: z.output<B>;
    query: z.output<Q>;
    params: z.output<P>;
    ip: string;
    request: FastifyRequest;
    services: Services;
  }): Promise<HttpResult>;
}

/** Keeps the row's types; the identity function is there for inference. */
export function defineRoute<
  B extends z.ZodType = z.ZodUndefined,
  Q extends z.ZodType = z.ZodUndefined,
  P extends z.ZodType = z.ZodUndefined,
>(def: RouteDef<B, Q, P>): RouteDef<B, Q, P> {
  return def;
}

/** Registers routes on a Fastify instance; validation failures become AppError("invalid_input") with the zod issues. */
export function registerRoutes(app: FastifyInstance, routes: readonly RouteDef[], services: Services): void {
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.url,
      handler: async (request, reply) => {
        const body = route.body ? parseOrThrow(route.body, request.body ?? {}) : undefined;
        const query = route.query ? parseOrThrow(route.query, request.query ?? {}) : undefined;
        const params = route.params ? parseOrThrow(route.params, request.params ?? {}) : undefined;
        const result = await route.handler({ body, query, params, ip: request.ip, request, services });
        if (result.headers) void reply.headers(result.headers);
        return reply.code(result.status).send(result.body);
      },
    });
  }
}

function parseOrThrow(schema: z.ZodType, value: unknown): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) {
    const bad = findUnstorableText(parsed.data);
    if (bad === undefined) return parsed.data;
    throw new AppError("invalid_input", `Invalid ${bad.path}.`, [{ field: bad.path, message: bad.problem }]);
  }
  const details = parsed.error.issues.map((issue) => ({ field: issue.path.join(".") || "(body)", message: issue.message }));
  throw new AppError("invalid_input", `Invalid ${details.map((d) => d.field).join(", ")}.`, details);
}
