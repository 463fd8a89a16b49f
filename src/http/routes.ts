import { accountRoutes } from "../features/accounts/routes.ts";
import { lifecycleRoutes } from "../features/accounts/lifecycle-routes.ts";
import { sessionRoutes } from "../features/accounts/session-routes.ts";
import { mediaRoutes } from "../features/media/routes.ts";
import { pushRoutes } from "../features/push/routes.ts";
import { defineRoute, type RouteDef } from "./route.ts";
import { systemRoutes } from "./system-routes.ts";
import { buildAsyncApi } from "../docs/asyncapi.ts";
import { buildOpenApi } from "../docs/openapi.ts";

const docsRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/asyncapi.json",
    summary: "The AsyncAPI 3.0 document of the Socket.IO protocol, generated from the event declarations.",
    responses: { 200: { description: "The document." } },
    handler: async () => ({ status: 200, body: buildAsyncApi() }),
  }),
  defineRoute({
    method: "GET",
    url: "/openapi.json",
    summary: "The OpenAPI 3.1 document of the HTTP API, generated from the route declarations.",
    responses: { 200: { description: "The document." } },
    handler: async () => ({ status: 200, body: buildOpenApi(httpRoutes) }),
  }),
];

/** Every HTTP route, in the order the OpenAPI document lists them. */
export const httpRoutes: RouteDef[] = [...systemRoutes, ...accountRoutes, ...sessionRoutes, ...lifecycleRoutes, ...mediaRoutes, ...pushRoutes, ...docsRoutes];
