import { describe, expect, it } from "vitest";
import { createRedactor, REDACTED, redactDeep } from "../../src/redact.js";

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
