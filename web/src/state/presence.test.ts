import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { BATCH_MAX, createPresenceStore, presenceText, REFRESH_MS, type PresenceDeps, type PresenceEntry } from "./presence.ts";

const id = (n: number) => n.toString(16).padStart(24, "0");

function harness() {
  const calls: string[][] = [];
  const applied: PresenceEntry[][] = [];
  let visible = true;
  let visibleHandler: (() => void) | null = null;
  let reconnectHandler: (() => void) | null = null;
  const deps: PresenceDeps = {
    request: async (ids) => {
      calls.push(ids);
      return ids.map((userId) => ({ userId, lastSeen: null, online: true }));
    },
    apply: (entries) => applied.push(entries),
    isVisible: () => visible,
    onVisible: (h) => {
      visibleHandler = h;
      return () => (visibleHandler = null);
    },
    onReconnected: (h) => {
      reconnectHandler = h;
      return () => (reconnectHandler = null);
    },
  };
  return {
    store: createPresenceStore(deps),
    calls,
    applied,
    setVisible: (v: boolean) => (visible = v),
    becomeVisible: () => visibleHandler?.(),
    reconnect: () => reconnectHandler?.(),
    listening: () => visibleHandler !== null && reconnectHandler !== null,
  };
}

describe("the presence store", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("asks for the registrations of one tick in one call", async () => {
    const h = harness();
    h.store.watch([id(1)]);
    h.store.watch([id(2), id(1)]);
    h.store.watch([id(3)]);
    expect(h.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toEqual([[id(1), id(2), id(3)]]);
    expect(h.applied[0]).toHaveLength(3);
  });

  it("asks at most 500 ids a call", async () => {
    const h = harness();
    h.store.watch(Array.from({ length: 1_200 }, (_, i) => id(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls.map((c) => c.length)).toEqual([BATCH_MAX, BATCH_MAX, 200]);
  });

  it("does not ask again for an id already registered, and forgets ids when the last viewer leaves", async () => {
    const h = harness();
    const stopA = h.store.watch([id(1)]);
    await vi.advanceTimersByTimeAsync(0);
    const stopB = h.store.watch([id(1)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toHaveLength(1);
    stopA();
    expect(h.store.watched()).toEqual([id(1)]);
    stopB();
    stopB();
    expect(h.store.watched()).toEqual([]);
  });

  it("refreshes every 30 s while visible, at once when visible again and after a reconnection", async () => {
    const h = harness();
    const stop = h.store.watch([id(1), id(2)]);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(REFRESH_MS);
    expect(h.calls).toHaveLength(2);
    h.setVisible(false);
    await vi.advanceTimersByTimeAsync(REFRESH_MS * 3);
    expect(h.calls).toHaveLength(2);
    h.setVisible(true);
    h.becomeVisible();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toHaveLength(3);
    h.reconnect();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toHaveLength(4);
    expect(h.calls[3]).toEqual([id(1), id(2)]);
    stop();
    expect(h.listening()).toBe(false);
    await vi.advanceTimersByTimeAsync(REFRESH_MS * 2);
    expect(h.calls).toHaveLength(4);
  });

  it("skips ids unregistered before the batch goes out", async () => {
    const h = harness();
    const stop = h.store.watch([id(1)]);
    h.store.watch([id(2)]);
    stop();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.calls).toEqual([[id(2)]]);
  });

  it("survives a failed request", async () => {
    const applied: PresenceEntry[][] = [];
    const store = createPresenceStore({
      request: () => Promise.reject(new Error("offline")),
      apply: (e) => applied.push(e),
      isVisible: () => true,
      onVisible: () => () => undefined,
      onReconnected: () => () => undefined,
    });
    store.watch([id(1)]);
    await vi.advanceTimersByTimeAsync(0);
    await expect(store.refresh()).resolves.toBeUndefined();
    expect(applied).toEqual([]);
  });
});

describe("presence text", () => {
  const now = new Date(2026, 11, 3, 15, 0);
  it("says online, last seen recently, or when", () => {
    expect(presenceText(true, "2026-12-01T10:00:00.000Z", now)).toBe("online");
    expect(presenceText(false, null, now)).toBe("last seen recently");
    expect(presenceText(false, new Date(2026, 11, 3, 9, 5).toISOString(), now)).toMatch(/^last seen at \d{1,2}:05/);
    expect(presenceText(false, new Date(2026, 10, 20, 9, 5).toISOString(), now)).toMatch(/^last seen at .+ on .*20/);
  });
});
