/**
 * Loads exported call logs into memory for the embedded backend.
 *
 * Three file forms, told apart by their first non-blank character and whether the first line is
 * a complete JSON value:
 * - NDJSON: one call per line (blank lines ignored); a line may also hold a whole list page;
 * - a JSON array of calls;
 * - the call-logs list API's pages: one page `{count, next, previous, results: [...]}`, an array
 *   of pages, or NDJSON of pages.
 * Rows may be in either shape of docs/cekura-api.md §4 (see rows.ts). A bad row is skipped and
 * counted, with the first few reasons naming its line or index; a file without a single valid row is an
 * error. Duplicate ids (overlapping page exports) keep the first row. The calls come back
 * ordered by timestamp, then id.
 *
 * NDJSON files are streamed and split here (no per-line regex); whole-document forms are read at
 * once and so are limited by the engine's maximum string length (about 512 MB).
 */

import { isAscii } from "node:buffer";
import { type FileHandle, open, readFile } from "node:fs/promises";
import { type ErrorCategory, err, ok, type Result, type ToolError } from "../shared/errors.js";
import { isPlainObject } from "../shared/json.js";
import { cut } from "../shared/text.js";
import type { CallLog } from "./calls.js";
import { normaliseRow, RowInterner } from "./rows.js";

export { normaliseRow } from "./rows.js";

export type CallsFileFormat = "ndjson" | "json-array" | "list-pages";

export interface LoadedCalls {
  calls: CallLog[];
  /** Rows that were rejected (bad shape, bad JSON line, duplicate id). */
  skipped: number;
  /** The first MAX_REASONS rejections, each naming the line (NDJSON) or index. */
  reasons: string[];
  format: CallsFileFormat;
}

export const MAX_REASONS = 5;

export interface LoadOptions {
  /** The category of every error; "config" when the path came from configuration. */
  category?: Extract<ErrorCategory, "invalid_arguments" | "config">;
}

const FORMS_HINT =
  "Expected NDJSON (one call object per line), a JSON array of calls, or call-logs list pages ({results: [...]}).";

const isPage = (v: unknown): v is { results: unknown[] } => isPlainObject(v) && Array.isArray(v.results);

const errorText = (e: unknown): string => {
  const s = e instanceof Error ? e.message : String(e);
  return cut(s, 120);
};

/** Index of the first character that is not JSON whitespace or a byte-order mark; -1 if none. */
function firstContent(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return i;
  }
  return -1;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

type PlaceKind = "line" | "line-results" | "index" | "pages" | "results";

function place(kind: PlaceKind, a: number, b: number): string {
  switch (kind) {
    case "line":
      return `line ${a}`;
    case "line-results":
      return `line ${a}, results[${b}]`;
    case "index":
      return `index ${a}`;
    case "pages":
      return `pages[${a}].results[${b}]`;
    case "results":
      return `results[${a}]`;
  }
}

/** Gathers the rows of one load: normalises, counts rejections, drops duplicate ids. */
class Collector {
  readonly calls: CallLog[] = [];
  skipped = 0;
  readonly reasons: string[] = [];
  /** Ids seen, built only once ids stop being monotonic (exports are usually sorted by id). */
  private seen: Set<number> | undefined;
  private minId = Number.POSITIVE_INFINITY;
  private maxId = Number.NEGATIVE_INFINITY;
  private readonly interner = new RowInterner();
  private ordered = true;
  private lastTimestamp = Number.NEGATIVE_INFINITY;
  private lastId = Number.NEGATIVE_INFINITY;
  private pageLines = 0;
  private rowLines = 0;

  reject(where: string, reason: string): void {
    this.skipped++;
    if (this.reasons.length < MAX_REASONS) this.reasons.push(`${where}: ${reason}`);
  }

