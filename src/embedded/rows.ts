/**
 * Row normalisation: one call log as found in an export, in either shape of
 * docs/cekura-api.md §4, to the in-memory CallLog.
 *
 * (a) the widget shape: `duration` in seconds, `agent: {id, agent_name}`,
 *     `metric_evaluations: [{metric: {id, name, eval_type}, value}]`;
 * (b) the call-logs list API shape (`CallLogList`): `duration` "MM:SS" (or "H:MM:SS"), `agent` an
 *     id with `agent_name` beside it, `metrics: [{id, name, type, score, enum, value}]`, and
 *     `status` (success / failure / reviewed_success / reviewed_failure).
 *
 * Rules where the sources are silent (ASSUMPTIONS, kept in this one place):
 * - timestamp: `timestamp`, else `started_at`, else `created_at`; ISO 8601 (a zone-less time is
 *   UTC) or epoch seconds / milliseconds (a magnitude below 1e11 is seconds).
 * - empty strings in string fields mean "none" (the list API sends "" rather than null).
 * - a missing agent name is "" (we do not invent names).
 * - metadata: only top-level keys a filter can address (METADATA_KEY) are kept; nested values
 *   are kept as JSON text; a metadata value that is not an object (or JSON text of one) is {}.
 * - metric types: anything starting with "binary" is binary; "rating", "score" and other
 *   qualitative types are continuous_qualitative; an unknown type is inferred from the value,
 *   and an evaluation of unknown type without a value is dropped (it says nothing).
 * - binary values: a score above 0 is true (the API scores binary metrics 0 or 5, or 0 or 1).
 * - enum values (list shape): the `enum` field, else `value`.
 */

import { err, ok, type Result } from "../shared/errors.js";
import { isPlainObject } from "../shared/json.js";
import { METRIC_EVAL_TYPES, type MetricEvalType } from "../widget/catalogue.js";
import type { CallLog, MetricEvaluation } from "./calls.js";
import { NO_EVALUATIONS, NO_METADATA, RowInterner, type SharedEvaluation } from "./row-interner.js";
import {
  booleanLike,
  describe,
  durationField,
  epochToMs,
  fail,
  fastIso,
  integerField,
  latencyField,
  MAX_EPOCH_MS,
  numericText,
  RowError,
  reviewedField,
  stringField,
  successField,
  timestampField,
} from "./row-values.js";

export { NO_EVALUATIONS, RowInterner } from "./row-interner.js";

type Agent = NonNullable<CallLog["agent"]>;
type Metadata = CallLog["metadata"];

function agentField(raw: Record<string, unknown>, interner: RowInterner): Agent | null {
  const v = raw.agent ?? raw.agent_id;
  if (v === null || v === undefined || v === "") return null;
  let id: number;
  let name: unknown;
  if (isPlainObject(v)) {
    id = integerField("agent.id", v.id);
    name = v.agent_name ?? v.name ?? raw.agent_name;
  } else if (typeof v === "number" || typeof v === "string") {
    id = integerField("agent", v);
    name = raw.agent_name;
  } else {
    return fail("agent", "{id, agent_name}, an agent id or null", v);
  }
  const agentName = name === null || name === undefined ? "" : stringField("agent_name", name);
  return interner.agent(id, interner.text(agentName ?? ""));
}

/** Metadata keys repeat on every row: remember which ones a filter can address. */
function metadataField(v: unknown, interner: RowInterner): Metadata {
  let obj: unknown = v;
  if (typeof v === "string" && v.trimStart().startsWith("{")) {
    try {
      obj = JSON.parse(v);
    } catch {
      return NO_METADATA;
    }
  }
  return isPlainObject(obj) ? interner.metadata(obj) : NO_METADATA;
}

/** The row's own metadata object, when it is not shared (see RowInterner.metadata). */
const EVAL_TYPE_SET: ReadonlySet<string> = new Set(METRIC_EVAL_TYPES);

