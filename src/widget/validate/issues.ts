/** What every phase of validation shares: the issues it collects and how values read in messages. */
import { cut } from "../../shared/text.js";

export interface ValidationIssue {
  /** The argument at fault, e.g. "aggregation_function" or "filters.conditions[1].op". */
  path: string;
  message: string;
  fix?: string;
  example?: unknown;
}

export type Dict = Record<string, unknown>;

/** Issues past this many add nothing a model can act on in one round. */
const MAX_ISSUES = 20;

export class Collector {
  issues: ValidationIssue[] = [];
  notes: string[] = [];
  add(path: string, message: string, fix?: string, example?: unknown) {
    if (this.issues.length < MAX_ISSUES) this.issues.push({ path, message, fix, example });
  }
}

export const has = (o: Dict, k: string) => Object.hasOwn(o, k);

/** Longest value a message quotes. */
const SHOWN_MAX = 80;

/** A value as a message shows it: short, and in time bounded by the cut, never by the value's size. */
export function show(v: unknown): string {
  if (typeof v === "string")
    return cut(JSON.stringify(v.length > SHOWN_MAX ? v.slice(0, SHOWN_MAX) : v), SHOWN_MAX);
  if (v === null || typeof v !== "object") return cut(String(v), SHOWN_MAX);
  if (Array.isArray(v)) return `a list of ${v.length} item${v.length === 1 ? "" : "s"}`;
  const keys: string[] = [];
  for (const k in v) {
    if (keys.length === 4) {
      keys.push("...");
      break;
    }
    if (Object.hasOwn(v, k)) keys.push(k);
  }
  return cut(`an object {${keys.join(", ")}}`, SHOWN_MAX);
}

export const list = (xs: readonly string[]) => xs.join(", ");
