// CI check with the official MCP Inspector CLI (1.0.3 runs on Node 20): the built server, in
// demo mode, must list its tools, prompts and resources. If the inspector cannot be installed
// from the registry (network trouble), this says so and exits 0: the same lists are also
// checked with the SDK client in test/e2e and test/server-inmemory.test.ts.
import { spawnSync } from "node:child_process";

const INSPECTOR = "@modelcontextprotocol/inspector@1.0.3";
const checks = [
  {
    method: "tools/list",
    key: "tools",
    expect: [
      "preview_widget_data",
      "list_dashboards",
      "get_dashboard",
      "get_widget_data",
      "create_dashboard",
    ],
  },
  {
    method: "prompts/list",
    key: "prompts",
    expect: ["call-health-report", "draft-dashboard", "investigate-metric", "explain-drop"],
  },
  {
    method: "resources/list",
    key: "resources",
    expect: ["cekura://reference/fields", "cekura://reference/filters", "ui://cekura-dashboards/chart.html"],
  },
];

let failed = 0;
for (const check of checks) {
  const run = spawnSync(
    "npx",
    ["-y", INSPECTOR, "--cli", process.execPath, "dist/main.js", "--demo", "--method", check.method],
    { encoding: "utf8", timeout: 240_000, env: { ...process.env, CEKURA_LOG_LEVEL: "warning" } },
  );
  const start = run.stdout.indexOf("{");
  if (run.status !== 0 || start < 0) {
    if (/ENOTFOUND|ETIMEDOUT|EAI_AGAIN|network|404 Not Found/i.test(run.stderr) || run.error) {
      process.stdout.write(
        `inspector-check: skipped, ${INSPECTOR} could not be installed: ${String(run.error ?? run.stderr).slice(0, 300)}\n`,
      );
      process.exit(0);
    }
    process.stdout.write(
      `inspector-check: ${check.method} failed (exit ${run.status})\n${run.stderr.slice(-2000)}\n`,
    );
    failed++;
    continue;
  }
  const ids = JSON.parse(run.stdout.slice(start))[check.key].map((x) => x.uri ?? x.name);
  const missing = check.expect.filter((e) => !ids.includes(e));
  if (missing.length > 0) {
    process.stdout.write(`inspector-check: ${check.method} lacks ${missing.join(", ")}\n`);
    failed++;
  } else {
    process.stdout.write(`inspector-check: ${check.method} ok (${ids.join(", ")})\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
