/**
 * The embedded backend over HTTP: `POST /dashboards/widgets/preview_data/` on 127.0.0.1 at an
 * ephemeral port, speaking the Cekura contract (docs/cekura-api.md §1 and §3) with Django REST
 * Framework-style error bodies, so the upstream client talks to it exactly as to the service;
 * given a DashboardService, also the dashboard routes (src/embedded/dashboards.ts), GET or POST.
 * The MCP server does not use it (demo and data modes call the engine in process,
 * src/embedded/in-process.ts); end-to-end tests and the bench use it as a realistic Cekura, so it
 * checks each request itself, as Cekura would, before the engine computes the answer.
 *
 * Order of checks (as DRF: routing, then authentication, then the method, then the body):
 * 404 path → 401/403 key → 405 method → 415 media type → 413 size → 400 JSON → 400 validation
 * (the same validateWidgetQuery the MCP tool uses) → 400 demo window rules → engine → 200.
 * Nothing is written to stdout: it belongs to JSON-RPC.
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { err, ok, type Result } from "../shared/errors.js";
import { isPlainObject } from "../shared/json.js";
import type { DashboardService } from "./dashboards.js";
import { answerPreview, type EmbeddedReply } from "./preview.js";
import type { CallStore } from "./store.js";

export { issuesToDrf, MISSING_START_DETAIL, TOO_FAR_IN_PAST_DETAIL } from "./preview.js";

export interface EmbeddedListenerOptions {
  store: CallStore;
  /** When set, requests must carry it in X-CEKURA-API-KEY. */
  apiKey?: string;
  /** demo: the upstream limits apply (a window start is required, at most 30 days back); data: none. */
  mode: "demo" | "data";
  /** The clock (epoch ms) for relative datetimes; one reading per request. Default Date.now. */
  now?: () => number;
  host?: "127.0.0.1";
  /** The dashboard routes (src/embedded/dashboards.ts); without it, only the preview path exists. */
  dashboards?: DashboardService;
  /** Told about unexpected exceptions (answered 500). */
  onError?: (error: unknown) => void;
  /** Told about every request before it is answered (for tests). The headers hold the key as sent. */
  onRequest?: (request: ObservedRequest) => void;
}

export interface ObservedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text; "" when it was not read (answered before the body). */
  body: string;
}

export interface EmbeddedListener {
  /** http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** Stops listening and closes idle and active connections. Idempotent. */
  close(): Promise<void>;
}

export const PREVIEW_DATA_PATH = "/dashboards/widgets/preview_data/";
export const MAX_BODY_BYTES = 1024 * 1024;

/** The listener's rules where upstream is silent, for the documentation (engine rules: ENGINE_ASSUMPTIONS). */
export const LISTENER_ASSUMPTIONS: readonly string[] = [
  "Checks run in DRF's order: 404 for a path that is neither the preview nor a dashboard route (the trailing slash is required), then the key (401 missing or empty, 403 wrong; constant-time), then 405 for a method the path does not take (the preview takes POST only; OPTIONS and HEAD never), then, for a POST, 415 unless the media type is application/json (upstream also takes form bodies), then 413 over 1 MiB, then 400 for invalid JSON or UTF-8.",
  "An empty body is {} (so the answer names the missing chart_type); a JSON value that is not an object is 400 {non_field_errors: [...]}.",
  "A `metadata` key in the body (front-end layout data) is accepted and ignored; any other unknown key is refused by validateWidgetQuery, where upstream would ignore it.",
  'Validation issues become {"<top-level argument>": ["<path>: <message> <fix>"]}; the path prefix is left out when it is the argument itself.',
  'demo mode: no gt/gte timestamp condition (in filters or dashboard_filters) is 400 {detail} and a start before 00:00 UTC today minus 30 days is 400 {detail: "Timestamp filter value is too far in the past. Maximum allowed range is 30 days."}; data mode has neither rule and no default window.',
  'Unexpected exceptions answer 500 {detail: "Internal error"}; an answer given before the whole body was read closes the connection unless the body\'s declared length is within the cap (node drains it and keeps the connection alive).',
];

/** A JSON body: a DRF error, a computed answer or a dashboard route's reply. */
type Body = unknown;

class HttpAnswer {
  constructor(
    readonly status: number,
    readonly body: Body,
    readonly headers: Record<string, string> = {},
  ) {}
}

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/** Constant-time key check: both sides are hashed to equal-length digests first. */
function keyMatches(expected: Buffer, given: string): boolean {
  return timingSafeEqual(expected, digest(given));
}

function send(res: ServerResponse, answer: HttpAnswer, closeAfter: boolean): void {
  const text = JSON.stringify(answer.body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...answer.headers,
  };
  if (closeAfter) headers.connection = "close";
  res.writeHead(answer.status, headers).end(text);
}

const tooLarge = () =>
  new HttpAnswer(413, { detail: `Request body too large: the limit is ${MAX_BODY_BYTES} bytes (1 MiB).` });

