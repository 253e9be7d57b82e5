/**
 * A minimal MCP Apps host for the browser tests, built on the official host-side AppBridge: it
 * puts the view in a sandboxed iframe (the page at viewUrl is served with the spec's default
 * CSP), answers the view's ui/initialize with a host context, sends the tool's arguments and
 * result, resizes the iframe on size-changed, and forwards the view's tools/call to the test
 * (window.cekuraCallTool, which calls the real server over stdio).
 */
import {
  AppBridge,
  type McpUiHostContext,
  PostMessageTransport,
} from "@modelcontextprotocol/ext-apps/app-bridge";

interface StartOptions {
  viewUrl: string;
  /** The tool as tools/list gave it, for the host context's toolInfo (which tool to call back). */
  tool?: Record<string, unknown>;
  args: Record<string, unknown>;
  result: Record<string, unknown>;
  hostContext: McpUiHostContext;
  width: number;
}

declare global {
  interface Window {
    cekuraCallTool: (params: unknown) => Promise<Record<string, unknown>>;
    startView: (o: StartOptions) => Promise<void>;
    setHostContext: (ctx: McpUiHostContext) => Promise<void>;
    hostEvents: string[];
  }
}

let bridge: AppBridge | undefined;
window.hostEvents = [];

window.startView = async (o) => {
  const iframe = document.createElement("iframe");
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.id = "view";
  iframe.title = "chart view";
  iframe.style.cssText = `width:${o.width}px;height:120px;border:0;display:block`;
  document.getElementById("slot")!.replaceChildren(iframe);

  const hostContext = o.tool ? { ...o.hostContext, toolInfo: { id: 1, tool: o.tool } } : o.hostContext;
  bridge = new AppBridge(
    null,
    { name: "cekura-test-host", version: "1.0.0" },
    { serverTools: {}, logging: {} },
    { hostContext: hostContext as McpUiHostContext },
  );
  const b = bridge;
  b.oncalltool = async (params) => {
    window.hostEvents.push(`tools/call ${JSON.stringify(params.arguments)}`);
    return (await window.cekuraCallTool(params)) as Awaited<ReturnType<NonNullable<AppBridge["oncalltool"]>>>;
  };
  b.onsizechange = ({ height }) => {
    if (height !== undefined) iframe.style.height = `${Math.ceil(height)}px`;
    window.hostEvents.push(`size ${height}`);
  };
  b.onloggingmessage = (p) => window.hostEvents.push(`log ${JSON.stringify(p.data)}`);
  const initialized = new Promise<void>((resolve) => {
    b.oninitialized = () => resolve();
  });
  iframe.src = o.viewUrl;
  await b.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  await initialized;
  window.hostEvents.push("initialized");
  await b.sendToolInput({ arguments: o.args });
  await b.sendToolResult(o.result as Parameters<AppBridge["sendToolResult"]>[0]);
};

window.setHostContext = async (ctx) => {
  bridge?.setHostContext(ctx);
};
