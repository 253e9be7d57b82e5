/** Filters: groups (and, or, same_row) of conditions (field, op, value), checked against the catalogue. */

import { isPlainObject } from "../../shared/json.js";
import {
  displayName,
  FILTER_FIELDS,
  findFilterField,
  GROUP_OPERATORS,
  type GroupOperator,
  MAX_CONDITIONS,
  MAX_FILTER_DEPTH,
  METADATA_KEY,
  OPERATORS,
  type Operator,
} from "../catalogue.js";
import { didYouMean } from "../suggest.js";
import type { Condition, Filter } from "../types.js";
import { checkValue, type ValueContext } from "./filter-values.js";
import { type Dict, has, list, show } from "./issues.js";
import { aliasHint, enumValue, lowerEnum, parseJsonArgument } from "./lenient.js";

/** A timestamp condition seen while checking: the window is read from these. */
export interface TimestampCondition {
  op: Operator;
  value: string;
  path: string;
}

export interface FilterContext extends ValueContext {
  timestamps: TimestampCondition[];
}

export const FILTER_EXAMPLE = {
  operator: "and",
  conditions: [
    { field: "timestamp", op: "gte", value: "now-7d" },
    { field: "success", op: "eq", value: true },
  ],
};

export const NESTING_LIMIT = `Filters nest at most ${MAX_FILTER_DEPTH} levels deep (a condition inside at most ${MAX_FILTER_DEPTH - 1} groups).`;

const FILTER_FIELD_NAMES = FILTER_FIELDS.map(displayName);
const CONDITION_EXAMPLE = { field: "success", op: "eq", value: true };

/** filters and dashboard_filters (objects, or JSON strings of them); the timestamp conditions go to `timestamps`. */
export function readFilters(
  a: Dict,
  ctx: FilterContext,
): { filters: Filter | undefined; dashboardFilters: Filter | undefined } {
  const read = (key: "filters" | "dashboard_filters"): Filter | undefined => {
    if (a[key] === undefined) return undefined;
    const parsed = parseJsonArgument(a[key], key, ctx.c);
    return parsed === undefined
      ? undefined
      : checkFilter(parsed, { path: key, depth: 1, sameRow: false }, ctx);
  };
  const filters = read("filters");
  return { filters, dashboardFilters: read("dashboard_filters") };
}

/** Where a node sits: its path, its level (the root is 1), and whether a same_row group holds it. */
interface Place {
  path: string;
  depth: number;
  sameRow: boolean;
}

function checkFilter(raw: unknown, at: Place, ctx: FilterContext): Filter | undefined {
  const { c } = ctx;
  const { path } = at;
  if (at.depth > MAX_FILTER_DEPTH) {
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
  if (!isPlainObject(raw)) {
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
  return isGroupNode ? checkGroup(raw, at, ctx) : checkCondition(raw, at, ctx);
}

function checkGroup(raw: Dict, at: Place, ctx: FilterContext): Filter | undefined {
  const { c } = ctx;
  const { path } = at;
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
  if (!has(raw, "operator")) {
    c.add(`${path}.operator`, `A group needs an operator: and, or or same_row.`, undefined, FILTER_EXAMPLE);
    return undefined;
  }
  const operator: GroupOperator | undefined = enumValue(
    raw.operator,
    GROUP_OPERATORS,
    `${path}.operator`,
    c,
    FILTER_EXAMPLE,
  );
  if (!operator) return undefined;
  let conditions = raw.conditions;
  if (isPlainObject(conditions)) conditions = [conditions]; // a single condition where a list is expected
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
  const sameRow = at.sameRow || operator === "same_row";
  const out: Filter[] = [];
  for (let i = 0; i < conditions.length; i++) {
    const child = checkFilter(
      conditions[i],
      { path: `${path}.conditions[${i}]`, depth: at.depth + 1, sameRow },
      ctx,
    );
    if (child === undefined) return undefined;
    out.push(child);
  }
  return { operator, conditions: out };
}

function checkCondition(node: Dict, at: Place, ctx: FilterContext): Condition | undefined {
  const { c } = ctx;
  const { path } = at;
  for (const key of Object.keys(node)) {
    if (key === "field" || key === "op" || key === "value") continue;
    const hint =
      key === "operator" ? ` A condition uses "op" (e.g. "op": "eq"); "operator" is for groups.` : "";
    c.add(
      `${path}.${key}`,
      `A condition takes only field, op and value; got "${key}".${hint}`,
      undefined,
      CONDITION_EXAMPLE,
    );
    return undefined;
  }
  const field = node.field;
  if (typeof field !== "string" || field === "") {
    c.add(
      `${path}.field`,
      `A condition needs a field name (string); got ${show(field)}.`,
      undefined,
      CONDITION_EXAMPLE,
    );
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
  if (at.sameRow && !spec.metricRow) {
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
  const value = checkValue(node.value, `${path}.value`, { field, spec, op: op as Operator }, ctx);
  if (value === undefined) return undefined;
  if (field === "timestamp" && typeof value === "string") {
    ctx.timestamps.push({ op: op as Operator, value, path: `${path}.value` });
  }
  return { field, op: op as Operator, value };
}
