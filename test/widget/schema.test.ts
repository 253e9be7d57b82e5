import { describe, expect, it } from "vitest";
import { z as z4 } from "zod/v4";
import { zodToJsonSchema } from "zod-to-json-schema";
import { ARGUMENT_NAMES, INPUT_JSON_SCHEMA } from "../../src/widget/published-schema.js";
import { inputSchema } from "../../src/widget/schema.js";

type Node = Record<string, unknown>;

/** What tools/list publishes (test/widget/input-schema.test.ts keeps it equal to the zod source). */
const schema = INPUT_JSON_SCHEMA as unknown as Node;
const properties = schema.properties as Record<string, Node>;

/** Every schema object in the tree, with a JSON path, found through every key that holds schemas. */
function schemaNodes(root: Node): { path: string; node: Node }[] {
  const out: { path: string; node: Node }[] = [];
  const visit = (node: Node, path: string) => {
    out.push({ path, node });
    if (node.properties && typeof node.properties === "object") {
      for (const [k, v] of Object.entries(node.properties as Record<string, Node>))
        visit(v, `${path}.properties.${k}`);
    }
    if (node.items && typeof node.items === "object" && !Array.isArray(node.items))
      visit(node.items as Node, `${path}.items`);
    for (const key of ["anyOf", "oneOf", "allOf"]) {
      const branches = node[key];
      if (Array.isArray(branches)) {
        for (const [i, n] of (branches as Node[]).entries()) visit(n, `${path}.${key}[${i}]`);
      }
    }
    if (node.additionalProperties && typeof node.additionalProperties === "object")
      visit(node.additionalProperties as Node, `${path}.additionalProperties`);
  };
  visit(root, "$");
  return out;
}

/** Every key anywhere in a JSON value (including inside descriptions' siblings, enums, etc.). */
function allKeys(value: unknown, out: { key: string; path: string }[] = [], path = "$") {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) allKeys(v, out, `${path}[${i}]`);
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push({ key: k, path: `${path}.${k}` });
      allKeys(v, out, `${path}.${k}`);
    }
  }
  return out;
}

/**
 * The portable subset every client accepts (mcp-and-toolchain-facts.md). Returns the violations,
 * so the same function can be shown to catch a broken schema.
 */
function portabilityViolations(root: Node): string[] {
  const v: string[] = [];
  if (root.type !== "object") v.push("root type is not object");
  if (root.additionalProperties !== false) v.push("root additionalProperties is not false");
  if (!root.properties || Object.keys(root.properties as object).length === 0)
    v.push("root has no properties");
  for (const { key, path } of allKeys(root)) {
    if (["$schema", "$ref", "$defs", "definitions", "$id"].includes(key)) v.push(`${path}: ${key}`);
    if (["anyOf", "oneOf", "allOf", "not"].includes(key)) v.push(`${path}: ${key}`);
  }
  for (const { path, node } of schemaNodes(root)) {
    if (Array.isArray(node.type)) v.push(`${path}: type array`);
    if (node.type === "array" && (typeof node.items !== "object" || node.items === null))
      v.push(`${path}: array without items`);
    if (node.type === "object" && node.additionalProperties !== false) v.push(`${path}: open object`);
    if (node.enum !== undefined && !(node.enum as unknown[]).every((e) => typeof e === "string"))
      v.push(`${path}: non-string enum`);
    if (path === "$") continue;
    const isValue = path.endsWith(".properties.value");
    if (typeof node.description !== "string" || node.description.length === 0)
      v.push(`${path}: no description`);
    if (isValue) {
      if ("type" in node) v.push(`${path}: value must have no type`);
    } else if (typeof node.type !== "string") {
      v.push(`${path}: no string type`);
    }
  }
  return v;
}

