import { describe, expect, it } from "vitest";
import {
  isRelativeDatetime,
  parseIsoDatetime,
  resolveDatetime,
  roleOf,
  startOfUtcDay,
  subtractMonths,
  toIso,
} from "../../src/widget/time.js";

// A fixed instant that is not at midnight, at the end of a 31-day month.
const NOW = Date.parse("2026-03-31T10:20:30Z");
const at = (iso: string) => Date.parse(iso);
const resolve = (value: string, role: "start" | "end" = "start", now = NOW) => {
  const t = resolveDatetime(value, now, role);
  return t === undefined ? undefined : toIso(t);
};

describe("relative datetimes: now", () => {
  it("resolves now to the instant itself, whatever the role", () => {
    expect(resolveDatetime("now", NOW, "start")).toBe(NOW);
    expect(resolveDatetime("now", NOW, "end")).toBe(NOW);
  });

  it.each([
    ["now-30s", "2026-03-31T10:20:00Z"],
    ["now-20m", "2026-03-31T10:00:30Z"],
    ["now-3h", "2026-03-31T07:20:30Z"],
    ["now-7d", "2026-03-24T10:20:30Z"],
    ["now-2w", "2026-03-17T10:20:30Z"],
    ["now-1M", "2026-02-28T10:20:30Z"],
    ["now-1y", "2025-03-31T10:20:30Z"],
    ["now-0d", "2026-03-31T10:20:30Z"],
  ])("%s resolves to %s", (value, expected) => {
    expect(resolve(value)).toBe(expected);
  });

  it("tells months (M) from minutes (m): the unit is case-sensitive", () => {
    expect(resolve("now-1M")).toBe("2026-02-28T10:20:30Z");
    expect(resolve("now-1m")).toBe("2026-03-31T10:19:30Z");
  });
});

describe("relative datetimes: today", () => {
  it("is 00:00:00 UTC of the day for a start and 23:59:59 for an end", () => {
    expect(resolve("today", "start")).toBe("2026-03-31T00:00:00Z");
    expect(resolve("today", "end")).toBe("2026-03-31T23:59:59Z");
  });

  it("today-7d shifts the day back and keeps the start/end rule", () => {
    expect(resolve("today-7d", "start")).toBe("2026-03-24T00:00:00Z");
    expect(resolve("today-7d", "end")).toBe("2026-03-24T23:59:59Z");
  });

  it.each([
    ["today-30s", "2026-03-30T23:59:30Z"],
    ["today-15m", "2026-03-30T23:45:00Z"],
    ["today-3h", "2026-03-30T21:00:00Z"],
    ["today-1w", "2026-03-24T00:00:00Z"],
    ["today-1M", "2026-02-28T00:00:00Z"],
    ["today-2y", "2024-03-31T00:00:00Z"],
  ])("%s as a start resolves to %s", (value, expected) => {
    expect(resolve(value, "start")).toBe(expected);
  });

  it("uses the UTC day, not the local one, just before and after midnight UTC", () => {
    expect(resolve("today", "start", at("2026-03-31T23:59:59Z"))).toBe("2026-03-31T00:00:00Z");
    expect(resolve("today", "start", at("2026-04-01T00:00:00Z"))).toBe("2026-04-01T00:00:00Z");
  });
});

describe("calendar months and years", () => {
  it("clamps to the end of a shorter month: Mar 31 - 1M is Feb 28, or Feb 29 in a leap year", () => {
    expect(toIso(subtractMonths(at("2026-03-31T10:00:00Z"), 1))).toBe("2026-02-28T10:00:00Z");
    expect(toIso(subtractMonths(at("2024-03-31T10:00:00Z"), 1))).toBe("2024-02-29T10:00:00Z");
    expect(resolve("now-1M", "start", at("2024-03-31T10:00:00Z"))).toBe("2024-02-29T10:00:00Z");
  });

  it("crosses year boundaries both ways", () => {
    expect(toIso(subtractMonths(at("2026-01-15T00:00:00Z"), 1))).toBe("2025-12-15T00:00:00Z");
    expect(toIso(subtractMonths(at("2026-03-31T00:00:00Z"), 13))).toBe("2025-02-28T00:00:00Z");
    expect(toIso(subtractMonths(at("2026-05-31T00:00:00Z"), 25))).toBe("2024-04-30T00:00:00Z");
  });

  it("takes Feb 29 minus one year to Feb 28", () => {
    expect(resolve("now-1y", "start", at("2024-02-29T12:00:00Z"))).toBe("2023-02-28T12:00:00Z");
  });

  it("keeps the time of day and the milliseconds", () => {
    expect(subtractMonths(at("2026-03-31T10:20:30.456Z"), 1)).toBe(at("2026-02-28T10:20:30.456Z"));
  });
});

