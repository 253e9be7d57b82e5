/**
 * The tool's input schema, written with the zod v3 API and published as JSON Schema through
 * zod-to-json-schema (zod v4 schemas make that library emit an empty schema silently; the
 * snapshot test guards it).
 *
 * Portable subset (../shared/reference/mcp-and-toolchain-facts.md): root object with
 * additionalProperties false, one string `type` per property, no $ref, no anyOf/oneOf anywhere,
 * no type arrays. A filter is ONE object type whose keys cover both a condition (field, op, value)
 * and a group (operator, conditions) — the shape the upstream OpenAPI itself uses — inlined three
 * group levels deep. A condition's `value` may be any JSON value; the most portable way to say so
 * is a schema with a description and no type (`{}` is what Gemini-safe sanitisers produce;
 * anyOf breaks strict clients, type arrays break Gemini).
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

/** Group levels inlined in the published schema (root group, nested, nested again). */
export const PUBLISHED_FILTER_DEPTH = 3;

const conditionShape = {
  field: z.string().describe("Condition: field name"),
  op: z.enum(OPERATORS).describe("Condition: operator"),
  value: z.unknown().describe("Condition: any JSON value (a list for in, true/false for isnull)"),
};

function filterNode(levels: number): z.ZodTypeAny {
  const conditions =
    levels > 1
      ? z.array(filterNode(levels - 1))
      : z.array(z.object(conditionShape).strict().describe("A condition"));
  return z
    .object({
      field: conditionShape.field.optional(),
      op: conditionShape.op.optional(),
      value: conditionShape.value.optional(),
      operator: z.enum(GROUP_OPERATORS).optional().describe("Group: how conditions combine"),
      conditions: conditions.optional().describe("Group: its conditions or groups"),
    })
    .strict()
    .describe("A condition or a group");
}

export const filterSchema = filterNode(PUBLISHED_FILTER_DEPTH);

/** The shape the model fills in. Descriptions are short: the rules live in the tool description and resources. */
export const inputShape = {
  chart_type: z
    .enum(CHART_TYPES)
    .describe(
      "line: one point per call; bar: aggregate per time bucket; pie: counts per value; stat: headline numbers",
    ),
  field: z
    .string()
    .max(NAME_MAX_LENGTH)
    .optional()
    .describe(
      "Field to plot: duration, success, is_reviewed, call_ended_reason, dropoff_point, topic, agent_id, metadata.<key>, metric_evaluations.value. Omit for stat",
    ),
  filters: filterSchema
    .optional()
    .describe(
      'Filter: a condition {"field","op","value"} or a group {"operator":"and"|"or"|"same_row","conditions":[...]}. Without a timestamp gt/gte condition, timestamp gte now-7d is added',
    ),
  dashboard_filters: filterSchema.optional().describe("More filters, ANDed with filters (same form)"),
  aggregation_function: z.enum(AGGREGATIONS).optional().describe("Bar only (required there)"),
  time_period: z.enum(TIME_PERIODS).optional().describe("Bar only (required there): bucket size, UTC"),
  metric: z.number().int().optional().describe("Metric id; required when field is metric_evaluations.value"),
  group_by: z
    .object({
      type: z.enum(GROUP_BY_TYPES).describe("field or bucket"),
      field: z.string().optional().describe("For type field, e.g. agent.id"),
      interval: z.number().int().positive().optional().describe("For type bucket: milliseconds"),
    })
    .strict()
    .optional()
    .describe('Optional grouping, e.g. {"type":"field","field":"agent.id"}'),
  data_type: z.enum(DATA_TYPES).optional().describe("Optional; the service infers it"),
  dashboard: z.number().int().optional().describe("Optional dashboard id; its filters apply too"),
  name: z.string().max(NAME_MAX_LENGTH).optional().describe("Optional widget title"),
};

export const inputSchema = z.object(inputShape).strict();

export type JsonSchemaObject = {
  type: "object";
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties: false;
  [key: string]: unknown;
};

/** The JSON Schema published in tools/list. Pure; cached by the caller. */
export function buildInputJsonSchema(): JsonSchemaObject {
  const schema = zodToJsonSchema(inputSchema, { $refStrategy: "none", target: "jsonSchema7" }) as Record<
    string,
    unknown
  >;
  delete schema.$schema;
  return schema as JsonSchemaObject;
}

/** Argument names the tool accepts, in order. */
export const ARGUMENT_NAMES = Object.keys(inputShape) as (keyof typeof inputShape)[];
