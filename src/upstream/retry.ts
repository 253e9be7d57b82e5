/** Helpers of the upstream retry loop: backoff, Retry-After, a sleep an abort cuts short. */
import type { Stop } from "./stop.js";

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
 * Waits `ms` milliseconds or until `stop` is stopped, whichever comes first; never rejects.
 * The timer is cleared on a stop, so nothing keeps running after a cancel.
 */
export function abortableSleep(ms: number, stop: Stop): Promise<void> {
  if (stop.stopped || ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      forget();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const forget = stop.onStop(done);
  });
}
