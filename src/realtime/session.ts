import type { Clock } from "../shared/clock.ts";
import type { TelegraphSocket } from "./socket.ts";

// setTimeout cannot wait longer than this; a longer wait is taken in steps.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Keeps a connection no longer than its access token: at expiry the client is told (`tokenExpiredFromServer`) and,
 * unless it renews within the grace period, disconnected.
 */
export class TokenSession {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: TelegraphSocket,
    private readonly graceMs: number,
    private readonly clock: Clock,
  ) {
    socket.once("disconnect", () => this.stop());
  }

  /** Starts or restarts the watch for a token that expires at expiresAtMs. */
  renew(expiresAtMs: number): void {
    this.socket.data.tokenExpiresAt = expiresAtMs;
    this.schedule(expiresAtMs, () => this.expire(expiresAtMs));
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private expire(expiredAtMs: number): void {
    this.socket.emit("tokenExpiredFromServer", {
      expired_at: new Date(expiredAtMs).toISOString(),
      grace_seconds: Math.round(this.graceMs / 1000),
    });
    this.schedule(expiredAtMs + this.graceMs, () => this.socket.disconnect(true));
  }

  private schedule(atMs: number, fire: () => void): void {
    clearTimeout(this.timer);
    const wait = atMs - this.clock.now();
    if (wait > MAX_TIMER_MS) {
      this.timer = setTimeout(() => this.schedule(atMs, fire), MAX_TIMER_MS);
      return;
    }
    this.timer = setTimeout(fire, Math.max(0, wait));
  }
}
