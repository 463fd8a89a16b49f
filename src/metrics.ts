import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db, Queryable } from "./db/db.ts";

/** The node's Prometheus metrics, in a registry of its own (several apps may share a process in tests). */
export class Metrics {
  readonly registry = new Registry();

  readonly events = new Counter({
    name: "telegraph_events_total",
    help: "Client events handled, by event name and outcome (ok or the error code).",
    labelNames: ["event", "outcome"],
    registers: [this.registry],
  });

  readonly eventSeconds = new Histogram({
    name: "telegraph_event_duration_seconds",
    help: "Time from receiving a client event to replying, by event name.",
    labelNames: ["event"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly querySeconds = new Histogram({
    name: "telegraph_db_query_duration_seconds",
    help: "Database query latency.",
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  readonly messagesSent = new Counter({
    name: "telegraph_messages_sent_total",
    help: "Direct messages stored (retries with a known client_id not counted).",
    registers: [this.registry],
  });

  readonly adapterErrors = new Counter({
    name: "telegraph_adapter_errors_total",
    help: "Errors of the Socket.IO cluster adapter and its Redis connections.",
    registers: [this.registry],
  });

  constructor(sources: { sockets: () => number; pool?: () => { total: number; idle: number; waiting: number } | undefined }) {
    new Gauge({
      name: "telegraph_connected_sockets",
      help: "Sockets connected to this node.",
      registers: [this.registry],
      collect() {
        this.set(sources.sockets());
      },
    });
    new Gauge({
      name: "telegraph_db_pool_connections",
      help: "Database pool connections by state (PostgreSQL server only).",
      labelNames: ["state"],
      registers: [this.registry],
      collect() {
        const pool = sources.pool?.();
        if (!pool) return;
        this.set({ state: "total" }, pool.total);
        this.set({ state: "idle" }, pool.idle);
        this.set({ state: "waiting" }, pool.waiting);
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** The same database, with every query timed. */
  instrument(db: Db): Db {
    const time = (q: Queryable): Queryable => ({
      query: async (sql, params) => {
        const end = this.querySeconds.startTimer();
        try {
          return await q.query(sql, params);
        } finally {
          end();
        }
      },
    });
    const timed = time(db);
    return {
      description: db.description,
      concurrency: db.concurrency,
      query: timed.query,
      transaction: (fn) => db.transaction((tx) => fn(time(tx))),
      exec: (sql) => db.exec(sql),
      close: () => db.close(),
      ...(db.poolStats ? { poolStats: db.poolStats } : {}),
    };
  }
}
