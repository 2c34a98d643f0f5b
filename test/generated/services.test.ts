/**
 * Generated tests of every service of every demo tenant (the shared catalogue and each tenant's
 * services.yaml): a service is tested by being added. See test/generated/run.ts and ADR 0018.
 */
import { after } from 'node:test';
import { createTestApp } from '../helpers/app.ts';
import { registerGeneratedTests } from './run.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
registerGeneratedTests(t);
