import type { PushPayloads } from "./protocol.ts";
import { userRoom } from "./rooms.ts";
import type { TelegraphServer } from "./socket.ts";

/** How services push to users: through rooms only, so the same call reaches every device on every node. */
export interface Publisher {
  /** Emits to every device of these users, except the socket that caused it (when given). */
  toUsers<K extends keyof PushPayloads>(
    userIds: readonly string[],
    event: K,
    payload: PushPayloads[K],
    options?: { exceptSocket?: string },
  ): void;
  /** Emits to a room (a followers room), except the socket that caused it and the devices of `exceptUsers`. */
  toRoom<K extends keyof PushPayloads>(
    room: string | readonly string[],
    event: K,
    payload: PushPayloads[K],
    options?: { exceptSocket?: string; exceptUsers?: readonly string[] },
  ): void;
  /**
   * Puts one socket of this node in `room` (null: in none), out of any other room that starts with `prefix`: what a
   * screen watches live, one thing at a time per socket.
   */
  watch(socketId: string, prefix: string, room: string | null): void;
  /** Puts every open socket of these users (on every node) into a room, or takes them out; resolves once done here. */
  joinRoom(userIds: readonly string[], room: string): Promise<void>;
  leaveRoom(userIds: readonly string[], room: string): Promise<void>;
}

export function createPublisher(getIo: () => TelegraphServer | undefined): Publisher {
  return {
    toUsers(userIds, event, payload, options = {}) {
      const io = getIo();
      if (!io || userIds.length === 0) return;
      const rooms = [...new Set(userIds)].map(userRoom);
      const target = options.exceptSocket ? io.to(rooms).except(options.exceptSocket) : io.to(rooms);
      (target.emit as (event: string, payload: unknown) => boolean)(event as string, payload);
    },
    toRoom(room, event, payload, options = {}) {
      const io = getIo();
      if (!io) return;
      const except = [...(options.exceptSocket ? [options.exceptSocket] : []), ...(options.exceptUsers ?? []).map(userRoom)];
      const rooms = typeof room === "string" ? room : [...room];
      const target = except.length > 0 ? io.to(rooms).except(except) : io.to(rooms);
      (target.emit as (event: string, payload: unknown) => boolean)(event as string, payload);
    },
    watch(socketId, prefix, room) {
      const socket = getIo()?.of("/").sockets.get(socketId);
      if (!socket) return;
      for (const joined of socket.rooms) if (joined.startsWith(prefix) && joined !== room) void socket.leave(joined);
      if (room) void socket.join(room);
    },
    // This node's sockets change rooms at once (the Redis adapter would apply its own request only when it comes back
    // from Redis); the other nodes follow through the adapter.
    async joinRoom(userIds, room) {
      const io = getIo();
      if (!io || userIds.length === 0) return;
      const rooms = new Set(userIds.map(userRoom));
      await io.of("/").adapter.addSockets({ rooms, except: new Set(), flags: { local: true } }, [room]);
      await io.of("/").adapter.addSockets({ rooms, except: new Set() }, [room]);
    },
    async leaveRoom(userIds, room) {
      const io = getIo();
      if (!io || userIds.length === 0) return;
      const rooms = new Set(userIds.map(userRoom));
      await io.of("/").adapter.delSockets({ rooms, except: new Set(), flags: { local: true } }, [room]);
      await io.of("/").adapter.delSockets({ rooms, except: new Set() }, [room]);
    },
  };
}
