import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cell, oneLine } from "../../src/report/format.js";
import { ANY_CONTROL, CONTROL_CHARS, cut, prefix, stripControl } from "../../src/shared/text.js";
import { fenced } from "../../src/upstream/quote.js";
import { propertyRuns } from "../helpers/property.js";

const HIGH = "\ud83d"; // first half of 😀
const SMILE = "\ud83d\ude00";

describe("cut and prefix: one way to shorten text", () => {
  it("cut keeps at most max characters, '...' included", () => {
    expect(cut("abcdef", 6)).toBe("abcdef");
    expect(cut("abcdefg", 6)).toBe("abc...");
    expect(cut("abcdefg", 2)).toBe("..");
    expect(cut("abcdefg", 0)).toBe("");
  });

  it("neither splits a surrogate pair", () => {
    expect(prefix(`ab${SMILE}cd`, 3)).toBe("ab");
    expect(cut(`ab${SMILE}cdefg`, 6)).toBe("ab...");
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), fc.nat(45), (s, max) => {
        for (const out of [prefix(s, max), cut(s, max)]) {
          expect(out.length).toBeLessThanOrEqual(Math.max(max, 0));
          expect(out.endsWith(HIGH)).toBe(false);
          expect(out.replace(/\.\.\.$/, "").endsWith(HIGH)).toBe(false);
        }
      }),
      propertyRuns(300, 20_261_203),
    );
  });
});

describe("control characters: one set for every untrusted text", () => {
  // C0 but tab/LF/CR, DEL, C1 (NEL U+0085 among them), and the Unicode line/paragraph separators.
  const CONTROLS = [
    "\u0000",
    "\u0007",
    "\u000b",
    "\u000c",
    "\u001b",
    "\u007f",
    "\u0085",
    "\u009b",
    "\u2028",
    "\u2029",
  ];

  it("stripControl removes each of them, keeps tab and newline, turns CR LF and CR into LF", () => {
    for (const ch of CONTROLS) expect(stripControl(`a${ch}b`)).toBe("ab");
    expect(stripControl("a\tb\nc\r\nd\re")).toBe("a\tb\nc\nd\ne");
  });

  it("oneLine and cell (the report) turn each of them into a space", () => {
    for (const ch of CONTROLS) {
      expect(oneLine(`a${ch}b`)).toBe("a b");
      expect(cell(`a${ch}b`)).toBe("a b");
    }
  });

  it("fenced upstream text carries none of them", () => {
    for (const ch of CONTROLS) expect(fenced(`error${ch}here`, 100)).toContain("errorhere");
  });

  it("whatever the text, none survives stripControl, and oneLine leaves no control at all", () => {
    const anyChar = fc.oneof(
      fc.constantFrom(...CONTROLS, "\t", "\n", "\r", "|"),
      fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.array(anyChar, { maxLength: 30 }), (chars) => {
        const s = chars.join("");
        expect(stripControl(s).replace(CONTROL_CHARS, "")).toBe(stripControl(s));
        expect(stripControl(s)).not.toContain("\r");
        expect(ANY_CONTROL.test(oneLine(s))).toBe(false);
      }),
      propertyRuns(300, 20_261_204),
    );
  });
});
