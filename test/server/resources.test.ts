/**
 * The reference resources agree with validation because both read the catalogue: parse the
 * PUBLISHED text (not the catalogue) and check that validateWidgetQuery accepts exactly what it
 * lists. A drift between the two, in either direction, fails here.
 */
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import {
  FIELDS_URI,
  FILTERS_URI,
  REFERENCE_RESOURCES,
  readReference,
  relativeUnits,
  renderFieldsReference,
  renderFiltersReference,
  UNIT_NAMES,
} from "../../src/server/resources.js";
import {
  AGGREGATIONS,
  CHART_TYPES,
  displayName,
  FILTER_FIELDS,
  OPERATORS,
  PLOT_FIELDS,
  TEXT_OPERATORS,
} from "../../src/widget/catalogue.js";
import { validateWidgetQuery } from "../../src/widget/validate.js";

const opts = () => ({ now: Date.now(), defaultStart: "now-7d" });

interface Row {
  cells: string[];
}

/** The rows of the markdown table that follows `heading`. */
function tableAfter(text: string, heading: string): Row[] {
  const start = text.indexOf(heading);
  expect(start, `heading ${heading}`).toBeGreaterThanOrEqual(0);
  const rows: Row[] = [];
  let inTable = false;
  for (const line of text.slice(start).split("\n").slice(1)) {
    if (line.startsWith("|")) {
      inTable = true;
      const cells = line
        .slice(1, -1)
        .split("|")
        .map((c) => c.trim());
      if (cells[0]!.startsWith("`")) rows.push({ cells });
    } else if (inTable) break;
  }
  return rows;
}

const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
/** A concrete name for a family such as metadata.<key>. */
const concrete = (name: string) => name.replace("<key>", "region");

function sampleValue(valueType: string, op: string): unknown {
  if (op === "isnull") return true;
  if ((TEXT_OPERATORS as readonly string[]).includes(op)) return "abc";
  const one: unknown = {
    integer: 5,
    number: 60,
    boolean: true,
    string: "abc",
    datetime: "now-1d",
    dynamic: 1,
  }[valueType];
  expect(one, `a sample value for ${valueType}`).toBeDefined();
  return op === "in" ? [one] : one;
}

