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
import { METADATA_KEY, METRIC_EVAL_TYPES, type MetricEvalType } from "../widget/catalogue.js";
import { parseIsoDatetime } from "../widget/time.js";
import type { CallLog, MetricEvaluation } from "./calls.js";

type MetricRef = MetricEvaluation["metric"];
type Agent = NonNullable<CallLog["agent"]>;

/** A metric as loaded, with the evaluations of it that rows share. */
export interface MetricSlot {
  readonly ref: MetricRef;
  readonly values: Map<MetricEvaluation["value"], SharedEvaluation>;
}

/** An evaluation from RowInterner.evaluation, with its code for finding lists (0: not shared). */
export interface SharedEvaluation {
  readonly evaluation: MetricEvaluation;
  readonly code: number;
}

/** Distinct values per metric whose evaluation objects are shared; beyond it each row gets its own. */
const SHARED_VALUES_PER_METRIC = 4096;

/** Distinct short strings shared per load. */
const SHARED_TEXTS = 50_000;

/** Distinct evaluation lists shared per load (see RowInterner.endList). */
const SHARED_LISTS = 50_000;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Distinct metadata objects shared per load (trie nodes, see RowInterner.metadata). */
const SHARED_METADATA_NODES = 20_000;

type Metadata = CallLog["metadata"];
type MetadataValue = Metadata[string];

/** Rows without metadata share this one (frozen) empty object. */
const NO_METADATA: Metadata = Object.freeze({});

/** A trie node of shared metadata objects: one level per (key, value), in the row's key order. */
interface MetadataNode {
  readonly metadata: Metadata;
  next: Map<string, Map<MetadataValue, MetadataNode>> | undefined;
}

/** Rows without evaluations share this one (frozen) empty list. */
export const NO_EVALUATIONS = Object.freeze([]) as unknown as MetricEvaluation[];

/**
 * Shares identical metric, evaluation and agent objects, evaluation lists and metadata objects
 * (all frozen) between the rows of one load: a million calls carry a few million evaluations but
 * only a handful of distinct metrics and mostly a handful of distinct values (booleans, ratings,
 * enum labels), so sharing saves both memory and garbage-collection time (what a load keeps is
 * most of the collector's work). Readers must not mutate calls.
 */
export class RowInterner {
  private readonly metrics = new Map<number, MetricSlot[]>();
  private readonly agents = new Map<number, Agent[]>();

  metric(id: number, name: string, eval_type: MetricEvalType): MetricSlot {
    let list = this.metrics.get(id);
    if (list === undefined) {
      list = [];
      this.metrics.set(id, list);
    }
    for (const m of list) if (m.ref.name === name && m.ref.eval_type === eval_type) return m;
    const slot: MetricSlot = { ref: Object.freeze({ id, name, eval_type }), values: new Map() };
    list.push(slot);
    return slot;
  }

  private evaluationCodes = 0;

  evaluation(slot: MetricSlot, value: MetricEvaluation["value"]): SharedEvaluation {
    let e = slot.values.get(value);
    if (e === undefined) {
      const evaluation = Object.freeze({ metric: slot.ref, value });
      if (slot.values.size < SHARED_VALUES_PER_METRIC) {
        e = { evaluation, code: ++this.evaluationCodes };
        slot.values.set(value, e);
      } else e = { evaluation, code: 0 };
    }
    return e;
  }

  /**
   * Evaluation lists, built by beginList, addToList (per evaluation kept) and endList. Rows carry
   * the same few metrics with a few values each, so a million rows hold a few thousand distinct
   * lists: sharing one (frozen) copy of each saves most of what the loaded calls would otherwise
   * keep, and much garbage-collection work. A list is found by a 32-bit hash of the codes of its
   * entries (a small-integer key: a Map boxes other numbers, and a lookup then costs a cache miss
   * more) and then compared entry by entry; of two lists with one hash, only the first is shared.
   */
  private readonly lists = new Map<number, MetricEvaluation[]>();
  private readonly listItems: MetricEvaluation[] = [];
  private listLength = 0;
  /** FNV-1a over the codes so far; 0 once an entry is not shared (then neither is the list). */
  private listHash = 0;

