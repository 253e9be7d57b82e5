/**
 * Corporate networks, end to end: the built server behind a CONNECT proxy (HTTPS_PROXY,
 * HTTP_PROXY, NO_PROXY), the upstream an https server with a self-signed certificate that the
 * server trusts through NODE_EXTRA_CA_CERTS. Everything on 127.0.0.1. The proxy records what it
 * is asked and every byte it carries, so the test can check that the key never crossed it in clear.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CANARY_KEY, spawnServer, textOf } from "./helpers.js";

const HAS_OPENSSL = spawnSync("openssl", ["version"]).status === 0;

const QUERY = { chart_type: "bar", field: "success", aggregation_function: "avg", time_period: "day" };
const REPLY = JSON.stringify({
  chart_type: "bar",
  data: [
    {
      time_interval: new Date(Date.now() - 86_400_000).toISOString().slice(0, 10).concat("T00:00:00Z"),
      value: 42,
      sample_count: 3,
    },
  ],
});

interface Upstream {
  server: Server;
  port: number;
  /** The API key header of each request the upstream received. */
  keys: (string | undefined)[];
}

interface Proxy {
  server: Server;
  port: number;
  /** The targets of CONNECT requests (host:port). */
  connects: string[];
  /** Requests in absolute form (plain-http proxying), by URL. */
  forwarded: string[];
  /** Every byte the proxy saw from its clients: request heads and tunnelled data. */
  seen: () => string;
  /** Answer CONNECT with this status instead of opening the tunnel. */
  refuse?: number;
}

let dir = "";
let certFile = "";
let upstream: Upstream;
let plainUpstream: Upstream;
let proxy: Proxy;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

function answer(keys: (string | undefined)[]) {
  return (req: IncomingMessage, res: import("node:http").ServerResponse) => {
    const key = req.headers["x-cekura-api-key"];
    keys.push(Array.isArray(key) ? key[0] : key);
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end(REPLY));
  };
}

