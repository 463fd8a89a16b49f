import type { Logger } from "../logger.ts";
import { toWireError } from "../shared/errors.ts";
import type { Services } from "../services.ts";
import type { TelegraphSocket } from "./socket.ts";

export interface MiddlewareContext {
  services: Services;
  log: Logger;
}

/**
 * A connection middleware, as the founding notes define it: return true to let the connection go on to the next one,
 * false to refuse it (the client's `connect_error` names the function). Throwing refuses it with `internal`, or with
 * `unavailable` when what it needed (the database) is away for now; an `AppError("rate_limited")` or
 * `AppError("account_suspended")` refuses it with that code.
 */
export type ConnectionMiddleware = (socket: TelegraphSocket, ctx: MiddlewareContext) => boolean | Promise<boolean>;

export interface RefusalData {
  code: "unauthenticated" | "forbidden" | "internal" | "unavailable" | "rate_limited" | "account_suspended";
  middleware: string;
}

/** Runs the chain in order; resolves with the refusal or null when every middleware returned true. */
export async function runMiddlewares(
  chain: readonly ConnectionMiddleware[],
  socket: TelegraphSocket,
  ctx: MiddlewareContext,
): Promise<{ message: string; data: RefusalData } | null> {
  for (const middleware of chain) {
    const name = middleware.name || "anonymous";
    let accepted: boolean;
    try {
      accepted = await middleware(socket, ctx);
    } catch (err) {
      if (toWireError(err).code === "rate_limited") return { message: "rate_limited", data: { code: "rate_limited", middleware: name } };
      if (toWireError(err).code === "account_suspended") return { message: "account_suspended", data: { code: "account_suspended", middleware: name } };
      if (toWireError(err).code === "unavailable") {
        ctx.log.warn({ middleware: name }, "connection refused: a dependency is unavailable");
        return { message: "unavailable", data: { code: "unavailable", middleware: name } };
      }
      ctx.log.error({ err, middleware: name }, "connection middleware threw");
      return { message: "internal", data: { code: "internal", middleware: name } };
    }
    if (accepted !== true) {
      // Before authentication succeeded a refusal means "who are you?"; after it, "not you".
      const code = socket.data.user ? "forbidden" : "unauthenticated";
      return { message: name, data: { code, middleware: name } };
    }
  }
  return null;
}
