// prompts/*.md are bundled as text: esbuild's text loader in the build, a tiny plugin in vitest.
declare module "*.md" {
  const text: string;
  export default text;
}

// src/view/chart.html is the built view (scripts/build-view.mjs), in the bundle and in vitest.
declare module "*.html" {
  const html: string;
  export default html;
}
