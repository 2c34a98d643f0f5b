/**
 * Courses with seats over HTTP (issue 10): Norrby's adult swimming course has six places. Six people
 * enrol and get them; the seventh and eighth are put on the waiting list, in that order; when one
 * of the six gives up the place, the seventh moves up at once and is e-mailed, the eighth still
 * waits. The course's week page shows places left, then "full – waiting list".
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, type SignedIn } from '../../test/helpers/sign-in.ts';
import { syntheticResident } from '../../test/helpers/test-people.ts';
import { instantOf } from './time.ts';

const t = await createTestApp({ now: '2026-11-23T09:00:00Z' });
after(() => t.close());

const SERVICE = 'simkurs';
const COURSE = 'nby-vuxensim';
const START = instantOf('2027-01-23', '09:00').toISOString();
const rows = <T>(sql: string, params: unknown[] = []) => t.tdb.db.query(sql, params).then((x) => x.rows as T[]);

async function get(who: SignedIn | undefined, url: string) {
  const res = await t.app.inject({ url, headers: { host: NORRBY, ...(who ? { cookie: who.jar.header() } : {}) } });
  who?.jar.store(res.headers['set-cookie']);
  return res;
}
async function post(who: SignedIn, url: string, form: Record<string, string>, page: string) {
  const res = await t.app.inject({ method: 'POST', url, headers: { host: NORRBY, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ ...form, _csrf: csrfFrom(page) }).toString() });
  who.jar.store(res.headers['set-cookie']);
  return res;
}

/** Person i enrols in the course; returns their case id and where the submission sent them. */
async function enrol(i: number): Promise<{ who: SignedIn; caseId: string; to: string }> {
  const who = await signInResident(t, NORRBY, syntheticResident(i));
  const start = await get(who, `/services/${SERVICE}/apply?resource=${COURSE}&start=${encodeURIComponent(START)}`);
  const step = await get(who, String(start.headers.location));
  assert.equal(step.statusCode, 200, String(start.headers.location));
  const draftId = /\/apply\/([0-9a-f-]{36})\/time/.exec(String(start.headers.location))![1]!;
  assert.equal((await post(who, `/apply/${draftId}/time`, { resource: COURSE, slot: START }, step.body)).headers.location, `/apply/${draftId}/swimmer`);
  let page = await get(who, `/apply/${draftId}/swimmer`);
  await post(who, `/apply/${draftId}/swimmer`, { swimmerName: `Simmare ${i}`, canFloat: 'no' }, page.body);
  page = await get(who, `/apply/${draftId}/contact`);
  await post(who, `/apply/${draftId}/contact`, { email: `simmare${i}@example.se` }, page.body);
  const check = await get(who, `/apply/${draftId}/check`);
  const sent = await post(who, `/apply/${draftId}/submit`, {}, check.body);
  const [d] = await rows<{ submitted_case_id: string }>('SELECT submitted_case_id FROM drafts WHERE id = $1', [draftId]);
  return { who, caseId: d!.submitted_case_id, to: String(sent.headers.location) };
}

