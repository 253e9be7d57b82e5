/**
 * The HTTP transport of the upstream client: one undici dispatcher (keep-alive pool, proxies from
 * the environment) and one request/response exchange with a size cap and an abort.
 * undici through its public entry point only, imported when the first dispatcher is made: the
 * build keeps it in its own file (dist/undici.js, scripts/build.mjs), so start-up never reads it.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { Dispatcher } from "undici";
import { err, ok, type Result } from "../shared/errors.js";
import type { Stop } from "./stop.js";

/** The proxy settings read from the environment, as curl and undici name them. */
export interface ProxySettings {
  /** The proxy for https origins: HTTPS_PROXY, else HTTP_PROXY (lower-case names first); "" for none. */
  httpsProxy: string;
  /** NO_PROXY: hosts (and subdomains, optional :port) reached directly; "*" for all. */
  noProxy: string;
}

const envValue = (env: NodeJS.ProcessEnv, name: string): string => env[name.toLowerCase()] || env[name] || "";

/**
 * Proxies for https origins only. A plain-http base URL is allowed only to loopback hosts
 * (src/cli/config.ts) and is always reached directly: through a proxy, a plain-http request's
 * bytes (API key header and all) pass the proxy in the clear, tunnel or not, and a loopback
 * address means this machine anyway.
 */
export function proxySettings(env: NodeJS.ProcessEnv): ProxySettings {
  return {
    httpsProxy: envValue(env, "HTTPS_PROXY") || envValue(env, "HTTP_PROXY"),
    noProxy: envValue(env, "NO_PROXY"),
  };
}

/**
 * The client's one dispatcher. For https origins it tunnels through the proxy (CONNECT): the
 * proxy sees the host and port, never the request, whose TLS session is with the origin. Never
 * rejects: "no-undici" when undici cannot be loaded (an incomplete install), "bad-proxy" when it
 * cannot use the proxy URL.
 */
export async function createDispatcher(
  connections: number,
  proxy: ProxySettings,
): Promise<Result<Dispatcher, "no-undici" | "bad-proxy">> {
  let undici: typeof import("undici");
  try {
    undici = await import("undici");
  } catch {
    return err("no-undici");
  }
  try {
    return ok(
      new undici.EnvHttpProxyAgent({
        connections,
        // Our own deadline governs (the call aborts the request), so undici's timeouts are off.
        headersTimeout: 0,
        bodyTimeout: 0,
        httpProxy: "",
        httpsProxy: proxy.httpsProxy,
        noProxy: proxy.noProxy,
      }),
    );
  } catch {
    return err("bad-proxy");
  }
}

export function firstHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (Array.isArray(v)) return v[0];
  return v;
}

/** The error code of a network error, looking into `cause` and AggregateError's `errors`. */
export function errorCode(e: unknown): string | undefined {
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

/** What one HTTP exchange gave: a status, headers and the body (up to a limit), or an error. */
export type Exchange = Result<
  { status: number; headers: IncomingHttpHeaders; buf: Buffer; over: boolean },
  unknown
>;

/**
 * One request through the dispatcher, its body collected up to a limit that depends on the
 * status (`limitFor`, -1: none of it); `over` when the service declared or sent more, and the
 * request is then aborted (which closes that connection). A body read to its end leaves the
 * connection in the keep-alive pool. A stop of `stop` settles the exchange at once, even while
 * the request still waits for a connection. The promise never rejects.
 * A dispatch() handler rather than request(): the size cap applies as the chunks arrive, and an
 * abort settles at once (request() waits until the request reaches a connection).
 */
export function exchange(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  stop: Stop,
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
      forget();
      resolve(result);
    };
    const stopOver = (): void => {
      settle(ok({ status, headers, buf: Buffer.concat(chunks, size), over: true }));
      controller?.abort(new Error("response body over its limit"));
    };
    const onStop = (reason: Error): void => {
      // Before the request is written there is no controller yet: onRequestStart aborts it.
      settle(err(reason));
      controller?.abort(reason);
    };
    let forget = (): void => {};
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (stop.reason !== undefined) c.abort(stop.reason);
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
    forget = stop.onStop(onStop);
    if (settled) return;
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      settle(err(error));
    }
  });
}
