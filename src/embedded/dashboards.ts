/**
 * The embedded backend's dashboards (docs/cekura-api.md §6), apart from any transport: a method,
 * a path, its query and a parsed JSON body in; a status and a JSON body out, DRF-style as the
 * preview endpoint. The listener calls `handle` for the paths `allowed` knows; an in-process
 * backend can call it the same way. State lives in this object only and is lost at exit.
 *
 * Where upstream is silent this backend follows DASHBOARD_ASSUMPTIONS (for the documentation).
 */
import { isPlainObject } from "../shared/json.js";
import { WIDGET_FIELDS } from "../widget/catalogue.js";
import { toIso } from "../widget/time.js";
import { validateWidgetQuery } from "../widget/validate.js";
import { DEMO_METRIC_IDS } from "./dataset.js";
import { type EmbeddedReply, issuesToDrf } from "./preview.js";

export const MAX_DASHBOARDS = 100;
export const MAX_WIDGETS_PER_DASHBOARD = 50;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export const DASHBOARD_ASSUMPTIONS: readonly string[] = [
  `At most ${MAX_DASHBOARDS} dashboards and ${MAX_WIDGETS_PER_DASHBOARD} widgets per dashboard per process; beyond, 400. Ids are integers from 1, never reused; nothing is ever deleted.`,
  "Only GET and POST routes exist: reading and creating. PUT, PATCH and DELETE answer 405, and bulk_widgets refuses `update` and `delete` with 400.",
  `Lists are pages of ${DEFAULT_PAGE_SIZE} by default (page_size at most ${MAX_PAGE_SIZE}), ordered by id; a page past the end is 404 {"detail": "Invalid page."}. A list item has no \`widgets\`, only \`widget_count\` (a string, as in the OpenAPI schema).`,
  "A widget's `effective_filters` is its filters ANDed with its dashboard's. Saved widget data is the preview of the widget with `filters` (or the `filters` override, which replaces them) and the dashboard's filters as `dashboard_filters`.",
  "A preview that names a `dashboard` gets that dashboard's filters ANDed into `dashboard_filters`; an unknown dashboard is 400 {dashboard: [...]}.",
];

type Dict = Record<string, unknown>;
type Preview = (body: Dict, now: number) => EmbeddedReply;

interface StoredDashboard {
  id: number;
  name: string | null;
  project: number | null;
  filters: unknown;
  widgets: number[];
  created_at: string;
  updated_at: string;
}

interface StoredWidget {
  id: number;
  dashboard: number;
  config: Dict;
  created_at: string;
  updated_at: string;
}

export interface DashboardRequest {
  method: string;
  /** The path without its query. */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body of a POST (an object: the caller answers 400 otherwise). */
  body: Dict;
  now: number;
}

export interface DashboardService {
  /** The methods a dashboards path takes, or undefined when the path is none of them. */
  allowed(path: string): readonly ("GET" | "POST")[] | undefined;
  handle(req: DashboardRequest): EmbeddedReply;
  /** A preview body that names a dashboard, with that dashboard's filters ANDed in. */
  scopePreview(body: Dict): { ok: true; body: Dict } | { ok: false; reply: EmbeddedReply };
}

export interface DashboardServiceOptions {
  /** The preview endpoint's answer (src/embedded/preview.ts), bound to the call store. */
  preview: Preview;
  /** A metric's name, for `metric_name`. */
  metricName?: (id: number) => string | undefined;
  /** "demo": two seeded dashboards; "empty": none (a user's file). */
  seed: "demo" | "empty";
  /** The clock for the seed's timestamps. */
  now: number;
}

/** What a widget keeps: its fields and the layout `metadata`. */
const WIDGET_KEYS = [...WIDGET_FIELDS, "metadata"];

const notFound = (): EmbeddedReply => ({ status: 404, body: { detail: "Not found." } });
const bad = (body: Dict): EmbeddedReply => ({ status: 400, body });
const iso = (ms: number): string => toIso(Math.floor(ms / 1000) * 1000);

/** `a AND b`, either side may be missing. */
function andFilters(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a)) return isPlainObject(b) ? b : null;
  if (!isPlainObject(b)) return a;
  return { operator: "and", conditions: [a, b] };
}

const LAST_7_DAYS = { field: "timestamp", op: "gte", value: "today-7d" };
const days = (extra: Dict[] = []) =>
  extra.length === 0 ? LAST_7_DAYS : { operator: "and", conditions: [LAST_7_DAYS, ...extra] };

