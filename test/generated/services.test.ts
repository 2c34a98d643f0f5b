/**
 * Generated tests of every service of every demo tenant (the shared catalogue and each tenant's
 * services.yaml): a service is tested by being added. See test/generated/run.ts and ADR 0018.
 *
 * GENERATED_ONLY=id,id limits the run to those services (while writing a definition); CI sets nothing.
 */
import { after } from 'node:test';
import { createTestApp } from '../helpers/app.ts';
import { registerGeneratedTests } from './run.ts';

const only = process.env.GENERATED_ONLY?.split(',').map((id) => id.trim()).filter(Boolean);
const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
registerGeneratedTests(t, only?.length ? { services: (_tenant, id) => only.includes(id) } : {});
