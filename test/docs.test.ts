/** The embedded backend's rules page says what the code does: every rule the code lists is on it. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DASHBOARD_ASSUMPTIONS } from "../src/embedded/dashboards.js";
import { ENGINE_ASSUMPTIONS } from "../src/embedded/engine.js";
import { LISTENER_ASSUMPTIONS } from "../src/embedded/listener.js";

const page = readFileSync(new URL("../docs/embedded-backend.md", import.meta.url), "utf8");

describe("docs/embedded-backend.md", () => {
  it.each([...ENGINE_ASSUMPTIONS, ...LISTENER_ASSUMPTIONS, ...DASHBOARD_ASSUMPTIONS])(
    "states: %s",
    (rule) => {
      expect(page).toContain(`- ${rule}\n`);
    },
  );
});
