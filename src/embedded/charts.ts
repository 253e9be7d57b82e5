/**
 * The four charts' data over the filtered rows of a CallStore: bar buckets, line points, pie
 * slices and the stat headline numbers, each in one pass over the row range. Group views turn a
 * column into small integer codes with labels and an order, for group_by and pie.
 */
import { percentileCont } from "../shared/percentile.js";
import type { Aggregation } from "../widget/catalogue.js";
import { toIso } from "../widget/time.js";
import { Accumulator, type Bucketing, needsValues } from "./aggregate.js";
import type { BarItemOut, LinePointOut, PieSliceOut, StatOut } from "./engine-answer.js";
import type { CompiledFilter } from "./filter-eval.js";
import type { CallStore, Column } from "./store.js";

export interface GroupView {
  codes: ArrayLike<number>;
  labels: readonly string[];
  /** Orders two codes (null, -1, last). */
  compare(a: number, b: number): number;
}

const NULL_LABEL = "null";
const groupViews = new WeakMap<Column, GroupView>();

export function groupView(column: Column): GroupView {
  const hit = groupViews.get(column);
  if (hit) return hit;
  let view: GroupView;
  const nullsLast = (cmp: (a: number, b: number) => number) => (a: number, b: number) =>
    a === b ? 0 : a < 0 ? 1 : b < 0 ? -1 : cmp(a, b);
  if (column.kind === "str") {
    const dict = column.dict;
    view = {
      codes: column.codes,
      labels: dict,
      compare: nullsLast((a, b) => (dict[a]! < dict[b]! ? -1 : dict[a]! > dict[b]! ? 1 : 0)),
    };
  } else if (column.kind === "bool") {
    view = { codes: column.values, labels: ["false", "true"], compare: nullsLast((a, b) => a - b) };
  } else {
    const src = column.values;
    const codes = new Int32Array(src.length);
    const index = new Map<number, number>();
    const values: number[] = [];
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      if (Number.isNaN(v)) {
        codes[i] = -1;
        continue;
      }
      let c = index.get(v);
      if (c === undefined) {
        c = values.length;
        values.push(v);
        index.set(v, c);
      }
      codes[i] = c;
    }
    view = { codes, labels: values.map(String), compare: nullsLast((a, b) => values[a]! - values[b]!) };
  }
  groupViews.set(column, view);
  return view;
}

const labelOf = (view: GroupView, code: number): string => (code < 0 ? NULL_LABEL : view.labels[code]!);

/** The API's timestamp form: whole seconds, `YYYY-MM-DDTHH:MM:SSZ`. */
export const isoSeconds = (ms: number): string => toIso(Math.floor(ms / 1000) * 1000);

export function barData(
  store: CallStore,
  cf: CompiledFilter,
  values: Float64Array,
  bucketing: Bucketing,
  agg: Aggregation,
  group: GroupView | undefined,
): BarItemOut[] {
  const out: BarItemOut[] = [];
  const ts = store.timestamps;
  const pred = cf.pred;
  const keep = needsValues(agg);
  let bucketStart = Number.NaN;
  let bucketEnd = Number.NEGATIVE_INFINITY;
  let acc: Accumulator | undefined;
  let groups: Map<number, Accumulator> | undefined;
  const flush = () => {
    if (acc)
      out.push({ time_interval: isoSeconds(bucketStart), value: acc.result(agg), sample_count: acc.count });
    if (groups && group) {
      const interval = isoSeconds(bucketStart);
      for (const code of [...groups.keys()].sort(group.compare)) {
        const a = groups.get(code)!;
        out.push({
          time_interval: interval,
          group: labelOf(group, code),
          value: a.result(agg),
          sample_count: a.count,
        });
      }
    }
  };
  const codes = group?.codes;
  for (let i = cf.lo; i < cf.hi; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (pred !== null && !pred(i)) continue;
    const t = ts[i]!;
    if (t >= bucketEnd) {
      flush();
      bucketStart = bucketing.start(t);
      bucketEnd = bucketing.next(bucketStart);
      if (codes) groups = new Map();
      else acc = new Accumulator(keep);
    }
    if (codes) {
      const c = codes[i]!;
      let a = groups!.get(c);
      if (!a) {
        a = new Accumulator(keep);
        groups!.set(c, a);
      }
      a.add(v);
    } else {
      acc!.add(v);
    }
  }
  flush();
  return out;
}

export function lineData(
  store: CallStore,
  cf: CompiledFilter,
  values: Float64Array,
  group: GroupView | undefined,
): LinePointOut[] {
  const out: LinePointOut[] = [];
  const ts = store.timestamps;
  const rows = store.rows;
  const pred = cf.pred;
  let lastSecond = Number.NaN;
  let lastIso = "";
  for (let i = cf.lo; i < cf.hi; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (pred !== null && !pred(i)) continue;
    const second = Math.floor(ts[i]! / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastIso = toIso(second * 1000);
    }
    const point: LinePointOut = { id: rows[i]!.id, timestamp: lastIso, value: v };
    if (group) point.group = labelOf(group, group.codes[i]!);
    out.push(point);
  }
  return out;
}

export function pieData(cf: CompiledFilter, column: Column): PieSliceOut[] {
  const view = groupView(column);
  const codes = view.codes;
  const counts = new Float64Array(view.labels.length);
  const pred = cf.pred;
  let total = 0;
  for (let i = cf.lo; i < cf.hi; i++) {
    const c = codes[i]!;
    if (c < 0) continue;
    if (pred !== null && !pred(i)) continue;
    counts[c]!++;
    total++;
  }
  const out: PieSliceOut[] = [];
  for (let c = 0; c < counts.length; c++) {
    const n = counts[c]!;
    if (n > 0)
      out.push({ label: view.labels[c]!, value: n, percentage: Math.round((n * 1000) / total) / 10 });
  }
  out.sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return out;
}

export function statData(store: CallStore, cf: CompiledFilter): StatOut {
  const success = store.column("success");
  const duration = store.column("duration");
  const latency = store.column("latency_ms");
  const sv = store.numericView(success);
  const dv = store.numericView(duration);
  const lv = store.numericView(latency);
  const pred = cf.pred;
  let total = 0;
  let known = 0;
  let succeeded = 0;
  let durSum = 0;
  let durCount = 0;
  const latencies: number[] = [];
  for (let i = cf.lo; i < cf.hi; i++) {
    if (pred !== null && !pred(i)) continue;
    total++;
    const s = sv[i]!;
    if (!Number.isNaN(s)) {
      known++;
      succeeded += s;
    }
    const d = dv[i]!;
    if (!Number.isNaN(d)) {
      durSum += d;
      durCount++;
    }
    const l = lv[i]!;
    if (!Number.isNaN(l)) latencies.push(l);
  }
  return {
    total_calls: total,
    success_rate: known > 0 ? succeeded / known : null,
    avg_duration: durCount > 0 ? durSum / durCount : null,
    p95_latency: latencies.length > 0 ? percentileCont(Float64Array.from(latencies).sort(), 0.95) : null,
  };
}
