/**
 * The embedded backend as demo and data modes use it: the tool's validated query goes straight
 * to the engine, in process. No HTTP, no port, no key, and no second validation: the tool has
 * validated the query with the same rules (and the demo's window limits) before calling. Shaped
 * as the upstream client, so the tool has one code path for live and embedded data.
 */
import { err, ok, type ToolError } from "../shared/errors.js";
import type { UpstreamClient } from "../upstream/client.js";
import { fenced } from "../upstream/quote.js";
import type { WidgetQuery } from "../widget/types.js";
import type { DashboardService } from "./dashboards.js";
import { computeWidget } from "./engine.js";
import type { EmbeddedReply } from "./preview.js";
import type { CallStore } from "./store.js";

/** How much of the engine's refusal is quoted (it may name metrics from the user's file). */
const REFUSAL_MAX_CHARS = 2048;

/** A dashboard route's refusal as the HTTP client words one: 404 is not_found, the rest validation. */
function refusal(r: EmbeddedReply): ToolError {
  const text = JSON.stringify(r.body) ?? "";
  if (r.status === 404) {
    return {
      category: "not_found",
      message: `The embedded backend answered 404 Not Found: ${fenced(text, 200)}`,
    };
  }
  return {
    category: "validation",
    message: `The embedded backend refused the request (HTTP ${r.status}). Its reply, quoted as data:\n${fenced(text, REFUSAL_MAX_CHARS)}\nFix the argument it names and call again.`,
  };
}

/**
 * `now` is the clock for relative datetimes (epoch ms), read once per call. `dashboards` serves
 * the dashboard endpoints (src/embedded/dashboards.ts) and scopes previews that name a dashboard.
 */
export function createEmbeddedClient(
  store: CallStore,
  now: () => number = Date.now,
  dashboards?: DashboardService,
): UpstreamClient {
  let closed = false;
  const stop = (signal: AbortSignal | undefined): ToolError | undefined => {
    if (closed) {
      return {
        category: "cancelled",
        message: "The call was stopped because the MCP server is shutting down. Retry later.",
      };
    }
    if (signal?.aborted) {
      return {
        category: "cancelled",
        message: "The call was cancelled by the client before the embedded backend answered.",
      };
    }
    return undefined;
  };
  return {
    async request(req, opts = {}) {
      const stopped = stop(opts.signal);
      if (stopped) return err(stopped);
      const started = Date.now();
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query.set(k, String(v));
      // Copies in and out, as over HTTP: the store never shares an object with a caller.
      const body = req.body !== null && typeof req.body === "object" ? structuredClone(req.body) : {};
      const r: EmbeddedReply = dashboards
        ? dashboards.handle({
            method: req.method,
            path: req.path,
            query,
            body: body as Record<string, unknown>,
            now: now(),
          })
        : { status: 404, body: { detail: "Not found." } };
      if (r.status < 200 || r.status > 299) return err(refusal(r));
      return ok({
        status: r.status,
        body: structuredClone(r.body),
        attempts: 1,
        elapsedMs: Date.now() - started,
      });
    },
    async postPreviewData(body, opts = {}) {
      const stopped = stop(opts.signal);
      if (stopped) return err(stopped);
      const started = Date.now();
      // A preview that names a dashboard gets that dashboard's filters ANDed in (docs/cekura-api.md §1).
      let query = body as WidgetQuery;
      if (dashboards && query.dashboard !== undefined) {
        const scoped = dashboards.scopePreview(query as unknown as Record<string, unknown>);
        if (!scoped.ok) return err(refusal(scoped.reply));
        query = scoped.body as unknown as WidgetQuery;
      }
      const answer = computeWidget(store, query, now());
      if (!answer.ok) {
        const text = Object.entries(answer.error.body)
          .map(([field, messages]) => `${field}: ${[messages].flat().join(" ")}`)
          .join("\n");
        return err({
          category: "validation",
          message: `The embedded backend refused the query. Its reply, quoted as data:\n${fenced(text, REFUSAL_MAX_CHARS)}\nFix the argument it names and call again.`,
        });
      }
      return ok({ status: 200, body: answer.value, attempts: 1, elapsedMs: Date.now() - started });
    },
    async close() {
      closed = true;
    },
  };
}
