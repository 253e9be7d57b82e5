/**
 * Every text a model reads lives under prompts/ and is bundled into the build as a string, so
 * no runtime path (cwd, install layout, npx cache) can break it.
 */
import serverInstructions from "../../prompts/server-instructions.md";
import toolDescription from "../../prompts/tool-description.md";

export const TOOL_DESCRIPTION = toolDescription.trim();
export const SERVER_INSTRUCTIONS = serverInstructions.trim();
