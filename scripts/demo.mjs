// `npm run demo`: the main job with no account. Spawns the built server over stdio in demo mode
// with the MCP SDK client, asks the questions people ask first, and prints each answer exactly
// as a model would receive it (the markdown summary), then says how to see the answers as charts.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const last = (days) => ({ field: "timestamp", op: "gte", value: `today-${days}d` });

export const DEMO_QUESTIONS = [
  {
    question: "What was our success rate per day over the last 14 days?",
    arguments: {
      chart_type: "bar",
      field: "success",
      aggregation_function: "avg",
      time_period: "day",
      filters: last(14),
    },
  },
  {
    question: "Why do calls end?",
    arguments: { chart_type: "pie", field: "call_ended_reason", filters: last(30) },
  },
  {
    question: "How has call duration moved (p95 per day)?",
    arguments: {
      chart_type: "bar",
      field: "duration",
      aggregation_function: "p95",
      time_period: "day",
      filters: last(14),
    },
  },
  {
    question: "Customer satisfaction (metric 101) per week, by agent",
    arguments: {
      chart_type: "bar",
      field: "metric_evaluations.value",
      metric: 101,
      aggregation_function: "avg",
      time_period: "week",
      group_by: { type: "field", field: "agent.id" },
      filters: last(28),
    },
  },
  {
    question: "Headline numbers for the last 7 days",
    arguments: { chart_type: "stat", filters: last(7) },
  },
  {
    question: "Where do callers drop off on failed calls?",
    arguments: {
      chart_type: "pie",
      field: "dropoff_point",
      filters: { operator: "and", conditions: [last(30), { field: "success", op: "eq", value: false }] },
    },
  },
];

const transport = new StdioClientTransport({
  command: process.execPath,
  args: [resolve(root, "dist/main.js"), "--demo"],
  env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", CEKURA_LOG_LEVEL: "warning" },
  stderr: "inherit",
});
const client = new Client({ name: "cekura-demo", version: "1.0.0" });
await client.connect(transport);
let failures = 0;
try {
  const { tools } = await client.listTools();
  process.stdout.write(
    `Connected to the server in demo mode; tools: ${tools.map((t) => t.name).join(", ")}\n`,
  );
  // The questions, then the saved dashboards: what exists, and what one dashboard's widgets show.
  const steps = [
    ...DEMO_QUESTIONS.map((q) => ({
      question: q.question,
      tool: "preview_widget_data",
      arguments: q.arguments,
    })),
    { question: "Which dashboards do we have?", tool: "list_dashboards", arguments: {} },
    {
      question: "What does the Call health dashboard show?",
      tool: "get_widget_data",
      arguments: { widget_ids: [1, 2, 3, 4] },
    },
  ];
  for (const [i, q] of steps.entries()) {
    process.stdout.write(
      `\n${"=".repeat(78)}\nQ${i + 1}. ${q.question}\n    ${q.tool} ${JSON.stringify(q.arguments)}\n\n`,
    );
    const result = await client.callTool({ name: q.tool, arguments: q.arguments });
    if (result.isError) failures++;
    process.stdout.write(`${result.isError ? "ERROR: " : ""}${result.content[0]?.text ?? ""}\n`);
  }
  process.stdout.write(
    `\n${"=".repeat(78)}\nSee an answer as a chart: clients that render MCP Apps (Claude Desktop, claude.ai, VS Code,\n` +
      "Goose...) show one beside each answer. Without one, write the same chart as a page and open it:\n" +
      "  node dist/main.js preview --chart bar --field success --agg avg --period day --last 14d --demo --html chart.html\n",
  );
} finally {
  await client.close();
}
process.exitCode = failures === 0 ? 0 : 1;
