/**
 * The `preview_widget_data` tool: glue only. Arguments → widget query (validation, time window)
 * → backend (live API or embedded) → response check → report. Every failure is an `isError`
 * result with a category; nothing thrown leaves the handler.
 */
import type { BackendProvider } from "../backend.js";
import type { Logger } from "../logger.js";
import { type Redactor, redactDeep } from "../redact.js";
import { TOOL_DESCRIPTION } from "../prompts.js";
import { buildAnswer, errorAnswer } from "../report/index.js";
import { parsePreviewResponse } from "../widget/response.js";
import { buildInputJsonSchema, type JsonSchemaObject } from "../widget/schema.js";
import { describeIssues, validateWidgetQuery } from "../widget/validate.js";

export const TOOL_NAME = "preview_widget_data";

export type ToolResult = {
  content: { type: "text"; text: string }[];
  structuredContent?: Record<string, unknown> | object;
  isError?: boolean;
};

export interface PreviewToolDeps {
  backend: BackendProvider;
  logger: Logger;
  defaultWindow: string;
  budgetChars: number;
  now?: () => number;
}

let schemaCache: JsonSchemaObject | undefined;

/** The tool as published in tools/list. No outputSchema: see README ("Why no outputSchema"). */
export function toolDefinition() {
  schemaCache ??= buildInputJsonSchema();
  return {
    name: TOOL_NAME,
    title: "Preview Cekura widget data",
    description: TOOL_DESCRIPTION,
    inputSchema: schemaCache,
    annotations: {
      title: "Preview Cekura widget data",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
  };
}

/**
 * Defence in depth: the key must not come back in an answer, even when the service echoes it
 * inside the data (a label, a key) or the model pasted it into the arguments. The JSON is
 * checked first (one linear pass), so only an answer that holds a secret is walked and copied.
 */
function withoutSecret(result: ToolResult, redact: Redactor | undefined): ToolResult {
  if (!redact) return result;
  const json = JSON.stringify(result);
  return redact(json) === json ? result : (redactDeep(result, redact) as ToolResult);
}

export async function previewWidgetData(
  deps: PreviewToolDeps,
  args: unknown,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const started = Date.now();
  try {
    const backend = await deps.backend.get();
    if (!backend.ok) return errorAnswer(backend.error);
    const { client, source, maxWindowDays } = backend.value;
    const out = (result: ToolResult): ToolResult => withoutSecret(result, backend.value.redact);

    const now = (deps.now ?? Date.now)();
    const checked = validateWidgetQuery(args, {
      now,
      defaultStart: deps.defaultWindow,
      ...(maxWindowDays !== undefined ? { maxWindowDays } : {}),
    });
    if (!checked.ok) {
      deps.logger.debug("Refused a call before sending", { issues: checked.issues.length });
      return out(errorAnswer({ category: "invalid_arguments", message: describeIssues(checked.issues) }));
    }

    const reply = await client.previewWidgetData(checked.query, signal ? { signal } : {});
    if (!reply.ok) {
      deps.logger.info("Upstream call failed", { category: reply.error.category, ms: Date.now() - started });
      return out(errorAnswer(reply.error));
    }
    const response = parsePreviewResponse(reply.value.body, checked.query.chart_type);
    if (!response.ok) return out(errorAnswer(response.error));

    const answer = buildAnswer({
      query: checked.query,
      window: checked.window,
      response: response.value,
      source,
      notes: checked.notes,
      budgetChars: deps.budgetChars,
    });
    deps.logger.debug("Answered", {
      chart: checked.query.chart_type,
      attempts: reply.value.attempts,
      ms: Date.now() - started,
    });
    return out(answer);
  } catch (e) {
    deps.logger.error("Unexpected error in preview_widget_data", {
      error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      stack: e instanceof Error ? (e.stack ?? "").split("\n").slice(0, 6).join(" | ") : undefined,
    });
    return errorAnswer({
      category: "internal",
      message:
        "The server hit an unexpected error while answering this call (details are in its stderr log). It is still running: try the call again, or simplify it.",
    });
  }
}
