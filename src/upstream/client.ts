/**
 * The HTTP client for Cekura's `POST /dashboards/widgets/preview_data/`.
 *
 * One undici Agent per client (keep-alive, bounded pool, response size cap). Every call has ONE
 * overall deadline that covers all attempts and backoff waits; the caller's AbortSignal cancels
 * the in-flight request and any backoff wait at once. Failures are returned as ToolError values
 * with complete, model-facing messages; nothing here throws or rejects, and no message ever
 * holds the API key (every message passes through a redactor as defence in depth).
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
// undici's Agent from its own module: undici's index loads ALL of undici (fetch, WebSocket,
// EventSource, mocks, cache stores, interceptors, ...) and the Node built-ins they use, which made
// the first call ~100 ms slower and the process ~8 MiB larger (live heap +3 MiB, and the bundle
// 1.31 → 0.94 MB). Typed in src/types/undici-modules.d.ts with undici's own types.
import Agent from "undici/lib/dispatcher/agent.js";
import { type ErrorCategory, err, ok, type Result, type ToolError } from "../shared/errors.js";
import { isPlainObject } from "../shared/json.js";
import { createRedactor, type Redactor, secretForms } from "../shared/redact.js";
import { fenced } from "./quote.js";
import { abortableSleep, CallAbort, computeBackoffMs, parseRetryAfterMs } from "./retry.js";

export const PREVIEW_PATH = "/dashboards/widgets/preview_data/";

export interface UpstreamClientOptions {
  /** Validated by config, e.g. "https://api.cekura.ai"; may carry a path prefix. */
  baseUrl: string;
  /** Sent as X-CEKURA-API-KEY when present. */
  apiKey?: string;
  /** ONE overall deadline per call, covering all attempts and waits. */
  deadlineMs: number;
  /** Default 2 (so at most 3 requests). */
  maxRetries?: number;
  /** Default 500; exponential with full jitter, capped at backoffCapMs. */
  backoffBaseMs?: number;
  /** Default 4000. */
  backoffCapMs?: number;
  /**
   * Time kept free for the next request when deciding whether a wait (backoff or Retry-After)
   * still fits before the deadline. Default min(1000, deadlineMs / 4).
   */
  retryMarginMs?: number;
  /** Default 10 MiB. */
  maxBodyBytes?: number;
  /** Pool size of the single undici Agent, default 16. */
  connections?: number;
  /** Default "cekura-dashboards-mcp". */
  userAgent?: string;
  /** For tests of jitter; default Math.random. */
  random?: () => number;
}

export interface UpstreamSuccess {
  status: number;
  /** Parsed JSON; shape checking is done elsewhere. */
  body: unknown;
  attempts: number;
  elapsedMs: number;
}

/**
 * One request to the API. GET and POST only: the client has no code path for PUT, PATCH or
 * DELETE. A `write` is sent once and never retried (a lost answer may still have saved it);
 * every other request is read-only and safe to retry. Write bodies: src/upstream/dashboards.ts.
 */
export interface UpstreamRequest {
  method: "GET" | "POST";
  /** Path under the base URL, with its trailing slash, e.g. "/dashboards/dashboards/7/". */
  path: string;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | undefined>;
  /** POST only: sent as JSON. */
  body?: unknown;
  write?: boolean;
}

export interface UpstreamClient {
  postPreviewData(
    body: unknown,
    opts?: { signal?: AbortSignal },
  ): Promise<Result<UpstreamSuccess, ToolError>>;
  /** The primitive every endpoint goes through (src/upstream/dashboards.ts). */
  request(req: UpstreamRequest, opts?: { signal?: AbortSignal }): Promise<Result<UpstreamSuccess, ToolError>>;
  /** Closes the Agent; in-flight calls are aborted and answer `cancelled`. Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_BACKOFF_BASE_MS = 500;
const DEFAULT_BACKOFF_CAP_MS = 4000;
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const DEFAULT_CONNECTIONS = 16;
const DEFAULT_USER_AGENT = "cekura-dashboards-mcp";
/** How much of an error body is read (the rest is discarded with the connection). */
const ERROR_BODY_READ_BYTES = 64 * 1024;
/** How much of a 400 / other 4xx reply is shown. */
const DETAIL_MAX_CHARS = 2048;
/** How much of a DRF `detail` is shown for 401/403/404. */
const SHORT_DETAIL_MAX_CHARS = 200;
/** How much of a non-JSON 2xx body is shown. */
const NOT_JSON_SHOWN_CHARS = 200;

/** Connection-level failures worth another attempt (the endpoint is read-only and idempotent). */
const RETRYABLE_CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "UND_ERR_CLOSED",
]);
/** Of those, the ones that mean an open connection dropped (rather than never opened). */
const DROPPED_CODES = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "UND_ERR_SOCKET",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "UND_ERR_CLOSED",
]);

