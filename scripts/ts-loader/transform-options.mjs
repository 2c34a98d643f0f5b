// The one esbuild transform of the project's TypeScript for tests (ADR 0031): what scripts/test.mjs
// compiles once per run and what the hooks use for a file the run did not compile. tsconfig.json's
// JSX settings (react-jsx, preact) and Node 20 as the target.
export const TRANSFORM = { format: 'esm', target: 'node20', jsx: 'automatic', jsxImportSource: 'preact' };
