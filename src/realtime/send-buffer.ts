import type { Logger } from "../logger.ts";
import type { TelegraphSocket } from "./socket.ts";

type EngineConnection = TelegraphSocket["conn"];

const watched = new WeakSet<EngineConnection>();

/**
 * Caps what the server holds for a connection that stopped reading: packets waiting in engine.io's write buffer plus
 * the bytes its WebSocket has not handed to the kernel yet. Every push, room broadcast and reply goes through
 * engine.io's `sendPacket`, so one listener on its "packetCreate" sees them all. Once more than `maxBytes` are held when
 * another packet is queued, the connection is dropped; it cannot be told (it is not reading), and what it missed stays
 * in the update log for its catch-up. A single large packet (a catch-up page) on an empty queue is never the cause.
 */
export function capSendBuffer(socket: TelegraphSocket, maxBytes: number, log: Logger): void {
  const conn = socket.conn;
  if (watched.has(conn)) return;
  watched.add(conn);
  // Bytes queued since engine.io last handed its write buffer to the transport ("flush" empties it).
  let waiting = 0;
  let dropping = false;
  conn.on("flush", () => {
    waiting = 0;
  });
  conn.on("packetCreate", (packet: { data?: unknown }) => {
    if (dropping) return;
    const held = waiting + transportBuffered(conn);
    waiting += sizeOf(packet.data);
    if (held <= maxBytes) return;
    dropping = true;
    log.warn({ userId: socket.data.user?.user_id, socketId: socket.id, heldBytes: held }, "connection dropped: it stopped reading (MAX_SOCKET_BUFFER)");
    // Not from inside whichever emit queued this packet: the disconnect handlers run on their own turn.
    setImmediate(() => drop(conn));
  });
}

/** What a packet holds while it waits: a string's length (V8 keeps one or two bytes per character), a buffer's size. */
function sizeOf(data: unknown): number {
  if (typeof data === "string") return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** Bytes the WebSocket (the `ws` package) has accepted but not yet written to the kernel; 0 for other transports. */
function transportBuffered(conn: EngineConnection): number {
  const ws = (conn.transport as unknown as { socket?: { bufferedAmount?: unknown } }).socket;
  return typeof ws?.bufferedAmount === "number" ? ws.bufferedAmount : 0;
}

function drop(conn: EngineConnection): void {
  // A WebSocket close handshake would keep the unsent bytes for 30 s waiting for a reader that is gone: end it now.
  const ws = (conn.transport as unknown as { socket?: { terminate?: unknown } }).socket;
  if (typeof ws?.terminate === "function") (ws.terminate as () => void).call(ws);
  conn.close(true);
}
