/**
 * The docs say what the code does, and every citation can be checked inside this repository:
 * each `docs/<file>.md` named in code, tests, scripts, prompts or docs exists, each `§N` it names
 * is a `## §N` heading of that file, and nothing points outside the repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { DASHBOARD_ASSUMPTIONS } from "../src/embedded/dashboards.js";
import { ENGINE_ASSUMPTIONS } from "../src/embedded/engine.js";
import { LISTENER_ASSUMPTIONS } from "../src/embedded/listener.js";

const ROOT = resolve(import.meta.dirname, "..");
const read = (p: string) => readFileSync(resolve(ROOT, p), "utf8");

describe("docs/embedded-backend.md", () => {
  const page = read("docs/embedded-backend.md");
  it.each([...ENGINE_ASSUMPTIONS, ...LISTENER_ASSUMPTIONS, ...DASHBOARD_ASSUMPTIONS])(
    "states: %s",
    (rule) => {
      expect(page).toContain(`- ${rule}\n`);
    },
  );
});

// Built from parts so that this file does not match its own patterns.
const SECTION = "\u00a7";
const SCANNED_DIRS = ["src", "test", "scripts", "bench", "prompts", "docs"];
const TEXT_FILE = /\.(ts|mts|mjs|cjs|js|md|json|txt)$/;
/** `docs/x.md`, then any `§N` joined by commas, "and" or "or": "docs/cekura-api.md §1 and §3". */
const CITATION = new RegExp(`docs/([A-Za-z0-9_.-]+\\.md)((?:(?:\\s|,|and|or)*${SECTION}\\d+)*)`, "g");
const SECTION_REF = new RegExp(`${SECTION}(\\d+)`, "g");
/** Paths that leave the repository: the shared reference folder, absolute workspace paths. */
const OUTSIDE = [["shared", "reference"].join("/"), `/${"work"}/`];
/** A relative path that climbs: `../x`, `../../x/y.md` (not the placeholder `.../x`). */
const CLIMBING_PATH = /(?<![\w.])(?:\.\.\/)+[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*/g;

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(resolve(ROOT, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(resolve(ROOT, path)).isDirectory()) out.push(...filesUnder(path));
    else if (TEXT_FILE.test(name)) out.push(path);
  }
  return out;
}

// This file is left out: its examples of what must fail would fail.
const SELF = "test/docs.test.ts";
const FILES = [...SCANNED_DIRS.flatMap(filesUnder), "README.md"].filter((f) => f !== SELF);

/** The `## §N` section numbers of a docs page, or undefined when the page does not exist. */
function sectionsOf(page: string): Set<string> | undefined {
  const path = resolve(ROOT, "docs", page);
  if (!existsSync(path)) return undefined;
  const headings = readFileSync(path, "utf8").matchAll(new RegExp(`^## ${SECTION}(\\d+)\\b`, "gm"));
  return new Set([...headings].map((m) => m[1]!));
}

/** Whether a climbing path, read from the file's folder, leaves the repository. */
function leavesRepo(file: string, path: string): boolean {
  const target = resolve(ROOT, dirname(file), path);
  return relative(ROOT, target).startsWith(`..${sep}`) || target === resolve(ROOT, "..");
}

describe("citations stay inside the repository", () => {
  it("scans the places citations live", () => {
    expect(FILES).toContain("src/widget/catalogue.ts");
    expect(FILES).toContain("docs/cekura-api.md");
    expect(FILES.length).toBeGreaterThan(50);
  });

  it("every cited docs page and section exists", () => {
    const broken: string[] = [];
    let cited = 0;
    for (const file of FILES) {
      const text = read(file);
      const spans: [number, number][] = [];
      for (const m of text.matchAll(CITATION)) {
        cited++;
        spans.push([m.index, m.index + m[0].length]);
        const sections = sectionsOf(m[1]!);
        if (sections === undefined) {
          broken.push(`${file}: docs/${m[1]} does not exist`);
          continue;
        }
        for (const s of m[2]!.matchAll(SECTION_REF)) {
          if (!sections.has(s[1]!))
            broken.push(`${file}: docs/${m[1]} has no "## ${SECTION}${s[1]}" heading`);
        }
      }
      // A bare §N is a docs page's reference to its own sections; anywhere else it names no file.
      const own = file.startsWith("docs/") ? sectionsOf(file.slice("docs/".length)) : undefined;
      for (const s of text.matchAll(SECTION_REF)) {
        if (spans.some(([from, to]) => s.index >= from && s.index < to)) continue;
        if (own === undefined) broken.push(`${file}: "${SECTION}${s[1]}" without a docs/<file>.md before it`);
        else if (!own.has(s[1]!)) broken.push(`${file}: no "## ${SECTION}${s[1]}" heading in this page`);
      }
    }
    expect(broken).toEqual([]);
    expect(cited).toBeGreaterThan(10);
  });

  it("no file points outside the repository", () => {
    const outside: string[] = [];
    for (const file of FILES) {
      const text = read(file);
      for (const needle of OUTSIDE) if (text.includes(needle)) outside.push(`${file}: ${needle}`);
      for (const m of text.matchAll(CLIMBING_PATH)) {
        if (leavesRepo(file, m[0])) outside.push(`${file}: ${m[0]} (leaves the repository)`);
      }
    }
    expect(outside).toEqual([]);
  });

  it("the checks catch what they guard against", () => {
    expect("see docs/cekura-api.md §1 and §3".match(CITATION)?.[0]).toBe(
      `docs/cekura-api.md ${SECTION}1 and ${SECTION}3`,
    );
    expect(sectionsOf("cekura-api.md")).toEqual(new Set(["1", "2", "3", "4", "5", "6"]));
    expect(sectionsOf("no-such-page.md")).toBeUndefined();
    expect(leavesRepo("docs/embedded-backend.md", "../../shared/x.md")).toBe(true);
    expect(leavesRepo("src/widget/catalogue.ts", "../../../shared/reference/x.md")).toBe(true);
    expect(leavesRepo("src/upstream/client.ts", "../shared/errors.js")).toBe(false);
  });
});
