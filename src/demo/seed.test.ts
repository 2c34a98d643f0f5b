import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { repoRoot } from '../../test/helpers/app.ts';
import { loadConfig } from '../kernel/config.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { handlingOf } from '../policy/index.ts';
import { loadCatalogue } from '../catalogue/index.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { verifyArchive } from '../archive/index.ts';
import { registerBlobStore, type BlobStore } from '../integrations/blob-store/index.ts';
import { readPdf } from '../../test/helpers/pdf.ts';
import { seedDemo, siteUrlOf } from './seed.ts';

/** A blob store kept in memory, selectable as BLOB_STORE=seed-test-memory: the seed must use the configured store. */
const memory = new Map<string, Buffer>();
const memoryStore: BlobStore = {
  name: 'seed-test-memory',
  put: async (key, data) => void memory.set(key, data),
  get: async (key) => memory.get(key),
  delete: async (key) => void memory.delete(key),
};
registerBlobStore('seed-test-memory', () => memoryStore);

const t = await createTestDatabase();
const blobDir = mkdtempSync(path.join(tmpdir(), 'medborg-seed-'));
after(async () => {
  await t.drop();
  rmSync(blobDir, { recursive: true, force: true });
});

test(`seed demo: staff, residents and cases in every workflow state, once (${t.dialect})`, async () => {
  const config = loadConfig({ MEDBORG_ENV: 'test', MEDBORG_BLOB_DIR: blobDir, BLOB_STORE: 'seed-test-memory', BASE_URL: 'http://localhost:4100' }, repoRoot);
  const tenants = loadTenants(config.tenantsFile);
  const rt = { config, tenants, db: t.db, catalogue: loadCatalogue(tenants) };
  const lines: string[] = [];
  const first = await seedDemo(rt, (l) => lines.push(l), new Date('2026-11-23T10:00:00Z'));
  assert.deepEqual(first.tenantsSeeded, ['norrby', 'sodera']);
  assert.ok(lines.some((l) => l.includes('case 1/')), 'progress is shown');
  const { rows } = await tenantScope(t.db, 'norrby').query<{ status: string }>('SELECT DISTINCT status FROM cases WHERE tenant_id = $1');
  assert.deepEqual(rows.map((r) => r.status).sort(), ['applied', 'awaiting_supplement', 'decided', 'in_progress', 'submitted', 'withdrawn']);
  // A decided or withdrawn application stands in no queue (on a fresh database too, where the seed runs before the app starts).
  const { rows: queued } = await tenantScope(t.db, 'norrby').query<{ status: string }>(
    "SELECT DISTINCT c.status FROM cases c JOIN queue_entries q ON q.tenant_id = c.tenant_id AND q.case_id = c.id WHERE c.tenant_id = $1 AND c.service_id = 'forskola' ORDER BY 1",
  );
  assert.deepEqual(queued.map((r) => r.status), ['awaiting_supplement', 'in_progress', 'submitted']);
  // Three associations' seasonal times for the season whose applications have just closed (spring 2027), to allocate.
  const { rows: seasonal } = await tenantScope(t.db, 'norrby').query<{ season_id: string; n: number }>(
    'SELECT season_id, count(*)::int AS n, count(DISTINCT case_id)::int AS cases FROM season_requests WHERE tenant_id = $1 AND case_id IS NOT NULL GROUP BY season_id',
  );
  assert.deepEqual(seasonal, [{ season_id: 'spring-2027', n: 6, cases: 3 }]);
  // A school-choice round ready to freeze, with three dozen choices received (ADR 0044).
  const { rows: rounds } = await tenantScope(t.db, 'norrby').query<{ status: string; n: number }>(
    `SELECT r.status, (SELECT count(*)::int FROM cases c WHERE c.tenant_id = r.tenant_id AND c.service_id = r.service_id AND c.status = 'submitted') AS n FROM allocation_rounds r WHERE r.tenant_id = $1`,
  );
  assert.deepEqual(rounds, [{ status: 'open', n: 36 }]);
  const { rows: letters } = await tenantScope(t.db, 'sodera').query<{ locale: string }>("SELECT locale FROM documents WHERE tenant_id = $1 AND kind = 'decision_letter' ORDER BY locale");
  assert.deepEqual(letters.map((l) => l.locale), ['en', 'sv']);

  // The letters are in the configured blob store (not the filesystem one), addressed from the
  // population register as letters decided on the web are.
  assert.deepEqual(readdirSync(blobDir), [], 'nothing written past the configured store');
  const addresses: Record<string, string[]> = { norrby: ['Karin Holm', 'Skolgränd 8', '123 52 Norrby'], sodera: ['Fatima Said', 'Ängsvägen 14', '987 70 Söderå'] };
  for (const [tenant, lines] of Object.entries(addresses)) {
    const { rows: docs } = await tenantScope(t.db, tenant).query<{ blob_key: string; locale: string }>("SELECT blob_key, locale FROM documents WHERE tenant_id = $1 AND kind = 'decision_letter'");
    assert.ok(docs.length > 0, tenant);
    for (const d of docs) {
      const pdf = memory.get(d.blob_key);
      assert.ok(pdf, `${tenant} ${d.locale} letter is in the configured store`);
      const { text } = await readPdf(pdf!);
      for (const line of lines) assert.ok(text.includes(line), `${tenant} ${d.locale} letter lacks "${line}"`);
    }
  }

  // E-mail links lead to the configured site, on each municipality's own host.
  for (const [tenant, site] of [
    ['norrby', 'http://localhost:4100/my/cases/'],
    ['sodera', 'http://sodera.localhost:4100/my/cases/'],
  ] as const) {
    const { rows: mail } = await tenantScope(t.db, tenant).query<{ payload: { text: string } }>("SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'email'");
    assert.ok(mail.length > 0, tenant);
    for (const m of mail) {
      const links = m.payload.text.match(/https?:\/\/\S+/g) ?? [];
      assert.ok(links.length > 0 && links.every((l) => l.startsWith(site)), `${tenant}: ${links.join(' ')}`);
    }
  }
  assert.deepEqual((await verifyArchive(t.db, ['norrby', 'sodera'])).problems, []);

  // Separation of duties: in each municipality an administrator and a security officer, never the same person.
  for (const tenant of ['norrby', 'sodera']) {
    const { rows: staff } = await tenantScope(t.db, tenant).query<{ username: string; roles: string[] }>('SELECT username, roles FROM staff_accounts WHERE tenant_id = $1');
    const admins = staff.filter((s) => s.roles.includes('admin')).map((s) => s.username);
    const officers = staff.filter((s) => s.roles.includes('security_officer')).map((s) => s.username);
    assert.ok(admins.length > 0 && officers.length > 0, `${tenant}: admins ${admins.join()}, officers ${officers.join()}`);
    assert.deepEqual(admins.filter((a) => officers.includes(a)), [], `${tenant}: nobody is both administrator and security officer`);
  }
  // Every service, wherever its routing sends it, has two demo case workers there who may handle and
  // decide it: one proposes, the other approves (ADR 0014), so the demo can take any case to a decision.
  for (const tenant of ['norrby', 'sodera']) {
    const { rows: staff } = await tenantScope(t.db, tenant).query<{ username: string; roles: string[]; departments: string[] }>(
      'SELECT username, roles, departments FROM staff_accounts WHERE tenant_id = $1',
    );
    for (const def of rt.catalogue.services(tenant)) {
      const { handle, decide } = handlingOf(def);
      for (const department of new Set([def.department, ...(def.routing ?? []).flatMap((r) => (r.department ? [r.department] : []))])) {
        const able = staff.filter((s) => s.departments.includes(department) && s.roles.some((r) => handle.includes(r)) && s.roles.some((r) => decide.includes(r)));
        assert.ok(able.length >= 2, `${tenant}/${def.id} in ${department}: demo case workers ${able.map((s) => s.username).join(', ') || 'none'}`);
      }
    }
  }
  const again = await seedDemo(rt, () => undefined);
  assert.deepEqual(again.tenantsSkipped, ['norrby', 'sodera']);
  assert.equal(again.cases, 0);
});

test('e-mail links start where the web would build them: BASE_URL, on the municipality’s host', () => {
  const norrby = { hosts: ['norrby.localhost', 'localhost', '127.0.0.1'] };
  const sodera = { hosts: ['sodera.localhost'] };
  assert.equal(siteUrlOf('http://localhost:3000', norrby), 'http://localhost:3000');
  assert.equal(siteUrlOf('http://localhost:3000', sodera), 'http://sodera.localhost:3000');
  assert.equal(siteUrlOf('https://e.norrby.example', { hosts: ['e.norrby.example'] }), 'https://e.norrby.example');
  assert.equal(siteUrlOf('https://e.norrby.example/', sodera), 'https://sodera.localhost');
});

test('seed demo is refused in production', async () => {
  const config = loadConfig({ MEDBORG_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), BASE_URL: 'https://e.norrby.example' }, repoRoot);
  const tenants = loadTenants(config.tenantsFile);
  await assert.rejects(seedDemo({ config, tenants, db: t.db, catalogue: loadCatalogue(tenants) }, () => undefined), /refused/);
});
