/**
 * `list_dashboards`: the saved dashboards, read-only. Pages are computed here from `count` and the
 * page size; a `next` URL from the service is never followed (it could name another origin, and
 * the key goes with every request).
 */

import { cell, renderTable } from "../../report/format.js";
import { errorAnswer, listingAnswer } from "../../report/index.js";
import { isPlainObject } from "../../shared/json.js";
import { listDashboards } from "../../upstream/dashboards.js";
import { DASHBOARD_TOOL_DESCRIPTIONS } from "../model-texts.js";
import { intArg, invalid, readOnlyAnnotations, runTool, sourceLines, type ToolModule } from "./common.js";
import { dashboardRow, MAX_ID, notAList } from "./dashboard-rows.js";

export const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

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
