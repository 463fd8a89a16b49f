/**
 * How long a job waits after its `attempt`-th failure: `baseMs` doubled per earlier failure, never more than `capMs`.
 * Deterministic on purpose: a burst of failures is already spread by the claim's batch size and order.
 */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 40);
  return Math.min(capMs, baseMs * 2 ** exponent);
}
