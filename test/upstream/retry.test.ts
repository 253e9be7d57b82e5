import { describe, expect, it } from "vitest";
import { bound, fenced } from "../../src/upstream/quote.js";
import { abortableSleep, computeBackoffMs, parseRetryAfterMs } from "../../src/upstream/retry.js";
import { Stop } from "../../src/upstream/stop.js";

describe("computeBackoffMs", () => {
  it("is exponential with full jitter and capped", () => {
    expect(computeBackoffMs(1, 500, 4000, () => 0)).toBe(0);
    expect(computeBackoffMs(1, 500, 4000, () => 0.5)).toBe(250);
    expect(computeBackoffMs(2, 500, 4000, () => 0.5)).toBe(500);
    expect(computeBackoffMs(3, 500, 4000, () => 0.5)).toBe(1000);
    expect(computeBackoffMs(10, 500, 4000, () => 0.5)).toBe(2000);
    expect(computeBackoffMs(10, 500, 4000, () => 0.999999)).toBeLessThan(4000);
  });
  it("clamps a bad random source", () => {
    expect(computeBackoffMs(1, 500, 4000, () => Number.NaN)).toBe(0);
    expect(computeBackoffMs(1, 500, 4000, () => 7)).toBe(500);
  });
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it("reads delay-seconds", () => {
    expect(parseRetryAfterMs("1", now)).toBe(1000);
    expect(parseRetryAfterMs(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfterMs("0", now)).toBe(0);
  });
  it("reads an HTTP-date", () => {
    expect(parseRetryAfterMs("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfterMs("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
  });
  it("ignores missing or unreadable values", () => {
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs("", now)).toBeUndefined();
    expect(parseRetryAfterMs("soon", now)).toBeUndefined();
    expect(parseRetryAfterMs("-5", now)).toBeUndefined();
  });
});

describe("abortableSleep", () => {
  it("resolves at once when stopped and does not reject", async () => {
    const s = new Stop();
    const started = Date.now();
    const p = abortableSleep(60_000, s);
    setTimeout(() => s.stop(new Error("stop")), 20);
    await p;
    expect(Date.now() - started).toBeLessThan(10_000); // catastrophe bound: the sleep asked for 60 s
  });
  it("leaves no waiter behind, whichever ends it", async () => {
    const s = new Stop();
    await abortableSleep(5, s);
    expect(s.waiting).toBe(false);
    const p = abortableSleep(60_000, s);
    expect(s.waiting).toBe(true);
    s.stop(new Error("stop"));
    await p;
    expect(s.waiting).toBe(false);
  });
  it("resolves immediately when already stopped", async () => {
    const s = new Stop();
    s.stop(new Error("stop"));
    await expect(abortableSleep(60_000, s)).resolves.toBeUndefined();
  });
});

describe("quoting", () => {
  it("bound never splits a surrogate pair", () => {
    expect(bound("ab😀cd", 3)).toEqual({ text: "ab", cut: true });
    expect(bound("abc", 3)).toEqual({ text: "abc", cut: false });
  });
  it("fenced uses a fence longer than any backtick run and notes a cut", () => {
    const out = fenced("x ```` y", 100);
    expect(out.startsWith("`````text\n")).toBe(true);
    expect(out.endsWith("\n`````")).toBe(true);
    const long = fenced("z".repeat(5000), 2048);
    expect(long).toContain("cut to its first 2048 of 5000 characters");
    expect(long.length).toBeLessThan(2200);
  });
  it("fenced strips control characters", () => {
    expect(fenced("a\u0007b\r\nc\u001b[31m", 100)).toBe("```text\nab\nc[31m\n```");
  });
});
