import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { repoRoot } from '../../test/helpers/app.ts';
import { loadConfig } from '../kernel/config.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { loadCatalogue } from '../catalogue/index.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { verifyArchive } from '../archive/index.ts';
import { seedDemo } from './seed.ts';

const t = await createTestDatabase();
const blobDir = mkdtempSync(path.join(tmpdir(), 'medborg-seed-'));
after(async () => {
  await t.drop();
  rmSync(blobDir, { recursive: true, force: true });
});

test(`seed demo: staff, residents and cases in every workflow state, once (${t.dialect})`, async () => {
  const config = loadConfig({ MEDBORG_ENV: 'test', MEDBORG_BLOB_DIR: blobDir }, repoRoot);
  const tenants = loadTenants(config.tenantsFile);
  const rt = { config, tenants, db: t.db, catalogue: loadCatalogue(tenants) };
  const lines: string[] = [];
  const first = await seedDemo(rt, (l) => lines.push(l), new Date('2026-11-23T10:00:00Z'));
  assert.deepEqual(first.tenantsSeeded, ['norrby', 'sodera']);
  assert.ok(lines.some((l) => l.includes('case 1/')), 'progress is shown');
  const { rows } = await tenantScope(t.db, 'norrby').query<{ status: string }>('SELECT DISTINCT status FROM cases WHERE tenant_id = $1');
  assert.deepEqual(rows.map((r) => r.status).sort(), ['awaiting_supplement', 'decided', 'in_progress', 'submitted', 'withdrawn']);
  const { rows: letters } = await tenantScope(t.db, 'sodera').query<{ locale: string }>("SELECT locale FROM documents WHERE tenant_id = $1 AND kind = 'decision_letter' ORDER BY locale");
  assert.deepEqual(letters.map((l) => l.locale), ['en', 'sv']);
  assert.deepEqual((await verifyArchive(t.db, ['norrby', 'sodera'])).problems, []);
  const again = await seedDemo(rt, () => undefined);
  assert.deepEqual(again.tenantsSkipped, ['norrby', 'sodera']);
  assert.equal(again.cases, 0);
});

test('seed demo is refused in production', async () => {
  const config = loadConfig({ MEDBORG_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), BASE_URL: 'https://e.norrby.example' }, repoRoot);
  const tenants = loadTenants(config.tenantsFile);
  await assert.rejects(seedDemo({ config, tenants, db: t.db, catalogue: loadCatalogue(tenants) }, () => undefined), /refused/);
});
