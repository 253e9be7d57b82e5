/**
 * The server's tools, in the order tools/list shows them. Each module publishes its definition
 * (description from prompts/, portable JSON Schema, all four annotations) and its handler.
 */
import type { ToolModule } from "./common.js";
import { createDashboardTool } from "./create-dashboard.js";
import { getDashboardTool } from "./get-dashboard.js";
import { getWidgetDataTool } from "./get-widget-data.js";
import { listDashboardsTool } from "./list-dashboards.js";
import { handlePreviewWidgetData, TOOL_NAME, toolDefinition } from "./preview-widget-data.js";

export type { ConfirmOutcome, ToolContext, ToolDeps, ToolModule } from "./common.js";

const previewTool: ToolModule = {
  name: TOOL_NAME,
  write: false,
  definition: toolDefinition,
  call: (deps, args, ctx) => handlePreviewWidgetData(deps, args, ctx.signal),
};

export const TOOL_MODULES: readonly ToolModule[] = [
  previewTool,
  listDashboardsTool,
  getDashboardTool,
  getWidgetDataTool,
  createDashboardTool,
];

/** The tools a server offers: all, or without the writing ones when writes are disabled. */
export function toolsFor(opts: { disableWrite?: boolean }): readonly ToolModule[] {
  return opts.disableWrite ? TOOL_MODULES.filter((t) => !t.write) : TOOL_MODULES;
}