/** The eval type a type name means; undefined when unknown. */
export function evalTypeOf(type: unknown): MetricEvalType | undefined {
  if (typeof type !== "string") return undefined;
  if (EVAL_TYPE_SET.has(type)) return type as MetricEvalType;
  const t = type.trim().toLowerCase();
  if (EVAL_TYPE_SET.has(t)) return t as MetricEvalType;
  if (t.startsWith("binary") || t === "boolean" || t === "bool" || t === "pass_fail") return "binary";
  if (t.startsWith("enum") || t === "categorical" || t === "category") return "enum";
  if (
    t === "rating" ||
    t === "score" ||
    t === "likert" ||
    t.startsWith("continuous") ||
    t.includes("qualitative")
  ) {
    return "continuous_qualitative";
  }
  if (t.startsWith("numeric") || t === "number" || t === "float" || t === "integer" || t === "int")
    return "numeric";
  return undefined;
}

function inferType(value: unknown): MetricEvalType | undefined {
  if (typeof value === "boolean") return "binary";
  if (typeof value === "number") return "numeric";
  if (typeof value === "string" && value !== "") return "enum";
  return undefined;
}

function metricValue(field: string, type: MetricEvalType, v: unknown): MetricEvaluation["value"] {
  if (v === null || v === undefined || v === "") return null;
  switch (type) {
    case "binary": {
      if (typeof v === "number" && Number.isFinite(v)) return v > 0;
      const b = booleanLike(v);
      if (b !== undefined) return b;
      if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (s === "pass" || s === "passed") return true;
        if (s === "fail" || s === "failed") return false;
      }
      return fail(field, "true or false", v);
    }
    case "numeric":
    case "continuous_qualitative": {
      const n = typeof v === "number" ? v : typeof v === "string" ? numericText(v.trim()) : undefined;
      return n === undefined || !Number.isFinite(n) ? fail(field, "a number", v) : n;
    }
    case "enum":
      if (typeof v === "string") return v;
      if (typeof v === "number" || typeof v === "boolean") return String(v);
      return fail(field, "a string", v);
  }
}

function metricName(field: string, v: unknown): string {
  if (v === null || v === undefined) return "";
  return typeof v === "string" ? v : fail(field, "a string", v);
}

/** Widget shape: [{metric: {id, name, eval_type}, value}]. */
/** Prefixes a failure inside list entry i with its place (`metrics[2].score: ...`). */
function rethrowIn(list: string, i: number, e: unknown): never {
  if (e instanceof RowError) throw new RowError(`${list}[${i}].${e.message}`);
  throw e;
}

/** One widget-shape evaluation: {metric: {id, name, eval_type}, value}; undefined to drop it. */
function widgetEvaluation(e: Record<string, unknown>, interner: RowInterner): SharedEvaluation | undefined {
  // Some exports flatten the metric: {metric_id, metric_name, eval_type, value}.
  const m = isPlainObject(e.metric)
    ? e.metric
    : { id: e.metric ?? e.metric_id, name: e.metric_name, eval_type: e.eval_type };
  const id = integerField("metric.id", m.id);
  const type = evalTypeOf(m.eval_type ?? m.type) ?? inferType(e.value);
  if (type === undefined) return undefined;
  const slot = interner.metric(id, metricName("metric.name", m.name), type);
  return interner.evaluation(slot, metricValue("value", type, e.value));
}

/** One list-API metric: {id, name, type, score, enum, value}; undefined to drop it. */
function listMetric(e: Record<string, unknown>, interner: RowInterner): SharedEvaluation | undefined {
  const id = integerField("id", e.id);
  const hasScore = e.score !== null && e.score !== undefined && e.score !== "";
  const enumText = nonEmpty(e.enum);
  let type = evalTypeOf(e.type);
  if (type === undefined) type = hasScore ? "numeric" : inferType(enumText ?? e.value);
  if (type === undefined) return undefined;
  const slot = interner.metric(id, metricName("name", e.name), type);
  let value: MetricEvaluation["value"];
  if (type === "enum")
    value =
      enumText !== undefined ? metricValue("enum", type, enumText) : metricValue("value", type, e.value);
  else value = hasScore ? metricValue("score", type, e.score) : metricValue("value", type, e.value);
  return interner.evaluation(slot, value);
}

