/**
 * Promise 8: the canary key (CEKURA_API_KEY) never appears on stdout, on stderr, in any tool
 * answer or error, or in any log notification (logging/setLevel debug), even when the upstream
 * echoes the request headers back: in 400/401/403/404/429/500 bodies, in a redirect, in a
 * non-JSON 200, and in the DATA of a 200 (labels, keys, escaped). Plus: redaction is linear.
 */
import { readFileSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createRedactor, REDACTED, redactDeep } from "../../src/shared/redact.js";
import {
  answerFor,
  type FaultServer,
  faults,
  type Query,
  startFaultServer,
} from "../helpers/fault-server.js";
import {
  CANARY_KEY,
  call,
  killAll,
  outputProblems,
  pie,
  ROOT,
  type Spawned,
  spawnServer,
} from "./harness.js";

const KEY = CANARY_KEY;
/** Every form of the key an echo could carry. */
const FORMS = [KEY, encodeURIComponent(KEY), KEY.toUpperCase(), Buffer.from(KEY).toString("base64")];

let up: FaultServer;
let s: Spawned;
const answers: string[] = [];

const headerKey = (req: IncomingMessage): string => String(req.headers["x-cekura-api-key"] ?? "");
const unicodeEscaped = (text: string): string =>
  [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");

beforeAll(async () => {
  up = await startFaultServer();
  s = await spawnServer({
    label: "secrets",
    logLevel: "debug",
    env: {
      CEKURA_API_KEY: KEY,
      CEKURA_BASE_URL: up.origin,
      CEKURA_TIMEOUT_MS: "3000",
      CEKURA_LOG_LEVEL: "debug",
    },
  });
});

afterAll(async () => {
  const exit = await s?.stop();
  killAll();
  await up?.close();
  expect(exit?.code).toBe(0);
  expect(outputProblems()).toEqual([]);
});

function expectNoKey(where: string, text: string): void {
  expect(text, where).not.toContain(KEY);
  expect(text, where).not.toContain(KEY.toUpperCase());
}

describe("the key never leaves the process, whatever upstream echoes", () => {
  const echo = (q: Query, req: IncomingMessage) => ({
    detail: `Request rejected. You sent X-CEKURA-API-KEY: ${headerKey(req)}`,
    headers: req.headers,
    query: q,
  });
  const cases: [string, Parameters<FaultServer["route"]>[1], RegExp, Record<string, unknown>?][] = [
    ["echo-400", faults.json(400, echo), /^validation: /],
    ["echo-401", faults.json(401, echo), /^auth: /],
    ["echo-403", faults.json(403, echo), /^auth: /],
    ["echo-404", faults.json(404, echo), /^not_found: /],
    ["echo-418", faults.json(418, echo), /^validation: /],
    ["echo-429", faults.json(429, echo, { "retry-after": "60" }), /^rate_limited: /],
    ["echo-500", faults.json(500, echo), /^upstream: /],
    [
      "echo-200-not-json",
      (req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<p>key=${headerKey(req)}</p>`);
      },
      /^bad_response: /,
    ],
    [
      "echo-redirect",
      (req, res) => {
        res.writeHead(302, { location: `http://${headerKey(req)}.example.com/?key=${headerKey(req)}` });
        res.end();
      },
      /^bad_response: /,
    ],
    [
      "echo-200-labels",
      faults.json(200, (q, req) =>
        answerFor(q, [
          { label: headerKey(req), value: 2, percentage: 40 },
          { label: `prefix ${headerKey(req)} suffix`, value: 2, percentage: 40 },
          { label: encodeURIComponent(headerKey(req)), value: 1, percentage: 20 },
        ]),
      ),
      /./,
    ],
    [
      "echo-200-escaped",
      (req, res) => {
        const json = JSON.stringify(
          answerFor({ chart_type: "pie", name: "x" }, [{ label: "@@", value: 1, percentage: 100 }]),
        );
        res.writeHead(200, { "content-type": "application/json" });
        res.end(json.replace('"@@"', `"${unicodeEscaped(headerKey(req))}"`));
      },
      /./,
    ],
    [
      "echo-200-frame",
      faults.json(200, (q, req) => ({
        ...answerFor(q),
        field_name: headerKey(req),
        metadata: { display_name: headerKey(req), [headerKey(req)]: headerKey(req) },
      })),
      /./,
    ],
    [
      "echo-200-stat-keys",
      faults.json(200, (_q, req) => ({
        chart_type: "stat",
        data: {
          total_calls: 3,
          success_rate: 0.5,
          [headerKey(req)]: headerKey(req),
          note: `k=${headerKey(req)}`,
        },
      })),
      /./,
      { chart_type: "stat" },
    ],
    [
      "echo-200-line",
      faults.json(200, (q, req) =>
        answerFor(q, [
          { id: headerKey(req), timestamp: "2026-01-01T00:00:00Z", value: 1 },
          { id: 2, timestamp: headerKey(req), value: 2 },
        ]),
      ),
      /./,
      { chart_type: "line", field: "duration" },
    ],
  ];

  it.each(cases)("%s", async (name, fault, expected, extra) => {
    up.route(name, fault);
    const args = extra
      ? { ...extra, name, filters: { field: "timestamp", op: "gte", value: "now-7d" } }
      : pie(name);
    const r = await call(s.client, args);
    answers.push(JSON.stringify(r.result));
    expect(r.text).toMatch(expected);
    // The upstream really did receive the key (so the echo held it).
    expect(up.named(name)[0]!.record.headers["x-cekura-api-key"]).toBe(KEY);
    for (const form of FORMS) expect(JSON.stringify(r.result), `${name}: ${form}`).not.toContain(form);
    if (name.startsWith("echo-200-")) expect(JSON.stringify(r.result)).toContain(REDACTED);
  });

  it("nor does a key the model pastes into the arguments come back", async () => {
    const r1 = await call(
      s.client,
      pie("pasted", { filters: { field: "metadata.token", op: "eq", value: KEY } }),
    );
    const r2 = await call(s.client, { chart_type: KEY, field: KEY, name: "pasted-bad" });
    for (const r of [r1, r2]) {
      answers.push(JSON.stringify(r.result));
      expectNoKey("pasted", JSON.stringify(r.result));
    }
    expect(r2.text).toMatch(/^invalid_arguments: /);
  });

  it("no log notification (debug), no stderr line and no stdout byte held it", () => {
    expect(s.logs.length).toBeGreaterThan(5);
    expectNoKey("log notifications", JSON.stringify(s.logs));
    expectNoKey("answers", answers.join("\n"));
    expectNoKey("stdout", s.stdout());
    expectNoKey("stderr", s.stderr());
  });
});

describe("redaction runs in linear time", () => {
  const secret = "sk-canary-7f3a9c1e5b2d4086aa11";
  /** `bytes` of text made of near-miss prefixes of the secret, with the secret itself every 1,000th time. */
  function hostile(bytes: number): { text: string; hits: number } {
    const parts: string[] = [];
    let size = 0;
    let hits = 0;
    for (let i = 0; size < bytes; i++) {
      const part =
        i % 1000 === 999 ? secret : `${secret.slice(0, 1 + (i % (secret.length - 1)))}${i % 2 ? "X" : "sk-"}`;
      if (part === secret) hits++;
      parts.push(part);
      size += part.length;
    }
    return { text: parts.join(""), hits };
  }

  /** Counts calls of the string searching primitives a redactor could use. */
  function countStringOps<T>(fn: () => T): { result: T; calls: number } {
    const names = [
      "includes",
      "indexOf",
      "split",
      "replace",
      "replaceAll",
      "match",
      "matchAll",
      "search",
      "slice",
      "substring",
      "startsWith",
    ] as const;
    const spies = names.map((n) => vi.spyOn(String.prototype, n));
    try {
      const result = fn();
      return { result, calls: spies.reduce((sum, sp) => sum + sp.mock.calls.length, 0) };
    } finally {
      for (const sp of spies) sp.mockRestore();
    }
  }

  it("uses a constant number of native substring searches per secret, whatever the size (1 MB vs 8 MB)", () => {
    const redact = createRedactor([secret, encodeURIComponent(secret), secret.toUpperCase()]);
    const small = hostile(1024 * 1024);
    const large = hostile(8 * 1024 * 1024);
    const a = countStringOps(() => redact(small.text));
    const b = countStringOps(() => redact(large.text));
    // Same count of operations for 8x the input: no per-match or per-prefix loop in JS...
    expect(b.calls).toBe(a.calls);
    // ...and at most a search plus a split per secret.
    expect(a.calls).toBeLessThanOrEqual(2 * 3);
    // Correct: every occurrence replaced, nothing else touched.
    expect(a.result.split(REDACTED).length - 1).toBe(small.hits);
    expect(b.result.split(REDACTED).length - 1).toBe(large.hits);
    expect(b.result).not.toContain(secret);
    expect(b.result.length).toBe(large.text.length - large.hits * (secret.length - REDACTED.length));
  });

  it("never builds a regular expression from a secret (each search is a plain substring search: O(n·m), m fixed)", () => {
    const src = readFileSync(resolve(ROOT, "src/shared/redact.ts"), "utf8");
    expect(src).not.toMatch(/RegExp|\.match\(|\.replace\(\s*\//);
    const ctor = vi.spyOn(globalThis, "RegExp");
    try {
      createRedactor([secret])(hostile(64 * 1024).text);
      expect(ctor).not.toHaveBeenCalled();
    } finally {
      ctor.mockRestore();
    }
  });

  it("redactDeep visits each value once (linear in the size of the value)", () => {
    const redact = createRedactor([secret]);
    const calls = { n: 0 };
    const counting = (t: string) => {
      calls.n++;
      return redact(t);
    };
    const make = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ label: i % 7 ? `l${i}` : secret, value: i }));
    redactDeep(make(1000), counting);
    const small = calls.n;
    calls.n = 0;
    const out = redactDeep(make(8000), counting) as { label: string }[];
    expect(calls.n).toBe(small * 8);
    expect(JSON.stringify(out)).not.toContain(secret);
  });
});
