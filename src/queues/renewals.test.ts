/**
 * Renewal over HTTP (ADR 0047), on both databases: a housing-queue place lasts a year from the queue
 * date; from two months before its end the applicant renews it on the case page, paying the yearly
 * fee through the payment provider; two payments for the same year renew it once and the second is
 * refunded; the applicant is reminded once when each period's window opens, by e-mail; a place not
 * renewed by the end of its month's grace leaves the queue (the queue job).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { journey } from '../../test/helpers/journey.ts';
import { signInResident, ANNA, KARIN, type SignedIn } from '../../test/helpers/sign-in.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { lapseUnrenewed, remindRenewals } from './renewals.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

async function joinHousingQueue(who: SignedIn): Promise<string> {
  const start = await get(who, '/services/bostadsko/apply');
  assert.equal(start.statusCode, 303);
  const draft = /^\/apply\/([0-9a-f-]{36})\//.exec(String(start.headers.location))![1]!;
  for (const [step, form] of [
    ['household', { adults: '2', children: '1' }],
    ['wishes', { rooms: ['two', 'three'], maxRent: '9000' }],
    ['contact', { email: 'anna@example.se', phone: '' }],
  ] as const) {
    const r = await post(who, `/apply/${draft}/${step}`, form as Record<string, string | string[]>, `/apply/${draft}/${step}`);
    assert.equal(r.statusCode, 303, `${step}: ${r.body.slice(0, 300)}`);
  }
  const sent = await post(who, `/apply/${draft}/submit`, {}, `/apply/${draft}/check`);
  assert.equal(sent.headers.location, `/apply/${draft}/confirmation`);
  const { rows } = await tdb.query<{ id: string }>('SELECT submitted_case_id AS id FROM drafts WHERE tenant_id = $1 AND id = $2', [draft]);
  return rows[0]!.id;
}

/** The payer's choice on the demo provider's page, then back: where the browser lands. */
async function payAndReturn(who: SignedIn, providerUrl: string): Promise<string> {
  const reference = /\/test-pay\/(DEMO-[0-9a-f-]+)$/.exec(providerUrl)![1]!;
  assert.equal((await t.app.inject({ url: `/test-pay/${reference}`, headers: { host: NORRBY } })).statusCode, 200);
  const r = await t.app.inject({ method: 'POST', url: `/test-pay/${reference}`, headers: { host: NORRBY, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'choice=succeed' });
  assert.equal(r.statusCode, 303);
  const back = await get(who, new URL(String(r.headers.location), 'http://x').pathname);
  assert.equal(back.statusCode, 303, back.body.slice(0, 300));
  return String(back.headers.location);
}

const periods = async (caseId: string) => (await tdb.query<{ end: string }>('SELECT period_end::text AS end FROM queue_renewals WHERE tenant_id = $1 AND case_id = $2 ORDER BY 1', [caseId])).rows.map((r) => r.end);
const status = async (caseId: string) => (await tdb.query<{ status: string }>('SELECT status FROM cases WHERE tenant_id = $1 AND id = $2', [caseId])).rows[0]!.status;

let anna = await signInResident(t, NORRBY, ANNA);
const caseId = await joinHousingQueue(anna);

test('a place lasts a year from the queue date; before its window nobody renews it, and only the applicant may', async () => {
  const page = await get(anna, `/my/cases/${caseId}`);
  assert.match(page.body, /Din plats i kön gäller till och med 23 november 2027\./);
  assert.match(page.body, /Du kan förnya den från och med 24 september 2027\./);
  assert.match(page.body, /Att förnya kostar 200\skr\./);
  assert.doesNotMatch(page.body, /Förnya och betala/);
  const early = await post(anna, `/my/cases/${caseId}/queue-renewal`, { from: '2027-11-23' }, page.body);
  assert.equal(early.statusCode, 409);
  assert.match(early.body, /Platsen kan inte förnyas nu/);
  const karin = await signInResident(t, NORRBY, KARIN);
  assert.equal((await post(karin, `/my/cases/${caseId}/queue-renewal`, { from: '2027-11-23' }, '/')).statusCode, 404);
  assert.deepEqual(await periods(caseId), []);
});

const remind = () => remindRenewals(t.app, t.tdb.db, t.clock.now(), () => `http://${NORRBY}`);
const reminders = async (caseId: string) =>
  (await tdb.query<{ to: string; subject: string; text: string }>("SELECT payload->>'to' AS to, payload->>'subject' AS subject, payload->>'text' AS text FROM outbox WHERE tenant_id = $1 AND payload->>'subject' LIKE 'Dags att förnya%' AND payload->>'subject' LIKE '%' || (SELECT reference FROM cases WHERE tenant_id = $1 AND id = $2) ORDER BY created_at", [caseId])).rows;

test('when the window opens the applicant is reminded by e-mail, once, and the journal says so', async () => {
  t.clock.set('2027-09-23T10:00:00Z');
  assert.equal(await remind(), 0, 'the day before the window opens');
  t.clock.set('2027-09-24T10:00:00Z');
  assert.equal(await remind(), 1);
  const mails = await reminders(caseId);
  assert.equal(mails.length, 1);
  assert.equal(mails[0]!.to, 'anna@example.se');
  assert.match(mails[0]!.text, /gäller till och med 23 november 2027\. Förnya den senast 23 december 2027/);
  assert.match(mails[0]!.text, /Att förnya kostar 200\skr\./);
  assert.match(mails[0]!.text, new RegExp(`http://${NORRBY.replace('.', '\\.')}/my/cases/${caseId}`));
  // Later runs, and several at once (nodes of a cluster), send nothing more for this period.
  t.clock.set('2027-09-25T10:00:00Z');
  assert.deepEqual(await Promise.all([remind(), remind(), remind()]), [0, 0, 0]);
  assert.equal((await reminders(caseId)).length, 1);
  const { rows } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'queue_renewal_reminded'", [caseId]);
  assert.equal(rows[0]!.n, 1);
  anna = await signInResident(t, NORRBY, ANNA);
  const page = await get(anna, `/my/cases/${caseId}`);
  assert.match(page.body, /Påminnelse om att förnya platsen i kön skickades/);
});

test('in its window the applicant renews with the yearly fee: a year more, the queue date kept, journaled', async () => {
  t.clock.set('2027-10-01T10:00:00Z');
  anna = await signInResident(t, NORRBY, ANNA);
  const page = await get(anna, `/my/cases/${caseId}`);
  assert.match(page.body, /Förnya och betala 200\skr/);
  // A stale or forged end: nothing is started.
  for (const from of ['2026-11-23', '<script>', '']) {
    const r = await post(anna, `/my/cases/${caseId}/queue-renewal`, { from }, page.body);
    assert.equal(r.statusCode, 409, from);
  }
  const r = await post(anna, `/my/cases/${caseId}/queue-renewal`, { from: '2027-11-23' }, page.body);
  assert.equal(r.statusCode, 303);
  assert.match(String(r.headers.location), /\/test-pay\/DEMO-/);
  assert.equal(await payAndReturn(anna, String(r.headers.location)), `/my/cases/${caseId}?done=renewed#notice`);
  assert.deepEqual(await periods(caseId), ['2028-11-23']);
  const after = await get(anna, `/my/cases/${caseId}?done=renewed`);
  assert.match(after.body, /Din plats i kön är förnyad/);
  assert.match(after.body, /gäller till och med 23 november 2028/);
  assert.match(after.body, /Ködatum: 23 november 2026/);
  const { rows } = await tdb.query<{ kind: string }>("SELECT kind FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'queue_renewed'", [caseId]);
  assert.equal(rows.length, 1);
});

test('two payments for the same year renew it once; the second is refunded', async () => {
  t.clock.set('2028-10-15T10:00:00Z');
  // The renewed period's window is open: reminded again, for this period.
  assert.equal(await remind(), 1);
  assert.match((await reminders(caseId)).at(-1)!.text, /gäller till och med 23 november 2028/);
  anna = await signInResident(t, NORRBY, ANNA);
  const page = await get(anna, `/my/cases/${caseId}`);
  const first = await post(anna, `/my/cases/${caseId}/queue-renewal`, { from: '2028-11-23' }, page.body);
  const second = await post(anna, `/my/cases/${caseId}/queue-renewal`, { from: '2028-11-23' }, page.body);
  assert.equal(await payAndReturn(anna, String(first.headers.location)), `/my/cases/${caseId}?done=renewed#notice`);
  await payAndReturn(anna, String(second.headers.location));
  assert.deepEqual(await periods(caseId), ['2028-11-23', '2029-11-23']);
  const { rows } = await tdb.query<{ status: string; refunded_ore: number }>("SELECT status, refunded_ore FROM payments WHERE tenant_id = $1 AND purpose = 'queue-renewal' ORDER BY created_at, id", []);
  assert.equal(rows.length, 3);
  assert.deepEqual(rows.map((p) => p.refunded_ore).sort((a, b) => a - b), [0, 0, 20_000], 'the second payment for the same year is refunded in full');
});

test('not renewed by the end of the grace, the application leaves the queue; not before', async () => {
  // The end is 23 November 2029; a month's grace to 23 December.
  t.clock.set('2029-12-20T10:00:00Z');
  assert.equal(await lapseUnrenewed(t.app, t.tdb.db, t.clock.now(), () => `http://${NORRBY}`), 0);
  anna = await signInResident(t, NORRBY, ANNA);
  const overdue = await get(anna, `/my/cases/${caseId}`);
  assert.match(overdue.body, /Din plats gick ut 23 november 2029\. Förnya den senast 23 december 2029/);
  t.clock.set('2029-12-24T10:00:00Z');
  assert.equal(await lapseUnrenewed(t.app, t.tdb.db, t.clock.now(), () => `http://${NORRBY}`), 1);
  assert.equal(await status(caseId), 'not_renewed');
  const { rows } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM queue_entries WHERE tenant_id = $1 AND case_id = $2', [caseId]);
  assert.equal(rows[0]!.n, 0, 'out of the queue');
  const kinds = (await tdb.query<{ kind: string }>('SELECT kind FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq', [caseId])).rows.map((r) => r.kind);
  assert.equal(kinds.at(-1), 'queue_renewal_lapsed');
  // Run again: nothing more.
  assert.equal(await lapseUnrenewed(t.app, t.tdb.db, t.clock.now(), () => `http://${NORRBY}`), 0);
});

test('several nodes running the reminders at once remind an application once; one that left the queue is not reminded', async () => {
  const karin = await signInResident(t, NORRBY, KARIN);
  t.clock.set('2026-11-23T10:00:00Z');
  const other = await joinHousingQueue(karin);
  t.clock.set('2027-09-26T10:00:00Z');
  const sent = await Promise.all(Array.from({ length: 6 }, () => remind()));
  assert.equal(sent.reduce((a, b) => a + b, 0), 1, `runs reminded ${sent.join(', ')}`);
  assert.equal((await reminders(other)).length, 1);
  // Nobody is reminded a year on: Anna's application left the queue (the test before) and Karin's window has passed.
  t.clock.set('2030-10-01T10:00:00Z');
  assert.equal(await remind(), 0);
});
