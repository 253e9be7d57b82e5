/**
 * The published input schema (src/widget/input-schema.json) against its two neighbours:
 * - its zod source (src/widget/schema.ts): regenerated here, any difference fails. After changing
 *   the zod source, accept the new text with `npm run schema` or `UPDATE_SCHEMAS=1 npx vitest run
 *   test/widget/input-schema.test.ts`, and review the diff: it is what every client shows models.
 * - the validator (src/widget/validate.ts), which turns arguments into the request body. The
 *   schema describes the arguments a model sends; the validator is more lenient (numeric strings,
 *   enum case, filters as a JSON string, null for absent, 8 group levels where the schema shows
 *   3). What must hold: the body keys are the schema's argument names, and every body the
 *   validator emits, from clean or slipped arguments, is itself a call the schema accepts; the one
 *   exception, the default start's and-group, is pinned below.
 */
import { readFile, writeFile } from "node:fs/promises";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REQUEST_FIELDS } from "../../src/widget/catalogue.js";
import { INPUT_JSON_SCHEMA } from "../../src/widget/published-schema.js";
import { validateWidgetQuery } from "../../src/widget/validate.js";
import { propertyRuns } from "../helpers/property.js";
import { validQueryArbitrary } from "../helpers/valid-query.js";

interface GenSchema {
  SCHEMA_FILE: string;
  generateSchemaText(): Promise<string>;
}
// A variable specifier: the script is plain JS without types, and must not be type-checked here.
const script = "../../scripts/gen-schema.mjs";

describe("src/widget/input-schema.json", () => {
  it("is what the zod source generates, byte for byte", async () => {
    const { SCHEMA_FILE, generateSchemaText } = (await import(/* @vite-ignore */ script)) as GenSchema;
    const generated = await generateSchemaText();
    if (process.env.UPDATE_SCHEMAS === "1") await writeFile(SCHEMA_FILE, generated);
    const committed = await readFile(SCHEMA_FILE, "utf8");
    expect(committed, "stale: run `npm run schema` and review the diff").toBe(generated);
    // ...and what the server publishes is that file.
    expect(INPUT_JSON_SCHEMA).toEqual(JSON.parse(generated));
  });
});

const NOW = Date.parse("2026-06-15T12:34:56Z");
const ajv = new Ajv({ allErrors: true });
const accepts = ajv.compile(INPUT_JSON_SCHEMA);
const schemaErrors = () => ajv.errorsText(accepts.errors);

/** Slips the validator tolerates; none of them is a call the schema accepts as sent. */
const SLIPS: Record<string, (q: Record<string, unknown>) => Record<string, unknown>> = {
  none: (q) => q,
  "enums in capitals": (q) => {
    const o = { ...q };
    for (const k of ["chart_type", "aggregation_function", "time_period", "data_type"]) {
      if (typeof o[k] === "string") o[k] = ` ${(o[k] as string).toUpperCase()} `;
    }
    return o;
  },
  "numbers as strings": (q) => ({
    ...q,
    ...(typeof q.metric === "number" ? { metric: ` ${q.metric} ` } : {}),
    ...(typeof q.dashboard === "number" ? { dashboard: String(q.dashboard) } : {}),
  }),
  "objects as JSON text": (q) => ({
    ...q,
    ...(q.filters !== undefined ? { filters: JSON.stringify(q.filters) } : {}),
    ...(q.group_by !== undefined ? { group_by: JSON.stringify(q.group_by) } : {}),
  }),
  "null for absent": (q) => ({ name: null, dashboard: null, group_by: null, ...q }),
};

describe("the validator's bodies and the published schema", () => {
  it("the schema's argument names are the request fields, in the order the body has them", () => {
    expect(Object.keys(INPUT_JSON_SCHEMA.properties)).toEqual([...REQUEST_FIELDS]);
  });

  it("every body emitted for a valid query, slipped or not, is a call the schema accepts; together they use every argument", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(validQueryArbitrary(NOW), fc.constantFrom(...Object.keys(SLIPS)), (q, slip) => {
        const r = validateWidgetQuery(SLIPS[slip]!(q), { now: NOW });
        expect(r.ok, JSON.stringify(r.ok ? null : r.issues)).toBe(true);
        if (!r.ok) return;
        for (const key of Object.keys(r.query)) seen.add(key);
        expect(accepts(r.query), schemaErrors()).toBe(true);
      }),
      propertyRuns(1_000, 20_261_202),
    );
    // A field the schema publishes but the validator never forwards (or the reverse) shows here.
    expect([...seen].sort()).toEqual(Object.keys(INPUT_JSON_SCHEMA.properties).sort());
  });

  it("the slips themselves are outside the schema: the property above is not the identity", () => {
    const q = { chart_type: "bar", field: "success", aggregation_function: "avg", time_period: "day" };
    expect(accepts(q)).toBe(true);
    expect(accepts(SLIPS["enums in capitals"]!(q))).toBe(false);
    expect(accepts({ ...q, field: "metric_evaluations.value", metric: " 101 " })).toBe(false);
    expect(accepts({ ...q, filters: '{"field":"success","op":"eq","value":true}' })).toBe(false);
    expect(accepts({ ...q, name: null })).toBe(false);
  });

  it("the default start may add the group level the schema does not show (the validator's limit is 8)", () => {
    const cond = { field: "success", op: "eq", value: true };
    const threeLevels = {
      chart_type: "stat",
      filters: {
        operator: "or",
        conditions: [{ operator: "and", conditions: [{ operator: "or", conditions: [cond] }] }],
      },
    };
    expect(accepts(threeLevels), schemaErrors()).toBe(true);
    const r = validateWidgetQuery(threeLevels, { now: NOW, defaultStart: "now-7d" });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    expect(r.query.filters).toEqual({
      operator: "and",
      conditions: [threeLevels.filters, { field: "timestamp", op: "gte", value: "now-7d" }],
    });
    expect(accepts(r.query)).toBe(false);
    // Sent again, that body is a valid query as it stands.
    const again = validateWidgetQuery(r.query, { now: NOW, defaultStart: "now-7d" });
    expect(again.ok && again.query).toEqual(r.query);
  });
});
