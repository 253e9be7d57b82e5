/**
 * The one place that reads flags and the environment. Pure: `parseCommandLine(argv, env)` returns
 * what to run or a usage error (exit code 2); nothing here prints or exits.
 */

import { LOG_LEVELS, type LogLevel } from "../server/logging.js";
import { err, ok, type Result } from "../shared/errors.js";
import { DEFAULT_BUDGET_CHARS } from "../shared/limits.js";
import { createRedactor, type Redactor } from "../shared/redact.js";
import { RELATIVE_DATETIME } from "../widget/time.js";

export const DEFAULT_BASE_URL = "https://api.cekura.ai";
export const DEFAULT_DEADLINE_MS = 30_000;
export const MAX_DEADLINE_MS = 50_000;
export const DEFAULT_WINDOW = "now-7d";
export const MIN_BUDGET_CHARS = 4_000;
export const MAX_BUDGET_CHARS = 200_000;

export type Mode = "live" | "demo" | "data";

export interface Config {
  mode: Mode;
  /** Never printed, logged or echoed. Only used for the X-CEKURA-API-KEY header. */
  apiKey?: string;
  baseUrl: string;
  dataFile?: string;
  deadlineMs: number;
  defaultWindow: string;
  budgetChars: number;
  logLevel: LogLevel;
  /** --disable-write / CEKURA_DISABLE_WRITE=1: no tool saves anything (create_dashboard is not offered). */
  disableWrite: boolean;
}

export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "serve"; config: Config }
  | { kind: "preview"; config: Config; args: PreviewArgs };

/** The one-shot CLI's query flags; turned into tool arguments by cli.ts. */
export interface PreviewArgs {
  json?: string;
  chart?: string;
  field?: string;
  agg?: string;
  period?: string;
  last?: string;
  metric?: string;
  filters?: string;
  format: "markdown" | "json";
  /** Also write the chart view, with the answer inlined, to this file. */
  html?: string;
}

export interface UsageError {
  message: string;
  exitCode: 2;
}

type Parsed = Result<Command, UsageError>;

const usage = (message: string): Parsed =>
  err({ message: `${message}\nRun with --help for the flags.`, exitCode: 2 });

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * Quotes a user-supplied value for a message. The API key is redacted BEFORE truncating, so a key
 * pasted into the wrong variable never leaks, not even as a prefix.
 */
const quote = (raw: string, max: number, redact: Redactor): string =>
  JSON.stringify(redact(raw).slice(0, max));

/** https anywhere; plain http only to loopback hosts (tests and the bench, against the loopback listener). */
export function checkBaseUrl(raw: string, redact: Redactor = (s) => s): Result<string, string> {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return err(`CEKURA_BASE_URL is not a URL: ${quote(raw, 100, redact)}.`);
  }
  if (u.username || u.password) {
    return err("CEKURA_BASE_URL must not carry credentials; set CEKURA_API_KEY instead.");
  }
  if (u.search || u.hash) return err("CEKURA_BASE_URL must not have a query or fragment.");
  if (u.protocol === "https:" || (u.protocol === "http:" && LOOPBACK_HOSTS.has(u.hostname))) {
    return ok(u.origin + u.pathname.replace(/\/+$/, ""));
  }
  // The raw text, not u.host: URL parsing lowercases the host, which would defeat the redactor.
  return err(
    `CEKURA_BASE_URL must be https (plain http only to 127.0.0.1, localhost or [::1]); got ${quote(raw, 100, redact)}.`,
  );
}

function intSetting(
  name: string,
  raw: string,
  min: number,
  max: number,
  redact: Redactor,
): Result<number, string> {
  if (!/^\d+$/.test(raw.trim())) return err(`${name} must be a whole number; got ${quote(raw, 40, redact)}.`);
  const n = Number(raw);
  if (n < min || n > max) return err(`${name} must be between ${min} and ${max}; got ${n}.`);
  return ok(n);
}

const FLAG_HELP = ["--help", "-h"];
/** Flags of the preview command (each takes a value). */
const PREVIEW_ONLY = new Set([
  "--json",
  "--chart",
  "--field",
  "--agg",
  "--period",
  "--last",
  "--metric",
  "--filters",
  "--format",
  "--html",
]);
/** Every flag that takes a value. */
const VALUE_FLAGS = new Set([
  "--data",
  "--base-url",
  "--timeout-ms",
  "--default-window",
  "--max-result-chars",
  "--log-level",
  ...PREVIEW_ONLY,
]);

export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Parsed {
  const redact = createRedactor([env.CEKURA_API_KEY, env.CEKURA_API_KEY?.trim()]);
  const parsed = parseWith(argv, env, redact);
  if (parsed.ok) return parsed;
  // Defence in depth: no usage message may carry the key, whatever it echoes.
  return err({ ...parsed.error, message: redact(parsed.error.message) });
}

