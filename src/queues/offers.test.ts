/**
 * Offers over HTTP (ADR 0046), on both databases: staff open a free place within a unit's places
 * for an age group; it is offered to the first in line who fits; the applicant answers with e-ID on
 * the case's own page; a decline or silence passes it on; an acceptance places the child and ends
 * the queueing; the guarantee's breaches show to staff. Bad input is answered with the page, the
 * posted values kept, nothing written.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { journey } from '../../test/helpers/journey.ts';
import { signInResident, signInStaff, staffSession, ANNA, ELSA, ERIK, HANNA, KARIN, MAJA, NILS, OLLE, JONAS, type SignedIn } from '../../test/helpers/sign-in.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { runOffers } from './offers.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post, applyForPreschool } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');
const UNIT = 'nby-hamnen';
const HERE = `/staff/queues/forskola/${UNIT}`;

let anna = await signInResident(t, NORRBY, ANNA);
const karin = await signInResident(t, NORRBY, KARIN);
const erik = await signInResident(t, NORRBY, ERIK);
const jonas = await signInResident(t, NORRBY, JONAS);
let hanna = await signInStaff(t, NORRBY, HANNA);

// Elsa, Nils and Maja are 3–5 on 2027-01-15; Olle is 2, and queues only here.
const elsa = await applyForPreschool(anna, ELSA, 'anna@example.se', [UNIT, 'nby-solrosen']);
const nils = await applyForPreschool(karin, NILS, 'karin@example.se', [UNIT]);
const maja = await applyForPreschool(erik, MAJA, 'erik@example.se', [UNIT]);
const olle = await applyForPreschool(anna, OLLE, 'anna@example.se', [UNIT]);
const applicants = new Map<string, SignedIn>([
  [elsa.caseId, anna],
  [nils.caseId, karin],
  [maja.caseId, erik],
  [olle.caseId, anna],
]);

/** The queue's cases in order. */
async function inLine(): Promise<string[]> {
  const { rows } = await tdb.query<{ case_id: string }>('SELECT case_id FROM queue_entries WHERE tenant_id = $1 AND service_id = $2 AND queue = $3 ORDER BY k1, k2, k3, tie', ['forskola', UNIT]);
  return rows.map((r) => r.case_id);
}
async function openOffers(): Promise<{ id: string; case_id: string; vacancy_id: string }[]> {
  const { rows } = await tdb.query<{ id: string; case_id: string; vacancy_id: string }>("SELECT id, case_id, vacancy_id FROM queue_offers WHERE tenant_id = $1 AND status = 'open' ORDER BY offered_at", []);
  return rows;
}
async function status(caseId: string): Promise<string> {
  const { rows } = await tdb.query<{ status: string }>('SELECT status FROM cases WHERE tenant_id = $1 AND id = $2', [caseId]);
  return rows[0]!.status;
}
async function journalKinds(caseId: string): Promise<string[]> {
  const { rows } = await tdb.query<{ kind: string }>('SELECT kind FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq', [caseId]);
  return rows.map((r) => r.kind);
}
const vacancyCount = async () => (await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM queue_vacancies WHERE tenant_id = $1', [])).rows[0]!.n;

async function openVacancy(form: Record<string, string>) {
  return post(hanna, `${HERE}/free-places`, form, HERE);
}

test("staff see the unit's places per age group from the register, and bad input opens nothing", async () => {
  const page = await get(hanna, HERE);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h2[^>]*>\s*<span id="places-h">Platser<\/span>/);
  assert.match(page.body, /1–2 år/);
  assert.match(page.body, /3–5 år/);
  for (const form of [
    { forGroup: 'older', freeFrom: 'tomorrow', count: '1' },
    { forGroup: 'older', freeFrom: '2026-02-30', count: '1' },
    { forGroup: 'older', freeFrom: '2026-11-01', count: '1' },
    { forGroup: '<script>alert(1)</script>', freeFrom: '2027-01-15', count: '1' },
    { forGroup: 'older', freeFrom: '2027-01-15', count: '0' },
    { forGroup: 'older', freeFrom: '2027-01-15', count: "1; DROP TABLE queue_vacancies; --" },
    { forGroup: 'older', freeFrom: '2027-01-15', count: '9'.repeat(5000) },
  ]) {
    const r = await openVacancy(form);
    assert.equal(r.statusCode, 400, JSON.stringify(form).slice(0, 80));
    assert.match(r.body, /ds-error-summary|Det finns ett problem|role="alert"/);
    assert.doesNotMatch(r.body, /<script>alert/);
  }
  const kept = await openVacancy({ forGroup: 'older', freeFrom: 'nästa vecka', count: '2' });
  assert.match(kept.body, /value="nästa vecka"/, 'the typed date is kept');
  assert.match(kept.body, /Skriv ett datum som 2027-01-15/);
  assert.equal(await vacancyCount(), 0);
});

