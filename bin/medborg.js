#!/usr/bin/env node
// The `medborg` command. Medborg ships its TypeScript sources and runs them through tsx,
// so `npx medborg` works straight after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
await main(process.argv);
