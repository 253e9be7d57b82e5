/**
 * The two reference resources, rendered at read time: `cekura://reference/fields` (generated
 * from the catalogue) and `cekura://reference/filters` (prose in prompts/reference-filters.md,
 * its lists filled from the catalogue and the time grammar). Nothing here restates a rule: a
 * field, operator or combination changes in src/widget/catalogue.ts and shows here at once.
 */
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import referenceFields from "../../prompts/reference-fields.md";
import referenceFilters from "../../prompts/reference-filters.md";
import {
  AGGREGATIONS,
  COMBINATIONS,
  type ConcreteDataType,
  combinationFor,
  DYNAMIC_COMBINATION,
  displayName,
  FILTER_FIELDS,
  GROUP_BY_TYPES,
  GROUP_OPERATORS,
  MAX_CONDITIONS,
  MAX_FILTER_DEPTH,
  METADATA_KEY,
  METRIC_EVAL_TYPES,
  METRIC_VALUE_COMBINATIONS,
  OPERATORS,
  type Operator,
  PERCENTILES,
  PLOT_FIELDS,
  TEXT_OPERATORS,
  TIME_PERIODS,
  UPSTREAM_MAX_WINDOW_DAYS,
} from "../widget/catalogue.js";
import { DATETIME_GRAMMAR_HINT, RELATIVE_DATETIME } from "../widget/time.js";
import { fillTemplate } from "./template.js";

export const FIELDS_URI = "cekura://reference/fields";
export const FILTERS_URI = "cekura://reference/filters";
const MIME = "text/markdown";

export interface ReferenceOptions {
  /** The start this server adds when a query has none (config's default window). */
  defaultWindow: string;
}

export interface ReferenceResource {
  uri: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
}

export const REFERENCE_RESOURCES: readonly ReferenceResource[] = [
  {
    uri: FIELDS_URI,
    name: "reference-fields",
    title: "Cekura widget fields",
    description:
      "Plot fields with data types and units, valid charts and aggregations per data type, metric types, filter fields with their operators.",
    mimeType: MIME,
  },
  {
    uri: FILTERS_URI,
    name: "reference-filters",
    title: "Cekura filter language",
    description:
      "Conditions and groups (and, or, same_row), operators and values, metadata keys, relative times, the default window and the 30-day limit, with examples.",
    mimeType: MIME,
  },
];

const code = (s: string) => `\`${s}\``;
const codes = (xs: readonly string[]) => (xs.length === 0 ? "none" : xs.map(code).join(", "));
const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;

/** What a condition's value is for each operator; a Record so a new operator cannot be missed. */
const OPERATOR_VALUE: Record<Operator, string> = {
  eq: "a value of the field's type",
  neq: "a value of the field's type",
  gt: "a number, or a datetime for timestamp",
  gte: "a number, or a datetime for timestamp",
  lt: "a number, or a datetime for timestamp",
  lte: "a number, or a datetime for timestamp",
  contains: "a non-empty string",
  startswith: "a non-empty string",
  endswith: "a non-empty string",
  in: "a non-empty list of values of the field's type",
  isnull: "true or false",
};

export const UNIT_NAMES: Readonly<Record<string, string>> = {
  s: "seconds",
  m: "minutes",
  h: "hours",
  d: "days",
  w: "weeks",
  M: "months (calendar; the day is clamped to the month's length)",
  y: "years",
};

/** The units the time grammar accepts, read from the grammar itself. */
export function relativeUnits(): string[] {
  const cls = /\[([A-Za-z]+)\]/.exec(RELATIVE_DATETIME.source);
  return cls ? [...cls[1]!] : [];
}

function plotFieldsTable(): string {
  return PLOT_FIELDS.map((f) => {
    const combo = combinationFor(f.dataType);
    const aggs = combo.charts.includes("bar") ? codes(combo.aggregations) : "none";
    let meaning = f.description;
    if (f.requiresMetric) meaning += "; `metric` is required";
    return row([
      code(displayName(f)),
      f.dataType === "dynamic" ? "dynamic (the metric's type)" : f.dataType,
      f.unit ?? "",
      codes(combo.charts),
      aggs,
      meaning,
    ]);
  }).join("\n");
}

function combinationsTable(): string {
  return (Object.keys(COMBINATIONS) as ConcreteDataType[])
    .map((t) => row([t, codes(COMBINATIONS[t].charts), codes(COMBINATIONS[t].aggregations)]))
    .join("\n");
}

