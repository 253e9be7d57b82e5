/**
 * `list_dashboards` and `get_dashboard`: the saved dashboards, read-only. Pages are computed here
 * from `count` and the page size; a `next` URL from the service is never followed (it could name
 * another origin, and the key goes with every request).
 */

import { cell, renderTable } from "../../report/format.js";
import { describeSavedFilter, errorAnswer, listingAnswer } from "../../report/index.js";
import { isPlainObject } from "../../shared/json.js";
import { getDashboard, listDashboards } from "../../upstream/dashboards.js";
import { DASHBOARD_TOOL_DESCRIPTIONS } from "../model-texts.js";
import { intArg, invalid, readOnlyAnnotations, runTool, sourceLines, type ToolModule } from "./common.js";

const MAX_ID = 2 ** 31 - 1;
export const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

const text = (v: unknown): string =>
  typeof v === "string" ? v : v === null || v === undefined ? "" : String(v);
const idOf = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isInteger(v) ? v : undefined;
const dateOf = (v: unknown): string => (typeof v === "string" ? v.replace(/\.\d+/, "").slice(0, 20) : "");

/** A dashboard as the answer shows it: no widgets, no layout. */
function dashboardRow(d: Record<string, unknown>) {
  const count = Number(d.widget_count ?? (Array.isArray(d.widgets) ? d.widgets.length : Number.NaN));
  return {
    id: idOf(d.id) ?? null,
    name: text(d.name),
    project: idOf(d.project) ?? null,
    widget_count: Number.isFinite(count) ? count : null,
    filters: describeSavedFilter(d.filters),
    updated_at: dateOf(d.updated_at),
  };
}

const notAList = (what: string) =>
  errorAnswer({
    category: "bad_response",
    message: `The Cekura API answered, but not with ${what} this server can read. Check CEKURA_BASE_URL, or retry later.`,
  });

export const listDashboardsTool: ToolModule = {
  name: "list_dashboards",
  write: false,
  definition: () => ({
    name: "list_dashboards",
    title: "List Cekura dashboards",
    description: DASHBOARD_TOOL_DESCRIPTIONS.list_dashboards,
    inputSchema: {
      type: "object",
      properties: {
        project_id: { type: "integer", description: "Only this project's dashboards" },
        page: { type: "integer", minimum: 1, description: "Page, from 1 (default 1)" },
        page_size: {
          type: "integer",
          minimum: 1,
          maximum: MAX_PAGE_SIZE,
          description: "Dashboards per page (default 20)",
        },
      },
      additionalProperties: false,
    },
    annotations: readOnlyAnnotations("List Cekura dashboards"),
  }),
  call: (deps, args, ctx) =>
    runTool("list_dashboards", deps, args, ["project_id", "page", "page_size"], async (backend, a) => {
      const project = intArg(a, "project_id", 0, MAX_ID);
      const page = intArg(a, "page", 1, 100_000);
      const size = intArg(a, "page_size", 1, MAX_PAGE_SIZE);
      for (const r of [project, page, size]) if (!r.ok) return invalid(r.message);
      const q = {
        page: (page.ok && page.value) || 1,
        page_size: (size.ok && size.value) || DEFAULT_PAGE_SIZE,
        ...(project.ok && project.value !== undefined ? { project_id: project.value } : {}),
      };
      const reply = await listDashboards(backend.client, q, ctx.signal ? { signal: ctx.signal } : {});
      if (!reply.ok) {
        // DRF answers a page past the end with 404 "Invalid page."
        if (reply.error.category === "not_found" && q.page > 1) {
          return invalid(
            `There is no page ${q.page} of dashboards${"project_id" in q ? ` in project ${q.project_id}` : ""}; start again from page 1.`,
          );
        }
        return errorAnswer(reply.error);
      }
      const body = reply.value.body;
      if (!isPlainObject(body) || !Array.isArray(body.results)) return notAList("a page of dashboards");
      const rows = body.results.filter(isPlainObject).map(dashboardRow);
      const count = typeof body.count === "number" ? body.count : rows.length;
      const pages = Math.max(1, Math.ceil(count / q.page_size));
      const scope =
        "project_id" in q
          ? `project ${q.project_id}`
          : "every project (without project_id Cekura lists all projects' dashboards; pass project_id to narrow)";
      return listingAnswer({
        summary: (max) =>
          [
            `**Dashboards** of ${scope}: page ${q.page} of ${pages}, ${count} in all.`,
            ...sourceLines(backend),
            "",
            rows.length === 0
              ? "No dashboards on this page."
              : renderTable({
                  headers: ["id", "name", "project", "widgets", "filters", "updated (UTC)"],
                  rowCount: rows.length,
                  row: (i) => {
                    const r = rows[i]!;
                    return [
                      String(r.id ?? ""),
                      cell(r.name, 60),
                      String(r.project ?? ""),
                      String(r.widget_count ?? ""),
                      cell(r.filters, 120),
                      r.updated_at,
                    ];
                  },
                  maxChars: max - 400,
                  elide: "tail",
                }),
            ...(q.page < pages ? ["", `More: call list_dashboards with page ${q.page + 1}.`] : []),
          ].join("\n"),
        items: rows,
        extra: { page: q.page, pages, count },
        source: backend.source,
        budgetChars: deps.budgetChars,
      });
    }),
};

