/**
 * A Cekura-compatible upstream on 127.0.0.1 that misbehaves on purpose, for the hardening suite.
 *
 *   const up = await startFaultServer();
 *   up.route("reset", faults.resetMidBody());          // requests whose body has name "reset"
 *   up.route("flaky", [faults.status(503), faults.ok()]); // 1st request 503, then ok (last repeats)
 *   // point CEKURA_BASE_URL at up.origin; a call with arguments {name: "reset", ...} meets the fault
 *
 * Behaviour is chosen per request by the `name` field of the JSON body (the tool forwards the
 * widget `name` unchanged), so one spawned server and one fault server serve many tests, even
 * concurrently. A name without a route gets `faults.ok()`: a valid answer for the chart type
 * asked, with the name echoed in the data, so every answer can be matched to its request.
 *
 * Built on the loopback server (every request recorded before its handler runs). On top of it:
 * arrival and socket-close times (performance.now(), same clock as the test), per-name request
 * lists, and `closedAt(record)` to measure how fast a client hung up.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import {
  type HandlerInfo,
  type LoopbackServer,
  type RecordedRequest,
  startLoopbackServer,
} from "./loopback-server.js";

export type Fault = (req: IncomingMessage, res: ServerResponse, info: HandlerInfo & { query: Query }) => void;

/** The parsed request body (whatever the tool sent). */
export type Query = Record<string, unknown>;

/** A JSON body, or a function of the request that makes one. */
export type JsonBody =
  | ((query: Query, req: IncomingMessage) => unknown)
  | Record<string, unknown>
  | unknown[]
  | string
  | number
  | boolean
  | null;

export interface FaultRequest {
  record: RecordedRequest;
  name: string | undefined;
  query: Query;
  /** performance.now() when the whole request had arrived. */
  arrivedAt: number;
  /** performance.now() when its socket closed; undefined while open. */
  closedAt: number | undefined;
  /** performance.now() when the response was finished (res 'finish'); undefined otherwise. */
  answeredAt: number | undefined;
}

