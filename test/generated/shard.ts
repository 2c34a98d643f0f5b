/**
 * Generated tests of every service of every demo tenant (the shared catalogue and each tenant's
 * services.yaml): a service is tested by being added. See test/generated/run.ts and ADR 0018.
 * The services are split over SHARDS test files (services-<n>.test.ts), each its own process and
 * database, so the test runner runs them side by side.
 *
 * GENERATED_ONLY=id,id limits the run to those services (while writing a definition); CI sets nothing.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createTestApp } from '../helpers/app.ts';
import { registerGeneratedTests } from './run.ts';

export const SHARDS = 3;

export async function runShard(index: number): Promise<void> {
  test('one test file per shard, so no service goes untested', () => {
    const files = readdirSync(import.meta.dirname).filter((f) => /^services-\d+\.test\.ts$/.test(f));
    assert.deepEqual(files.sort(), Array.from({ length: SHARDS }, (_, i) => `services-${i + 1}.test.ts`).sort());
  });
  const only = process.env.GENERATED_ONLY?.split(',').map((id) => id.trim()).filter(Boolean);
  const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
  after(() => t.close());
  registerGeneratedTests(t, { shard: { index, of: SHARDS }, ...(only?.length ? { services: (_tenant: string, id: string) => only.includes(id) } : {}) });
}
