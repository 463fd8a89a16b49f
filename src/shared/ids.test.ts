import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";

type Ids = typeof import("./ids.ts");

/** A fresh copy of the module: its own process bytes and counter, as another node has. */
async function node(): Promise<Ids> {
  vi.resetModules();
  return import("./ids.ts");
}

describe("message ids across nodes", () => {
  it("stay unique and increase per conversation when two nodes with skewed clocks write the same conversations", async () => {
    const nodes = [await node(), await node()];
    await fc.assert(
      fc.property(
        fc.array(fc.record({ node: fc.integer({ min: 0, max: 1 }), conversation: fc.integer({ min: 0, max: 3 }), tick: fc.integer({ min: 0, max: 1500 }) }), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.integer({ min: -5000, max: 5000 }),
        (steps, skewMs) => {
          const last = new Map<number, string>();
          const seen = new Set<string>();
          let now = 1_800_000_000_000;
          for (const step of steps) {
            now += step.tick;
            const ids = nodes[step.node]!;
            const clock = step.node === 0 ? now : now + skewMs;
            const before = last.get(step.conversation);
            const id = ids.idAfter(before, ids.newId(clock));
            expect(id).toMatch(ids.ID_PATTERN);
            if (before) expect(id > before).toBe(true);
            expect(seen.has(id)).toBe(false);
            seen.add(id);
            last.set(step.conversation, id);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("never takes the id right after the last one, which is what the other node makes next", async () => {
    const [a, b] = [await node(), await node()];
    const now = 1_800_000_000_000;
    const fromB = b.newId(now + 2000);
    const mine = a.idAfter(fromB, a.newId(now));
    const nextOfB = b.newId(now + 2000);
    expect(mine > fromB).toBe(true);
    expect(mine).not.toBe(nextOfB);
    expect(mine.slice(8, 18)).toBe(a.newId(now).slice(8, 18));
  });

  it("gives a batch's tails in increasing order and unique, as send_messages needs to number a batch", async () => {
    const ids = await node();
    const batches = [ids.idTails(300), ids.idTails(300)];
    for (const tails of batches) expect(tails.every((t, i) => i === 0 || t > tails[i - 1]!)).toBe(true);
    expect(new Set(batches.flat()).size).toBe(600);
    expect(ids.idSeconds(1_800_000_000_000) + batches[0]![0]!).toMatch(/^[0-9a-f]{24}$/);
  });
});
