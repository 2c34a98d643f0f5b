/**
 * The generated tests through the audience drivers no shipped service uses yet (ADR 0015, 0018): the
 * test-only definitions of test/fixtures/catalogue-audiences — a tip anyone may send (without sign-in,
 * with and without a verified address), a report only from a verified address, and a licence an
 * organisation applies for through a signatory — each submitted and walked by the same harness.
 */
import { after } from 'node:test';
import path from 'node:path';
import { createTestApp, repoRoot } from '../helpers/app.ts';
import { tenantsFileWithCatalogue } from '../helpers/test-catalogue.ts';
import { registerGeneratedTests } from './run.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z', env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(path.join(repoRoot, 'test/fixtures/catalogue-audiences')) } });
after(() => t.close());
registerGeneratedTests(t, { tenants: ['norrby'] });
