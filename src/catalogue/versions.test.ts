/**
 * Definition versions (ADR 0010), through HTTP and the real start-up path (buildApp): a case keeps
 * the version it was submitted under after the catalogue moves on; a draft resumes on its own; an
 * edit without a new version that would strand cases is refused at start-up and by the CLI, and
 * accepted once no case is stranded; nodes starting at once store one snapshot.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import YAML from 'yaml';
import { createTestApp, NORRBY, repoRoot, type TestApp } from '../../test/helpers/app.ts';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { journey } from '../../test/helpers/journey.ts';
import { signInResident, signInStaff, ANNA, ELSA, HANNA, OLLE } from '../../test/helpers/sign-in.ts';
import { buildApp } from '../app.ts';
import { PostgresDatabase, tenantScope, type Database } from '../kernel/db/index.ts';
import { loadTenants, type TenantRegistry } from '../kernel/tenants.ts';
import { CatalogueError, checkCatalogueVersionsCommand, definitionHash, loadCatalogue, storeDefinitionVersions, type Catalogue } from './index.ts';

const run = promisify(execFile);
const temps: string[] = [];
// Closed whatever a test's assertions did, so a failing test cannot leave the run hanging.
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  temps.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function testApp(): Promise<TestApp> {
  const t = await createTestApp();
  closers.push(() => t.close());
  return t;
}

/** The shipped installation with Norrby's forskola override replaced by `override`. */
function installation(override: Record<string, unknown>): { tenantsFile: string; tenants: TenantRegistry; catalogue: Catalogue } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'medborg-versions-'));
  temps.push(dir);
  cpSync(path.join(repoRoot, 'catalogue'), path.join(dir, 'catalogue'), { recursive: true });
  cpSync(path.join(repoRoot, 'branding'), path.join(dir, 'branding'), { recursive: true });
  writeFileSync(path.join(dir, 'tenants.yaml'), readFileSync(path.join(repoRoot, 'tenants.yaml')));
  writeFileSync(path.join(dir, 'catalogue/norrby/services.yaml'), YAML.stringify({ services: { forskola: override } }));
  const tenantsFile = path.join(dir, 'tenants.yaml');
  const tenants = loadTenants(tenantsFile);
  return { tenantsFile, tenants, catalogue: loadCatalogue(tenants) };
}

/** Without the supplement state: its transitions go (a list without ids is replaced whole). */
const WITHOUT_SUPPLEMENT = {
  workflow: {
    states: [{ id: 'awaiting_supplement', $remove: true }],
    transitions: [
      { from: ['submitted'], to: 'in_progress', action: 'assign' },
      { from: ['submitted'], to: 'in_progress', action: 'start' },
      { from: ['submitted', 'in_progress'], to: 'decided', action: 'decide' },
      { from: ['submitted', 'in_progress'], to: 'withdrawn', action: 'withdraw' },
    ],
  },
};

/** Version 2: no supplement state, no rejection, and a new step. */
const VERSION_2 = {
  version: 2,
  ...WITHOUT_SUPPLEMENT,
  decisions: [{ id: 'rejected', $remove: true }],
  form: {
    steps: [
      {
        id: 'siblings',
        title: { sv: 'Syskon', en: 'Siblings' },
        fields: [{ id: 'hasSibling', kind: 'yesNo', label: { sv: 'Går ett syskon redan på förskolan?', en: 'Does a sibling already go to the pre-school?' } }],
        $after: 'contact',
      },
    ],
  },
};

/** A second node on the same database, with another catalogue; the same helpers drive it. */
async function node(t: TestApp, inst: { tenants: TenantRegistry; catalogue: Catalogue }, db: Database = t.tdb.db): Promise<FastifyInstance> {
  const app = await buildApp({ config: t.config, db, tenants: inst.tenants, catalogue: inst.catalogue, demo: true, clock: t.clock });
  await app.ready();
  return app;
}

async function snapshots(db: Database, tenant = 'norrby'): Promise<{ version: number; hash: string; states: string[] }[]> {
  const { rows } = await tenantScope(db, tenant).query<{ version: number; hash: string; definition: { workflow: { states: { id: string }[] } } }>(
    "SELECT version, hash, definition FROM service_versions WHERE tenant_id = $1 AND service_id = 'forskola' ORDER BY version",
  );
  return rows.map((r) => ({ version: r.version, hash: r.hash, states: r.definition.workflow.states.map((s) => s.id) }));
}

