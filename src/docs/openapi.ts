import type { z } from "zod";
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
    const parameters = [
      ...parametersOf(route.params, "path"),
      ...parametersOf(route.query, "query"),
    ];
    (paths[route.url.replace(/:(\w+)/g, "{$1}")] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      ...(parameters.length ? { parameters } : {}),
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

function parametersOf(schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const json = jsonSchema(schema, "input");
  const properties = (json["properties"] ?? {}) as Record<string, unknown>;
  const required = new Set((json["required"] ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({ name, in: where, required: where === "path" || required.has(name), schema: s }));
}