/** Reads the body up to the cap; the 413 answer beyond it. Rejects only on a socket error. */
function readBody(req: IncomingMessage): Promise<Result<Buffer, HttpAnswer>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        req.pause();
        resolve(err(tooLarge()));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (done) return;
      done = true;
      resolve(ok(Buffer.concat(chunks, size)));
    });
    req.on("error", (e) => {
      if (done) return;
      done = true;
      reject(e);
    });
  });
}

const describeType = (v: unknown): string =>
  Array.isArray(v)
    ? "list"
    : v === null
      ? "null"
      : typeof v === "string"
        ? "str"
        : typeof v === "number"
          ? Number.isInteger(v)
            ? "int"
            : "float"
          : typeof v === "boolean"
            ? "bool"
            : typeof v;

export function startEmbeddedListener(opts: EmbeddedListenerOptions): Promise<EmbeddedListener> {
  const host = opts.host ?? "127.0.0.1";
  const clock = opts.now ?? Date.now;
  const expectedKey = opts.apiKey !== undefined ? digest(opts.apiKey) : undefined;
  const demo = opts.mode === "demo";

  const reply = (r: EmbeddedReply) => new HttpAnswer(r.status, r.body, r.headers);

  async function answer(req: IncomingMessage, seen: ObservedRequest): Promise<HttpAnswer> {
    const [path = "", search = ""] = (req.url ?? "").split("?", 2);
    const methods = path === PREVIEW_DATA_PATH ? (["POST"] as const) : opts.dashboards?.allowed(path);
    if (methods === undefined) return new HttpAnswer(404, { detail: "Not found." });

    if (expectedKey) {
      const given = req.headers["x-cekura-api-key"];
      const key = Array.isArray(given) ? given[0] : given;
      if (key === undefined || key === "") {
        return new HttpAnswer(
          401,
          { detail: "Authentication credentials were not provided." },
          { "www-authenticate": "X-CEKURA-API-KEY" },
        );
      }
      if (!keyMatches(expectedKey, key)) return new HttpAnswer(403, { detail: "Invalid API key." });
    }

    const method = methods.find((m) => m === req.method);
    if (method === undefined) {
      return new HttpAnswer(
        405,
        { detail: `Method "${req.method ?? ""}" not allowed.` },
        { allow: methods.join(", ") },
      );
    }
    const now = clock();
    if (method === "GET") {
      return reply(
        opts.dashboards!.handle({ method, path, query: new URLSearchParams(search), body: {}, now }),
      );
    }

    const contentType = req.headers["content-type"] ?? "";
    const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
    if (mediaType !== "application/json") {
      return new HttpAnswer(415, { detail: `Unsupported media type "${contentType}" in request.` });
    }
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge();

    const read = await readBody(req);
    if (!read.ok) return read.error;
    const raw = read.value;
    if (opts.onRequest) seen.body = raw.toString("utf8");
    let body: unknown = {};
    if (raw.length > 0) {
      try {
        body = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
      } catch (e) {
        return new HttpAnswer(400, { detail: `JSON parse error - ${(e as Error).message}` });
      }
    }
    if (!isPlainObject(body)) {
      return new HttpAnswer(400, {
        non_field_errors: [`Invalid data. Expected a dictionary, but got ${describeType(body)}.`],
      });
    }
    if (path !== PREVIEW_DATA_PATH) {
      return reply(opts.dashboards!.handle({ method, path, query: new URLSearchParams(search), body, now }));
    }
    // A preview that names a dashboard gets its filters ANDed in (docs/cekura-api.md §1).
    const scoped = opts.dashboards ? opts.dashboards.scopePreview(body) : { ok: true as const, body };
    if (!scoped.ok) return reply(scoped.reply);
    return reply(answerPreview(opts.store, scoped.body, now, demo));
  }

  const server = createServer((req, res) => {
    req.on("error", () => {}); // a client that hangs up mid-body is not an error of ours
    // An unread body within the cap is drained by node after the answer (the connection stays
    // alive); one of unknown or excessive length closes the connection instead.
    const closeAfter = () => {
      if (req.complete) return false;
      const declared = Number(req.headers["content-length"] ?? Number.NaN);
      return !(Number.isFinite(declared) && declared <= MAX_BODY_BYTES) || req.isPaused();
    };
    const seen: ObservedRequest = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: "",
    };
    const observe = () => {
      try {
        opts.onRequest?.(seen);
      } catch (e) {
        opts.onError?.(e);
      }
    };
    answer(req, seen).then(
      (a) => {
        observe();
        send(res, a, closeAfter());
      },
      (e: unknown) => {
        observe();
        opts.onError?.(e);
        if (res.headersSent) res.destroy();
        else send(res, new HttpAnswer(500, { detail: "Internal error" }), closeAfter());
      },
    );
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      server.off("error", reject);
      const { port } = server.address() as AddressInfo;
      let closing: Promise<void> | undefined;
      resolve({
        url: `http://${host}:${port}`,
        close() {
          closing ??= new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          });
          return closing;
        },
      });
    });
  });
}