function evaluationList(
  name: "metric_evaluations" | "metrics",
  list: unknown[],
  interner: RowInterner,
): MetricEvaluation[] {
  if (list.length === 0) return NO_EVALUATIONS;
  const read = name === "metrics" ? listMetric : widgetEvaluation;
  interner.beginList();
  for (let i = 0; i < list.length; i++) {
    const e = list[i];
    if (!isPlainObject(e)) {
      return fail(
        `${name}[${i}]`,
        name === "metrics" ? "{id, name, type, score, enum, value}" : "{metric, value}",
        e,
      );
    }
    let evaluation: SharedEvaluation | undefined;
    try {
      evaluation = read(e, interner);
    } catch (x) {
      rethrowIn(name, i, x);
    }
    if (evaluation !== undefined) interner.addToList(evaluation);
  }
  return interner.endList();
}

const nonEmpty = (v: unknown): unknown => (v === "" || v === null ? undefined : v);

function evaluationsField(raw: Record<string, unknown>, interner: RowInterner): MetricEvaluation[] {
  const widget = raw.metric_evaluations;
  if (widget !== undefined && widget !== null) {
    return Array.isArray(widget)
      ? evaluationList("metric_evaluations", widget, interner)
      : fail("metric_evaluations", "a list", widget);
  }
  let metrics = raw.metrics;
  if ((metrics === undefined || metrics === null) && isPlainObject(raw.evaluation))
    metrics = raw.evaluation.metrics;
  if (metrics === undefined || metrics === null) return NO_EVALUATIONS;
  return Array.isArray(metrics)
    ? evaluationList("metrics", metrics, interner)
    : fail("metrics", "a list", metrics);
}

/**
 * The fast path for the common row: the widget shape as the dashboards export it, every field
 * already of the type the CallLog wants (numbers, booleans, strings or null, ISO timestamp in the
 * export form, exact eval types). It checks `typeof` and converts nothing, so it needs no
 * try/catch, no closures and no reason text; undefined means "not that simple", and the row then
 * goes through the general path (readRowGeneral), which also words the reason for a bad row. It
 * must give the same CallLog as the general path for every row it accepts.
 */
function readPlainWidgetRow(raw: Record<string, unknown>, interner: RowInterner): CallLog | undefined {
  const id = raw.id;
  if (typeof id !== "number" || !Number.isSafeInteger(id)) return undefined;
  const ts = raw.timestamp;
  let timestamp: number | undefined;
  // fastIso gives integer ms of years 0-9999, always within MAX_EPOCH_MS.
  if (typeof ts === "string") timestamp = fastIso(ts);
  else if (typeof ts === "number") {
    const ms = epochToMs(ts);
    if (Number.isFinite(ms) && Math.abs(ms) <= MAX_EPOCH_MS) timestamp = Math.round(ms);
  }
  if (timestamp === undefined) return undefined;
  const duration = raw.duration;
  if (duration !== null && !(typeof duration === "number" && duration >= 0 && duration < Infinity))
    return undefined;
  const success = raw.success;
  if (success !== null && typeof success !== "boolean") return undefined; // absent: read from status
  const is_reviewed = raw.is_reviewed;
  if (typeof is_reviewed !== "boolean") return undefined;
  const reason = raw.call_ended_reason;
  const dropoff = raw.dropoff_point;
  const topic = raw.topic;
  const customer = raw.customer_number;
  if (!(plainText(reason) && plainText(dropoff) && plainText(topic) && plainText(customer))) return undefined;
  const agent = plainAgent(raw, interner);
  if (agent === undefined) return undefined;
  const metadata = raw.metadata ?? null;
  if (typeof metadata !== "object" || Array.isArray(metadata)) return undefined;
  const list = raw.metric_evaluations;
  if (!Array.isArray(list)) return undefined;
  const evaluations = plainEvaluations(list, interner);
  if (evaluations === undefined) return undefined;
  const latency = raw.latency_ms ?? null;
  if (latency !== null && !(typeof latency === "number" && latency >= 0 && latency < Infinity))
    return undefined;
  return {
    id,
    timestamp,
    duration,
    success,
    is_reviewed,
    call_ended_reason: reason === null || reason === "" ? null : interner.text(reason as string),
    dropoff_point: dropoff === null || dropoff === "" ? null : interner.text(dropoff as string),
    topic: topic === null || topic === "" ? null : interner.text(topic as string),
    customer_number: customer === "" ? null : (customer as string | null),
    agent,
    metadata: metadata === null ? NO_METADATA : interner.metadata(metadata as Record<string, unknown>),
    metric_evaluations: evaluations,
    latency_ms: latency,
  };
}

/** A string field the fast path takes as it is: a string (empty meaning none) or null. */
const plainText = (v: unknown): boolean => typeof v === "string" || v === null;

