import { describe, expect, it } from "vitest";
import { OPERATORS } from "../../src/widget/catalogue.js";
import { ARGUMENT_NAMES } from "../../src/widget/published-schema.js";
import { closest, didYouMean } from "../../src/widget/suggest.js";

describe("closest", () => {
  it.each([
    ["chart_typ", "chart_type"],
    ["chart_tpye", "chart_type"],
    ["fitlers", "filters"],
    ["filter", "filters"],
    ["aggregation", "aggregation_function"],
    ["time_periods", "time_period"],
    ["CHART_TYPE", "chart_type"],
    [" metric ", "metric"],
    ["dashbord", "dashboard"],
  ])("%j → %s", (input, expected) => {
    expect(closest(input, ARGUMENT_NAMES)).toBe(expected);
  });

  it("prefers the closer spelling over a mere prefix", () => {
    expect(closest("gtee", OPERATORS)).toBe("gte");
    expect(closest("ltt", OPERATORS)).toBe("lt");
    expect(closest("equal", OPERATORS)).toBe("eq");
    expect(closest("contain", OPERATORS)).toBe("contains");
  });

  it("returns an exact match (case-insensitively) as itself", () => {
    expect(closest("IN", OPERATORS)).toBe("in");
    expect(closest("in", OPERATORS)).toBe("in");
  });

  it.each(["colour", "xyz", "", "   ", "q".repeat(65)])("has nothing for %j", (input) => {
    expect(closest(input, ARGUMENT_NAMES)).toBeUndefined();
  });

  it("has nothing when there are no candidates", () => {
    expect(closest("chart_type", [])).toBeUndefined();
  });

  it("allows more edits for longer names, but not unboundedly", () => {
    // 3 edits on a 20-character name: within length/3.
    expect(closest("agregation_functoin", ARGUMENT_NAMES)).toBe("aggregation_function");
    // 3 edits on a 6-character name are too far; 2 are not.
    expect(closest("mqqqic", ARGUMENT_NAMES)).toBeUndefined();
    expect(closest("mxtrxc", ARGUMENT_NAMES)).toBe("metric");
  });
});

describe("didYouMean", () => {
  it("formats a hint, or nothing", () => {
    expect(didYouMean("fitlers", ARGUMENT_NAMES)).toBe(' Did you mean "filters"?');
    expect(didYouMean("colour", ARGUMENT_NAMES)).toBe("");
    expect(didYouMean("", OPERATORS)).toBe("");
  });
});
