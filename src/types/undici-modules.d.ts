// The undici module src/upstream/client.ts imports directly (CommonJS, untyped), typed with undici's
// own declarations: the Agent class (its dispatch() is what the client calls).
declare module "undici/lib/dispatcher/agent.js" {
  import { Agent } from "undici";
  export default Agent;
}