/** Joins base URL and path without a double slash; drops any query or fragment of the base. */
export function joinUrl(baseUrl: string, path: string): URL {
  const url = new URL(baseUrl);
  let prefix = url.pathname;
  while (prefix.endsWith("/")) prefix = prefix.slice(0, -1);
  url.pathname = `${prefix}${path.startsWith("/") ? path : `/${path}`}`;
  url.search = "";
  url.hash = "";
  return url;
}

/** A request ready to send: its path with the query, its JSON text (POST only). */
interface Prepared {
  method: "GET" | "POST";
  path: string;
  payload: string | undefined;
  write: boolean;
}

/** Everything an attempt can end with, before the attempt count is known. */
type AttemptOutcome =
  | { kind: "success"; status: number; body: unknown }
  | {
      kind: "fail";
      retryable: boolean;
      /** From Retry-After, when the service sent one. */
      retryAfterMs?: number;
      /** Builds the final error; `after` is "" or " after N attempts". */
      make: (after: string, attempts: number) => ToolError;
    };

type AbortKind = "deadline" | "cancelled" | "closed";

function toolError(category: ErrorCategory, message: string, retryAfterSeconds?: number): ToolError {
  return retryAfterSeconds === undefined ? { category, message } : { category, message, retryAfterSeconds };
}

function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (Array.isArray(v)) return v[0];
  return v;
}

function errorCode(e: unknown): string | undefined {
  if (e === null || typeof e !== "object") return undefined;
  const rec = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof rec.code === "string") return rec.code;
  if (Array.isArray(rec.errors)) {
    for (const inner of rec.errors) {
      const c = errorCode(inner);
      if (c !== undefined) return c;
    }
  }
  if (rec.cause !== undefined && rec.cause !== e) return errorCode(rec.cause);
  return undefined;
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? String(s) : String(Number(s.toFixed(1)));
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

function attemptsSuffix(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : "";
}

/** What one HTTP exchange gave: a status, headers and the body (up to a limit), or an error. */
type Exchange = Result<{ status: number; headers: IncomingHttpHeaders; buf: Buffer; over: boolean }, unknown>;

/**
 * One POST through undici's dispatch API, its body collected up to a limit that depends on the
 * status (`limitFor`); `over` when the service declared or sent more, and the request is then
 * aborted (which closes that connection). A body read to its end leaves the connection in the
 * keep-alive pool. `abort` stops the request at any point; the promise never rejects.
 *
 * dispatch() with a handler rather than undici's request(): request() wraps every response in a
 * Readable stream and an AsyncResource, 0.15 ms of CPU per call without an optimising compiler
 * (see src/shared/v8-flags.ts), about a tenth of the server's; the handler gets the chunks as they arrive.
 */
function exchange(
  agent: Dispatcher,
  options: Dispatcher.DispatchOptions,
  abort: CallAbort,
  limitFor: (status: number, declaredLength: number) => number,
): Promise<Exchange> {
  return new Promise((resolve) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: IncomingHttpHeaders = {};
    let limit = 0;
    let size = 0;
    let chunks: Buffer[] = [];
    const settle = (result: Exchange): void => {
      if (settled) return;
      settled = true;
      abort.removeListener("abort", onAbort);
      resolve(result);
    };
    const stopOver = (): void => {
      settle(ok({ status, headers, buf: Buffer.concat(chunks, size), over: true }));
      controller?.abort(new Error("response body over its limit"));
    };
    const onAbort = (): void => {
      // Settled at once, even while undici still waits for a connection: the deadline holds.
      // Before the request is written there is no controller yet: onRequestStart aborts it.
      settle(err(abort.reason));
      controller?.abort(abort.reason);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (abort.aborted) c.abort(abort.reason);
      },
      onResponseStart(c, statusCode, responseHeaders) {
        controller = c;
        status = statusCode;
        headers = responseHeaders;
        chunks = [];
        size = 0;
        const declared = Number(firstHeader(responseHeaders, "content-length"));
        limit = limitFor(statusCode, Number.isFinite(declared) ? declared : -1);
        if (limit < 0) stopOver();
      },
      onResponseData(_c, chunk) {
        if (settled) return;
        if (size + chunk.length > limit) {
          chunks.push(chunk.subarray(0, limit - size));
          size = limit;
          stopOver();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      },
      onResponseEnd() {
        settle(ok({ status, headers, buf: Buffer.concat(chunks, size), over: false }));
      },
      onResponseError(_c, error) {
        settle(err(error));
      },
    };
    if (abort.aborted) return onAbort();
    abort.once("abort", onAbort);
    try {
      agent.dispatch(options, handler);
    } catch (error) {
      settle(err(error));
    }
  });
}

