/**
 * The response contract of `POST /dashboards/widgets/preview_data/` (docs/cekura-api.md §3).
 *
 * `parsePreviewResponse` checks only the outer shape: a plain object whose `data` is a list
 * (line, bar, pie) or an object (stat). Item shapes are NOT checked here: an item the readers
 * below do not recognise is rendered as a generic table by the report, never refused.
 */

import { err, ok, type Result, type ToolError } from "../shared/errors.js";
import { isPlainObject } from "../shared/json.js";
import { cut } from "../shared/text.js";
import type { ChartType } from "./catalogue.js";

export interface PreviewResponse {
  widget_id?: number | null;
  field_name?: string;
  chart_type?: string;
  data: unknown;
  aggregation_function?: string | null;
  time_period?: string | null;
  group_by?: unknown;
  can_group_by?: unknown;
  metadata?: unknown;
  [k: string]: unknown;
}

/** "a list (3 items)", "an object", "a string", "null": for messages. */
export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `a list (${value.length} item${value.length === 1 ? "" : "s"})`;
  if (isPlainObject(value)) return "an object";
  if (typeof value === "string") return "a string";
  if (typeof value === "number") return "a number";
  if (typeof value === "boolean") return "a boolean";
  return typeof value;
}

const EXPECTED_DATA: Record<ChartType, string> = {
  line: "a list of points {id, timestamp, value}",
  bar: "a list of buckets {time_interval, value, sample_count}",
  pie: "a list of slices {label, value, percentage}",
  stat: "an object {total_calls, success_rate, avg_duration, p95_latency}",
};

const NO_RETRY =
  "Retrying the same call will not help; please report this to the maintainers of cekura-dashboards-mcp (the API may have changed).";

function badResponse(detail: string): { ok: false; error: ToolError } {
  return err({
    category: "bad_response",
    message: `The Cekura service answered with an unexpected shape: ${detail} ${NO_RETRY}`,
  });
}

function keyList(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj);
  if (keys.length === 0) return "none";
  const shown = keys.slice(0, 10).map((k) => cut(k, 43));
  return keys.length > 10 ? `${shown.join(", ")}, ... (${keys.length} keys)` : shown.join(", ");
}

/** Checks the outer shape of a preview_data answer for the chart type that was asked. */
export function parsePreviewResponse(body: unknown, chart: ChartType): Result<PreviewResponse, ToolError> {
  if (!isPlainObject(body)) {
    return badResponse(`expected a JSON object with a \`data\` field, got ${describeJsonType(body)}.`);
  }
  if (!("data" in body) || body.data === undefined) {
    return badResponse(
      `expected a JSON object with a \`data\` field, but \`data\` is missing (keys present: ${keyList(body)}).`,
    );
  }
  const data = body.data;
  const wantsObject = chart === "stat";
  const fits = wantsObject ? isPlainObject(data) : Array.isArray(data);
  if (!fits) {
    return badResponse(
      `for a ${chart} chart \`data\` should be ${EXPECTED_DATA[chart]}, got ${describeJsonType(data)}.`,
    );
  }
  return ok(body as PreviewResponse);
}

// ---------------------------------------------------------------------------------------------
// Typed item readers. Each returns undefined when the item is not exactly the documented shape
// (required keys with the right types, no keys beyond the documented ones), so that the report
// never computes figures from data whose meaning it does not know.

export interface LinePoint {
  /** The call's id (a number upstream; kept as given). */
  id: unknown;
  timestamp: string;
  value: number | null;
}

export interface BarBucket {
  /** Bucket start, ISO UTC. */
  time_interval: string;
  value: number | null;
  /** Calls with a value in the bucket; undefined when the service did not say. */
  sample_count: number | undefined;
}

/** A bar bucket of grouped data (`group_by`); `group` is kept as given. */
export interface GroupedBarBucket extends BarBucket {
  group: unknown;
}

export interface PieSlice {
  label: string;
  value: number;
  percentage: number | undefined;
}

export interface StatData {
  total_calls: number | null | undefined;
  success_rate: number | null | undefined;
  avg_duration: number | null | undefined;
  p95_latency: number | null | undefined;
  /** Keys beyond the four documented ones, as given. */
  extra: Record<string, unknown>;
}

