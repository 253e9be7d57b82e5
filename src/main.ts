/**
 * Entry point: flags and environment → config → the stdio server, the one-shot preview CLI,
 * help or version. Owns the process: signals, stdin closing, a vanished client (EPIPE), and
 * errors nobody caught. Nothing but JSON-RPC is written to stdout in server mode.
 */
import { setFlagsFromString } from "node:v8";
import { type Command, type Config, parseCommandLine } from "./config.js";

async function main(): Promise<void> {
  const parsed = parseCommandLine(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`cekura-dashboards-mcp: ${parsed.error.message}\n`);
    process.exitCode = parsed.error.exitCode;
    return;
  }
  const command: Command = parsed.command;
  switch (command.kind) {
    case "help": {
      const { HELP } = await import("./help.js");
      process.stdout.write(HELP);
      return;
    }
    case "version": {
      const { VERSION } = await import("./version.js");
      process.stdout.write(`${VERSION}\n`);
      return;
    }
    case "preview": {
      const { runPreview } = await import("./cli.js");
      process.exitCode = await runPreview(command.config, command.args);
      return;
    }
    case "serve":
      await serve(command.config);
  }
}

/**
 * V8 settings for a long-lived, mostly idle server that answers one small call at a time. These
 * are read by V8 when it acts (not only at isolate creation), so they take effect from here; the
 * ones that do not (--max-semi-space-size, --concurrent-recompilation, --v8-pool-size) are not set.
 * - --semi-space-growth-factor=1: the young generation keeps its initial size instead of doubling
 *   to 16-32 MiB under a burst of calls; a call leaves little behind, so scavenges stay cheap.
 * - --liftoff-only: undici's HTTP parser (llhttp, WebAssembly) is compiled once by the baseline
 *   compiler and never re-compiled by TurboFan on a worker thread, whose compile memory stayed
 *   resident (+10 MiB on some first calls). Parsing one small response is microseconds either way.
 * - --no-turbofan, except when a local file is served: a call validates, forwards one small
 *   request and formats a small answer; no loop in it runs long enough to gain from optimised
 *   code. TurboFan compiles the few hundred functions a call touches on V8's worker threads, and
 *   each thread's malloc arena keeps its peak (8 MiB more RSS after the first 1,000 calls, never
 *   given back) for a call that is about 0.3 ms faster. The embedded engine of a local file scans
 *   up to millions of rows per query and loads them with tight loops: there TurboFan stays on.
 *   Demo mode scans 20,000 calls, a few ms either way. `npm run bench` measures both costs.
 */
function v8FlagsFor(mode: Config["mode"]): string[] {
  const flags = ["--semi-space-growth-factor=1", "--liftoff-only"];
  if (mode !== "data") flags.push("--no-turbofan");
  return flags;
}

function tuneV8(mode: Config["mode"]): void {
  for (const flag of v8FlagsFor(mode)) setFlagsFromString(flag);
}

async function serve(config: Config): Promise<void> {
  tuneV8(config.mode);
  const [
    { StdioServerTransport },
    { createServer },
    { createBackendProvider },
    { createLogger },
    { createRedactor },
    { createHeapKeeper },
  ] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/stdio.js"),
    import("./server.js"),
    import("./backend.js"),
    import("./logger.js"),
    import("./redact.js"),
    import("./heap-keeper.js"),
  ]);
  const logger = createLogger({ level: config.logLevel, redact: createRedactor([config.apiKey]) });
  const backend = createBackendProvider(config, logger);
  const heap = createHeapKeeper();
  const { server, close } = createServer({
    backend,
    logger,
    defaultWindow: config.defaultWindow,
    budgetChars: config.budgetChars,
    afterCall: heap.afterCall,
  });

  let stopping = false;
  const shutdown = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.debug(`Shutting down: ${reason}`);
    const force = setTimeout(() => process.exit(code), 1500);
    force.unref();
    close()
      .catch(() => {})
      .finally(() => process.exit(code));
  };

  process.on("unhandledRejection", (reason) => {
    logger.error("Unhandled rejection", { error: reason instanceof Error ? reason.message : String(reason) });
  });
  process.on("uncaughtException", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return shutdown("stdout closed");
    logger.error("Uncaught exception", { error: `${error.name}: ${error.message}` });
  });
  process.stdout.on("error", (error: NodeJS.ErrnoException) => shutdown(`stdout error ${error.code ?? ""}`));
  process.stdin.on("end", () => shutdown("stdin closed"));
  process.stdin.on("close", () => shutdown("stdin closed"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGHUP", () => shutdown("SIGHUP"));

  const transport = new StdioServerTransport();
  transport.onerror = (error) => logger.warning("Transport error", { error: error.message });
  await server.connect(transport);
  logger.info(`cekura-dashboards-mcp ready (${config.mode} mode)`);
  if (config.mode === "data") {
    // Load the file now, in the background, so a bad file shows in the log at once.
    void backend.get().then((r) => {
      if (!r.ok) logger.error(r.error.message);
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `cekura-dashboards-mcp: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
