/**
 * Quoting upstream text inside model-facing messages. Text from the service is shown only
 * inside a fence (so it reads as data, not as instructions), bounded, with control characters
 * removed. The fence is longer than any backtick run in the text, so the text cannot close it.
 */
import { prefix, stripControl } from "../shared/text.js";

/** Cuts `text` to at most `max` characters (never in the middle of a surrogate pair). */
export function bound(text: string, max: number): { text: string; cut: boolean } {
  return { text: prefix(text, max), cut: text.length > max };
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 96) {
      run += 1;
      if (run > longest) longest = run;
    } else {
      run = 0;
    }
  }
  return longest;
}

/**
 * A fenced ```text block holding `text` bounded to `max` characters, followed by a note when it
 * was cut.
 */
export function fenced(text: string, max: number): string {
  const clean = stripControl(text).trim();
  const { text: shown, cut } = bound(clean, max);
  const fence = "`".repeat(Math.max(3, longestBacktickRun(shown) + 1));
  const note = cut ? `\n(The reply was cut to its first ${max} of ${clean.length} characters.)` : "";
  return `${fence}text\n${shown}\n${fence}${note}`;
}
