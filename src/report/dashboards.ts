/**
 * Answers of the dashboard tools, shaped like preview_widget_data's (report/answer.ts): a
 * markdown summary and the data, both in `content` and in `structuredContent`, the whole
 * result within the budget. Lists are cut to whole leading items; saved widgets reuse the
 * preview answer itself, one per widget, each within its share of the budget.
 */
import type { ToolAnswer } from "./answer.js";
import { fitPrefix } from "./budget.js";
import { type DataSource, describeSource } from "./describe.js";
import { cut } from "./format.js";

export type ListingAnswer = {
  content: [{ type: "text"; text: string }, { type: "text"; text: string }];
  structuredContent: Record<string, unknown> & {
    summary: string;
    items: unknown[];
    truncated: null | { shown: number; total: number; omitted: number };
    source: string;
  };
};

/** Share of the budget the summary may take (tables of a few dozen rows fit well within it). */
const SUMMARY_SHARE = 0.35;

export interface ListingInput {
  /** The summary, given the characters it may take (a table renders within them). */
  summary: (maxChars: number) => string;
  items: readonly unknown[];
  /** Other fields of the data, kept whole (small: page numbers, an id). */
  extra?: Record<string, unknown>;
  source: DataSource;
  budgetChars: number;
}

function assembleListing(
  summary: string,
  items: unknown[],
  input: ListingInput,
  truncated: ListingAnswer["structuredContent"]["truncated"],
): ListingAnswer {
  const data = { ...input.extra, items, truncated };
  const note = truncated
    ? `\n\nData cut: the first ${truncated.shown} of ${truncated.total} items are included (${truncated.omitted} left out).`
    : "";
  const text = `${summary}${note}`;
  return {
    content: [
      { type: "text", text },
      { type: "text", text: JSON.stringify(data) },
    ],
    structuredContent: { summary: text, ...data, source: describeSource(input.source) },
  };
}

/** A summary and a list, within the budget: the list is cut to the whole leading items that fit. */
export function listingAnswer(input: ListingInput): ListingAnswer {
  const budget = input.budgetChars;
  const summary = cut(input.summary(Math.floor(budget * SUMMARY_SHARE)), Math.floor(budget * SUMMARY_SHARE));
  const total = input.items.length;
  const worst = { shown: total, total, omitted: total };
  const fixed = JSON.stringify(assembleListing(summary, [], input, worst)).length;
  const k = fitPrefix(input.items, Math.max(0, budget - fixed));
  if (k === total) return assembleListing(summary, [...input.items], input, null);
  return assembleListing(summary, input.items.slice(0, k), input, { shown: k, total, omitted: total - k });
}

/** One saved widget's part of a get_widget_data answer. */
export type WidgetPart =
  | { widget_id: number; name: string; answer: ToolAnswer }
  | { widget_id: number; name: string; error: string };

export type WidgetsAnswer = {
  content: [{ type: "text"; text: string }, { type: "text"; text: string }];
  structuredContent: { summary: string; widgets: Record<string, unknown>[]; source: string };
};

/**
 * Saved widgets' answers as one: each widget's summary under a heading in the summary, and its
 * data (as preview_widget_data gives it) in the list of widgets. Its size is about the sum of the
 * parts' sizes plus the header's, so the caller gives each part its share of the budget.
 */
export function widgetsAnswer(
  header: string,
  parts: readonly WidgetPart[],
  source: DataSource,
): WidgetsAnswer {
  const sections: string[] = [header];
  const widgets: Record<string, unknown>[] = [];
  for (const p of parts) {
    const name = cut(p.name.replace(/\s+/g, " ").trim(), 120);
    const title = `### Widget ${p.widget_id}${name === "" ? "" : `: ${name}`}`;
    if ("error" in p) {
      sections.push(`${title}\n${p.error}`);
      widgets.push({ widget_id: p.widget_id, name: p.name, error: p.error });
      continue;
    }
    sections.push(`${title}\n${p.answer.content[0].text}`);
    const { summary: _shownAbove, ...rest } = p.answer.structuredContent;
    widgets.push({ widget_id: p.widget_id, name: p.name, ...rest });
  }
  const summary = sections.join("\n\n");
  return {
    content: [
      { type: "text", text: summary },
      { type: "text", text: JSON.stringify({ widgets }) },
    ],
    structuredContent: { summary, widgets, source: describeSource(source) },
  };
}
