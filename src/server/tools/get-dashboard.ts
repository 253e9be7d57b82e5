/** `get_dashboard`: one saved dashboard and its widget definitions, read-only. */

import { cell, renderTable } from "../../report/format.js";
import { errorAnswer, listingAnswer } from "../../report/index.js";
import { isPlainObject } from "../../shared/json.js";
import { getDashboard } from "../../upstream/dashboards.js";
import { DASHBOARD_TOOL_DESCRIPTIONS } from "../model-texts.js";
import { intArg, invalid, readOnlyAnnotations, runTool, sourceLines, type ToolModule } from "./common.js";
import { dashboardRow, MAX_ID, notAList, widgetRow } from "./dashboard-rows.js";

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
