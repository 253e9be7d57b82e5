/**
 * Every text a model reads lives under prompts/ and is bundled into the build as a string, so
 * no runtime path (cwd, install layout, npx cache) can break it.
 */
import serverInstructions from "../../prompts/server-instructions.md";
import createDashboard from "../../prompts/tool-create-dashboard.md";
import toolDescription from "../../prompts/tool-description.md";
import getDashboard from "../../prompts/tool-get-dashboard.md";
import getWidgetData from "../../prompts/tool-get-widget-data.md";
import listDashboards from "../../prompts/tool-list-dashboards.md";

export const TOOL_DESCRIPTION = toolDescription.trim();
export const SERVER_INSTRUCTIONS = serverInstructions.trim();

/** The dashboard tools' descriptions, by tool name. */
export const DASHBOARD_TOOL_DESCRIPTIONS = {
  list_dashboards: listDashboards.trim(),
  get_dashboard: getDashboard.trim(),
  get_widget_data: getWidgetData.trim(),
  create_dashboard: createDashboard.trim(),
} as const;
