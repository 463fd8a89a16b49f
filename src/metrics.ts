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

  readonly outboxSent = new Counter({
    name: "telegraph_outbox_sent_total",
    help: "Outbox jobs (mail, pushes) done, by kind.",
    labelNames: ["kind"],
    registers: [this.registry],
  });

  readonly outboxFailures = new Counter({
    name: "telegraph_outbox_failures_total",
    help: "Failed attempts of outbox jobs, by kind (each is retried with backoff until dropped).",
    labelNames: ["kind"],
    registers: [this.registry],
  });

  readonly outboxDropped = new Counter({
    name: "telegraph_outbox_dropped_total",
    help: "Outbox jobs given up after OUTBOX_MAX_ATTEMPTS (or unreadable), by kind.",
    labelNames: ["kind"],
    registers: [this.registry],
  });

  constructor(sources: {
    sockets: () => number;
    pool?: () => { total: number; idle: number; waiting: number } | undefined;
    /** Jobs in the outbox by kind, read when scraped (the table is shared: every node reports the cluster's queue). */
    outboxDepth?: () => Promise<{ kind: string; n: number }[]>;
    outboxKinds?: readonly string[];
  }) {
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
    new Gauge({
      name: "telegraph_outbox_depth",
      help: "Outbox jobs waiting or running, by kind (the whole cluster's queue).",
      labelNames: ["kind"],
      registers: [this.registry],
      async collect() {
        if (!sources.outboxDepth) return;
        this.reset();
        for (const kind of sources.outboxKinds ?? []) this.set({ kind }, 0);
        // An unreachable database leaves the gauge empty rather than failing the whole scrape.
        const rows = await sources.outboxDepth().catch(() => []);
        for (const row of rows) this.set({ kind: row.kind }, row.n);
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
