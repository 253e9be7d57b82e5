/**
 * The MCP prompts: ready-made analyses that tell the model exactly which preview_widget_data
 * calls to make and how to phrase the answer. Each prompt's text, title, description and
 * argument descriptions live in prompts/prompt-<name>.md (front matter + body, see template.ts);
 * this module validates the arguments and fills the text. Front-matter keys other than title and
 * description are snippets (e.g. a filter) rendered first and usable as placeholders in the body.
 */

import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import answerStyle from "../../prompts/prompt-answer-style.md";
import callHealthReport from "../../prompts/prompt-call-health-report.md";
import draftDashboard from "../../prompts/prompt-draft-dashboard.md";
import explainDrop from "../../prompts/prompt-explain-drop.md";
import investigateMetric from "../../prompts/prompt-investigate-metric.md";
import { cut } from "../shared/text.js";
import {
  displayName,
  findPlotField,
  METADATA_KEY,
  PLOT_FIELDS,
  UPSTREAM_MAX_WINDOW_DAYS,
} from "../widget/catalogue.js";
import { DAY_MS, parseIsoDatetime, startOfUtcDay, toIso } from "../widget/time.js";
import { fillTemplate, parseFrontMatter, type TemplateVars } from "./template.js";

/** How an argument is checked; its description comes from the prompt's front matter. */
export type ArgumentKind = "days" | "id" | "text" | "date" | "plot_field";

interface PromptSpec {
  text: string;
  kinds: Readonly<Record<string, ArgumentKind>>;
  defaults?: Readonly<Record<string, string>>;
  /** Variables computed from the checked arguments (dates, field kinds, bucket size). */
  derive?: (args: Readonly<Record<string, string>>, now: number) => TemplateVars;
}

const BASELINE_DAYS = 7;
const GOAL_MAX_LENGTH = 500;

/** Up to two days, hourly buckets read better; beyond, daily ones keep the answer small. */
const periodFor = (days: string) => (Number(days) <= 2 ? "hour" : "day");

/** Fields explain-drop can compare: those a bar chart can aggregate without a metric id. */
const DROP_FIELDS = PLOT_FIELDS.filter((f) => !f.requiresMetric && f.name !== "agent_id");

/** Whole weeks (Monday to Sunday, UTC) a weekly widget previews: as many as the 30-day limit allows at any weekday. */
const WHOLE_WEEKS = 3;

/**
 * The last WHOLE_WEEKS whole weeks before the current one, as `today-Nd` offsets: the start is a
 * Monday's 00:00 and the end (lte) the last Sunday's 23:59:59, so no week bucket is partial.
 */
function wholeWeeks(now: number): TemplateVars {
  const sinceMonday = (new Date(now).getUTCDay() + 6) % 7;
  return {
    weeks_start_days: String(sinceMonday + 7 * WHOLE_WEEKS),
    weeks_end_days: String(sinceMonday + 1),
    whole_weeks: String(WHOLE_WEEKS),
  };
}

const SPECS: Readonly<Record<string, PromptSpec>> = {
  "call-health-report": {
    text: callHealthReport,
    kinds: { days: "days", agent_id: "id" },
    derive: (a) => ({ period: periodFor(a.days!) }),
  },
  "draft-dashboard": {
    text: draftDashboard,
    kinds: { goal: "text", agent_id: "id" },
    derive: (_a, now) => wholeWeeks(now),
  },
  "investigate-metric": {
    text: investigateMetric,
    kinds: { metric_id: "id", days: "days" },
    defaults: { days: "14" },
    derive: (a) => ({ period: periodFor(a.days!) }),
  },
  "explain-drop": {
    text: explainDrop,
    kinds: { field: "plot_field", day: "date" },
    derive: (a, now) => {
      const dayStart = parseIsoDatetime(a.day!)!;
      const limit = startOfUtcDay(now) - UPSTREAM_MAX_WINDOW_DAYS * DAY_MS;
      // Keep the baseline inside the API's 30-day window when the day itself is inside it.
      const old = dayStart - DAY_MS < limit;
      const baselineStart = old
        ? dayStart - BASELINE_DAYS * DAY_MS
        : Math.max(dayStart - BASELINE_DAYS * DAY_MS, limit);
      const dataType = findPlotField(a.field!)!.entry.dataType;
      const field = a.field!;
      return {
        day_start: toIso(dayStart),
        day_end: toIso(dayStart + DAY_MS),
        baseline_start: toIso(baselineStart),
        is_today: dayStart === startOfUtcDay(now),
        is_old: old,
        is_boolean: dataType === "boolean",
        is_numeric: dataType === "numeric",
        is_string: dataType === "string",
        // End reasons and drop-off points have their own pies in the text.
        field_pie: dataType === "string" && field !== "call_ended_reason" && field !== "dropoff_point",
      };
    },
  },
};

export interface McpPromptArgumentInfo {
  name: string;
  description: string;
  required: boolean;
}

export interface McpPromptInfo {
  name: string;
  title: string;
  description: string;
  arguments: McpPromptArgumentInfo[];
}

interface LoadedPrompt {
  info: McpPromptInfo;
  spec: PromptSpec;
  snippets: [string, string][];
  body: string;
}

