/**
 * Keeps the old generation of V8's heap from filling with garbage between full collections.
 *
 * V8 (Node 20) runs its first full GC only once the old generation has grown about 8 MB since
 * start, and later ones at a multiple of what survived. Every call of this server leaves about
 * 1 KB there: mostly the AbortSignal the SDK makes for each request, which Node 20 builds in a
 * way (setPrototypeOf on an EventTarget, then new properties) that lands in the old generation
 * however short its life, with the listener we put on it. Nothing of it is live (the bench's leak
 * check finds no growth of the live heap), yet RSS climbed from +8 MiB after 1,000 calls to
 * +15 MiB after 10,000 before falling back, and again.
 *
 * So after every `checkEvery`-th call the keeper looks at the old generation; once it holds
 * `growthBytes` more than after the last collection, it asks V8 for a full GC, run as a task
 * (`execution: "async"`) once the current call's work is done. A 12 MB heap is collected in a
 * few ms, about once per 1,000 calls; the heap, and RSS, stay flat. An idle server does nothing.
 * Used in live mode only (main.ts): with the embedded engine's columns in the heap, a forced full
 * GC takes 100 ms or more, and V8's own incremental marking does better.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export type GcFunction = (options: { type: "major"; execution: "async" }) => void;

export interface HeapKeeperOptions {
  /** Old-generation growth since the last collection that asks for one. Default 1 MiB. */
  growthBytes?: number;
  /** The old generation is looked at after every this many calls. Default 64. */
  checkEvery?: number;
  /** Default: V8's gc(), made available by exposeGc() when first needed; null: none (a no-op keeper). */
  gc?: GcFunction | null;
  /** For tests; default: bytes used in V8's old space. */
  oldSpaceUsed?: () => number;
}

export interface HeapKeeper {
  /** To be called when a tool call has been answered. */
  afterCall(): void;
}

/**
 * V8's gc() without --expose-gc on the command line (an MCP client starts us as it likes): the
 * flag, set now, installs gc() in contexts created from now on, so one is made to fetch it. The
 * global object of the server's own context stays as it was. Undefined if this V8 refuses.
 */
export function exposeGc(): GcFunction | undefined {
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("typeof gc === 'function' ? gc : undefined");
    return typeof gc === "function" ? (gc as GcFunction) : undefined;
  } catch {
    return undefined;
  }
}

function v8OldSpaceUsed(): number {
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === "old_space") return space.space_used_size;
  }
  return 0;
}

export function createHeapKeeper(opts: HeapKeeperOptions = {}): HeapKeeper {
  const growthBytes = opts.growthBytes ?? 1024 * 1024;
  const checkEvery = Math.max(1, Math.floor(opts.checkEvery ?? 64));
  // Fetched when first needed: making the context that hands out gc() costs a few ms at start.
  let gc: GcFunction | null | undefined = opts.gc;
  if (gc === null) return { afterCall: () => {} };
  const oldSpaceUsed = opts.oldSpaceUsed ?? v8OldSpaceUsed;
  let calls = 0;
  let baseline = oldSpaceUsed();
  let asked = false;
  return {
    afterCall(): void {
      calls += 1;
      if (calls % checkEvery !== 0 || gc === null) return;
      const used = oldSpaceUsed();
      if (asked) {
        // The collection asked for at the last check has run: what is left is the new baseline.
        asked = false;
        baseline = used;
        return;
      }
      if (used < baseline) baseline = used; // V8 collected on its own
      if (used - baseline <= growthBytes) return;
      gc ??= exposeGc() ?? null;
      if (gc === null) return;
      asked = true;
      gc({ type: "major", execution: "async" });
    },
  };
}