describe("the grammar", () => {
  it.each([
    "now",
    "today",
    "now-1s",
    "now-1m",
    "now-1h",
    "now-1d",
    "now-1w",
    "now-1M",
    "now-1y",
    "today-7d",
    "now-999999s",
  ])("accepts %s", (value) => {
    expect(isRelativeDatetime(value)).toBe(true);
    expect(resolveDatetime(value, NOW)).toBeTypeOf("number");
  });

  it.each([
    "NOW",
    "Today",
    "now-7D",
    "now-7H",
    "now-7",
    "now-d",
    "now+7d",
    "now - 7d",
    "now-7dd",
    "now-1.5d",
    "now--7d",
    "yesterday",
    "now-7days",
    "now-1000000d",
    "",
  ])("refuses %j", (value) => {
    expect(isRelativeDatetime(value)).toBe(false);
    expect(resolveDatetime(value, NOW)).toBeUndefined();
  });

  it("refuses a grammatical value that no Date can hold instead of throwing", () => {
    expect(resolveDatetime("now-999999y", NOW)).toBeUndefined();
    // Far in the past but within a Date's range (about 83,000 years back): still a number.
    expect(resolveDatetime("now-999999M", NOW)).toBeTypeOf("number");
    expect(resolveDatetime("today-999999w", NOW)).toBeTypeOf("number");
  });
});

describe("ISO 8601", () => {
  it.each([
    ["2026-03-01", "2026-03-01T00:00:00Z"],
    ["2026-03-01T10:20:30Z", "2026-03-01T10:20:30Z"],
    ["2026-03-01T10:20:30", "2026-03-01T10:20:30Z"],
    ["2026-03-01T10:20", "2026-03-01T10:20:00Z"],
    ["2026-03-01 10:20:30", "2026-03-01T10:20:30Z"],
    ["2026-03-01T10:20:30+02:00", "2026-03-01T08:20:30Z"],
    ["2026-03-01T10:20:30-0530", "2026-03-01T15:50:30Z"],
    ["2026-03-01T00:30:00+01:00", "2026-02-28T23:30:00Z"],
    ["2026-03-01T10:20:30.250Z", "2026-03-01T10:20:30.250Z"],
    ["2024-02-29", "2024-02-29T00:00:00Z"],
  ])("reads %s as %s (UTC when no zone is given)", (value, expected) => {
    const t = parseIsoDatetime(value);
    expect(t).toBeDefined();
    expect(toIso(t!)).toBe(expected);
    // The same through the resolver, whatever the role: an absolute instant has no start/end rule.
    expect(resolveDatetime(value, NOW, "end")).toBe(t);
  });

  it.each([
    "2026-02-30",
    "2025-02-29",
    "2026-04-31",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "2026-01-01T24:00:00Z",
    "2026-01-01T10:60:00Z",
    "2026-01-01T10:00:60Z",
    "2026-01-01T10:00:00+24:00",
    "2026-1-5",
    "26-01-05",
    "2026-01-01Z",
    "2026/01/01",
    "1 March 2026",
    "1767225600",
  ])("refuses %j", (value) => {
    expect(parseIsoDatetime(value)).toBeUndefined();
    expect(resolveDatetime(value, NOW)).toBeUndefined();
  });
});

describe("helpers", () => {
  it("roleOf: gt/gte open a window, lt/lte close it, other operators neither", () => {
    expect(roleOf("gt")).toBe("start");
    expect(roleOf("gte")).toBe("start");
    expect(roleOf("lt")).toBe("end");
    expect(roleOf("lte")).toBe("end");
    expect(roleOf("eq")).toBeUndefined();
    expect(roleOf("neq")).toBeUndefined();
  });

  it("startOfUtcDay truncates to 00:00:00 UTC", () => {
    expect(toIso(startOfUtcDay(NOW))).toBe("2026-03-31T00:00:00Z");
  });

  it("toIso prints UTC without zero milliseconds, and keeps non-zero ones", () => {
    expect(toIso(at("2026-03-31T10:20:30Z"))).toBe("2026-03-31T10:20:30Z");
    expect(toIso(at("2026-03-31T10:20:30.5Z"))).toBe("2026-03-31T10:20:30.500Z");
  });
});

describe("ISO years below 100", () => {
  it("are read as written, not as 19xx", () => {
    expect(new Date(parseIsoDatetime("0050-01-01T00:00:00Z")!).getUTCFullYear()).toBe(50);
    expect(parseIsoDatetime("2024-02-29")).toBe(Date.UTC(2024, 1, 29));
  });
});
