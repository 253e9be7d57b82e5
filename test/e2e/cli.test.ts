/**
 * The one-shot CLI and `npm run demo`, run as a person or a script would: the built bin, real
 * processes, the embedded demo backend. No key, no network.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, CANARY_KEY, childEnv, ROOT } from "./helpers.js";

const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { env: childEnv(env), encoding: "utf8", timeout: 30_000 });

describe("cekura-dashboards-mcp preview", () => {
  it("prints the tool's answer for flags and exits 0", () => {
    const r = cli([
      "preview",
      "--chart",
      "bar",
      "--field",
      "success",
      "--agg",
      "avg",
      "--period",
      "day",
      "--last",
      "7d",
      "--demo",
    ]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\*\*Asked:\*\* bar of success, avg per day/);
    expect(r.stdout).toMatch(/DEMO data/);
    expect(r.stdout).toMatch(/\| bucket start \(UTC\) \| avg of success \| samples \|/);
  });

  it("takes a whole query with --json, and --format json prints the structured answer", () => {
    const r = cli([
      "preview",
      "--json",
      '{"chart_type":"stat","filters":{"field":"timestamp","op":"gte","value":"now-30d"}}',
      "--format",
      "json",
      "--demo",
    ]);
    expect(r.status, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout) as { stats: Record<string, unknown>; data: { total_calls: number } };
    expect(answer.data.total_calls).toBeGreaterThan(10_000);
  });

  it("exits 1 with the error on stderr for a wrong query, and 2 for a wrong flag", () => {
    const wrong = cli([
      "preview",
      "--chart",
      "bar",
      "--field",
      "success",
      "--agg",
      "sum",
      "--period",
      "day",
      "--demo",
    ]);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toBe("");
    expect(wrong.stderr).toMatch(/^invalid_arguments: .*sum does not apply to success/s);
    const usage = cli(["preview", "--chart", "pie", "--field", "topic", "--last", "seven days", "--demo"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--last takes a span such as 7d/);
  });

  it("exits 1 without a key (live mode), naming the three ways on", () => {
    const r = cli(["preview", "--chart", "stat"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/CEKURA_API_KEY/);
    expect(r.stderr).toMatch(/--demo/);
  });
});

describe("modes: --data FILE has no default window and no 30-day rule; --demo keeps the API's", () => {
  const file = resolve(ROOT, "test/fixtures/calls/widget.ndjson");

  it("a query without a start covers every call in the file, and says so", () => {
    const r = cli(["preview", "--chart", "stat", "--format", "json", "--data", file]);
    expect(r.status, r.stderr).toBe(0);
    const answer = JSON.parse(r.stdout) as {
      summary: string;
      data: { total_calls: number };
      window: { start: string };
    };
    expect(answer.data.total_calls).toBe(5);
    expect(answer.window.start).toBe("2025-06-01T08:00:00Z");
    expect(answer.summary).toMatch(/every call in the file counts: 5 calls/);
    expect(answer.summary).toMatch(/local file widget\.ndjson, not your live Cekura data/);
    expect(r.stderr).toMatch(/Skipped 5 bad rows/);
  });

  it("a window older than 30 days is fine on a file, refused in demo mode before sending", () => {
    const onFile = cli(["preview", "--chart", "stat", "--last", "1000d", "--data", file]);
    expect(onFile.status, onFile.stderr).toBe(0);
    const demo = cli(["preview", "--chart", "stat", "--last", "45d", "--demo"]);
    expect(demo.status).toBe(1);
    expect(demo.stderr).toMatch(/at most 30 days back/);
  });
});

describe("preview --html", () => {
  it("writes the chart page with the answer inlined, prints the same text, and exits 1 when it cannot write", () => {
    const out = join(mkdtempSync(join(tmpdir(), "cekura-cli-html-")), "chart.html");
    const r = cli(["preview", "--chart", "stat", "--last", "7d", "--demo", "--html", out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\*\*Asked:\*\* stat/);
    const page = readFileSync(out, "utf8");
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    const json = /<script type="application\/json" id="cekura-answer">(.*?)<\/script>/s.exec(page)?.[1];
    const inlined = JSON.parse(json ?? "null") as {
      arguments: { chart_type: string };
      result: { structuredContent: { summary: string } };
    };
    expect(inlined.arguments.chart_type).toBe("stat");
    expect(`${inlined.result.structuredContent.summary}\n`).toBe(r.stdout);

    const bad = cli(["preview", "--chart", "stat", "--demo", "--html", join(out, "no", "such", "dir.html")]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/could not write .* \(ENOTDIR\)/);
  });

  it("never writes the API key into the page, even when the arguments hold it", () => {
    const out = join(mkdtempSync(join(tmpdir(), "cekura-cli-html-")), "chart.html");
    const args = {
      chart_type: "pie",
      field: "topic",
      filters: { field: "topic", op: "eq", value: CANARY_KEY },
    };
    const r = cli(["preview", "--json", JSON.stringify(args), "--demo", "--html", out], {
      CEKURA_API_KEY: CANARY_KEY,
    });
    expect(r.status, r.stderr).toBe(0);
    const page = readFileSync(out, "utf8");
    expect(page).toContain("[REDACTED]");
    expect(page.includes(CANARY_KEY)).toBe(false);
  });
});

describe("npm run demo", () => {
  it("asks at least five questions over stdio and prints answers that tell the demo data's story", () => {
    const badDayOf = (ms: number) => new Date(ms - 9 * 86_400_000).toISOString().slice(0, 10);
    const before = Date.now();
    const r = spawnSync(process.execPath, [resolve(ROOT, "scripts/demo.mjs")], {
      env: childEnv({}),
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const answers = r.stdout.split(/^Q\d+\. /m).slice(1);
    expect(answers.length).toBeGreaterThanOrEqual(5);
    for (const a of answers) {
      expect(a).not.toMatch(/^ERROR/m);
      expect(a).toMatch(/built-in DEMO data, not your Cekura account/);
    }
    // Success per day: the trough is the bad day, 9 days ago.
    // The demo generates its data when it starts: at 00:00 UTC the bad day moves on, so a run that
    // spans midnight may show either day.
    const badDays = [...new Set([badDayOf(before), badDayOf(Date.now())])].join("|");
    expect(answers[0]).toMatch(new RegExp(`Trough: (${badDays})T00:00:00Z`));
    expect(r.stdout).toMatch(/--demo --html chart\.html\n/);
    // The worst agent (4) has the lowest satisfaction in the per-agent ranking.
    const perAgent = answers.find((a) => a.includes("groups ranked by"));
    expect(perAgent).toBeDefined();
    expect(perAgent).toMatch(/lowest: 4 \(Tech Support Agent\) at/);
    const rows = [...perAgent!.matchAll(/^\| \d \| (\d)(?: \([^)|]*\))? \| ([\d.]+) \|/gm)].map(
      (m) => [m[1], Number(m[2])] as const,
    );
    expect(rows.length).toBe(5);
    expect([...rows].sort((x, y) => x[1] - y[1])[0]?.[0]).toBe("4");
  });
});
