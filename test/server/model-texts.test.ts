/**
 * The model-facing texts (src/server/model-texts.ts): the tool description stays short and keeps
 * valid examples; the server instructions point to every MCP prompt and reference resource.
 */
import { describe, expect, it } from "vitest";
import { SERVER_INSTRUCTIONS, TOOL_DESCRIPTION } from "../../src/server/model-texts.js";
import { MCP_PROMPT_NAMES } from "../../src/server/prompts.js";
import { REFERENCE_RESOURCES } from "../../src/server/resources.js";
import { type ValidateOptions, validateWidgetQuery } from "../../src/widget/validate.js";

const LIVE: ValidateOptions = { now: Date.now(), defaultStart: "now-7d", maxWindowDays: 30 };

describe("texts a model reads", () => {
  it("the tool description stays under 1,500 characters, with two valid examples and the time window", () => {
    expect(TOOL_DESCRIPTION.length).toBeLessThan(1500);
    const examples = [...TOOL_DESCRIPTION.matchAll(/^- [^:]+: (\{.*\})$/gm)].map(
      (m) => JSON.parse(m[1]!) as unknown,
    );
    expect(examples).toHaveLength(2);
    for (const e of examples) expect(validateWidgetQuery(e, LIVE).ok).toBe(true);
    expect(TOOL_DESCRIPTION).toMatch(/Examples:/);
    expect(TOOL_DESCRIPTION).toContain("now-7d");
    expect(TOOL_DESCRIPTION).toMatch(/30 days/);
    expect(TOOL_DESCRIPTION).toMatch(/UTC/);
  });

  it("the server instructions point to every prompt and resource", () => {
    for (const name of MCP_PROMPT_NAMES) expect(SERVER_INSTRUCTIONS).toContain(name);
    for (const r of REFERENCE_RESOURCES) expect(SERVER_INSTRUCTIONS).toContain(r.uri);
  });
});
