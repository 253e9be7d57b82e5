/**
 * The `preview_widget_data` tool: glue only. Arguments → widget query (validation, time window)
 * → backend (live API or embedded) → response check → report. Every failure is an `isError`
 * result with a category; nothing thrown leaves the handler.
 */

import { buildAnswer, errorAnswer } from "../../report/index.js";
import { holdsSecret, type Redactor, redactDeep } from "../../shared/redact.js";
import { IN_LIST_MAX_VALUES, MAX_FILTER_DEPTH, TEXT_VALUE_MAX_LENGTH } from "../../widget/catalogue.js";
import { INPUT_JSON_SCHEMA } from "../../widget/published-schema.js";
import { parsePreviewResponse } from "../../widget/response.js";
import { describeIssues, validateWidgetQuery } from "../../widget/validate.js";
import { VIEW_TOOL_META } from "../app-view.js";
import type { BackendProvider } from "../backend.js";
import type { Logger } from "../logging.js";
import { OLDER_THAN_30_DAYS, TOOL_DESCRIPTION } from "../model-texts.js";
import {
  coverageQuery,
  discoveryQuery,
  existingValues,
  isEmptyData,
  type Send,
  totalCalls,
} from "./answer-extras.js";

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

/** The tool as published in tools/list. No outputSchema: see README ("Why no outputSchema"). */
export function toolDefinition() {
  return {
    name: TOOL_NAME,
    title: "Preview Cekura widget data",
    description: TOOL_DESCRIPTION,
    inputSchema: INPUT_JSON_SCHEMA,
    annotations: {
      title: "Preview Cekura widget data",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    _meta: VIEW_TOOL_META,
  };
}

/**
 * Bounds far above any real widget query (a handful of arguments, at most a few thousand values,
 * strings of at most TEXT_VALUE_MAX_LENGTH characters), checked in time proportional to the bounds, not
 * to the input, before validation: a megabyte string, a 100k-item list, 1000-deep nesting or an object
 * with thousands of keys is refused at once instead of being walked, printed and spell-checked
 * (which costs hundreds of ms of CPU per call, or a stack overflow).
 */
const ARGS_MAX_VALUES = 20_000;
const ARGS_MAX_CHARS = 250_000;
const ARGS_MAX_DEPTH = 32;
const ARGS_MAX_KEYS = 1_000;

/** Why the arguments are too large to be a widget query; undefined when they are not. */
export function oversizeArguments(args: unknown): string | undefined {
  let values = 0;
  let chars = 0;
  const stack: { v: unknown; depth: number }[] = [{ v: args, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { v, depth } = item;
    values += 1;
    if (typeof v === "string") {
      chars += v.length;
      if (chars > ARGS_MAX_CHARS) return `more than ${ARGS_MAX_CHARS} characters of text`;
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= ARGS_MAX_DEPTH) return `nested more than ${ARGS_MAX_DEPTH} levels deep`;
    if (Array.isArray(v)) {
      if (values + stack.length + v.length > ARGS_MAX_VALUES) return `more than ${ARGS_MAX_VALUES} values`;
      for (const x of v) stack.push({ v: x, depth: depth + 1 });
      continue;
    }
    let keys = 0;
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      if (++keys > ARGS_MAX_KEYS) return `an object with more than ${ARGS_MAX_KEYS} keys`;
      chars += k.length;
      stack.push({ v: (v as Record<string, unknown>)[k], depth: depth + 1 });
    }
    if (values + stack.length > ARGS_MAX_VALUES) return `more than ${ARGS_MAX_VALUES} values`;
    if (chars > ARGS_MAX_CHARS) return `more than ${ARGS_MAX_CHARS} characters of text`;
  }
  return undefined;
}

/**
 * Defence in depth: the key must not come back in an answer, even when the service echoes it
 * inside the data (a label, a key) or the model pasted it into the arguments. Every string is
 * checked first (one pass, nothing allocated), so only an answer that holds a secret is copied.
 */
export function withoutSecret(result: ToolResult, redact: Redactor | undefined): ToolResult {
  if (!redact || !holdsSecret(result, redact)) return result;
  return redactDeep(result, redact) as ToolResult;
}

export async function handlePreviewWidgetData(
  deps: PreviewToolDeps,
  args: unknown,
  signal?: AbortSignal,
): Promise<ToolResult> {
  const started = Date.now();
  try {
    const backend = await deps.backend.get();
    if (!backend.ok) return errorAnswer(backend.error);
    const { client, source, maxWindowDays, span } = backend.value;
    const out = (result: ToolResult): ToolResult => withoutSecret(result, backend.value.redact);

    const oversize = oversizeArguments(args);
    if (oversize !== undefined) {
      deps.logger.debug("Refused oversized arguments", { why: oversize });
      return errorAnswer({
        category: "invalid_arguments",
        message:
          `The arguments are far larger than any widget query (${oversize}); nothing was sent. ` +
          "A query is a few arguments: chart_type, field, and filters with a handful of conditions " +
          `(text values of at most ${TEXT_VALUE_MAX_LENGTH} characters, in-lists of at most ${IN_LIST_MAX_VALUES} values, groups nested at most ${MAX_FILTER_DEPTH} deep). ` +
          "Send a smaller call.",
      });
    }

    const now = (deps.now ?? Date.now)();
    // A local file has no default window: without a start, the query covers the whole file.
    const checked = validateWidgetQuery(args, {
      now,
      ...(span ? {} : { defaultStart: deps.defaultWindow }),
      ...(maxWindowDays !== undefined ? { maxWindowDays } : {}),
    });
    if (!checked.ok) {
      deps.logger.debug("Refused a call before sending", { issues: checked.issues.length });
      const message = describeIssues(checked.issues);
      return out(
        errorAnswer({
          category: "invalid_arguments",
          message: checked.tooFarInPast ? `${message}\n${OLDER_THAN_30_DAYS}` : message,
        }),
      );
    }

    const send: Send = (q) => client.postPreviewData(q, signal ? { signal } : {});
    const pendingReply = send(checked.query);
    // Coverage: a stat with the same filters, in parallel, under the same signal and deadline.
    const stat = coverageQuery(checked.query);
    const pendingTotal = stat ? totalCalls(send(stat)) : Promise.resolve(undefined);
    const reply = await pendingReply;
    if (!reply.ok) {
      deps.logger.info("Upstream call failed", { category: reply.error.category, ms: Date.now() - started });
      return out(errorAnswer(reply.error));
    }
    const response = parsePreviewResponse(reply.value.body, checked.query.chart_type);
    if (!response.ok) return out(errorAnswer(response.error));

    let { window, notes } = checked;
    if (span && window.start === null) {
      window = { ...window, start: span.start, ...(window.endExpression ? {} : { end: span.end }) };
      notes = [
        ...notes,
        `No start time was given, so every call in the file counts: ${span.calls} calls from ${span.start} to ${span.end} (UTC).`,
      ];
    }
    const found = isEmptyData(response.value.data) ? discoveryQuery(checked.query) : undefined;
    const [total, existing] = await Promise.all([
      pendingTotal,
      found ? existingValues(send, found) : Promise.resolve(undefined),
    ]);
    const answer = buildAnswer({
      query: checked.query,
      window,
      response: response.value,
      source,
      notes,
      budgetChars: deps.budgetChars,
      now,
      extras: {
        ...(total !== undefined ? { totalCalls: total } : {}),
        ...(existing ? { existing } : {}),
        ...(backend.value.agentNames ? { agentNames: backend.value.agentNames } : {}),
      },
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
