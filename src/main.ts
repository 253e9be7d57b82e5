/**
 * Entry point: flags and environment → config → the stdio server, the one-shot preview CLI,
 * help or version. Owns the process: signals, stdin closing, a vanished client (EPIPE), and
 * errors nobody caught. Nothing but JSON-RPC is written to stdout in server mode.
 */
import { setFlagsFromString } from "node:v8";
import { type Command, type Config, parseCommandLine } from "./cli/config.js";
import { V8_FLAGS } from "./shared/v8-flags.js";

async function main(): Promise<void> {
  const parsed = parseCommandLine(process.argv.slice(2), process.env);
  if (!parsed.ok) {
    process.stderr.write(`cekura-dashboards-mcp: ${parsed.error.message}\n`);
    process.exitCode = parsed.error.exitCode;
    return;
  }
  const command: Command = parsed.value;
  switch (command.kind) {
    case "help": {
      const { HELP } = await import("./cli/help.js");
      process.stdout.write(HELP);
      return;
    }
    case "version": {
      const { VERSION } = await import("./shared/version.js");
      process.stdout.write(`${VERSION}\n`);
      return;
    }
    case "preview": {
      const { runPreview } = await import("./cli/preview.js");
      process.exitCode = await runPreview(command.config, command.args);
      return;
    }
    case "serve":
      await serve(command.config);
  }
}

function tuneV8(): void {
  for (const flag of V8_FLAGS) setFlagsFromString(flag);
}

async function serve(config: Config): Promise<void> {
  tuneV8();
  const [
    { StdioServerTransport },
    { createServer },
    { createBackendProvider },
    { createLogger },
    { createRedactor },
  ] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/stdio.js"),
    import("./server/server.js"),
    import("./server/backend.js"),
    import("./server/logging.js"),
    import("./shared/redact.js"),
  ]);
  const logger = createLogger({ level: config.logLevel, redact: createRedactor([config.apiKey]) });
  const backend = createBackendProvider(config, logger);
  const { server, close } = createServer({
    backend,
    logger,
    defaultWindow: config.defaultWindow,
    budgetChars: config.budgetChars,
    disableWrite: config.disableWrite,
  });

  let stopping = false;
  const shutdown = (reason: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.debug(`Shutting down: ${reason}`);
    const force = setTimeout(() => {
      logger.warning("Shutdown forced: closing took over 1.5 s");
      process.exit(code);
    }, 1500);
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
