/**
 * The `--import` for a TypeScript child process a test starts (a server, a faulty node, a lock
 * holder): under the test runner the run's compiled output through scripts/ts-loader (ADR 0031),
 * which saves each child a CPU-second or two; run directly (`node --import tsx --test …`), tsx.
 * Standalone on purpose: importing it does not make a test file one that opens a database.
 */
import { fileURLToPath } from 'node:url';

export const TS_IMPORT = process.env.MEDBORG_TS_OUT ? fileURLToPath(new URL('../../scripts/ts-loader/register.mjs', import.meta.url)) : 'tsx';
