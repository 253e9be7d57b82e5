/**
 * The tiny template language of prompts/*.md that are filled at read time (the reference
 * resources and the MCP prompts):
 *
 * - `{name}`: replaced by the variable's text;
 * - `{#name}...{/name}`: kept when the variable is set (true or a non-empty string), else dropped;
 * - `{^name}...{/name}`: the opposite;
 * - a front matter block between `---` lines at the very top is returned apart, not rendered.
 *
 * JSON never collides with it: a JSON object opens with `{"` or `{}`, never `{letter`. A
 * placeholder without a variable is a bug in our texts, so it throws (tests render every text).
 */

export type TemplateVars = Readonly<Record<string, string | boolean | undefined>>;

const SECTION = /\{([#^])([a-z][a-z0-9_]*)\}([\s\S]*?)\{\/\2\}/g;
const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g;

const isSet = (v: string | boolean | undefined) => v === true || (typeof v === "string" && v !== "");

export function fillTemplate(text: string, vars: TemplateVars): string {
  let out = text;
  // Sections may hold sections of other names: resolve until nothing changes.
  for (let i = 0; i < 8; i++) {
    const next = out.replace(SECTION, (_all, kind: string, name: string, body: string) => {
      if (!Object.hasOwn(vars, name)) throw new Error(`Template section {${kind}${name}} has no variable.`);
      return isSet(vars[name]) === (kind === "#") ? body : "";
    });
    if (next === out) break;
    out = next;
  }
  return out.replace(PLACEHOLDER, (_all, name: string) => {
    const v = Object.hasOwn(vars, name) ? vars[name] : undefined;
    if (typeof v !== "string") throw new Error(`Template placeholder {${name}} has no text.`);
    return v;
  });
}

export interface FrontMatter {
  /** `key: value` lines. */
  fields: Record<string, string>;
  /** `- name: text` or `- name (required): text` lines under `arguments:`. */
  arguments: { name: string; required: boolean; description: string }[];
  body: string;
}

/** Splits a markdown text into its front matter (a deliberately small subset of YAML) and body. */
export function parseFrontMatter(text: string): FrontMatter {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!m) return { fields: {}, arguments: [], body: text };
  const fields: Record<string, string> = {};
  const args: FrontMatter["arguments"] = [];
  for (const line of m[1]!.split(/\r?\n/)) {
    if (line.trim() === "" || line.trim() === "arguments:") continue;
    const arg = /^\s*-\s+([a-z_]+)(\s+\(required\))?:\s*(.+)$/.exec(line);
    if (arg) {
      args.push({ name: arg[1]!, required: arg[2] !== undefined, description: arg[3]!.trim() });
      continue;
    }
    const kv = /^([a-z_]+):\s*(.+)$/.exec(line);
    if (!kv) throw new Error(`Front matter line not understood: ${JSON.stringify(line)}`);
    fields[kv[1]!] = kv[2]!.trim();
  }
  return { fields, arguments: args, body: text.slice(m[0].length) };
}