/** A saved widget's definition as the answer shows it: no layout `metadata`. */
function widgetRow(w: Record<string, unknown>) {
  const g = w.group_by;
  const groupBy = isPlainObject(g)
    ? g.type === "field"
      ? `field ${text(g.field)}`
      : g.type === "bucket"
        ? `bucket ${text(g.interval)} ms`
        : ""
    : "";
  return {
    id: idOf(w.id) ?? null,
    name: text(w.name),
    chart_type: text(w.chart_type),
    field: text(w.field),
    aggregation_function: text(w.aggregation_function),
    time_period: text(w.time_period),
    metric: idOf(w.metric) ?? null,
    metric_name: text(w.metric_name),
    group_by: groupBy,
    filters: describeSavedFilter(w.filters),
  };
}

export const getDashboardTool: ToolModule = {
  name: "get_dashboard",
  write: false,
  definition: () => ({
    name: "get_dashboard",
    title: "Get a Cekura dashboard",
    description: DASHBOARD_TOOL_DESCRIPTIONS.get_dashboard,
    inputSchema: {
      type: "object",
      properties: { dashboard_id: { type: "integer", description: "The dashboard's id (list_dashboards)" } },
      required: ["dashboard_id"],
      additionalProperties: false,
    },
    annotations: readOnlyAnnotations("Get a Cekura dashboard"),
  }),
  call: (deps, args, ctx) =>
    runTool("get_dashboard", deps, args, ["dashboard_id"], async (backend, a) => {
      const id = intArg(a, "dashboard_id", 1, MAX_ID);
      if (!id.ok) return invalid(id.message);
      if (id.value === undefined)
        return invalid("dashboard_id is required: a dashboard's id from list_dashboards.");
      const reply = await getDashboard(backend.client, id.value, ctx.signal ? { signal: ctx.signal } : {});
      if (!reply.ok) {
        if (reply.error.category === "not_found") {
          return errorAnswer({
            category: "not_found",
            message: `There is no dashboard ${id.value} (or this key cannot see it). list_dashboards shows the ids.`,
          });
        }
        return errorAnswer(reply.error);
      }
      const d = reply.value.body;
      if (!isPlainObject(d)) return notAList("a dashboard");
      const widgets = (Array.isArray(d.widgets) ? d.widgets : []).filter(isPlainObject).map(widgetRow);
      const head = dashboardRow(d);
      return listingAnswer({
        summary: (max) =>
          [
            `**Dashboard ${head.id ?? id.value}: ${cell(head.name, 120)}** (project ${head.project ?? "none"}, updated ${head.updated_at || "unknown"} UTC)`,
            `Dashboard filters (they apply to every widget): ${head.filters}.`,
            ...sourceLines(backend),
            "",
            widgets.length === 0
              ? "No widgets on this dashboard."
              : renderTable({
                  headers: [
                    "id",
                    "name",
                    "chart",
                    "field",
                    "aggregation",
                    "period",
                    "metric",
                    "group by",
                    "filters",
                  ],
                  rowCount: widgets.length,
                  row: (i) => {
                    const w = widgets[i]!;
                    const metric =
                      w.metric === null ? "" : `${w.metric}${w.metric_name ? ` (${w.metric_name})` : ""}`;
                    return [
                      String(w.id ?? ""),
                      cell(w.name, 50),
                      w.chart_type,
                      cell(w.field, 40),
                      w.aggregation_function,
                      w.time_period,
                      cell(metric, 50),
                      cell(w.group_by, 30),
                      cell(w.filters, 100),
                    ];
                  },
                  maxChars: max - 600,
                  elide: "tail",
                }),
            "",
            "Their data: get_widget_data with widget_ids.",
          ].join("\n"),
        items: widgets,
        extra: { dashboard: head },
        source: backend.source,
        budgetChars: deps.budgetChars,
      });
    }),
};
