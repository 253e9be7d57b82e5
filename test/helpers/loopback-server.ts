/**
 * A real HTTP server on 127.0.0.1 (random port) for tests that must not touch any other address.
 *
 *   const server = await startLoopbackServer((req, res, info) => {
 *     res.writeHead(200, { "content-type": "application/json" }).end("{}");
 *   });
 *   // ... point the code under test at server.origin ...
 *   expect(server.requests).toHaveLength(1);
 *   await server.close();
 *
 * Every request is recorded (method, url, headers, full body as text) BEFORE the handler runs;
 * the handler gets the body too. `socketClosed` resolves when that request's socket closes,
 * which lets a test assert that a client really hung up. A handler that throws answers 500 (or
 * drops the socket when headers were already sent). `close()` destroys all open sockets, so a
 * handler that never answers cannot hang the test run.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface RecordedRequest {
  /** 0-based arrival order. */
  index: number;
  method: string;
  /** Path and query as sent, e.g. "/dashboards/widgets/preview_data/". */
  url: string;
  headers: IncomingHttpHeaders;
  /** The request body decoded as UTF-8. */
  body: string;
  /** Resolves when the socket that carried this request closes. */
  socketClosed: Promise<void>;
  /** True once that socket has closed. */
  readonly isSocketClosed: boolean;
}

export interface HandlerInfo {
  index: number;
  body: string;
  record: RecordedRequest;
}

export type LoopbackHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  info: HandlerInfo,
) => void | Promise<void>;

export interface LoopbackServer {
  /** "http://127.0.0.1:<port>" */
  origin: string;
  port: number;
  /** Requests in arrival order. */
  requests: RecordedRequest[];
  /** Number of TCP connections accepted so far. */
  readonly connectionCount: number;
  /** Replaces the handler (e.g. per test while sharing one server). */
  setHandler(handler: LoopbackHandler): void;
  /** Resolves once at least `n` requests have arrived (rejects after `timeoutMs`, default 5 s). */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Destroys open sockets and stops listening. Idempotent. */
  close(): Promise<void>;
}

export async function startLoopbackServer(
  handler: LoopbackHandler,
  opts: { /** Default 0 (a free port). */ port?: number } = {},
): Promise<LoopbackServer> {
  let current = handler;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const socketClosed = new WeakMap<Socket, { promise: Promise<void>; closed: boolean }>();
  const waiters: { n: number; resolve: () => void }[] = [];
  let connectionCount = 0;
  let closing: Promise<void> | undefined;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", () => {});
    req.on("end", () => {
      const sockState = socketClosed.get(req.socket) ?? { promise: Promise.resolve(), closed: true };
      const record: RecordedRequest = {
        index: requests.length,
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        socketClosed: sockState.promise,
        get isSocketClosed() {
          return sockState.closed;
        },
      };
      requests.push(record);
      for (const w of [...waiters]) {
        if (requests.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      const fail = (): void => {
        if (res.headersSent) res.destroy();
        else res.writeHead(500, { "content-type": "text/plain" }).end("loopback handler failed");
      };
      try {
        Promise.resolve(current(req, res, { index: record.index, body: record.body, record })).catch(fail);
      } catch {
        fail();
      }
    });
  });

  server.on("connection", (socket: Socket) => {
    connectionCount += 1;
    sockets.add(socket);
    const state = { promise: Promise.resolve(), closed: false };
    state.promise = new Promise<void>((resolve) => {
      socket.once("close", () => {
        state.closed = true;
        sockets.delete(socket);
        resolve();
      });
    });
    socketClosed.set(socket, state);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connectionCount() {
      return connectionCount;
    },
    setHandler(h) {
      current = h;
    },
    waitForRequests(n, timeoutMs = 5000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`loopback server: ${requests.length} of ${n} requests after ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        waiters.push(waiter);
      });
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/** A port on 127.0.0.1 that was just listened on and closed: connecting to it is refused. */
export async function getClosedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
