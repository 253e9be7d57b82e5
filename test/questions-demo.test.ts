/**
 * The question fixtures answered for real: every right call goes through the tool handler to the
 * embedded demo backend over loopback HTTP and gets an answer with data; every wrong call is
 * refused by the tool with an error that names the fix.
 */
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, describe, expect, it } from "vitest";
import { createBackendProvider } from "../src/backend.js";
import type { Config } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { previewWidgetData } from "../src/tools/preview-widget-data.js";
import { RIGHT_CALLS, WRONG_CALLS } from "./fixtures/questions.js";

const config: Config = {
  mode: "demo",
  baseUrl: "https://api.cekura.ai",
  deadlineMs: 30_000,
  defaultWindow: "now-7d",
  budgetChars: 24_000,
  logLevel: "error",
};
const logger = createLogger({ level: "error", redact: (t) => t, write: () => {} });
const backend = createBackendProvider(config, logger);
const deps = { backend, logger, defaultWindow: config.defaultWindow, budgetChars: config.budgetChars };
const text = (r: { content: { text: string }[] }) => r.content.map((c) => c.text).join("\n");
/**
 * server.ts registers tools/call without the SDK Server's result check (a zod parse that copies
 * every answer), so this is where answers are held to the SDK's CallToolResultSchema: valid, and
 * nothing in them that the schema would drop or change.
 */
const expectValidResult = (r: unknown) => {
  const parsed = CallToolResultSchema.safeParse(r);
  expect(parsed.success, parsed.success ? "" : parsed.error.message).toBe(true);
  expect(parsed.data).toEqual(r);
};

afterAll(() => backend.close());

describe("right calls against the demo backend", () => {
  it.each(RIGHT_CALLS.map((c) => [c.question, c] as const))("%s", async (_q, c) => {
    const r = await previewWidgetData(deps, c.arguments);
    expect(r.isError, text(r)).toBeFalsy();
    expectValidResult(r);
    expect(r.content[0]?.text).toContain("DEMO");
    expect(JSON.stringify(r).length).toBeLessThanOrEqual(24_000);
    const data = (r.structuredContent as { data: unknown }).data;
    const empty = Array.isArray(data)
      ? data.length === 0
      : (data as { total_calls?: number }).total_calls === 0;
    expect(empty, `no data for: ${JSON.stringify(c.arguments)}`).toBe(false);
  });
});

describe("wrong calls through the tool", () => {
  it.each(WRONG_CALLS.map((c) => [c.question, c] as const))("%s", async (_q, c) => {
    const r = await previewWidgetData(deps, c.arguments);
    expect(r.isError).toBe(true);
    expectValidResult(r);
    expect(text(r)).toMatch(/^invalid_arguments: /);
    expect(text(r)).toMatch(c.error);
  });
});