  beginList(): void {
    this.listLength = 0;
    this.listHash = FNV_OFFSET;
  }

  addToList(e: SharedEvaluation): void {
    this.listItems[this.listLength++] = e.evaluation;
    const hash = this.listHash;
    if (hash !== 0) this.listHash = e.code === 0 ? 0 : Math.imul(hash ^ e.code, FNV_PRIME) || 1;
  }

  endList(): MetricEvaluation[] {
    const n = this.listLength;
    if (n === 0) return NO_EVALUATIONS;
    const items = this.listItems;
    const hash = this.listHash;
    const known = hash === 0 ? undefined : this.lists.get(hash);
    if (known !== undefined && known.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = known[i] === items[i];
      if (same) return known;
    }
    const list = items.slice(0, n); // sized exactly (a list grown by push keeps spare room)
    if (hash !== 0 && known === undefined && this.lists.size < SHARED_LISTS) {
      this.lists.set(hash, Object.freeze(list) as MetricEvaluation[]);
    }
    return list;
  }

  private readonly texts = new Map<string, string>();

  /**
   * One shared copy of a repeated short string (reasons, topics, names, metadata values) instead
   * of one per row, for up to SHARED_TEXTS distinct strings.
   */
  text<T extends string | null>(s: T): T {
    if (s === null || s.length > 64) return s;
    const known = this.texts.get(s);
    if (known !== undefined) return known as T;
    if (this.texts.size < SHARED_TEXTS) this.texts.set(s, s);
    return s;
  }

  agent(id: number, agent_name: string): Agent {
    let list = this.agents.get(id);
    if (list === undefined) {
      list = [];
      this.agents.set(id, list);
    }
    for (const a of list) if (a.agent_name === agent_name) return a;
    const a: Agent = Object.freeze({ id, agent_name });
    list.push(a);
    return a;
  }

  private readonly metadataRoot: MetadataNode = { metadata: NO_METADATA, next: undefined };
  private metadataNodes = 0;

  /**
   * The addressable top-level keys of a metadata object (see metadataField), as one shared
   * (frozen) object per distinct content: metadata mostly takes a few values per key (region,
   * call type, campaign). Values that are unlikely to repeat (long text), or a full trie, give the
   * row its own object.
   */
  metadata(obj: Record<string, unknown>): Metadata {
    let node = this.metadataRoot;
    for (const key in obj) {
      if (!isAddressableKey(key)) continue;
      const value = metadataValue(obj[key]);
      if (value === undefined) continue;
      let next = node.next?.get(key)?.get(value);
      if (next === undefined) {
        if (this.metadataNodes >= SHARED_METADATA_NODES || (typeof value === "string" && value.length > 64)) {
          return ownMetadata(obj, this);
        }
        const shared = typeof value === "string" ? this.text(value) : value;
        next = { metadata: Object.freeze({ ...node.metadata, [key]: shared }), next: undefined };
        if (node.next === undefined) node.next = new Map();
        let byValue = node.next.get(key);
        if (byValue === undefined) {
          byValue = new Map();
          node.next.set(key, byValue);
        }
        byValue.set(value, next);
        this.metadataNodes++;
      }
      node = next;
    }
    return node.metadata;
  }
}

/** Thrown inside normalisation only, caught in normaliseRow: carries the reason text. */
class RowError extends Error {}

