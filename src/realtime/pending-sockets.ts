import { Adapter } from "socket.io-adapter";
import type { TelegraphSocket } from "./socket.ts";

/**
 * Room changes and disconnects that reach a connection while it is still in its middlewares.
 *
 * Socket.IO's adapter applies `addSockets` / `delSockets` / `disconnectSockets` only to accepted sockets, but a
 * connection joins its rooms in the middlewares, from a read of whom the user follows. A follow (or an unfollow, or a
 * block that removes a follow) committed between that read and the acceptance would not reach the new device: it
 * would miss the followed account's tweets, or keep receiving those of an account it may no longer see, until it
 * reconnected. So each node records the operations that arrive, locally or from other nodes, while a socket is
 * pending, and replays them in order on that socket once its middlewares are done — after its own joins.
 */
type Operation =
  | { kind: "add"; rooms: ReadonlySet<string>; except: ReadonlySet<string>; target: readonly string[] }
  | { kind: "del"; rooms: ReadonlySet<string>; except: ReadonlySet<string>; target: readonly string[] }
  | { kind: "disconnect"; rooms: ReadonlySet<string>; except: ReadonlySet<string> };

interface Options {
  rooms: Set<string>;
  except?: Set<string>;
}

const REGISTRY = Symbol("telegraph.pendingSockets");
type WithRegistry = { [REGISTRY]?: PendingSockets };

let patched = false;

/**
 * Wraps the three operations of socket.io-adapter's base class once per process. Every adapter (the in-memory one,
 * and Redis's, whose own overrides end in these for the local part and for requests from other nodes) then reports
 * them to its node's registry, if it has one; without one nothing changes.
 */
function patchAdapter(): void {
  if (patched) return;
  patched = true;
  const proto = Adapter.prototype as unknown as Record<string, (this: WithRegistry, opts: Options, arg: unknown) => unknown>;
  const wrap = (name: string, toOperation: (opts: Options, arg: unknown) => Operation) => {
    const original = proto[name]!;
    proto[name] = function (this: WithRegistry, opts: Options, arg: unknown) {
      const result = original.call(this, opts, arg);
      this[REGISTRY]?.record(toOperation(opts, arg));
      return result;
    };
  };
  const scope = (opts: Options) => ({ rooms: new Set(opts.rooms), except: new Set(opts.except ?? []) });
  wrap("addSockets", (opts, rooms) => ({ kind: "add", ...scope(opts), target: [...(rooms as string[])] }));
  wrap("delSockets", (opts, rooms) => ({ kind: "del", ...scope(opts), target: [...(rooms as string[])] }));
  wrap("disconnectSockets", (opts) => ({ kind: "disconnect", ...scope(opts) }));
}

export class PendingSockets {
  private readonly pending = new Map<string, Operation[]>();

  /** `adapter` is read at each connection: a clustered node swaps in Redis's adapter after the server is made. */
  constructor(private readonly adapter: () => object) {
    patchAdapter();
  }

  /** From here until `settle`, operations are recorded for this socket. */
  begin(socket: TelegraphSocket): void {
    (this.adapter() as WithRegistry)[REGISTRY] = this;
    this.pending.set(socket.id, []);
  }

  /** Stops recording (a refused connection). */
  forget(socket: TelegraphSocket): void {
    this.pending.delete(socket.id);
  }

  /**
   * Replays what arrived meanwhile on the socket, as the adapter would have had it been accepted, and stops
   * recording. Answers false when one of them disconnects it (a logout everywhere while it connected).
   */
  settle(socket: TelegraphSocket): boolean {
    const operations = this.pending.get(socket.id) ?? [];
    this.pending.delete(socket.id);
    for (const op of operations) {
      if (!matches(socket, op)) continue;
      if (op.kind === "disconnect") return false;
      if (op.kind === "add") void socket.join([...op.target]);
      else for (const room of op.target) void socket.leave(room);
    }
    return true;
  }

  record(op: Operation): void {
    for (const operations of this.pending.values()) operations.push(op);
  }

  get size(): number {
    return this.pending.size;
  }
}

/** The adapter's own filter: in one of the rooms (or all sockets when none is named), and in none of the except rooms. */
function matches(socket: TelegraphSocket, op: Operation): boolean {
  const rooms = socket.rooms;
  for (const room of op.except) if (rooms.has(room)) return false;
  if (op.rooms.size === 0) return true;
  for (const room of op.rooms) if (rooms.has(room)) return true;
  return false;
}
