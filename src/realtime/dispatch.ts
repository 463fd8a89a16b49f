import type { z } from "zod";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { AppError, toWireError } from "../shared/errors.ts";
import { findUnstorableText } from "../shared/schema.ts";
import type { Services } from "../services.ts";
import type { ClientEventDef, EventContext } from "./event.ts";
import type { FloodGuard } from "./flood.ts";
import { disconnectWithReason } from "./limits.ts";
import type { EventLimiter } from "./rate-limit.ts";
import type { TelegraphSocket } from "./socket.ts";

type Ack = (reply: unknown) => void;

// Undeclared event names share one budget (class default) per user, so junk costs a flooder like anything else.
const UNKNOWN = "(unknown)";

/**
 * The one path every client event takes: rate limit → validate → handler → reply.
 * The rate limit comes first so that a flood of junk costs no parsing; a budget a socket found spent is refused without
 * asking the limiter again, and a socket refused without a break for ABUSE_DISCONNECT_AFTER is disconnected. Replies
 * follow the protocol's convention: through the acknowledgement when the client passed one, else the row's reply event
 * or `errorFromServer`.
 */
export class Dispatcher {
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly events: Record<string, ClientEventDef>,
    private readonly limiter: EventLimiter,
    private readonly services: Services,
    private readonly log: Logger,
    private readonly metrics?: Metrics,
  ) {}

  private accepting = true;

  /** From now on new events are answered `unavailable` (the node is shutting down; the client retries elsewhere). */
  stopAccepting(): void {
    this.accepting = false;
  }

  /** Registers every declared event on a freshly accepted socket, and the answer for undeclared ones. */
  attach(socket: TelegraphSocket, connection: EventContext["connection"]): void {
    const userId = socket.data.user.user_id;
    const ctx: EventContext = {
      userId,
      socketId: socket.id,
      log: this.log.child({ userId, socketId: socket.id }),
      services: this.services,
      connection,
    };
    const guard = this.limiter.guard();
    socket.use(([event, ...args], next) => {
      const known = Object.hasOwn(this.events, event);
      // An undeclared name is echoed back in the reply: only its start, whatever a client sent.
      const name = known ? event : String(event).slice(0, 100);
      const ack = typeof args.at(-1) === "function" ? (args.at(-1) as Ack) : undefined;
      const waitMs = guard.waitFor(known ? name : UNKNOWN);
      if (waitMs > 0) {
        if (known) this.metrics?.events.inc({ event: name, outcome: "rate_limited" });
        // Once a flood has lasted a second, it is answered only where an acknowledgement waits (it was told when to retry).
        return this.refuse(socket, ctx, guard, known ? name : UNKNOWN, name, waitMs, ack, { quiet: true });
      }
      if (known) return next();
      this.limiter.spend("default", userId, UNKNOWN).then(
        (wait) =>
          wait > 0
            ? this.refuse(socket, ctx, guard, UNKNOWN, name, wait, ack)
            : this.fail(socket, name, ack, new AppError("invalid_input", `Unknown event "${name}".`)),
        (err: unknown) => this.fail(socket, name, ack, err),
      );
    });
    for (const [name, def] of Object.entries(this.events)) {
      socket.on(name, (...args: unknown[]) => this.track(this.dispatch(socket, ctx, guard, name, def, args)));
    }
  }

  /** Resolves once every event being handled now has replied (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private track(work: Promise<void>): void {
    this.inflight.add(work);
    void work.finally(() => this.inflight.delete(work));
  }

  private async dispatch(
    socket: TelegraphSocket,
    ctx: EventContext,
    guard: FloodGuard,
    name: string,
    def: ClientEventDef,
    args: unknown[],
  ): Promise<void> {
    const ack = typeof args.at(-1) === "function" ? (args.pop() as Ack) : undefined;
    const end = this.metrics?.eventSeconds.startTimer({ event: name });
    let outcome = "ok";
    try {
      if (!this.accepting) throw new AppError("unavailable", "This server is shutting down; reconnect and retry.");
      const waitMs = await this.limiter.spend(def.rate, ctx.userId, name);
      if (waitMs > 0) {
        outcome = "rate_limited";
        return this.refuse(socket, ctx, guard, name, name, waitMs, ack);
      }
      // A call that waited for its pace past its socket's end is dropped: nobody could be told it was done, and a
      // device resends what it was not acknowledged (with its client_id).
      if (!socket.connected) {
        outcome = "dropped";
        return;
      }
      const parsed = def.args.safeParse(args);
      if (!parsed.success) throw new AppError("invalid_input", describeIssues(parsed.error));
      const bad = findUnstorableText(parsed.data);
      if (bad !== undefined) throw new AppError("invalid_input", `${bad.path}: ${bad.problem}`);
      const data = await def.handler(ctx, parsed.data);
      if (ack) ack({ ok: true, data });
      else if (def.reply) emitUntyped(socket, def.reply, data);
    } catch (err) {
      if (!(err instanceof AppError)) ctx.log.error({ err, event: name }, "event handler failed");
      outcome = toWireError(err).code;
      this.fail(socket, name, ack, err);
    } finally {
      end?.();
      this.metrics?.events.inc({ event: name, outcome });
    }
  }

  /** Answers `rate_limited` — or, once the socket has been over budget long enough, disconnects it with the reason. */
  private refuse(
    socket: TelegraphSocket,
    ctx: EventContext,
    guard: FloodGuard,
    key: string,
    event: string,
    waitMs: number,
    ack: Ack | undefined,
    { quiet = false } = {},
  ): void {
    if (!guard.refused(key, quiet ? 0 : waitMs)) {
      if (quiet && !ack && guard.flooding()) return;
      this.fail(socket, event, ack, new AppError("rate_limited", `Too many "${event}" events; retry in ${Math.ceil(waitMs / 1000)} s.`));
      return;
    }
    ctx.log.warn({ event }, "socket disconnected: over its event budgets without a break (ABUSE_DISCONNECT_AFTER)");
    disconnectWithReason(socket, "rate_limited", "Over the event rate limits for too long without a break; disconnected.");
  }

  private fail(socket: TelegraphSocket, event: string, ack: Ack | undefined, err: unknown): void {
    const error = toWireError(err);
    if (ack) ack({ ok: false, error });
    else socket.emit("errorFromServer", { event, ...error });
  }
}

/** "0.echo: Too big: …; 1: Invalid input" — argument positions first, as the client sent them. */
function describeIssues(error: z.ZodError): string {
  return error.issues
    .flatMap(unwrapUnion)
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/**
 * A union's own message is only "Invalid input": report the branch whose type the value had (an id that is not
 * hex, an object with a wrong key), or, when it had none of their types, the first branch's "expected …".
 */
function unwrapUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return [issue];
  const typeMatched = issue.errors.find((branch) => !branch.some((inner) => inner.code === "invalid_type" && inner.path.length === 0));
  const branch = typeMatched ?? issue.errors[0] ?? [];
  return branch.flatMap((inner) => unwrapUnion({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue));
}

/** Reply events are typed per event in the protocol table; here the row's name and data are only known at run time. */
function emitUntyped(socket: TelegraphSocket, event: string, payload: unknown): void {
  (socket.emit as (event: string, payload: unknown) => boolean)(event, payload);
}
