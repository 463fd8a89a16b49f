import type { Server, Socket } from "socket.io";
import type { FeedState } from "./feed.ts";
import type { ServerToClientEvents } from "./protocol.ts";

/** What a connection carries once the middleware chain accepted it. */
export interface SocketData {
  /** Set by the authentication middleware, as the founding notes' jwtObject. */
  user: { user_id: string };
  /** When the access token this connection holds expires, ms since the epoch. */
  tokenExpiresAt: number;
  /** Where this socket is in its user's update log. */
  feed: FeedState;
}

// Client events are dispatched from the protocol table at run time, so the server side leaves their map open.
type AnyClientEvents = Record<string, (...args: unknown[]) => void>;

export type TelegraphServer = Server<AnyClientEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type TelegraphSocket = Socket<AnyClientEvents, ServerToClientEvents, Record<string, never>, SocketData>;