async function startProxy(): Promise<Proxy> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer();
  const p: Proxy = {
    server,
    port: 0,
    connects: [],
    forwarded: [],
    seen: () => Buffer.concat(chunks).toString("latin1"),
  };
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  // A plain-http request through the proxy (absolute form) is recorded and refused.
  server.on("request", (req: IncomingMessage, res) => {
    p.forwarded.push(req.url ?? "");
    chunks.push(Buffer.from(JSON.stringify(req.headers)));
    req.on("data", (c: Buffer) => chunks.push(c));
    res.writeHead(502).end();
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    p.connects.push(req.url ?? "");
    chunks.push(Buffer.from(JSON.stringify(req.headers)), head);
    if (p.refuse !== undefined) {
      client.end(`HTTP/1.1 ${p.refuse} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = (req.url ?? "").split(":");
    if (host !== "127.0.0.1") {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const target = connect(Number(port), host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      target.write(head);
      client.on("data", (c: Buffer) => chunks.push(c));
      client.pipe(target);
      target.pipe(client);
    });
    sockets.add(target);
    target.on("close", () => sockets.delete(target));
    target.on("error", () => client.destroy());
    client.on("error", () => target.destroy());
  });
  p.port = await listen(server);
  const close = server.close.bind(server);
  server.close = ((cb?: (e?: Error) => void) => {
    for (const s of sockets) s.destroy();
    return close(cb);
  }) as typeof server.close;
  return p;
}

/** A call may make more than one request (e.g. a coverage query): each went where it should. */
function expectEach<T>(list: T[], value: T): void {
  expect(list.length).toBeGreaterThan(0);
  for (const x of list) expect(x).toEqual(value);
}

function reset(): void {
  proxy.connects.length = 0;
  proxy.forwarded.length = 0;
  proxy.refuse = undefined;
  upstream.keys.length = 0;
  plainUpstream.keys.length = 0;
}

async function callThrough(env: Record<string, string>): Promise<{ result: CallToolResult; stderr: string }> {
  const server = await spawnServer({ env: { CEKURA_API_KEY: CANARY_KEY, ...env } });
  try {
    const result = (await server.client.callTool({
      name: "preview_widget_data",
      arguments: QUERY,
    })) as CallToolResult;
    return { result, stderr: server.stderr() };
  } finally {
    await server.close();
  }
}

describe.skipIf(!HAS_OPENSSL)("the built server behind a proxy (openssl makes the test certificate)", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cdm-proxy-"));
    certFile = join(dir, "cert.pem");
    const keyFile = join(dir, "key.pem");
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        keyFile,
        "-out",
        certFile,
        "-days",
        "1",
      ].concat(["-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"]),
      { stdio: "ignore" },
    );
    const keys: (string | undefined)[] = [];
    const https = createHttpsServer(
      { key: readFileSync(keyFile), cert: readFileSync(certFile) },
      answer(keys),
    );
    upstream = { server: https as unknown as Server, port: await listen(https as unknown as Server), keys };
    const plainKeys: (string | undefined)[] = [];
    const plain = createHttpServer(answer(plainKeys));
    plainUpstream = { server: plain, port: await listen(plain), keys: plainKeys };
    proxy = await startProxy();
  });

  afterAll(async () => {
    for (const s of [upstream?.server, plainUpstream?.server, proxy?.server]) {
      s?.closeAllConnections?.();
      await new Promise((r) => (s ? s.close(() => r(undefined)) : r(undefined)));
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("HTTPS_PROXY: tunnels to the https origin with CONNECT; the key crosses the proxy only encrypted", async () => {
    reset();
    const { result, stderr } = await callThrough({
      CEKURA_BASE_URL: `https://127.0.0.1:${upstream.port}`,
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
      NODE_EXTRA_CA_CERTS: certFile,
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expectEach(proxy.connects, `127.0.0.1:${upstream.port}`);
    expectEach(upstream.keys, CANARY_KEY);
    expect(proxy.seen().length).toBeGreaterThan(500);
    expect(proxy.seen()).not.toContain(CANARY_KEY);
    expect(proxy.seen()).not.toContain("preview_data");
    expect(stderr).not.toContain(CANARY_KEY);
  });

  it("HTTP_PROXY alone serves https origins too (the same tunnel)", async () => {
    reset();
    const { result } = await callThrough({
      CEKURA_BASE_URL: `https://127.0.0.1:${upstream.port}`,
      HTTP_PROXY: `http://127.0.0.1:${proxy.port}`,
      NODE_EXTRA_CA_CERTS: certFile,
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expectEach(proxy.connects, `127.0.0.1:${upstream.port}`);
    expect(proxy.seen()).not.toContain(CANARY_KEY);
  });

  it("NO_PROXY: a listed host is reached directly", async () => {
    reset();
    const { result } = await callThrough({
      CEKURA_BASE_URL: `https://127.0.0.1:${upstream.port}`,
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
      NO_PROXY: "localhost,127.0.0.1",
      NODE_EXTRA_CA_CERTS: certFile,
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expectEach(upstream.keys, CANARY_KEY);
    expect(proxy.connects).toEqual([]);
  });

  it("a plain-http base URL (loopback only) never goes through a proxy, where the key would be in clear", async () => {
    reset();
    const { result } = await callThrough({
      CEKURA_BASE_URL: `http://127.0.0.1:${plainUpstream.port}`,
      HTTP_PROXY: `http://127.0.0.1:${proxy.port}`,
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
    });
    expect(result.isError, textOf(result)).toBeFalsy();
    expectEach(plainUpstream.keys, CANARY_KEY);
    expect(proxy.connects).toEqual([]);
    expect(proxy.forwarded).toEqual([]);
  });

  it("a proxy that re-signs TLS without its CA in NODE_EXTRA_CA_CERTS: a connection error that says so", async () => {
    reset();
    const { result } = await callThrough({
      CEKURA_BASE_URL: `https://127.0.0.1:${upstream.port}`,
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
    });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(/connection/);
    expect(text).toContain("NODE_EXTRA_CA_CERTS");
    expect(text).toContain("HTTPS_PROXY");
    expect(upstream.keys).toEqual([]);
    expect(text).not.toContain(CANARY_KEY);
  });

  it("a proxy that refuses the tunnel (407): an error naming the proxy, no retry, no key", async () => {
    reset();
    proxy.refuse = 407;
    const { result } = await callThrough({
      CEKURA_BASE_URL: `https://127.0.0.1:${upstream.port}`,
      HTTPS_PROXY: `http://127.0.0.1:${proxy.port}`,
      NODE_EXTRA_CA_CERTS: certFile,
    });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toMatch(/proxy refused to open a tunnel .*HTTP 407/);
    expectEach(proxy.connects, `127.0.0.1:${upstream.port}`);
    expect(upstream.keys).toEqual([]);
    expect(proxy.seen()).not.toContain(CANARY_KEY);
  });

  it("a proxy URL that is not a URL: a config error that does not quote it", async () => {
    reset();
    const { result } = await callThrough({
      CEKURA_BASE_URL: `https://127.0.0.1:${upstream.port}`,
      HTTPS_PROXY: "not a url:secret@",
    });
    expect(result.isError).toBe(true);
    const text = textOf(result);
    expect(text).toContain("HTTPS_PROXY");
    expect(text).not.toContain("secret@");
  });
});