function parseWith(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  redact: Redactor,
): Parsed {
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  let subcommand: "preview" | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (FLAG_HELP.includes(arg)) return ok({ kind: "help" });
    if (arg === "--version" || arg === "-v") return ok({ kind: "version" });
    if (i === 0 && arg === "preview") {
      subcommand = "preview";
      continue;
    }
    if (arg === "--demo" || arg === "--disable-write") {
      switches.add(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      let value: string | undefined;
      if (eq > 0 && name !== arg) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        i++;
      }
      if (value === undefined || (value.startsWith("--") && eq < 0)) return usage(`${name} needs a value.`);
      if (PREVIEW_ONLY.has(name) && subcommand !== "preview") {
        return usage(`${name} belongs to the preview command: cekura-dashboards-mcp preview ${name} ...`);
      }
      flags.set(name, value);
      continue;
    }
    if (arg === "--api-key" || arg.startsWith("--api-key=")) {
      return usage(
        "There is no --api-key flag: command lines are visible to other users. Set CEKURA_API_KEY.",
      );
    }
    return usage(`Unknown ${arg.startsWith("-") ? "flag" : "argument"}: ${quote(arg, 60, redact)}.`);
  }

  // Flags beat the environment: --data wins over CEKURA_DEMO, --demo over CEKURA_DATA_FILE.
  const flagData = flags.get("--data");
  if (switches.has("--demo") && flagData !== undefined) return usage("Choose one of --demo and --data FILE.");
  const envDemo = /^(1|true|yes)$/i.test(env.CEKURA_DEMO ?? "");
  const demo = switches.has("--demo") || (envDemo && flagData === undefined);
  const dataFile = demo ? undefined : (flagData ?? (env.CEKURA_DATA_FILE || undefined));
  const mode: Mode = demo ? "demo" : dataFile ? "data" : "live";

  const base = checkBaseUrl(flags.get("--base-url") ?? (env.CEKURA_BASE_URL || DEFAULT_BASE_URL), redact);
  if (!base.ok) return usage(base.error);

  const deadline = intSetting(
    "CEKURA_TIMEOUT_MS",
    flags.get("--timeout-ms") ?? (env.CEKURA_TIMEOUT_MS || undefined) ?? String(DEFAULT_DEADLINE_MS),
    1_000,
    MAX_DEADLINE_MS,
    redact,
  );
  if (!deadline.ok) return usage(deadline.error);

  const budget = intSetting(
    "CEKURA_MAX_RESULT_CHARS",
    flags.get("--max-result-chars") ??
      (env.CEKURA_MAX_RESULT_CHARS || undefined) ??
      String(DEFAULT_BUDGET_CHARS),
    MIN_BUDGET_CHARS,
    MAX_BUDGET_CHARS,
    redact,
  );
  if (!budget.ok) return usage(budget.error);

  const defaultWindow = (
    flags.get("--default-window") ??
    (env.CEKURA_DEFAULT_WINDOW || undefined) ??
    DEFAULT_WINDOW
  ).trim();
  if (!RELATIVE_DATETIME.test(defaultWindow) || defaultWindow === "now") {
    return usage(
      `CEKURA_DEFAULT_WINDOW must be a relative start such as now-7d, now-24h or today-30d; got ${quote(defaultWindow, 40, redact)}.`,
    );
  }

  const rawLevel = flags.get("--log-level") ?? (env.CEKURA_LOG_LEVEL || undefined) ?? "info";
  const level = rawLevel.toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    // Echo the raw text: a lowercased key would slip past the redactor.
    return usage(
      `CEKURA_LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}; got ${quote(rawLevel, 20, redact)}.`,
    );
  }

  const apiKey = env.CEKURA_API_KEY?.trim() || undefined;
  const config: Config = {
    mode,
    baseUrl: base.value,
    deadlineMs: deadline.value,
    defaultWindow,
    budgetChars: budget.value,
    logLevel: level as LogLevel,
    disableWrite: switches.has("--disable-write") || /^(1|true|yes)$/i.test(env.CEKURA_DISABLE_WRITE ?? ""),
  };
  if (apiKey) config.apiKey = apiKey;
  if (dataFile) config.dataFile = dataFile;

  if (subcommand === "preview") {
    const format = flags.get("--format") ?? "markdown";
    if (format !== "markdown" && format !== "json") return usage("--format is markdown or json.");
    const args: PreviewArgs = { format };
    for (const [flag, key] of [
      ["--json", "json"],
      ["--chart", "chart"],
      ["--field", "field"],
      ["--agg", "agg"],
      ["--period", "period"],
      ["--last", "last"],
      ["--metric", "metric"],
      ["--filters", "filters"],
      ["--html", "html"],
    ] as const) {
      const v = flags.get(flag);
      if (v !== undefined) args[key] = v;
    }
    if (args.json === undefined && args.chart === undefined) {
      return usage(
        "preview needs --chart (with --field, --agg, --period as the chart needs) or --json '{...}'.",
      );
    }
    return ok({ kind: "preview", config, args });
  }
  return ok({ kind: "serve", config });
}
