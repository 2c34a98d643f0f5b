/**
 * A civil wedding at the City Hall over HTTP (issue 10): a couple without a Swedish e-ID confirms an
 * e-mail address and books a ceremony — the room they chose and an officiant free then, both held
 * by the database; the case follows by its private link. When the only officiant working at a time
 * is taken, the other room shows that time taken and refuses it with the nearest free times.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { CookieJar, createTestApp, csrfFrom, NORRBY } from '../../test/helpers/app.ts';
import type { SignedIn } from '../../test/helpers/sign-in.ts';
import { verifyAddress } from '../../test/generated/audiences.ts';
import { instantOf } from './time.ts';

const t = await createTestApp({ now: '2026-11-23T09:00:00Z' });
after(() => t.close());

const SERVICE = 'borgerlig-vigsel';
const rows = <T>(sql: string, params: unknown[] = []) => t.tdb.db.query(sql, params).then((x) => x.rows as T[]);
const browser = (): SignedIn => ({ residentId: '', jar: new CookieJar(), host: NORRBY });

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

/** A couple without e-ID: the address confirmed, then the time step of a new draft. */
async function couple(email: string) {
  const who = browser();
  const start = await get(who, `/services/${SERVICE}/apply`);
  assert.match(String(start.headers.location), /^\/verify-email/, 'without e-ID the address is confirmed first');
  await verifyAddress(t, who, email, `/services/${SERVICE}/apply`);
  const again = await get(who, `/services/${SERVICE}/apply`);
  const draftId = /\/apply\/([0-9a-f-]{36})\/time/.exec(String(again.headers.location))?.[1];
  assert.ok(draftId, String(again.headers.location));
  return { who, draftId };
}