test('a free place goes to the first in line of its age group, who sees it on the case page and answers with e-ID', async () => {
  const line = await inLine();
  assert.equal(line.length, 4);
  const older = line.filter((id) => id !== olle.caseId);
  const r = await openVacancy({ forGroup: 'older', freeFrom: '2027-01-15', count: '1' });
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `${HERE}?done=vacancyOffered#places`);
  const [offer] = await openOffers();
  assert.equal(offer!.case_id, older[0], 'the first of the age group in line');
  assert.ok((await journalKinds(offer!.case_id)).includes('queue_offer_made'));

  const first = applicants.get(offer!.case_id)!;
  const casePage = await get(first, `/my/cases/${offer!.case_id}`);
  assert.match(casePage.body, /Erbjuden plats/);
  assert.match(casePage.body, /Ni erbjuds en plats på Hamnens förskola från och med/);
  assert.ok(casePage.body.includes(`/my/cases/${offer!.case_id}/offers/${offer!.id}`));

  // Someone else: no such case; the answer page of the applicant: the question is the heading.
  assert.equal((await get(jonas, `/my/cases/${offer!.case_id}/offers/${offer!.id}`)).statusCode, 404);
  const answerPage = await get(first, `/my/cases/${offer!.case_id}/offers/${offer!.id}`);
  assert.equal(answerPage.statusCode, 200);
  assert.match(answerPage.body, /<legend[^>]*><h1[^>]*>Vill ni ta emot platsen\?<\/h1>/);

  // No answer, or one that is none of the two: the page again with the error, nothing written.
  for (const answer of ['', 'maybe', '<img src=x onerror=alert(1)>']) {
    const bad = await post(first, `/my/cases/${offer!.case_id}/offers/${offer!.id}`, { answer }, answerPage.body);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Välj om ni tar emot platsen eller tackar nej/);
    assert.doesNotMatch(bad.body, /<img src=x/);
  }
  assert.equal((await openOffers()).length, 1);

  // A decline: this queue is left (the others kept), and the place goes on to the next in line.
  const declined = await post(first, `/my/cases/${offer!.case_id}/offers/${offer!.id}`, { answer: 'decline' }, answerPage.body);
  assert.equal(declined.statusCode, 303);
  assert.equal(declined.headers.location, `/my/cases/${offer!.case_id}?done=offerDeclined#notice`);
  assert.ok(!(await inLine()).includes(offer!.case_id));
  assert.equal(await status(offer!.case_id), offer!.case_id === elsa.caseId ? 'submitted' : 'offer_declined', 'Elsa also queues for Solrosen; the others queued only here');
  const [next] = await openOffers();
  assert.equal(next!.case_id, older[1], 'the next of the age group in line');
  assert.equal(next!.vacancy_id, offer!.vacancy_id);
  // Answering again: the offer is closed.
  const again = await post(first, `/my/cases/${offer!.case_id}/offers/${offer!.id}`, { answer: 'accept' }, answerPage.body);
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /går inte att svara på längre/);

  // The next accepts: placed, out of every queue, the place filled.
  const second = applicants.get(next!.case_id)!;
  const accepted = await post(second, `/my/cases/${next!.case_id}/offers/${next!.id}`, { answer: 'accept' }, `/my/cases/${next!.case_id}/offers/${next!.id}`);
  assert.equal(accepted.statusCode, 303);
  assert.equal(await status(next!.case_id), 'placed');
  assert.ok(!(await inLine()).includes(next!.case_id));
  const kinds = await journalKinds(next!.case_id);
  assert.deepEqual(kinds.filter((k) => k.startsWith('queue_offer')), ['queue_offer_made', 'queue_offer_accepted']);
  const after = await get(second, `/my/cases/${next!.case_id}?done=offerAccepted`);
  assert.match(after.body, /Ni har tagit emot platsen/);
  assert.match(after.body, /Ni har tagit emot en plats på Hamnens förskola/);
  // Headed as what it now is: the family's place, not an offer; staff read it in the third person.
  assert.match(after.body, /<h2[^>]*id="queue-offer-h"[^>]*>Er plats<\/h2>/);
  assert.doesNotMatch(after.body, /Erbjuden plats/);
  const handled = await get(hanna, `/staff/cases/${next!.case_id}`);
  assert.match(handled.body, /<h2[^>]*id="queue-offer-h"[^>]*>Tilldelad plats<\/h2>/);
  assert.match(handled.body, /Har tagit emot en plats på Hamnens förskola/);
  const staff = await get(hanna, HERE);
  assert.match(staff.body, /Tillsatt: FSK-/);
  const { rows } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND payload->>'subject' LIKE 'Ni erbjuds en plats%'", []);
  assert.ok(rows[0]!.n >= 2, 'each offer is e-mailed');
});

