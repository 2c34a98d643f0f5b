#!/usr/bin/env node
// The whole test suite: unit, HTTP and database tests on PGlite, the ones that open a database
// again on PostgreSQL when TEST_DATABASE_URL is set, then the browser journeys. Prints node's test-runner output for
// each pass and ends with one line "N passed, N failed".
//   --no-e2e     skip the browser journeys      --only-e2e   run only the browser journeys
//   --only-db=pglite|postgres                   any other argument filters test files by substring
// TEST_SLOWEST=N lists a pass's N slowest test files (8 by default); TEST_CONCURRENCY=N runs N test files at once;
// TEST_FILE_TIMEOUT_MS cancels a file that runs longer (10 minutes by default, 30 for a browser journey).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRANSFORM } from './ts-loader/transform-options.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const filters = args.filter((a) => !a.startsWith('--'));
const onlyDb = args.find((a) => a.startsWith('--only-db='))?.slice(10);
// Per-run scratch folder: several runs (CI, a developer, an editor) may share a checkout.
const tmp = path.join(root, 'tmp', `test-run-${process.pid}`);
mkdirSync(tmp, { recursive: true });
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

/** The files under `dir` whose name matches `pattern` (no node_modules, no dot folders), full paths, sorted. */
function filesUnder(dir, pattern) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, pattern));
    else if (pattern.test(name)) out.push(full);
  }
  return out.sort();
}
const walk = (dir) => filesUnder(dir, /\.test\.tsx?$/).map((f) => path.relative(root, f));

const all = [...walk(path.join(root, 'src')), ...walk(path.join(root, 'test'))].filter(
  (f) => filters.length === 0 || filters.some((x) => f.includes(x)),
);
const e2e = all.filter((f) => f.startsWith(`test${path.sep}e2e${path.sep}`));
const unit = all.filter((f) => !e2e.includes(f));

/**
 * Every .ts/.tsx file of the repository compiled once for the run (scripts/ts-loader, ADR 0031): each
 * test process then loads JavaScript instead of transforming its few hundred modules through tsx.
 */
let compiledOut;
async function compileTypeScript() {
  if (compiledOut) return compiledOut;
  const { build } = await import('esbuild');
  const entryPoints = ['src', 'test', 'bench', 'scripts'].flatMap((dir) => filesUnder(path.join(root, dir), /(?<!\.d)\.tsx?$/));
  const outdir = path.join(tmp, 'js');
  const started = performance.now();
  const { outputFiles } = await build({
    ...TRANSFORM, entryPoints, outdir, outbase: root, platform: 'node',
    sourcemap: 'external', sourcesContent: false, write: false, logLevel: 'warning',
  });
  // Each module is served under its source's URL, so its map names the source relative to that.
  const maps = new Map(outputFiles.filter((f) => f.path.endsWith('.map')).map((f) => [f.path, f.text]));
  for (const f of outputFiles) {
    if (!f.path.endsWith('.js')) continue;
    const map = JSON.parse(maps.get(`${f.path}.map`));
    map.sources = map.sources.map((s) => path.basename(s));
    mkdirSync(path.dirname(f.path), { recursive: true });
    writeFileSync(f.path, `${f.text}//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`);
  }
  console.log(`compiled ${entryPoints.length} TypeScript files in ${Math.round(performance.now() - started)} ms`);
  return (compiledOut = outdir);
}

/** The pass running now: a signal that stops this runner stops its whole process group too. */
let running;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (running?.pid) {
      try { process.kill(-running.pid, 'SIGTERM'); } catch { /* already gone */ }
    }
    process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[signal]);
  });
}

/**
 * A test file still running after this long is cancelled and counted as failed, so that one that hangs
 * fails the run with its name instead of holding it until CI's own limit: four times the slowest file
 * of a loaded machine (a unit file's 2.5 minutes, a browser journey's 7.5). Halfway there, and every
 * minute after, the file's watchdog says on its stderr what it is waiting for (scripts/ts-loader/register.mjs).
 */
const FILE_TIMEOUT_MS = Number(process.env.TEST_FILE_TIMEOUT_MS) || 10 * 60_000;
const E2E_FILE_TIMEOUT_MS = Number(process.env.TEST_FILE_TIMEOUT_MS) || 30 * 60_000;

