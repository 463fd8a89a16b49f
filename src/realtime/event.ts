import type { z } from "zod";
import type { Logger } from "../logger.ts";
import type { ErrorCode } from "../shared/errors.ts";
import type { SyncPage } from "../features/sync/log.ts";
import type { Services } from "../services.ts";

/** Rate-limit classes; their budgets come from EVENT_RATE_LIMIT and EVENT_RATE_LIMIT_WRITE. */
export type RateClass = "default" | "write";

/** What a handler knows about who is calling. Handlers never see the socket or the acknowledgement. */
export interface EventContext {
  userId: string;
  socketId: string;
  log: Logger;
  services: Services;
  /** This connection: its token expiry and its place in the update log. */
  connection: {
    renewToken(expiresAtMs: number): void;
    pullUpdates(since: number, limit: number): Promise<SyncPage>;
  };
}

/**
 * One client-to-server event, declared once in its feature's events.ts.
 * `args` is a schema over the whole argument list (a tuple, or a union of tuples for events with several forms);
 * the dispatcher validates against it, and the typed client and the docs are derived from it.
 */
export interface ClientEventDef<
  A extends z.ZodType = z.ZodType,
  D extends z.ZodType = z.ZodType,
  R extends string | undefined = string | undefined,
> {
  summary: string;
  args: A;
  /** The payload of a successful reply (`data`). */
  data: D;
  /** The event that carries `data` when the client passed no acknowledgement; undefined: success is silent. */
  reply: R;
  rate: RateClass;
  /** Error codes this event answers with, beyond the ones every event may give. */
  errors: readonly ErrorCode[];
  example: { args: z.input<A>; data: z.input<D> };
  handler(ctx: EventContext, input: z.output<A>): Promise<z.input<D>>;
}

/** A server-to-client push, declared once with its payload. */
export interface ServerEventDef<P extends z.ZodType = z.ZodType> {
  summary: string;
  payload: P;
  example: z.input<P>;
  /** Emitted right after a connection is accepted, with what this returns (the founding notes' bootstrap emits). */
  onConnect?: (ctx: { userId: string; services: Services }) => Promise<z.input<P>>;
  /** A bootstrap emit that a client catching up with `auth.lastSeq` does not need (the log replaces it). */
  replacedBySync?: boolean;
  /**
   * Live pushes of `event` that this bootstrap emit already carried (matched by their payload's `id`): an update that
   * arrives while a device connects reaches it once, in the bootstrap, not a second time live.
   */
  covers?: { event: string; ids(payload: z.output<P>): string[] };
}

/** Declares a client event; the identity function is there for type inference. */
export function clientEvent<A extends z.ZodType, D extends z.ZodType, const R extends string | undefined>(
  def: ClientEventDef<A, D, R>,
): ClientEventDef<A, D, R> {
  return def;
}

/** Declares a server push. */
export function serverEvent<P extends z.ZodType>(def: ServerEventDef<P>): ServerEventDef<P> {
  return def;
}
