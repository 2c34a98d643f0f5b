/**
 * Workflow actions at their edges, through HTTP: starting the handling, a decision that comes too
 * late (second click, two tabs at once) leaves no letter behind, a decision date in the past, the
 * decision form is audit-logged, a closed case has no withdrawal to confirm, and a withdrawal that
 * comes too late (double click, ten at once) lands on the withdrawn case.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, staffSession, ANNA, ELLA, ELSA, ERIK, HANNA, INES, JONAS, KARIN, MAJA, NILS, OLLE, VERA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { holdBlobWrites } from '../../test/helpers/held-writes.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { verifyArchive } from '../archive/index.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post, applyForPreschool } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

const anna = await signInResident(t, NORRBY, ANNA, 'en');
// A second open application for a child is refused (ADR 0022): the cases left open take a child each.
const karin = await signInResident(t, NORRBY, KARIN, 'en');
const erik = await signInResident(t, NORRBY, ERIK, 'en');
const jonas = await signInResident(t, NORRBY, JONAS, 'en');
const handler = await signInStaff(t, NORRBY, HANNA);

/** Every file in the blob store, as keys relative to its folder. */
function storedKeys(): string[] {
  const root = t.config.blobDir;
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)))
    .sort();
}

/** Files in the blob store that no document or attachment row points to. */
async function orphans(): Promise<string[]> {
  const { rows } = await t.tdb.db.query<{ k: string }>('SELECT blob_key AS k FROM documents UNION ALL SELECT blob_key FROM attachments');
  const known = new Set(rows.map((r) => r.k));
  return storedKeys().filter((k) => !known.has(k));
}

async function journalKinds(caseId: string): Promise<string[]> {
  const { rows } = await tdb.query<{ kind: string }>('SELECT kind FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq', [caseId]);
  return rows.map((r) => r.kind);
}

async function letterRows(caseId: string): Promise<number> {
  const { rows } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decision_letter'", [caseId]);
  return rows[0]!.n;
}

const OFFER = { type: 'offered', preschool: 'nby-solrosen', startDate: '2027-04-01' };

test('start handling: submitted → being handled, with its journal entry, from a button on the case page', async () => {
  const { caseId } = await applyForPreschool(anna, ELSA);
  const page = await get(handler, `/staff/cases/${caseId}`);
  // The legacy `start` transition is an action like any other, on the one action route.
  assert.match(page.body, new RegExp(`<form method="post" action="/staff/cases/${caseId}/actions/start">`));
  assert.match(page.body, />Påbörja handläggning</);

  const r = await post(handler, `/staff/cases/${caseId}/actions/start`, {}, page.body);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${caseId}?done=status`);
  const { rows } = await tdb.query<{ status: string; due_at: Date | null; journal_seq: number }>('SELECT status, due_at, journal_seq FROM cases WHERE tenant_id = $1 AND id = $2', [caseId]);
  assert.equal(rows[0]!.status, 'in_progress');
  assert.equal(new Date(rows[0]!.due_at!).toISOString(), '2027-01-22T10:00:00.000Z', 'the deadline of "being handled" (60 days)');
  const { rows: entries } = await tdb.query<{ kind: string; actor_id: string; payload: Record<string, unknown>; seq: number }>(
    'SELECT kind, actor_id, payload, seq FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq',
    [caseId],
  );
  assert.deepEqual(
    entries.map((e) => e.kind),
    ['submitted', 'status_changed'],
  );
  assert.equal(entries[1]!.actor_id, handler.staffId);
  assert.deepEqual(entries[1]!.payload, { action: 'start', actionKind: 'transition', from: 'submitted', to: 'in_progress' });
  assert.equal(rows[0]!.journal_seq, entries[1]!.seq, 'the case row holds the new chain head');

  const after = await get(handler, String(r.headers.location));
  assert.match(after.body, /Statusen är ändrad\./);
  assert.match(after.body, /Status ändrad till Under handläggning/);
  assert.doesNotMatch(after.body, /\/actions\/start"/, 'no start button once handling has started');
  assert.match((await get(anna, `/my/cases/${caseId}`)).body, /Status changed to Being handled/, 'the resident sees it in English');

  // A second click changes nothing and shows the case.
  const again = await post(handler, `/staff/cases/${caseId}/start`, {}, page.body);
  assert.equal(again.statusCode, 303);
  assert.equal(again.headers.location, `/staff/cases/${caseId}`);
  assert.deepEqual(await journalKinds(caseId), ['submitted', 'status_changed']);
  assert.deepEqual((await verifyArchive(t.tdb.db, ['norrby'])).problems, []);
});

test('a second decision is refused without leaving letters in the blob store; the case page says why', async () => {
  const { caseId } = await applyForPreschool(karin, NILS);
  const form = (await get(handler, `/staff/cases/${caseId}/decide?type=offered`)).body;
  let r = await post(handler, `/staff/cases/${caseId}/decide`, OFFER, form);
  assert.equal(r.statusCode, 303);
  assert.equal(await letterRows(caseId), 2, 'Swedish and English');
  const stored = storedKeys();

  // The same form sent again (a double click, a second tab): back to the case, with a notice.
  r = await post(handler, `/staff/cases/${caseId}/decide`, { ...OFFER, preschool: 'nby-ekbacken' }, form);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${caseId}?done=closed`);
  const page = await get(handler, String(r.headers.location));
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Ärendet är redan avslutat, så inget mer gjordes/);
  assert.deepEqual(storedKeys(), stored, 'no new file in the blob store');
  assert.deepEqual(await orphans(), []);
  assert.deepEqual((await journalKinds(caseId)).filter((k) => k === 'decided'), ['decided']);
  // The decision form of a closed case leads back to the case too.
  const closedForm = await get(handler, `/staff/cases/${caseId}/decide?type=offered`);
  assert.equal(closedForm.statusCode, 303);
  assert.equal(closedForm.headers.location, `/staff/cases/${caseId}?done=closed`);

  // In English too.
  handler.jar.cookies.set('mb_lang', 'en');
  try {
    assert.match((await get(handler, `/staff/cases/${caseId}?done=closed`)).body, /The case is already closed, so nothing more was done/);
  } finally {
    handler.jar.cookies.delete('mb_lang');
  }
});

