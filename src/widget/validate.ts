/**
 * Turns the arguments a model sent into a widget query the API will accept, or into issues that
 * name the argument, what is wrong and how to fix it. Pure: no I/O, no clock (the caller passes
 * `now`). The same function serves the MCP tool and the embedded backend's request validation.
 *
 * Leniency is deliberate and narrow (each slip is tested): filters/group_by given as a JSON
 * string, numbers given as numeric strings, enum values in the wrong case, a single condition
 * where a list of conditions is expected, and null or "" for an optional argument (taken as
 * absent). Nothing else is guessed: a typo must never silently change the question.
 */
import {
  AGGREGATIONS,
  type Aggregation,
  CHART_TYPES,
  type ChartType,
  combinationFor,
  DATA_TYPES,
  type DataType,
  displayName,
  ENUM_ALIASES,
  FILTER_FIELDS,
  type FilterField,
  findFilterField,
  findGroupByField,
  findPlotField,
  GROUP_BY_CHARTS,
  GROUP_BY_FIELDS,
  GROUP_BY_TYPES,
  GROUP_OPERATORS,
  type GroupOperator,
  MAX_CONDITIONS,
  MAX_FILTER_DEPTH,
  METADATA_KEY,
  MIN_BUCKET_INTERVAL_MS,
  NAME_MAX_LENGTH,
  OPERATORS,
  type Operator,
  PLOT_FIELDS,
  REQUEST_FIELDS,
  TEXT_OPERATORS,
  TIME_PERIODS,
  type TimePeriod,
} from "./catalogue.js";
import { ARGUMENT_NAMES } from "./published-schema.js";
import { closest, didYouMean } from "./suggest.js";
import { DATETIME_GRAMMAR_HINT, resolveDatetime, roleOf, startOfUtcDay, toIso } from "./time.js";
import type { Condition, Filter, GroupBy, JsonValue, TimeWindow, WidgetQuery } from "./types.js";
import { isGroup } from "./types.js";

export interface ValidateOptions {
  /** Epoch ms used to resolve relative datetimes; one instant per call. */
  now: number;
  /** When set and no gt/gte timestamp condition exists: add `timestamp gte <defaultStart>`. */
  defaultStart?: string;
  /** When set: a window start older than this many days (counted from 00:00 UTC today) is an issue. */
  maxWindowDays?: number;
  /** When true: no gt/gte timestamp condition is an issue (the upstream rule). */
  requireStart?: boolean;
}

export interface ValidationIssue {
  /** The argument at fault, e.g. "aggregation_function" or "filters.conditions[1].op". */
  path: string;
  message: string;
  fix?: string;
  example?: unknown;
}

