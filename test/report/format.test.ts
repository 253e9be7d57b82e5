import { describe, expect, it } from "vitest";
import {
  cell,
  cut,
  fmtNum,
  fmtPercent,
  oneLine,
  renderTable,
  roundNum,
  valueCell,
} from "../../src/report/format.js";

describe("numbers", () => {
  it("drop float noise and keep at most 4 decimals or 4 significant digits below 1", () => {
    expect(fmtNum(0.1 + 0.2)).toBe("0.3");
    expect(fmtNum(12.3456789)).toBe("12.3457");
    expect(fmtNum(0.000123456)).toBe("0.0001235");
    expect(fmtNum(1234567)).toBe("1234567");
    expect(fmtNum(-0.00001)).toBe("-0.00001");
    expect(fmtNum(null)).toBe("n/a");
    expect(fmtNum(Number.NaN)).toBe("n/a");
    expect(roundNum(-1e-20 * 0)).toBe(0);
    expect(fmtPercent(0.8734)).toBe("87.3%");
    expect(fmtPercent(1)).toBe("100%");
  });
});

describe("markdown safety", () => {
  it("escapes pipes and turns newlines into <br> in cells", () => {
    expect(cell("a|b\nc\r\nd")).toBe("a\\|b<br>c<br>d");
    expect(cell("tab\there\u0000")).toBe("tab here ");
  });
  it("cuts long cells without splitting a surrogate pair", () => {
    expect(cut("abcdef", 4)).toBe("a...");
    expect(cut("abcdef", 2)).toBe("..");
    const s = `ab${"😀".repeat(5)}`;
    expect(cut(s, 6)).toBe("ab...");
    expect(cut(s, 7)).toBe("ab😀...");
    expect(cell("x".repeat(500)).length).toBeLessThanOrEqual(80);
  });
  it("keeps one-liners on one line", () => {
    expect(oneLine("a\nb\u2028c")).toBe("a b c");
  });
  it("JSONs nested values and cuts them", () => {
    expect(valueCell({ a: [1, 2] })).toBe('{"a":[1,2]}');
    expect(valueCell({ a: "x".repeat(1000) }, 20).length).toBeLessThanOrEqual(20);
    expect(valueCell("p|q")).toBe("p\\|q");
  });
});

describe("renderTable", () => {
  const rows = Array.from({ length: 100 }, (_, i) => [`r${i}`, String(i)]);
  const spec = { headers: ["name", "n"], rowCount: 100, row: (i: number) => rows[i] ?? [] };

  it("shows every row when they fit", () => {
    const t = renderTable({ ...spec, maxChars: 100_000, elide: "middle" });
    expect(t.split("\n")).toHaveLength(102);
    expect(t).not.toContain("…");
  });
  it("keeps first and last rows, elides the middle and keeps the footer", () => {
    const t = renderTable({ ...spec, footer: [["total", "4950"]], maxChars: 300, elide: "middle" });
    expect(t.length).toBeLessThanOrEqual(300);
    const lines = t.split("\n");
    expect(lines[2]).toBe("| r0 | 0 |");
    expect(lines.at(-2)).toBe("| r99 | 99 |");
    expect(lines.at(-1)).toBe("| total | 4950 |");
    const gap = lines.find((l) => l.includes("rows ..."));
    const shown = lines.length - 2 - 1 - 1;
    expect(gap).toBe(`| ... ${100 - shown} rows ... |  |`);
  });
  it("keeps the first rows in tail mode and respects maxRows", () => {
    const t = renderTable({ ...spec, maxChars: 100_000, elide: "tail", maxRows: 30 });
    const lines = t.split("\n");
    expect(lines).toHaveLength(2 + 30 + 1);
    expect(lines.at(-1)).toBe("| ... 70 more rows (see the data) |  |");
  });
});
