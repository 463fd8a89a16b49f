/**
 * Delivery acknowledgements arrive one per pushed message; under load many devices acknowledge within milliseconds.
 * They are coalesced per user (the highest seq wins) and confirmed together once per window: a burst from thousands of
 * users costs one transaction (at most `maxUsers` users each).
 */
export class ReceiptCoalescer {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly confirm: (marks: ReadonlyMap<string, number>) => Promise<void>,
    private readonly onError: (err: unknown, users: number) => void,
    private readonly options: { windowMs: number; maxUsers: number } = { windowMs: 50, maxUsers: 2000 },
  ) {}

  acknowledged(userId: string, seq: number): void {
    if ((this.pending.get(userId) ?? 0) < seq) this.pending.set(userId, seq);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flushing.then(() => this.flush());
    }, this.options.windowMs);
  }

  /** Confirms everything pending now (and waits for a flush in progress). */
  async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushing = this.flushing.then(() => this.flush());
    await this.flushing;
  }

  private async flush(): Promise<void> {
    const entries = [...this.pending];
    this.pending = new Map();
    for (let i = 0; i < entries.length; i += this.options.maxUsers) {
      const chunk = new Map(entries.slice(i, i + this.options.maxUsers));
      await this.confirm(chunk).catch((err: unknown) => this.onError(err, chunk.size));
    }
  }
}