  /**
   * One row, placed by (kind, a, b) rather than by a ready-made string so that a good row costs
   * no text: "line" a; "line-results" line a, results[b]; "index" a; "pages" pages[a].results[b];
   * "results" results[a].
   */
  row(raw: unknown, kind: PlaceKind, a: number, b = 0): void {
    const read = normaliseRow(raw, this.interner);
    if (!read.ok) {
      this.reject(place(kind, a, b), read.error);
      return;
    }
    const call = read.value;
    if (this.isDuplicate(call.id)) {
      this.reject(place(kind, a, b), `duplicate id ${call.id} (the first row with it is kept)`);
      return;
    }
    if (
      call.timestamp < this.lastTimestamp ||
      (call.timestamp === this.lastTimestamp && call.id < this.lastId)
    ) {
      this.ordered = false;
    }
    this.lastTimestamp = call.timestamp;
    this.lastId = call.id;
    this.calls.push(call);
  }

  private isDuplicate(id: number): boolean {
    if (this.seen === undefined) {
      if (id > this.maxId || id < this.minId) {
        if (id > this.maxId) this.maxId = id;
        if (id < this.minId) this.minId = id;
        return false;
      }
      this.seen = new Set(this.calls.map((c) => c.id));
    }
    if (this.seen.has(id)) return true;
    this.seen.add(id);
    return false;
  }

  /** One NDJSON line (1-based number): a call, or a whole list page. */
  line(text: string, lineNo: number): void {
    if (text.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      if (firstContent(text) >= 0) this.reject(`line ${lineNo}`, `not valid JSON (${errorText(e)})`);
      return;
    }
    if (isPage(value)) {
      this.pageLines++;
      const rows = value.results;
      for (let i = 0; i < rows.length; i++) this.row(rows[i], "line-results", lineNo, i);
    } else {
      this.rowLines++;
      this.row(value, "line", lineNo);
    }
  }

  get lineFormat(): CallsFileFormat {
    return this.pageLines > 0 && this.rowLines === 0 ? "list-pages" : "ndjson";
  }

  /** A whole JSON document; why not when it is none of the accepted forms. */
  document(doc: unknown): Result<CallsFileFormat, string> {
    if (Array.isArray(doc)) {
      if (doc.length > 0 && isPage(doc[0])) {
        for (let p = 0; p < doc.length; p++) {
          const page = doc[p];
          if (!isPage(page)) {
            this.reject(`pages[${p}]`, "not a list page (an object with a results list)");
            continue;
          }
          const rows = page.results;
          for (let i = 0; i < rows.length; i++) this.row(rows[i], "pages", p, i);
        }
        return ok("list-pages");
      }
      for (let i = 0; i < doc.length; i++) this.row(doc[i], "index", i);
      return ok("json-array");
    }
    if (isPage(doc)) {
      const rows = doc.results;
      for (let i = 0; i < rows.length; i++) this.row(rows[i], "results", i);
      return ok("list-pages");
    }
    return err(
      isPlainObject(doc)
        ? "it is a single JSON object without a results list"
        : `it is a single JSON ${doc === null ? "null" : typeof doc}`,
    );
  }

  finish(format: CallsFileFormat, source: string, category: ErrorCategory): Result<LoadedCalls, ToolError> {
    const total = this.calls.length + this.skipped;
    if (total === 0) {
      return err({ category, message: `${source} holds no call rows (read as ${format}). ${FORMS_HINT}` });
    }
    if (this.calls.length === 0) {
      return err({
        category,
        message:
          `${source} has no valid call rows: all ${total} were rejected (read as ${format}). ` +
          `First problems: ${this.reasons.join("; ")}. Each call needs an integer id and a timestamp ` +
          "(ISO 8601 or epoch); durations are seconds or MM:SS.",
      });
    }
    if (!this.ordered) this.calls.sort((a, b) => a.timestamp - b.timestamp || a.id - b.id);
    return ok({ calls: this.calls, skipped: this.skipped, reasons: this.reasons, format });
  }
}

