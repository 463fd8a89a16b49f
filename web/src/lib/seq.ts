/** Where the last seen update seq is kept between reloads of this tab (never the token). */
export interface SeqStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Tracks the highest update seq this tab has processed, per user, so a reconnect or a reload asks the server for
 * exactly what came after it.
 */
export class SeqTracker {
  private value: number | undefined;
  constructor(
    private readonly storage: SeqStorage | null,
    private readonly key: string,
  ) {
    const stored = storage?.getItem(key);
    const parsed = stored ? Number(stored) : NaN;
    this.value = Number.isSafeInteger(parsed) && parsed >= 0 ? parsed : undefined;
  }

  get current(): number | undefined {
    return this.value;
  }

  /** Records a seq; older or equal ones are ignored. Returns true when it moved forward. */
  advance(seq: number | undefined): boolean {
    if (seq === undefined || !Number.isSafeInteger(seq)) return false;
    if (this.value !== undefined && seq <= this.value) return false;
    this.value = seq;
    this.storage?.setItem(this.key, String(seq));
    return true;
  }

  /** After a reset from the server: start again from its seq. */
  reset(seq: number): void {
    this.value = seq;
    this.storage?.setItem(this.key, String(seq));
  }

  clear(): void {
    this.value = undefined;
    this.storage?.removeItem(this.key);
  }
}
