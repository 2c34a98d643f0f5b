#!/usr/bin/env node
// The `medborg` command. Medborg ships its TypeScript sources and runs them through tsx,
// so `npx medborg` works straight after `npm ci` with no build step. Started by a test under the
// test runner (MEDBORG_TS_OUT set, ADR 0031), it loads the run's compiled TypeScript instead,
// which saves each command a CPU-second or two of transforming.
if (process.env.MEDBORG_TS_OUT) {
  await import('../scripts/ts-loader/register.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = await import('../src/main.ts');
await main(process.argv);
