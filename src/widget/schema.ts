/**
 * The tool's input schema, written with the zod v3 API and published as JSON Schema through
 * zod-to-json-schema (zod v4 schemas make that library emit an empty schema silently; the
 * snapshot test guards it).
 *
 * Portable subset (docs/clients.md §2): root object with
 * additionalProperties false, one string `type` per property, no $ref, no anyOf/oneOf anywhere,
 * no type arrays. A filter is ONE object type whose keys cover both a condition (field, op, value)
 * and a group (operator, conditions) — the shape the upstream OpenAPI itself uses — inlined three
 * group levels deep in `filters`, two in `dashboard_filters`. A condition's `value` may be any JSON value; the most portable way to say so
 * is a schema with a description and no type (`{}` is what Gemini-safe sanitisers produce;
 * anyOf breaks strict clients, type arrays break Gemini).
 *
 * This is the authoring source, not what the server loads: `npm run schema` (scripts/gen-schema.mjs)
 * writes its JSON Schema to src/widget/input-schema.json, which the server publishes
 * (src/widget/published-schema.ts), so zod never loads at start-up; test/widget/input-schema.test.ts
 * fails when the two differ.
 */
import { z } from "zod/v3";
import { zodToJsonSchema } from "zod-to-json-schema";
import {
  AGGREGATIONS,
  CHART_TYPES,
  DATA_TYPES,
  GROUP_BY_TYPES,
  GROUP_OPERATORS,
  NAME_MAX_LENGTH,
  OPERATORS,
  TIME_PERIODS,
} from "./catalogue.js";
import type { JsonSchemaObject } from "./published-schema.js";

/** Group levels inlined in `filters` (root group, nested, nested again). */
export const PUBLISHED_FILTER_DEPTH = 3;
/** `dashboard_filters` is rarely more than a list of conditions: one group level less. */
export const PUBLISHED_DASHBOARD_FILTER_DEPTH = 2;

/*
 * The filter tree is most of the schema, and every client sends the schema to the model on every
 * turn. The outer level says everything (enums, what each key is for); the nested levels repeat
 * only the structure, with one-word descriptions and `op` without its enum (the outer level lists
 * the operators). Every property keeps a `type` (but `value`) and a description.
 */
const VALUE_NOTE = "any JSON value";

const outerCondition = {
  field: z.string().describe("Condition: field name"),
  op: z.enum(OPERATORS).describe("Condition: operator"),
  value: z.unknown().describe(`Condition: ${VALUE_NOTE} (a list for in, true/false for isnull)`),
};

const innerCondition = {
  field: z.string().describe("Field"),
  op: z.string().describe("Operator"),
  value: z.unknown().describe(`${VALUE_NOTE}`),
};

/** A filter node with `levels` group levels; `outer` for the level the model sees first. */
function filterNode(levels: number, outer: boolean): z.ZodTypeAny {
  const c = outer ? outerCondition : innerCondition;
  const conditions =
    levels > 1
      ? z.array(filterNode(levels - 1, false))
      : z.array(z.object(innerCondition).strict().describe("Condition"));
  return z
    .object({
      field: c.field.optional(),
      op: c.op.optional(),
      value: c.value.optional(),
      operator: z
        .enum(GROUP_OPERATORS)
        .optional()
        .describe(outer ? "Group: how conditions combine" : "Group"),
      conditions: conditions.optional().describe(outer ? "Group: its conditions or groups" : "Nested"),
    })
    .strict()
    .describe(outer ? "A condition or a group" : "Filter");
}

export const filterSchema = filterNode(PUBLISHED_FILTER_DEPTH, true);
export const dashboardFilterSchema = filterNode(PUBLISHED_DASHBOARD_FILTER_DEPTH, false);

/** The shape the model fills in. Descriptions are short: the rules live in the tool description and resources. */
export const inputShape = {
  chart_type: z.enum(CHART_TYPES).describe("Chart type (see the tool description)"),
  field: z
    .string()
    .max(NAME_MAX_LENGTH)
    .optional()
    .describe("Field to plot (see the tool description); omit for stat"),
  filters: filterSchema
    .optional()
    .describe("A condition or a group of them. Without a timestamp gt/gte condition: the last 7 days"),
  dashboard_filters: dashboardFilterSchema.optional().describe("More filters, ANDed with filters"),
  aggregation_function: z.enum(AGGREGATIONS).optional().describe("Bar only (required there)"),
  time_period: z.enum(TIME_PERIODS).optional().describe("Bar only (required there): bucket size, UTC"),
  metric: z.number().int().optional().describe("Metric id, for metric_evaluations.value"),
  group_by: z
    .object({
      type: z.enum(GROUP_BY_TYPES).describe("field or bucket"),
      field: z.string().optional().describe("For type field, e.g. agent.id"),
      interval: z.number().int().positive().optional().describe("For type bucket: milliseconds"),
    })
    .strict()
    .optional()
    .describe("Optional grouping"),
  data_type: z.enum(DATA_TYPES).optional().describe("Optional; the service infers it"),
  dashboard: z.number().int().optional().describe("Optional dashboard id; its filters apply too"),
  name: z.string().max(NAME_MAX_LENGTH).optional().describe("Optional widget title"),
};

export const inputSchema = z.object(inputShape).strict();

/** The JSON Schema of inputSchema, as src/widget/input-schema.json holds it. */
export function buildInputJsonSchema(): JsonSchemaObject {
  const schema = zodToJsonSchema(inputSchema, { $refStrategy: "none", target: "jsonSchema7" }) as Record<
    string,
    unknown
  >;
  delete schema.$schema;
  return schema as JsonSchemaObject;
}
