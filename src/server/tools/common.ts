/**
 * What every tool shares: its module shape (the server lists and calls tools through it), the
 * run wrapper of the dashboard tools (backend, argument bounds, key scrubbing, nothing thrown)
 * and small argument readers whose messages say how to fix the call.
 */
import { describeSource } from "../../report/describe.js";
import { errorAnswer } from "../../report/index.js";
import type { ToolError } from "../../shared/errors.js";
import { INPUT_JSON_SCHEMA, type JsonSchemaObject } from "../../widget/published-schema.js";
import type { Backend } from "../backend.js";
import {
  oversizeArguments,
  type PreviewToolDeps,
  type ToolResult,
  withoutSecret,
} from "./preview-widget-data.js";

export type ToolDeps = PreviewToolDeps;

/** The person's answer to a confirmation; "unsupported" when the client cannot ask. */
export type ConfirmOutcome = "accept" | "decline" | "cancel" | "unsupported";

export interface ToolContext {
  signal?: AbortSignal;
  /** Asks the person (MCP elicitation) where the client supports it. */
  confirm?: (message: string, signal?: AbortSignal) => Promise<ConfirmOutcome>;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  inputSchema: JsonSchemaObject;
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
}

export interface ToolModule {
  name: string;
  /** Saves something: left out of tools/list when writes are disabled. */
  write: boolean;
  definition(): ToolDefinition;
  call(deps: ToolDeps, args: unknown, ctx: ToolContext): Promise<ToolResult>;
}

/** The preview's published filter schemas, reused so a filter reads the same in every tool. */
export function filterSchemas(): { filters: unknown; shallow: unknown } {
  const p = INPUT_JSON_SCHEMA.properties as Record<string, Record<string, unknown>>;
  return { filters: p.filters, shallow: p.dashboard_filters };
}

export const invalid = (message: string): ToolResult =>
  errorAnswer({
    category: "invalid_arguments",
    message: /nothing was (sent|saved)/i.test(message) ? message : `${message} Nothing was sent.`,
  });

type Dict = Record<string, unknown>;

/**
 * Runs a tool body with the backend open, the arguments an object of known keys and bounded in
 * size; the answer passes the backend's key scrubber, and an unexpected exception becomes an
 * `internal` error result (logged with its stack on stderr).
 */
export async function runTool(
  name: string,
  deps: ToolDeps,
  args: unknown,
  keys: readonly string[],
  body: (backend: Backend, args: Dict) => Promise<ToolResult>,
): Promise<ToolResult> {
  try {
    const backend = await deps.backend.get();
    if (!backend.ok) return errorAnswer(backend.error);
    const scrub = (r: ToolResult) => withoutSecret(r, backend.value.redact);
    const a = args === undefined || args === null ? {} : args;
    if (typeof a !== "object" || Array.isArray(a)) return scrub(invalid("The arguments must be an object."));
    const oversize = oversizeArguments(a);
    if (oversize !== undefined) return invalid(`The arguments are far too large (${oversize}).`);
    const unknown = Object.keys(a).filter((k) => !keys.includes(k));
    if (unknown.length > 0) {
      return scrub(
        invalid(
          `Unknown argument${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => JSON.stringify(k.slice(0, 40))).join(", ")}; ${name} takes ${keys.join(", ")}.`,
        ),
      );
    }
    return scrub(await body(backend.value, a as Dict));
  } catch (e) {
    deps.logger.error(`Unexpected error in ${name}`, {
      error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
      stack: e instanceof Error ? (e.stack ?? "").split("\n").slice(0, 6).join(" | ") : undefined,
    });
    return errorAnswer({
      category: "internal",
      message: `${name} hit an unexpected error (details are in the server's stderr log). The server is still running; try again.`,
    });
  }
}

/**
 * A whole number argument within bounds (models often send ids as strings: "12" is 12), or a
 * message naming the argument. Absent and null are `undefined`.
 */
export function intArg(
  a: Dict,
  key: string,
  min: number,
  max: number,
): { ok: true; value: number | undefined } | { ok: false; message: string } {
  const v = a[key];
  if (v === undefined || v === null || v === "") return { ok: true, value: undefined };
  const n = typeof v === "string" && /^\s*\d{1,15}\s*$/.test(v) ? Number(v) : v;
  if (typeof n === "number" && Number.isInteger(n) && n >= min && n <= max) return { ok: true, value: n };
  return {
    ok: false,
    message: `${key} must be a whole number from ${min} to ${max}; got ${JSON.stringify(v)?.slice(0, 40) ?? String(v)}.`,
  };
}

/** True for the failures after which a write may have been saved although no answer came back. */
export function mayHaveLanded(e: ToolError): boolean {
  return ["timeout", "cancelled", "connection", "upstream", "bad_response", "too_large", "internal"].includes(
    e.category,
  );
}

/** The demo and file backends keep dashboards in this process only. */
export const inMemoryNote = (backend: Backend): string | undefined =>
  backend.source.kind === "live"
    ? undefined
    : "Dashboards here are kept in this server process's memory only and are lost when it exits.";

/** The line an answer about saved dashboards carries when they are not live ones; none when live. */
export const sourceLines = (backend: Backend): string[] =>
  backend.source.kind === "live"
    ? []
    : [`**Source: ${describeSource(backend.source)}.** ${inMemoryNote(backend)}`];

/** The annotations of a tool that only reads. */
export const readOnlyAnnotations = (title: string): ToolDefinition["annotations"] => ({
  title,
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
});
