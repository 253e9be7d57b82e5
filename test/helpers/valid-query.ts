/** Generators of valid widget queries, shared by the properties that need one. */
import fc from "fast-check";
import {
  CHART_TYPES,
  type ChartType,
  combinationFor,
  FILTER_FIELDS,
  type FilterField,
  GROUP_BY_CHARTS,
  GROUP_BY_FIELDS,
  GROUP_OPERATORS,
  MIN_BUCKET_INTERVAL_MS,
  type Operator,
  PLOT_FIELDS,
  TEXT_OPERATORS,
  TIME_PERIODS,
} from "../../src/widget/catalogue.js";

const metadataKey = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);
const text = (max: number) => fc.string({ unit: "grapheme", minLength: 1, maxLength: max });
const nonBlankName = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 60 })
  .filter((s) => s.trim() !== "" && s.length <= 255);

function valueFor(spec: FilterField, op: Operator): fc.Arbitrary<unknown> {
  if (op === "isnull") return fc.boolean();
  if (TEXT_OPERATORS.includes(op)) return text(40);
  const one = (): fc.Arbitrary<unknown> => {
    switch (spec.valueType) {
      case "integer":
        return fc.integer({ min: -(2 ** 31), max: 2 ** 31 });
      case "number":
        return fc
          .double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 })
          .map((x) => (Object.is(x, -0) ? 0 : x));
      case "boolean":
        return fc.boolean();
      case "string":
        return fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }); // "" is refused (use isnull)
      case "dynamic":
        return fc.oneof(fc.boolean(), fc.integer(), text(20));
      case "datetime":
        return fc.constant("now");
    }
  };
  return op === "in" ? fc.array(one(), { minLength: 1, maxLength: 5 }) : one();
}

/** A condition on a non-timestamp field (timestamps are placed at the top, where the window is read). */
function conditionArb(sameRow: boolean): fc.Arbitrary<Record<string, unknown>> {
  const fields = FILTER_FIELDS.filter((f) => f.name !== "timestamp" && (!sameRow || f.metricRow));
  return fc
    .constantFrom(...fields)
    .chain((spec) =>
      fc.tuple(
        spec.prefix ? metadataKey.map((k) => `${spec.name}${k}`) : fc.constant(spec.name),
        fc.constantFrom(...spec.operators).chain((op) => valueFor(spec, op).map((value) => ({ op, value }))),
      ),
    )
    .map(([field, { op, value }]) => ({ field, op, value }));
}

const validTree = (depth: number, sameRow: boolean): fc.Arbitrary<Record<string, unknown>> =>
  depth <= 1
    ? conditionArb(sameRow)
    : fc.oneof(
        conditionArb(sameRow),
        fc
          .constantFrom<string>(...(sameRow ? ["and", "or", "same_row"] : GROUP_OPERATORS))
          .chain((operator) =>
            fc
              .array(validTree(depth - 1, sameRow || operator === "same_row"), { minLength: 1, maxLength: 3 })
              .map((conditions) => ({ operator, conditions })),
          ),
      );

const startValue = (now: number) =>
  fc.oneof(
    fc.integer({ min: 1, max: 29 }).map((n) => `now-${n}d`),
    fc.integer({ min: 1, max: 29 }).map((n) => `today-${n}d`),
    fc.integer({ min: 1, max: 23 }).map((n) => `now-${n}h`),
    fc
      .integer({ min: 1, max: 29 * 86_400 })
      .map((s) => new Date(now - s * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")),
  );

/** filters: maybe a start, maybe an end ("now"), maybe other conditions, all under one "and". */
const validFilters = (now: number) =>
  fc
    .record({
      start: fc.option(fc.tuple(fc.constantFrom("gte", "gt"), startValue(now)), { nil: undefined }),
      end: fc.option(fc.constantFrom("lte", "lt"), { nil: undefined }),
      rest: fc.array(validTree(3, false), { maxLength: 3 }),
    })
    .map(({ start, end, rest }) => {
      const conditions: Record<string, unknown>[] = [];
      if (start) conditions.push({ field: "timestamp", op: start[0], value: start[1] });
      if (end) conditions.push({ field: "timestamp", op: end, value: "now" });
      conditions.push(...rest);
      if (conditions.length === 0) return undefined;
      return conditions.length === 1 ? conditions[0] : { operator: "and", conditions };
    });

/**
 * Valid widget queries generated from the catalogue: every chart, field, aggregation, operator and
 * group_by it allows, filters nested up to three levels, starts within the last 29 days of `now`.
 */
export const validQueryArbitrary = (now: number): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .constantFrom<ChartType>(...CHART_TYPES)
    .chain((chart): fc.Arbitrary<Record<string, unknown>> => {
      const common = {
        filters: validFilters(now),
        dashboard_filters: fc.option(validTree(2, false), { nil: undefined }),
        dashboard: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }),
        name: fc.option(nonBlankName, { nil: undefined }),
      };
      if (chart === "stat") return fc.record(common).map((c) => ({ chart_type: chart, ...c }));
      const fields = PLOT_FIELDS.filter((f) => combinationFor(f.dataType).charts.includes(chart));
      return fc.constantFrom(...fields).chain((spec) => {
        const combo = combinationFor(spec.dataType);
        return fc
          .record({
            ...common,
            field: spec.prefix ? metadataKey.map((k) => `${spec.name}${k}`) : fc.constant(spec.name),
            metric: spec.requiresMetric ? fc.integer({ min: 1, max: 1e6 }) : fc.constant(undefined),
            aggregation_function:
              chart === "bar" ? fc.constantFrom(...combo.aggregations) : fc.constant(undefined),
            time_period: chart === "bar" ? fc.constantFrom(...TIME_PERIODS) : fc.constant(undefined),
            data_type: fc.option(fc.constant(spec.dataType), { nil: undefined }),
            group_by: GROUP_BY_CHARTS.includes(chart)
              ? fc.option(
                  fc.oneof(
                    fc
                      .constantFrom(...GROUP_BY_FIELDS)
                      .chain((g) =>
                        g.prefix ? metadataKey.map((k) => `${g.name}${k}`) : fc.constant(g.name),
                      )
                      .map((field) => ({ type: "field", field })),
                    fc
                      .integer({ min: MIN_BUCKET_INTERVAL_MS, max: 86_400_000 })
                      .map((interval) => ({ type: "bucket", interval })),
                  ),
                  { nil: undefined },
                )
              : fc.constant(undefined),
          })
          .map((c) => ({ chart_type: chart, ...c }));
      });
    })
    .map((q) =>
      Object.fromEntries(Object.entries(q as Record<string, unknown>).filter(([, v]) => v !== undefined)),
    );
