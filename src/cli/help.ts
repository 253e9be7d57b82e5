import { DEFAULT_BUDGET_CHARS } from "../shared/limits.js";
import { PACKAGE_NAME, VERSION } from "../shared/version.js";
import { DEFAULT_BASE_URL, DEFAULT_DEADLINE_MS, DEFAULT_WINDOW, MAX_DEADLINE_MS } from "./config.js";

export const HELP = `${PACKAGE_NAME} ${VERSION}
An MCP server (stdio) that answers questions about your Cekura voice-agent calls with the
preview_widget_data tool (chart data for a dashboard widget, summarised for a model), reads saved
dashboards and widgets, and saves new dashboards with create_dashboard (unless --disable-write).

Usage:
  ${PACKAGE_NAME}                      serve MCP over stdio against the Cekura API (needs CEKURA_API_KEY)
  ${PACKAGE_NAME} --demo               serve on built-in demo data (no key, no network)
  ${PACKAGE_NAME} --data FILE          serve on exported call logs (NDJSON, JSON array or API pages)
  ${PACKAGE_NAME} preview [query] [--demo | --data FILE]
                                        answer one query and print it, then exit (non-zero on error)
  ${PACKAGE_NAME} --help | --version

Query flags of preview:
  --chart line|bar|pie|stat   --field NAME   --agg count|sum|avg|min|max|p50|p95|p99
  --period hour|day|week|month   --last 7d (window: timestamp gte now-7d)   --metric ID
  --filters JSON   --json '{...whole tool arguments...}'   --format markdown|json
  --html FILE   also write the answer as a chart page (the MCP App view) to FILE; open it in a browser
  e.g. ${PACKAGE_NAME} preview --chart bar --field success --agg avg --period day --last 7d --demo

Settings (flag, or environment variable):
  CEKURA_API_KEY                    API key, sent as X-CEKURA-API-KEY (environment only, never a flag)
  --base-url, CEKURA_BASE_URL       default ${DEFAULT_BASE_URL}; https, or http to 127.0.0.1/localhost/[::1]
  --demo, CEKURA_DEMO=1             built-in demo data
  --data, CEKURA_DATA_FILE          a file of call logs
  --timeout-ms, CEKURA_TIMEOUT_MS   deadline per call incl. retries, default ${DEFAULT_DEADLINE_MS}, at most ${MAX_DEADLINE_MS}
  --default-window, CEKURA_DEFAULT_WINDOW
                                    start added when a query has none, default ${DEFAULT_WINDOW}
  --max-result-chars, CEKURA_MAX_RESULT_CHARS
                                    budget of one answer in characters, default ${DEFAULT_BUDGET_CHARS}
  --log-level, CEKURA_LOG_LEVEL     debug|info|notice|warning|error..., default info (logs go to stderr)
  --disable-write, CEKURA_DISABLE_WRITE=1
                                    save nothing: create_dashboard (the only write) is not offered
`;