async function answerAll(who: SignedIn, draftId: string, email: string) {
  const answers: [string, Record<string, string>][] = [
    ['couple', { partnerOne: 'Alex Martin', partnerTwo: 'Sam Martin' }],
    ['witnesses', { witnessOne: 'Kim Berg', witnessTwo: 'Robin Ek' }],
    ['ceremony', { language: 'en' }],
    ['documents', {}],
    ['contact', { email, phone: '' }],
  ];
  for (const [step, form] of answers) {
    const page = await get(who, `/apply/${draftId}/${step}`);
    const res = await post(who, `/apply/${draftId}/${step}`, form, page.body);
    assert.equal(res.statusCode, 303, `${step}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
  return get(who, `/apply/${draftId}/check`);
}

// Saturday 6 February 2027: Eva Lindqvist works 10–13, Samir Haddad 10–15.
const SAT_1300 = instantOf('2027-02-06', '13:00').toISOString();

test('a couple without e-ID books a ceremony: the room and an officiant are held, the case follows by its link', async () => {
  const { who, draftId } = await couple('alex@example.com');
  const step = await get(who, `/apply/${draftId}/time?resource=nby-vigselrummet&week=2027-02-06`);
  assert.equal(step.statusCode, 200);
  const chosen = await post(who, `/apply/${draftId}/time`, { resource: 'nby-vigselrummet', slot: SAT_1300 }, step.body);
  assert.equal(chosen.headers.location, `/apply/${draftId}/couple`);
  const check = await answerAll(who, draftId, 'alex@example.com');
  assert.match(check.body, /lördag 6 februari 13:00–13:20/);
  const sent = await post(who, `/apply/${draftId}/submit`, {}, check.body);
  assert.equal(sent.headers.location, `/apply/${draftId}/confirmation`);
  const confirmation = await get(who, `/apply/${draftId}/confirmation`);
  assert.match(confirmation.body, /Din tid är bokad/);
  const follow = /href="(\/follow\/[A-Za-z0-9_-]{43})"/.exec(confirmation.body)?.[1];
  assert.ok(follow, 'the private follow link');
  // The link, opened anywhere, shows the booking.
  const followed = await get(browser(), follow);
  assert.match(followed.body, /Din bokning/);
  assert.match(followed.body, /Vigselrummet, Norrby stadshus, Storgatan 1, Norrby/);
  assert.match(followed.body, /lördag 6 februari 13:00–13:20/);
  // Its calendar file by the same link; with one character changed, nothing.
  const ics = await get(browser(), `${follow}/booking.ics`);
  assert.equal(ics.headers['content-type'], 'text/calendar; charset=utf-8');
  assert.match(ics.body, /DTSTART:20270206T120000Z/);
  assert.equal((await get(browser(), `${follow.slice(0, -1)}${follow.endsWith('A') ? 'B' : 'A'}/booking.ics`)).statusCode, 404);
  // The e-mail with the private link says what was booked.
  const mails = await rows<{ text: string }>(`SELECT payload->>'text' AS text FROM outbox WHERE payload->>'to' = 'alex@example.com' AND payload->>'text' LIKE '%/follow/%'`);
  assert.equal(mails.length, 1);
  assert.match(mails[0]!.text, /Tid och plats: Vigselrummet, Norrby stadshus, Storgatan 1, Norrby, lördag 6 februari 13:00–13:20\./);
  // The couple's cases by their confirmed address name the ceremony's room and time.
  const mine = await get(who, '/follow/mine');
  assert.match(mine.body, /borgerlig vigsel[^<]*<\/a> \(Vigselrummet, Norrby stadshus, lördag 6 februari 13:00–13:20\)/);
  const claims = await rows<{ resource_id: string }>(`SELECT c.resource_id FROM booking_claims c JOIN bookings b ON b.id = c.booking_id WHERE b.service_id = $1 AND c.active ORDER BY c.resource_id`, [SERVICE]);
  // At 13:00 only Samir Haddad works (Eva Lindqvist's Saturday ends at 13:00).
  assert.deepEqual(claims.map((c) => c.resource_id), ['ceremony-rooms/nby-vigselrummet', 'officiants/nby-officiant-haddad']);
  const [party] = await rows<{ kind: string; email: string }>(`SELECT p.kind, p.email FROM case_parties p JOIN bookings b ON b.case_id = p.case_id WHERE b.service_id = $1 AND p.role = 'applicant'`, [SERVICE]);
  assert.deepEqual(party, { kind: 'email', email: 'alex@example.com' });
});

test('with the only officiant of a time taken, the other room shows it taken and refuses it, offering the nearest free times', async () => {
  const week = await get(undefined, `/services/${SERVICE}/book?resource=nby-radhussalen&week=2027-02-06`);
  assert.match(week.body, /<\/span>13:00 <span class="mb-hint">\(upptagen\)<\/span>/, 'no officiant is free at 13:00');
  assert.match(week.body, /Boka lördag 6 februari <\/span>12:30/, 'at 12:30 both officiants work');
  assert.match(week.body, /Du kan boka senast 7 dagar innan och upp till 365 dagar framåt\./, 'a week, not 168 hours');
  const { who, draftId } = await couple('jo@example.com');
  const step = await get(who, `/apply/${draftId}/time?resource=nby-radhussalen&week=2027-02-06`);
  const refused = await post(who, `/apply/${draftId}/time`, { resource: 'nby-radhussalen', slot: SAT_1300 }, step.body);
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /De närmaste lediga tiderna/);
  assert.match(refused.body, /lördag 6 februari 12:30–12:50/);
  // 12:30 in the hall takes Eva Lindqvist, the first officiant free then.
  const chosen = await post(who, `/apply/${draftId}/time`, { resource: 'nby-radhussalen', slot: instantOf('2027-02-06', '12:30').toISOString() }, refused.body);
  assert.equal(chosen.headers.location, `/apply/${draftId}/couple`);
  const check = await answerAll(who, draftId, 'jo@example.com');
  assert.equal((await post(who, `/apply/${draftId}/submit`, {}, check.body)).headers.location, `/apply/${draftId}/confirmation`);
  const [officiant] = await rows<{ resource_id: string }>(
    `SELECT c.resource_id FROM booking_claims c JOIN bookings b ON b.id = c.booking_id WHERE b.starts_at = $1 AND c.resource_id LIKE 'officiants/%'`,
    [instantOf('2027-02-06', '12:30')],
  );
  assert.equal(officiant?.resource_id, 'officiants/nby-officiant-lindqvist');
});
