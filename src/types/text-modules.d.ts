// prompts/*.md are bundled as text: esbuild's text loader in the build, a tiny plugin in vitest.
declare module "*.md" {
  const text: string;
  export default text;
}