const describe = (v: unknown): string => {
  if (v === undefined) return "nothing";
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

const fail = (field: string, expected: string, got: unknown): never => {
  throw new RowError(`${field}: expected ${expected}, got ${describe(got)}`);
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A decimal number written as text (not hex, binary or octal, not "Infinity", not blank). */
function numericText(s: string): number | undefined {
  if (s.length === 0 || s.length > 40) return undefined;
  const c = s.charCodeAt(0);
  // digits, "-", "+", "."
  if (!((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46)) return undefined;
  // "0x1f", "0b1", "0o7": Number() reads other bases
  if (c === 48 && s.length > 2 && (s.charCodeAt(1) | 0x20) >= 0x61 && (s.charCodeAt(1) | 0x20) !== 0x65)
    return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function integerField(field: string, v: unknown): number {
  let n: number | undefined;
  if (typeof v === "number") n = v;
  else if (typeof v === "string") n = numericText(v);
  if (n === undefined || !Number.isSafeInteger(n)) return fail(field, "an integer", v);
  return n;
}

const MAX_EPOCH_MS = 8.64e15;

function timestampField(field: string, v: unknown): number {
  let ms: number | undefined;
  if (typeof v === "number") ms = epochToMs(v);
  else if (typeof v === "string") {
    ms = fastIso(v);
    if (ms === undefined) {
      const n = numericText(v); // "2024-03-15" is not a number: only all-numeric text is an epoch
      ms = n !== undefined ? epochToMs(n) : parseIsoDatetime(v.trim());
    }
  }
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) {
    return fail(field, "an ISO 8601 date-time or epoch seconds/milliseconds", v);
  }
  return Math.round(ms);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two decimal digits at i, or -1. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The common export form "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM)" without a regex (it runs once per
 * row); undefined for anything else, which then goes to the general ISO parser.
 */
function fastIso(s: string): number | undefined {
  const n = s.length;
  if (n < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return undefined;
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  if (
    y1 < 0 ||
    y2 < 0 ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    h < 0 ||
    h > 23 ||
    mi < 0 ||
    mi > 59 ||
    sec < 0 ||
    sec > 59
  ) {
    return undefined;
  }
  const year = y1 * 100 + y2;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] as number))) return undefined;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    let scale = 100;
    const from = ++i;
    for (let c = s.charCodeAt(i) - 48; c >= 0 && c <= 9; c = s.charCodeAt(++i) - 48) {
      ms += c * scale;
      scale /= 10;
    }
    if (i === from) return undefined;
    ms = Math.floor(ms);
  }
  let offsetMin = 0;
  const z = s.charCodeAt(i);
  if (z === 90 && i === n - 1) offsetMin = 0;
  else if ((z === 43 || z === 45) && i + 6 === n && s.charCodeAt(i + 3) === 58) {
    const oh = twoDigits(s, i + 1);
    const om = twoDigits(s, i + 4);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return undefined;
    offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
  } else return undefined;
  return (daysFromCivil(year, mo, d) * 86_400 + h * 3600 + mi * 60 + sec) * 1000 + ms - offsetMin * 60_000;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; cheaper than Date.UTC). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const epochToMs = (n: number): number => (Math.abs(n) < 1e11 ? n * 1000 : n);

/** "MM:SS", "H:MM:SS", with optional fractional seconds; minutes may exceed 59 in "MM:SS". */
function clockSeconds(s: string): number | undefined {
  const parts = s.split(":");
  if (parts.length < 2 || parts.length > 3) return undefined;
  let total = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = (parts[i] as string).trim();
    const last = i === parts.length - 1;
    if (p.length === 0) return undefined;
    for (let k = 0; k < p.length; k++) {
      const c = p.charCodeAt(k);
      if (!((c >= 48 && c <= 57) || (last && c === 46))) return undefined;
    }
    const n = Number(p);
    if (!Number.isFinite(n) || (i > 0 && n >= 60)) return undefined;
    total = total * 60 + n;
  }
  return total;
}

function durationField(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  let n: number | undefined;
  if (typeof v === "number") n = v;
  else if (typeof v === "string") n = v.includes(":") ? clockSeconds(v) : numericText(v.trim());
  if (n === undefined || !Number.isFinite(n) || n < 0) {
    return fail("duration", 'seconds or "MM:SS" / "H:MM:SS"', v);
  }
  return n;
}

function booleanLike(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true" || s === "1" || s === "yes") return true;
    if (s === "false" || s === "0" || s === "no") return false;
  }
  return undefined;
}

function successField(v: unknown, status: unknown): boolean | null {
  if (v === null || v === "") return null;
  if (v === undefined) {
    if (status === "success" || status === "reviewed_success") return true;
    if (status === "failure" || status === "reviewed_failure") return false;
    return null;
  }
  const b = booleanLike(v);
  return b === undefined ? fail("success", "true, false or null", v) : b;
}

