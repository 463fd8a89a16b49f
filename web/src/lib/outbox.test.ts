import { describe, expect, it } from "vitest";
import { Outbox } from "./outbox.ts";
import { SeqTracker } from "./seq.ts";

const item = (client_id: string) => ({ client_id, to: "u", text: client_id, reply_to: null, created_at: "2026-01-01T00:00:00.000Z" });

describe("Outbox", () => {
  it("sends each item once per connection and keeps its client_id across retries", () => {
    const box = new Outbox();
    box.add(item("a"));
    box.add(item("b"));
    expect(box.takeReady().map((i) => i.client_id)).toEqual(["a", "b"]);
    expect(box.takeReady()).toEqual([]);
    box.requeueSending();
    const again = box.takeReady();
    expect(again.map((i) => [i.client_id, i.attempts])).toEqual([["a", 2], ["b", 2]]);
    box.confirm("a");
    box.fail("b");
    expect(box.takeReady()).toEqual([]);
    box.requeue("b");
    expect(box.takeReady().map((i) => i.client_id)).toEqual(["b"]);
    expect(box.confirm("b")).toBe(true);
    expect(box.list()).toEqual([]);
  });

  it("survives a reload through its store: in-flight items are queued again, failed ones stay failed", () => {
    const saved = new Map<string, string>();
    const storage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v), removeItem: (k: string) => void saved.delete(k) };
    const first = new Outbox();
    expect(first.attach({ storage, key: "box" })).toEqual([]);
    first.add(item("a"));
    first.add(item("b"));
    first.add(item("c"));
    first.takeReady();
    first.fail("b");
    first.confirm("c");

    const reloaded = new Outbox();
    const restored = reloaded.attach({ storage, key: "box" });
    expect(restored.map((i) => [i.client_id, i.state])).toEqual([["a", "queued"], ["b", "failed"]]);
    expect(reloaded.takeReady().map((i) => i.client_id)).toEqual(["a"]);
    reloaded.clear();
    expect(saved.has("box")).toBe(false);
    saved.set("box", "not json");
    expect(new Outbox().attach({ storage, key: "box" })).toEqual([]);
  });
});

describe("SeqTracker", () => {
  it("moves forward only and persists", () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) };
    const seq = new SeqTracker(storage, "k");
    expect(seq.current).toBeUndefined();
    expect(seq.advance(5)).toBe(true);
    expect(seq.advance(3)).toBe(false);
    expect(new SeqTracker(storage, "k").current).toBe(5);
    seq.reset(2);
    expect(seq.current).toBe(2);
    seq.clear();
    expect(new SeqTracker(storage, "k").current).toBeUndefined();
  });
});
