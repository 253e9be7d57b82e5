/** The tool handler's dependencies over the embedded demo backend, as the server builds them in demo mode. */
import type { Config } from "../../src/cli/config.js";
import { createBackendProvider } from "../../src/server/backend.js";
import { createLogger } from "../../src/server/logging.js";

export function demoDeps() {
  const config: Config = {
    mode: "demo",
    baseUrl: "https://api.cekura.ai",
    deadlineMs: 30_000,
    defaultWindow: "now-7d",
    budgetChars: 24_000,
    logLevel: "error",
    disableWrite: false,
  };
  const logger = createLogger({ level: "error", redact: (t) => t, write: () => {} });
  const backend = createBackendProvider(config, logger);
  return { backend, logger, defaultWindow: config.defaultWindow, budgetChars: config.budgetChars };
}
