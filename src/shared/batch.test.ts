import { describe, expect, it } from "vitest";
import { BatchLoader } from "./batch.ts";

/** A loader over a fixed table that records each batch it was asked for. */
function squares(options: { fail?: (keys: number[]) => boolean; maxBatch?: number } = {}) {
  const batches: number[][] = [];
  let release: () => void = () => undefined;
  let gate: Promise<void> | undefined;
  const loader = new BatchLoader<number, number>(async (keys) => {
    batches.push(keys);
    if (gate) await gate;
    if (options.fail?.(keys)) throw new Error(`batch ${keys.join(",")} failed`);
    return new Map(keys.filter((k) => k >= 0).map((k) => [k, k * k]));
  }, options.maxBatch);
  return {
    loader,
    batches,
    hold() {
      gate = new Promise((r) => (release = r));
    },
    open() {
      gate = undefined;
      release();
    },
  };
}

describe("BatchLoader", () => {
  it("answers the loads of one turn with one batch, each with its own value, undefined where none", async () => {
    const { loader, batches } = squares();
    expect(await Promise.all([loader.load(2), loader.load(3), loader.load(-1), loader.load(2)])).toEqual([4, 9, undefined, 4]);
    expect(batches).toEqual([[2, 3, -1]]);
  });

  it("gathers the loads made while a batch runs into the next one", async () => {
    const s = squares();
    s.hold();
    const first = s.loader.load(1);
    await new Promise((r) => setImmediate(r));
    const later = [s.loader.load(2), s.loader.load(3)];
    await new Promise((r) => setImmediate(r));
    expect(s.batches).toEqual([[1]]); // still running: the others wait
    s.open();
    expect(await Promise.all([first, ...later])).toEqual([1, 4, 9]);
    expect(s.batches).toEqual([[1], [2, 3]]);
  });

  it("fails only the loads of a failed batch, and keeps serving", async () => {
    const { loader } = squares({ fail: (keys) => keys.includes(7) });
    await expect(Promise.all([loader.load(7), loader.load(8)])).rejects.toThrow("batch 7,8 failed");
    expect(await loader.load(8)).toBe(64);
  });

  it("splits more keys than maxBatch into several batches", async () => {
    const { loader, batches } = squares({ maxBatch: 2 });
    expect(await Promise.all([1, 2, 3, 4, 5].map((k) => loader.load(k)))).toEqual([1, 4, 9, 16, 25]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});
