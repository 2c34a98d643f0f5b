// `node --import ./scripts/ts-loader/register.mjs`: runs the project's TypeScript from JavaScript that
// scripts/test.mjs compiled once for the whole run (see hooks.mjs for why).
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