export type ValidateResult =
  | { ok: true; query: WidgetQuery; window: TimeWindow; notes: string[] }
  | { ok: false; issues: ValidationIssue[]; tooFarInPast?: boolean; missingStart?: boolean };

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);
const has = (o: Dict, k: string) => Object.hasOwn(o, k);
const NUMERIC_STRING = /^\s*-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;
/** A value as a message shows it: short, and in time bounded by the cut, never by the value's size. */
const show = (v: unknown): string => {
  const cut = (t: string) => (t.length > 80 ? `${t.slice(0, 77)}...` : t);
  if (typeof v === "string") return cut(JSON.stringify(v.length > 80 ? v.slice(0, 80) : v));
  if (v === null || typeof v !== "object") return cut(String(v));
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? "" : "s"}`;
  const keys: string[] = [];
  for (const k in v) {
    if (keys.length === 4) {
      keys.push("...");
      break;
    }
    if (Object.hasOwn(v, k)) keys.push(k);
  }
  return cut(`an object {${keys.join(", ")}}`);
};
const list = (xs: readonly string[]) => xs.join(", ");

/** Hints for argument names models often invent. */
const ARGUMENT_ALIASES: Record<string, string> = {
  chart: "chart_type",
  type: "chart_type",
  aggregation: "aggregation_function",
  agg: "aggregation_function",
  aggregate: "aggregation_function",
  period: "time_period",
  interval: "time_period",
  granularity: "time_period",
  bucket: "time_period",
  filter: "filters",
  where: "filters",
  metric_id: "metric",
  dashboard_id: "dashboard",
  group: "group_by",
  groupby: "group_by",
  title: "name",
};

const FILTER_FIELD_NAMES = FILTER_FIELDS.map(displayName);
const PLOT_FIELD_NAMES = PLOT_FIELDS.map(displayName);
const GROUP_BY_FIELD_NAMES = GROUP_BY_FIELDS.map(displayName);

class Collector {
  issues: ValidationIssue[] = [];
  notes: string[] = [];
  add(path: string, message: string, fix?: string, example?: unknown) {
    if (this.issues.length < 20) this.issues.push({ path, message, fix, example });
  }
}

// ---------------------------------------------------------------- leniency helpers

/** "Did you mean" for an enum value: a known alias (average → avg) first, then spelling. */
function aliasHint(value: string, allowed: readonly string[]): string {
  const alias = ENUM_ALIASES[value];
  if (alias !== undefined && allowed.includes(alias)) return ` Did you mean "${alias}"?`;
  return didYouMean(value, allowed);
}

function lowerEnum(value: unknown): unknown {
  return typeof value === "string" ? value.trim().toLowerCase() : value;
}

function numberFrom(value: unknown): unknown {
  if (typeof value === "string" && NUMERIC_STRING.test(value)) return Number(value);
  return value;
}

function parseJsonArgument(value: unknown, path: string, c: Collector): unknown {
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (text === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    c.notes.push(`${path} arrived as a JSON string and was parsed.`);
    return parsed;
  } catch {
    c.add(path, `${path} is a string that is not valid JSON.`, `Pass ${path} as an object, not a string.`, {
      [path]: { field: "success", op: "eq", value: true },
    });
    return undefined;
  }
}

function enumValue<T extends string>(
  raw: unknown,
  allowed: readonly T[],
  path: string,
  c: Collector,
  example: unknown,
): T | undefined {
  const v = lowerEnum(raw);
  if (typeof v === "string" && (allowed as readonly string[]).includes(v)) return v as T;
  const hint = typeof v === "string" ? aliasHint(v, allowed) : "";
  c.add(path, `${path} must be one of ${list(allowed)}; got ${show(raw)}.${hint}`, undefined, example);
  return undefined;
}

function integerValue(raw: unknown, path: string, c: Collector, example: unknown): number | undefined {
  const v = numberFrom(raw);
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  c.add(path, `${path} must be an integer; got ${show(raw)}.`, undefined, example);
  return undefined;
}

// ---------------------------------------------------------------- filters

interface FilterContext {
  c: Collector;
  /** Resolves relative datetimes, so values a Date cannot hold (now-999999y) are refused. */
  now: number;
  /** Fields seen on timestamp conditions: for the window. */
  timestamps: { op: Operator; value: string; path: string }[];
}

const FILTER_EXAMPLE = {
  operator: "and",
  conditions: [
    { field: "timestamp", op: "gte", value: "now-7d" },
    { field: "success", op: "eq", value: true },
  ],
};

function checkValue(
  spec: FilterField,
  op: Operator,
  raw: unknown,
  path: string,
  field: string,
  ctx: FilterContext,
): JsonValue | undefined {
  const { c } = ctx;
  if (op === "isnull") {
    if (typeof raw === "boolean") return raw;
    c.add(path, `isnull takes true or false; got ${show(raw)}.`, undefined, {
      field,
      op: "isnull",
      value: true,
    });
    return undefined;
  }
  if (op === "in") {
    if (!Array.isArray(raw)) {
      c.add(
        path,
        `in takes a list; got ${show(raw)}.`,
        `Wrap the value in a list, or use eq for one value.`,
        {
          field,
          op: "in",
          value: [raw ?? "a", "b"],
        },
      );
      return undefined;
    }
    if (raw.length === 0 || raw.length > 1000) {
      c.add(path, `in takes a list of 1 to 1000 values; got ${raw.length}.`);
      return undefined;
    }
    const out: JsonValue[] = [];
    for (let i = 0; i < raw.length; i++) {
      const v = scalar(spec, op, raw[i], `${path}[${i}]`, field, ctx);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  return scalar(spec, op, raw, path, field, ctx);
}

function scalar(
  spec: FilterField,
  op: Operator,
  raw: unknown,
  path: string,
  field: string,
  ctx: FilterContext,
): JsonValue | undefined {
  const { c } = ctx;
  if (TEXT_OPERATORS.includes(op)) {
    if (typeof raw === "string" && raw.length > 0 && raw.length <= 1000) return raw;
    c.add(path, `${op} takes a non-empty string; got ${show(raw)}.`, undefined, { field, op, value: "text" });
    return undefined;
  }
  switch (spec.valueType) {
    case "integer": {
      const v = numberFrom(raw);
      if (typeof v === "number" && Number.isSafeInteger(v)) return v;
      c.add(path, `${field} takes an integer; got ${show(raw)}.`, undefined, { field, op, value: 42 });
      return undefined;
    }
    case "number": {
      const v = numberFrom(raw);
      if (typeof v === "number" && Number.isFinite(v)) return v;
      c.add(path, `${field} takes a number; got ${show(raw)}.`, undefined, { field, op, value: 60 });
      return undefined;
    }
    case "boolean":
      if (typeof raw === "boolean") return raw;
      c.add(path, `${field} takes true or false; got ${show(raw)}.`, undefined, { field, op, value: true });
      return undefined;
    case "string":
      if (raw === "") {
        c.add(
          path,
          `${field} compared with an empty string matches nothing useful.`,
          "To find calls without a value use isnull.",
          {
            field,
            op: "isnull",
            value: true,
          },
        );
        return undefined;
      }
      if (typeof raw === "string" && raw.length <= 1000) return raw;
      c.add(path, `${field} takes a string; got ${show(raw)}.`, undefined, { field, op, value: "text" });
      return undefined;
    case "datetime":
      if (typeof raw === "string" && resolveDatetime(raw, ctx.now) !== undefined) return raw;
      c.add(path, `${show(raw)} is not a datetime the API reads: ${DATETIME_GRAMMAR_HINT}.`, undefined, {
        field,
        op,
        value: "now-7d",
      });
      return undefined;
    case "dynamic":
      if (typeof raw === "boolean" || (typeof raw === "string" && raw.length <= 1000)) return raw;
      if (typeof raw === "number" && Number.isFinite(raw)) return raw;
      c.add(path, `${field} takes a number, boolean or string; got ${show(raw)}.`, undefined, {
        field,
        op,
        value: 0.8,
      });
      return undefined;
  }
}

function checkCondition(
  node: Dict,
  path: string,
  ctx: FilterContext,
  sameRow: boolean,
): Condition | undefined {
  const { c } = ctx;
  for (const key of Object.keys(node)) {
    if (key === "field" || key === "op" || key === "value") continue;
    const hint =
      key === "operator" ? ` A condition uses "op" (e.g. "op": "eq"); "operator" is for groups.` : "";
    c.add(`${path}.${key}`, `A condition takes only field, op and value; got "${key}".${hint}`, undefined, {
      field: "success",
      op: "eq",
      value: true,
    });
    return undefined;
  }
  const field = node.field;
  if (typeof field !== "string" || field === "") {
    c.add(`${path}.field`, `A condition needs a field name (string); got ${show(field)}.`, undefined, {
      field: "success",
      op: "eq",
      value: true,
    });
    return undefined;
  }
  const found = findFilterField(field);
  if (!found) {
    const alias =
      field === "agent_id" ? ' To filter by agent use "agent.id".' : didYouMean(field, FILTER_FIELD_NAMES);
    c.add(
      `${path}.field`,
      `Unknown filter field "${field}".${alias} Filter fields: ${list(FILTER_FIELD_NAMES)}.`,
    );
    return undefined;
  }
  const spec = found.entry;
  if (found.key !== undefined && !METADATA_KEY.test(found.key)) {
    c.add(
      `${path}.field`,
      found.key.includes(".")
        ? `"${field}": metadata keys are top-level only (metadata.a.b is refused).`
        : `"${field}": a metadata key is letters, digits, _ or -.`,
      undefined,
      { field: "metadata.region", op: "eq", value: "eu" },
    );
    return undefined;
  }
  if (sameRow && !spec.metricRow) {
    c.add(
      `${path}.field`,
      `same_row groups take only metric_evaluations fields (metric_evaluations.value, metric_evaluations.metric.id, metric_evaluations.metric.name); got "${field}".`,
      "Move the other conditions into an enclosing and group.",
      {
        operator: "and",
        conditions: [
          { field, op: "eq", value: "..." },
          {
            operator: "same_row",
            conditions: [
              { field: "metric_evaluations.metric.id", op: "eq", value: 101 },
              { field: "metric_evaluations.value", op: "gte", value: 4 },
            ],
          },
        ],
      },
    );
    return undefined;
  }
  const op = lowerEnum(node.op);
  if (typeof op !== "string" || !(OPERATORS as readonly string[]).includes(op)) {
    const hint = typeof op === "string" ? aliasHint(op, spec.operators) : "";
    c.add(
      `${path}.op`,
      `op must be one of ${list(spec.operators)} for ${field}; got ${show(node.op)}.${hint}`,
      undefined,
      { field, op: spec.operators[0], value: "..." },
    );
    return undefined;
  }
  if (!spec.operators.includes(op as Operator)) {
    c.add(`${path}.op`, `${field} does not take op "${op}"; it takes ${list(spec.operators)}.`, undefined, {
      field,
      op: spec.operators[0],
      value: node.value ?? "...",
    });
    return undefined;
  }
  if (!has(node, "value")) {
    c.add(`${path}.value`, `The condition on ${field} has no value.`, undefined, {
      field,
      op,
      value: op === "isnull" ? true : "...",
    });
    return undefined;
  }
  const value = checkValue(spec, op as Operator, node.value, `${path}.value`, field, ctx);
  if (value === undefined) return undefined;
  if (field === "timestamp" && typeof value === "string") {
    ctx.timestamps.push({ op: op as Operator, value, path: `${path}.value` });
  }
  return { field, op: op as Operator, value };
}

const NESTING_LIMIT = `Filters nest at most ${MAX_FILTER_DEPTH} levels deep (a condition inside at most ${MAX_FILTER_DEPTH - 1} groups).`;

function checkFilter(
  raw: unknown,
  path: string,
  ctx: FilterContext,
  depth: number,
  sameRow: boolean,
): Filter | undefined {
  const { c } = ctx;
  if (depth > MAX_FILTER_DEPTH) {
    c.add(path, NESTING_LIMIT, "Flatten the groups: and/or are associative.");
    return undefined;
  }
  if (Array.isArray(raw)) {
    c.add(
      path,
      `${path} is a list; a filter is one condition or one group.`,
      `Wrap the list in a group: {"operator": "and", "conditions": [...]}.`,
      FILTER_EXAMPLE,
    );
    return undefined;
  }
  if (!isDict(raw)) {
    c.add(
      path,
      `${path} must be an object (a condition or a group); got ${show(raw)}.`,
      undefined,
      FILTER_EXAMPLE,
    );
    return undefined;
  }
  // {"field", "operator": "eq", "value"} is a condition with a misnamed op, not a group.
  const isGroupNode =
    has(raw, "conditions") || (has(raw, "operator") && !has(raw, "op") && !has(raw, "field"));
  if (!isGroupNode) return checkCondition(raw, path, ctx, sameRow);

  for (const key of Object.keys(raw)) {
    if (key === "operator" || key === "conditions") continue;
    c.add(
      `${path}.${key}`,
      `A group takes only operator and conditions; got "${key}". Put conditions inside "conditions".`,
      undefined,
      FILTER_EXAMPLE,
    );
    return undefined;
  }
  let operator: GroupOperator | undefined = "and";
  if (has(raw, "operator")) {
    operator = enumValue(raw.operator, GROUP_OPERATORS, `${path}.operator`, c, FILTER_EXAMPLE);
    if (!operator) return undefined;
  } else {
    c.add(`${path}.operator`, `A group needs an operator: and, or or same_row.`, undefined, FILTER_EXAMPLE);
    return undefined;
  }
  let conditions = raw.conditions;
  if (isDict(conditions)) conditions = [conditions]; // a single condition where a list is expected
  if (!Array.isArray(conditions) || conditions.length === 0) {
    c.add(`${path}.conditions`, `A group needs a non-empty list of conditions.`, undefined, FILTER_EXAMPLE);
    return undefined;
  }
  if (conditions.length > MAX_CONDITIONS) {
    c.add(
      `${path}.conditions`,
      `A group takes at most ${MAX_CONDITIONS} conditions; got ${conditions.length}.`,
    );
    return undefined;
  }
  const inner = sameRow || operator === "same_row";
  const out: Filter[] = [];
  for (let i = 0; i < conditions.length; i++) {
    const child = checkFilter(conditions[i], `${path}.conditions[${i}]`, ctx, depth + 1, inner);
    if (child === undefined) return undefined;
    out.push(child);
  }
  return { operator, conditions: out };
}

// ---------------------------------------------------------------- time window

/** The interval a filter tree admits: `and` intersects, `or` unions (hull). Null = unbounded. */
function bounds(f: Filter | undefined, now: number): { start: number | null; end: number | null } {
  if (!f) return { start: null, end: null };
  if (!isGroup(f)) {
    if (f.field !== "timestamp" || typeof f.value !== "string") return { start: null, end: null };
    const role = roleOf(f.op);
    const t = resolveDatetime(f.value, now, role ?? "start");
    if (t === undefined) return { start: null, end: null };
    if (role === "start") return { start: t, end: null };
    if (role === "end") return { start: null, end: t };
    if (f.op === "eq") return { start: t, end: t };
    return { start: null, end: null };
  }
  const parts = f.conditions.map((x) => bounds(x, now));
  if (f.operator === "or") {
    const starts = parts.map((p) => p.start);
    const ends = parts.map((p) => p.end);
    return {
      start: starts.some((s) => s === null) ? null : Math.min(...(starts as number[])),
      end: ends.some((e) => e === null) ? null : Math.max(...(ends as number[])),
    };
  }
  let start: number | null = null;
  let end: number | null = null;
  for (const p of parts) {
    if (p.start !== null) start = start === null ? p.start : Math.max(start, p.start);
    if (p.end !== null) end = end === null ? p.end : Math.min(end, p.end);
  }
  return { start, end };
}

function expressionOf(f: Filter | undefined, role: "start" | "end"): string | undefined {
  if (!f) return undefined;
  if (!isGroup(f))
    return f.field === "timestamp" && roleOf(f.op) === role ? `${f.op} ${String(f.value)}` : undefined;
  if (f.operator === "or") return undefined;
  for (const child of f.conditions) {
    const e = expressionOf(child, role);
    if (e) return e;
  }
  return undefined;
}

/** Levels from the root to the deepest condition, as checkFilter counts them: a lone condition is 1. */
function levels(f: Filter): number {
  if (!isGroup(f)) return 1;
  let deepest = 0;
  for (const child of f.conditions) deepest = Math.max(deepest, levels(child));
  return deepest + 1;
}

function andWith(f: Filter | undefined, extra: Condition): Filter {
  if (!f) return extra;
  if (isGroup(f) && f.operator === "and") return { operator: "and", conditions: [...f.conditions, extra] };
  return { operator: "and", conditions: [f, extra] };
}

// ---------------------------------------------------------------- the query

export function validateWidgetQuery(args: unknown, opts: ValidateOptions): ValidateResult {
  const c = new Collector();
  const ctx: FilterContext = { c, now: opts.now, timestamps: [] };
  const example = { chart_type: "bar", field: "success", aggregation_function: "avg", time_period: "day" };

  if (args === undefined || args === null) args = {};
  if (!isDict(args)) {
    return {
      ok: false,
      issues: [
        { path: "(arguments)", message: `The arguments must be an object; got ${show(args)}.`, example },
      ],
    };
  }

  for (const key of Object.keys(args)) {
    if ((ARGUMENT_NAMES as string[]).includes(key)) continue;
    const target = ARGUMENT_ALIASES[key.toLowerCase()] ?? closest(key, ARGUMENT_NAMES);
    const extra =
      key === "metadata"
        ? ' "metadata" is front-end layout data, not call metadata; to filter on call metadata use filters with field "metadata.<key>".'
        : target
          ? ` Did you mean "${target}"?`
          : "";
    c.add(key, `Unknown argument "${key}".${extra} Valid arguments: ${list(ARGUMENT_NAMES)}.`);
  }

  // Optional arguments given as null or "" are absent.
  const a: Dict = {};
  for (const key of ARGUMENT_NAMES) {
    if (!has(args, key)) continue;
    const v = args[key];
    if (v === null || v === undefined || (typeof v === "string" && v.trim() === "" && key !== "chart_type"))
      continue;
    a[key] = v;
  }

  const q: WidgetQuery = { chart_type: "line" };
  let chart: ChartType | undefined;
  if (a.chart_type === undefined) {
    c.add("chart_type", `chart_type is required: one of ${list(CHART_TYPES)}.`, undefined, example);
  } else {
    chart = enumValue(a.chart_type, CHART_TYPES, "chart_type", c, example);
  }
  let aggregation: Aggregation | undefined;
  if (a.aggregation_function !== undefined)
    aggregation = enumValue(a.aggregation_function, AGGREGATIONS, "aggregation_function", c, example);
  let period: TimePeriod | undefined;
  if (a.time_period !== undefined) period = enumValue(a.time_period, TIME_PERIODS, "time_period", c, example);
  let dataType: DataType | undefined;
  if (a.data_type !== undefined) dataType = enumValue(a.data_type, DATA_TYPES, "data_type", c, example);
  const metric =
    a.metric === undefined
      ? undefined
      : integerValue(a.metric, "metric", c, { field: "metric_evaluations.value", metric: 101 });
  const dashboard =
    a.dashboard === undefined ? undefined : integerValue(a.dashboard, "dashboard", c, { dashboard: 7 });
  let name: string | undefined;
  if (a.name !== undefined) {
    if (typeof a.name === "string" && a.name.length <= NAME_MAX_LENGTH) name = a.name;
    else c.add("name", `name must be a string of at most ${NAME_MAX_LENGTH} characters.`);
  }

  // field, against the chart
  let field: string | undefined;
  if (a.field !== undefined) {
    if (typeof a.field !== "string" || a.field.length > NAME_MAX_LENGTH) {
      c.add("field", `field must be a string naming what to plot; got ${show(a.field)}.`, undefined, example);
    } else field = a.field.trim();
  }
  let plotType: DataType | undefined;
  if (chart === "stat") {
    if (field !== undefined)
      c.add(
        "field",
        `stat charts take no field; they return total_calls, success_rate, avg_duration, p95_latency.`,
        "Leave field out.",
        {
          chart_type: "stat",
        },
      );
  } else if (chart !== undefined) {
    if (field === undefined) {
      c.add("field", `${chart} charts need a field to plot: ${list(PLOT_FIELD_NAMES)}.`, undefined, example);
    } else {
      const found = findPlotField(field);
      if (!found) {
        const hint = field.startsWith("agent")
          ? ' For the agent use "agent_id".'
          : didYouMean(field, PLOT_FIELD_NAMES);
        c.add("field", `Unknown field "${field}".${hint} Fields: ${list(PLOT_FIELD_NAMES)}.`);
      } else if (found.key !== undefined && !METADATA_KEY.test(found.key)) {
        c.add(
          "field",
          found.key.includes(".")
            ? `"${field}": metadata keys are top-level only (metadata.a.b is refused).`
            : `"${field}": name one metadata key, e.g. metadata.region.`,
          undefined,
          { chart_type: "pie", field: "metadata.region" },
        );
      } else {
        plotType = found.entry.dataType;
        if (found.entry.requiresMetric && metric === undefined && a.metric === undefined) {
          c.add("metric", `field ${field} needs metric: the id of the metric to plot.`, undefined, {
            chart_type: chart,
            field,
            metric: 101,
          });
        }
        const combo = combinationFor(plotType);
        if (!combo.charts.includes(chart)) {
          c.add(
            "chart_type",
            `${field} is ${plotType === "dynamic" ? "a metric value" : `${plotType} data`}; it plots as ${list(combo.charts)}, not ${chart}.`,
            undefined,
            combo.charts.includes("bar")
              ? { chart_type: "bar", field, aggregation_function: combo.aggregations[0], time_period: "day" }
              : { chart_type: combo.charts[0], field },
          );
        } else if (
          chart === "bar" &&
          aggregation !== undefined &&
          !combo.aggregations.includes(aggregation)
        ) {
          c.add(
            "aggregation_function",
            `${aggregation} does not apply to ${field} (${plotType}); use ${list(combo.aggregations)}.`,
            undefined,
            {
              chart_type: "bar",
              field,
              aggregation_function: combo.aggregations.at(-1),
              time_period: period ?? "day",
            },
          );
        }
        if (dataType !== undefined && plotType !== "dynamic" && dataType !== plotType) {
          c.add(
            "data_type",
            `${field} is ${plotType} data, not ${dataType}.`,
            "Leave data_type out; the service infers it.",
          );
        }
      }
    }
  }
  if (metric !== undefined && !(field !== undefined && findPlotField(field)?.entry.requiresMetric)) {
    c.add(
      "metric",
      `metric applies only with field metric_evaluations.value; field is ${field}.`,
      undefined,
      {
        chart_type: chart ?? "line",
        field: "metric_evaluations.value",
        metric,
      },
    );
  }

  // bar needs aggregation and period; the others take neither
  if (chart === "bar") {
    if (a.aggregation_function === undefined) {
      const aggs = plotType ? combinationFor(plotType).aggregations : AGGREGATIONS;
      c.add("aggregation_function", `bar charts need aggregation_function: ${list(aggs)}.`, undefined, {
        chart_type: "bar",
        field: field ?? "success",
        aggregation_function: aggs.at(-1),
        time_period: period ?? "day",
      });
    }
    if (a.time_period === undefined) {
      c.add("time_period", `bar charts need time_period: ${list(TIME_PERIODS)}.`, undefined, {
        chart_type: "bar",
        field: field ?? "success",
        aggregation_function: aggregation ?? "count",
        time_period: "day",
      });
    }
  } else if (chart !== undefined) {
    for (const key of ["aggregation_function", "time_period"] as const) {
      if (a[key] !== undefined) {
        c.add(
          key,
          `${chart} charts take no ${key}; only bar charts aggregate per time bucket.`,
          `Leave ${key} out, or use chart_type bar.`,
          chart === "stat" ? { chart_type: "stat" } : { chart_type: chart, field: field ?? "duration" },
        );
      }
    }
  }

  // group_by
  let groupBy: GroupBy | undefined;
  if (a.group_by !== undefined) {
    const g = parseJsonArgument(a.group_by, "group_by", c);
    if (g !== undefined) groupBy = checkGroupBy(g, chart, c);
  }

  // filters
  let filters: Filter | undefined;
  let dashboardFilters: Filter | undefined;
  for (const key of ["filters", "dashboard_filters"] as const) {
    if (a[key] === undefined) continue;
    const parsed = parseJsonArgument(a[key], key, c);
    if (parsed === undefined) continue;
    const f = checkFilter(parsed, key, ctx, 1, false);
    if (key === "filters") filters = f;
    else dashboardFilters = f;
  }

  if (c.issues.length > 0) return { ok: false, issues: c.issues };

  // the time window
  const hasStart = ctx.timestamps.some((t) => roleOf(t.op) === "start");
  let defaulted = false;
  if (!hasStart) {
    if (opts.requireStart) {
      return {
        ok: false,
        missingStart: true,
        issues: [
          {
            path: "filters",
            message: "A timestamp condition with gt or gte is required (the window's start).",
            example: { filters: FILTER_EXAMPLE },
          },
        ],
      };
    }
    if (opts.defaultStart) {
      const withStart = andWith(filters, { field: "timestamp", op: "gte", value: opts.defaultStart });
      // Wrapping an or/same_row root adds a level: what is sent must pass the same limit again.
      const depth = levels(withStart);
      if (depth > MAX_FILTER_DEPTH) {
        return {
          ok: false,
          issues: [
            {
              path: "filters",
              message: `${NESTING_LIMIT} These give no start time, so the default start (timestamp gte ${opts.defaultStart}) goes in an and-group around them, which makes ${depth} levels.`,
              fix: "Flatten the groups so one more level fits: and/or are associative, and a group of one condition can be that condition.",
              example: FILTER_EXAMPLE,
            },
          ],
        };
      }
      filters = withStart;
      // The configured default is a start like any other: it must respect maxWindowDays too.
      ctx.timestamps.push({ op: "gte", value: opts.defaultStart, path: "filters" });
      defaulted = true;
      c.notes.push(
        `No start time was given, so timestamp gte ${opts.defaultStart} was added. Add a timestamp gte condition to choose another window.`,
      );
    }
  }
  if (opts.maxWindowDays !== undefined) {
    const limit = startOfUtcDay(opts.now) - opts.maxWindowDays * 86_400_000;
    for (const t of ctx.timestamps) {
      if (roleOf(t.op) !== "start") continue;
      const at = resolveDatetime(t.value, opts.now, "start");
      if (at !== undefined && at < limit) {
        return {
          ok: false,
          tooFarInPast: true,
          issues: [
            {
              path: t.path,
              message: `The window starts at ${toIso(at)}, more than ${opts.maxWindowDays} days ago; the Cekura API allows at most ${opts.maxWindowDays} days back.`,
              fix: `Start at now-${opts.maxWindowDays}d or later (or analyse an export offline with --data FILE, which has no such limit).`,
              example: { field: "timestamp", op: t.op, value: `now-${opts.maxWindowDays}d` },
            },
          ],
        };
      }
    }
  }
  const b1 = bounds(filters, opts.now);
  const b2 = bounds(dashboardFilters, opts.now);
  const start = b1.start === null ? b2.start : b2.start === null ? b1.start : Math.max(b1.start, b2.start);
  const end = b1.end === null ? b2.end : b2.end === null ? b1.end : Math.min(b1.end, b2.end);
  // An open end means "until now": a start after now is as empty as a start after the end.
  const effectiveEnd = end === null ? opts.now : end;
  if (start !== null && start > effectiveEnd) {
    return {
      ok: false,
      issues: [
        {
          path: "filters",
          message: `The time window is empty: it starts at ${toIso(start)} and ends at ${toIso(effectiveEnd)}${end === null ? " (now)" : ""}.`,
          fix: "Make the gte/gt value earlier than the lte/lt value.",
          example: FILTER_EXAMPLE,
        },
      ],
    };
  }
  const window: TimeWindow = {
    start: start === null ? null : toIso(start),
    // An open end means "until now": calls cannot start in the future.
    end: toIso(effectiveEnd),
    defaulted,
  };
  const startExpression = expressionOf(filters, "start") ?? expressionOf(dashboardFilters, "start");
  const endExpression = expressionOf(filters, "end") ?? expressionOf(dashboardFilters, "end");
  if (startExpression) window.startExpression = startExpression;
  if (endExpression) window.endExpression = endExpression;

  // Assemble in the API's field order, leaving out what is absent: no nulls, no empty strings.
  const values: Partial<Record<(typeof REQUEST_FIELDS)[number], unknown>> = {
    chart_type: chart,
    field,
    filters,
    dashboard_filters: dashboardFilters,
    aggregation_function: aggregation,
    time_period: period,
    metric,
    group_by: groupBy,
    data_type: dataType,
    dashboard,
    name,
  };
  const out: Dict = {};
  for (const key of REQUEST_FIELDS) if (values[key] !== undefined) out[key] = values[key];
  Object.assign(q, out);
  return { ok: true, query: q, window, notes: c.notes };
}

function checkGroupBy(raw: unknown, chart: ChartType | undefined, c: Collector): GroupBy | undefined {
  const example = { type: "field", field: "agent.id" };
  if (!isDict(raw)) {
    c.add("group_by", `group_by must be an object; got ${show(raw)}.`, undefined, { group_by: example });
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (key !== "type" && key !== "field" && key !== "interval") {
      c.add(`group_by.${key}`, `group_by takes type, field and interval; got "${key}".`, undefined, {
        group_by: example,
      });
      return undefined;
    }
  }
  if (chart !== undefined && !GROUP_BY_CHARTS.includes(chart)) {
    c.add(
      "group_by",
      chart === "stat"
        ? "stat charts take no group_by."
        : `group_by applies to ${list(GROUP_BY_CHARTS)} charts, not ${chart}.`,
      "Leave group_by out; for one figure per group, make one call per group with a filter (e.g. agent.id eq 12), or use a bar chart with group_by.",
    );
    return undefined;
  }
  const type = enumValue(raw.type, GROUP_BY_TYPES, "group_by.type", c, { group_by: example });
  if (type === "field") {
    const f = raw.field;
    const found = typeof f === "string" ? findGroupByField(f) : undefined;
    const known = found !== undefined && (found.key === undefined || METADATA_KEY.test(found.key));
    if (typeof f !== "string" || !known || raw.interval !== undefined) {
      c.add(
        "group_by.field",
        `group_by of type field needs one of ${list(GROUP_BY_FIELD_NAMES)} (and no interval); got ${show(f)}.${typeof f === "string" ? didYouMean(f, GROUP_BY_FIELD_NAMES) : ""}`,
        undefined,
        { group_by: example },
      );
      return undefined;
    }
    return { type, field: f };
  }
  if (type === "bucket") {
    const interval = numberFrom(raw.interval);
    if (
      typeof interval !== "number" ||
      !Number.isSafeInteger(interval) ||
      interval < MIN_BUCKET_INTERVAL_MS ||
      raw.field !== undefined
    ) {
      c.add(
        "group_by.interval",
        `group_by of type bucket needs interval: whole milliseconds, at least ${MIN_BUCKET_INTERVAL_MS} (and no field); got ${show(raw.interval)}.`,
        undefined,
        { group_by: { type: "bucket", interval: 3_600_000 } },
      );
      return undefined;
    }
    return { type, interval };
  }
  return undefined;
}

/** One model-facing message from the issues: each names the argument, the problem and the fix. */
export function describeIssues(issues: ValidationIssue[]): string {
  const lines = issues.map((i) => {
    let line = `- ${i.path}: ${i.message}`;
    if (i.fix) line += ` ${i.fix}`;
    if (i.example !== undefined) line += ` Example: ${JSON.stringify(i.example)}`;
    return line;
  });
  const head =
    issues.length === 1
      ? "The call has a problem; nothing was sent."
      : `The call has ${issues.length} problems; nothing was sent.`;
  return `${head}\n${lines.join("\n")}\nFix the arguments named above and call again.`;
}
