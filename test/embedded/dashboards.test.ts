/**
 * The embedded dashboards, through their transport-independent API and through the listener:
 * the demo seed, creating, ids never reused, limits, saved widget data computed as a preview with
 * the dashboard's filters ANDed in, and previews that name a dashboard.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  createDashboardService,
  type DashboardService,
  MAX_DASHBOARDS,
  MAX_WIDGETS_PER_DASHBOARD,
} from "../../src/embedded/dashboards.js";
import { generateDemoCalls } from "../../src/embedded/dataset.js";
import { createCallStore } from "../../src/embedded/engine.js";
import { type EmbeddedListener, startEmbeddedListener } from "../../src/embedded/listener.js";
import { answerPreview } from "../../src/embedded/preview.js";

const NOW = Date.now();
const store = createCallStore(generateDemoCalls({ count: 3000, now: NOW }));
const preview = (body: Record<string, unknown>, now: number) => answerPreview(store, body, now, true);

function service(seed: "demo" | "empty" = "demo"): DashboardService {
  return createDashboardService({
    preview,
    seed,
    now: NOW,
    metricName: (id) => store.metrics().get(id)?.name,
  });
}

const get = (s: DashboardService, path: string, query = "") =>
  s.handle({ method: "GET", path, query: new URLSearchParams(query), body: {}, now: NOW });
const post = (s: DashboardService, path: string, body: Record<string, unknown>) =>
  s.handle({ method: "POST", path, query: new URLSearchParams(), body, now: NOW });

// biome-ignore lint/suspicious/noExplicitAny: the tests read JSON bodies freely
type Json = Record<string, any>;

describe("embedded dashboards", () => {
  it("seeds two demo dashboards of four widgets with a today-7d filter; a data file starts empty", () => {
    const list = get(service(), "/dashboards/dashboards/").body as Json;
    expect(list.count).toBe(2);
    for (const d of list.results) {
      expect(d.widget_count).toBe("4");
      expect(JSON.stringify(d.filters)).toContain("today-7d");
      expect(d.created_at).toBe(new Date(Math.floor(NOW / 1000) * 1000).toISOString().replace(".000Z", "Z"));
    }
    expect((get(service("empty"), "/dashboards/dashboards/").body as Json).count).toBe(0);
  });

  it("computes a saved widget as a preview of its configuration with the dashboard's filters", () => {
    const s = service();
    const d = get(s, "/dashboards/dashboards/1/").body as Json;
    const w = d.widgets.find((x: Json) => x.chart_type === "pie");
    expect(w.effective_filters).toEqual(d.filters);
    const saved = get(s, `/dashboards/widgets/${w.id}/data/`);
    expect(saved.status).toBe(200);
    const direct = preview({ chart_type: "pie", field: w.field, dashboard_filters: d.filters }, NOW);
    expect((saved.body as Json).data).toEqual((direct.body as Json).data);
    expect((saved.body as Json).widget_id).toBe(w.id);
  });

  it("an override replaces the widget's filters; the dashboard's still AND in; bad ones are DRF 400s", () => {
    const s = service();
    const d = get(s, "/dashboards/dashboards/2/").body as Json;
    const own = { field: "success", op: "eq", value: true };
    const added = post(s, "/dashboards/dashboards/2/bulk_widgets/", {
      create: [{ name: "ends", chart_type: "pie", field: "call_ended_reason", filters: own }],
    }).body as Json;
    const w = added.created[0];
    expect(w.effective_filters).toEqual({ operator: "and", conditions: [own, d.filters] });
    const override = { field: "success", op: "eq", value: false };
    const other = get(
      s,
      `/dashboards/widgets/${w.id}/data/`,
      `filters=${encodeURIComponent(JSON.stringify(override))}`,
    ).body as Json;
    const expected = preview(
      { chart_type: "pie", field: w.field, filters: override, dashboard_filters: d.filters },
      NOW,
    );
    expect(other.data.length).toBeGreaterThan(0); // ANDed with success = true it would be empty
    expect(other.data).toEqual((expected.body as Json).data);
    const tooOld = get(
      s,
      `/dashboards/widgets/${w.id}/data/`,
      `filters=${encodeURIComponent('{"field":"timestamp","op":"gte","value":"now-40d"}')}`,
    );
    expect(tooOld.status).toBe(400);
    expect(get(s, `/dashboards/widgets/${w.id}/data/`, "filters=nope").status).toBe(400);
    expect(get(s, "/dashboards/widgets/999/data/").status).toBe(404);
  });

  it("creates a dashboard and its widgets, all or nothing, with ids never reused", () => {
    const s = service();
    const created = post(s, "/dashboards/dashboards/", {
      name: "New",
      project: 3,
      filters: { field: "timestamp", op: "gte", value: "now-3d" },
    });
    expect(created.status).toBe(201);
    const id = (created.body as Json).id;
    expect(id).toBe(3);
    const refused = post(s, `/dashboards/dashboards/${id}/bulk_widgets/`, {
      create: [
        { name: "ok", chart_type: "stat" },
        { name: "bad", chart_type: "area" },
      ],
    });
    expect(refused.status).toBe(400);
    expect((refused.body as Json).create[0]).toEqual({});
    expect((refused.body as Json).create[1]).toHaveProperty("chart_type");
    expect((get(s, `/dashboards/dashboards/${id}/`).body as Json).widgets).toEqual([]);
    const added = post(s, `/dashboards/dashboards/${id}/bulk_widgets/`, {
      create: [
        { name: "Calls", chart_type: "stat" },
        { name: "Ends", chart_type: "pie", field: "call_ended_reason" },
      ],
    });
    expect(added.status).toBe(200);
    const ids = (added.body as Json).created.map((w: Json) => w.id);
    expect(ids).toEqual([9, 10]); // the seed holds widgets 1 to 8
    expect(post(s, `/dashboards/dashboards/${id}/bulk_widgets/`, { delete: [9] }).status).toBe(400);
    expect(post(s, `/dashboards/dashboards/${id}/bulk_widgets/`, { update: [{ id: 9 }] }).status).toBe(400);
    expect((get(s, `/dashboards/dashboards/${id}/`).body as Json).widget_count).toBe("2");
    expect(get(s, "/dashboards/dashboards/", "project_id=3").body).toMatchObject({ count: 1 });
  });

  it("holds at most 100 dashboards and 50 widgets per dashboard", () => {
    const s = service("empty");
    for (let i = 0; i < MAX_DASHBOARDS; i++)
      expect(post(s, "/dashboards/dashboards/", { name: `d${i}` }).status).toBe(201);
    expect(post(s, "/dashboards/dashboards/", { name: "one more" }).status).toBe(400);
    const many = Array.from({ length: MAX_WIDGETS_PER_DASHBOARD + 1 }, () => ({ chart_type: "stat" }));
    expect(post(s, "/dashboards/dashboards/1/bulk_widgets/", { create: many }).status).toBe(400);
    expect(post(s, "/dashboards/dashboards/1/bulk_widgets/", { create: many.slice(1) }).status).toBe(200);
    const page = get(s, "/dashboards/dashboards/", "page=2&page_size=40").body as Json;
    expect(page.results.map((d: Json) => d.id)).toEqual(Array.from({ length: 40 }, (_, i) => 41 + i));
    expect(page.next).toContain("page=3");
    expect(get(s, "/dashboards/dashboards/", "page=4&page_size=40").status).toBe(404);
  });

  it("bulk_data answers several saved widgets, each as its own data endpoint would", () => {
    const s = service();
    const r = post(s, "/dashboards/widgets/bulk_data/", { widget_ids: [1, 3, 999] });
    expect(r.status).toBe(200);
    const results = (r.body as Json).results as Json[];
    expect(results.map((x) => x.widget_id)).toEqual([1, 3]);
    expect(results[1]).toEqual(get(s, "/dashboards/widgets/3/data/").body);
    expect(post(s, "/dashboards/widgets/bulk_data/", { widget_ids: [] }).status).toBe(400);
    expect(post(s, "/dashboards/widgets/bulk_data/", { widget_ids: [1], filters: "x" }).status).toBe(400);
  });

  it("a preview that names a dashboard gets its filters ANDed in; an unknown one is a 400", () => {
    const s = service();
    const scoped = s.scopePreview({
      chart_type: "stat",
      dashboard: 1,
      dashboard_filters: { field: "success", op: "eq", value: true },
    });
    expect(scoped.ok && JSON.stringify(scoped.body.dashboard_filters)).toContain("today-7d");
    const unknown = s.scopePreview({ chart_type: "stat", dashboard: 77 });
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.reply.status).toBe(400);
  });
});

describe("the listener's dashboard routes", () => {
  let backend: EmbeddedListener | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it("routes GET and POST, answers 405 to PUT, PATCH and DELETE, and scopes previews", async () => {
    backend = await startEmbeddedListener({ store, mode: "demo", dashboards: service() });
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${backend!.url}${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, body: (await res.json()) as Json, allow: res.headers.get("allow") };
    };
    expect((await call("GET", "/dashboards/dashboards/")).body.count).toBe(2);
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const r = await call(method, "/dashboards/dashboards/1/", method === "DELETE" ? undefined : {});
      expect(r.status).toBe(405);
      expect(r.allow).toBe("GET");
    }
    expect((await call("POST", "/dashboards/dashboards/", { name: "x" })).status).toBe(201);
    const plain = await call("POST", "/dashboards/widgets/preview_data/", {
      chart_type: "stat",
      filters: { field: "timestamp", op: "gte", value: "now-30d" },
    });
    const scoped = await call("POST", "/dashboards/widgets/preview_data/", {
      chart_type: "stat",
      dashboard: 1,
      filters: { field: "timestamp", op: "gte", value: "now-30d" },
    });
    expect(scoped.body.data.total_calls).toBeLessThan(plain.body.data.total_calls);
    expect((await call("GET", "/dashboards/widgets/1/data/")).status).toBe(200);
    expect((await call("GET", "/dashboards/nothing/")).status).toBe(404);
  });
});
