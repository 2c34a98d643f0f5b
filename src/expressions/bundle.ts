/**
 * Builds the browser copy of the evaluator: browser.ts and json-logic-js bundled by esbuild into
 * one script, once, at start-up (a few tens of milliseconds). The result is served as a
 * content-hashed asset like the CSS, so the CSP's script-src 'self' allows it; json-logic-js uses
 * neither eval nor new Function, so no 'unsafe-eval' is needed (expressions.test.ts checks the
 * bundle for both).
 */
import { buildSync } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

let built: string | undefined;

/** The bundled evaluator (an IIFE for browsers of the last few years), built on first use. */
export function browserBundle(): string {
  if (built !== undefined) return built;
  const result = buildSync({
    entryPoints: [path.join(here, 'browser.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2019'],
    minify: true,
    write: false,
    legalComments: 'inline',
    logLevel: 'silent',
  });
  built = result.outputFiles[0]!.text;
  return built;
}
