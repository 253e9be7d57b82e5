/**
 * The question fixtures answered for real: every right call goes through the tool handler to the
 * embedded demo backend over loopback HTTP and gets an answer with data; every wrong call is
 * refused by the tool with an error that names the fix.
 */
import { CallToolResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, describe, expect, it } from "vitest";
import { generateDemoCalls } from "../src/embedded/dataset.js";
import { computeWidget } from "../src/embedded/engine.js";
import { createCallStore } from "../src/embedded/store.js";
import { handlePreviewWidgetData } from "../src/server/tools/preview-widget-data.js";
import { validateWidgetQuery } from "../src/widget/validate.js";
import { RIGHT_CALLS, WRONG_CALLS } from "./fixtures/questions.js";
import { demoDeps } from "./helpers/demo-deps.js";

const deps = demoDeps();
const { backend } = deps;
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

/** A chart's data with nothing in it: no points or slices, or a stat over no calls. */
const hasNoData = (data: unknown) =>
  Array.isArray(data) ? data.length === 0 : (data as { total_calls?: number }).total_calls === 0;

afterAll(() => backend.close());

describe("right calls against the demo backend", () => {
  it.each(RIGHT_CALLS.map((c) => [c.question, c] as const))("%s", async (_q, c) => {
    const r = await handlePreviewWidgetData(deps, c.arguments);
    expect(r.isError, text(r)).toBeFalsy();
    expectValidResult(r);
    expect(r.content[0]?.text).toContain("DEMO");
    expect(JSON.stringify(r).length).toBeLessThanOrEqual(24_000);
    const data = (r.structuredContent as { data: unknown }).data;
    expect(hasNoData(data), `data for: ${JSON.stringify(c.arguments)}`).toBe(c.empty === true);
    if (c.answer) expect(r.content[0]?.text).toMatch(c.answer);
  });
});

describe("wrong calls through the tool", () => {
  it.each(WRONG_CALLS.map((c) => [c.question, c] as const))("%s", async (_q, c) => {
    const r = await handlePreviewWidgetData(deps, c.arguments);
    expect(r.isError).toBe(true);
    expectValidResult(r);
    expect(text(r)).toMatch(/^invalid_arguments: /);
    expect(text(r)).toMatch(c.error);
  });
});

/**
 * The demo's calls follow the clock (quiet nights, slow Sundays, a new UTC day at midnight), and
 * the tests above run at whatever time CI does. So every right call must find data at any hour of
 * the week: a fixture that asked for "today" once failed a run a few minutes after midnight.
 */
describe("right calls against the demo data at any time of the week", () => {
  const HOUR = 3_600_000;
  const monday = Date.parse("2026-11-23T00:00:00Z");
  const times: number[] = [];
  for (let h = 0; h < 7 * 24; h += 3) times.push(monday + h * HOUR);
  for (let day = 0; day < 7; day++) times.push(monday + day * 24 * HOUR + 60_000); // 00:01 UTC
  const canary = {
    question: "(canary) agent 4 since the start of today",
    arguments: {
      chart_type: "stat",
      filters: {
        operator: "and",
        conditions: [
          { field: "timestamp", op: "gte", value: "today" },
          { field: "agent.id", op: "eq", value: 4 },
        ],
      },
    },
  };
  const emptyAt = (now: number, calls: readonly { question: string; arguments: unknown }[]) => {
    const store = createCallStore(generateDemoCalls({ now }));
    const empty: string[] = [];
    for (const c of calls) {
      const checked = validateWidgetQuery(c.arguments, { now, defaultStart: "now-7d", maxWindowDays: 30 });
      if (!checked.ok) throw new Error(`refused: ${c.question}: ${checked.issues[0]?.message}`);
      const r = computeWidget(store, checked.query, now);
      if (!r.ok) throw new Error(`engine error: ${c.question}`);
      if (hasNoData(r.value.data) !== ("empty" in c && c.empty === true))
        empty.push(`${new Date(now).toISOString()}: ${c.question}`);
    }
    return empty;
  };

  it("finds data for every right call at every third hour and at 00:01 UTC, Monday to Sunday", () => {
    const empty = times.flatMap((now) => emptyAt(now, RIGHT_CALLS));
    expect(empty).toEqual([]);
  }, 240_000);

  it("would catch a call that has no data just after midnight (the canary)", () => {
    expect(emptyAt(monday + 60_000, [canary])).toHaveLength(1);
    expect(emptyAt(monday + 12 * HOUR, [canary])).toEqual([]);
  });
});
