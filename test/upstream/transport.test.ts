import { describe, expect, it } from "vitest";
import { proxySettings } from "../../src/upstream/transport.js";

describe("proxySettings (the environment's proxies, for https origins only)", () => {
  it("takes HTTPS_PROXY, else HTTP_PROXY, lower-case names first, empty values unset", () => {
    expect(proxySettings({})).toEqual({ httpsProxy: "", noProxy: "" });
    expect(proxySettings({ HTTP_PROXY: "http://p:1" }).httpsProxy).toBe("http://p:1");
    expect(proxySettings({ HTTP_PROXY: "http://p:1", HTTPS_PROXY: "http://s:2" }).httpsProxy).toBe(
      "http://s:2",
    );
    expect(proxySettings({ https_proxy: "http://lower:3", HTTPS_PROXY: "http://s:2" }).httpsProxy).toBe(
      "http://lower:3",
    );
    expect(proxySettings({ https_proxy: "", HTTPS_PROXY: "http://s:2" }).httpsProxy).toBe("http://s:2");
    expect(proxySettings({ no_proxy: "a.example", NO_PROXY: "b.example" }).noProxy).toBe("a.example");
    expect(proxySettings({ NO_PROXY: "b.example" }).noProxy).toBe("b.example");
  });
});