export const STAT_KEYS = ["total_calls", "success_rate", "avg_duration", "p95_latency"] as const;

const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isNumberOrNull = (v: unknown): v is number | null => v === null || isFiniteNumber(v);

function onlyKeys(obj: Record<string, unknown>, allowed: ReadonlySet<string>): boolean {
  for (const k in obj) if (!allowed.has(k)) return false;
  return true;
}

const BAR_KEYS = new Set(["time_interval", "value", "sample_count"]);
const GROUPED_BAR_KEYS = new Set(["time_interval", "value", "sample_count", "group"]);
const PIE_KEYS = new Set(["label", "value", "percentage"]);

/**
 * The item itself when it is a line point (no copy: a line may hold 100,000 points); with
 * `allowGroup`, a point of a grouped line (a `group` key) too. Items come from JSON, so an
 * object that is not an array is a plain object.
 */
export function readLinePoint(item: unknown, allowGroup = false): LinePoint | undefined {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return undefined;
  for (const k in item) {
    if (k !== "id" && k !== "timestamp" && k !== "value" && !(allowGroup && k === "group")) return undefined;
  }
  const { timestamp, value } = item as Record<string, unknown>;
  if (typeof timestamp !== "string" || !isNumberOrNull(value)) return undefined;
  return item as LinePoint;
}

function readBucketFields(item: Record<string, unknown>): BarBucket | undefined {
  const { time_interval, value, sample_count } = item;
  if (typeof time_interval !== "string" || !isNumberOrNull(value)) return undefined;
  if (sample_count !== undefined && sample_count !== null && !isFiniteNumber(sample_count)) return undefined;
  return { time_interval, value, sample_count: isFiniteNumber(sample_count) ? sample_count : undefined };
}

export function readBarBucket(item: unknown): BarBucket | undefined {
  if (!isPlainObject(item) || !onlyKeys(item, BAR_KEYS)) return undefined;
  return readBucketFields(item);
}

/** Reads a bucket that carries a `group` key (ASSUMPTION: our embedded backend's grouped shape). */
export function readGroupedBarBucket(item: unknown): GroupedBarBucket | undefined {
  if (!isPlainObject(item) || !("group" in item) || !onlyKeys(item, GROUPED_BAR_KEYS)) return undefined;
  const bucket = readBucketFields(item);
  return bucket ? { ...bucket, group: item.group } : undefined;
}

export function readPieSlice(item: unknown): PieSlice | undefined {
  if (!isPlainObject(item) || !onlyKeys(item, PIE_KEYS)) return undefined;
  const { label, value, percentage } = item;
  if (!isFiniteNumber(value)) return undefined;
  if (percentage !== undefined && percentage !== null && !isFiniteNumber(percentage)) return undefined;
  let text: string;
  if (typeof label === "string") text = label;
  else if (label === null || typeof label === "number" || typeof label === "boolean") text = String(label);
  else return undefined;
  return { label: text, value, percentage: isFiniteNumber(percentage) ? percentage : undefined };
}

/** Reads stat data; undefined unless it is an object holding at least one documented key with a number or null. */
export function readStatData(data: unknown): StatData | undefined {
  if (!isPlainObject(data)) return undefined;
  let known = 0;
  const out: StatData = {
    total_calls: undefined,
    success_rate: undefined,
    avg_duration: undefined,
    p95_latency: undefined,
    extra: {},
  };
  for (const [k, v] of Object.entries(data)) {
    if ((STAT_KEYS as readonly string[]).includes(k) && isNumberOrNull(v)) {
      out[k as (typeof STAT_KEYS)[number]] = v;
      known++;
    } else {
      out.extra[k] = v;
    }
  }
  return known > 0 ? out : undefined;
}

/** Reads every item of a list with `read`; undefined as soon as one item does not fit. */
export function readAll<T>(
  items: readonly unknown[],
  read: (item: unknown) => T | undefined,
): T[] | undefined {
  const out: T[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const r = read(items[i]);
    if (r === undefined) return undefined;
    out[i] = r;
  }
  return out;
}
