/**
 * Nothing lost on the way (issue 7, item 14): a database migrated by the code before parties
 * (every migration before 0009, so 0008 or not) and holding cases in the old shape — the applicant
 * in cases.applicant_id, the child copied into cases.subject, journal entries that carry `subject`,
 * a decided case with its letter — is upgraded by migration 0009. The parties carry what the columns
 * held, the case pages render, My cases lists them, and `archive verify` passes on the old entries.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { fixedClock } from '../src/kernel/clock.ts';
import { loadTenants } from '../src/kernel/tenants.ts';
import { migrate, MIGRATIONS_DIR, PgliteDatabase, PostgresDatabase, tenantScope, type Database } from '../src/kernel/db/index.ts';
import { chainEntries, insertEntriesStatement, verifyArchive } from '../src/archive/index.ts';
import { uuidv7 } from '../src/kernel/ids.ts';
import { NORRBY, repoRoot, type TestApp } from './helpers/app.ts';
import { testDialect } from './helpers/db.ts';
import { signInResident, signInStaff, ANNA, HANNA } from './helpers/sign-in.ts';
import { journey } from './helpers/journey.ts';

// The migrations as they stood before this change: everything numbered below 0009.
const oldDir = mkdtempSync(path.join(tmpdir(), 'medborg-old-migrations-'));
for (const f of readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{4}_/.test(f) && Number(f.slice(0, 4)) < 9)) copyFileSync(path.join(MIGRATIONS_DIR, f), path.join(oldDir, f));

/** An empty database of the test dialect, not from the (fully migrated) test template. */
async function emptyDatabase(): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (testDialect === 'pglite') {
    const db = await PgliteDatabase.open();
    return { db, drop: () => db.close() };
  }
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `medborg_up_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const db = new PostgresDatabase(u.toString(), 4);
  return {
    db,
    drop: async () => {
      await db.close();
      await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

const { db, drop } = await emptyDatabase();
after(async () => {
  await drop();
  rmSync(oldDir, { recursive: true, force: true });
});

const before = await migrate(db, () => undefined, oldDir);
assert.ok(before.current >= 7 && before.current < 9, `migrated the old way to ${before.current}`);
const tdb = tenantScope(db, 'norrby');
const T0 = new Date('2026-11-20T09:00:00.000Z');

// Seeded as the old code wrote it: the resident, and cases with applicant_id and subject.
const annaId = uuidv7(T0.getTime());
await tdb.query("INSERT INTO residents (tenant_id, id, personal_number, given_name, family_name, email, locale, created_at) VALUES ($1, $2, $3, 'Anna', 'Andersson', 'anna@example.se', 'sv', $4)", [
  annaId,
  ANNA.personalNumber,
  T0,
]);
const child = { personalNumber: '202205109826', name: 'Elsa Andersson', birthDate: '2022-05-10' };
const answers = { child: child.personalNumber, preschools: ['nby-solrosen', 'nby-ekbacken'], startDate: '2027-04-01', careHours: 'from15to30', specialNeeds: 'no', email: 'anna@example.se' };

async function oldCase(reference: string, subject: typeof child | null, decided: boolean): Promise<string> {
  const id = uuidv7(T0.getTime());
  const inputs = [
    { kind: 'submitted' as const, actorKind: 'resident' as const, actorId: annaId, payload: { reference, service: 'forskola', status: 'submitted', answers, subject, locale: 'sv' }, recordedAt: T0 },
  ];
  const decision = { type: 'offered', outcome: 'approved', values: { preschool: 'nby-solrosen', startDate: '2027-04-01' }, decidedBy: uuidv7(), decidedAt: '2026-11-21T10:00:00.000Z' };
  const letterId = uuidv7();
  if (decided) {
    inputs.push({ kind: 'decided' as never, actorKind: 'staff' as never, actorId: decision.decidedBy as never, payload: { decision, from: 'submitted', to: 'decided', letters: [{ id: letterId, locale: 'sv', sha256: 'a'.repeat(64) }] } as never, recordedAt: new Date('2026-11-21T10:00:00.000Z') });
  }
  const entries = chainEntries('norrby', id, undefined, inputs);
  const head = entries.at(-1)!;
  await tdb.query(
    `INSERT INTO cases (tenant_id, id, reference, service_id, department, applicant_id, subject, answers, locale, status, status_changed_at, decision, created_at, updated_at, journal_seq, journal_head)
     VALUES ($1, $2, $3, 'forskola', 'education', $4, $5, $6, 'sv', $7, $8, $9, $8, $10, $11, $12)`,
    [id, reference, annaId, subject ? JSON.stringify(subject) : null, JSON.stringify(answers), decided ? 'decided' : 'submitted', T0, decided ? JSON.stringify(decision) : null, head.recordedAt, head.seq, head.hash],
  );
  const { sql, params } = insertEntriesStatement(entries);
  await tdb.query(sql, params);
  if (decided) await tdb.query("INSERT INTO documents (tenant_id, id, case_id, kind, locale, created_at) VALUES ($1, $2, $3, 'decision_letter', 'sv', $4)", [letterId, id, T0]);
  return id;
}
const submitted = await oldCase('FSK-2026-000001', child, false);
const decided = await oldCase('FSK-2026-000002', child, true);
const noSubject = await oldCase('FSK-2026-000003', null, false);

// The upgrade: the rest of today's migrations, 0009 among them.
const upgraded = await migrate(db);
assert.ok(upgraded.applied.some((m) => m.version === 9), 'migration 0009 ran');

const config = loadConfig({ MEDBORG_ENV: 'test', LOG_LEVEL: 'silent', MEDBORG_BLOB_DIR: mkdtempSync(path.join(tmpdir(), 'medborg-up-blobs-')) }, repoRoot);
const tenants = loadTenants(config.tenantsFile);
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = await buildApp({ config, db, tenants, demo: false, clock });
await app.ready();
after(() => app.close());
const t: TestApp = { app, tdb: { db, dialect: testDialect, url: undefined, drop: async () => undefined }, config, tenants, clock, close: async () => undefined };
const { get } = journey(t);

test('every case keeps its applicant and subject, now as parties; the old columns are gone', async () => {
  const { rows } = await tdb.query<{ case_id: string; role: string; kind: string; resident_id: string | null; personal_number: string | null; name: string | null; details: Record<string, unknown> }>(
    'SELECT case_id, role, kind, resident_id, personal_number, name, details FROM case_parties WHERE tenant_id = $1 ORDER BY case_id, role',
  );
  const of = (id: string) => rows.filter((r) => r.case_id === id).map((r) => ({ role: r.role, kind: r.kind, resident: r.resident_id, pn: r.personal_number, name: r.name, details: r.details }));
  const applicant = { role: 'applicant', kind: 'resident', resident: annaId, pn: ANNA.personalNumber, name: 'Anna Andersson', details: {} };
  const subject = { role: 'subject', kind: 'child', resident: null, pn: child.personalNumber, name: child.name, details: { birthDate: child.birthDate } };
  assert.deepEqual(of(submitted), [applicant, subject]);
  assert.deepEqual(of(decided), [applicant, subject]);
  assert.deepEqual(of(noSubject), [applicant]);
  const { rows: columns } = await db.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_name = 'cases' AND column_name IN ('applicant_id', 'subject')");
  assert.deepEqual(columns, []);
});

test('archive verify passes on the entries written before', async () => {
  const report = await verifyArchive(db, ['norrby', 'sodera']);
  assert.deepEqual(report.problems, []);
  assert.equal(report.cases, 3);
  assert.equal(report.entries, 4);
});

test('the old cases render for the applicant and for staff, the decided one with its letter', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const mine = await get(anna, '/my/cases');
  assert.equal(mine.statusCode, 200);
  for (const ref of ['FSK-2026-000001', 'FSK-2026-000002', 'FSK-2026-000003']) assert.ok(mine.body.includes(ref), `${ref} in My cases`);
  const page = await get(anna, `/my/cases/${decided}`);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Barn: Elsa Andersson/);
  assert.match(page.body, /Beslut fattat/);
  assert.ok(page.body.includes('/documents/'), 'the letter is listed');
  assert.ok((await get(anna, `/my/cases/${submitted}`)).body.includes(`/my/cases/${submitted}/actions/withdraw`), 'the applicant still acts on an open case');

  const handler = await signInStaff(t, NORRBY, HANNA);
  const staffPage = await get(handler, `/staff/cases/${decided}`);
  assert.equal(staffPage.statusCode, 200);
  assert.match(staffPage.body, /Anna Andersson, 19880314-9825/);
  assert.match(staffPage.body, /Barn<\/dt>\s*<dd[^>]*>Elsa Andersson, 20220510-9826/);
  const noSubjectPage = await get(handler, `/staff/cases/${noSubject}`);
  assert.equal(noSubjectPage.statusCode, 200);
  const inbox = await get(handler, '/staff/cases?status=all');
  assert.match(inbox.body, /Elsa Andersson/);
});
