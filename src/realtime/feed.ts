import type { Db } from "../db/db.ts";
import type { Logged, SyncPage, UpdateLog } from "../features/sync/log.ts";
import type { Logger } from "../logger.ts";
import { BatchLoader } from "../shared/batch.ts";
import { AppError } from "../shared/errors.ts";
import { userRoom } from "./rooms.ts";
import type { TelegraphServer, TelegraphSocket } from "./socket.ts";

/** How far a socket is in its user's update log. Lives on socket.data; every change runs on `chain`, in order. */
export interface FeedState {
  /** The highest seq this socket has been given (live, replayed, or covered by its bootstrap). */
  cursor: number;
  /** While true the client is catching up through pages, and live updates wait in the log for it. */
  pulling: boolean;
  chain: Promise<void>;
}

const GAP_FILL_LIMIT = 100;
// The first page after a reconnect: most catch-ups then finish in one round trip.
const FIRST_PAGE_LIMIT = 500;
const ACK_TIMEOUT_MS = 60_000;

/**
 * Delivers logged updates to each socket in seq order, never twice, never below what it already has. A socket that
 * reconnects with `lastSeq` first replays the log (`syncFromServer`); live updates resume only after that.
 */
export class LiveFeed {
  /** Where a new device starts: read for every connection, so a storm of connections shares queries. */
  private readonly lastSeqs = new BatchLoader<string, number>((ids) => this.deps.log.lastSeqs(this.deps.db, ids));

  constructor(
    private readonly deps: {
      db: Db;
      log: UpdateLog;
      logger: Logger;
      getIo: () => TelegraphServer | undefined;
      /** Called when a device acknowledged a live update (delivery receipts). */
      onAcknowledged: (userId: string, seq: number) => void;
      /** Events whose live push asks the device for an acknowledgement. */
      acknowledged: ReadonlySet<string>;
    },
  ) {}

  /**
   * Starts a socket's feed. Without lastSeq (older clients) it starts at the user's newest seq and the caller sends the
   * bootstrap emits; with lastSeq it replays from there. Resolves with whether the caller must send the bootstrap.
   */
  async attach(socket: TelegraphSocket, lastSeq: number | undefined): Promise<{ bootstrap: boolean }> {
    const userId = socket.data.user.user_id;
    const state: FeedState = { cursor: 0, pulling: true, chain: Promise.resolve() };
    socket.data.feed = state;
    if (lastSeq === undefined) {
      state.cursor = (await this.lastSeqs.load(userId)) ?? 0;
      state.pulling = false;
      return { bootstrap: true };
    }
    let reset = false;
    await this.run(state, async () => {
      const page = await this.deps.log.page(this.deps.db, userId, Math.max(0, lastSeq), FIRST_PAGE_LIMIT);
      // A lastSeq ahead of the log (another server's, or a wiped database) is treated like one too old.
      const answer: SyncPage = page ?? { reset: true, last_seq: await this.deps.log.lastSeq(this.deps.db, userId) };
      reset = "reset" in answer;
      this.advance(state, answer, Math.max(0, lastSeq));
      socket.emit("syncFromServer", answer);
    });
    return { bootstrap: reset };
  }

  /** A page for `getUpdates`, in order with the socket's live deliveries; ends the catch-up when it is complete. */
  pull(socket: TelegraphSocket, since: number, limit: number): Promise<SyncPage> {
    const state = socket.data.feed;
    return new Promise((resolve, reject) => {
      void this.run(state, async () => {
        try {
          const page = await this.deps.log.page(this.deps.db, socket.data.user.user_id, since, limit);
          if (!page) throw new AppError("invalid_input", "`since` is ahead of the newest update.");
          this.advance(state, page, since);
          resolve(page);
        } catch (err) {
          reject(err);
        }
      });
    });
  }

  private broadcast: ((updates: readonly Logged[], options: { exceptSocket?: string }) => void) | undefined;

  /** In a cluster: how updates reach the other nodes (each hands them to its own sockets with deliverLocal). */
  broadcastWith(broadcast: (updates: readonly Logged[], options: { exceptSocket?: string }) => void): void {
    this.broadcast = broadcast;
  }

  /** Hands logged updates to the sockets of their users, on this node and, in a cluster, on the others. */
  deliver(updates: readonly Logged[], options: { exceptSocket?: string } = {}): void {
    if (updates.length === 0) return;
    this.deliverLocal(updates, options);
    this.broadcast?.(updates, options);
  }

  /** Hands logged updates to the sockets of their users on this node. */
  deliverLocal(updates: readonly Logged[], options: { exceptSocket?: string } = {}): void {
    const io = this.deps.getIo();
    if (!io) return;
    for (const update of updates) {
      const ids = io.of("/").adapter.rooms.get(userRoom(update.userId));
      for (const id of ids ?? []) {
        const socket = io.of("/").sockets.get(id) as TelegraphSocket | undefined;
        if (socket?.data.feed) this.deliverTo(socket, update, id === options.exceptSocket);
      }
    }
  }

  private deliverTo(socket: TelegraphSocket, update: Logged, isActor: boolean): void {
    const state = socket.data.feed;
    void this.run(state, async () => {
      if (state.pulling || update.seq <= state.cursor) return;
      if (update.seq > state.cursor + 1) {
        const gap = await this.deps.log.range(this.deps.db, update.userId, state.cursor, update.seq - 1, GAP_FILL_LIMIT);
        if (gap.length < update.seq - 1 - state.cursor) {
          // Too far behind to fill live: back to paging, from where this socket is.
          state.pulling = true;
          const page = await this.deps.log.page(this.deps.db, update.userId, state.cursor, GAP_FILL_LIMIT);
          if (page) {
            this.advance(state, page, state.cursor);
            socket.emit("syncFromServer", page);
          }
          return;
        }
        for (const row of gap) this.emit(socket, update.userId, row.seq, row.event, { ...row.data, seq: row.seq });
      }
      // The socket that caused an update has its result in the reply; it only moves its cursor past it.
      if (!isActor) this.emit(socket, update.userId, update.seq, update.event, update.payload);
      state.cursor = update.seq;
    });
  }

  private emit(socket: TelegraphSocket, userId: string, seq: number, event: string, payload: unknown): void {
    const raw = socket as unknown as { emit(event: string, ...args: unknown[]): boolean; timeout(ms: number): typeof raw };
    if (this.deps.acknowledged.has(event)) {
      raw.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err: unknown) => {
        if (!err) this.deps.onAcknowledged(userId, seq);
      });
    } else {
      raw.emit(event, payload);
    }
    socket.data.feed.cursor = seq;
  }

  private advance(state: FeedState, page: SyncPage, since: number): void {
    if ("reset" in page) {
      state.cursor = page.last_seq;
      state.pulling = false;
      return;
    }
    state.cursor = Math.max(state.cursor, page.updates.at(-1)?.seq ?? since);
    if (page.complete) state.pulling = false;
  }

  private run(state: FeedState, task: () => Promise<void>): Promise<void> {
    state.chain = state.chain.then(task).catch((err: unknown) => this.deps.logger.error({ err }, "live feed task failed"));
    return state.chain;
  }
}
