import type { RouteDef } from "../http/route.ts";
import { jsonSchema } from "./json-schema.ts";
import { PROTOCOL_VERSION } from "./version.ts";

/** The OpenAPI 3.1 document of the HTTP API, derived from the route declarations. */
export function buildOpenApi(routes: readonly RouteDef[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      responses[status] = {
        description: response.description,
        ...(response.schema ? { content: { "application/json": { schema: jsonSchema(response.schema, "output") } } } : {}),
      };
    }
    const query = route.query ? jsonSchema(route.query, "input") : undefined;
    const properties = (query?.["properties"] ?? {}) as Record<string, unknown>;
    const required = new Set((query?.["required"] ?? []) as string[]);
    (paths[route.url] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      ...(route.query
        ? { parameters: Object.entries(properties).map(([name, schema]) => ({ name, in: "query", required: required.has(name), schema })) }
        : {}),
      ...(route.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Telegraph HTTP API",
      version: PROTOCOL_VERSION,
      description: "Accounts (register, confirm email, login, refresh, reset password), health and the API documents.",
    },
    paths,
  };
}