function parseDocument(
  text: string,
  source: string,
  category: ErrorCategory,
): Result<LoadedCalls, ToolError> {
  const start = firstContent(text);
  let doc: unknown;
  try {
    doc = JSON.parse(start > 0 ? text.slice(start) : text);
  } catch (e) {
    const what = text[start] === "[" ? "a valid JSON array" : "valid JSON (nor NDJSON)";
    return err({ category, message: `${source} is not ${what}: ${errorText(e)}. ${FORMS_HINT}` });
  }
  const collector = new Collector();
  const format = collector.document(doc);
  if (!format.ok) {
    return err({
      category,
      message: `${source} cannot be read as call logs: ${format.error}. ${FORMS_HINT}`,
    });
  }
  return collector.finish(format.value, source, category);
}

/**
 * Decides the form from the first non-blank lines and, once it is NDJSON, feeds lines to the
 * collector. A first line that parses as JSON starting with "{" means NDJSON. A first line that
 * does not parse is still NDJSON (with a bad first line) when the next non-blank line is a whole
 * JSON object; otherwise the text is one JSON document (pretty-printed, or an array).
 */
class LineSink {
  mode: "detect" | "ndjson" | "document" | "not-json" = "detect";
  notJsonChar = "";
  private held: { line: string; lineNo: number } | undefined;

  constructor(private readonly collector: Collector) {}

  /** False once the lines are of no more use (the text is a document, or not JSON). */
  readonly line = (line: string, lineNo: number): boolean => {
    if (this.mode === "ndjson") {
      this.collector.line(line, lineNo);
      return true;
    }
    const start = firstContent(line);
    if (start < 0) return true; // blank lines before the first row
    const body = start > 0 ? line.slice(start) : line;
    if (this.held === undefined) {
      const c = body[0] as string;
      if (c === "{" && parses(body)) return this.startNdjson(body, lineNo);
      if (c === "{") {
        this.held = { line: body, lineNo };
        return true;
      }
      if (c === "[") this.mode = "document";
      else {
        this.mode = "not-json";
        this.notJsonChar = c;
      }
      return false;
    }
    let second: unknown;
    try {
      second = JSON.parse(body);
    } catch {
      second = undefined;
    }
    if (isPlainObject(second)) {
      this.collector.line(this.held.line, this.held.lineNo); // rejected: not valid JSON
      return this.startNdjson(body, lineNo);
    }
    this.mode = "document";
    return false;
  };

  /** At the end of input: a lone unparseable first line is a (broken) document. */
  end(): void {
    if (this.mode === "detect" && this.held !== undefined) this.mode = "document";
  }

  private startNdjson(body: string, lineNo: number): boolean {
    this.mode = "ndjson";
    this.collector.line(body, lineNo);
    return true;
  }
}

function lineSinkResult(
  sink: LineSink,
  collector: Collector,
  source: string,
  category: ErrorCategory,
): Result<LoadedCalls, ToolError> | "document" {
  sink.end();
  switch (sink.mode) {
    case "ndjson":
      return collector.finish(collector.lineFormat, source, category);
    case "detect":
      return err({ category, message: `${source} is empty. ${FORMS_HINT}` });
    case "not-json":
      return err({
        category,
        message: `${source} is not JSON: it starts with ${JSON.stringify(sink.notJsonChar)} where "{" or "[" was expected. ${FORMS_HINT}`,
      });
    case "document":
      return "document";
  }
}

/** Feeds the lines of `text` to `onLine` (1-based numbers) until it returns false. */
function feedLines(
  text: string,
  firstLineNo: number,
  onLine: (line: string, lineNo: number) => boolean,
): number {
  let lineNo = firstLineNo;
  let pos = 0;
  for (;;) {
    const nl = text.indexOf("\n", pos);
    if (!onLine(text.slice(pos, nl < 0 ? text.length : nl), lineNo++)) return -1;
    if (nl < 0) return lineNo;
    pos = nl + 1;
  }
}

/**
 * Reads call logs from text in any accepted form. `source` names the input in messages.
 */
export function parseCallsText(
  text: string,
  source = "The input",
  opts: LoadOptions = {},
): Result<LoadedCalls, ToolError> {
  const category = opts.category ?? "invalid_arguments";
  const collector = new Collector();
  const sink = new LineSink(collector);
  feedLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 1, sink.line);
  const r = lineSinkResult(sink, collector, source, category);
  return r === "document" ? parseDocument(text, source, category) : r;
}