/** The `detail` string of a Django REST Framework error body, if there is one. */
function drfDetail(text: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (isPlainObject(parsed)) {
      const d = parsed.detail;
      if (typeof d === "string" && d.trim() !== "") return d;
    }
  } catch {
    // not JSON: no detail
  }
  return undefined;
}

export function createUpstreamClient(opts: UpstreamClientOptions): UpstreamClient {
  const url = joinUrl(opts.baseUrl, PREVIEW_PATH);
  const origin = url.origin;
  /** The base URL's path prefix, without a trailing slash ("" for https://api.cekura.ai). */
  const basePath = url.pathname.slice(0, -PREVIEW_PATH.length);
  const deadlineMs = opts.deadlineMs;
  if (!Number.isFinite(deadlineMs) || deadlineMs <= 0) {
    throw new TypeError("createUpstreamClient: deadlineMs must be a positive number");
  }
  const maxRetries = Math.max(0, Math.floor(opts.maxRetries ?? DEFAULT_MAX_RETRIES));
  const backoffBaseMs = opts.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const backoffCapMs = opts.backoffCapMs ?? DEFAULT_BACKOFF_CAP_MS;
  const retryMarginMs = opts.retryMarginMs ?? Math.min(1000, Math.floor(deadlineMs / 4));
  const maxBodyBytes = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const random = opts.random ?? Math.random;
  const apiKey = opts.apiKey !== undefined && opts.apiKey !== "" ? opts.apiKey : undefined;

  const redact: Redactor = createRedactor(secretForms(apiKey));

  const agent = new Agent({
    connections: opts.connections ?? DEFAULT_CONNECTIONS,
    // Our own deadline governs (run() aborts the request), so undici's own timeouts are off: each
    // one that is set makes a timer per request that lives ~1 s in undici's timer list, long enough
    // to be promoted to the old generation as garbage.
    headersTimeout: 0,
    bodyTimeout: 0,
  });

  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    "user-agent": opts.userAgent ?? DEFAULT_USER_AGENT,
  };
  if (apiKey !== undefined) headers["x-cekura-api-key"] = apiKey;
  const { "content-type": _json, ...getHeaders } = headers;

  const active = new Set<(kind: AbortKind) => void>();
  let closed = false;

  const deadlineText = `${formatSeconds(deadlineMs)} s`;

  function fail(
    retryable: boolean,
    make: (after: string, attempts: number) => ToolError,
    retryAfterMs?: number,
  ): AttemptOutcome {
    return retryAfterMs === undefined
      ? { kind: "fail", retryable, make }
      : { kind: "fail", retryable, make, retryAfterMs };
  }

  function classifyError(e: unknown): AttemptOutcome {
    const code = errorCode(e) ?? "unknown error";
    if (code.startsWith("HPE_")) {
      return fail(false, () =>
        toolError(
          "bad_response",
          `The Cekura API at ${origin} answered with a malformed HTTP response (${code}). ` +
            "Check CEKURA_BASE_URL (it must be the API's address, e.g. https://api.cekura.ai) or retry later.",
        ),
      );
    }
    if (code === "ENOTFOUND") {
      return fail(false, () =>
        toolError(
          "connection",
          `Could not reach the Cekura API at ${origin}: the host name could not be resolved (ENOTFOUND). ` +
            "Check CEKURA_BASE_URL and the network (DNS), then retry.",
        ),
      );
    }
    if (RETRYABLE_CONNECTION_CODES.has(code)) {
      if (DROPPED_CODES.has(code)) {
        return fail(true, (after) =>
          toolError(
            "connection",
            `The connection to the Cekura API at ${origin} dropped before the answer was complete (${code})${after}. ` +
              "Retry later; if it keeps happening, check the network and CEKURA_BASE_URL.",
          ),
        );
      }
      return fail(true, (after) =>
        toolError(
          "connection",
          `Could not reach the Cekura API at ${origin} (${code})${after}. ` +
            "Check the network connection and CEKURA_BASE_URL, then retry.",
        ),
      );
    }
    if (code.startsWith("ERR_TLS") || code.startsWith("ERR_SSL") || code.includes("CERT")) {
      return fail(false, () =>
        toolError(
          "connection",
          `Could not open a secure connection to the Cekura API at ${origin} (${code}). ` +
            "Check CEKURA_BASE_URL and any proxy or certificate setup between this machine and the service.",
        ),
      );
    }
    return fail(false, () =>
      toolError(
        "connection",
        `The request to the Cekura API at ${origin} failed (${code}). Check the network and CEKURA_BASE_URL, then retry.`,
      ),
    );
  }

  function tooLarge(): AttemptOutcome {
    return fail(false, () =>
      toolError(
        "too_large",
        `The Cekura API's answer is larger than the ${formatBytes(maxBodyBytes)} limit, so it was not read. ` +
          "Narrow the query: a shorter time window, more filters, or a bar chart (aggregated per time_period) " +
          "instead of a line chart (one point per call).",
      ),
    );
  }

  function statusOutcome(status: number, text: string, retryAfterMs: number | undefined): AttemptOutcome {
    const retryAfterSeconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
    const retryHint = (fallback: string): string =>
      retryAfterSeconds !== undefined ? `Retry after ${retryAfterSeconds} s.` : fallback;

    if (status === 400) {
      const lower = text.toLowerCase();
      let guidance = "Fix the argument it names and call again.";
      if (lower.includes("too far in the past")) {
        guidance =
          "The time window may start at most 30 days ago: use a timestamp condition such as " +
          '{"field":"timestamp","op":"gte","value":"now-30d"} (or a later start, e.g. now-7d) and call again.';
      } else if (lower.includes("timestamp")) {
        guidance =
          "Every query needs a lower bound on time: a condition on timestamp with op gt or gte, e.g. " +
          '{"field":"timestamp","op":"gte","value":"now-7d"} (at most 30 days back). ' +
          "Fix the argument it names and call again.";
      }
      return fail(false, () =>
        toolError(
          "validation",
          `The Cekura API refused the query (HTTP 400). Its reply, quoted as data:\n${fenced(text, DETAIL_MAX_CHARS)}\n${guidance}`,
        ),
      );
    }
    if (status === 401 || status === 403) {
      const detail = drfDetail(text);
      const quoted =
        detail === undefined
          ? ""
          : ` Its reply, quoted as data:\n${fenced(detail, SHORT_DETAIL_MAX_CHARS)}\n`;
      const lead =
        status === 401
          ? "The Cekura API did not accept the API key (HTTP 401)."
          : "The Cekura API refused access with this API key (HTTP 403); the key may not have access to this data.";
      const fix =
        apiKey === undefined
          ? "No API key was sent: set CEKURA_API_KEY in the MCP server's env block of your client config."
          : "Check CEKURA_API_KEY (set it in the MCP server's env block of your client config).";
      return fail(false, () => toolError("auth", `${lead}${quoted}${quoted === "" ? " " : ""}${fix}`));
    }
    if (status === 404) {
      const detail = drfDetail(text);
      const quoted =
        detail === undefined
          ? ""
          : ` Its reply, quoted as data:\n${fenced(detail, SHORT_DETAIL_MAX_CHARS)}\n`;
      return fail(false, () =>
        toolError(
          "not_found",
          `The Cekura API answered 404 Not Found.${quoted}${quoted === "" ? " " : ""}` +
            "Either the endpoint does not exist under CEKURA_BASE_URL (it should be the API root, e.g. " +
            "https://api.cekura.ai), or an id in the query (dashboard, metric) does not exist. " +
            "Check CEKURA_BASE_URL and the ids, then call again.",
        ),
      );
    }
    if (status === 408) {
      return fail(
        true,
        (after) =>
          toolError(
            "upstream",
            `The Cekura API timed out while reading the request (HTTP 408)${after}. ${retryHint("Retry later.")}`,
            retryAfterSeconds,
          ),
        retryAfterMs,
      );
    }
    if (status === 429) {
      return fail(
        true,
        (after) =>
          toolError(
            "rate_limited",
            `The Cekura API is rate limiting requests (HTTP 429)${after}. ${retryHint("Wait a minute, then retry.")}`,
            retryAfterSeconds,
          ),
        retryAfterMs,
      );
    }
    if (status >= 500) {
      return fail(
        true,
        (after) =>
          toolError(
            "upstream",
            `The Cekura API failed with HTTP ${status}${after}. This is a fault on the service's side, not in the query. ` +
              `${retryHint("Retry later.")} If it keeps failing for this query, try a narrower one ` +
              "(a shorter time window, fewer points).",
            retryAfterSeconds,
          ),
        retryAfterMs,
      );
    }
    // Any other 4xx (and unexpected 1xx/2xx leftovers never reach here).
    return fail(false, () =>
      toolError(
        "validation",
        `The Cekura API refused the request (HTTP ${status}). Its reply, quoted as data:\n${fenced(text, DETAIL_MAX_CHARS)}\n` +
          "Check the query and CEKURA_BASE_URL, then call again.",
      ),
    );
  }

  /** Body bytes read for a status (the one size cap: the Agent has none): all of a 2xx up to
   * maxBodyBytes, a bounded part of an error, none of a 3xx. */
  const limitFor = (status: number, declaredLength: number): number => {
    if (status >= 200 && status < 300) return declaredLength > maxBodyBytes ? -1 : maxBodyBytes;
    if (status >= 300 && status < 400) return -1;
    // 4xx/5xx: a bounded part, enough for a DRF error and to let the connection be reused.
    return ERROR_BODY_READ_BYTES;
  };

  async function attempt(req: Prepared, abort: CallAbort): Promise<AttemptOutcome> {
    const reply = await exchange(
      agent,
      req.payload === undefined
        ? { origin, path: req.path, method: req.method, headers: getHeaders }
        : { origin, path: req.path, method: req.method, headers, body: req.payload },
      abort,
      limitFor,
    );
    if (!reply.ok) return classifyError(reply.error);
    const { status, headers: resHeaders, buf, over } = reply.value;
    try {
      if (status >= 200 && status < 300) {
        if (over) return tooLarge();
        const text = buf.toString("utf8");
        try {
          return { kind: "success", status, body: JSON.parse(text) as unknown };
        } catch {
          const shown =
            text.trim() === ""
              ? " Its body was empty."
              : ` Its start, quoted as data:\n${fenced(redact(text.slice(0, NOT_JSON_SHOWN_CHARS * 4)), NOT_JSON_SHOWN_CHARS)}\n`;
          return fail(false, () =>
            toolError(
              "bad_response",
              `The Cekura API answered HTTP ${status} but not with JSON.${shown}${shown.endsWith("\n") ? "" : " "}` +
                "Check that CEKURA_BASE_URL points at the Cekura API (not a web page or a proxy), or retry later.",
            ),
          );
        }
      }
      if (status >= 300 && status < 400) {
        const location = firstHeader(resHeaders, "location");
        let host: string | undefined;
        if (location !== undefined) {
          try {
            host = new URL(location, url).host;
          } catch {
            host = undefined;
          }
        }
        const where = host === undefined || host === "" ? "" : ` to host ${host}`;
        return fail(false, () =>
          toolError(
            "bad_response",
            `The Cekura API base URL answered with a redirect (HTTP ${status})${where}. Redirects are not followed, ` +
              "so the API key never goes to another host. Check CEKURA_BASE_URL: it must be the API's own address, " +
              "e.g. https://api.cekura.ai.",
          ),
        );
      }
      const retryAfterMs = parseRetryAfterMs(firstHeader(resHeaders, "retry-after"));
      // 5xx bodies are never shown (limitFor read a bounded part so the connection can be reused).
      const text = status >= 500 ? "" : redact(buf.toString("utf8"));
      return statusOutcome(status, text, retryAfterMs);
    } catch (e) {
      return classifyError(e);
    }
  }

  function abortedError(kind: AbortKind, attempts: number): ToolError {
    if (kind === "deadline") {
      return toolError(
        "timeout",
        `The Cekura API did not answer within ${deadlineText}${attemptsSuffix(attempts)}. Narrow the query ` +
          "(a shorter time window, fewer points, e.g. a bar chart with a coarser time_period instead of a line chart) " +
          "or retry later.",
      );
    }
    if (kind === "closed") {
      return toolError(
        "cancelled",
        "The call was stopped because the MCP server is shutting down. Retry later.",
      );
    }
    return toolError("cancelled", "The call was cancelled by the client before the Cekura API answered.");
  }

  async function run(
    req: Prepared,
    callerSignal: AbortSignal | undefined,
    started: number,
  ): Promise<Result<UpstreamSuccess, ToolError>> {
    const controller = new CallAbort();
    let abortKind: AbortKind | undefined;
    const abort = (kind: AbortKind): void => {
      if (abortKind !== undefined) return;
      abortKind = kind;
      controller.abort(new Error(kind === "deadline" ? "deadline exceeded" : `call ${kind}`));
    };
    const onCallerAbort = (): void => abort("cancelled");
    const timer = setTimeout(() => abort("deadline"), deadlineMs);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    active.add(abort);
    try {
      let attempts = 0;
      for (;;) {
        attempts += 1;
        const outcome = await attempt(req, controller);
        if (outcome.kind === "success") {
          return ok({
            status: outcome.status,
            body: outcome.body,
            attempts,
            elapsedMs: Date.now() - started,
          });
        }
        if (abortKind !== undefined) return err(abortedError(abortKind, attempts));
        // A write is never sent twice: the first one may have been saved even without an answer.
        if (!outcome.retryable || req.write || attempts > maxRetries) {
          return err(outcome.make(attemptsSuffix(attempts), attempts));
        }
        const remaining = deadlineMs - (Date.now() - started);
        const wait = outcome.retryAfterMs ?? computeBackoffMs(attempts, backoffBaseMs, backoffCapMs, random);
        if (wait + retryMarginMs > remaining) {
          // Waiting would leave no room for another request: answer now (with Retry-After, if any).
          return err(outcome.make(attemptsSuffix(attempts), attempts));
        }
        await abortableSleep(wait, controller);
        if (abortKind !== undefined) return err(abortedError(abortKind, attempts));
      }
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
      active.delete(abort);
    }
  }

  function redactError(e: ToolError): ToolError {
    return { ...e, message: redact(e.message) };
  }

  async function request(
    req: UpstreamRequest,
    callOpts?: { signal?: AbortSignal },
  ): Promise<Result<UpstreamSuccess, ToolError>> {
    const started = Date.now();
    try {
      if (closed) return err(abortedError("closed", 0));
      if (callOpts?.signal?.aborted) return err(abortedError("cancelled", 0));
      let payload: string | undefined;
      if (req.method === "POST") {
        try {
          payload = JSON.stringify(req.body ?? {});
        } catch {
          payload = undefined;
        }
        if (payload === undefined) {
          return err(
            toolError("internal", "The request body could not be encoded as JSON (a bug in this server)."),
          );
        }
      }
      let query = "";
      if (req.query) {
        const search = new URLSearchParams();
        for (const [k, v] of Object.entries(req.query)) if (v !== undefined) search.set(k, String(v));
        query = search.toString();
      }
      const prepared: Prepared = {
        method: req.method,
        path: query === "" ? `${basePath}${req.path}` : `${basePath}${req.path}?${query}`,
        payload,
        write: req.write === true,
      };
      const result = await run(prepared, callOpts?.signal, started);
      return result.ok ? result : err(redactError(result.error));
    } catch {
      return err(
        toolError("internal", "The call to the Cekura API failed unexpectedly (a bug in this server)."),
      );
    }
  }

  const postPreviewData = (body: unknown, callOpts?: { signal?: AbortSignal }) =>
    request({ method: "POST", path: PREVIEW_PATH, body }, callOpts);

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    for (const abort of [...active]) abort("closed");
    try {
      await agent.destroy();
    } catch {
      // already destroyed
    }
  }

  return { postPreviewData, request, close };
}