async function caseRow(t: TestApp, id: string) {
  const { rows } = await tenantScope(t.tdb.db, 'norrby').query<{ status: string; service_version: number; decision: { type: string } | null }>(
    'SELECT status, service_version, decision FROM cases WHERE tenant_id = $1 AND id = $2',
    [id],
  );
  return rows[0]!;
}

async function draftVersion(t: TestApp, id: string): Promise<number> {
  const { rows } = await tenantScope(t.tdb.db, 'norrby').query<{ service_version: number }>('SELECT service_version FROM drafts WHERE tenant_id = $1 AND id = $2', [id]);
  return rows[0]!.service_version;
}

test('a case submitted under version 1 is handled by version 1 after version 2 removes its state and decision type; a draft resumes on its own', async () => {
  const t = await testApp();
  const v1 = journey(t);
  const anna = await signInResident(t, NORRBY, ANNA);
  const handler = await signInStaff(t, NORRBY, HANNA);
  const { caseId } = await v1.applyForPreschool(anna, ELSA);
  assert.equal((await caseRow(t, caseId)).service_version, 1);
  // A draft begun under version 1, one step answered.
  const draft = await v1.startDraft(anna);
  assert.equal((await v1.post(anna, `/apply/${draft}/child`, { child: OLLE }, `/apply/${draft}/child`)).statusCode, 303);
  assert.equal(await draftVersion(t, draft), 1);

  const app2 = await node(t, installation(VERSION_2));
  closers.push(() => app2.close());
  const t2 = { ...t, app: app2 };
  const v2 = journey(t2);
  assert.deepEqual(
    (await snapshots(t.tdb.db)).map((s) => `${s.version}: ${s.states.join(' ')}`),
    ['1: submitted in_progress awaiting_supplement decided withdrawn placed offer_declined', '2: submitted in_progress decided withdrawn placed offer_declined'],
  );
  assert.deepEqual((await snapshots(t.tdb.db, 'sodera')).map((s) => s.version), [1], 'Söderå still offers version 1');

  // The handler asks for a supplement — a state version 2 no longer has — then rejects, a decision type it no longer has.
  const page = await v2.get(handler, `/staff/cases/${caseId}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, new RegExp(`action="/staff/cases/${caseId}/actions/requestSupplement"`));
  const asked = await v2.post(handler, `/staff/cases/${caseId}/supplement-request`, { body: 'Skicka intyg.' }, page.body);
  assert.equal(asked.statusCode, 303, asked.body.slice(0, 300));
  assert.equal((await caseRow(t, caseId)).status, 'awaiting_supplement');
  assert.match((await v2.get(anna, `/my/cases/${caseId}`)).body, /Väntar på komplettering från dig/);
  // The lists label it by its own version too.
  assert.match((await v2.get(anna, '/my/cases')).body, /Väntar på komplettering från dig/);
  assert.match((await v2.get(handler, '/staff/cases')).body, /Väntar på komplettering från sökande/);
  const decided = await v2.post(handler, `/staff/cases/${caseId}/decide`, { type: 'rejected', reasons: 'Ingen plats.' }, `/staff/cases/${caseId}/decide?type=rejected`);
  assert.equal(decided.statusCode, 303, decided.body.slice(0, 300));
  const row = await caseRow(t, caseId);
  assert.equal(row.status, 'decided');
  assert.equal(row.decision?.type, 'rejected');
  assert.equal(row.service_version, 1);

  // The draft resumes on version 1, told what changed; it is sent without the new step and stays version 1.
  const resume = await v2.get(anna, '/services/forskola/apply');
  assert.equal(resume.headers.location, `/apply/${draft}/preschools`);
  const step = await v2.get(anna, `/apply/${draft}/preschools`);
  assert.match(step.body, /E-tjänsten har ändrats/);
  assert.match(step.body, /Nya steg för den som börjar nu: ”Syskon”/);
  for (const [id, form] of [
    ['preschools', { 'preschools.0': 'nby-ekbacken' }],
    ['start', { startDate: '2027-04-01', earlyReason: '' }],
    ['hours', { careHours: 'from15to30' }],
    ['needs', { specialNeeds: 'no', specialNeedsDescription: '' }],
    ['contact', { email: 'anna@example.se', phone: '070-123 45 67' }],
  ] as const) {
    const r = await v2.post(anna, `/apply/${draft}/${id}`, form, `/apply/${draft}/${id}`);
    assert.equal(r.headers.location, id === 'contact' ? `/apply/${draft}/check` : `/apply/${draft}/${['preschools', 'start', 'hours', 'needs', 'contact'][['preschools', 'start', 'hours', 'needs'].indexOf(id) + 1]}`);
  }
  const check = await v2.get(anna, `/apply/${draft}/check`);
  assert.doesNotMatch(check.body, /hasSibling|Går ett syskon/, 'not asked the new question');
  const sent = await v2.post(anna, `/apply/${draft}/submit`, {}, check.body);
  assert.equal(sent.headers.location, `/apply/${draft}/confirmation`);
  const { rows } = await tenantScope(t.tdb.db, 'norrby').query<{ service_version: number }>('SELECT service_version FROM cases WHERE tenant_id = $1 AND draft_id = $2', [draft]);
  assert.deepEqual(rows, [{ service_version: 1 }]);

  // A new application is version 2: it asks the new question and says nothing about changes.
  const fresh = await v2.startDraft(anna);
  assert.equal(await draftVersion(t, fresh), 2);
  const siblings = await v2.get(anna, `/apply/${fresh}/siblings`);
  assert.equal(siblings.statusCode, 200);
  // The step's one question is its heading (issue 8, item 2).
  assert.match(siblings.body, /<h1[^>]*>Går ett syskon redan på förskolan\?<\/h1>/);
  assert.match(siblings.body, /name="hasSibling"/);
  assert.doesNotMatch(siblings.body, /E-tjänsten har ändrats/);
});

test('an edit without a new version that strands a case is refused at start-up and by the CLI; accepted once no case is in the state', async () => {
  const t = await testApp();
  const j = journey(t);
  const anna = await signInResident(t, NORRBY, ANNA);
  const handler = await signInStaff(t, NORRBY, HANNA);
  const { caseId } = await j.applyForPreschool(anna, ELSA);
  const asked = await j.post(handler, `/staff/cases/${caseId}/supplement-request`, { body: 'Skicka intyg.' }, `/staff/cases/${caseId}`);
  assert.equal(asked.statusCode, 303);
  const before = await snapshots(t.tdb.db);

  const edited = installation(WITHOUT_SUPPLEMENT);

  const expected = /catalogue\/shared\/forskola\.yaml with \S*catalogue\/norrby\/services\.yaml\/services\/forskola: \/workflow\/states: service "forskola" of norrby changed without a new version: state "awaiting_supplement" no longer exists, but 1 case of version 1 is in it\. Raise "version" \(now 1\)/;
  await assert.rejects(node(t, edited), (e: unknown) => e instanceof CatalogueError && expected.test(e.message));
  assert.deepEqual(await snapshots(t.tdb.db), before, 'nothing of the refused edit is stored');

  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: () => undefined };
  assert.equal(await checkCatalogueVersionsCommand(edited.tenants, t.tdb.db, io), 1);
  assert.equal(out.length, 1);
  assert.match(out[0]!, expected);
  if (t.tdb.url) {
    // The real command, given the database as an operator would.
    const cli = await run(process.execPath, ['bin/medborg.js', 'catalogue', 'check'], {
      cwd: repoRoot,
      env: { ...process.env, MEDBORG_ENV: 'test', MEDBORG_TENANTS: edited.tenantsFile, DATABASE_URL: t.tdb.url },
    }).then(
      () => assert.fail('catalogue check passed'),
      (e: { code: number; stdout: string }) => e,
    );
    assert.equal(cli.code, 1);
    assert.match(cli.stdout, expected);
  }

  // The resident withdraws: the case is closed in a state the edit keeps, so the edit is an editorial fix.
  const withdrawn = await j.post(anna, `/my/cases/${caseId}/withdraw`, {}, `/my/cases/${caseId}/withdraw`);
  assert.equal(withdrawn.statusCode, 303);
  assert.equal((await caseRow(t, caseId)).status, 'withdrawn');
  assert.equal(await checkCatalogueVersionsCommand(edited.tenants, t.tdb.db, io), 0);
  const app2 = await node(t, edited);
  await app2.close();
  const [after] = await snapshots(t.tdb.db);
  assert.equal(after!.version, 1);
  assert.deepEqual(after!.states, ['submitted', 'in_progress', 'decided', 'withdrawn', 'placed', 'offer_declined']);
  assert.equal(after!.hash, definitionHash(edited.catalogue.service('norrby', 'forskola')!));
  assert.notEqual(after!.hash, before[0]!.hash);
  // The closed case reads with the edited version 1.
  assert.equal((await j.get(anna, `/my/cases/${caseId}`)).statusCode, 200);
});

test('nodes starting at once store one snapshot per service and version', async () => {
  const tdb = await createTestDatabase();
  const tenants = loadTenants(path.join(repoRoot, 'tenants.yaml'));
  const catalogue = loadCatalogue(tenants);
  // On PostgreSQL each "node" has its own pool; PGlite serves one process, so they share it.
  const dbs = tdb.url ? [0, 1, 2, 3].map(() => new PostgresDatabase(tdb.url!, 2)) : [tdb.db, tdb.db, tdb.db, tdb.db];
  try {
    await Promise.all(dbs.map((db) => storeDefinitionVersions(db, tenants.all, catalogue)));
    const { rows } = await tdb.db.query<{ tenant_id: string; service_id: string; version: number; hash: string }>(
      'SELECT tenant_id, service_id, version, hash FROM service_versions ORDER BY tenant_id, service_id, version',
    );
    // One row per case service of each municipality at its version (link services have no cases, so no versions).
    const expected = tenants.all.flatMap((t) => catalogue.services(t.id).map((s) => `${t.id}/${s.id}/${s.version ?? 1}`));
    assert.ok(expected.length >= 9 && expected.includes('norrby/forskola/1') && expected.includes('sodera/forskola/1'));
    assert.deepEqual(rows.map((r) => `${r.tenant_id}/${r.service_id}/${r.version}`).sort(), expected.sort());
    assert.ok(!rows.some((r) => r.service_id === 'bibliotek-lan'), 'no snapshot of a link service');
    const hashOf = (id: string) => rows.find((r) => `${r.tenant_id}/${r.service_id}/${r.version}` === id)!.hash;
    assert.equal(hashOf('norrby/forskola/1'), definitionHash(catalogue.service('norrby', 'forskola')!));
    assert.notEqual(hashOf('norrby/forskola/1'), hashOf('sodera/forskola/1'), 'each municipality stores its own resolved definition');
  } finally {
    if (tdb.url) await Promise.all(dbs.map((db) => db.close()));
    await tdb.drop();
  }
});

test('cases made before versions existed adopt the current definition as version 1, unless it strands them', async () => {
  const tdb = await createTestDatabase();
  try {
    const scoped = tenantScope(tdb.db, 'norrby');
    // A case as the code before versions wrote it (no service_version: the column's default).
    await scoped.query(
      `INSERT INTO cases (tenant_id, id, reference, service_id, department, answers, locale, status, status_changed_at, created_at, updated_at, journal_seq, journal_head)
       VALUES ($1, gen_random_uuid(), 'FSK-2026-000001', 'forskola', 'education', '{}', 'sv', 'awaiting_supplement', now(), now(), now(), 1, 'x')`,
    );
    // The author has meanwhile raised the version and removed the state: the old case would be stranded.
    const v2 = installation(VERSION_2);
    await assert.rejects(storeDefinitionVersions(tdb.db, v2.tenants.all, v2.catalogue), /state "awaiting_supplement" no longer exists, but 1 case of version 1 is in it/);
    assert.deepEqual(await snapshots(tdb.db), []);
    // Without the removal, version 2 is stored and version 1 is the same definition, for the old case.
    const kept = installation({ version: 2 });
    await storeDefinitionVersions(tdb.db, kept.tenants.all, kept.catalogue);
    assert.deepEqual(
      (await snapshots(tdb.db)).map((s) => s.version),
      [1, 2],
    );
  } finally {
    await tdb.drop();
  }
});