function reviewedField(v: unknown, status: unknown): boolean {
  if (v === null || v === undefined || v === "") {
    return status === "reviewed_success" || status === "reviewed_failure";
  }
  const b = booleanLike(v);
  return b === undefined ? fail("is_reviewed", "true or false", v) : b;
}

function stringField(field: string, v: unknown): string | null {
  if (v === null || v === undefined || v === "") return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return fail(field, "a string or null", v);
}

function agentField(raw: Record<string, unknown>, interner: RowInterner): Agent | null {
  const v = raw.agent ?? raw.agent_id;
  if (v === null || v === undefined || v === "") return null;
  let id: number;
  let name: unknown;
  if (isRecord(v)) {
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
const addressableKeys = new Map<string, boolean>();
function isAddressableKey(key: string): boolean {
  let yes = addressableKeys.get(key);
  if (yes === undefined) {
    yes = key !== "__proto__" && METADATA_KEY.test(key);
    if (addressableKeys.size < 10_000) addressableKeys.set(key, yes);
  }
  return yes;
}

/** A metadata value as kept: text, number, boolean or null; nested values as JSON text. */
function metadataValue(value: unknown): MetadataValue | undefined {
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return value === undefined ? undefined : JSON.stringify(value);
}

function metadataField(v: unknown, interner: RowInterner): Metadata {
  let obj: unknown = v;
  if (typeof v === "string" && v.trimStart().startsWith("{")) {
    try {
      obj = JSON.parse(v);
    } catch {
      return NO_METADATA;
    }
  }
  return isRecord(obj) ? interner.metadata(obj) : NO_METADATA;
}

/** The row's own metadata object, when it is not shared (see RowInterner.metadata). */
function ownMetadata(obj: Record<string, unknown>, interner: RowInterner): Metadata {
  const out: Metadata = {};
  for (const key in obj) {
    if (!isAddressableKey(key)) continue;
    const value = metadataValue(obj[key]);
    if (value !== undefined) out[key] = typeof value === "string" ? interner.text(value) : value;
  }
  return out;
}

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
  const m = isRecord(e.metric)
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
    if (!isRecord(e)) {
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
  if ((metrics === undefined || metrics === null) && isRecord(raw.evaluation))
    metrics = raw.evaluation.metrics;
  if (metrics === undefined || metrics === null) return NO_EVALUATIONS;
  return Array.isArray(metrics)
    ? evaluationList("metrics", metrics, interner)
    : fail("metrics", "a list", metrics);
}

function latencyField(v: unknown): number | null {
  if (v === null || v === undefined || v === "") return null;
  const n = typeof v === "number" ? v : typeof v === "string" ? numericText(v.trim()) : undefined;
  return n === undefined || !Number.isFinite(n) || n < 0 ? fail("latency_ms", "milliseconds or null", v) : n;
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
  const call = readRow(raw, interner);
  return typeof call === "string" ? err(call) : ok(call);
}

/** normaliseRow without the Result wrapper (one allocation fewer per row): the call, or the reason. */
export function readRow(raw: unknown, interner: RowInterner): CallLog | string {
  if (typeof raw === "object" && raw !== null) {
    const call = readPlainWidgetRow(raw as Record<string, unknown>, interner);
    if (call !== undefined) return call;
  }
  return readRowGeneral(raw, interner);
}

/** Any row of either shape, converting what needs converting; the reason when it is not a call. */
function readRowGeneral(raw: unknown, interner: RowInterner): CallLog | string {
  if (!isRecord(raw)) return `not a call object (got ${Array.isArray(raw) ? "a list" : describe(raw)})`;
  try {
    if (raw.id === undefined || raw.id === null) return "no id";
    const id = integerField("id", raw.id);
    const tsField =
      raw.timestamp !== undefined && raw.timestamp !== null
        ? "timestamp"
        : raw.started_at !== undefined && raw.started_at !== null
          ? "started_at"
          : raw.created_at !== undefined && raw.created_at !== null
            ? "created_at"
            : undefined;
    if (tsField === undefined) return "no timestamp (nor started_at / created_at)";
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
    return call;
  } catch (e) {
    if (e instanceof RowError) return e.message;
    throw e;
  }
}
