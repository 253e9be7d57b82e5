/**
 * The engine trusts the validator (src/widget/validate.ts) and reads its columns from the
 * catalogue: these check that the two agree, so that trust is never misplaced.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateDemoCalls } from "../../src/embedded/dataset.js";
import { computeWidget, createCallStore } from "../../src/embedded/engine.js";
import { callColumnOf } from "../../src/embedded/store.js";
import { FILTER_FIELDS, GROUP_BY_FIELDS, PLOT_FIELDS } from "../../src/widget/catalogue.js";
import { validateWidgetQuery } from "../../src/widget/validate.js";
import { propertyRuns } from "../helpers/property.js";
import { validQueryArbitrary } from "../helpers/valid-query.js";

const NOW = Date.parse("2026-06-15T12:34:56Z");
const store = createCallStore(generateDemoCalls({ count: 2_000, now: NOW }));

const KIND_OF: Record<string, string> = {
  numeric: "num",
  integer: "num",
  number: "num",
  boolean: "bool",
  string: "str",
};

describe("the catalogue's fields and the store's columns", () => {
  const plain = <T extends { name: string; prefix?: boolean }>(fields: readonly T[]) =>
    fields.filter((f) => !f.prefix);

  it("every plot, group_by and filter field the engine reads from a call has a column of its type", () => {
    const fields = [
      ...plain(PLOT_FIELDS)
        .filter((f) => !f.requiresMetric)
        .map((f) => ({ field: f, type: f.dataType })),
      ...plain(FILTER_FIELDS)
        .filter((f) => !f.metricRow && f.name !== "timestamp")
        .map((f) => ({ field: f, type: f.valueType })),
      ...plain(GROUP_BY_FIELDS).map((f) => ({ field: f, type: undefined })),
    ];
    expect(fields.length).toBeGreaterThan(20);
    for (const { field, type } of fields) {
      const column = callColumnOf(field);
      expect(column, field.name).toBeDefined();
      if (type !== undefined) expect(store.column(column!).kind, field.name).toBe(KIND_OF[type]);
    }
  });

  it("a name the store lacks has no column", () => {
    expect(callColumnOf({ name: "colour" })).toBeUndefined();
    expect(callColumnOf({ name: "agent_id" })).toBeUndefined();
    expect(callColumnOf({ name: "agent_id", column: "agent.id" })).toBe("agent.id");
  });
});

describe("the engine computes every query the validator lets through", () => {
  it("never throws; its only refusals are about the metric, which only the data knows", () => {
    const metrics = [...store.metrics().keys()];
    let answered = 0;
    fc.assert(
      fc.property(validQueryArbitrary(NOW), fc.constantFrom(...metrics, 999_999), (q, metric) => {
        const args = q.metric === undefined ? q : { ...q, metric };
        const checked = validateWidgetQuery(args, { now: NOW, defaultStart: "now-7d" });
        if (!checked.ok) return; // e.g. the default start nested too deep: not the engine's to see
        const r = computeWidget(store, checked.query, NOW);
        if (r.ok) answered++;
        else expect(Object.keys(r.error.body)).toEqual(["metric"]);
      }),
      propertyRuns(500, 20_261_202),
    );
    expect(answered).toBeGreaterThan(250);
  });
});
