import { describe, expect, it } from "vitest";
import { Stop } from "../../src/upstream/stop.js";

describe("Stop", () => {
  it("tells its waiter once, with the first reason only", () => {
    const s = new Stop();
    const seen: string[] = [];
    s.onStop(() => seen.push(s.reason?.message ?? "none"));
    expect(s.stopped).toBe(false);
    s.stop(new Error("deadline"));
    s.stop(new Error("cancelled"));
    expect(s.stopped).toBe(true);
    expect(s.reason?.message).toBe("deadline");
    expect(seen).toEqual(["deadline"]);
    expect(s.waiting).toBe(false);
  });
  it("runs a waiter at once when already stopped", () => {
    const s = new Stop();
    s.stop(new Error("closed"));
    let ran = 0;
    s.onStop(() => ran++)();
    expect(ran).toBe(1);
  });
  it("forgets a waiter on request, and a forgotten waiter is never told", () => {
    const s = new Stop();
    let ran = 0;
    const forget = s.onStop(() => ran++);
    forget();
    expect(s.waiting).toBe(false);
    s.stop(new Error("x"));
    expect(ran).toBe(0);
  });
  it("a later waiter replaces the earlier one, and forgetting the earlier one keeps the later", () => {
    const s = new Stop();
    const seen: string[] = [];
    const forgetFirst = s.onStop(() => seen.push("first"));
    s.onStop(() => seen.push("second"));
    forgetFirst();
    expect(s.waiting).toBe(true);
    s.stop(new Error("x"));
    expect(seen).toEqual(["second"]);
  });
});
