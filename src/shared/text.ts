/**
 * Text helpers for what a model or a person reads: cutting to a length without splitting a
 * surrogate pair, and the one set of control characters that untrusted text (upstream replies,
 * user data) must not carry into a message or a table.
 */

/** `text` cut to at most `max` UTF-16 units; one less where the cut would split a surrogate pair. */
export function prefix(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

/** Cuts to at most `max` characters ("..." included), never inside a surrogate pair. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 3) return "...".slice(0, Math.max(0, max));
  return `${prefix(text, max - 3)}...`;
}

/**
 * C0 controls but tab, LF and CR (which callers handle first), DEL, C1 controls (U+0085 is a line
 * break to some readers) and the Unicode line and paragraph separators: none of them is ever shown.
 */
const CONTROL_RANGES = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u2028\\u2029";

/** Every control character of the set above; global, for replace(). */
export const CONTROL_CHARS = new RegExp(`[${CONTROL_RANGES}]`, "g");

/** Whether a text holds a control character, tab, LF or CR; not global: for test(). */
export const ANY_CONTROL = new RegExp(`[\\t\\n\\r${CONTROL_RANGES}]`);

/** Removes control characters but tab and newline; turns CR LF and CR into LF. */
export function stripControl(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(CONTROL_CHARS, "");
}
