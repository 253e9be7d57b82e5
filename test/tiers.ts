/**
 * The two test tiers (vitest projects, see vitest.config.ts). "dist" holds every test that runs the
 * built server (dist/main.js, the packed package, the bundle); its global setup builds dist/ first,
 * so no run ever tests a stale build. "fast" is everything else: in-process, no build needed.
 * test/tiers.test.ts checks that every test file that starts the built server is listed here.
 */
export const DIST_TESTS: readonly string[] = [
  "test/e2e/",
  "test/package/",
  "test/hardening/cancel-and-concurrency.test.ts",
  "test/hardening/lifecycle.test.ts",
  "test/hardening/secrets.test.ts",
  "test/hardening/secrets-dashboards.test.ts",
  "test/hardening/upstream-faults.test.ts",
  "test/view/view.browser.test.ts",
];

/** The same list as vitest include globs. */
export const DIST_GLOBS: string[] = DIST_TESTS.map((p) => (p.endsWith("/") ? `${p}**/*.test.ts` : p));

/** The dist tests that drive Chromium: their own vitest project, run after the others (vitest.config.ts). */
export const BROWSER_GLOBS: string[] = DIST_GLOBS.filter((p) => p.endsWith(".browser.test.ts"));