/** `agent: {id, agent_name}` or null (with no agent_id beside it); undefined when not that simple. */
function plainAgent(raw: Record<string, unknown>, interner: RowInterner): Agent | null | undefined {
  const v = raw.agent;
  if (v === null) return raw.agent_id === undefined || raw.agent_id === null ? null : undefined;
  if (typeof v !== "object" || Array.isArray(v)) return undefined;
  const { id, agent_name } = v as Record<string, unknown>;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || typeof agent_name !== "string") return undefined;
  return interner.agent(id, interner.text(agent_name));
}

/**
 * `[{metric: {id, name, eval_type}, value}]` with exact eval types and values of their type (or
 * null); undefined when not that simple.
 */
function plainEvaluations(list: unknown[], interner: RowInterner): MetricEvaluation[] | undefined {
  const n = list.length;
  if (n === 0) return NO_EVALUATIONS;
  interner.beginList();
  for (let i = 0; i < n; i++) {
    const e = list[i] as { metric?: unknown; value?: unknown } | null;
    if (typeof e !== "object" || e === null) return undefined;
    const m = e.metric as { id?: unknown; name?: unknown; eval_type?: unknown } | null;
    if (typeof m !== "object" || m === null) return undefined;
    const { id, name, eval_type } = m;
    if (typeof id !== "number" || !Number.isSafeInteger(id) || typeof name !== "string") return undefined;
    const value = e.value;
    let ok: boolean;
    switch (eval_type) {
      case "binary":
        ok = typeof value === "boolean";
        break;
      case "numeric":
      case "continuous_qualitative":
        ok = typeof value === "number" && Number.isFinite(value);
        break;
      case "enum":
        ok = typeof value === "string" && value !== "";
        break;
      default:
        return undefined;
    }
    if (!ok && value !== null) return undefined;
    const slot = interner.metric(id, name, eval_type);
    interner.addToList(interner.evaluation(slot, value as MetricEvaluation["value"]));
  }
  return interner.endList();
}

const defaultInterner = new RowInterner();

/**
 * One raw row (either shape) to a CallLog, or the reason it cannot be one. Pass an interner to
 * share metric and agent objects across the rows of one load.
 */
export function normaliseRow(raw: unknown, interner: RowInterner = defaultInterner): Result<CallLog, string> {
  if (typeof raw === "object" && raw !== null) {
    const call = readPlainWidgetRow(raw as Record<string, unknown>, interner);
    if (call !== undefined) return ok(call);
  }
  return readRowGeneral(raw, interner);
}

/** Any row of either shape, converting what needs converting; the reason when it is not a call. */
function readRowGeneral(raw: unknown, interner: RowInterner): Result<CallLog, string> {
  if (!isPlainObject(raw))
    return err(`not a call object (got ${Array.isArray(raw) ? "a list" : describe(raw)})`);
  try {
    if (raw.id === undefined || raw.id === null) return err("no id");
    const id = integerField("id", raw.id);
    const tsField =
      raw.timestamp !== undefined && raw.timestamp !== null
        ? "timestamp"
        : raw.started_at !== undefined && raw.started_at !== null
          ? "started_at"
          : raw.created_at !== undefined && raw.created_at !== null
            ? "created_at"
            : undefined;
    if (tsField === undefined) return err("no timestamp (nor started_at / created_at)");
    const timestamp = timestampField(tsField, raw[tsField]);
    const call: CallLog = {
      id,
      timestamp,
      duration: durationField(raw.duration),
      success: successField(raw.success, raw.status),
      is_reviewed: reviewedField(raw.is_reviewed, raw.status),
      call_ended_reason: interner.text(stringField("call_ended_reason", raw.call_ended_reason)),
      dropoff_point: interner.text(stringField("dropoff_point", raw.dropoff_point)),
      topic: interner.text(stringField("topic", raw.topic)),
      customer_number: stringField("customer_number", raw.customer_number),
      agent: agentField(raw, interner),
      metadata: metadataField(raw.metadata, interner),
      metric_evaluations: evaluationsField(raw, interner),
      latency_ms: latencyField(raw.latency_ms),
    };
    return ok(call);
  } catch (e) {
    if (e instanceof RowError) return err(e.message);
    throw e;
  }
}
