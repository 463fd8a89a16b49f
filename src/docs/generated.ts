import { httpRoutes } from "../http/routes.ts";
import { buildAsyncApi } from "./asyncapi.ts";
import { buildClientProtocol } from "./client-protocol.ts";
import { buildOpenApi } from "./openapi.ts";
import { buildProtocolMarkdown } from "./protocol-md.ts";

/** The files under docs/ that are generated, by name, with the content the code produces now. */
export function generatedDocs(): Record<string, string> {
  return {
    "asyncapi.json": JSON.stringify(buildAsyncApi(), null, 2) + "\n",
    "openapi.json": JSON.stringify(buildOpenApi(httpRoutes), null, 2) + "\n",
    "protocol.md": buildProtocolMarkdown(),
  };
}

/** Generated source files outside docs/, by path from the repository root (the client's protocol types). */
export function generatedSources(): Record<string, string> {
  return { "client/src/protocol.generated.ts": buildClientProtocol() };
}
