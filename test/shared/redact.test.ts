import { describe, expect, it } from "vitest";
import { createRedactor, holdsSecret, REDACTED, redactDeep, secretForms } from "../../src/shared/redact.js";

describe("createRedactor", () => {
  it("replaces every occurrence of each secret", () => {
    const redact = createRedactor(["sk-canary-XXXX", "other-secret"]);
    expect(redact("a sk-canary-XXXX b sk-canary-XXXXsk-canary-XXXX other-secret")).toBe(
      `a ${REDACTED} b ${REDACTED}${REDACTED} ${REDACTED}`,
    );
  });

  it("ignores empty, undefined and short secrets", () => {
    const redact = createRedactor([undefined, "", "abc"]);
    expect(redact("abc abc")).toBe("abc abc");
  });

  it("treats secrets literally, never as patterns", () => {
    const redact = createRedactor(["a.*b(", "$&$1x"]);
    expect(redact("xa.*b(y aZZb( $&$1x")).toBe(`x${REDACTED}y aZZb( ${REDACTED}`);
  });

  it("redacts a longer secret whole when it contains a shorter one", () => {
    const redact = createRedactor(["abcd", "xxabcdxx"]);
    expect(redact("xxabcdxx abcd")).toBe(`${REDACTED} ${REDACTED}`);
  });

  it("handles a 1 MB string with many occurrences", () => {
    const secret = "sk-canary-XXXX";
    const piece = `lorem ipsum ${secret} dolor `;
    const count = Math.ceil((1024 * 1024) / piece.length);
    const text = piece.repeat(count);
    expect(text.length).toBeGreaterThanOrEqual(1024 * 1024);
    const out = createRedactor([secret])(text);
    expect(out.includes(secret)).toBe(false);
    expect(out.split(REDACTED).length - 1).toBe(count);
    expect(out.length).toBe(text.length + count * (REDACTED.length - secret.length));
  });

  it("handles a 1 MB adversarial near-miss string", () => {
    const secret = "aaaaaaaaab";
    const text = "a".repeat(1024 * 1024);
    expect(createRedactor([secret])(`${text}b`)).toBe(`${"a".repeat(1024 * 1024 - 9)}${REDACTED}`);
  });
});

describe("redactDeep", () => {
  it("copies a JSON-like value with every string redacted", () => {
    const redact = createRedactor(["sk-canary-XXXX"]);
    const input = {
      a: "key sk-canary-XXXX",
      n: 1,
      b: [true, null, "sk-canary-XXXX", { "sk-canary-XXXX": "v" }],
    };
    const out = redactDeep(input, redact);
    expect(out).toEqual({ a: `key ${REDACTED}`, n: 1, b: [true, null, REDACTED, { [REDACTED]: "v" }] });
    expect(input.a).toBe("key sk-canary-XXXX");
  });

  it("keeps a __proto__ key as a plain key and survives cycles", () => {
    const parsed = JSON.parse('{"__proto__": {"x": "secret-1"}}') as Record<string, unknown>;
    const out = redactDeep(parsed, createRedactor(["secret-1"])) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    const cyclic: Record<string, unknown> = { s: "secret-1" };
    cyclic.self = cyclic;
    expect(redactDeep(cyclic, createRedactor(["secret-1"]))).toEqual({ s: REDACTED, self: "[Circular]" });
  });
});

describe("holdsSecret", () => {
  const secret = "sk-canary-Holds-7f3a9c";
  const redact = createRedactor(secretForms(secret));

  it("finds a secret in any string of a tree: values, keys, array items, any depth", () => {
    const clean = { a: "text", n: 1, b: [true, null, "x", { k: "v" }], c: { d: [[["deep"]]] } };
    expect(holdsSecret(clean, redact)).toBe(false);
    const places: unknown[] = [
      { a: `key ${secret} here` },
      { [secret]: 1 },
      { b: [1, 2, [`${secret}`]] },
      { c: { d: [[[{ e: secret.toLowerCase() }]]] } },
      { u: encodeURIComponent(`${secret}/`) },
      `${secret}`,
      [null, undefined, 3, { s: `..${secret}..` }],
    ];
    for (const p of places) expect(holdsSecret(p, redact), JSON.stringify(p)).toBe(true);
  });

  it("looks at no string shorter than the shortest secret, and walks 100,000 levels without recursion", () => {
    const calls: string[] = [];
    const counting = Object.assign(
      (t: string) => {
        calls.push(t);
        return redact(t);
      },
      { shortest: redact.shortest },
    );
    expect(holdsSecret({ ab: "cd", list: ["x", "yz"], long: "a".repeat(40) }, counting)).toBe(false);
    expect(calls).toEqual(["a".repeat(40)]);
    let deep: unknown = `${secret}`;
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { k: deep };
    expect(holdsSecret(deep, redact)).toBe(true);
  });

  it("a redactor without secrets finds nothing", () => {
    expect(holdsSecret({ a: secret }, createRedactor([]))).toBe(false);
  });
});
