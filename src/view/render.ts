/**
 * The DOM of the view: a header per answer (question, window, source, cuts), the 7/14/30-day
 * buttons, and a chart (Chart.js, only the parts used) or stat cards, switchable to a table.
 * Every text from the data goes in through textContent, never as markup.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Colors,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PieController,
  PointElement,
  Tooltip,
} from "chart.js";
import { type ChartSpec, formatNumber, type Panel, utcMinute, type ViewModel } from "./model.js";

Chart.register(
  LineController,
  BarController,
  PieController,
  LineElement,
  BarElement,
  ArcElement,
  PointElement,
  LinearScale,
  CategoryScale,
  Tooltip,
  Legend,
  Colors,
);

export const WINDOW_DAYS = [7, 14, 30] as const;

export interface Controls {
  /** Whole days of the current window, to mark its button. */
  days: number | undefined;
  /** Undefined when the host cannot call tools (or there is no host): no buttons then. */
  onDays: ((days: number) => void) | undefined;
  /** Shown in place of the buttons when there are none (the standalone page says how to re-run). */
  hint?: string;
}

const charts: Chart[] = [];

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Colours for Chart.js, resolved from the page's (host-themed) CSS so the chart follows the theme. */
function themeColors(): { text: string; grid: string } {
  const probe = el("div", { class: "probe" });
  document.body.append(probe);
  const style = getComputedStyle(probe);
  const colors = { text: style.color, grid: style.borderTopColor };
  probe.remove();
  return colors;
}

const tickTime = (ms: number): string => utcMinute(new Date(ms).toISOString()).slice(5);

function configFor(spec: Exclude<ChartSpec, { kind: "stat" }>): ChartConfiguration {
  const { text, grid } = themeColors();
  const common = {
    responsive: true,
    maintainAspectRatio: false,
    animation: false as const,
    color: text,
    plugins: {
      legend: { display: spec.kind === "pie" || spec.series.length > 1, labels: { color: text } },
      tooltip: { enabled: true },
    },
  };
  const axis = (title?: string) => ({
    ticks: { color: text },
    grid: { color: grid },
    border: { color: grid },
    ...(title ? { title: { display: true, text: title, color: text } } : {}),
  });
  switch (spec.kind) {
    case "pie": {
      const total = spec.values.reduce((a, b) => a + b, 0);
      return {
        type: "pie",
        data: { labels: spec.labels, datasets: [{ data: spec.values }] },
        options: {
          ...common,
          plugins: {
            ...common.plugins,
            legend: { position: "right", labels: { color: text, boxWidth: 12 } },
            tooltip: {
              callbacks: {
                label: (c) =>
                  ` ${formatNumber(c.parsed)} calls (${total > 0 ? ((100 * c.parsed) / total).toFixed(1) : "0"}%)`,
              },
            },
          },
        },
      };
    }
    case "bar":
      return {
        type: "bar",
        data: { labels: spec.labels, datasets: spec.series.map((s) => ({ label: s.label, data: s.values })) },
        options: {
          ...common,
          interaction: { mode: "index", intersect: false },
          scales: { x: axis(), y: { ...axis(spec.yLabel), beginAtZero: true } },
        },
      };
    case "line":
      return {
        type: "line",
        data: {
          datasets: spec.series.map((s) => ({
            label: s.label,
            data: s.points,
            pointRadius: s.points.length > 200 ? 0 : 2,
            borderWidth: 1.5,
          })),
        },
        options: {
          ...common,
          parsing: false,
          interaction: { mode: "nearest", intersect: false },
          scales: {
            x: {
              ...axis("time (UTC)"),
              type: "linear",
              ticks: { color: text, callback: (v) => tickTime(Number(v)), maxTicksLimit: 8 },
            },
            y: axis(spec.yLabel),
          },
          plugins: {
            ...common.plugins,
            tooltip: {
              callbacks: {
                title: (items) => `${utcMinute(new Date(items[0]?.parsed.x ?? 0).toISOString())} UTC`,
              },
            },
          },
        },
      };
  }
}

function header(p: Panel): HTMLElement {
  const h = el("header");
  if (p.notLive) h.append(el("div", { class: "banner", role: "note" }, `Source: ${p.source}.`));
  h.append(el("h1", {}, p.question));
  const meta = el("div", { class: "meta" });
  meta.append(el("b", {}, "Window: "), p.window);
  if (!p.notLive) meta.append(" \u00b7 ", el("b", {}, "Source: "), p.source);
  h.append(meta);
  for (const n of p.notes) h.append(el("div", { class: "note" }, n));
  if (p.truncation) h.append(el("div", { class: "cut", role: "note" }, p.truncation));
  for (const n of p.chartNotes) h.append(el("div", { class: "note" }, n));
  return h;
}

