import { describe, expect, it } from "vitest";
import { type Command, type Config, parseCommandLine } from "../../src/cli/config.js";

type Env = Record<string, string | undefined>;

function command(argv: string[], env: Env = {}): Command {
  const r = parseCommandLine(argv, env);
  if (!r.ok) throw new Error(`expected a command, got: ${r.error.message}`);
  return r.value;
}

function config(argv: string[], env: Env = {}): Config {
  const c = command(argv, env);
  if (c.kind !== "serve" && c.kind !== "preview") throw new Error(`expected a config, got ${c.kind}`);
  return c.config;
}

/** The usage error's message; fails unless it is a usage error with exit code 2. */
function usageError(argv: string[], env: Env = {}): string {
  const r = parseCommandLine(argv, env);
  if (r.ok) throw new Error(`expected a usage error, got ${JSON.stringify(r.value)}`);
  expect(r.error.exitCode).toBe(2);
  expect(r.error.message).toMatch(/Run with --help for the flags\.$/);
  return r.error.message;
}

describe("defaults", () => {
  it("serves the live API with the documented defaults and no key", () => {
    expect(command([], {})).toEqual({
      kind: "serve",
      config: {
        mode: "live",
        baseUrl: "https://api.cekura.ai",
        deadlineMs: 30_000,
        defaultWindow: "now-7d",
        budgetChars: 24_000,
        logLevel: "info",
        disableWrite: false,
      },
    });
  });

  it("switches writes off with --disable-write or CEKURA_DISABLE_WRITE=1", () => {
    expect(config(["--disable-write"], {}).disableWrite).toBe(true);
    expect(config([], { CEKURA_DISABLE_WRITE: "1" }).disableWrite).toBe(true);
    expect(config([], { CEKURA_DISABLE_WRITE: "true" }).disableWrite).toBe(true);
    expect(config([], { CEKURA_DISABLE_WRITE: "0" }).disableWrite).toBe(false);
  });

  it("reads the API key from CEKURA_API_KEY, trimmed; blank is no key", () => {
    expect(config([], { CEKURA_API_KEY: "  sk-abc123  " }).apiKey).toBe("sk-abc123");
    expect(config([], { CEKURA_API_KEY: "   " })).not.toHaveProperty("apiKey");
  });

  it("ignores unrelated environment variables", () => {
    expect(config([], { HOME: "/root", PATH: "/bin", CEKURA_UNKNOWN: "x" })).toEqual(config([], {}));
  });
});