function metricTypesTable(): string {
  return METRIC_EVAL_TYPES.map((t) => {
    const m = METRIC_VALUE_COMBINATIONS[t];
    return row([
      code(t),
      m.dataType,
      codes(m.charts),
      m.charts.includes("bar") ? codes(m.aggregations) : "none",
    ]);
  }).join("\n");
}

function filterFieldsTable(): string {
  return FILTER_FIELDS.map((f) => {
    const notes: string[] = [f.description];
    if (f.metricRow) notes.push("allowed inside `same_row`");
    if (f.assumption) notes.push(`ASSUMPTION: ${f.assumption}`);
    return row([code(displayName(f)), f.valueType, codes(f.operators), notes.join("; ")]);
  }).join("\n");
}

function assumptions(): string {
  const percentileTypes = (Object.keys(COMBINATIONS) as ConcreteDataType[]).filter((t) =>
    PERCENTILES.every((p) => COMBINATIONS[t].aggregations.includes(p)),
  );
  const lines = [
    `Percentiles (${codes(PERCENTILES)}) apply to ${percentileTypes.join(", ")} data only.`,
    `Metric types plot as: ${METRIC_EVAL_TYPES.map((t) => `${code(t)} as ${METRIC_VALUE_COMBINATIONS[t].dataType}`).join(", ")} (the guide does not say how binary and rating metrics map).`,
    ...FILTER_FIELDS.filter((f) => f.assumption).map((f) => `${code(displayName(f))}: ${f.assumption}.`),
    "Time units `M` and `y` move by calendar months and years; an ISO timestamp without a zone is UTC.",
  ];
  return lines.map((l) => `- ${l}`).join("\n");
}

function operatorTable(): string {
  return OPERATORS.map((op) => {
    const fields = FILTER_FIELDS.filter((f) => f.operators.includes(op));
    return row([
      code(op),
      OPERATOR_VALUE[op],
      fields.length > 0 ? codes(fields.map(displayName)) : "none: no field takes it",
    ]);
  }).join("\n");
}

export function renderFieldsReference(): string {
  return fillTemplate(referenceFields, {
    aggregations: codes(AGGREGATIONS),
    time_periods: codes(TIME_PERIODS),
    group_by_example: `${GROUP_BY_TYPES.map(code).join(" or ")}, e.g. ${code('{"type": "field", "field": "agent.id"}')} to split a bar chart per agent`,
    plot_fields_table: plotFieldsTable(),
    combinations_table: combinationsTable(),
    metric_types_table: metricTypesTable(),
    dynamic_charts: codes(DYNAMIC_COMBINATION.charts),
    filter_fields_table: filterFieldsTable(),
    operators: codes(OPERATORS),
    text_operators: codes(TEXT_OPERATORS),
    assumptions: assumptions(),
  }).trim();
}

export function renderFiltersReference(opts: ReferenceOptions): string {
  return fillTemplate(referenceFilters, {
    group_operators: codes(GROUP_OPERATORS),
    max_depth: String(MAX_FILTER_DEPTH),
    max_groups: String(MAX_FILTER_DEPTH - 1),
    max_conditions: String(MAX_CONDITIONS),
    same_row_fields: codes(FILTER_FIELDS.filter((f) => f.metricRow).map(displayName)),
    operator_table: operatorTable(),
    metadata_key_pattern: METADATA_KEY.source,
    datetime_grammar: DATETIME_GRAMMAR_HINT,
    relative_units: relativeUnits()
      .map((u) => row([code(u), UNIT_NAMES[u] ?? u]))
      .join("\n"),
    default_window: opts.defaultWindow,
    max_window_days: String(UPSTREAM_MAX_WINDOW_DAYS),
  }).trim();
}

/** resources/read: the text of a reference, or an InvalidParams error naming the known URIs. */
export function readReference(
  uri: string,
  opts: ReferenceOptions,
): { contents: { uri: string; mimeType: string; text: string }[] } {
  let text: string;
  if (uri === FIELDS_URI) text = renderFieldsReference();
  else if (uri === FILTERS_URI) text = renderFiltersReference(opts);
  else {
    throw new McpError(
      ErrorCode.InvalidParams,
      `Unknown resource ${JSON.stringify(uri.slice(0, 200))}. Known resources: ${REFERENCE_RESOURCES.map((r) => r.uri).join(", ")}.`,
      { knownUris: REFERENCE_RESOURCES.map((r) => r.uri) },
    );
  }
  return { contents: [{ uri, mimeType: MIME, text }] };
}
