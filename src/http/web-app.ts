import { existsSync } from "node:fs";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "../logger.ts";

export interface WebAppOptions {
  enabled: boolean;
  /** Folder of the built app (index.html, assets/…); see WEB_DIST. */
  dist: string;
}

/** Answers a request no route matched, or returns undefined to let the JSON 404 answer. */
export type WebFallback = (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined;

const immutable = "public, max-age=31536000, immutable";
const shortCache = "public, max-age=3600";

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Telegraph</title></head>
<body><h1>The web app is not built</h1><p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload.</p></body></html>
`;

/**
 * Serves the built web app when WEB_APP=on: hashed `/assets/*` cached for a year, `index.html` never cached, and
 * every other GET/HEAD for HTML that no route matched answered with `index.html`, so the app's own routes open.
 * Returns the not-found fallback; API routes are untouched because Fastify matches them before the wildcard.
 */
export function registerWebApp(app: FastifyInstance, options: WebAppOptions, log: Logger): WebFallback | undefined {
  if (!options.enabled) return undefined;
  if (!existsSync(path.join(options.dist, "index.html"))) {
    log.warn({ webDist: options.dist }, `WEB_DIST (${options.dist}) has no index.html: the web app is not built; run npm run build:web`);
    return (request, reply) =>
      wantsApp(request) ? reply.code(503).header("cache-control", "no-store").type("text/html; charset=utf-8").send(notBuiltPage) : undefined;
  }
  void app.register(fastifyStatic, {
    root: options.dist,
    prefix: "/",
    index: false,
    preCompressed: true,
    cacheControl: false,
    // Vite writes .br and .gz twins beside the files; they are variants of a file, never pages of their own.
    allowedPath: (pathName) => !/\.(br|gz)$/.test(pathName),
    setHeaders(reply, filePath) {
      // filePath is the variant actually sent (index.html.br …); its cache rule is the logical file's.
      const relative = path.relative(options.dist, filePath).split(path.sep).join("/").replace(/\.(br|gz)$/, "");
      const cache = relative === "index.html" ? "no-cache" : relative.startsWith("assets/") ? immutable : shortCache;
      void reply.header("cache-control", cache);
    },
  });
  // The wildcard would treat "/" as a directory listing; it is the app's first page (or the JSON 404) like any other.
  app.get("/", (_request, reply) => reply.callNotFound());
  return (request, reply) => (wantsApp(request) ? reply.code(200).sendFile("index.html") : undefined);
}

/** A page of the app: GET/HEAD asking for HTML, not under /assets/ and not naming a file (a missing file stays 404). */
function wantsApp(request: FastifyRequest): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  if (!(request.headers.accept ?? "").includes("text/html")) return false;
  const pathname = request.url.split("?")[0] ?? "/";
  if (pathname.startsWith("/assets/")) return false;
  const last = pathname.slice(pathname.lastIndexOf("/") + 1);
  return !last.includes(".");
}
