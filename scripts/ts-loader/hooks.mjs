/**
 * Module hooks for the test runner (ADR 0031). tsx transforms and resolves every module through its
 * own hooks, which costs each test process about a CPU-second more before its first test; the
 * suite starts a few hundred such processes. scripts/test.mjs compiles every .ts/.tsx file of the
 * repository once per run with esbuild (into MEDBORG_TS_OUT, mirroring the repository's folders),
 * and these hooks serve a module's compiled code under its own .ts URL, so import.meta.url, paths
 * and stack traces (through the source map) stay those of the source. A file the run did not
 * compile, or one changed since, is transformed on the spot.
 */
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { TRANSFORM } from './transform-options.mjs';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const out = process.env.MEDBORG_TS_OUT;
let esbuild;

async function compiled(file) {
  if (!out || !file.startsWith(root + path.sep)) return undefined;
  const js = path.join(out, path.relative(root, file)).replace(/\.tsx?$/, '.js');
  try {
    const [src, dst] = await Promise.all([stat(file), stat(js)]);
    if (dst.mtimeMs < src.mtimeMs) return undefined;
    return await readFile(js, 'utf8');
  } catch {
    return undefined;
  }
}

async function transformed(file) {
  esbuild ??= await import('esbuild');
  const source = await readFile(file, 'utf8');
  const result = await esbuild.transform(source, {
    ...TRANSFORM,
    loader: file.endsWith('x') ? 'tsx' : 'ts',
    sourcemap: 'inline',
    sourcefile: path.basename(file),
  });
  return result.code;
}

export async function load(url, context, nextLoad) {
  // esbuild drops `with { type: 'json' }` for a Node 20 target; load such a JSON import as tsx did.
  if (url.startsWith('file:') && url.endsWith('.json') && !context.importAttributes?.type) {
    const json = await readFile(fileURLToPath(url), 'utf8');
    return { format: 'module', source: `export default ${JSON.stringify(JSON.parse(json))};`, shortCircuit: true };
  }
  if (url.startsWith('file:') && /\.tsx?$/.test(url)) {
    const file = fileURLToPath(url);
    const source = (await compiled(file)) ?? (await transformed(file));
    return { format: 'module', source, shortCircuit: true };
  }
  return nextLoad(url, context);
}

