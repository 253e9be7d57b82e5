/**
 * The HTTP client for Cekura's `POST /dashboards/widgets/preview_data/`.
 *
 * One undici dispatcher per client (keep-alive, bounded pool, proxies from HTTPS_PROXY / HTTP_PROXY /
 * NO_PROXY; src/upstream/transport.ts), a response size cap. Every call has ONE
 * overall deadline that covers all attempts and backoff waits; the caller's AbortSignal cancels
 * the in-flight request and any backoff wait at once. Failures are returned as ToolError values
 * with complete, model-facing messages; nothing here throws or rejects, and no message ever
 * holds the API key (every message passes through a redactor as defence in depth).
 */
import type { Dispatcher } from "undici";
import { err, ok, type Result, type ToolError } from "../shared/errors.js";
import { createRedactor, type Redactor, secretForms } from "../shared/redact.js";
import {
  type AbortKind,
  type AttemptOutcome,
  abortedError,
  attemptsSuffix,
  badProxy,
  classifyError,
  type MessageContext,
  noHttpClient,
  notJson,
  redirected,
  statusOutcome,
  tooLarge,
  toolError,
} from "./messages.js";
import { abortableSleep, computeBackoffMs, parseRetryAfterMs } from "./retry.js";
import { Stop } from "./stop.js";
import { createDispatcher, exchange, firstHeader, proxySettings } from "./transport.js";

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
  /** Pool size of the single undici dispatcher, default 16. */
  connections?: number;
  /** Default "cekura-dashboards-mcp". */
  userAgent?: string;
  /** For tests of jitter; default Math.random. */
  random?: () => number;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY are read; default process.env. */
  env?: NodeJS.ProcessEnv;
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
  /** Closes the dispatcher; in-flight calls are aborted and answer `cancelled`. Idempotent. */
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
/** How much of a non-JSON 2xx body is read to be quoted (redacted first, then cut shorter). */
const NOT_JSON_READ_CHARS = 800;

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
  const proxy = proxySettings(opts.env ?? process.env);

  const redact: Redactor = createRedactor(secretForms(apiKey));
  const ctx: MessageContext = {
    origin,
    apiKeySent: apiKey !== undefined,
    maxBodyBytes,
    deadlineMs,
    proxied: url.protocol === "https:" && proxy.httpsProxy !== "",
  };

  // The dispatcher is made by the first request, so undici loads then and not at start-up. A proxy
  // URL undici cannot use fails every call with a config error (the URL, which may hold the
  // proxy's credentials, is never quoted), and so does an install without undici.js.
  let dispatcher: ReturnType<typeof createDispatcher> | undefined;
  const getDispatcher = () =>
    (dispatcher ??= createDispatcher(opts.connections ?? DEFAULT_CONNECTIONS, proxy));

  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
    "user-agent": opts.userAgent ?? DEFAULT_USER_AGENT,
  };
  if (apiKey !== undefined) headers["x-cekura-api-key"] = apiKey;
  const { "content-type": _json, ...getHeaders } = headers;

  // The aborts of the requests in flight (close() aborts them). An array, not a Set: a long-lived
  // Set reallocates its table in V8's old generation as entries come and go, two per call.
  const active: ((kind: AbortKind) => void)[] = [];
  let closed = false;

  /** Body bytes read for a status (the one size cap): all of a 2xx up to maxBodyBytes, a bounded
   * part of an error (enough for a DRF error, and to let the connection be reused), none of a 3xx. */
  const limitFor = (status: number, declaredLength: number): number => {
    if (status >= 200 && status < 300) return declaredLength > maxBodyBytes ? -1 : maxBodyBytes;
    if (status >= 300 && status < 400) return -1;
    return ERROR_BODY_READ_BYTES;
  };

  async function attempt(d: Dispatcher, req: Prepared, stop: Stop): Promise<AttemptOutcome> {
    const options: Dispatcher.DispatchOptions =
      req.payload === undefined
        ? { origin, path: req.path, method: req.method, headers: getHeaders }
        : { origin, path: req.path, method: req.method, headers, body: req.payload };
    const reply = await exchange(d, options, stop, limitFor);
    if (!reply.ok) return classifyError(ctx, reply.error);
    const { status, headers: resHeaders, buf, over } = reply.value;
    try {
      if (status >= 200 && status < 300) {
        if (over) return tooLarge(ctx);
        const text = buf.toString("utf8");
        try {
          return { kind: "success", status, body: JSON.parse(text) as unknown };
        } catch {
          return notJson(status, redact(text.slice(0, NOT_JSON_READ_CHARS)));
        }
      }
      if (status >= 300 && status < 400) return redirected(status, firstHeader(resHeaders, "location"), url);
      const retryAfterMs = parseRetryAfterMs(firstHeader(resHeaders, "retry-after"));
      // 5xx bodies are never shown (limitFor read a bounded part so the connection can be reused).
      const text = status >= 500 ? "" : redact(buf.toString("utf8"));
      return statusOutcome(ctx, status, text, retryAfterMs);
    } catch (e) {
      return classifyError(ctx, e);
    }
  }

  async function run(
    d: Dispatcher,
    req: Prepared,
    callerSignal: AbortSignal | undefined,
    started: number,
  ): Promise<Result<UpstreamSuccess, ToolError>> {
    // The request's own abort is a Stop, not an AbortController (src/upstream/stop.ts).
    const stop = new Stop();
    let abortKind: AbortKind | undefined;
    const abort = (kind: AbortKind): void => {
      if (abortKind !== undefined) return;
      abortKind = kind;
      stop.stop(new Error(kind === "deadline" ? "deadline exceeded" : `call ${kind}`));
    };
    const onCallerAbort = (): void => abort("cancelled");
    const timer = setTimeout(() => abort("deadline"), deadlineMs);
    callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    active.push(abort);
    try {
      let attempts = 0;
      for (;;) {
        attempts += 1;
        const outcome = await attempt(d, req, stop);
        if (outcome.kind === "success") {
          return ok({
            status: outcome.status,
            body: outcome.body,
            attempts,
            elapsedMs: Date.now() - started,
          });
        }
        if (abortKind !== undefined) return err(abortedError(ctx, abortKind, attempts));
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
        await abortableSleep(wait, stop);
        if (abortKind !== undefined) return err(abortedError(ctx, abortKind, attempts));
      }
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
      const i = active.indexOf(abort);
      if (i >= 0) {
        active[i] = active[active.length - 1] as (kind: AbortKind) => void;
        active.pop();
      }
    }
  }

  async function request(
    req: UpstreamRequest,
    callOpts?: { signal?: AbortSignal },
  ): Promise<Result<UpstreamSuccess, ToolError>> {
    const started = Date.now();
    try {
      if (closed) return err(abortedError(ctx, "closed", 0));
      const made = await getDispatcher();
      if (closed) return err(abortedError(ctx, "closed", 0));
      if (!made.ok) return err(made.error === "bad-proxy" ? badProxy() : noHttpClient());
      const d = made.value;
      if (callOpts?.signal?.aborted) return err(abortedError(ctx, "cancelled", 0));
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
      const result = await run(d, prepared, callOpts?.signal, started);
      return result.ok ? result : err({ ...result.error, message: redact(result.error.message) });
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
    for (const abort of active.slice()) abort("closed");
    try {
      const made = await dispatcher;
      if (made?.ok) await made.value.destroy();
    } catch {
      // already destroyed
    }
  }

  return { postPreviewData, request, close };
}