describe("the published input schema", () => {
  it("stays in the portable subset", () => {
    expect(portabilityViolations(schema)).toEqual([]);
  });

  it("the portability check itself catches each kind of violation", () => {
    const broken: Node = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: {
        a: { type: ["string", "null"], description: "a" },
        b: { anyOf: [{ type: "string" }, { type: "number" }], description: "b" },
        c: { type: "array", description: "c" },
        d: { $ref: "#/definitions/d" },
        e: { type: "object", properties: {}, description: "e" },
        value: { type: "string", description: "v" },
      },
    };
    const found = portabilityViolations(broken).join("\n");
    for (const expected of [
      "root additionalProperties is not false",
      "$schema",
      "type array",
      "anyOf",
      "array without items",
      "$ref",
      "properties.d: no description",
      "open object",
      "value must have no type",
    ]) {
      expect(found).toContain(expected);
    }
    expect(portabilityViolations({})).toContain("root has no properties");
  });

  it("has exactly the tool's arguments, with chart_type the only required one", () => {
    expect(Object.keys(properties)).toEqual(ARGUMENT_NAMES);
    expect(Object.keys(properties)).toEqual([
      "chart_type",
      "field",
      "filters",
      "dashboard_filters",
      "aggregation_function",
      "time_period",
      "metric",
      "group_by",
      "data_type",
      "dashboard",
      "name",
    ]);
    expect(schema.required).toEqual(["chart_type"]);
  });

  it("lists the upstream enums", () => {
    expect(properties.chart_type!.enum).toEqual(["line", "bar", "pie", "stat"]);
    expect(properties.aggregation_function!.enum).toEqual([
      "count",
      "sum",
      "avg",
      "min",
      "max",
      "p50",
      "p95",
      "p99",
    ]);
    expect(properties.time_period!.enum).toEqual(["hour", "day", "week", "month"]);
    expect(properties.data_type!.enum).toEqual(["numeric", "boolean", "string", "datetime", "dynamic"]);
    expect(properties.metric!.type).toBe("integer");
    expect(properties.dashboard!.type).toBe("integer");
  });

  it.each([
    ["filters", 3],
    ["dashboard_filters", 2],
  ] as const)("%s nests groups %i levels deep", (name, levels) => {
    let node = properties[name]!;
    for (let level = 1; level <= levels; level++) {
      expect(node.type, `level ${level}`).toBe("object");
      const props = node.properties as Record<string, Node>;
      expect(Object.keys(props), `level ${level}`).toEqual(expect.arrayContaining(["field", "op", "value"]));
      const conditions = props.conditions!;
      expect(conditions.type, `level ${level}`).toBe("array");
      node = conditions.items as Node;
    }
    // The innermost level is a plain condition.
    expect(node.type).toBe("object");
    expect(Object.keys(node.properties as object)).toEqual(["field", "op", "value"]);
  });

  it("describes a condition's value without a type: any JSON value", () => {
    const valueNodes = schemaNodes(schema).filter(({ path }) => path.endsWith(".properties.value"));
    // filters: three group levels and the innermost condition; dashboard_filters: two and one
    expect(valueNodes).toHaveLength(7);
    for (const { path, node } of valueNodes) {
      expect(node, path).not.toHaveProperty("type");
      expect(node.description, path).toMatch(/any JSON value/);
    }
  });

  it("stays small: under 8,000 characters serialized", () => {
    const size = JSON.stringify(schema).length;
    expect(size).toBeGreaterThan(1000);
    expect(size).toBeLessThan(8000);
  });
});

describe("zod API version", () => {
  it("the input schema is built with the zod v3 API", () => {
    const def = (inputSchema as unknown as { _def?: { typeName?: string } })._def;
    expect(def?.typeName).toBe("ZodObject");
    expect(inputSchema).not.toHaveProperty("_zod");
  });

  it("guards the trap: zod-to-json-schema given a v4 schema silently emits only $schema", () => {
    const v4 = zodToJsonSchema(z4.object({ a: z4.string() }) as never) as Node;
    expect(Object.keys(v4)).toEqual(["$schema"]);
    // ...which the portability check refuses, and which has no properties at all.
    expect(portabilityViolations(v4)).toContain("root has no properties");
  });
});
