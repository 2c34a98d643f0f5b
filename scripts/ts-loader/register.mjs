// `node --import ./scripts/ts-loader/register.mjs`: runs the project's TypeScript from JavaScript that
// scripts/test.mjs compiled once for the run (see hooks.mjs for why).
import { register } from 'node:module';
import { appendFileSync, writeSync } from 'node:fs';

register('./hooks.mjs', import.meta.url);

// A test file's own process, not the runner that starts them.
const isTestFile = !process.execArgv.includes('--test') && /\.test\.tsx?$/.test(process.argv[1] ?? '');

// Each test process notes its file, wall time and own CPU time (not its children's: a server or
// browser it starts) for scripts/test.mjs's "slowest files" list.
const timings = process.env.MEDBORG_TEST_TIMINGS;
if (timings && isTestFile) {
  const started = performance.now();
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    appendFileSync(timings, `${JSON.stringify({ file: process.argv[1], wallMs: Math.round(performance.now() - started), cpuMs: Math.round((user + system) / 1000) })}\n`);
  });
}

// A test process still running after MEDBORG_TEST_WATCHDOG_MS (scripts/test.mjs sets it to half the
// pass's per-file timeout) says on stderr what it is waiting for, every minute, so that a file that
// hangs in CI names its cause before the runner cancels it: what keeps the event loop alive (a timer,
// a socket, a child process — also after its tests are done, when only that keeps it running), and the
// requests a test app (test/helpers/app.ts) has in flight with how long each has waited. When the loop
// itself is blocked (a busy loop) nothing is printed, which says that too.
const watchdogMs = Number(process.env.MEDBORG_TEST_WATCHDOG_MS);
if (watchdogMs > 0 && isTestFile) {
  const started = Date.now();
  const report = () => {
    const inFlight = [...(globalThis.medborgTestRequestsInFlight ?? new Map()).values()]
      .map((r) => `${r.method} ${r.url} for ${Math.round((Date.now() - r.started) / 1000)} s`);
    writeSync(2, `\n[watchdog] ${process.argv[1]} has run ${Math.round((Date.now() - started) / 1000)} s. `
      + `Active: ${process.getActiveResourcesInfo().join(', ') || 'nothing'}. `
      + `Requests in flight: ${inFlight.join('; ') || 'none'}.\n`);
  };
  setTimeout(function tick() {
    report();
    setTimeout(tick, 60_000).unref();
  }, watchdogMs).unref();
}
