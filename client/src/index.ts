import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
// Generated from the protocol's JSON Schemas (`npm run docs`): the client carries its own types, no server source.
// `.js`, as the built package has it: every resolver here (tsc, Vite, esbuild, tsx) maps it to the `.ts` source.
import type { ClientEvents, ErrorCode, PushPayloads } from "./protocol.generated.js";

export { errorCodes, protocolVersion } from "./protocol.generated.js";
export type { ClientEvents, ErrorCode, PushPayloads };

/** The name of every client event. */
export type ClientEventName = keyof ClientEvents;
/** The argument list a client sends for an event (without the acknowledgement). */
export type ClientArgs<K extends ClientEventName> = ClientEvents[K]["args"];
/** What a successful reply carries. */
export type ClientData<K extends ClientEventName> = ClientEvents[K]["data"];

/** The payload of every event a client may receive: pushes and named replies. */
export type ServerPayloads = PushPayloads & {
  [K in ClientEventName as ClientEvents[K]["reply"] & string]: ClientData<K>;
};

/** The `{ code, message }` of a refused or failed event. */
export interface WireError {
  code: ErrorCode;
  message: string;
}

/** What an acknowledgement callback receives. */
export type AckReply<T> = { ok: true; data: T } | { ok: false; error: WireError };

/** Socket.IO's typed map of the events a client receives. */
export type ServerToClientEvents = { [K in keyof ServerPayloads]: (payload: ServerPayloads[K]) => void };

/** A refused or failed event: `code` is one of the protocol's error codes. */
export class TelegraphError extends Error {
  override name = "TelegraphError";
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A refused connection: `middleware` names the connection middleware that refused it. */
export class TelegraphConnectError extends Error {
  override name = "TelegraphConnectError";
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly middleware: string | undefined,
  ) {
    super(message);
  }
}

/** One async method per client event: resolves with the reply's `data`, rejects with a TelegraphError. */
export type TelegraphApi = { [K in ClientEventName]: (...args: ClientArgs<K>) => Promise<ClientData<K>> };

export interface ClientOptions extends Partial<ManagerOptions & SocketOptions> {
  accessToken: string;
  /**
   * The last update seq this device processed (persist `client.lastSeq` between runs). When set, the server replays
   * what was missed through `syncFromServer` instead of the bootstrap emits; reconnects send it automatically.
   */
  lastSeq?: number;
  /** How long a request waits for its acknowledgement before failing with `unavailable` (ms). */
  requestTimeout?: number;
}

type LooseClientEvents = Record<string, (...args: unknown[]) => void>;

/**
 * A Telegraph connection.
 * @example
 * const client = await connect("http://localhost:3000", { accessToken });
 * const profile = await client.api.receiveUserProfile(userId);
 * client.on("errorFromServer", (e) => console.warn(e.code, e.message));
 */
export class TelegraphClient {
  readonly socket: Socket<ServerToClientEvents, LooseClientEvents>;
  readonly api: TelegraphApi;
  /** The highest update seq received so far (live or replayed); undefined before the first one. */
  lastSeq: number | undefined;
  private readonly requestTimeout: number;

  constructor(url: string, options: ClientOptions) {
    const { accessToken, requestTimeout = 10_000, lastSeq, ...socketOptions } = options;
    this.requestTimeout = requestTimeout;
    this.lastSeq = lastSeq;
    const extraAuth = typeof socketOptions.auth === "object" ? socketOptions.auth : {};
    // A function, so that every reconnect sends the seq reached by then.
    const auth = (cb: (data: object) => void) =>
      cb({ accessToken, ...(this.lastSeq !== undefined ? { lastSeq: this.lastSeq } : {}), ...extraAuth });
    this.socket = io(url, { transports: ["websocket"], autoConnect: false, ...socketOptions, auth });
    this.socket.onAny((event: string, payload: unknown) => this.track(event, payload));
    this.api = new Proxy({} as TelegraphApi, {
      get: (_target, event) => (typeof event === "string" ? (...args: unknown[]) => this.request(event, args) : undefined),
    });
  }

  /** Opens the connection; rejects with TelegraphConnectError when a middleware refuses it. */
  open(): Promise<this> {
    return new Promise((resolve, reject) => {
      const onConnect = () => {
        this.socket.off("connect_error", onError);
        resolve(this);
      };
      const onError = (err: Error & { data?: { code?: string; middleware?: string } }) => {
        this.socket.off("connect", onConnect);
        this.socket.disconnect();
        reject(new TelegraphConnectError(err.message, err.data?.code, err.data?.middleware));
      };
      this.socket.once("connect", onConnect);
      this.socket.once("connect_error", onError);
      this.socket.connect();
    });
  }

  /** Sends an event with an acknowledgement and unwraps the `{ ok, data | error }` reply. */
  async request(event: string, args: unknown[]): Promise<never> {
    let reply: AckReply<unknown>;
    try {
      reply = await this.socket.timeout(this.requestTimeout).emitWithAck(event, ...args);
    } catch {
      throw new TelegraphError("unavailable", `No reply to "${event}" within ${this.requestTimeout} ms.`);
    }
    if (reply.ok) {
      if (event === "getUpdates") this.track("syncFromServer", reply.data);
      return reply.data as never;
    }
    throw new TelegraphError(reply.error.code, reply.error.message);
  }

  /**
   * Listens to a server event; returns the function that stops listening. When the server asks for an
   * acknowledgement (a delivered message), it is given once a listener has run.
   */
  on<K extends keyof ServerPayloads>(event: K, listener: (payload: ServerPayloads[K]) => void): () => void {
    const untyped = this.socket as unknown as Socket;
    const wrapped = (payload: ServerPayloads[K], ack?: unknown) => {
      listener(payload);
      if (typeof ack === "function") ack();
    };
    untyped.on(event as string, wrapped);
    return () => void untyped.off(event as string, wrapped);
  }

  private track(event: string, payload: unknown): void {
    const advance = (seq: unknown) => {
      if (typeof seq === "number" && (this.lastSeq === undefined || seq > this.lastSeq)) this.lastSeq = seq;
    };
    if (event === "syncFromServer" && payload && typeof payload === "object") {
      const page = payload as { reset?: boolean; last_seq?: number; updates?: { seq: number }[] };
      if (page.reset) this.lastSeq = page.last_seq;
      else advance(page.updates?.at(-1)?.seq);
      return;
    }
    if (payload && typeof payload === "object") advance((payload as { seq?: unknown }).seq);
  }

  /** The next payload of a server event (that matches `accept`, when given); rejects after `timeoutMs`. */
  next<K extends keyof ServerPayloads>(
    event: K,
    options: { timeoutMs?: number; accept?: (payload: ServerPayloads[K]) => boolean } = {},
  ): Promise<ServerPayloads[K]> {
    const { timeoutMs = 5_000, accept = () => true } = options;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`No "${String(event)}" within ${timeoutMs} ms.`));
      }, timeoutMs);
      const stop = this.on(event, (payload) => {
        if (!accept(payload)) return;
        clearTimeout(timer);
        stop();
        resolve(payload);
      });
    });
  }

  /** Emits an event without an acknowledgement: the reply comes as the named reply event or `errorFromServer`. */
  emit<K extends ClientEventName>(event: K, ...args: ClientArgs<K>): void {
    this.socket.emit(event, ...(args as unknown[]));
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Connects and authenticates; resolves once the server accepted the connection. */
export function connect(url: string, options: ClientOptions): Promise<TelegraphClient> {
  return new TelegraphClient(url, options).open();
}
