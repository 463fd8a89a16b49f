import type { Redis } from "ioredis";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateSpec } from "../../config.ts";
import { limiter } from "../../realtime/rate-limit.ts";

/** Counts login attempts per address (all of them) and per account (failures only); answers how long to wait. */
export class LoginLimiter {
  private readonly perAddress: RateLimiterAbstract;
  private readonly perAccount: RateLimiterAbstract;

  constructor(address: RateSpec, account: RateSpec, shared?: { redis: Redis; prefix: string }) {
    this.perAddress = limiter(address, shared && { ...shared, prefix: `${shared.prefix}:rl:login:address` });
    this.perAccount = limiter(account, shared && { ...shared, prefix: `${shared.prefix}:rl:login:account` });
  }

  /** Counts this attempt; returns the seconds to wait when the address or the account is over its limit, else 0. */
  async admit(address: string, account: string): Promise<number> {
    const accountState = await this.perAccount.get(account);
    if (accountState && accountState.consumedPoints >= this.perAccount.points) {
      return Math.ceil(accountState.msBeforeNext / 1000);
    }
    try {
      await this.perAddress.consume(address);
      return 0;
    } catch (res) {
      if (res instanceof RateLimiterRes) return Math.ceil(res.msBeforeNext / 1000);
      throw res;
    }
  }

  async recordFailure(account: string): Promise<void> {
    await this.perAccount.penalty(account, 1);
  }

  async recordSuccess(account: string): Promise<void> {
    await this.perAccount.delete(account);
  }
}
