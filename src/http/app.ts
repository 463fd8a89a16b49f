import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from "fastify";
import type { Logger } from "../logger.ts";
import { AppError, errorTable, toWireError } from "../shared/errors.ts";
import { registerSecurityHeaders } from "./security-headers.ts";
import { registerWebApp, type WebAppOptions } from "./web-app.ts";

/** The Fastify instance with Telegraph's error shape; routes are added by the composition root. */
export function createHttpApp(options: { log: Logger; trustProxy: boolean; web?: WebAppOptions }): FastifyInstance {
  const app = Fastify({
    // Fastify's own info lines (one per request, "Server listening at …") are left out; errors still show.
    loggerInstance: options.log.child({}, { level: options.log.levelVal > 40 ? options.log.level : "warn" }) as FastifyBaseLogger,
    trustProxy: options.trustProxy,
    bodyLimit: 64 * 1024,
    // A URL the router cannot decode (bad percent-encoding) never reaches the error handler; same answer as a bad body.
    frameworkErrors: (error, _request, reply) => void badRequest(reply, error.message),
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const status = errorTable[error.code].status;
      if (error.code === "invalid_input") {
        return reply.code(400).send({ error: "bad_request", code: error.code, message: error.message, details: error.details ?? [] });
      }
      return reply.code(status).send({ code: error.code, message: error.message });
    }
    // Fastify's own client errors: malformed JSON, wrong content type, body over the limit.
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.code(413).send({ code: "payload_too_large", message: errorTable.payload_too_large.message });
    if (status >= 400 && status < 500) return badRequest(reply, error.message);
    request.log.error({ err: error, url: request.url }, "request failed");
    return reply.code(500).send(toWireError(error));
  });

  registerSecurityHeaders(app);
  const webFallback = options.web ? registerWebApp(app, options.web, options.log) : undefined;
  app.setNotFoundHandler(
    (request, reply) =>
      webFallback?.(request, reply) ?? reply.code(404).send({ code: "not_found", message: `No route ${request.method} ${request.url}.` }),
  );
  return app;
}

/** Fastify's own client errors (malformed JSON or URL, wrong content type) as the table's invalid_input. */
function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(400).send({ error: "bad_request", code: "invalid_input", message, details: [{ field: "(body)", message }] });
}
