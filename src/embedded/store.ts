/**
 * The in-memory call store of the embedded backend: the calls sorted by (timestamp, id), with
 * typed-array columns built on first use and cached, so a time window is a binary search and a
 * condition is an array read. The store is immutable once created; every column is derived from
 * the rows and never changes.
 */
import type { ConcreteDataType, MetricEvalType } from "../widget/catalogue.js";
import type { CallLog } from "./calls.js";

/** Numbers; NaN stands for null. */
export interface NumColumn {
  kind: "num";
  values: Float64Array;
}
/** Booleans as -1 (null), 0 (false), 1 (true). */
export interface BoolColumn {
  kind: "bool";
  values: Int8Array;
}
/** Dictionary-encoded strings; code -1 stands for null. */
export interface StrColumn {
  kind: "str";
  codes: Int32Array;
  dict: readonly string[];
}
export type Column = NumColumn | BoolColumn | StrColumn;

export type EvalValue = number | boolean | string | null;

/** Every metric evaluation of every call, flattened in call order (CSR layout). */
export interface EvalTable {
  /** Evaluations of call i are the rows offsets[i] .. offsets[i+1]-1. Length size+1. */
  offsets: Int32Array;
  /** The call (row index) each evaluation belongs to. */
  call: Int32Array;
  metricId: NumColumn;
  metricName: StrColumn;
  values: readonly EvalValue[];
}

export interface MetricInfo {
  id: number;
  name: string;
  eval_type: MetricEvalType;
}

/** Call-level columns the engine can read by name. */
export const CALL_COLUMNS = [
  "id",
  "duration",
  "success",
  "is_reviewed",
  "call_ended_reason",
  "dropoff_point",
  "topic",
  "customer_number",
  "agent.id",
  "agent.agent_name",
  "latency_ms",
] as const;
export type CallColumnName = (typeof CALL_COLUMNS)[number];
const CALL_COLUMN_NAMES: ReadonlySet<string> = new Set(CALL_COLUMNS);

/** The column behind a catalogue field: its `column`, else its name; undefined when the store has none. */
export function callColumnOf(field: { name: string; column?: string }): CallColumnName | undefined {
  const name = field.column ?? field.name;
  return CALL_COLUMN_NAMES.has(name) ? (name as CallColumnName) : undefined;
}

type Nullable<T> = T | null | undefined;

function numColumn(n: number, get: (i: number) => Nullable<number>): NumColumn {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    values[i] = typeof v === "number" && Number.isFinite(v) ? v : Number.NaN;
  }
  return { kind: "num", values };
}

function boolColumn(n: number, get: (i: number) => Nullable<boolean>): BoolColumn {
  const values = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    const v = get(i);
    values[i] = v === true ? 1 : v === false ? 0 : -1;
  }
  return { kind: "bool", values };
}

function strColumn(n: number, get: (i: number) => Nullable<string>): StrColumn {
  const codes = new Int32Array(n);
  const dict: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const v = get(i);
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let code = index.get(v);
    if (code === undefined) {
      code = dict.length;
      dict.push(v);
      index.set(v, code);
    }
    codes[i] = code;
  }
  return { kind: "str", codes, dict };
}

/** ASSUMPTION: metadata values are compared and plotted as strings (String(value)); null and a missing key are null. */
function metadataString(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return JSON.stringify(v);
}

/** Normalises a metric value to the data type its metric plots as; anything else becomes null. */
export function normaliseMetricValue(v: EvalValue | undefined, dataType: ConcreteDataType): EvalValue {
  if (v === null || v === undefined) return null;
  switch (dataType) {
    case "boolean":
      if (typeof v === "boolean") return v;
      if (v === 1 || v === 0) return v === 1;
      if (typeof v === "string") {
        const s = v.trim().toLowerCase();
        if (s === "true") return true;
        if (s === "false") return false;
      }
      return null;
    case "numeric":
    case "datetime":
      if (typeof v === "number") return Number.isFinite(v) ? v : null;
      if (typeof v === "string" && v.trim() !== "") {
        const n = Number(v);
        return Number.isFinite(n) ? n : null;
      }
      return null;
    case "string":
      return String(v);
  }
}

export class CallStore {
  /** The calls, sorted by timestamp then id. */
  readonly rows: readonly CallLog[];
  readonly size: number;
  /** Call start, epoch ms, ascending. */
  readonly timestamps: Float64Array;
  readonly #cache = new Map<string, unknown>();

  constructor(calls: readonly CallLog[]) {
    const n = calls.length;
    let sorted = true;
    for (let i = 0; i < n; i++) {
      const c = calls[i]!;
      if (!Number.isFinite(c.timestamp)) {
        throw new RangeError(`call ${String(c.id)} has no valid timestamp (epoch milliseconds expected)`);
      }
      if (i > 0) {
        const p = calls[i - 1]!;
        if (p.timestamp > c.timestamp || (p.timestamp === c.timestamp && p.id > c.id)) sorted = false;
      }
    }
    this.rows = sorted
      ? calls.slice()
      : calls.slice().sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
    this.size = n;
    this.timestamps = new Float64Array(n);
    for (let i = 0; i < n; i++) this.timestamps[i] = this.rows[i]!.timestamp;
  }

