/**
 * Every text a model reads lives under prompts/ and is bundled into the build as a string, so
 * no runtime path (cwd, install layout, npx cache) can break it.
 */
import olderThan30Days from "../../prompts/older-than-30-days.md";
import serverInstructions from "../../prompts/server-instructions.md";
import createDashboard from "../../prompts/tool-create-dashboard.md";
import toolDescription from "../../prompts/tool-description.md";
import getDashboard from "../../prompts/tool-get-dashboard.md";
import getWidgetData from "../../prompts/tool-get-widget-data.md";
import listDashboards from "../../prompts/tool-list-dashboards.md";

export const TOOL_DESCRIPTION = toolDescription.trim();
export const SERVER_INSTRUCTIONS = serverInstructions.trim();
/** Appended to the 30-day refusal: what the person (not the model) can do about older calls. */
export const OLDER_THAN_30_DAYS = olderThan30Days.trim();

/** The dashboard tools' descriptions, by tool name. */
export const DASHBOARD_TOOL_DESCRIPTIONS = {
  list_dashboards: listDashboards.trim(),
  get_dashboard: getDashboard.trim(),
  get_widget_data: getWidgetData.trim(),
  create_dashboard: createDashboard.trim(),
} as const;
