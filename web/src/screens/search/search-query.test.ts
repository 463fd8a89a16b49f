import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createSearch } from "./search-query.ts";

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("search as one types", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits for 250 ms of quiet and asks once", async () => {
    const asked: string[] = [];
    const s = createSearch(async (q) => {
      asked.push(q);
      return [q];
    });
    s.input("a");
    await vi.advanceTimersByTimeAsync(100);
    s.input("an");
    await vi.advanceTimersByTimeAsync(100);
    s.input("ana ");
    await vi.advanceTimersByTimeAsync(249);
    expect(asked).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(asked).toEqual(["ana"]);
    expect(s.state.value).toEqual({ status: "done", query: "ana", results: ["ana"] });
  });

  it("never lets a late answer to an older query replace a newer one", async () => {
    const pending = new Map<string, ReturnType<typeof deferred<string[]>>>();
    const s = createSearch((q) => {
      const d = deferred<string[]>();
      pending.set(q, d);
      return d.promise;
    });
    s.now("an");
    s.now("ana");
    pending.get("ana")!.resolve(["ana result"]);
    await vi.advanceTimersByTimeAsync(0);
    pending.get("an")!.resolve(["an result"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.state.value).toEqual({ status: "done", query: "ana", results: ["ana result"] });
  });

  it("keeps what was shown while the next answer loads, and reports errors of the latest query only", async () => {
    const pending: ReturnType<typeof deferred<string[]>>[] = [];
    const s = createSearch(() => {
      const d = deferred<string[]>();
      pending.push(d);
      return d.promise;
    });
    s.now("a");
    pending[0]!.resolve(["x"]);
    await vi.advanceTimersByTimeAsync(0);
    s.now("ab");
    expect(s.state.value).toEqual({ status: "loading", query: "ab", results: ["x"] });
    s.now("abc");
    pending[1]!.reject(new Error("old"));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.state.value.status).toBe("loading");
    pending[2]!.reject(new Error("new"));
    await vi.advanceTimersByTimeAsync(0);
    expect(s.state.value).toEqual({ status: "error", query: "abc", results: [] });
  });

  it("clears at once on an empty box and drops an answer still on its way", async () => {
    const d = deferred<string[]>();
    const s = createSearch(() => d.promise);
    s.now("a");
    s.input("  ");
    expect(s.state.value).toEqual({ status: "idle" });
    d.resolve(["late"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.state.value).toEqual({ status: "idle" });
  });

  it("asks nothing after dispose", async () => {
    const asked: string[] = [];
    const s = createSearch(async (q) => {
      asked.push(q);
      return [];
    });
    s.input("a");
    s.dispose();
    await vi.advanceTimersByTimeAsync(500);
    expect(asked).toEqual([]);
  });
});