function load(name: string, spec: PromptSpec): LoadedPrompt {
  const fm = parseFrontMatter(spec.text);
  const { title, description, ...snippets } = fm.fields;
  if (!title || !description) throw new Error(`prompts/prompt-${name}.md needs a title and a description.`);
  for (const a of fm.arguments) {
    if (!spec.kinds[a.name])
      throw new Error(`prompts/prompt-${name}.md declares an unknown argument ${a.name}.`);
  }
  for (const k of Object.keys(spec.kinds)) {
    if (!fm.arguments.some((a) => a.name === k))
      throw new Error(`prompts/prompt-${name}.md does not describe ${k}.`);
  }
  const fixed = {
    max_window_days: String(UPSTREAM_MAX_WINDOW_DAYS),
    drop_fields: DROP_FIELDS.map(displayName).join(", "),
  };
  return {
    info: {
      name,
      title,
      description: fillTemplate(description, fixed),
      arguments: fm.arguments.map((a) => ({ ...a, description: fillTemplate(a.description, fixed) })),
    },
    spec,
    snippets: Object.entries(snippets),
    body: fm.body,
  };
}

const PROMPTS: readonly LoadedPrompt[] = Object.entries(SPECS).map(([name, spec]) => load(name, spec));

export const MCP_PROMPT_NAMES = PROMPTS.map((p) => p.info.name);

/** prompts/list */
export function listMcpPrompts(): { prompts: McpPromptInfo[] } {
  return { prompts: PROMPTS.map((p) => p.info) };
}

const invalid = (message: string) => new McpError(ErrorCode.InvalidParams, message);
const show = (v: string) => JSON.stringify(cut(v, 60));

function checkArgument(kind: ArgumentKind, name: string, raw: string, now: number): string {
  const v = raw.trim();
  switch (kind) {
    case "days": {
      const n = Number(v);
      if (!/^\d{1,3}$/.test(v) || n < 1 || n > UPSTREAM_MAX_WINDOW_DAYS) {
        throw invalid(
          `${name} must be a whole number of days from 1 to ${UPSTREAM_MAX_WINDOW_DAYS} (the Cekura API looks back at most ${UPSTREAM_MAX_WINDOW_DAYS} days); got ${show(raw)}.`,
        );
      }
      return String(n);
    }
    case "id":
      if (!/^\d{1,15}$/.test(v) || Number(v) < 1) {
        throw invalid(`${name} must be a positive whole number (an id such as 12); got ${show(raw)}.`);
      }
      return String(Number(v));
    case "text":
      if (v.length > GOAL_MAX_LENGTH) throw invalid(`${name} must be at most ${GOAL_MAX_LENGTH} characters.`);
      return v;
    case "date": {
      const at = /^\d{4}-\d{2}-\d{2}$/.test(v) ? parseIsoDatetime(v) : undefined;
      if (at === undefined) {
        throw invalid(
          `${name} must be a UTC date written YYYY-MM-DD, e.g. ${toIso(now).slice(0, 10)}; got ${show(raw)}.`,
        );
      }
      if (at > startOfUtcDay(now)) {
        throw invalid(`${name} ${v} is in the future; today is ${toIso(now).slice(0, 10)} (UTC).`);
      }
      return v;
    }
    case "plot_field": {
      const names = DROP_FIELDS.map(displayName);
      const found = findPlotField(v);
      const usable = found !== undefined && DROP_FIELDS.includes(found.entry);
      if (!usable || (found.key !== undefined && !METADATA_KEY.test(found.key))) {
        throw invalid(
          `${name} must be one of ${names.join(", ")} (metadata.<key> with one top-level key); got ${show(raw)}.`,
        );
      }
      return v;
    }
  }
}

/**
 * prompts/get: the filled prompt, or McpError InvalidParams naming the argument at fault. `now`
 * (epoch ms) dates the relative checks (a day in the future, the 30-day window).
 */
export function getMcpPrompt(
  name: string,
  args: Readonly<Record<string, string>> | undefined,
  now: number,
  opts: { writes: boolean } = { writes: true },
): { description: string; messages: { role: "user"; content: { type: "text"; text: string } }[] } {
  const prompt = PROMPTS.find((p) => p.info.name === name);
  if (!prompt) throw invalid(`Unknown prompt ${show(name)}. Prompts: ${MCP_PROMPT_NAMES.join(", ")}.`);
  const { info, spec } = prompt;
  const given = args ?? {};
  for (const key of Object.keys(given)) {
    if (!spec.kinds[key]) {
      throw invalid(
        `Prompt ${name} takes ${info.arguments.map((a) => a.name).join(", ")}; there is no argument ${show(key)}.`,
      );
    }
  }
  const checked: Record<string, string> = {};
  for (const a of info.arguments) {
    const raw = given[a.name];
    // Clients send "" for an optional argument left empty.
    if (raw === undefined || (typeof raw === "string" && raw.trim() === "")) {
      const fallback = spec.defaults?.[a.name];
      if (fallback !== undefined) checked[a.name] = fallback;
      else if (a.required) throw invalid(`Prompt ${name} needs the argument ${a.name}: ${a.description}`);
      continue;
    }
    if (typeof raw !== "string") throw invalid(`Argument ${a.name} must be a string.`);
    checked[a.name] = checkArgument(spec.kinds[a.name]!, a.name, raw, now);
  }

  const vars: Record<string, string | boolean | undefined> = {
    ...Object.fromEntries(info.arguments.map((a) => [a.name, checked[a.name] ?? ""])),
    ...spec.derive?.(checked, now),
    answer_style: answerStyle.trim(),
    can_save: opts.writes,
    max_window_days: String(UPSTREAM_MAX_WINDOW_DAYS),
  };
  for (const [key, snippet] of prompt.snippets) vars[key] = fillTemplate(snippet, vars);
  const text = fillTemplate(prompt.body, vars)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { description: info.description, messages: [{ role: "user", content: { type: "text", text } }] };
}
