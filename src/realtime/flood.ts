import type { Clock } from "../shared/clock.ts";

// A second without any refused call ends a flood: a client that goes over a budget now and then is only refused.
const QUIET_MS = 1000;

/**
 * One socket's view of its rate limits. It remembers which budgets it found spent, and until when, so that the rest of a
 * flood is refused with a map lookup: no limiter call (in a cluster, a Redis round trip), no parsing, no database.
 * It also notices a socket that stays over budget — refused without a second's break — for `disconnectAfterMs`.
 *
 * @example
 * const guard = new FloodGuard(systemClock, 10_000);
 * if (guard.waitFor("ping") > 0) refuse();            // known spent: no limiter call
 * if (guard.refused("ping", waitMs)) disconnect();    // true once, when the flood has lasted long enough
 */
export class FloodGuard {
  private readonly spentUntil = new Map<string, number>();
  private floodStart = 0;
  private lastRefusal = Number.NEGATIVE_INFINITY;
  private flagged = false;

  constructor(
    private readonly clock: Clock,
    private readonly disconnectAfterMs: number,
  ) {}

  /** Milliseconds until the budget `key` refills as this socket last saw it, or 0 when the limiter must be asked. */
  waitFor(key: string): number {
    const until = this.spentUntil.get(key);
    if (until === undefined) return 0;
    const wait = until - this.clock.now();
    if (wait > 0) return wait;
    this.spentUntil.delete(key);
    return 0;
  }

  /** True once refusals have gone on for more than a second without a break: the client is flooding, not slipping. */
  flooding(): boolean {
    return this.lastRefusal - this.floodStart > QUIET_MS;
  }

  /**
   * Records a refused call (`waitMs`: until the budget refills; 0 keeps what was known). Returns true once: when the
   * socket has been refused without a second's break for the configured time.
   */
  refused(key: string, waitMs: number): boolean {
    const now = this.clock.now();
    if (waitMs > 0) this.spentUntil.set(key, now + waitMs);
    if (now - this.lastRefusal > QUIET_MS) this.floodStart = now;
    this.lastRefusal = now;
    if (this.flagged || now - this.floodStart < this.disconnectAfterMs) return false;
    this.flagged = true;
    return true;
  }
}
