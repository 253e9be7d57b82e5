/**
 * The upstream client's answers to the model: each failure (network error, HTTP status, deadline,
 * cancellation) as a complete ToolError message that says what happened and how to go on.
 */
import type { ErrorCategory, ToolError } from "../shared/errors.js";
import { isPlainObject } from "../shared/json.js";
import { fenced } from "./quote.js";
import { errorCode } from "./transport.js";

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

/** Everything an attempt can end with, before the attempt count is known. */
export type AttemptOutcome =
  | { kind: "success"; status: number; body: unknown }
  | {
      kind: "fail";
      retryable: boolean;
      /** From Retry-After, when the service sent one. */
      retryAfterMs?: number;
      /** Builds the final error; `after` is "" or " after N attempts". */
      make: (after: string, attempts: number) => ToolError;
    };

export type AbortKind = "deadline" | "cancelled" | "closed";

/** What the messages name: the origin, the limits, whether a key was sent or a proxy is set. */
export interface MessageContext {
  origin: string;
  apiKeySent: boolean;
  maxBodyBytes: number;
  deadlineMs: number;
  /** A proxy is configured for this origin (HTTPS_PROXY or HTTP_PROXY, https only). */
  proxied: boolean;
}

export function toolError(category: ErrorCategory, message: string, retryAfterSeconds?: number): ToolError {
  return retryAfterSeconds === undefined ? { category, message } : { category, message, retryAfterSeconds };
}

export function fail(
  retryable: boolean,
  make: (after: string, attempts: number) => ToolError,
  retryAfterMs?: number,
): AttemptOutcome {
  return retryAfterMs === undefined
    ? { kind: "fail", retryable, make }
    : { kind: "fail", retryable, make, retryAfterMs };
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

export function attemptsSuffix(attempts: number): string {
  return attempts > 1 ? ` after ${attempts} attempts` : "";
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

const PROXY_HINT =
  "The request went through the proxy set in HTTPS_PROXY (or HTTP_PROXY): check that it is up and lets " +
  "this host through, or list the host in NO_PROXY. A proxy that re-signs TLS needs its CA certificate " +
  "in NODE_EXTRA_CA_CERTS.";

/** A network error as an outcome; with a proxy, connection failures also name it. */
export function classifyError(ctx: MessageContext, e: unknown): AttemptOutcome {
  if (!ctx.proxied) return classifyCode(ctx.origin, errorCode(e) ?? "unknown error");
  // undici's words when the proxy answers CONNECT with anything but 200 (e.g. 407, 403).
  const refused = /^Proxy response \((\d{3})\)/.exec(e instanceof Error ? e.message : "");
  if (refused) {
    return fail(false, () =>
      toolError(
        "connection",
        `The proxy refused to open a tunnel to the Cekura API at ${ctx.origin} (HTTP ${refused[1]}). ${PROXY_HINT}`,
      ),
    );
  }
  const outcome = classifyCode(ctx.origin, errorCode(e) ?? "unknown error");
  if (outcome.kind !== "fail") return outcome;
  const make = outcome.make;
  return {
    ...outcome,
    make: (after, attempts) => {
      const made = make(after, attempts);
      return made.category === "connection" ? { ...made, message: `${made.message} ${PROXY_HINT}` } : made;
    },
  };
}

function classifyCode(origin: string, code: string): AttemptOutcome {
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

export function tooLarge(ctx: MessageContext): AttemptOutcome {
  return fail(false, () =>
    toolError(
      "too_large",
      `The Cekura API's answer is larger than the ${formatBytes(ctx.maxBodyBytes)} limit, so it was not read. ` +
        "Narrow the query: a shorter time window, more filters, or a bar chart (aggregated per time_period) " +
        "instead of a line chart (one point per call).",
    ),
  );
}

export function statusOutcome(
  ctx: MessageContext,
  status: number,
  text: string,
  retryAfterMs: number | undefined,
): AttemptOutcome {
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
      detail === undefined ? "" : ` Its reply, quoted as data:\n${fenced(detail, SHORT_DETAIL_MAX_CHARS)}\n`;
    const lead =
      status === 401
        ? "The Cekura API did not accept the API key (HTTP 401)."
        : "The Cekura API refused access with this API key (HTTP 403); the key may not have access to this data.";
    const fix = !ctx.apiKeySent
      ? "No API key was sent: set CEKURA_API_KEY in the MCP server's env block of your client config."
      : "Check CEKURA_API_KEY (set it in the MCP server's env block of your client config).";
    return fail(false, () => toolError("auth", `${lead}${quoted}${quoted === "" ? " " : ""}${fix}`));
  }
  if (status === 404) {
    const detail = drfDetail(text);
    const quoted =
      detail === undefined ? "" : ` Its reply, quoted as data:\n${fenced(detail, SHORT_DETAIL_MAX_CHARS)}\n`;
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

export function abortedError(ctx: MessageContext, kind: AbortKind, attempts: number): ToolError {
  if (kind === "deadline") {
    return toolError(
      "timeout",
      `The Cekura API did not answer within ${formatSeconds(ctx.deadlineMs)} s${attemptsSuffix(attempts)}. Narrow the query ` +
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

/** A 2xx whose body is not JSON; `text` is already redacted. */
export function notJson(status: number, text: string): AttemptOutcome {
  const shown =
    text.trim() === ""
      ? " Its body was empty."
      : ` Its start, quoted as data:\n${fenced(text, NOT_JSON_SHOWN_CHARS)}\n`;
  return fail(false, () =>
    toolError(
      "bad_response",
      `The Cekura API answered HTTP ${status} but not with JSON.${shown}${shown.endsWith("\n") ? "" : " "}` +
        "Check that CEKURA_BASE_URL points at the Cekura API (not a web page or a proxy), or retry later.",
    ),
  );
}

/** A 3xx: never followed, so the key never goes to another host. */
export function redirected(status: number, location: string | undefined, base: URL): AttemptOutcome {
  let host: string | undefined;
  if (location !== undefined) {
    try {
      host = new URL(location, base).host;
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

/** The client could not be set up: the proxy named in the environment is not a usable URL. */
export function badProxy(): ToolError {
  return toolError(
    "config",
    "The proxy in HTTPS_PROXY (or HTTP_PROXY) is not a usable URL (it should look like " +
      "http://proxy.example.com:8080). Fix or unset it in the MCP server's env block, then restart the server. " +
      "Retrying the call will not help.",
  );
}

/** undici (dist/undici.js, beside the bundle) could not be loaded: the installation is incomplete. */
export function noHttpClient(): ToolError {
  return toolError(
    "config",
    "This server's HTTP client could not be loaded: its file undici.js, which sits beside server.js, is missing or unreadable, so the installation is incomplete. " +
      "Reinstall the package (or the .mcpb bundle), then restart the server. Retrying the call will not help.",
  );
}