/** The demo's two dashboards: what a team would have saved first. */
const DEMO_SEED: readonly { name: string; project: number; filters: unknown; widgets: Dict[] }[] = [
  {
    name: "Call health",
    project: 1,
    filters: days(),
    widgets: [
      { name: "Headline numbers", chart_type: "stat" },
      {
        name: "Success rate per day",
        chart_type: "bar",
        field: "success",
        aggregation_function: "avg",
        time_period: "day",
      },
      { name: "Why calls end", chart_type: "pie", field: "call_ended_reason" },
      {
        name: "p95 duration per day",
        chart_type: "bar",
        field: "duration",
        aggregation_function: "p95",
        time_period: "day",
      },
    ],
  },
  {
    name: "Agent quality",
    project: 1,
    filters: days(),
    widgets: [
      {
        name: "Success rate per agent",
        chart_type: "bar",
        field: "success",
        aggregation_function: "avg",
        time_period: "week",
        group_by: { type: "field", field: "agent.id" },
      },
      {
        name: "Where failed calls drop off",
        chart_type: "pie",
        field: "dropoff_point",
        filters: { field: "success", op: "eq", value: false },
      },
      {
        name: "Customer satisfaction per day",
        chart_type: "bar",
        field: "metric_evaluations.value",
        metric: DEMO_METRIC_IDS.customerSatisfaction,
        aggregation_function: "avg",
        time_period: "day",
      },
      { name: "What callers call about", chart_type: "pie", field: "topic" },
    ],
  },
];

const DASHBOARD_ROUTE = /^\/dashboards\/dashboards\/(\d{1,9})\/$/;
const BULK_WIDGETS_ROUTE = /^\/dashboards\/dashboards\/(\d{1,9})\/bulk_widgets\/$/;
const WIDGET_ROUTE = /^\/dashboards\/widgets\/(\d{1,9})\/$/;
const WIDGET_DATA_ROUTE = /^\/dashboards\/widgets\/(\d{1,9})\/data\/$/;
const DASHBOARDS = "/dashboards/dashboards/";
const BULK_DATA = "/dashboards/widgets/bulk_data/";

