/**
 * The MCP App chart view (the `io.modelcontextprotocol/ui` extension, spec 2026-01-26): one HTML
 * resource that app-capable clients render beside a tool's answer. A tool opts in with one line,
 * `_meta: VIEW_TOOL_META` in its definition; the answer itself (content, structuredContent) is
 * the same with or without it, so clients without apps see exactly the text they saw before.
 * The HTML (src/view/, built by scripts/build-view.mjs into dist/view.js) is loaded only when a
 * client reads it.
 */
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";

export const UI_EXTENSION = "io.modelcontextprotocol/ui";
export const VIEW_URI = "ui://cekura-dashboards/chart.html";
export const VIEW_MIME = "text/html;profile=mcp-app";

/** A tool's `_meta` naming the view: the spec's key and the older flat key some hosts still read. */
export const VIEW_TOOL_META: Readonly<Record<string, unknown>> = Object.freeze({
  ui: Object.freeze({ resourceUri: VIEW_URI }),
  "ui/resourceUri": VIEW_URI,
});

export const VIEW_RESOURCE = Object.freeze({
  uri: VIEW_URI,
  name: "chart-view",
  title: "Chart of a Cekura answer",
  description:
    "Interactive chart (line, bar, grouped bar, pie, stat card) of a preview_widget_data answer, with a table and 7/14/30-day buttons; rendered by clients that support MCP Apps.",
  mimeType: VIEW_MIME,
});

/** The view's HTML: built at build time into dist/view.js, beside the bundle, imported on first read. */
export async function viewHtml(): Promise<string> {
  try {
    return (await import("../view/chart.html")).default;
  } catch {
    throw new McpError(
      ErrorCode.InternalError,
      "The chart view could not be loaded: its file view.js, which sits beside server.js, is missing or unreadable, so the installation is incomplete. Reinstall the package (or the .mcpb bundle). The tools answer as before.",
    );
  }
}

/** resources/read of the view. No CSP in `_meta`: the host's default (no network) is what it needs. */
export async function readView(): Promise<{
  contents: { uri: string; mimeType: string; text: string; _meta: Record<string, unknown> }[];
}> {
  return {
    contents: [
      { uri: VIEW_URI, mimeType: VIEW_MIME, text: await viewHtml(), _meta: { ui: { prefersBorder: true } } },
    ],
  };
}
