// The two undici modules src/cekura/client.ts imports directly (CommonJS, untyped), typed with
// undici's own declarations: the Agent class, and the `request` that undici's index binds to a
// dispatcher (here called with the Agent as `this`, with origin and path instead of a URL).
declare module "undici/lib/dispatcher/agent.js" {
  import { Agent } from "undici";
  export default Agent;
}

declare module "undici/lib/api/api-request.js" {
  import type { Dispatcher } from "undici";
  export default function request(
    this: Dispatcher,
    options: Dispatcher.RequestOptions,
  ): Promise<Dispatcher.ResponseData>;
}
