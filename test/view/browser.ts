/**
 * Headless Chromium for the view's browser tests: Debian's chromium driven by playwright-core (no
 * browser download). Every request of a page goes through one route: the test host page and the
 * view are served from memory under made-up origins, the view with the MCP Apps default CSP, and
 * any other request is refused and recorded, so a test can prove the view asked for nothing.
 */
import { existsSync, mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type BrowserContext, chromium, type Frame, type Page } from "playwright-core";
import { bundleForBrowser } from "../../scripts/build-view.mjs";
import { ROOT } from "../e2e/helpers.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Locally the browser tests skip without chromium; in CI (CI=true) they run and fail without it. */
export const RUN_BROWSER_TESTS = existsSync(CHROMIUM) || process.env.CI === "true";

/** The spec's default CSP for a view whose resource declares none (MCP Apps 2026-01-26). */
export const DEFAULT_VIEW_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' data:; connect-src 'none'; frame-src 'none'; object-src 'none'; base-uri 'self'";

export const HOST_URL = "http://cekura-host.test/";
export const VIEW_URL = "http://cekura-view.test/chart.html";
export const PAGE_URL = "http://cekura-page.test/chart.html";

/** Where the screenshots go: printed by the tests; kept after the run (test-results/ is ignored). */
export const SCREENSHOT_DIR = resolve(ROOT, "test-results", "view");

export interface Session {
  page: Page;
  /** Console messages of type error or warning, and uncaught errors, from every frame. */
  problems: string[];
  /** Requests that were neither the host page nor the view (refused). */
  strayRequests: string[];
  /** The HTML served at VIEW_URL and PAGE_URL. */
  serve: { view: string; page: string };
  close: () => Promise<void>;
}

let hostScript: Promise<string> | null = null;

/** The test host (test/view/host/host.ts with the official AppBridge), bundled for the browser. */
function hostPage(): Promise<string> {
  hostScript ??= bundleForBrowser(join(ROOT, "test", "view", "host", "host.ts"));
  return hostScript.then(
    (js) =>
      `<!doctype html><html><head><meta charset="utf-8"><title>test host</title></head>` +
      `<body style="margin:0;background:#888"><div id="slot"></div><script>${js.replaceAll("</script", "<\\/script")}</script></body></html>`,
  );
}

/** Chromium with a fresh profile (user-data-dir) of its own, deleted on close. */
export async function launch(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), "cekura-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 800, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function newSession(context: BrowserContext): Promise<Session> {
  const page = await context.newPage();
  const problems: string[] = [];
  const strayRequests: string[] = [];
  const serve = { view: "", page: "" };
  const host = await hostPage();
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  await page.route("**/*", async (route) => {
    const url = route.request().url();
    if (url === HOST_URL) return route.fulfill({ body: host, contentType: "text/html; charset=utf-8" });
    if (url === VIEW_URL) {
      return route.fulfill({
        body: serve.view,
        contentType: "text/html; charset=utf-8",
        headers: { "content-security-policy": DEFAULT_VIEW_CSP },
      });
    }
    if (url === PAGE_URL) return route.fulfill({ body: serve.page, contentType: "text/html; charset=utf-8" });
    strayRequests.push(url);
    return route.abort("blockedbyclient");
  });
  return { page, problems, strayRequests, serve, close: () => page.close() };
}

export function viewFrame(page: Page): Frame {
  const f = page.frames().find((x) => x.url() === VIEW_URL);
  if (!f) throw new Error(`no frame at ${VIEW_URL}; frames: ${page.frames().map((x) => x.url())}`);
  return f;
}

export interface Pixels {
  /** Not fully transparent. */
  painted: number;
  /** In colour (a series or a slice), not the grey of axes, grid lines and labels. */
  coloured: number;
  /** Hues (in 15-degree steps) that cover at least 200 pixels each: one per series or slice colour. */
  hues: number;
  /** Near black and mostly opaque: Chart.js's tooltip box (light theme; the labels are grey). */
  dark: number;
}

/**
 * Counts the pixels of every canvas in the frame. Each canvas is copied once into a canvas made
 * for reading, so Chromium does not warn about repeated readbacks of the chart's own canvas.
 */
export function pixels(frame: Frame): Promise<Pixels> {
  return frame.evaluate(() => {
    const out = { painted: 0, coloured: 0, hues: 0, dark: 0 };
    const hues = new Map<number, number>();
    for (const c of Array.from(document.querySelectorAll("canvas"))) {
      if (c.width === 0 || c.height === 0) continue;
      const copy = document.createElement("canvas");
      copy.width = c.width;
      copy.height = c.height;
      const ctx = copy.getContext("2d", { willReadFrequently: true })!;
      ctx.drawImage(c, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, b, a] = [d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!];
        if (a === 0) continue;
        out.painted++;
        if (a > 150 && Math.max(r, g, b) < 40) out.dark++;
        if (Math.max(r, g, b) - Math.min(r, g, b) <= 60) continue;
        out.coloured++;
        const hue = Math.round((Math.atan2(Math.sqrt(3) * (g - b), 2 * r - g - b) * 180) / Math.PI / 15);
        hues.set(hue, (hues.get(hue) ?? 0) + 1);
      }
    }
    out.hues = [...hues.values()].filter((n) => n >= 200).length;
    return out;
  });
}

export function screenshotDir(): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return SCREENSHOT_DIR;
}