export interface FaultServer {
  origin: string;
  port: number;
  /** Every request, in arrival order. */
  requests: FaultRequest[];
  readonly connectionCount: number;
  /** Sets the behaviour for requests named `name`; a list is played in order, its last item repeating. */
  route(name: string, fault: Fault | Fault[]): void;
  /** Requests that carried `name`. */
  named(name: string): FaultRequest[];
  /** Resolves with the n-th (1-based) request named `name` once it has arrived. */
  waitFor(name: string, n?: number, timeoutMs?: number): Promise<FaultRequest>;
  /** Resolves with the time the socket of `r` closed (performance.now()). */
  socketClosed(r: FaultRequest, timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

const HTML = (status: number) =>
  `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>Error ${status}</h1><p>nginx</p></body></html>`;

function parse(body: string): Query {
  try {
    const v: unknown = JSON.parse(body);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Query) : {};
  } catch {
    return {};
  }
}

/** Data of the documented shape for `chart`, with `name` echoed where a label or key can carry it. */
export function dataFor(query: Query): unknown {
  const name = typeof query.name === "string" ? query.name : "unnamed";
  switch (query.chart_type) {
    case "stat":
      return { total_calls: 12, success_rate: 0.75, avg_duration: 61.5, p95_latency: null };
    case "line":
      return [
        { id: 1, timestamp: "2026-01-01T00:00:00Z", value: 10 },
        { id: 2, timestamp: "2026-01-01T01:00:00Z", value: 20 },
      ];
    case "bar":
      return [{ time_interval: "2026-01-01T00:00:00Z", value: 3, sample_count: 4 }];
    default:
      return [
        { label: name, value: 3, percentage: 75 },
        { label: "other", value: 1, percentage: 25 },
      ];
  }
}

/** A full preview_data answer for the query. */
export function answerFor(query: Query, data: unknown = dataFor(query)): Record<string, unknown> {
  return {
    widget_id: null,
    field_name: typeof query.field === "string" ? query.field : "",
    chart_type: query.chart_type,
    data,
    aggregation_function: query.aggregation_function ?? null,
    time_period: query.time_period ?? null,
    group_by: null,
    can_group_by: false,
    metadata: { display_name: "test", data_type: "string", filter_value: null },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

export const faults = {
  /** 200 with a valid answer for the chart asked (the name echoed in pie labels). */
  ok: (delayMs = 0): Fault => {
    return (_req, res, { query }) => {
      const go = () => {
        if (!res.destroyed) sendJson(res, 200, answerFor(query));
      };
      if (delayMs > 0) setTimeout(go, delayMs);
      else go();
    };
  },
  /** 200 with `data` replaced, or the whole body given. */
  json:
    (status: number, body: JsonBody, headers?: Record<string, string>): Fault =>
    (req, res, { query }) => {
      sendJson(res, status, typeof body === "function" ? body(query, req) : body, headers);
    },
  /** Any status with an HTML body (what a proxy or load balancer answers). */
  html:
    (status: number, headers: Record<string, string> = {}, delayMs = 0): Fault =>
    (_req, res) => {
      const go = () => {
        if (res.destroyed) return;
        const text = HTML(status);
        res.writeHead(status, {
          "content-type": "text/html",
          "content-length": String(Buffer.byteLength(text)),
          ...headers,
        });
        res.end(text);
      };
      if (delayMs > 0) setTimeout(go, delayMs);
      else go();
    },
  /** Raw text with a status and content type. */
  text:
    (status: number, text: string, contentType = "text/plain", headers: Record<string, string> = {}): Fault =>
    (_req, res) => {
      res.writeHead(status, {
        "content-type": contentType,
        "content-length": String(Buffer.byteLength(text)),
        ...headers,
      });
      res.end(text);
    },
  /** Headers and part of the body, then the socket is reset. */
  resetMidBody: (): Fault => (_req, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
    res.write('{"widget_id":null,"data":[{"label":"a","value":1,"percentage":100},');
    setTimeout(() => res.socket?.resetAndDestroy(), 20);
  },
  /** Never answers (headers never sent). */
  hang: (): Fault => () => {},
  /** Headers at once, then one byte every `everyMs` (never finishing). */
  trickle:
    (everyMs = 200): Fault =>
    (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("{");
      const timer = setInterval(() => {
        if (res.destroyed || res.writableEnded) clearInterval(timer);
        else res.write(" ");
      }, everyMs);
      res.on("close", () => clearInterval(timer));
    },
  /** A body of `bytes` bytes (JSON-ish), with or without content-length. */
  huge:
    (bytes: number, withLength: boolean): Fault =>
    (_req, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        ...(withLength ? { "content-length": String(bytes) } : {}),
      });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < bytes && !res.destroyed) {
          const n = Math.min(chunk.length, bytes - sent);
          sent += n;
          if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
            res.once("drain", pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      res.on("error", () => {});
      pump();
    },
  redirect:
    (status: number, location: string): Fault =>
    (_req, res) => {
      res.writeHead(status, { location, "content-length": "0" });
      res.end();
    },
  /** Waits, then behaves like `then`. */
  after:
    (ms: number, then: Fault): Fault =>
    (req, res, info) => {
      const t = setTimeout(() => {
        if (!res.destroyed) then(req, res, info);
      }, ms);
      res.on("close", () => clearTimeout(t));
    },
};

export async function startFaultServer(opts: { port?: number } = {}): Promise<FaultServer> {
  const routes = new Map<string, { list: Fault[]; next: number }>();
  const requests: FaultRequest[] = [];
  const waiters: { name: string; n: number; resolve: (r: FaultRequest) => void }[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse, info: HandlerInfo): void => {
    const query = parse(info.body);
    const name = typeof query.name === "string" ? query.name : undefined;
    const entry: FaultRequest = {
      record: info.record,
      name,
      query,
      arrivedAt: performance.now(),
      closedAt: undefined,
      answeredAt: undefined,
    };
    requests.push(entry);
    void info.record.socketClosed.then(() => {
      entry.closedAt ??= performance.now();
    });
    res.once("finish", () => {
      entry.answeredAt = performance.now();
    });
    res.on("error", () => {});
    for (const w of [...waiters]) {
      if (w.name === name && requests.filter((r) => r.name === name).length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(requests.filter((r) => r.name === name)[w.n - 1]!);
      }
    }
    const route = name === undefined ? undefined : routes.get(name);
    let fault: Fault = faults.ok();
    if (route) {
      fault = route.list[Math.min(route.next, route.list.length - 1)]!;
      route.next += 1;
    }
    fault(req, res, { ...info, query });
  };

  const server: LoopbackServer = await startLoopbackServer(handle, opts);

  return {
    origin: server.origin,
    port: server.port,
    requests,
    get connectionCount() {
      return server.connectionCount;
    },
    route(name, fault) {
      routes.set(name, { list: Array.isArray(fault) ? fault : [fault], next: 0 });
    },
    named: (name) => requests.filter((r) => r.name === name),
    waitFor(name, n = 1, timeoutMs = 10_000) {
      const have = requests.filter((r) => r.name === name);
      if (have.length >= n) return Promise.resolve(have[n - 1]!);
      return new Promise((resolve, reject) => {
        const waiter = {
          name,
          n,
          resolve: (r: FaultRequest) => {
            clearTimeout(timer);
            resolve(r);
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`fault server: request ${n} named ${name} did not arrive within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    async socketClosed(r, timeoutMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("fault server: socket did not close")), timeoutMs);
      });
      try {
        await Promise.race([r.record.socketClosed, timeout]);
      } finally {
        clearTimeout(timer);
      }
      return r.closedAt ?? performance.now();
    },
    close: () => server.close(),
  };
}
