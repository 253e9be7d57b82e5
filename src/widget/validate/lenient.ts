/**
 * Lenient normalisation, deliberate and narrow (each slip is tested): unknown argument names get
 * a hint, optional arguments given as null or "" are absent, JSON strings are parsed, numeric
 * strings are numbers and enum values are read in any case. Nothing else is guessed.
 */
import { ENUM_ALIASES } from "../catalogue.js";
import { ARGUMENT_NAMES } from "../published-schema.js";
import { closest, didYouMean } from "../suggest.js";
import { type Collector, type Dict, has, list, show } from "./issues.js";

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

/**
 * The known arguments that are present: an issue for each unknown name, and null, undefined or
 * "" taken as absent (but a blank chart_type is kept, to be refused as a bad value).
 */
export function presentArguments(args: Dict, c: Collector): Dict {
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
  const a: Dict = {};
  for (const key of ARGUMENT_NAMES) {
    if (!has(args, key)) continue;
    const v = args[key];
    if (v === null || v === undefined || (typeof v === "string" && v.trim() === "" && key !== "chart_type"))
      continue;
    a[key] = v;
  }
  return a;
}

const NUMERIC_STRING = /^\s*-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;

/** "Did you mean" for an enum value: a known alias (average → avg) first, then spelling. */
export function aliasHint(value: string, allowed: readonly string[]): string {
  const alias = ENUM_ALIASES[value];
  if (alias !== undefined && allowed.includes(alias)) return ` Did you mean "${alias}"?`;
  return didYouMean(value, allowed);
}

export function lowerEnum(value: unknown): unknown {
  return typeof value === "string" ? value.trim().toLowerCase() : value;
}

export function numberFrom(value: unknown): unknown {
  if (typeof value === "string" && NUMERIC_STRING.test(value)) return Number(value);
  return value;
}

/** An object argument sent as a JSON string, parsed (with a note); "" is absent. */
export function parseJsonArgument(value: unknown, path: string, c: Collector): unknown {
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

export function enumValue<T extends string>(
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

export function integerValue(raw: unknown, path: string, c: Collector, example: unknown): number | undefined {
  const v = numberFrom(raw);
  if (typeof v === "number" && Number.isSafeInteger(v)) return v;
  c.add(path, `${path} must be an integer; got ${show(raw)}.`, undefined, example);
  return undefined;
}