describe("cekura://reference/fields", () => {
  const text = renderFieldsReference();
  const filterRows = tableAfter(text, "## Filter fields");
  const plotRows = tableAfter(text, "## Plot fields");

  it("lists every filter field and every plot field of the catalogue", () => {
    expect(filterRows.map((r) => ticked(r.cells[0]!)[0])).toEqual(FILTER_FIELDS.map(displayName));
    expect(plotRows.map((r) => ticked(r.cells[0]!)[0])).toEqual(PLOT_FIELDS.map(displayName));
  });

  it("for every filter field and operator: validation accepts the operator iff the resource lists it", () => {
    let accepted = 0;
    for (const row of filterRows) {
      const field = concrete(ticked(row.cells[0]!)[0]!);
      const valueType = row.cells[1]!;
      const listed = ticked(row.cells[2]!);
      expect(listed.length).toBeGreaterThan(0);
      for (const op of OPERATORS) {
        const args = { chart_type: "stat", filters: { field, op, value: sampleValue(valueType, op) } };
        const result = validateWidgetQuery(args, opts());
        expect(result.ok, `${field} ${op}: listed=${listed.includes(op)} ${JSON.stringify(result)}`).toBe(
          listed.includes(op),
        );
        if (result.ok) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(40);
  });

  it("for every plot field and chart: validation accepts the chart iff the resource lists it", () => {
    for (const row of plotRows) {
      const field = concrete(ticked(row.cells[0]!)[0]!);
      const charts = ticked(row.cells[3]!);
      const aggregations = ticked(row.cells[4]!);
      const metric = field === "metric_evaluations.value" ? { metric: 101 } : {};
      for (const chart of CHART_TYPES) {
        const args: Record<string, unknown> = { chart_type: chart, field, ...metric };
        if (chart === "bar")
          Object.assign(args, { aggregation_function: aggregations[0] ?? "count", time_period: "day" });
        const result = validateWidgetQuery(args, opts());
        // stat takes no field at all, so it is never listed for a field.
        expect(result.ok, `${field} as ${chart}`).toBe(charts.includes(chart));
      }
      if (!charts.includes("bar")) continue;
      for (const aggregation of AGGREGATIONS) {
        const args = {
          chart_type: "bar",
          field,
          ...metric,
          aggregation_function: aggregation,
          time_period: "day",
        };
        expect(validateWidgetQuery(args, opts()).ok, `${field} bar ${aggregation}`).toBe(
          aggregations.includes(aggregation),
        );
      }
    }
  });

  it("names the metric evaluation types and marks the assumptions", () => {
    for (const t of ["binary", "numeric", "continuous_qualitative", "enum"])
      expect(text).toContain(`\`${t}\``);
    expect(text).toMatch(/## ASSUMPTIONS/);
    expect(text).toMatch(/ASSUMPTION: operators not listed upstream/);
    expect(text).toContain("| `duration` | numeric | s |");
  });
});

describe("cekura://reference/filters", () => {
  const text = renderFiltersReference({ defaultWindow: "now-7d" });
  const examples = [...text.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as unknown);

  it("has 6 to 10 examples and each passes validation, also under the API's 30-day rule", () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
    expect(examples.length).toBeLessThanOrEqual(10);
    for (const example of examples) {
      const result = validateWidgetQuery(example, opts());
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(validateWidgetQuery(example, { ...opts(), maxWindowDays: 30 }).ok).toBe(true);
      // Every example sets its own window.
      expect(result.ok && result.window.defaulted).toBe(false);
    }
  });

  it("shows and, or, same_row, in and isnull in the examples", () => {
    const all = JSON.stringify(examples);
    for (const needle of [
      '"operator":"or"',
      '"operator":"same_row"',
      '"op":"in"',
      '"op":"isnull"',
      "metadata.",
    ]) {
      expect(all).toContain(needle);
    }
  });

  it("fills every list from the catalogue and the time grammar", () => {
    expect(text).not.toMatch(/\{[#^/]?[a-z_]+\}/);
    const opRows = tableAfter(text, "## Operators and their values");
    expect(opRows.map((r) => ticked(r.cells[0]!)[0])).toEqual([...OPERATORS]);
    for (const row of opRows) {
      const op = ticked(row.cells[0]!)[0]!;
      const fields = FILTER_FIELDS.filter((f) => (f.operators as readonly string[]).includes(op)).map(
        displayName,
      );
      expect(ticked(row.cells[2]!)).toEqual(fields);
    }
    expect(relativeUnits()).toEqual(["s", "m", "h", "d", "w", "M", "y"]);
    for (const u of relativeUnits()) {
      expect(UNIT_NAMES[u], `unit ${u} has a name`).toBeDefined();
      expect(text).toContain(`| \`${u}\` | ${UNIT_NAMES[u]} |`);
    }
    expect(text).toContain("same_row");
    expect(text).toMatch(/23:59:59/);
    expect(text).toMatch(/more than 30 days ago/);
  });

  it("states the server's configured default window", () => {
    expect(renderFiltersReference({ defaultWindow: "now-24h" })).toContain("`timestamp gte now-24h`");
  });
});

describe("readReference", () => {
  it("reads both resources as markdown", () => {
    expect(REFERENCE_RESOURCES.map((r) => r.uri)).toEqual([FIELDS_URI, FILTERS_URI]);
    for (const r of REFERENCE_RESOURCES) {
      const { contents } = readReference(r.uri, { defaultWindow: "now-7d" });
      expect(contents).toHaveLength(1);
      expect(contents[0]).toMatchObject({ uri: r.uri, mimeType: "text/markdown" });
      expect(contents[0]!.text.length).toBeGreaterThan(1000);
    }
  });

  it("refuses an unknown URI with InvalidParams naming the known ones", () => {
    let thrown: unknown;
    try {
      readReference("cekura://reference/nope", { defaultWindow: "now-7d" });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(McpError);
    expect((thrown as McpError).code).toBe(ErrorCode.InvalidParams);
    expect((thrown as McpError).message).toContain(FIELDS_URI);
    expect((thrown as McpError).message).toContain(FILTERS_URI);
  });
});
