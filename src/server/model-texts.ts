/**
 * Every text a model reads lives under prompts/ and is bundled into the build as a string, so
 * no runtime path (cwd, install layout, npx cache) can break it.
 */
import olderThan30Days from "../../prompts/older-than-30-days.md";
import serverInstructions from "../../prompts/server-instructions.md";
import toolDescription from "../../prompts/tool-description.md";

export const TOOL_DESCRIPTION = toolDescription.trim();
export const SERVER_INSTRUCTIONS = serverInstructions.trim();
/** Appended to the 30-day refusal: what the person (not the model) can do about older calls. */
export const OLDER_THAN_30_DAYS = olderThan30Days.trim();
