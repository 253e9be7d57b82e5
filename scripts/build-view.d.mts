// Types of scripts/build-view.mjs for the TypeScript that imports it (the view's browser tests).
import type { BuildOptions } from "esbuild";

export const VIEW_TEMPLATE: string;
export const VIEW_MAX_BYTES: number;
export function bundleForBrowser(entry: string, options?: BuildOptions): Promise<string>;
export function buildViewHtml(): Promise<string>;
export const VIEW_FILE: string;
export function writeViewModule(outdir: string): Promise<void>;
