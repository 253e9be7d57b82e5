/**
 * The tool's input schema as published in tools/list: src/widget/input-schema.json, generated
 * from the zod source (src/widget/schema.ts) by `npm run schema` and checked against it by
 * test/widget/input-schema.test.ts. The server reads only this file, so zod never loads in it.
 */
import type { RequestField } from "./catalogue.js";
import schema from "./input-schema.json" with { type: "json" };

export type JsonSchemaObject = {
  type: "object";
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties: false;
  [key: string]: unknown;
};

/** The published JSON Schema; shared, so never to be mutated. */
export const INPUT_JSON_SCHEMA = schema as unknown as JsonSchemaObject;

/** Argument names the tool accepts, in order (the request fields: a test keeps them equal). */
export const ARGUMENT_NAMES = Object.keys(schema.properties) as RequestField[];
