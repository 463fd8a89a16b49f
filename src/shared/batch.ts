interface Waiting<V> {
  resolve(value: V | undefined): void;
  reject(err: unknown): void;
}

/**
 * Gathers single-key reads into one query for many keys (the DataLoader pattern). A load made while no batch is
 * running waits for the end of the current event-loop turn; loads made while one runs wait for it to end. So a quiet
 * server answers a lone read after one turn, and a storm of connections is served by a few queries instead of one
 * per connection. Results are never cached: every load reads what is committed when its batch runs.
 */
export class BatchLoader<K, V> {
  private pending = new Map<K, Waiting<V>[]>();
  private scheduled = false;
  private running = false;

  constructor(
    private readonly loadMany: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly maxBatch = 500,
  ) {}

  /** The value for `key`, or undefined when loadMany returned none for it. */
  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiting = this.pending.get(key);
      if (waiting) waiting.push({ resolve, reject });
      else this.pending.set(key, [{ resolve, reject }]);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.pending.size === 0) return;
    this.running = true;
    const batch = [...this.pending].slice(0, this.maxBatch);
    for (const [key] of batch) this.pending.delete(key);
    try {
      const values = await this.loadMany(batch.map(([key]) => key));
      for (const [key, waiting] of batch) for (const w of waiting) w.resolve(values.get(key));
    } catch (err) {
      for (const [, waiting] of batch) for (const w of waiting) w.reject(err);
    } finally {
      this.running = false;
      if (this.pending.size > 0) this.schedule();
    }
  }
}