/** Bytes read at a time, and decoded into one string at a time (see readLines). */
const CHUNK_BYTES = 4 << 20;
const PIECE_BYTES = 64 << 10;

/**
 * ASCII text (the usual export) decodes about twice as fast as UTF-8 when we know it is ASCII;
 * as "latin1", which reads ASCII alike without checking the bytes a second time.
 */
const decode = (b: Buffer): string => b.toString(isAscii(b) ? "latin1" : "utf8");

function fsErrorText(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "EISDIR") return "it is a directory";
  return errorText(e);
}

/**
 * Loads call logs from a file (NDJSON streamed; JSON documents read whole). Never throws.
 */
export async function loadCallsFile(
  path: string,
  opts: LoadOptions = {},
): Promise<Result<LoadedCalls, ToolError>> {
  const category = opts.category ?? "invalid_arguments";
  const source = `The calls file "${path}"`;
  const cannotRead = (e: unknown) =>
    err({ category, message: `Cannot read the calls file "${path}": ${fsErrorText(e)}.` });
  let fh: FileHandle;
  try {
    fh = await open(path, "r");
  } catch (e) {
    return cannotRead(e);
  }
  const collector = new Collector();
  const sink = new LineSink(collector);
  try {
    if ((await fh.stat()).isDirectory()) return cannotRead({ code: "EISDIR" });
    await readLines(fh, sink.line);
  } catch (e) {
    return cannotRead(e);
  } finally {
    await fh.close().catch(() => undefined);
  }
  const r = lineSinkResult(sink, collector, source, category);
  if (r !== "document") return r;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === "ERR_STRING_TOO_LONG" || code === "ERR_FS_FILE_TOO_LARGE") {
      return err({
        category,
        message: `${source} is too large to read as one JSON document; convert it to NDJSON (one call per line), which is streamed.`,
      });
    }
    return cannotRead(e);
  }
  return parseDocument(text, source, category);
}

/**
 * Feeds each line (without its "\n") to `onLine` with its 1-based number, until the file ends
 * (true) or `onLine` returns false (false). Splits on the newline byte, which never occurs inside
 * a multi-byte UTF-8 sequence, so a chunk boundary cannot cut a character in two. The unfinished
 * last line of a chunk moves to the front of the buffer and the next read appends to it, so no
 * chunk is copied to join it (the buffer grows only for a line longer than itself).
 */
async function readLines(
  fh: FileHandle,
  onLine: (line: string, lineNo: number) => boolean,
): Promise<boolean> {
  let buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let kept = 0; // bytes at the front of buf: the start of a line that has not ended yet
  let lineNo = 1;
  for (;;) {
    if (kept === buf.length) {
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, kept);
      buf = bigger;
    }
    const { bytesRead } = await fh.read(buf, kept, buf.length - kept, null);
    if (bytesRead === 0) break;
    const end = kept + bytesRead;
    const last = buf.lastIndexOf(0x0a, end - 1);
    if (last < kept) {
      kept = end; // no line ends in this read
      continue;
    }
    // Decodes whole lines about PIECE_BYTES at a time: a string that size is an ordinary young
    // object, while a string per chunk is kept outside the JS heap, and that "external memory
    // pressure" started most of the major garbage collections of a large load (7 of 10 for a
    // million rows, about 15% of the time).
    for (let start = 0; start <= last; ) {
      let cut = start + PIECE_BYTES >= last ? last : buf.lastIndexOf(0x0a, start + PIECE_BYTES);
      if (cut < start) cut = buf.indexOf(0x0a, start + PIECE_BYTES); // a line longer than a piece
      let text = decode(buf.subarray(start, cut));
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      lineNo = feedLines(text, lineNo, onLine);
      if (lineNo < 0) return false;
      start = cut + 1;
    }
    kept = end - (last + 1);
    buf.copy(buf, 0, last + 1, end);
  }
  if (kept > 0) {
    let text = decode(buf.subarray(0, kept));
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return onLine(text, lineNo);
  }
  return true;
}
