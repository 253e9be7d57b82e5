/**
 * Cutting raw data to a character budget. Sizes are measured per item and only as far as the
 * budget reaches, so a list of 100,000 points costs the same as the few hundred that fit.
 */
import { isPlainObject } from "../shared/json.js";

/** Length of `JSON.stringify(item)` as an array element (undefined and functions become `null`). */
export function jsonSize(value: unknown): number {
  return (JSON.stringify(value) ?? "null").length;
}

/**
 * What a piece of JSON text costs in the answer on the wire: once as-is in structuredContent, and
 * once inside content[1]'s text, where the result's own serialisation escapes each `"` and `\`.
 */
export function twoCopiesSize(json: string): number {
  let escapes = 0;
  for (let i = json.indexOf('"'); i !== -1; i = json.indexOf('"', i + 1)) escapes++;
  for (let i = json.indexOf("\\"); i !== -1; i = json.indexOf("\\", i + 1)) escapes++;
  return 2 * json.length + escapes;
}

/**
 * The largest k such that the items 0..k−1 add at most `maxChars` to the JSON of an empty list
 * (item sizes plus the commas between them). Whole items only; stops at the first that does not fit.
 */
export function fitPrefix(items: readonly unknown[], maxChars: number): number {
  let used = 0;
  for (let k = 0; k < items.length; k++) {
    const add = twoCopiesSize(JSON.stringify(items[k]) ?? "null") + (k > 0 ? 2 : 0);
    if (used + add > maxChars) return k;
    used += add;
  }
  return items.length;
}

/** The keys 0..k−1 of an object that add at most `maxChars` to the JSON of `{}`, whole entries only. */
export function fitObjectPrefix(obj: Record<string, unknown>, maxChars: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let used = 0;
  let first = true;
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    const add = twoCopiesSize(`${JSON.stringify(k)}:${JSON.stringify(v) ?? "null"}`) + (first ? 0 : 2);
    if (used + add > maxChars) break;
    used += add;
    first = false;
    out[k] = v;
  }
  return out;
}

/** A value whose JSON is longer than `maxChars` becomes a short marker string. */
export function boundValue(value: unknown, maxChars: number): unknown {
  const size = jsonSize(value);
  return size <= maxChars ? value : `[omitted: ${size} characters of JSON]`;
}

export function countEntries(data: unknown): number {
  if (Array.isArray(data)) return data.length;
  if (isPlainObject(data)) return Object.values(data).filter((v) => v !== undefined).length;
  return 1;
}
