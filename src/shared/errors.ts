/**
 * Error categories shared by every layer. A tool answers an error as an `isError` result whose
 * text starts with the category, so a model (and a person reading a transcript) can tell a bad
 * call from a service fault at a glance.
 */
export const ERROR_CATEGORIES = [
  "invalid_arguments", // our own validation refused the call before any request was sent
  "config", // the server is not set up to answer (no API key, no backend)
  "auth", // 401/403
  "validation", // 400 from the service
  "not_found", // 404
  "rate_limited", // 429
  "upstream", // 5xx
  "timeout", // the overall deadline ran out
  "cancelled", // the client cancelled the call
  "connection", // could not connect / connection dropped
  "too_large", // response body over the cap
  "bad_response", // not JSON, or a shape we cannot read
  "internal", // a bug of ours; the process lives on
] as const;

export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

export interface ToolError {
  category: ErrorCategory;
  /** Complete, model-facing explanation: what went wrong and how to fix the call. Never holds a secret. */
  message: string;
  /** Seconds after which the same call may succeed (rate limits, busy upstream). */
  retryAfterSeconds?: number;
}

export type Result<T, E = ToolError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
