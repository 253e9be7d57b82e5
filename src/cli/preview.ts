/**
 * The one-shot CLI: `cekura-dashboards-mcp preview --chart bar --field success --agg avg
 * --period day --last 7d [--demo | --data FILE]` or `--json '{...}'`. It runs the very handler
 * the MCP tool runs and prints the same answer: the markdown summary (or, with --format json,
 * the structured answer) on stdout; an error on stderr with exit code 1. With --html FILE it
 * also writes the answer as a chart page (the MCP App view, standalone).
 */
import { createBackendProvider } from "../server/backend.js";
import { createLogger } from "../server/logging.js";
import { handlePreviewWidgetData } from "../server/tools/preview-widget-data.js";
import { err, ok, type Result } from "../shared/errors.js";
import { createRedactor, redactDeep } from "../shared/redact.js";
import type { Config, PreviewArgs } from "./config.js";

/** Tool arguments from the CLI flags; a usage message when they do not make a query. */
export function argumentsFromFlags(args: PreviewArgs): Result<unknown, string> {
  if (args.json !== undefined) {
    try {
      return ok(JSON.parse(args.json));
    } catch {
      return err("--json is not valid JSON.");
    }
  }
  const out: Record<string, unknown> = { chart_type: args.chart };
  if (args.field !== undefined) out.field = args.field;
  if (args.agg !== undefined) out.aggregation_function = args.agg;
  if (args.period !== undefined) out.time_period = args.period;
  if (args.metric !== undefined) out.metric = args.metric;
  const conditions: unknown[] = [];
  if (args.filters !== undefined) {
    try {
      conditions.push(JSON.parse(args.filters));
    } catch {
      return err("--filters is not valid JSON.");
    }
  }
  if (args.last !== undefined) {
    const last = args.last.trim();
    if (!/^\d{1,6}[smhdwMy]$/.test(last)) {
      return err(`--last takes a span such as 7d, 24h or 2w; got ${JSON.stringify(last)}.`);
    }
    conditions.push({ field: "timestamp", op: "gte", value: `now-${last}` });
  }
  if (conditions.length === 1) out.filters = conditions[0];
  else if (conditions.length > 1) out.filters = { operator: "and", conditions };
  return ok(out);
}

export async function runPreview(config: Config, flags: PreviewArgs): Promise<number> {
  const built = argumentsFromFlags(flags);
  if (!built.ok) {
    process.stderr.write(`cekura-dashboards-mcp: ${built.error}\n`);
    return 2;
  }
  const redact = createRedactor([config.apiKey]);
  const logger = createLogger({ level: config.logLevel === "info" ? "warning" : config.logLevel, redact });
  const backend = createBackendProvider(config, logger);
  try {
    const result = await handlePreviewWidgetData(
      { backend, logger, defaultWindow: config.defaultWindow, budgetChars: config.budgetChars },
      built.value,
    );
    if (result.isError) {
      process.stderr.write(`${result.content.map((c) => c.text).join("\n")}\n`);
      return 1;
    }
    if (flags.html !== undefined) {
      const { standalonePage } = await import("./html-page.js");
      const { writeFile } = await import("node:fs/promises");
      try {
        // Arguments as typed may hold a pasted key, and the tool redacts answers only where it uses one.
        await writeFile(
          flags.html,
          await standalonePage(redactDeep(built.value, redact), redactDeep(result, redact)),
        );
      } catch (e) {
        const why = e instanceof Error && "code" in e ? String(e.code) : "write failed";
        process.stderr.write(
          `cekura-dashboards-mcp: could not write ${JSON.stringify(flags.html)} (${why}).\n`,
        );
        return 1;
      }
      process.stderr.write(`Chart page written to ${flags.html}; open it in a browser.\n`);
    }
    const text =
      flags.format === "json"
        ? JSON.stringify(result.structuredContent, null, 2)
        : (result.content[0]?.text ?? "");
    process.stdout.write(`${text}\n`);
    return 0;
  } finally {
    await backend.close();
  }
}
