/**
 * Secret redaction, used as defence in depth on every text that may leave the process (error
 * messages, logs). Linear time: each secret is removed with split/join, which uses a plain
 * substring search; no regular expression is ever built from a secret.
 */

export const REDACTED = "[REDACTED]";

/** Secrets shorter than this are ignored: redacting "a" or "ab" would shred every text. */
export const MIN_SECRET_LENGTH = 4;

export type Redactor = (text: string) => string;

/**
 * Returns a function that replaces every occurrence of each secret by `[REDACTED]`.
 * Empty, undefined and too short (< 4 characters) secrets are skipped. Longer secrets are
 * replaced first, so a secret that contains another one is removed whole.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const list = [
    ...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH)),
  ].sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text: string): string => {
    let out = text;
    for (const secret of list) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  };
}

/**
 * The forms a secret may take when something echoes it back: as is, URL-encoded, JSON-escaped,
 * lower-cased (host names). Feed them all to createRedactor.
 */
export function secretForms(secret: string | undefined): string[] {
  if (secret === undefined || secret === "") return [];
  return [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), secret.toLowerCase()];
}

/**
 * A copy of a JSON-like value with every string (object keys included) passed through `redact`.
 * Numbers, booleans, null and undefined are returned as they are; a cycle becomes "[Circular]".
 */
export function redactDeep(value: unknown, redact: Redactor): unknown {
  const active = new WeakSet<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v);
    if (v === null || typeof v !== "object") return v;
    if (active.has(v)) return "[Circular]";
    active.add(v);
    try {
      if (Array.isArray(v)) return v.map(walk);
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) {
        // defineProperty, not assignment: a "__proto__" key must stay a plain key.
        Object.defineProperty(out, redact(k), {
          value: walk(inner),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    } finally {
      active.delete(v);
    }
  };
  return walk(value);
}