describe("CEKURA_BASE_URL", () => {
  it.each([
    ["https://api.cekura.ai", "https://api.cekura.ai"],
    ["https://api.cekura.ai/", "https://api.cekura.ai"],
    ["https://eu.example.com/cekura/", "https://eu.example.com/cekura"],
    ["https://api.cekura.ai:8443", "https://api.cekura.ai:8443"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
    ["http://localhost:3000/", "http://localhost:3000"],
    ["http://[::1]:3000", "http://[::1]:3000"],
    ["HTTP://LOCALHOST:3000", "http://localhost:3000"],
  ])("accepts %s as %s", (raw, url) => {
    expect(config([], { CEKURA_BASE_URL: raw }).baseUrl).toBe(url);
    expect(config(["--base-url", raw]).baseUrl).toBe(url);
  });

  it("treats an empty value as unset", () => {
    expect(config([], { CEKURA_BASE_URL: "" }).baseUrl).toBe("https://api.cekura.ai");
  });

  it.each([
    ["http://example.com", /must be https \(plain http only to 127\.0\.0\.1, localhost or \[::1\]\)/],
    ["http://api.cekura.ai", /must be https/],
    ["http://localhost.example.com", /must be https/],
    ["http://10.0.0.1:8080", /must be https/],
    ["ftp://api.cekura.ai", /must be https/],
    ["ws://localhost:3000", /must be https/],
    ["file:///etc/passwd", /must be https/],
    ["not a url", /is not a URL/],
    ["api.cekura.ai", /is not a URL/],
    ["https://user:pass@api.cekura.ai", /must not carry credentials/],
    ["https://:secret@api.cekura.ai", /must not carry credentials/],
    ["https://api.cekura.ai/?x=1", /must not have a query/],
  ])("refuses %s with a clear message and exit code 2", (raw, message) => {
    const text = usageError([], { CEKURA_BASE_URL: raw });
    expect(text).toMatch(/^CEKURA_BASE_URL /);
    expect(text).toMatch(message);
    expect(usageError(["--base-url", raw])).toMatch(message);
  });

  it("a --base-url flag beats the environment", () => {
    expect(config(["--base-url=http://127.0.0.1:9"], { CEKURA_BASE_URL: "https://a.example" }).baseUrl).toBe(
      "http://127.0.0.1:9",
    );
  });
});

describe("help and version", () => {
  it.each([["--help"], ["-h"], ["--demo", "--help"], ["preview", "--help"]])("%s shows help", (...argv) => {
    expect(command(argv)).toEqual({ kind: "help" });
  });

  it.each([["--version"], ["-v"]])("%s shows the version", (...argv) => {
    expect(command(argv)).toEqual({ kind: "version" });
  });

  it("shows help even when the environment is broken", () => {
    expect(command(["--help"], { CEKURA_BASE_URL: "ftp://x" })).toEqual({ kind: "help" });
  });
});

describe("flags", () => {
  it.each([["--verbose"], ["--demo=1"], ["-x"], ["--DATA", "f"], ["serve"], ["extra"]])(
    "refuses the unknown %s with exit code 2",
    (...argv) => {
      expect(usageError(argv)).toMatch(/^Unknown (flag|argument): /);
    },
  );

  it("refuses a value flag without its value", () => {
    expect(usageError(["--data"])).toMatch(/--data needs a value/);
    expect(usageError(["--timeout-ms"])).toMatch(/--timeout-ms needs a value/);
  });

  it.each([["--api-key", "sk-live-123456"], ["--api-key=sk-live-123456"]])(
    "refuses %s, pointing to CEKURA_API_KEY without echoing the value",
    (...argv) => {
      const text = usageError(argv);
      expect(text).toMatch(/There is no --api-key flag/);
      expect(text).toMatch(/Set CEKURA_API_KEY/);
      expect(text).not.toContain("sk-live-123456");
    },
  );

  it("reads flags as --name value and as --name=value", () => {
    expect(config(["--timeout-ms", "10000"]).deadlineMs).toBe(10_000);
    expect(config(["--timeout-ms=10000"]).deadlineMs).toBe(10_000);
  });
});

describe("the deadline", () => {
  it("is capped at 50000 ms: 50000 is accepted, more is refused", () => {
    expect(config([], { CEKURA_TIMEOUT_MS: "50000" }).deadlineMs).toBe(50_000);
    expect(usageError([], { CEKURA_TIMEOUT_MS: "50001" })).toMatch(
      /CEKURA_TIMEOUT_MS must be between 1000 and 50000; got 50001/,
    );
    expect(usageError(["--timeout-ms", "60000"])).toMatch(/between 1000 and 50000/);
  });

  it("refuses less than a second and anything that is not a whole number", () => {
    expect(usageError([], { CEKURA_TIMEOUT_MS: "999" })).toMatch(/between 1000 and 50000/);
    for (const raw of ["30s", "1e4", "-5000", "12.5"]) {
      expect(usageError([], { CEKURA_TIMEOUT_MS: raw })).toMatch(/must be a whole number/);
    }
  });

  it("a flag beats the environment", () => {
    expect(config(["--timeout-ms", "5000"], { CEKURA_TIMEOUT_MS: "20000" }).deadlineMs).toBe(5000);
    expect(config([], { CEKURA_TIMEOUT_MS: "20000" }).deadlineMs).toBe(20_000);
  });
});

describe("other settings", () => {
  it("result budget: bounded, flag or env", () => {
    expect(config(["--max-result-chars", "4000"]).budgetChars).toBe(4000);
    expect(config([], { CEKURA_MAX_RESULT_CHARS: "200000" }).budgetChars).toBe(200_000);
    expect(usageError([], { CEKURA_MAX_RESULT_CHARS: "3999" })).toMatch(
      /CEKURA_MAX_RESULT_CHARS must be between/,
    );
  });

  it("default window: a relative start only", () => {
    expect(config([], { CEKURA_DEFAULT_WINDOW: "now-24h" }).defaultWindow).toBe("now-24h");
    expect(config(["--default-window", " today-30d "]).defaultWindow).toBe("today-30d");
    for (const raw of ["now", "7d", "now-7D", "2026-01-01", "last week"]) {
      expect(usageError([], { CEKURA_DEFAULT_WINDOW: raw })).toMatch(
        /CEKURA_DEFAULT_WINDOW must be a relative start/,
      );
    }
  });

  it("log level: one of the MCP levels, any case", () => {
    expect(config([], { CEKURA_LOG_LEVEL: "DEBUG" }).logLevel).toBe("debug");
    expect(config(["--log-level", "warning"]).logLevel).toBe("warning");
    expect(usageError([], { CEKURA_LOG_LEVEL: "verbose" })).toMatch(
      /CEKURA_LOG_LEVEL must be one of debug, info/,
    );
  });
});

describe("modes", () => {
  it("--demo and CEKURA_DEMO=1|true|yes select the demo", () => {
    expect(config(["--demo"]).mode).toBe("demo");
    for (const v of ["1", "true", "TRUE", "yes"]) expect(config([], { CEKURA_DEMO: v }).mode).toBe("demo");
    for (const v of ["0", "false", "", "no"]) expect(config([], { CEKURA_DEMO: v }).mode).toBe("live");
  });

  it("--data FILE and CEKURA_DATA_FILE select a local file", () => {
    expect(config(["--data", "calls.ndjson"])).toMatchObject({ mode: "data", dataFile: "calls.ndjson" });
    expect(config([], { CEKURA_DATA_FILE: "/tmp/c.json" })).toMatchObject({
      mode: "data",
      dataFile: "/tmp/c.json",
    });
    expect(config(["--data=a.json"], { CEKURA_DATA_FILE: "b.json" }).dataFile).toBe("a.json");
    expect(config([], { CEKURA_DATA_FILE: "" }).mode).toBe("live");
  });

  it("refuses both the demo and a file", () => {
    expect(usageError(["--demo", "--data", "x.json"])).toMatch(/Choose one of --demo and --data FILE/);
  });
});

describe("the preview command", () => {
  it("collects its flags, with markdown as the default format", () => {
    const c = command([
      "preview",
      "--chart",
      "bar",
      "--field",
      "success",
      "--agg",
      "avg",
      "--period",
      "day",
      "--last",
      "14d",
      "--metric",
      "101",
      "--filters",
      '{"field":"topic","op":"eq","value":"billing"}',
      "--demo",
    ]);
    expect(c).toEqual({
      kind: "preview",
      config: expect.objectContaining({ mode: "demo" }),
      args: {
        format: "markdown",
        chart: "bar",
        field: "success",
        agg: "avg",
        period: "day",
        last: "14d",
        metric: "101",
        filters: '{"field":"topic","op":"eq","value":"billing"}',
      },
    });
  });

  it("takes a whole query as --json, and --format json", () => {
    expect(command(["preview", "--json", '{"chart_type":"stat"}', "--format=json"])).toEqual({
      kind: "preview",
      config: expect.any(Object),
      args: { format: "json", json: '{"chart_type":"stat"}' },
    });
  });

  it("takes --html FILE for the chart page, and only in the preview command", () => {
    expect(command(["preview", "--chart", "stat", "--html", "out.html"])).toMatchObject({
      args: { chart: "stat", html: "out.html" },
    });
    expect(usageError(["--html", "out.html"])).toMatch(/--html belongs to the preview command/);
  });

  it("needs --chart or --json, and a known format", () => {
    expect(usageError(["preview"])).toMatch(/preview needs --chart/);
    expect(usageError(["preview", "--field", "success"])).toMatch(/preview needs --chart/);
    expect(usageError(["preview", "--chart", "pie", "--format", "html"])).toMatch(
      /--format is markdown or json/,
    );
  });

  it("still validates the shared settings", () => {
    expect(usageError(["preview", "--chart", "stat"], { CEKURA_BASE_URL: "http://example.com" })).toMatch(
      /must be https/,
    );
  });

  it.each([
    "--json",
    "--chart",
    "--field",
    "--agg",
    "--period",
    "--last",
    "--metric",
    "--filters",
    "--format",
  ])("refuses %s outside preview", (flag) => {
    expect(usageError([flag, "x"])).toMatch(new RegExp(`${flag} belongs to the preview command`));
  });

  it("is a subcommand only in first position", () => {
    expect(usageError(["--demo", "preview", "--chart", "stat"])).toMatch(/Unknown argument: "preview"/);
  });
});

describe("the API key never appears in a message", () => {
  const CANARY = "sk-canary-1234567890";
  // A long key with mixed case: a truncated or lowercased echo would leak a prefix.
  const LONG = `sk-Canary-${"Ab3dEf6hIj".repeat(8)}`;

  const cases: [string, string[], Env][] = [
    ["key pasted as the base URL", [], { CEKURA_BASE_URL: "$KEY" }],
    ["key as the host of a bad URL", [], { CEKURA_BASE_URL: "ftp://$KEY" }],
    ["key as the host of an http URL", [], { CEKURA_BASE_URL: "http://$KEY.example.com" }],
    ["key as URL credentials", [], { CEKURA_BASE_URL: "https://u:$KEY@api.cekura.ai" }],
    ["key in the URL query", [], { CEKURA_BASE_URL: "https://api.cekura.ai/?key=$KEY" }],
    ["key as the timeout", [], { CEKURA_TIMEOUT_MS: "$KEY" }],
    ["key as the budget", [], { CEKURA_MAX_RESULT_CHARS: "$KEY" }],
    ["key as the default window", [], { CEKURA_DEFAULT_WINDOW: "$KEY" }],
    ["key as the log level", [], { CEKURA_LOG_LEVEL: "$KEY" }],
    ["key as a --base-url flag", ["--base-url", "$KEY"], {}],
    ["key as a --timeout-ms flag", ["--timeout-ms", "$KEY"], {}],
    ["key as a positional argument", ["$KEY"], {}],
    ["key glued to an unknown flag", ["--key=$KEY"], {}],
    ["key given to --api-key", ["--api-key", "$KEY"], {}],
    ["key given to --api-key=", ["--api-key=$KEY"], {}],
    ["key with a preview flag outside preview", ["--json", "$KEY"], {}],
    ["demo and data", ["--demo", "--data", "$KEY"], {}],
    ["preview without chart", ["preview", "--field", "$KEY"], {}],
    ["bad format", ["preview", "--chart", "bar", "--format", "$KEY"], {}],
  ];

  for (const key of [CANARY, LONG]) {
    it.each(cases)(`${key === CANARY ? "canary" : "long key"}: %s`, (_label, argv, env) => {
      const fill = (s: string) => s.replaceAll("$KEY", key);
      const message = usageError(
        argv.map(fill),
        Object.fromEntries([...Object.entries(env).map(([k, v]) => [k, fill(v!)]), ["CEKURA_API_KEY", key]]),
      );
      expect(message).not.toContain(key);
      // No recognisable piece of it either (a truncated echo would keep a prefix).
      expect(message.toLowerCase()).not.toContain(key.slice(0, 14).toLowerCase());
      expect(message.toLowerCase()).not.toContain(key.slice(-10).toLowerCase());
    });
  }

  it("still names the variable at fault", () => {
    const message = usageError([], { CEKURA_API_KEY: CANARY, CEKURA_TIMEOUT_MS: CANARY });
    expect(message).toMatch(/^CEKURA_TIMEOUT_MS must be a whole number; got "\[REDACTED\]"/);
  });
});
