/**
 * `preview --html FILE`: the MCP App chart view as a standalone page, the answer inlined as JSON,
 * so a person sees the chart in a browser without an app-capable client. The page holds a CSP
 * that forbids every request: it is the same view, with nothing to fetch.
 */
import { viewHtml } from "../server/app-view.js";

const PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** JSON that cannot end its script element: every `<` is escaped (`\u003c`), and so are U+2028/9. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

export async function standalonePage(args: unknown, result: unknown): Promise<string> {
  const html = await viewHtml();
  const head = html.indexOf("<head>");
  const body = html.indexOf("<body>");
  if (head < 0 || body < 0) throw new Error("the chart view has no <head> or <body>");
  const csp = `\n<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">`;
  const data = `\n<script type="application/json" id="cekura-answer">${inlineJson({ arguments: args, result })}</script>`;
  return html.slice(0, head + 6) + csp + html.slice(head + 6, body + 6) + data + html.slice(body + 6);
}
