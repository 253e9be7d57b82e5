/**
 * `create_dashboard`: the server's only write, additive. Every widget is validated here and
 * previewed with the dashboard's filters before anything is saved; the person confirms where the
 * client can ask (elicitation); then ONE create request and ONE bulk_widgets request (body
 * `{create}`), each sent once: a lost answer is reported as "may exist", never retried, and
 * nothing is ever deleted, even when the widgets fail after the dashboard was made.
 */
import { cell, renderTable } from "../../report/format.js";
import { describeSavedFilter, errorAnswer, listingAnswer } from "../../report/index.js";
import type { ToolError } from "../../shared/errors.js";
import { isPlainObject } from "../../shared/json.js";
import { addWidgets, createDashboard, WIDGET_BODY_KEYS } from "../../upstream/dashboards.js";
import { WIDGET_FIELDS } from "../../widget/catalogue.js";
import { parsePreviewResponse } from "../../widget/response.js";
import type { WidgetQuery } from "../../widget/types.js";
import { describeIssues, type ValidationIssue, validateWidgetQuery } from "../../widget/validate.js";
import type { Backend } from "../backend.js";
import { DASHBOARD_TOOL_DESCRIPTIONS } from "../model-texts.js";
import {
  filterSchemas,
  inMemoryNote,
  intArg,
  invalid,
  mayHaveLanded,
  runTool,
  type ToolContext,
  type ToolDeps,
  type ToolModule,
} from "./common.js";

export const MAX_NEW_WIDGETS = 12;
const NAME_MAX = 255;
const WIDGET_KEYS: readonly string[] = WIDGET_FIELDS;

type Dict = Record<string, unknown>;

function widgetItemSchema(): Dict {
  return {
    type: "object",
    properties: {
      name: { type: "string", maxLength: NAME_MAX, description: "Widget title" },
      chart_type: {
        type: "string",
        enum: ["line", "bar", "pie", "stat"],
        description: "As in preview_widget_data",
      },
      field: { type: "string", description: "As in preview_widget_data; omit for stat" },
      aggregation_function: {
        type: "string",
        enum: ["count", "sum", "avg", "min", "max", "p50", "p95", "p99"],
        description: "Bar only",
      },
      time_period: { type: "string", enum: ["hour", "day", "week", "month"], description: "Bar only" },
      metric: { type: "integer", description: "Metric id, for metric_evaluations.value" },
      group_by: {
        type: "object",
        properties: {
          type: { type: "string", enum: ["field", "bucket"], description: "field or bucket" },
          field: { type: "string", description: "For type field, e.g. agent.id" },
          interval: { type: "integer", description: "For type bucket: milliseconds" },
        },
        required: ["type"],
        additionalProperties: false,
        description: "Optional grouping",
      },
      // The filter tree once per tool (on the dashboard) keeps tools/list small; the shape is the same.
      filters: { type: "object", description: "The widget's own filters, shaped as the dashboard's filters" },
    },
    required: ["name", "chart_type"],
    additionalProperties: false,
  };
}

