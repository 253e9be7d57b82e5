/**
 * Where answers come from: the live Cekura API over HTTP, or the embedded Cekura-compatible
 * backend called in process (demo data or a user's file). Either way the tool holds an
 * UpstreamClient: one code path. Heavy parts (undici, the dataset, the engine) load on the first
 * call, not at start-up.
 */
import { basename } from "node:path";
import type { Config } from "../cli/config.js";
import type { DataSource } from "../report/describe.js";
import { err, ok, type Result, type ToolError } from "../shared/errors.js";
import { createRedactor, type Redactor, secretForms } from "../shared/redact.js";
import type { UpstreamClient } from "../upstream/client.js";
import { UPSTREAM_MAX_WINDOW_DAYS } from "../widget/catalogue.js";
import type { Logger } from "./logging.js";

export interface Backend {
  client: UpstreamClient;
  source: DataSource;
  /** The API's 30-day rule, checked before sending; undefined for local files (no such limit). */
  maxWindowDays?: number;
  /** Removes the key this backend sends from any text; every tool answer passes it last (live mode: the embedded backend has no key). */
  redact?: Redactor;
  /**
   * A local file's first and last call (ISO UTC) and its size. With a file, a query without a
   * start covers every call in it, and the answer states this span instead of a default window.
   */
  span?: { start: string; end: string; calls: number };
  /** Agent names by id (as text), where the data carries them (the embedded backend's calls); answers show them beside ids. */
  agentNames?: ReadonlyMap<string, string>;
}

export interface BackendProvider {
  get(): Promise<Result<Backend, ToolError>>;
  /** Aborts in-flight requests and stops the embedded backend, if any. Idempotent. */
  close(): Promise<void>;
}

export const NO_KEY_MESSAGE =
  "No Cekura API key is configured, so there is no data to query. Three ways on: " +
  "(1) set CEKURA_API_KEY in this MCP server's env block of your client config (Claude Desktop: mcpServers.<name>.env; Claude Code: claude mcp add ... -e CEKURA_API_KEY=...) and restart the server; " +
  "(2) start the server with --demo (or CEKURA_DEMO=1) to try it on built-in demo data; " +
  "(3) start it with --data FILE to analyse exported call logs (NDJSON, a JSON array or call-log API pages) offline. " +
  "Tell the user; retrying the call will not help.";

export function createBackendProvider(config: Config, logger: Logger): BackendProvider {
  let pending: Promise<Result<Backend, ToolError>> | undefined;
  let closers: (() => Promise<void>)[] = [];
  let closed = false;

  async function open(): Promise<Result<Backend, ToolError>> {
    if (config.mode === "live") {
      const { createUpstreamClient } = await import("../upstream/client.js");
      if (!config.apiKey) return err({ category: "config", message: NO_KEY_MESSAGE });
      const client = createUpstreamClient({
        baseUrl: config.baseUrl,
        apiKey: config.apiKey,
        deadlineMs: config.deadlineMs,
      });
      closers.push(() => client.close());
      return ok({
        client,
        source: { kind: "live" },
        maxWindowDays: UPSTREAM_MAX_WINDOW_DAYS,
        redact: createRedactor(secretForms(config.apiKey)),
      });
    }

    const [{ createCallStore }, { createEmbeddedClient }, { createDashboardService }, { answerPreview }] =
      await Promise.all([
        import("../embedded/store.js"),
        import("../embedded/in-process.js"),
        import("../embedded/dashboards.js"),
        import("../embedded/preview.js"),
      ]);
    let calls: import("../embedded/calls.js").CallLog[];
    let source: DataSource;
    if (config.mode === "demo") {
      const { generateDemoCalls } = await import("../embedded/dataset.js");
      calls = generateDemoCalls();
      source = { kind: "demo" };
    } else {
      const { loadCallsFile } = await import("../embedded/loader.js");
      const file = config.dataFile ?? "";
      const loaded = await loadCallsFile(file, { category: "config" });
      if (!loaded.ok) return loaded;
      const { skipped, reasons } = loaded.value;
      calls = loaded.value.calls;
      if (skipped > 0) {
        logger.warning(`Skipped ${skipped} bad rows in ${basename(file)}`, {
          first_reasons: reasons.join(" | "),
        });
      }
      logger.info(`Loaded ${calls.length} calls from ${basename(file)}`, { format: loaded.value.format });
      source = { kind: "file", label: basename(file) };
    }
    const store = createCallStore(calls);
    // Saved dashboards, in memory: two demo ones, none for a file; lost when the process exits.
    const dashboards = createDashboardService({
      preview: (body, now) => answerPreview(store, body, now, config.mode === "demo"),
      metricName: (id) => store.metrics().get(id)?.name,
      seed: config.mode === "demo" ? "demo" : "empty",
      now: Date.now(),
    });
    const client = createEmbeddedClient(store, Date.now, dashboards);
    closers.push(() => client.close());
    return ok({
      client,
      source,
      ...(config.mode === "demo" ? { maxWindowDays: UPSTREAM_MAX_WINDOW_DAYS } : { span: spanOf(calls) }),
      agentNames: agentNamesOf(calls),
    });
  }

  return {
    get() {
      if (closed)
        return Promise.resolve(err({ category: "cancelled", message: "The server is shutting down." }));
      if (!pending) {
        pending = open().catch((e: unknown): Result<Backend, ToolError> => {
          logger.error("Could not start the data backend", {
            error: e instanceof Error ? e.message : String(e),
          });
          pending = undefined; // a later call may try again
          return err({
            category: "config",
            message: `The data backend could not start: ${e instanceof Error ? e.message : String(e)}. Check the server's stderr log.`,
          });
        });
      }
      return pending;
    },
    async close() {
      closed = true;
      const all = closers;
      closers = [];
      await Promise.allSettled(all.map((c) => c()));
    },
  };
}

/** The first name seen for each agent id; at most AGENT_NAMES_MAX agents (a file may hold odd data). */
function agentNamesOf(
  calls: readonly { agent: { id: number; agent_name: string } | null }[],
): Map<string, string> {
  const names = new Map<string, string>();
  for (const c of calls) {
    if (c.agent && !names.has(String(c.agent.id)) && c.agent.agent_name !== "") {
      if (names.size >= AGENT_NAMES_MAX) break;
      names.set(String(c.agent.id), c.agent.agent_name);
    }
  }
  return names;
}
const AGENT_NAMES_MAX = 10_000;

function spanOf(calls: readonly { timestamp: number }[]): { start: string; end: string; calls: number } {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const c of calls) {
    if (c.timestamp < first) first = c.timestamp;
    if (c.timestamp > last) last = c.timestamp;
  }
  const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;
  return { start: iso(first), end: iso(last), calls: calls.length };
}