function tableOf(p: Panel): HTMLElement {
  const wrap = el("div", { class: "table-wrap" });
  const t = el("table");
  const head = el("tr");
  for (const c of p.table.columns) head.append(el("th", { scope: "col" }, c));
  t.append(el("thead"), el("tbody"));
  t.tHead!.append(head);
  for (const r of p.table.rows) {
    const tr = el("tr");
    for (const c of r) tr.append(el("td", {}, c));
    t.tBodies[0]!.append(tr);
  }
  wrap.append(t);
  return wrap;
}

function chartOf(spec: ChartSpec): HTMLElement {
  if (spec.kind === "stat") {
    const cards = el("div", { class: "cards", "data-chart": "stat" });
    for (const c of spec.cards) {
      const card = el("div", { class: "card" });
      card.append(el("div", { class: "label" }, c.label), el("div", { class: "value" }, c.value));
      cards.append(card);
    }
    return cards;
  }
  const box = el("div", { class: spec.kind === "pie" ? "chart pie" : "chart", "data-chart": spec.kind });
  const canvas = el("canvas", { role: "img", "aria-label": `${spec.kind} chart` });
  box.append(canvas);
  // Drawn once the box is in the document, so Chart.js measures a real width.
  queueMicrotask(() => charts.push(new Chart(canvas, configFor(spec))));
  return box;
}

function windowButtons(c: Controls): HTMLElement {
  const seg = el("div", { class: "seg", role: "group", "aria-label": "Window" });
  seg.append(el("span", {}, "Last"));
  for (const d of WINDOW_DAYS) {
    const b = el(
      "button",
      { type: "button", "data-days": String(d), "aria-pressed": String(c.days === d) },
      `${d} days`,
    );
    b.addEventListener("click", () => c.onDays?.(d));
    seg.append(b);
  }
  return seg;
}

function panelOf(p: Panel, c: Controls, withButtons: boolean): HTMLElement {
  const section = el("section", { class: "panel" });
  section.append(header(p));
  const bar = el("div", { class: "toolbar" });
  if (withButtons && c.onDays) bar.append(windowButtons(c));
  else if (withButtons && c.hint) bar.append(el("span", { class: "note" }, c.hint));
  else bar.append(el("span"));
  const table = tableOf(p);
  const chart = p.chart ? chartOf(p.chart) : undefined;
  if (chart) {
    table.hidden = true;
    const toggle = el("button", { type: "button", class: "toggle", "aria-pressed": "false" }, "Show table");
    toggle.addEventListener("click", () => {
      const toTable = table.hidden;
      table.hidden = !toTable;
      chart.hidden = toTable;
      toggle.textContent = toTable ? "Show chart" : "Show table";
      toggle.setAttribute("aria-pressed", String(toTable));
    });
    bar.append(toggle);
  }
  section.append(bar);
  if (chart) section.append(chart);
  section.append(table);
  return section;
}

/** Replaces the whole view with `model`. */
export function show(model: ViewModel, controls: Controls): void {
  for (const ch of charts.splice(0)) ch.destroy();
  const app = document.getElementById("app")!;
  app.replaceChildren();
  if (!model.ok) {
    if (controls.onDays) {
      const bar = el("div", { class: "toolbar" });
      bar.append(windowButtons(controls));
      app.append(bar);
    }
    app.append(el("p", { class: "error", role: "alert" }, model.message));
  } else {
    for (const [i, p] of model.panels.entries()) app.append(panelOf(p, controls, i === 0));
  }
  app.append(el("p", { class: "status", id: "status", "aria-live": "polite" }));
  document.body.dataset.state = "ready";
}

export function setStatus(text: string, busy: boolean): void {
  const s = document.getElementById("status");
  if (s) s.textContent = text;
  for (const b of document.querySelectorAll<HTMLButtonElement>(".seg button")) b.disabled = busy;
  document.body.dataset.state = busy ? "busy" : "ready";
}

/** Re-reads the theme colours into every chart (after the host's theme changed). */
export function restyleCharts(): void {
  const { text, grid } = themeColors();
  for (const ch of charts) {
    const o = ch.options as Record<string, unknown> & { scales?: Record<string, Record<string, unknown>> };
    o.color = text;
    for (const s of Object.values(o.scales ?? {})) {
      (s.ticks as { color?: string }).color = text;
      (s.grid as { color?: string }).color = grid;
      (s.border as { color?: string }).color = grid;
      const title = s.title as { color?: string } | undefined;
      if (title) title.color = text;
    }
    const legend = (o.plugins as { legend?: { labels?: { color?: string } } } | undefined)?.legend;
    if (legend?.labels) legend.labels.color = text;
    ch.update();
  }
}
