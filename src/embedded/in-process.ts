/**
 * The embedded backend as demo and data modes use it: the tool's validated query goes straight
 * to the engine, in process. No HTTP, no port, no key, and no second validation: the tool has
 * validated the query with the same rules (and the demo's window limits) before calling. Shaped
 * as the upstream client, so the tool has one code path for live and embedded data.
 */
import { err, ok } from "../shared/errors.js";
import type { UpstreamClient } from "../upstream/client.js";
import { fenced } from "../upstream/quote.js";
import type { WidgetQuery } from "../widget/types.js";
import { computeWidget } from "./engine.js";
import type { CallStore } from "./store.js";

/** How much of the engine's refusal is quoted (it may name metrics from the user's file). */
const REFUSAL_MAX_CHARS = 2048;

/** `now` is the clock for relative datetimes (epoch ms), read once per call. */
export function createEmbeddedClient(store: CallStore, now: () => number = Date.now): UpstreamClient {
  let closed = false;
  return {
    async postPreviewData(body, opts = {}) {
      if (closed) {
        return err({
          category: "cancelled",
          message: "The call was stopped because the MCP server is shutting down. Retry later.",
        });
      }
      if (opts.signal?.aborted) {
        return err({
          category: "cancelled",
          message: "The call was cancelled by the client before the embedded backend answered.",
        });
      }
      const started = Date.now();
      const answer = computeWidget(store, body as WidgetQuery, now());
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
