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
  /**
   * False for a client that connected without `lastSeq` (the founding clients): it cannot ask for pages, so every gap
   * is filled live, however long.
   */
  pages: boolean;
  /** Per event, the ids of updates its bootstrap already carried: not pushed again live. */
  covered: Map<string, Set<string>>;
  chain: Promise<void>;
}

/** What the bootstrap emits carried, per live event (see ServerEventDef.covers). */
export type Covered = Map<string, Set<string>>;

const GAP_FILL_LIMIT = 100;
// The first page after a reconnect: most catch-ups then finish in one round trip.
const FIRST_PAGE_LIMIT = 500;
const ACK_TIMEOUT_MS = 60_000;

/**
 * Delivers logged updates to each socket in seq order, exactly once. A socket that reconnects with `lastSeq` first
 * replays the log (`syncFromServer`); live updates resume only after that. One without `lastSeq` starts at the newest
 * seq read before its connection was accepted: whatever is logged from then on reaches it, however early.
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
   * Before the connection is accepted (and after the socket joined its user's room): reads where a device without
   * `lastSeq` starts. Updates logged from here on reach it; attach() fills in those logged before it was accepted.
   */
  async prepare(socket: TelegraphSocket, lastSeq: number | undefined): Promise<void> {
    const cursor = lastSeq === undefined ? ((await this.lastSeqs.load(socket.data.user.user_id)) ?? 0) : Math.max(0, lastSeq);
    socket.data.feed = { cursor, pulling: lastSeq !== undefined, pages: lastSeq !== undefined, covered: new Map(), chain: Promise.resolve() };
  }

  /**
   * Starts a prepared socket's feed, synchronously queueing its first tasks so that nothing live overtakes them.
   * Without lastSeq: the bootstrap emits, then whatever was logged while the connection was being accepted. With
   * lastSeq: the first replay page (`syncFromServer`), and the bootstrap only when the log could not replay.
   */
  attach(socket: TelegraphSocket, bootstrap: (options: { includeSyncState: boolean }) => Promise<Covered>): Promise<void> {
    const state = socket.data.feed;
    const userId = socket.data.user.user_id;
    if (!state.pages) {
      void this.run(state, async () => {
        state.covered = await bootstrap({ includeSyncState: true });
      });
      return this.run(state, () => this.fill(socket, userId, Number.MAX_SAFE_INTEGER));
    }
    return this.run(state, async () => {
      const since = state.cursor;
      const page = await this.deps.log.page(this.deps.db, userId, since, FIRST_PAGE_LIMIT);
      // A lastSeq ahead of the log (another server's, or a wiped database) is treated like one too old.
      const answer: SyncPage = page ?? { reset: true, last_seq: await this.deps.log.lastSeq(this.deps.db, userId) };
      this.advance(state, answer, since);
      socket.emit("syncFromServer", answer);
      if ("reset" in answer) state.covered = await bootstrap({ includeSyncState: true });
    });
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
        if (!state.pages) {
          await this.fill(socket, update.userId, update.seq - 1);
        } else {
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
          for (const row of gap) this.emitRow(socket, update.userId, row);
        }
      }
      // The socket that caused an update has its result in the reply; it only moves its cursor past it.
      if (!isActor) this.emit(socket, update.userId, update.seq, update.event, update.payload);
      state.cursor = update.seq;
    });
  }

  /** Emits, in pages, every logged update after the cursor up to `upTo` (a client that cannot page). */
  private async fill(socket: TelegraphSocket, userId: string, upTo: number): Promise<void> {
    const state = socket.data.feed;
    for (;;) {
      const rows = await this.deps.log.range(this.deps.db, userId, state.cursor, upTo, GAP_FILL_LIMIT);
      for (const row of rows) this.emitRow(socket, userId, row);
      if (rows.length < GAP_FILL_LIMIT || !socket.connected) return;
    }
  }

  private emitRow(socket: TelegraphSocket, userId: string, row: { seq: number; event: string; data: Record<string, unknown> }): void {
    this.emit(socket, userId, row.seq, row.event, { ...row.data, seq: row.seq });
  }

  private emit(socket: TelegraphSocket, userId: string, seq: number, event: string, payload: Record<string, unknown>): void {
    socket.data.feed.cursor = seq;
    if (socket.data.feed.covered.get(event)?.has(payload["id"] as string)) return;
    const raw = socket as unknown as { emit(event: string, ...args: unknown[]): boolean; timeout(ms: number): typeof raw };
    if (this.deps.acknowledged.has(event)) {
      raw.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err: unknown) => {
        if (!err) this.deps.onAcknowledged(userId, seq);
      });
    } else {
      raw.emit(event, payload);
    }
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
