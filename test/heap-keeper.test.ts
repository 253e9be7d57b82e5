import { describe, expect, it } from "vitest";
import { createHeapKeeper, exposeGc, type GcFunction } from "../src/heap-keeper.js";

const MiB = 1024 * 1024;

/** A fake old generation: grows by `perCall` on each call, drops to `live` on a collection. */
function fakeHeap(live: number, perCall: number) {
  let used = live;
  const asked: unknown[] = [];
  const gc: GcFunction = (options) => {
    asked.push(options);
    used = live;
  };
  return {
    gc,
    asked,
    oldSpaceUsed: () => used,
    call: () => {
      used += perCall;
    },
  };
}

/** A keeper (1 MiB threshold, a look every 64 calls) on a fake heap that grows 1 KiB a call. */
function keptHeap() {
  const heap = fakeHeap(10 * MiB, 1024);
  const keeper = createHeapKeeper({
    growthBytes: MiB,
    checkEvery: 64,
    gc: heap.gc,
    oldSpaceUsed: heap.oldSpaceUsed,
  });
  const calls = (n: number) => {
    for (let i = 0; i < n; i++) {
      heap.call();
      keeper.afterCall();
    }
  };
  return { heap, calls };
}

describe("the heap keeper", () => {
  it("asks for one async full GC once the old generation grew past the threshold, and looks only every N calls", () => {
    const { heap, calls } = keptHeap();
    calls(1024);
    // 1024 calls of 1 KiB = 1 MiB: not yet beyond the threshold
    expect(heap.asked).toEqual([]);
    calls(64);
    expect(heap.asked).toEqual([{ type: "major", execution: "async" }]);
  });

  it("takes the level after the collection as its new baseline: one GC per threshold's worth of calls", () => {
    const { heap, calls } = keptHeap();
    calls(11_000);
    // one collection per ~1,088 calls (1 MiB + one check interval)
    expect(heap.asked.length).toBeGreaterThanOrEqual(9);
    expect(heap.asked.length).toBeLessThanOrEqual(10);
  });

  it("does nothing while the heap does not grow, and follows V8's own collections", () => {
    let used = 20 * MiB;
    const asked: unknown[] = [];
    const keeper = createHeapKeeper({
      growthBytes: MiB,
      checkEvery: 1,
      gc: (o) => asked.push(o),
      oldSpaceUsed: () => used,
    });
    for (let i = 0; i < 1000; i++) keeper.afterCall();
    used = 12 * MiB; // V8 collected by itself
    keeper.afterCall();
    used = 12 * MiB + MiB / 2;
    keeper.afterCall();
    expect(asked).toEqual([]);
    used = 13 * MiB + 1;
    keeper.afterCall();
    expect(asked).toHaveLength(1);
  });

  it("is a no-op, and never reads the heap, when V8's gc() is not available", () => {
    let reads = 0;
    const keeper = createHeapKeeper({
      checkEvery: 1,
      gc: null,
      oldSpaceUsed: () => {
        reads += 1;
        return reads * 100 * MiB;
      },
    });
    for (let i = 0; i < 10; i++) keeper.afterCall();
    expect(reads).toBe(0);
  });

  it("gets V8's gc() on this Node without touching the global object", () => {
    const gc = exposeGc();
    expect(typeof gc).toBe("function");
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(() => gc?.({ type: "major", execution: "async" })).not.toThrow();
  });
});