test('six places, then the waiting list in order; a place given up goes to the first waiting, who is e-mailed', async () => {
  const before = await get(undefined, `/services/${SERVICE}/book?resource=${COURSE}&week=2027-01-23`);
  assert.match(before.body, /6 platser kvar/);
  const people = [];
  for (let i = 0; i < 8; i++) people.push(await enrol(i));
  for (const p of people) assert.match(p.to, /\/confirmation$/, 'the sign-up is sent, with a place or on the waiting list');
  const statuses = await rows<{ case_id: string; status: string }>(`SELECT b.case_id, b.status FROM bookings b JOIN cases c ON c.id = b.case_id WHERE b.service_id = $1 ORDER BY c.reference`, [SERVICE]);
  assert.deepEqual(statuses.map((s) => s.status), ['booked', 'booked', 'booked', 'booked', 'booked', 'booked', 'waiting', 'waiting']);
  const seventh = people[6]!;
  const confirmation = await get(seventh.who, seventh.to);
  assert.match(confirmation.body, /Du står på väntelistan/);
  assert.match((await get(seventh.who, `/my/cases/${seventh.caseId}`)).body, /På väntelistan/);
  const full = await get(undefined, `/services/${SERVICE}/book?resource=${COURSE}&week=2027-01-23`);
  assert.match(full.body, /fullt – väntelista \(2 väntar\)/);

  // The second person gives up their place.
  const second = people[1]!;
  const confirm = await get(second.who, `/my/cases/${second.caseId}/booking/cancel`);
  const left = await post(second.who, `/my/cases/${second.caseId}/booking/cancel`, {}, confirm.body);
  assert.equal(left.headers.location, `/my/cases/${second.caseId}?booking=cancelled`, `${left.statusCode} ${left.body.slice(0, 300)}`);
  const after = await rows<{ case_id: string; status: string }>(`SELECT b.case_id, b.status FROM bookings b JOIN cases c ON c.id = b.case_id WHERE b.service_id = $1 ORDER BY c.reference`, [SERVICE]);
  assert.deepEqual(after.map((s) => s.status), ['booked', 'cancelled', 'booked', 'booked', 'booked', 'booked', 'booked', 'waiting'], 'the seventh moved up, the eighth still waits');
  const [seats] = await rows<{ taken: number; capacity: number }>('SELECT taken, capacity FROM booking_seats WHERE resource_id = $1', [`swimming-courses/${COURSE}`]);
  assert.deepEqual(seats, { taken: 6, capacity: 6 });
  const mail = await rows<{ to: string; subject: string }>(`SELECT payload->>'to' AS to, payload->>'subject' AS subject FROM outbox WHERE payload->>'subject' LIKE 'Du har fått en plats%'`);
  assert.deepEqual(mail.map((m) => m.to), ['simmare6@example.se']);
  assert.match((await get(seventh.who, `/my/cases/${seventh.caseId}`)).body, /Bokad/);
  // The eighth may leave the waiting list too; nobody moves up into no place.
  const eighth = people[7]!;
  const c8 = await get(eighth.who, `/my/cases/${eighth.caseId}/booking/cancel`);
  await post(eighth.who, `/my/cases/${eighth.caseId}/booking/cancel`, {}, c8.body);
  const [last] = await rows<{ status: string }>('SELECT status FROM bookings WHERE case_id = $1', [eighth.caseId]);
  assert.equal(last?.status, 'cancelled');
  const [still] = await rows<{ taken: number }>('SELECT taken FROM booking_seats WHERE resource_id = $1', [`swimming-courses/${COURSE}`]);
  assert.equal(still?.taken, 6);
});

test("the courses' list says when each next has a time, and links to that week, rather than 'no free times today'", async () => {
  const list = await get(undefined, `/services/${SERVICE}/book`);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Välj en kurs eller grupp\./, 'courses, not venues');
  const card = list.body.split('<li class="mb-card">').find((c) => c.includes(`resource=${COURSE}`))!;
  assert.match(card, /Inga tider måndag 23 november\. Nästa tid är lördag 23 januari\./);
  assert.match(card, new RegExp(`resource=${COURSE}&amp;week=2027-01-23`));
  const week = await get(undefined, `/services/${SERVICE}/book?resource=${COURSE}&week=2027-01-23`);
  assert.match(week.body, /lördag 23 januari/);
  assert.match(week.body, /09:00/);
});

test("a course's name follows the page's language where the register gives both", async () => {
  const english = (url: string) => t.app.inject({ url, headers: { host: NORRBY, cookie: 'mb_lang=en' } });
  const list = await english(`/services/${SERVICE}/book`);
  assert.match(list.body, /Learn to swim – adults, Saturdays from 23 January/);
  assert.doesNotMatch(list.body, /Lär dig simma/);
  const week = await english(`/services/${SERVICE}/book?resource=${COURSE}&week=2027-01-23`);
  assert.match(week.body, /<strong>Learn to swim – adults, Saturdays from 23 January<\/strong>/);
  const swedish = await get(undefined, `/services/${SERVICE}/book?resource=${COURSE}&week=2027-01-23`);
  assert.match(swedish.body, /<strong>Lär dig simma – vuxna, lördagar från 23 januari<\/strong>/);
});
