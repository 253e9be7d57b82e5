/**
 * A request's own abort, without an AbortController. On Node 20 every AbortSignal, and every
 * listener added to one, is built in V8's old generation (measured: about 300 bytes a signal, 250
 * a listener), where it stays as garbage until a full GC; two requests a call made that most of the
 * server's RSS growth (docs/performance.md). A Stop is a plain object that dies young.
 *
 * One owner calls stop(); one waiter at a time (the exchange in flight, or the backoff wait) is told.
 */
export class Stop {
  /** Why it was stopped; undefined while it runs. */
  reason: Error | undefined = undefined;
  #waiter: ((reason: Error) => void) | undefined = undefined;

  get stopped(): boolean {
    return this.reason !== undefined;
  }

  /** Whether a waiter is registered (nothing is left behind once a wait ends). */
  get waiting(): boolean {
    return this.#waiter !== undefined;
  }

  /** Stops once (later calls are ignored) and tells the waiter, if any. */
  stop(reason: Error): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.(reason);
  }

  /**
   * `fn` runs once, with the reason, when this stops, or at once if it has stopped already; the function returned
   * forgets `fn`. A new waiter replaces the previous one (waits are sequential).
   */
  onStop(fn: (reason: Error) => void): () => void {
    if (this.reason !== undefined) {
      fn(this.reason);
      return noop;
    }
    this.#waiter = fn;
    return () => {
      if (this.#waiter === fn) this.#waiter = undefined;
    };
  }
}

const noop = (): void => {};