/** The checked widgets (each as previewed: the dashboard's filters in), or the issues, paths from the root. */
function checkWidgets(
  a: Dict,
  now: number,
  backend: Backend,
): { ok: true; queries: WidgetQuery[] } | { ok: false; issues: ValidationIssue[] } {
  const issues: ValidationIssue[] = [];
  const widgets = a.widgets;
  if (!Array.isArray(widgets) || widgets.length === 0 || widgets.length > MAX_NEW_WIDGETS) {
    return {
      ok: false,
      issues: [{ path: "widgets", message: `widgets must be a list of 1 to ${MAX_NEW_WIDGETS} widgets.` }],
    };
  }
  const dashFilters = a.filters;
  if (dashFilters !== undefined && dashFilters !== null && !isPlainObject(dashFilters)) {
    issues.push({ path: "filters", message: "filters must be a condition or a group (a JSON object)." });
  }
  const queries: WidgetQuery[] = [];
  const seen = new Set<string>();
  for (const [i, w] of widgets.entries()) {
    const at = `widgets[${i}]`;
    if (!isPlainObject(w)) {
      issues.push({
        path: at,
        message: "Each widget is an object: name, chart_type and the other preview_widget_data arguments.",
      });
      continue;
    }
    const unknown = Object.keys(w).filter((k) => !WIDGET_KEYS.includes(k));
    for (const k of unknown) {
      const why =
        k === "dashboard_filters" || k === "dashboard"
          ? " Put filters for the whole dashboard in the top-level filters."
          : "";
      issues.push({
        path: `${at}.${k}`,
        message: `Unknown widget key "${k.slice(0, 40)}".${why} A widget takes ${WIDGET_KEYS.join(", ")}.`,
      });
    }
    if (typeof w.name !== "string" || w.name.trim() === "")
      issues.push({ path: `${at}.name`, message: "Each widget needs a name (its title)." });
    const body: Dict = {};
    for (const k of WIDGET_KEYS) if (w[k] !== undefined) body[k] = w[k];
    if (isPlainObject(dashFilters)) body.dashboard_filters = dashFilters;
    const checked = validateWidgetQuery(body, {
      now,
      // Saved widgets are computed later without a default start: one must be there (not for a local file).
      ...(backend.maxWindowDays !== undefined
        ? { maxWindowDays: backend.maxWindowDays, requireStart: true }
        : {}),
    });
    if (checked.ok) {
      queries.push(checked.query);
      continue;
    }
    for (const issue of checked.issues) {
      const onDashboard = issue.path.startsWith("dashboard_filters");
      const path = onDashboard ? issue.path.replace(/^dashboard_filters/, "filters") : `${at}.${issue.path}`;
      if (onDashboard && seen.has(path + issue.message)) continue;
      seen.add(path + issue.message);
      const startNote = checked.missingStart
        ? ' Saved widgets need a window start: put it in the dashboard\'s filters, e.g. {"field":"timestamp","op":"gte","value":"today-7d"}.'
        : "";
      issues.push({ ...issue, path, message: issue.message + startNote });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, queries };
}

/** A write whose answer was lost: what to tell the model so that it checks instead of retrying. */
function uncertain(e: ToolError, what: string, check: string): ToolError {
  return {
    category: e.category,
    message: `${what} was sent, but no clear answer came back (${e.message}) It MAY have been saved. Do not call create_dashboard again: ${check} Requests that write are never retried.`,
  };
}

async function create(deps: ToolDeps, backend: Backend, a: Dict, ctx: ToolContext) {
  const name = typeof a.name === "string" ? a.name.trim() : "";
  if (name === "" || name.length > NAME_MAX)
    return invalid(`name is required: the dashboard's title, at most ${NAME_MAX} characters.`);
  const project = intArg(a, "project", 0, 2 ** 31 - 1);
  if (!project.ok) return invalid(project.message);
  const now = (deps.now ?? Date.now)();
  const checked = checkWidgets(a, now, backend);
  if (!checked.ok)
    return invalid(describeIssues(checked.issues).replace("; nothing was sent.", "; nothing was saved."));

  // Every widget previews with the dashboard's filters before anything is saved.
  const opts = ctx.signal ? { signal: ctx.signal } : {};
  const previews = await Promise.all(checked.queries.map((q) => backend.client.postPreviewData(q, opts)));
  const problems: string[] = [];
  let category: ToolError["category"] = "validation";
  const points: number[] = [];
  for (const [i, reply] of previews.entries()) {
    const q = checked.queries[i]!;
    const parsed = reply.ok ? parsePreviewResponse(reply.value.body, q.chart_type) : reply;
    if (!parsed.ok) {
      if (problems.length === 0) category = parsed.error.category;
      problems.push(`- widgets[${i}] (${q.name}): ${parsed.error.category}: ${parsed.error.message}`);
    } else points.push(Array.isArray(parsed.value.data) ? parsed.value.data.length : 1);
  }
  if (problems.length > 0) {
    return errorAnswer({
      category,
      message: `Nothing was saved: ${problems.length} widget preview${problems.length > 1 ? "s" : ""} failed (with the dashboard's filters applied).\n${problems.join("\n")}\nFix those widgets (check them with preview_widget_data) and call create_dashboard again.`,
    });
  }

  const dashFilters = isPlainObject(a.filters) ? a.filters : undefined;
  if (ctx.confirm) {
    const outcome = await ctx.confirm(
      `Save a new Cekura dashboard "${name}" with ${checked.queries.length} widgets (${checked.queries.map((q) => q.name).join(", ")})? Nothing existing is changed.`,
      ctx.signal,
    );
    if (outcome === "decline" || outcome === "cancel") {
      return errorAnswer({
        category: "cancelled",
        message: `The person did not confirm, so nothing was saved (${outcome}). Ask them what to change.`,
      });
    }
  }

  const made = await createDashboard(
    backend.client,
    {
      name,
      ...(project.value !== undefined ? { project: project.value } : {}),
      ...(dashFilters ? { filters: dashFilters } : {}),
    },
    opts,
  );
  const checkList = `call list_dashboards${project.value !== undefined ? ` with project_id ${project.value}` : ""} and look for "${name}" first.`;
  if (!made.ok) {
    if (mayHaveLanded(made.error))
      return errorAnswer(uncertain(made.error, "The request to create the dashboard", checkList));
    return errorAnswer({ ...made.error, message: `${made.error.message}\nNothing was saved.` });
  }
  const dashboardId = isPlainObject(made.value.body) ? made.value.body.id : undefined;
  if (typeof dashboardId !== "number") {
    return errorAnswer(
      uncertain(
        { category: "bad_response", message: "the answer held no dashboard id." },
        "The request to create the dashboard",
        checkList,
      ),
    );
  }

  const bodies = checked.queries.map((q) => {
    const body: Dict = {};
    for (const k of WIDGET_BODY_KEYS)
      if (q[k as keyof WidgetQuery] !== undefined) body[k] = q[k as keyof WidgetQuery];
    return body;
  });
  const added = await addWidgets(backend.client, dashboardId, bodies, opts);
  const kept = `Dashboard ${dashboardId} "${name}" was created and stays (nothing is ever deleted); do not create it again.`;
  if (!added.ok) {
    if (mayHaveLanded(added.error)) {
      return errorAnswer(
        uncertain(
          added.error,
          `${kept} The request adding its widgets`,
          `call get_dashboard with dashboard_id ${dashboardId} to see which widgets it has.`,
        ),
      );
    }
    return errorAnswer({
      ...added.error,
      message: `${kept} But adding its widgets failed, so it has none: ${added.error.message}`,
    });
  }
  const createdList =
    isPlainObject(added.value.body) && Array.isArray(added.value.body.created)
      ? added.value.body.created.filter(isPlainObject)
      : [];
  const rows = createdList.map((w, i) => ({
    id: typeof w.id === "number" ? w.id : null,
    name: typeof w.name === "string" ? w.name : String(checked.queries[i]?.name ?? ""),
    chart_type: typeof w.chart_type === "string" ? w.chart_type : "",
    preview_points: points[i] ?? null,
  }));
  const short = rows.length < bodies.length;
  const ids = rows.map((r) => r.id).filter((id) => id !== null);
  return listingAnswer({
    summary: (max) =>
      [
        `**Saved dashboard ${dashboardId}: ${cell(name, 120)}**${project.value !== undefined ? ` (project ${project.value})` : ""} with ${rows.length} widget${rows.length === 1 ? "" : "s"}.`,
        `Dashboard filters: ${describeSavedFilter(dashFilters)}.`,
        ...(short
          ? [
              `Only ${rows.length} of ${bodies.length} widgets came back as created: check with get_dashboard ${dashboardId}.`,
            ]
          : []),
        ...(backend.source.kind === "live" ? [] : [`**${inMemoryNote(backend)}**`]),
        "",
        renderTable({
          headers: ["widget id", "name", "chart", "preview items"],
          rowCount: rows.length,
          row: (i) => [
            String(rows[i]!.id ?? ""),
            cell(rows[i]!.name, 60),
            rows[i]!.chart_type,
            String(rows[i]!.preview_points ?? ""),
          ],
          maxChars: max - 600,
          elide: "tail",
        }),
        "",
        `Their data as saved: get_widget_data with widget_ids ${JSON.stringify(ids.slice(0, 10))}.`,
      ].join("\n"),
    items: rows,
    extra: { dashboard: { id: dashboardId, name, project: project.value ?? null } },
    source: backend.source,
    budgetChars: deps.budgetChars,
  });
}

export const createDashboardTool: ToolModule = {
  name: "create_dashboard",
  write: true,
  definition: () => ({
    name: "create_dashboard",
    title: "Save a new Cekura dashboard",
    description: DASHBOARD_TOOL_DESCRIPTIONS.create_dashboard,
    inputSchema: {
      type: "object",
      properties: {
        name: { type: "string", maxLength: NAME_MAX, description: "The dashboard's title" },
        project: { type: "integer", description: "Optional project id" },
        filters: {
          ...(filterSchemas().shallow as Dict),
          description: "Dashboard filters: every widget gets them",
        },
        widgets: {
          type: "array",
          items: widgetItemSchema(),
          minItems: 1,
          maxItems: MAX_NEW_WIDGETS,
          description: "1 to 12 widgets",
        },
      },
      required: ["name", "widgets"],
      additionalProperties: false,
    },
    // Additive: it saves something new and changes nothing that exists; two calls make two dashboards.
    annotations: {
      title: "Save a new Cekura dashboard",
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: false,
    },
  }),
  call: (deps, args, ctx) =>
    runTool("create_dashboard", deps, args, ["name", "project", "filters", "widgets"], (backend, a) =>
      create(deps, backend, a, ctx),
    ),
};
