/**
 * `node bench/profile-summary.mjs <file.cpuprofile> [top] [from_us-to_us]` — where a V8 CPU profile's time went:
 * the functions with the most self time, and the share of the time spent under (inclusive) our
 * code's modules, node_modules packages and the runtime. For BENCH_CPU_PROF's profiles. The
 * window (monotonic microseconds, as bench:forms prints for each measurement) keeps only the
 * samples taken in it; idle time is left out of the shares.
 */
import { readFileSync } from 'node:fs';

const [file, topArg, windowArg] = process.argv.slice(2);
const [from, to] = windowArg ? windowArg.split('-').map(Number) : [0, Infinity];
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg ?? 25);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// Self time per node from the samples and their time deltas.
const self = new Map();
let at = profile.startTime;
profile.samples.forEach((id, i) => {
  at += profile.timeDeltas[i] ?? 0;
  if (at < from || at > to || byId.get(id).callFrame.functionName === '(idle)') return;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (cf) => {
  const url = cf.url ?? '';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1];
  const src = /\/(src|bench)\/(.*)$/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  return url.startsWith('node:') ? url : url ? url.replace(/^file:\/\//, '') : `(${cf.functionName || 'native'})`;
};
const name = (cf) => `${cf.functionName || '(anonymous)'} ${where(cf)}:${cf.lineNumber + 1}`;

// Parts of the stack, the first that any frame of a sample's stack matches (ADR 0019's breakdown).
const PARTS = [
  ['GC', /garbage collector/],
  ['render (preact)', /renderDocument|preact/],
  ['pino log', /pino|sonic-boom|redact|kernel\/log/],
  ['helmet', /helmet/],
  ['pg driver', /\/pg\/|pg-protocol|pg-pool|postgres-date|pg-types/],
  ['session/tenant', /session\.ts|tenant-scope/],
  ['forms engine', /src\/forms|src\/expressions|src\/catalogue/],
  ['i18n', /i18n/],
  ['body/cookie parse', /formbody|querystring|cookie|clean-input/],
  ['http write', /writev|_http_outgoing|stream_base|writeString|writable/],
  ['http parse/server', /_http_server|_http_common|HTTPParser|parserOnHeaders/],
  ['fastify', /fastify|find-my-way|avvio/],
];
const byPart = new Map();
const selfByFn = new Map();
const inclusiveByFn = new Map();
const selfByPlace = new Map();
const inclusiveByModule = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  selfByFn.set(name(cf), (selfByFn.get(name(cf)) ?? 0) + us);
  selfByPlace.set(where(cf), (selfByPlace.get(where(cf)) ?? 0) + us);
  // Inclusive per module: each module on the sample's stack counted once.
  const frames = [];
  for (let n = id; n !== undefined; n = parent.get(n)) frames.push(`${byId.get(n).callFrame.functionName} ${byId.get(n).callFrame.url}`);
  const part = PARTS.find(([, re]) => frames.some((f) => re.test(f)))?.[0] ?? 'other';
  byPart.set(part, (byPart.get(part) ?? 0) + us);
  const seenFn = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const k = name(byId.get(n).callFrame);
    if (seenFn.has(k) || !/\b(src|bench)\//.test(k)) continue;
    seenFn.add(k);
    inclusiveByFn.set(k, (inclusiveByFn.get(k) ?? 0) + us);
  }
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const w = where(byId.get(n).callFrame);
    if (!w.startsWith('src/')) continue;
    const module = w.split('/').slice(0, 3).join('/');
    if (seen.has(module)) continue;
    seen.add(module);
    inclusiveByModule.set(module, (inclusiveByModule.get(module) ?? 0) + us);
  }
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const show = (title, map, n) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(us)}  ${k}`);
};
console.log(`${file}: ${(total / 1000).toFixed(0)} ms busy sampled${windowArg ? ` in ${windowArg}` : ''}`);
show('by part of the stack', byPart, PARTS.length + 1);
show('self time by function', selfByFn, top);
show('self time by module or package', selfByPlace, top);
show('inclusive time under our modules (src/<dir>/<file>)', inclusiveByModule, top);
show('inclusive time by function of ours', inclusiveByFn, top);
