/**
 * `npm run bench:compare-submit` — is taking applications "not slower with the general engine"?
 *
 * Runs `bench:submit` of the code before issue 7's engine work (the old commit) and of this
 * checkout, alternating old, new, old, new, ... (four runs of each by default), and prints each
 * run's JSON line and then one summary line. The criterion (issue 7): the new code's mean
 * `ratio_vs_bare` is within 10% of the old code's. Ratios, not rates: the rates move with the
 * host (other work on two shared cores); the ratio to a bare Fastify route measured in the same
 * run moves much less, and alternating spreads any drift over both.
 *
 * The old commit defaults to the first parent of the first "Merge eng-" commit on the first-parent
 * history (the last commit before the engine merges and migration 0008); --old <commit> overrides.
 * The new code is this checkout's HEAD (--new <commit> for another): committed code only, so the
 * runs measure one version while the working tree changes. Both trees are exported with
 * `git archive` under /tmp (no worktree registered in the repository) and use this checkout's
 * node_modules (each lockfile's packages must be this one's: checked below).
 *
 * Knobs: --runs N (4), --old <commit>, --new <commit>, --keep (keep the exports), --accept <package> (a
 * dependency whose version may differ from the old commit's; repeatable). The environment passes through
 * to both benchmarks (BENCH_EXISTING_CASES, BENCH_DRAFTS, ...); both use the database
 * BENCH_DATABASE (default medborg_bench_compare), recreated by each run.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { summarise, submitLine } from './lib/compare.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : args[i + 1];
};
const RUNS = Number(opt('runs', '4'));
// Packages whose version may differ from what the old commit asks for, because the difference is known not to
// matter to it: e.g. `--accept oidc-provider` (9.13.3 → 8.8.1 changed three lines of the test e-ID's cookie options,
// commit 8595139; bench:submit never signs in through it). Repeatable.
const ACCEPTED = new Set(args.flatMap((a, i) => (args[i - 1] === '--accept' ? [a] : [])));
const status = (line) => process.stderr.write(`${line}\n`);
const git = (...a) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();

function defaultOldCommit() {
  const lines = git('log', '--first-parent', '--reverse', '--format=%H %s').split('\n');
  const merge = lines.find((l) => / Merge eng-/.test(l));
  if (!merge) throw new Error('no "Merge eng-" commit in the first-parent history: give --old <commit>');
  return git('rev-parse', `${merge.split(' ')[0]}^1`);
}

const oldCommit = git('rev-parse', opt('old', '') || defaultOldCommit());
const newCommit = git('rev-parse', opt('new', '') || 'HEAD');

/** The commit's tree under /tmp, on this checkout's node_modules; returns its directory. */
function exportTree(commit) {
  const dir = `/tmp/medborg-bench-${commit.slice(0, 10)}`;
  if (!existsSync(path.join(dir, 'bench/submit.ts'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    status(`exporting ${commit.slice(0, 10)} to ${dir}`);
    execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C ${dir}`], { cwd: root });
  }
  const modules = path.join(dir, 'node_modules');
  if (!existsSync(modules)) symlinkSync(realpathSync(path.join(root, 'node_modules')), modules);
  // The code runs on this checkout's packages only if it asks for nothing this one lacks.
  const wants = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies;
  const has = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies;
  const differs = Object.entries(wants).filter(([name, v]) => has[name] !== v && !ACCEPTED.has(name));
  for (const [name, v] of Object.entries(wants)) if (has[name] !== v && ACCEPTED.has(name)) status(`${commit.slice(0, 10)} asks for ${name}@${v}; runs on ${has[name]} (--accept)`);
  if (differs.length) throw new Error(`${commit.slice(0, 10)} needs other packages (${differs.map(([n, v]) => `${n}@${v}`).join(', ')}): run npm ci in ${dir}`);
  return dir;
}

/** Runs one bench:submit in `dir`; resolves with its JSON line (progress goes to our stderr). */
function runSubmit(dir, label) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/submit.ts'], {
      cwd: dir,
      env: { ...process.env, BENCH_DATABASE: process.env.BENCH_DATABASE ?? 'medborg_bench_compare' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => process.stderr.write(String(d).replace(/^(?=.)/gm, `[${label}] `)));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = submitLine(out);
      if (!line) reject(new Error(`${label}: bench:submit exited ${code} without its JSON line`));
      else if (code !== 0) reject(new Error(`${label}: bench:submit exited ${code}: ${JSON.stringify(line)}`));
      else resolve(line);
    });
  });
}

const dirs = { old: exportTree(oldCommit), new: exportTree(newCommit) };
status(`bench:compare-submit — old ${oldCommit.slice(0, 10)}, new ${newCommit.slice(0, 10)}, ${RUNS} alternating runs of each`);
const runs = [];
for (let i = 1; i <= RUNS; i++) {
  for (const code of ['old', 'new']) {
    const result = await runSubmit(dirs[code], `${code} ${i}`);
    const run = { code, run: i, ...result };
    runs.push(run);
    console.log(JSON.stringify(run));
  }
}
console.log(JSON.stringify({ benchmark: 'compare-submit', old_commit: oldCommit, new_commit: newCommit, ...summarise(runs) }));
if (!args.includes('--keep')) for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
