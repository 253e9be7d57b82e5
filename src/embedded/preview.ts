/**
 * The preview endpoint's answer, apart from any transport: a parsed JSON body in, a status and
 * a JSON body out (DRF-style errors). The listener and the dashboard routes (saved widget data)
 * both go through it, so a saved widget is computed exactly as a preview.
 */
import { UPSTREAM_MAX_WINDOW_DAYS } from "../widget/catalogue.js";
import { type ValidationIssue, validateWidgetQuery } from "../widget/validate.js";
import { computeWidget } from "./engine.js";
import type { CallStore } from "./store.js";

export interface EmbeddedReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const TOO_FAR_IN_PAST_DETAIL = `Timestamp filter value is too far in the past. Maximum allowed range is ${UPSTREAM_MAX_WINDOW_DAYS} days.`;
export const MISSING_START_DETAIL =
  'A timestamp filter with gt or gte is required (the start of the window), e.g. {"field": "timestamp", "op": "gte", "value": "now-7d"}.';

/** Validator issues as DRF field errors: the top-level argument is the key, the rest of the path leads the message. */
export function issuesToDrf(issues: readonly ValidationIssue[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const top = issue.path.split(/[.[]/)[0] ?? "";
    const key = top === "" || top.startsWith("(") ? "non_field_errors" : top;
    let message =
      issue.path !== top && key !== "non_field_errors" ? `${issue.path}: ${issue.message}` : issue.message;
    if (issue.fix) message += ` ${issue.fix}`;
    const list = out[key] ?? [];
    list.push(message);
    out[key] = list;
  }
  return out;
}

/**
 * The answer to a preview body (already a JSON object). demo: the upstream limits apply (a window
 * start is required, at most 30 days back); otherwise none.
 */
export function answerPreview(
  store: CallStore,
  body: Record<string, unknown>,
  now: number,
  demo: boolean,
): EmbeddedReply {
  // `metadata` in a widget body is front-end layout data (docs/cekura-api.md §1): accepted and ignored.
  const { metadata: _layout, ...args } = body;
  const checked = validateWidgetQuery(args, {
    now,
    ...(demo ? { requireStart: true, maxWindowDays: UPSTREAM_MAX_WINDOW_DAYS } : {}),
  });
  if (!checked.ok) {
    if (checked.tooFarInPast) return { status: 400, body: { detail: TOO_FAR_IN_PAST_DETAIL } };
    if (checked.missingStart) return { status: 400, body: { detail: MISSING_START_DETAIL } };
    return { status: 400, body: issuesToDrf(checked.issues) };
  }
  const result = computeWidget(store, checked.query, now);
  if (!result.ok) return { status: result.error.status, body: result.error.body };
  return { status: 200, body: result.value };
}