export function createDashboardService(opts: DashboardServiceOptions): DashboardService {
  const dashboards = new Map<number, StoredDashboard>();
  const widgets = new Map<number, StoredWidget>();
  let nextDashboard = 1;
  let nextWidget = 1;

  function widgetJson(w: StoredWidget): Dict {
    const d = dashboards.get(w.dashboard)!;
    const c = w.config;
    const metric = typeof c.metric === "number" ? c.metric : null;
    return {
      id: w.id,
      dashboard: w.dashboard,
      name: c.name ?? null,
      filters: c.filters ?? null,
      effective_filters: andFilters(c.filters, d.filters) ?? {},
      chart_type: c.chart_type,
      data_type: c.data_type ?? null,
      field: c.field ?? "",
      metric,
      metric_name: metric === null ? "" : (opts.metricName?.(metric) ?? ""),
      time_period: c.time_period ?? null,
      aggregation_function: c.aggregation_function ?? null,
      group_by: c.group_by ?? null,
      metadata: c.metadata ?? null,
      created_at: w.created_at,
      updated_at: w.updated_at,
    };
  }

  function dashboardJson(d: StoredDashboard, withWidgets: boolean): Dict {
    return {
      id: d.id,
      name: d.name,
      project: d.project,
      filters: d.filters,
      ...(withWidgets ? { widgets: d.widgets.map((id) => widgetJson(widgets.get(id)!)) } : {}),
      widget_count: String(d.widgets.length),
      created_at: d.created_at,
      updated_at: d.updated_at,
    };
  }

  /** The filter tree checked as the preview endpoint checks it; DRF errors under `key`. */
  function filterErrors(filters: unknown, key: string, now: number): string[] | undefined {
    if (filters === undefined || filters === null) return undefined;
    const checked = validateWidgetQuery({ chart_type: "stat", filters }, { now });
    if (checked.ok) return undefined;
    return Object.values(issuesToDrf(checked.issues))
      .flat()
      .map((m) => `${key}: ${m}`);
  }

  function createDashboard(body: Dict, now: number): EmbeddedReply {
    if (dashboards.size >= MAX_DASHBOARDS) {
      return bad({ non_field_errors: [`This backend holds at most ${MAX_DASHBOARDS} dashboards.`] });
    }
    const errors: Dict = {};
    const { name, project, filters } = body;
    if (name !== undefined && name !== null && (typeof name !== "string" || name.length > 255))
      errors.name = ["Ensure this field is a string of no more than 255 characters."];
    if (project !== undefined && project !== null && !Number.isSafeInteger(project))
      errors.project = ["A valid integer is required."];
    if (filters !== undefined && filters !== null && !isPlainObject(filters))
      errors.filters = ["Expected a JSON object."];
    else {
      const fe = filterErrors(filters, "filters", now);
      if (fe) errors.filters = fe;
    }
    if (Object.keys(errors).length > 0) return bad(errors);
    const at = iso(now);
    const d: StoredDashboard = {
      id: nextDashboard++,
      name: typeof name === "string" ? name : null,
      project: typeof project === "number" ? project : null,
      filters: isPlainObject(filters) ? filters : null,
      widgets: [],
      created_at: at,
      updated_at: at,
    };
    dashboards.set(d.id, d);
    return { status: 201, body: dashboardJson(d, true) };
  }

  /** All or nothing, as upstream's single transaction. */
  function bulkWidgets(d: StoredDashboard, body: Dict, now: number): EmbeddedReply {
    const { create, update, delete: remove, ...rest } = body;
    if ((Array.isArray(update) && update.length > 0) || (Array.isArray(remove) && remove.length > 0)) {
      return bad({
        non_field_errors: ["This backend only creates widgets: update and delete are not supported."],
      });
    }
    if (Object.keys(rest).length > 0 || (create !== undefined && !Array.isArray(create))) {
      return bad({ non_field_errors: ["Expected {create: [...widgets]}."] });
    }
    const items = (create ?? []) as unknown[];
    if (d.widgets.length + items.length > MAX_WIDGETS_PER_DASHBOARD) {
      return bad({
        create: [
          `A dashboard holds at most ${MAX_WIDGETS_PER_DASHBOARD} widgets here; this one has ${d.widgets.length}.`,
        ],
      });
    }
    const configs: Dict[] = [];
    const itemErrors: Dict[] = [];
    let failed = false;
    for (const item of items) {
      if (!isPlainObject(item)) {
        itemErrors.push({ non_field_errors: ["Expected a dictionary."] });
        failed = true;
        continue;
      }
      const config: Dict = {};
      for (const k of WIDGET_KEYS) if (item[k] !== undefined && item[k] !== null) config[k] = item[k];
      const { metadata: _layout, ...query } = config;
      const checked = validateWidgetQuery(query, { now });
      itemErrors.push(checked.ok ? {} : issuesToDrf(checked.issues));
      if (!checked.ok) failed = true;
      configs.push(config);
    }
    if (failed) return bad({ create: itemErrors });
    const at = iso(now);
    const created = configs.map((config) => {
      const w: StoredWidget = { id: nextWidget++, dashboard: d.id, config, created_at: at, updated_at: at };
      widgets.set(w.id, w);
      d.widgets.push(w.id);
      return w;
    });
    if (created.length > 0) d.updated_at = at;
    return {
      status: 200,
      body: { created: created.map(widgetJson), updated: [], deleted: [], errors: [] },
    };
  }

  /** A saved widget's data: the preview of its configuration, `override` replacing its filters. */
  function widgetData(w: StoredWidget, override: unknown, now: number): EmbeddedReply {
    const d = dashboards.get(w.dashboard)!;
    const { name: _name, metadata: _layout, filters, ...rest } = w.config;
    const own = override === undefined ? filters : override;
    const body: Dict = { ...rest, ...(own !== undefined ? { filters: own } : {}) };
    if (isPlainObject(d.filters)) body.dashboard_filters = d.filters;
    const reply = opts.preview(body, now);
    if (reply.status === 200 && isPlainObject(reply.body))
      return { status: 200, body: { ...reply.body, widget_id: w.id } };
    return reply;
  }

  function parseFiltersParam(
    raw: string | null,
  ): { ok: true; value: unknown } | { ok: false; reply: EmbeddedReply } {
    if (raw === null || raw === "") return { ok: true, value: undefined };
    try {
      const value: unknown = JSON.parse(raw);
      if (isPlainObject(value)) return { ok: true, value };
    } catch {
      // answered below
    }
    return { ok: false, reply: bad({ filters: ["filters must be a JSON object."] }) };
  }

  function list(query: URLSearchParams): EmbeddedReply {
    const intParam = (name: string): number | undefined | null => {
      const raw = query.get(name);
      if (raw === null || raw === "") return undefined;
      return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
    };
    const page = intParam("page") ?? 1;
    const size = intParam("page_size") ?? DEFAULT_PAGE_SIZE;
    const project = intParam("project_id");
    if (project === null) return bad({ project_id: ["A valid integer is required."] });
    if (page === null || page < 1 || size === null) return notFound();
    const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, size));
    const all = [...dashboards.values()].filter((d) => project === undefined || d.project === project);
    const pages = Math.max(1, Math.ceil(all.length / pageSize));
    if (page > pages) return { status: 404, body: { detail: "Invalid page." } };
    const link = (p: number): string | null => {
      if (p < 1 || p > pages) return null;
      const q = new URLSearchParams(query);
      q.set("page", String(p));
      return `${DASHBOARDS}?${q.toString()}`;
    };
    return {
      status: 200,
      body: {
        count: all.length,
        next: link(page + 1),
        previous: link(page - 1),
        results: all.slice((page - 1) * pageSize, page * pageSize).map((d) => dashboardJson(d, false)),
      },
    };
  }

  function handle(req: DashboardRequest): EmbeddedReply {
    const { path, method, now } = req;
    if (path === DASHBOARDS) return method === "GET" ? list(req.query) : createDashboard(req.body, now);
    if (path === BULK_DATA) {
      const ids = req.body.widget_ids;
      if (!Array.isArray(ids) || ids.length === 0 || !ids.every((i) => Number.isSafeInteger(i))) {
        return bad({ widget_ids: ["A non-empty list of integers is required."] });
      }
      const override = req.body.filters;
      if (override !== undefined && override !== null && !isPlainObject(override))
        return bad({ filters: ["Expected a JSON object."] });
      const results: unknown[] = [];
      for (const id of ids as number[]) {
        const w = widgets.get(id);
        if (!w) continue; // upstream's list endpoint leaves out what the user cannot see
        const reply = widgetData(w, override ?? undefined, now);
        if (reply.status !== 200) return reply;
        results.push(reply.body);
      }
      return { status: 200, body: { count: results.length, next: null, previous: null, results } };
    }
    let m = DASHBOARD_ROUTE.exec(path);
    if (m) {
      const d = dashboards.get(Number(m[1]));
      return d ? { status: 200, body: dashboardJson(d, true) } : notFound();
    }
    m = BULK_WIDGETS_ROUTE.exec(path);
    if (m) {
      const d = dashboards.get(Number(m[1]));
      return d ? bulkWidgets(d, req.body, now) : notFound();
    }
    m = WIDGET_ROUTE.exec(path);
    if (m) {
      const w = widgets.get(Number(m[1]));
      return w ? { status: 200, body: widgetJson(w) } : notFound();
    }
    m = WIDGET_DATA_ROUTE.exec(path);
    if (m) {
      const w = widgets.get(Number(m[1]));
      if (!w) return notFound();
      const override = parseFiltersParam(req.query.get("filters"));
      return override.ok ? widgetData(w, override.value, now) : override.reply;
    }
    return notFound();
  }

  function allowed(path: string): readonly ("GET" | "POST")[] | undefined {
    if (path === DASHBOARDS) return ["GET", "POST"];
    if (path === BULK_DATA || BULK_WIDGETS_ROUTE.test(path)) return ["POST"];
    if (DASHBOARD_ROUTE.test(path) || WIDGET_ROUTE.test(path) || WIDGET_DATA_ROUTE.test(path)) return ["GET"];
    return undefined;
  }

  function scopePreview(body: Dict): { ok: true; body: Dict } | { ok: false; reply: EmbeddedReply } {
    const id = body.dashboard;
    if (id === undefined || id === null) return { ok: true, body };
    const d = Number.isSafeInteger(id) ? dashboards.get(id as number) : undefined;
    if (!d)
      return {
        ok: false,
        reply: bad({ dashboard: [`Invalid pk "${String(id).slice(0, 20)}" - object does not exist.`] }),
      };
    if (!isPlainObject(d.filters)) return { ok: true, body };
    return { ok: true, body: { ...body, dashboard_filters: andFilters(body.dashboard_filters, d.filters) } };
  }

  if (opts.seed === "demo") {
    for (const seed of DEMO_SEED) {
      const created = createDashboard(
        { name: seed.name, project: seed.project, filters: seed.filters },
        opts.now,
      );
      const id = (created.body as { id: number }).id;
      bulkWidgets(dashboards.get(id)!, { create: seed.widgets }, opts.now);
    }
  }

  return { allowed, handle, scopePreview };
}
