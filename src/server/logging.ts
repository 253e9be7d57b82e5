/**
 * Logs: JSON lines on stderr (stdout belongs to JSON-RPC), and, once a client is connected and
 * asks for them with logging/setLevel, MCP log notifications. Every message and field passes
 * the redactor first, so the API key cannot leak through a log line.
 */
/** MCP's log levels (RFC 5424), quietest last. */
export const LOG_LEVELS = [
  "debug",
  "info",
  "notice",
  "warning",
  "error",
  "critical",
  "alert",
  "emergency",
] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warning(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** Where MCP log notifications go; set by the server once connected. */
  setNotifier(notify: ((level: LogLevel, data: Record<string, unknown>) => void) | undefined): void;
  /** logging/setLevel from the client: the threshold for notifications. */
  setClientLevel(level: LogLevel): void;
}

const rank = (l: LogLevel) => LOG_LEVELS.indexOf(l);

export function createLogger(opts: {
  level: LogLevel;
  redact: (text: string) => string;
  write?: (line: string) => void;
}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line));
  let notifier: ((level: LogLevel, data: Record<string, unknown>) => void) | undefined;
  let clientLevel: LogLevel | undefined;

  const log = (level: LogLevel, message: string, fields?: LogFields) => {
    const toStderr = rank(level) >= rank(opts.level);
    const toClient = notifier !== undefined && clientLevel !== undefined && rank(level) >= rank(clientLevel);
    if (!toStderr && !toClient) return; // below every threshold: build nothing
    const entry: Record<string, unknown> = {
      time: new Date().toISOString(),
      level,
      msg: opts.redact(message),
    };
    if (fields) {
      for (const [k, v] of Object.entries(fields)) {
        if (v !== undefined) entry[k] = typeof v === "string" ? opts.redact(v) : v;
      }
    }
    if (toStderr) {
      try {
        write(`${JSON.stringify(entry)}\n`);
      } catch {
        // stderr gone: nothing sensible left to do with a log line
      }
    }
    if (toClient && notifier) {
      try {
        notifier(level, entry);
      } catch {
        // a client that went away must not break the call that logged
      }
    }
  };
  return {
    log,
    debug: (m, f) => log("debug", m, f),
    info: (m, f) => log("info", m, f),
    warning: (m, f) => log("warning", m, f),
    error: (m, f) => log("error", m, f),
    setNotifier: (n) => {
      notifier = n;
    },
    setClientLevel: (l) => {
      clientLevel = l;
    },
  };
}
