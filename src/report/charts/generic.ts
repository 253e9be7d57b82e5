/** Data of a shape no chart summary knows, as a table of its keys: never an error. */
import { isPlainObject } from "../../shared/json.js";
import { cell, cut, renderTable, valueCell } from "../format.js";
import type { SummaryContext, SummaryPart } from "./common.js";

/** Items with more keys than this many show the rest as one JSON column. */
const GENERIC_MAX_COLUMNS = 10;
/** Rows shown (and items sampled for keys): enough to see the shape, not a dump of the data. */
export const GENERIC_MAX_ROWS = 30;
/** Keys listed in `stats`. */
const STATS_MAX_KEYS = 30;

interface GenericFigures {
  reason: string;
  intro: string;
}

function listTable(data: readonly unknown[], maxChars: number): { table: string; keys: string[] } {
  const sample = data.slice(0, GENERIC_MAX_ROWS);
  const keys: string[] = [];
  const seen = new Set<string>();
  let scalars = false;
  for (const item of sample) {
    if (isPlainObject(item)) {
      for (const k of Object.keys(item)) {
        if (!seen.has(k)) {
          seen.add(k);
          keys.push(k);
        }
      }
    } else {
      scalars = true;
    }
  }
  const columns = keys.slice(0, GENERIC_MAX_COLUMNS);
  const restKeys = keys.length > columns.length;
  const headers = [
    ...columns.map((k) => cell(k, 30)),
    ...(restKeys ? ["other keys"] : []),
    ...(scalars || columns.length === 0 ? ["value"] : []),
  ];
  const table = renderTable({
    headers,
    rowCount: data.length,
    row: (i) => {
      const item = data[i];
      if (!isPlainObject(item)) {
        return [...columns.map(() => ""), ...(restKeys ? [""] : []), valueCell(item)];
      }
      const cells = columns.map((k) => valueCell(item[k]));
      if (restKeys) {
        const rest: Record<string, unknown> = {};
        for (const k of Object.keys(item)) if (!columns.includes(k)) rest[k] = item[k];
        cells.push(valueCell(rest));
      }
      if (scalars || columns.length === 0) cells.push("");
      return cells;
    },
    maxChars,
    maxRows: GENERIC_MAX_ROWS,
    elide: "tail",
  });
  return { table, keys };
}

function objectTable(data: Record<string, unknown>, maxChars: number): string {
  const keys = Object.keys(data);
  return renderTable({
    headers: ["key", "value"],
    rowCount: keys.length,
    row: (i) => {
      const k = keys[i] as string;
      return [cell(k, 40), valueCell(data[k])];
    },
    maxChars,
    maxRows: GENERIC_MAX_ROWS,
    elide: "tail",
  });
}

const keyList = (keys: readonly string[]): string[] => keys.slice(0, STATS_MAX_KEYS).map((k) => cut(k, 60));

/** Any data as a table of its keys. */
export function generic(data: unknown, ctx: SummaryContext, reason: string): SummaryPart {
  const f: GenericFigures = {
    reason,
    intro: `The data has a shape this summary does not know (${reason}), so it is shown as a table of its keys.`,
  };
  const budget = ctx.maxChars - f.intro.length - 2;
  const base = { chart: ctx.chart, shape: "generic", reason: f.reason };
  if (Array.isArray(data)) {
    const { table, keys } = listTable(data, budget);
    return {
      markdown: cut(`${f.intro}\n\n${table}`, ctx.maxChars),
      stats: { ...base, items: data.length, keys: keyList(keys) },
    };
  }
  if (isPlainObject(data)) {
    const keys = Object.keys(data);
    return {
      markdown: cut(`${f.intro}\n\n${objectTable(data, budget)}`, ctx.maxChars),
      stats: { ...base, keys: keyList(keys), key_count: keys.length },
    };
  }
  return {
    markdown: cut(`${f.intro}\n\ndata: ${valueCell(data, 200)}`, ctx.maxChars),
    stats: { ...base, value: typeof data === "string" ? cut(data, 200) : valueCell(data, 200) },
  };
}
