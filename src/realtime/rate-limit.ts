import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateSpec } from "../config.ts";
import { systemClock, type Clock } from "../shared/clock.ts";
import type { RateClass } from "./event.ts";
import { FloodGuard } from "./flood.ts";

/** Per-user, per-event budgets: a call over budget is refused before validation and before its handler. */
export class EventLimiter {
  private readonly limiters: Record<RateClass, RateLimiterAbstract>;

  constructor(
    budgets: Record<RateClass, RateSpec>,
    shared?: { redis: Redis; prefix: string },
    private readonly flood: { clock: Clock; disconnectAfterMs: number } = { clock: systemClock, disconnectAfterMs: 10_000 },
  ) {
    const make = (name: string, spec: RateSpec) => limiter(spec, shared && { ...shared, prefix: `${shared.prefix}:rl:event:${name}` });
    this.limiters = { default: make("default", budgets.default), write: make("write", budgets.write) };
  }

  /** A new socket's guard: it short-cuts refusals of budgets known spent and notices a flood (ABUSE_DISCONNECT_AFTER). */
  guard(): FloodGuard {
    return new FloodGuard(this.flood.clock, this.flood.disconnectAfterMs);
  }

  /** Spends one call; returns the milliseconds until the next is allowed when over budget, else 0. */
  async spend(rate: RateClass, userId: string, event: string): Promise<number> {
    try {
      await this.limiters[rate].consume(`${userId}:${event}`);
      return 0;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.max(1, res.msBeforeNext);
      throw res;
    }
  }
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
