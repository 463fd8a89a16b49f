import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateSpec } from "../config.ts";
import { systemClock, type Clock } from "../shared/clock.ts";
import type { RateClass } from "./event.ts";
import { FloodGuard } from "./flood.ts";

/**
 * Per-user, per-event budgets: a call over budget is refused before validation and before its handler.
 *
 * Within its budget a call is also paced: a fixed window would let a whole window's allowance land within a
 * millisecond (a flooder spending 100 writes at once, each a transaction and a push, while everyone else waits behind
 * them). So at most a fifth of the points (never fewer than 10) are spent per tenth of the window (at least a second);
 * calls beyond that wait, in order, instead of being refused — a person sending a few messages quickly, or a device
 * sending what it wrote offline, is never refused for it, only spread out. The pace is per node, in memory: it
 * protects the node's own time; the budget itself holds across the cluster.
 */
export class EventLimiter {
  private readonly limiters: Record<RateClass, RateLimiterAbstract>;
  private readonly paces: Record<RateClass, RateLimiterAbstract>;
  /** Per user and event, the last paced call: the next one waits behind it, so order is kept. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    budgets: Record<RateClass, RateSpec>,
    shared?: { redis: Redis; prefix: string },
    private readonly flood: { clock: Clock; disconnectAfterMs: number } = { clock: systemClock, disconnectAfterMs: 10_000 },
  ) {
    const make = (name: string, spec: RateSpec) => limiter(spec, shared && { ...shared, prefix: `${shared.prefix}:rl:event:${name}` });
    this.limiters = { default: make("default", budgets.default), write: make("write", budgets.write) };
    this.paces = { default: pace(budgets.default), write: pace(budgets.write) };
  }

  /** A new socket's guard: it short-cuts refusals of budgets known spent and notices a flood (ABUSE_DISCONNECT_AFTER). */
  guard(): FloodGuard {
    return new FloodGuard(this.flood.clock, this.flood.disconnectAfterMs);
  }

  /** Spends one call; returns the milliseconds until the next is allowed when over budget, else 0. */
  async spend(rate: RateClass, userId: string, event: string): Promise<number> {
    const key = `${userId}:${event}`;
    try {
      await this.limiters[rate].consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, res.msBeforeNext);
      throw res;
    }
    await this.paced(this.paces[rate], key);
    return 0;
  }

  /** Resolves when the pace lets this call go, after every earlier call of the same key. */
  private paced(limiter: RateLimiterAbstract, key: string): Promise<void> {
    const turn = (this.queues.get(key) ?? Promise.resolve()).then(async () => {
      for (;;) {
        try {
          await limiter.consume(key);
          return;
        } catch (res) {
          if (!(res instanceof RateLimiterRes)) throw res;
          await new Promise((resolve) => setTimeout(resolve, Math.max(1, res.msBeforeNext)));
        }
      }
    });
    const settled = turn.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return turn;
  }
}

/** The pace of a budget (see EventLimiter): a fifth of the points, at least 10, per tenth of the window (≥ 1 s). */
export function pace(spec: RateSpec): RateLimiterAbstract {
  const points = Math.min(spec.points, Math.max(10, Math.ceil(spec.points / 5)));
  return new RateLimiterMemory({ points, duration: Math.max(1, Math.round(spec.seconds / 10)) });
}

/**
 * A points-per-window limiter: in Redis when the node is clustered (so the budget holds across nodes), in memory
 * otherwise. While Redis is away the in-memory one stands in, per node.
 */
export function limiter(spec: RateSpec, shared?: { redis: Redis; prefix: string }): RateLimiterAbstract {
  const memory = new RateLimiterMemory({ points: spec.points, duration: spec.seconds });
  if (!shared) return memory;
  return new RateLimiterRedis({
    storeClient: shared.redis,
    keyPrefix: shared.prefix,
    points: spec.points,
    duration: spec.seconds,
    insuranceLimiter: memory,
  });
}