test('a place of an age group skips those outside it; silence past the deadline is a decline', async () => {
  const r = await openVacancy({ forGroup: 'toddlers', freeFrom: '2027-01-15', count: '1' });
  assert.equal(r.statusCode, 303);
  const offer = (await openOffers()).find((o) => o.case_id === olle.caseId);
  assert.ok(offer, "Olle is the only one in line who is 1–2 on the place's first day");

  // Fifteen days on, the job lapses the offer: Olle queued only here, so the application leaves.
  t.clock.set('2026-12-09T10:00:00Z');
  // Sessions do not last a fortnight: in again.
  anna = await signInResident(t, NORRBY, ANNA);
  hanna = await staffSession(t, NORRBY, hanna.staffId, HANNA.displayName);
  const late = await post(anna, `/my/cases/${olle.caseId}/offers/${offer!.id}`, { answer: 'accept' }, (await get(anna, `/my/cases/${olle.caseId}`)).body);
  assert.equal(late.statusCode, 409, 'past the deadline no answer is taken');
  const n = await runOffers(t.app, t.tdb.db, t.clock.now(), () => `http://${NORRBY}`);
  assert.ok(n >= 1);
  assert.equal(await status(olle.caseId), 'offer_declined');
  assert.ok((await journalKinds(olle.caseId)).includes('queue_offer_expired'));
  // The toddlers' place waits for someone who fits.
  assert.equal((await openOffers()).filter((o) => o.vacancy_id === offer!.vacancy_id).length, 0);
  assert.match((await get(hanna, HERE)).body, /Ingen i kön passar ännu/);
});

test("staff's places bound the places opened, and an edit is kept", async () => {
  const saved = await post(hanna, `${HERE}/places`, { ageGroup: 'older', from: '2026-08-01', seats: '1' }, HERE);
  assert.equal(saved.statusCode, 303);
  const refused = await openVacancy({ forGroup: 'older', freeFrom: '2027-02-01', count: '1' });
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /Det finns bara 0 lediga platser i åldersgruppen den dagen/);
  assert.match(refused.body, /value="2027-02-01"/);
  const bad = await post(hanna, `${HERE}/places`, { ageGroup: 'older', from: '2026-13-01', seats: '-3' }, HERE);
  assert.equal(bad.statusCode, 400);
  const { rows } = await tdb.query<{ seats: number }>('SELECT seats FROM queue_capacities WHERE tenant_id = $1 AND queue = $2', [UNIT]);
  assert.deepEqual(rows.map((r) => r.seats), [1]);
});

test('staff see the applications past their guaranteed date, and the applicant sees the date', async () => {
  const ours = [elsa, nils, maja, olle];
  const { rows } = await tdb.query<{ case_id: string }>('SELECT DISTINCT case_id FROM queue_entries WHERE tenant_id = $1 AND case_id = ANY($2::uuid[])', [ours.map((c) => c.caseId)]);
  const queued = ours.filter((c) => rows.some((r) => r.case_id === c.caseId));
  assert.ok(queued.length >= 1, 'someone still queues');
  // Queued 2026-11-23 asking for 2027-04-01: four months is earlier, so the date asked for counts.
  const who = { [elsa.caseId]: ANNA, [nils.caseId]: KARIN, [maja.caseId]: ERIK, [olle.caseId]: ANNA }[queued[0]!.caseId]!;
  const page = await get(await signInResident(t, NORRBY, who), `/my/cases/${queued[0]!.caseId}`);
  assert.match(page.body, /Ni har rätt till en plats senast 1 april 2027/);
  const before = await get(hanna, '/staff/queues');
  assert.match(before.body, /ingen har väntat längre än garantin/);
  t.clock.set('2027-04-11T10:00:00Z');
  hanna = await staffSession(t, NORRBY, hanna.staffId, HANNA.displayName);
  const afterPage = await get(hanna, '/staff/queues');
  assert.match(afterPage.body, /Platsgaranti/);
  for (const c of queued) assert.ok(afterPage.body.includes(c.reference), `${c.reference} queues ten days past its date`);
  for (const c of ours.filter((x) => !queued.includes(x))) assert.ok(!afterPage.body.includes(c.reference), `${c.reference} no longer queues`);
});