async function runTests(label, files, env, { concurrency = 2, timeoutMs = FILE_TIMEOUT_MS } = {}) {
  const compiled = await compileTypeScript();
  return new Promise((resolve) => {
    const timings = path.join(tmp, `timings-${label}.jsonl`);
    rmSync(timings, { force: true });
    console.log(`\n=== ${label}: ${files.length} test files ===`);
    const child = spawn(
      process.execPath,
      [
        '--import', path.join(root, 'scripts/ts-loader/register.mjs'), '--enable-source-maps', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY || concurrency}`,
        // A file still running after timeoutMs is cancelled. (Not --test-force-exit: it ends a file's
        // process as soon as the tests it knows of are done, so a file that declares a test before a
        // top-level await loses the tests after it — the generated tests' shards did, silently.)
        `--test-timeout=${timeoutMs}`,
        '--test-reporter=spec', '--test-reporter-destination=stdout',
        ...files,
      ],
      // MEDBORG_RENDER_CROSSCHECK: every page rendered in a test is compared with preact-render-to-string's (kernel/html/render.ts).
      // Its own process group, so that stopping this runner stops the pass's test processes, servers
      // and browsers with it (below) instead of leaving them running.
      { cwd: root, stdio: ['inherit', 'pipe', 'inherit'], detached: true, env: { ...process.env, MEDBORG_ENV: 'test', MEDBORG_RENDER_CROSSCHECK: '1', MEDBORG_TS_OUT: compiled, MEDBORG_TEST_TIMINGS: timings, MEDBORG_TEST_WATCHDOG_MS: String(timeoutMs / 2), ...env } },
    );
    running = child;
    // The report is passed on as it comes (to stdout, a pipe, so nothing of it is lost however the runner
    // ends); its summary lines give the pass's counts ("ℹ pass 1625").
    const counts = {};
    let partial = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ℹ (tests|pass|fail|cancelled) (\d+)$/.exec(line);
        if (m) counts[m[1]] = Number(m[2]);
      }
    });
    child.on('close', (code) => {
      running = undefined;
      // Whatever a file's process left behind when it was ended (a server, a browser) goes with the pass.
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* nothing left */ }
      printSlowest(label, timings);
      const count = (k) => counts[k] ?? 0;
      resolve({ label, code: code ?? 1, pass: count('pass'), fail: count('fail') + count('cancelled'), tests: count('tests') });
    });
  });
}

/**
 * The test files whose outcome can depend on the database: those that import, directly or through
 * other modules, test/helpers/db.ts, the one place that picks PGlite or PostgreSQL for a pass. The
 * others (pure functions, rendering, parsing) would repeat in the PostgreSQL pass exactly what the
 * PGlite pass ran, so they run once. The import graph comes from esbuild, in about half a second.
 */
async function filesUsingTheDatabase(files) {
  const { build } = await import('esbuild');
  const chooser = path.join('test', 'helpers', 'db.ts');
  const { metafile } = await build({
    ...TRANSFORM, entryPoints: files, bundle: true, packages: 'external', platform: 'node', format: 'esm',
    outdir: path.join(tmp, 'graph'), outbase: root, metafile: true, write: false, logLevel: 'error',
  });
  const users = new Set();
  for (const out of Object.values(metafile.outputs)) {
    if (out.entryPoint && Object.keys(out.inputs).some((input) => path.normalize(input) === chooser)) users.add(path.normalize(out.entryPoint));
  }
  return files.filter((f) => users.has(path.normalize(f)));
}

/** The pass's slowest test files by wall time, with their own CPU time: where to look when CI grows slow. */
function printSlowest(label, timingsFile, count = Number(process.env.TEST_SLOWEST) || 8) {
  let rows = [];
  try {
    rows = readFileSync(timingsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  } catch { return; }
  rows.sort((a, b) => b.wallMs - a.wallMs);
  const cpu = rows.reduce((s, r) => s + r.cpuMs, 0);
  console.log(`\n${label}: the ${Math.min(count, rows.length)} slowest of ${rows.length} test files (wall s / own CPU s; all files' own CPU: ${Math.round(cpu / 1000)} s)`);
  for (const r of rows.slice(0, count)) console.log(`  ${(r.wallMs / 1000).toFixed(1).padStart(6)} ${(r.cpuMs / 1000).toFixed(1).padStart(6)}  ${path.relative(root, r.file)}`);
}

let pgliteTemplate;
function pgliteTemplateFile() {
  pgliteTemplate ??= (buildTemplate('pglite', path.join(tmp, 'pglite-template.tar')), path.join(tmp, 'pglite-template.tar'));
  return pgliteTemplate;
}

function buildTemplate(...a) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/test-template.ts', ...a], { cwd: root, stdio: 'inherit', env: process.env });
  if (r.status !== 0) {
    console.error(`Could not build the ${a[0]} test template`);
    process.exit(1);
  }
}

const results = [];
if (!flags.has('--only-e2e') && unit.length) {
  if (onlyDb !== 'postgres') {
    results.push(await runTests('pglite', unit, { TEST_DB: 'pglite', MEDBORG_TEST_TEMPLATE: pgliteTemplateFile() }));
  }
  if (process.env.TEST_DATABASE_URL && onlyDb !== 'pglite') {
    // When the PGlite pass ran in this run, the files that never open a database are not run again.
    const files = onlyDb === 'postgres' ? unit : await filesUsingTheDatabase(unit);
    if (files.length < unit.length) {
      console.log(`\n${unit.length - files.length} of the ${unit.length} test files never open a database: they ran in the PGlite pass only.`);
    }
    if (files.length > 0) {
      const template = `medborg_template_${process.pid}`;
      buildTemplate('postgres', template);
      const r = await runTests('postgres', files, { TEST_DB: 'postgres', MEDBORG_TEST_PG_TEMPLATE: template });
      if (r.tests === 0) {
        console.error('The PostgreSQL pass ran no test.');
        r.code = 1;
      }
      results.push(r);
      spawnSync('psql', [process.env.TEST_DATABASE_URL, '-qc', `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`], { stdio: 'ignore' });
    }
  } else if (onlyDb === 'postgres') {
    console.error('--only-db=postgres needs TEST_DATABASE_URL');
    process.exit(1);
  }
}
if (!flags.has('--no-e2e') && e2e.length) {
  results.push(await runTests('e2e', e2e, { TEST_DB: 'pglite', MEDBORG_TEST_TEMPLATE: pgliteTemplateFile() }, { timeoutMs: E2E_FILE_TIMEOUT_MS }));
}

console.log('\n=== summary ===');
for (const r of results) console.log(`${r.label}: ${r.pass} passed, ${r.fail} failed (exit ${r.code})`);
const passed = results.reduce((s, r) => s + r.pass, 0);
const failed = results.reduce((s, r) => s + r.fail, 0);
const bad = results.some((r) => r.code !== 0) || results.length === 0;
// A pass that crashed or ran nothing counts as a failure even when no single test failed.
console.log(`${passed} passed, ${bad && failed === 0 ? 1 : failed} failed`);
process.exit(bad ? 1 : 0);
