/**
 * createServer(deps): the MCP server with its tools (prompts and resources register here too).
 * No I/O of its own: main.ts connects a transport. The low-level Server is used so that we
 * publish our own portable JSON Schema and shape every error ourselves (the SDK's own argument
 * validation would answer before our lenient parsing and our messages could).
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { errorAnswer } from "../report/index.js";
import { VERSION } from "../shared/version.js";
import { readView, UI_EXTENSION, VIEW_RESOURCE, VIEW_URI } from "./app-view.js";
import type { BackendProvider } from "./backend.js";
import type { Logger, LogLevel } from "./logging.js";
import { SERVER_INSTRUCTIONS } from "./model-texts.js";
import { getMcpPrompt, listMcpPrompts } from "./prompts.js";
import { REFERENCE_RESOURCES, readReference } from "./resources.js";
import { type ConfirmOutcome, toolsFor } from "./tools/index.js";

export interface ServerDeps {
  backend: BackendProvider;
  logger: Logger;
  defaultWindow: string;
  budgetChars: number;
  now?: () => number;
  /** --disable-write: create_dashboard is not offered, and the draft-dashboard prompt ends with JSON bodies. */
  disableWrite?: boolean;
}

export function createServer(deps: ServerDeps): { server: Server; close: () => Promise<void> } {
  const server = new Server(
    { name: "cekura-dashboards-mcp", title: "Cekura dashboards", version: VERSION },
    {
      capabilities: {
        tools: { listChanged: false },
        logging: {},
        prompts: {},
        resources: {},
        extensions: { [UI_EXTENSION]: {} },
      },
      instructions: SERVER_INSTRUCTIONS,
    },
  );

  const tools = toolsFor(deps);
  let definitions: ReturnType<(typeof tools)[number]["definition"]>[] | undefined;
  server.setRequestHandler(ListToolsRequestSchema, async () => {
    definitions ??= tools.map((t) => t.definition());
    return { tools: definitions };
  });

  /** Asks the person to confirm a write, where the client declared elicitation. */
  const confirm = async (message: string, signal?: AbortSignal): Promise<ConfirmOutcome> => {
    if (!server.getClientCapabilities()?.elicitation) return "unsupported";
    // A question that fails or times out is a "no": nothing is saved without a yes.
    const answer = await server
      .elicitInput(
        {
          message,
          requestedSchema: {
            type: "object",
            properties: {
              save: { type: "boolean", title: "Save it", description: "Save this dashboard now" },
            },
            required: ["save"],
          },
        },
        { ...(signal ? { signal } : {}), timeout: 10 * 60_000 },
      )
      .catch(() => ({ action: "cancel" as const, content: undefined }));
    if (answer.action !== "accept") return answer.action;
    return answer.content?.save === true ? "accept" : "decline";
  };

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args } = request.params;
    const tool = tools.find((t) => t.name === name);
    if (!tool) {
      const off = deps.disableWrite && name === "create_dashboard";
      return errorAnswer({
        category: off ? "config" : "invalid_arguments",
        message: off
          ? "Writes are switched off on this server (--disable-write or CEKURA_DISABLE_WRITE=1), so create_dashboard is not available. Give the person the widgets as JSON bodies instead."
          : `There is no tool named ${JSON.stringify(name.slice(0, 80))}; this server's tools: ${tools.map((t) => t.name).join(", ")}.`,
      });
    }
    return tool.call(deps, args, { signal: extra.signal, confirm });
  });

  // Prompts and resources: texts from prompts/, filled at read time; bad arguments and unknown
  // names are McpError InvalidParams (thrown errors become JSON-RPC errors in the SDK).
  server.setRequestHandler(ListPromptsRequestSchema, async () => listMcpPrompts());
  server.setRequestHandler(GetPromptRequestSchema, async (request) =>
    getMcpPrompt(request.params.name, request.params.arguments, (deps.now ?? Date.now)(), {
      writes: !deps.disableWrite,
    }),
  );
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({
    resources: [...REFERENCE_RESOURCES.map((r) => ({ ...r })), { ...VIEW_RESOURCE }],
  }));
  // Some clients ask for templates whenever resources are declared; there are none.
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: [] }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) =>
    request.params.uri === VIEW_URI
      ? readView()
      : readReference(request.params.uri, { defaultWindow: deps.defaultWindow }),
  );

  server.setRequestHandler(SetLevelRequestSchema, async (request) => {
    deps.logger.setClientLevel(request.params.level as LogLevel);
    return {};
  });

  deps.logger.setNotifier((level, data) => {
    server.sendLoggingMessage({ level, logger: "cekura-dashboards-mcp", data }).catch(() => {
      // not connected, or the client went away: stderr already has the line
    });
  });

  return {
    server,
    close: async () => {
      deps.logger.setNotifier(undefined);
      await deps.backend.close();
      await server.close().catch(() => {});
    },
  };
}