test('two decisions sent at once: one decides, the other one’s letters are removed', async () => {
  const { caseId } = await applyForPreschool(karin, ELLA);
  const form = (await get(handler, `/staff/cases/${caseId}/decide?type=offered`)).body;
  // Hold the letters' first writes until both requests have read the case as open and rendered:
  // both then race for the decision, as two clicks on two tabs do.
  const held = holdBlobWrites(t.app.blobs, 2);
  try {
    const results = await Promise.all([post(handler, `/staff/cases/${caseId}/decide`, OFFER, form), post(handler, `/staff/cases/${caseId}/decide`, { ...OFFER, preschool: 'nby-ekbacken' }, form)]);
    assert.deepEqual(results.map((r) => r.statusCode), [303, 303]);
    assert.deepEqual(results.map((r) => r.headers.location).sort(), [`/staff/cases/${caseId}?done=closed`, `/staff/cases/${caseId}?done=decided`]);
  } finally {
    held.restore();
  }
  assert.equal(held.count, 4, 'both requests rendered their two letters');
  assert.equal(await letterRows(caseId), 2);
  assert.deepEqual(await orphans(), [], 'the losing decision’s letters are not left in the blob store');
  assert.deepEqual((await journalKinds(caseId)).filter((k) => k === 'decided'), ['decided']);
});

test('a decision date must be today or later in Stockholm; the values are kept', async () => {
  const { caseId } = await applyForPreschool(karin, VERA);
  // 23:30 UTC on 22 November is already 23 November in Stockholm.
  t.clock.set('2026-11-22T23:30:00Z');
  try {
    const staff = await staffSession(t, NORRBY, handler.staffId, 'Hanna Handläggare');
    const form = (await get(staff, `/staff/cases/${caseId}/decide?type=offered`)).body;
    let r = await post(staff, `/staff/cases/${caseId}/decide`, { ...OFFER, startDate: '2026-11-22' }, form);
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /Startdatum kan inte vara ett datum som redan har varit/);
    assert.match(r.body, /href="#f-startDate"/);
    assert.match(r.body, /value="2026-11-22"/, 'the date typed is kept');
    assert.match(r.body, /value="nby-solrosen" selected/, 'the pre-school chosen is kept');
    assert.equal(await letterRows(caseId), 0);
    staff.jar.cookies.set('mb_lang', 'en');
    r = await post(staff, `/staff/cases/${caseId}/decide`, { ...OFFER, startDate: '2025-01-01' }, form);
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /Start date cannot be a date in the past/);
    staff.jar.cookies.delete('mb_lang');
    r = await post(staff, `/staff/cases/${caseId}/decide`, { ...OFFER, startDate: '2026-11-23' }, form);
    assert.equal(r.statusCode, 303, 'today, in Stockholm, is allowed');
  } finally {
    t.clock.set('2026-11-23T10:00:00Z');
  }
});