  #memo<T>(key: string, build: () => T): T {
    const hit = this.#cache.get(key);
    if (hit !== undefined) return hit as T;
    const value = build();
    this.#cache.set(key, value);
    return value;
  }

  /** First row index whose timestamp is >= t. */
  lowerBound(t: number): number {
    const ts = this.timestamps;
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid]! < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First row index whose timestamp is > t. */
  upperBound(t: number): number {
    const ts = this.timestamps;
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  column(name: CallColumnName): Column {
    return this.#memo(`col:${name}`, (): Column => {
      const r = this.rows;
      const n = this.size;
      switch (name) {
        case "id":
          return numColumn(n, (i) => r[i]!.id);
        case "duration":
          return numColumn(n, (i) => r[i]!.duration);
        case "latency_ms":
          return numColumn(n, (i) => r[i]!.latency_ms);
        case "agent.id":
          return numColumn(n, (i) => r[i]!.agent?.id);
        case "success":
          return boolColumn(n, (i) => r[i]!.success);
        case "is_reviewed":
          return boolColumn(n, (i) => r[i]!.is_reviewed);
        case "call_ended_reason":
          return strColumn(n, (i) => r[i]!.call_ended_reason);
        case "dropoff_point":
          return strColumn(n, (i) => r[i]!.dropoff_point);
        case "topic":
          return strColumn(n, (i) => r[i]!.topic);
        case "customer_number":
          return strColumn(n, (i) => r[i]!.customer_number);
        case "agent.agent_name":
          return strColumn(n, (i) => r[i]!.agent?.agent_name);
      }
    });
  }

  metadataColumn(key: string): StrColumn {
    return this.#memo(`meta:${key}`, () =>
      strColumn(this.size, (i) => {
        const md = this.rows[i]!.metadata;
        return md && Object.hasOwn(md, key) ? metadataString(md[key]) : null;
      }),
    );
  }

  evals(): EvalTable {
    return this.#memo("evals", (): EvalTable => {
      const n = this.size;
      const offsets = new Int32Array(n + 1);
      let m = 0;
      for (let i = 0; i < n; i++) {
        offsets[i] = m;
        m += this.rows[i]!.metric_evaluations?.length ?? 0;
      }
      offsets[n] = m;
      const call = new Int32Array(m);
      const ids: Nullable<number>[] = new Array(m);
      const names: Nullable<string>[] = new Array(m);
      const values: EvalValue[] = new Array(m);
      let k = 0;
      for (let i = 0; i < n; i++) {
        for (const e of this.rows[i]!.metric_evaluations ?? []) {
          call[k] = i;
          ids[k] = e.metric?.id;
          names[k] = e.metric?.name;
          values[k] = e.value ?? null;
          k++;
        }
      }
      return {
        offsets,
        call,
        metricId: numColumn(m, (j) => ids[j]),
        metricName: strColumn(m, (j) => names[j]),
        values,
      };
    });
  }

  /** Every metric seen in the calls, by id (the first occurrence's name and type). */
  metrics(): ReadonlyMap<number, MetricInfo> {
    return this.#memo("metrics", () => {
      const out = new Map<number, MetricInfo>();
      for (const row of this.rows) {
        for (const e of row.metric_evaluations ?? []) {
          const m = e.metric;
          if (m && !out.has(m.id)) out.set(m.id, { id: m.id, name: m.name, eval_type: m.eval_type });
        }
      }
      return out;
    });
  }

  /**
   * One value per call for a metric: ASSUMPTION: when a call holds several evaluations of the same
   * metric, its value is the first one with a non-null value (in the order of metric_evaluations).
   */
  metricValueColumn(metricId: number, dataType: ConcreteDataType): Column {
    return this.#memo(`metric:${metricId}:${dataType}`, (): Column => {
      const n = this.size;
      const pick = (i: number): EvalValue => {
        for (const e of this.rows[i]!.metric_evaluations ?? []) {
          if (e.metric?.id !== metricId) continue;
          const v = normaliseMetricValue(e.value, dataType);
          if (v !== null) return v;
        }
        return null;
      };
      if (dataType === "boolean") return boolColumn(n, (i) => pick(i) as Nullable<boolean>);
      if (dataType === "string") return strColumn(n, (i) => pick(i) as Nullable<string>);
      return numColumn(n, (i) => pick(i) as Nullable<number>);
    });
  }

  /** A column as numbers (NaN = null): booleans 0/1, strings their dictionary code. Cached. */
  numericView(column: Column): Float64Array {
    if (column.kind === "num") return column.values;
    const cached = numericViews.get(column);
    if (cached) return cached;
    const src = column.kind === "bool" ? column.values : column.codes;
    const out = new Float64Array(src.length);
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      out[i] = v < 0 ? Number.NaN : v;
    }
    numericViews.set(column, out);
    return out;
  }
}

const numericViews = new WeakMap<Column, Float64Array>();

/** Builds the store: sorts the calls by (timestamp, id) and prepares columns on demand. */
export function createCallStore(calls: readonly CallLog[]): CallStore {
  return new CallStore(calls);
}
