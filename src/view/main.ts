/**
 * The chart view's entry point. Two ways to run:
 * - inside an MCP Apps host: the official App class does the handshake (ui/initialize), receives
 *   the tool's arguments and result, follows the host's theme, reports its size, and re-asks the
 *   same question over 7/14/30 days with tools/call through the host;
 * - as the CLI's standalone page (`preview --html FILE`): the answer is inlined in the page as
 *   JSON (#cekura-answer) and there is no host to call.
 */
import {
  App,
  applyDocumentTheme,
  applyHostFonts,
  applyHostStyleVariables,
  type McpUiHostContext,
  PostMessageTransport,
} from "@modelcontextprotocol/ext-apps";
import { currentDays, reaskArguments, viewModel } from "./model.js";
import { restyleCharts, setStatus, show } from "./render.js";

declare const VIEW_VERSION: string;

const DEFAULT_TOOL = "preview_widget_data";

function standalone(inline: HTMLElement): void {
  let payload: { arguments?: unknown; result?: unknown } = {};
  try {
    payload = JSON.parse(inline.textContent ?? "{}");
  } catch {
    // shown below as "no result"
  }
  show(viewModel(payload.result, payload.arguments), {
    days: currentDays(payload.arguments),
    onDays: undefined,
    hint: "Another window: run the preview command again, e.g. with --last 7d, 14d or 30d.",
  });
}

async function hosted(): Promise<void> {
  const app = new App({ name: "cekura-dashboards-chart", version: VIEW_VERSION }, {});
  let args: Record<string, unknown> | undefined;
  let lastResult: unknown;
  let asking = false;

  const toolName = () => app.getHostContext()?.toolInfo?.tool.name ?? DEFAULT_TOOL;
  const hasWindowArgument = () =>
    "window" in (app.getHostContext()?.toolInfo?.tool.inputSchema.properties ?? {});
  const canCall = () => app.getHostCapabilities()?.serverTools !== undefined && args !== undefined;

  const draw = () =>
    show(viewModel(lastResult, args), {
      days: currentDays(args),
      onDays: canCall() ? reask : undefined,
    });

  async function reask(days: number): Promise<void> {
    if (asking || !args) return;
    asking = true;
    const next = reaskArguments(args, days, hasWindowArgument());
    setStatus(`Asking for the last ${days} days...`, true);
    try {
      const result = await app.callServerTool({ name: toolName(), arguments: next });
      args = next;
      lastResult = result;
      draw();
    } catch (e) {
      setStatus(`The host could not run the call: ${e instanceof Error ? e.message : String(e)}`, false);
    } finally {
      asking = false;
    }
  }

  const applyContext = (ctx: McpUiHostContext | undefined) => {
    if (!ctx) return;
    if (ctx.theme) applyDocumentTheme(ctx.theme);
    if (ctx.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
    if (ctx.styles?.css?.fonts) applyHostFonts(ctx.styles.css.fonts);
    restyleCharts();
  };

  // Handlers first: the host may send the input and the result right after the handshake.
  app.ontoolinput = (p) => {
    args = p.arguments;
    if (lastResult !== undefined) draw(); // a host that sent the result first: now the buttons can show
  };
  app.ontoolresult = (result) => {
    lastResult = result;
    draw();
  };
  app.ontoolcancelled = (p) => {
    if (lastResult === undefined) {
      show(
        { ok: false, message: `The call was cancelled${p.reason ? `: ${p.reason}` : "."}` },
        { days: undefined, onDays: undefined },
      );
    }
  };
  app.onhostcontextchanged = (ctx) => applyContext(ctx);
  app.onteardown = async () => ({});

  await app.connect(new PostMessageTransport(window.parent, window.parent));
  applyContext(app.getHostContext());
}

const inline = document.getElementById("cekura-answer");
if (inline) standalone(inline);
else {
  hosted().catch((e: unknown) => {
    show(
      { ok: false, message: `Could not connect to the host: ${e instanceof Error ? e.message : String(e)}` },
      { days: undefined, onDays: undefined },
    );
  });
}
