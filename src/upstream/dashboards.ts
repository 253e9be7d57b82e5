/**
 * Cekura's dashboard endpoints (docs/cekura-api.md §6), on the client's one request primitive.
 * Reads are GETs; the only writes are the two bodies built here, each sent once (never retried):
 * a new dashboard `{name, project?, filters?}` and its widgets `{create: [...]}`. Nothing here
 * updates or deletes: test/upstream/dashboards.test.ts enumerates everything this file can send.
 */
import type { Result, ToolError } from "../shared/errors.js";
import { WIDGET_FIELDS } from "../widget/catalogue.js";
import type { UpstreamClient, UpstreamSuccess } from "./client.js";

export const DASHBOARDS_PATH = "/dashboards/dashboards/";
export const dashboardPath = (id: number): string => `${DASHBOARDS_PATH}${id}/`;
export const bulkWidgetsPath = (id: number): string => `${DASHBOARDS_PATH}${id}/bulk_widgets/`;
export const widgetPath = (id: number): string => `/dashboards/widgets/${id}/`;
export const widgetDataPath = (id: number): string => `/dashboards/widgets/${id}/data/`;

/** Keys of a new dashboard's body. */
export const DASHBOARD_BODY_KEYS = ["name", "project", "filters"] as const;
/** Keys of a new widget's body: a preview's, less the dashboard-level ones (the path names the dashboard). */
export const WIDGET_BODY_KEYS = WIDGET_FIELDS;

type Reply = Promise<Result<UpstreamSuccess, ToolError>>;
type Opts = { signal?: AbortSignal };

/** Keeps the listed keys that are set, in the listed order: nothing else can reach a write body. */
function pick(source: Readonly<Record<string, unknown>>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out;
}

export function listDashboards(
  client: UpstreamClient,
  q: { page: number; page_size: number; project_id?: number },
  opts?: Opts,
): Reply {
  return client.request({ method: "GET", path: DASHBOARDS_PATH, query: q }, opts);
}

export function getDashboard(client: UpstreamClient, id: number, opts?: Opts): Reply {
  return client.request({ method: "GET", path: dashboardPath(id) }, opts);
}

export function getWidget(client: UpstreamClient, id: number, opts?: Opts): Reply {
  return client.request({ method: "GET", path: widgetPath(id) }, opts);
}

/** A saved widget's data; `filters` REPLACES the widget's own filters for this request. */
export function getWidgetData(client: UpstreamClient, id: number, filters: unknown, opts?: Opts): Reply {
  const query = filters === undefined ? {} : { filters: JSON.stringify(filters) };
  return client.request({ method: "GET", path: widgetDataPath(id), query }, opts);
}

/** Write 1 of 2: a new, empty dashboard. Sent once. */
export function createDashboard(
  client: UpstreamClient,
  body: { name: string; project?: number; filters?: unknown },
  opts?: Opts,
): Reply {
  return client.request(
    { method: "POST", path: DASHBOARDS_PATH, body: pick(body, DASHBOARD_BODY_KEYS), write: true },
    opts,
  );
}

/** Write 2 of 2: widgets added to a dashboard, in one request whose body has one key, `create`. Sent once. */
export function addWidgets(
  client: UpstreamClient,
  dashboardId: number,
  widgets: readonly Readonly<Record<string, unknown>>[],
  opts?: Opts,
): Reply {
  const create = widgets.map((w) => pick(w, WIDGET_BODY_KEYS));
  return client.request(
    { method: "POST", path: bulkWidgetsPath(dashboardId), body: { create }, write: true },
    opts,
  );
}
