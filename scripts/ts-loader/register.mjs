// `node --import ./scripts/ts-loader/register.mjs`: runs the project's TypeScript from JavaScript that
// scripts/test.mjs compiled once for the run (see hooks.mjs for why).
import { register } from 'node:module';
import { appendFileSync } from 'node:fs';

register('./hooks.mjs', import.meta.url);

// Each test process (not the runner that starts them) notes its file, wall time and own CPU time
// (not its children's: a server or browser it starts) for scripts/test.mjs's "slowest files" list.
const timings = process.env.MEDBORG_TEST_TIMINGS;
if (timings && !process.execArgv.includes('--test') && /\.test\.tsx?$/.test(process.argv[1] ?? '')) {
  const started = performance.now();
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    appendFileSync(timings, `${JSON.stringify({ file: process.argv[1], wallMs: Math.round(performance.now() - started), cpuMs: Math.round((user + system) / 1000) })}\n`);
  });
}