test('opening the decision form is audit-logged as a view of the case', async () => {
  const { caseId } = await applyForPreschool(anna, OLLE);
  const views = async () => (await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1 AND case_id = $2 AND staff_id = $3 AND action = 'case.view'", [caseId, handler.staffId])).rows[0]!.n;
  assert.equal(await views(), 0);
  const r = await get(handler, `/staff/cases/${caseId}/decide`);
  assert.equal(r.statusCode, 200);
  assert.equal(await views(), 1);
  const preview = await get(handler, `/staff/cases/${caseId}/decide?type=offered`);
  assert.match(preview.body, /Olle Andersson/, 'the preview names the child');
  assert.equal(await views(), 2);
});

test('a decided or withdrawn case has no withdrawal to confirm: the page leads back to the case', async () => {
  const decided = await applyForPreschool(erik, MAJA);
  const form = (await get(handler, `/staff/cases/${decided.caseId}/decide?type=offered`)).body;
  assert.equal((await post(handler, `/staff/cases/${decided.caseId}/decide`, OFFER, form)).statusCode, 303);
  let r = await get(erik, `/my/cases/${decided.caseId}/withdraw`);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/my/cases/${decided.caseId}`);

  const withdrawn = await applyForPreschool(jonas, INES);
  const confirm = await get(jonas, `/my/cases/${withdrawn.caseId}/withdraw`);
  assert.equal(confirm.statusCode, 200, 'an open case asks first');
  assert.match(confirm.body, /Do you want to withdraw the application\?/);
  assert.equal((await post(jonas, `/my/cases/${withdrawn.caseId}/withdraw`, {}, confirm.body)).statusCode, 303);
  r = await get(jonas, `/my/cases/${withdrawn.caseId}/withdraw`);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/my/cases/${withdrawn.caseId}`);
});

test('a second withdrawal lands on the withdrawn case, saying it is withdrawn, not on an error page', async () => {
  const { caseId } = await applyForPreschool(karin, NILS); // decided above: free again
  const confirm = (await get(karin, `/my/cases/${caseId}/withdraw`)).body;
  let r = await post(karin, `/my/cases/${caseId}/withdraw`, {}, confirm);
  assert.equal(r.headers.location, `/my/cases/${caseId}?done=withdrawn`);
  // The same form sent again (a second tab, the back button): the case is withdrawn already.
  r = await post(karin, `/my/cases/${caseId}/withdraw`, {}, confirm);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/my/cases/${caseId}?done=alreadyWithdrawn`);
  const page = await get(karin, String(r.headers.location));
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /The application is already withdrawn\./);
  karin.jar.cookies.set('mb_lang', 'sv');
  try {
    assert.match((await get(karin, String(r.headers.location))).body, /Ansökan är redan återkallad\./);
  } finally {
    karin.jar.cookies.set('mb_lang', 'en');
  }
  assert.deepEqual((await journalKinds(caseId)).filter((k) => k === 'withdrawn'), ['withdrawn']);
});

test('ten withdrawals sent at once all land on the withdrawn case; one is journalled', async () => {
  // On PostgreSQL they race for the case row; PGlite runs them one at a time, and the same holds.
  const { caseId } = await applyForPreschool(karin, ELLA); // decided above: free again
  const confirm = (await get(karin, `/my/cases/${caseId}/withdraw`)).body;
  const results = await Promise.all(Array.from({ length: 10 }, () => post(karin, `/my/cases/${caseId}/withdraw`, {}, confirm)));
  assert.deepEqual(results.map((r) => r.statusCode), Array(10).fill(303), results.find((r) => r.statusCode !== 303)?.body.slice(0, 300));
  const locations = results.map((r) => String(r.headers.location));
  assert.deepEqual(locations.filter((l) => l === `/my/cases/${caseId}?done=withdrawn`).length, 1, locations.join('\n'));
  assert.deepEqual(locations.filter((l) => l === `/my/cases/${caseId}?done=alreadyWithdrawn`).length, 9, locations.join('\n'));
  assert.deepEqual((await journalKinds(caseId)).filter((k) => k === 'withdrawn'), ['withdrawn']);
  const { rows } = await tdb.query<{ status: string }>('SELECT status FROM cases WHERE tenant_id = $1 AND id = $2', [caseId]);
  assert.equal(rows[0]!.status, 'withdrawn');
});
