/**
 * Delivery acknowledgements arrive one per pushed message; under load a device acknowledges many within milliseconds.
 * They are coalesced per user (the highest seq wins) and confirmed once per window, so a burst costs one transaction.
 */
export class ReceiptCoalescer {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly confirm: (userId: string, upTo: number) => Promise<void>,
    private readonly onError: (err: unknown, userId: string) => void,
    private readonly windowMs = 50,
  ) {}

  acknowledged(userId: string, seq: number): void {
    if ((this.pending.get(userId) ?? 0) < seq) this.pending.set(userId, seq);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, this.windowMs);
  }

  /** Confirms everything pending now (and waits for a flush in progress). */
  async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.flush());
    await this.flushing;
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    for (const [userId, seq] of batch) await this.confirm(userId, seq).catch((err: unknown) => this.onError(err, userId));
  }
}
