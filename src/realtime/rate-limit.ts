import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateSpec } from "../config.ts";
import type { RateClass } from "./event.ts";

/** Per-user, per-event budgets: a call over budget is refused before validation and before its handler. */
export class EventLimiter {
  private readonly limiters: Record<RateClass, RateLimiterAbstract>;

  constructor(budgets: Record<RateClass, RateSpec>) {
    const make = (spec: RateSpec) => new RateLimiterMemory({ points: spec.points, duration: spec.seconds });
    this.limiters = { default: make(budgets.default), write: make(budgets.write) };
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
