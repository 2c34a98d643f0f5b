/**
 * Calendar feeds of bookings over HTTP (issue 10): a resource's public feed shows when it is busy and
 * nothing of who or why; a resident's own feed at a secret address (the token shown once, only its
 * SHA-256 stored) lists their bookings, and renewing or removing it ends the old address at once.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createTestApp, csrfFrom, NORRBY, SODERA } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, ERIK, type SignedIn } from '../../test/helpers/sign-in.ts';
import { instantOf } from './time.ts';

const NOW = '2026-11-23T09:00:00Z';
const SERVICE = 'boka-idrottshall';
const GYM = 'nby-centrumskolan-gympasal'; // free of charge: booked at once
const t = await createTestApp({ now: NOW });
after(() => t.close());
const rows = <T>(sql: string, params: unknown[] = []) => t.tdb.db.query(sql, params).then((x) => x.rows as T[]);

async function get(who: SignedIn | undefined, url: string, headers: Record<string, string> = {}, host = NORRBY) {
  const res = await t.app.inject({ url, headers: { host, ...(who ? { cookie: who.jar.header() } : {}), ...headers } });
  who?.jar.store(res.headers['set-cookie']);
  return res;
}
async function post(who: SignedIn, url: string, form: Record<string, string>, page: string) {
  const res = await t.app.inject({ method: 'POST', url, headers: { host: NORRBY, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ ...form, _csrf: csrfFrom(page) }).toString() });
  who.jar.store(res.headers['set-cookie']);
  return res;
}
async function follow(who: SignedIn, res: Awaited<ReturnType<typeof get>>) {
  let r = res;
  for (let i = 0; i < 10 && r.statusCode >= 300 && r.statusCode < 400; i++) r = await get(who, String(r.headers.location));
  return r;
}
const at = (date: string, time: string) => instantOf(date, time).toISOString();

/** Books the free gym over HTTP, as the resident would; its case's id and reference. */
async function bookGym(who: SignedIn, date: string, time: string) {
  const start = at(date, time);
  const whomFor = await follow(who, await get(who, `/services/${SERVICE}/apply?resource=${GYM}&start=${encodeURIComponent(start)}`));
  const step = await follow(who, await post(who, `/services/${SERVICE}/organisation`, { organisation: 'self' }, whomFor.body));
  const draftId = /\/apply\/([0-9a-f-]{36})\/time/.exec(step.body)![1]!;
  await post(who, `/apply/${draftId}/time`, { resource: GYM, slot: start }, step.body);
  let page = await get(who, `/apply/${draftId}/purpose`);
  await post(who, `/apply/${draftId}/purpose`, { activity: 'training', participants: '10' }, page.body);
  page = await get(who, `/apply/${draftId}/contact`);
  await post(who, `/apply/${draftId}/contact`, { email: 'hemlig.bokare@example.se', phone: '070-123 45 67' }, page.body);
  const check = await get(who, `/apply/${draftId}/check`);
  assert.equal((await post(who, `/apply/${draftId}/submit`, {}, check.body)).headers.location, `/apply/${draftId}/confirmation`);
  const [b] = await rows<{ id: string; case_id: string; reference: string }>(`SELECT b.id, b.case_id, c.reference FROM bookings b JOIN cases c ON c.id = b.case_id WHERE b.details->>'draftId' = $1`, [draftId]);
  return { bookingId: b!.id, caseId: b!.case_id, reference: b!.reference };
}

const anna = await signInResident(t, NORRBY, ANNA);
const annas = await bookGym(anna, '2026-11-30', '17:00');
const annasSecond = await bookGym(anna, '2026-12-01', '18:00');
const erik = await signInResident(t, NORRBY, ERIK);
const eriks = await bookGym(erik, '2026-11-30', '19:00');
// A block by staff, with a reason that must not reach the public.
const frida = await signInStaff(t, NORRBY, { username: 'frida', displayName: 'Frida Fritid', roles: ['handler'], departments: ['culture-and-leisure'] });
{
  const page = await get(frida, `/staff/bookings?service=${SERVICE}&resource=${GYM}&week=2026-11-30`);
  const r = await post(frida, '/staff/bookings/blocks', { service: SERVICE, resource: GYM, date: '2026-12-02', from: '17:00', to: '21:00', reason: 'Hemlig anledning' }, page.body);
  assert.equal(r.statusCode, 303);
}
const PUBLIC_FEED = `/services/${SERVICE}/book/${GYM}/calendar.ics`;

test("a resource's public feed shows its busy times and nothing of who booked, why or which case", async () => {
  const res = await get(undefined, PUBLIC_FEED);
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
  assert.equal(res.headers['cache-control'], 'public, max-age=300');
  assert.match(res.body, /^BEGIN:VCALENDAR\r\n/);
  assert.match(res.body, /X-WR-CALNAME:Centrumskolans gymnastiksal – upptagna tider/);
  const events = res.body.split('BEGIN:VEVENT').slice(1);
  assert.equal(events.length, 4, 'three bookings and a block');
  assert.ok(events.every((e) => /SUMMARY:Upptaget\r\n/.test(e) && /LOCATION:Skolgatan 21\\, Norrby\r\n/.test(e)));
  assert.match(res.body, /DTSTART:20261130T160000Z\r\nDTEND:20261130T170000Z/);
  assert.match(res.body, /DTSTART:20261202T160000Z\r\nDTEND:20261202T200000Z/, 'the block, as busy');
  // Nothing personal: no names, no addresses, no case or booking ids, no references, no block reason.
  for (const secret of ['Anna', 'Andersson', 'Erik', 'Berg', 'hemlig.bokare', 'Hemlig anledning', annas.caseId, annas.bookingId, annas.reference, eriks.caseId, eriks.bookingId, eriks.reference, 'BOK-', '/my/cases', 'DESCRIPTION', 'URL:']) {
    assert.ok(!res.body.includes(secret), `the public feed shows "${secret}"`);
  }
  // The UIDs stay the same from one fetch to the next (a calendar updates what it has).
  const again = await get(undefined, PUBLIC_FEED);
  assert.deepEqual([...again.body.matchAll(/UID:(.*)\r\n/g)].map((m) => m[1]), [...res.body.matchAll(/UID:(.*)\r\n/g)].map((m) => m[1]));
  // In English; a cancelled booking is no longer busy.
  const english = await get(undefined, PUBLIC_FEED, { 'accept-language': 'en' });
  assert.match(english.body, /SUMMARY:Busy\r\n/);
  // Only a booking service's own resources; another municipality does not have it.
  assert.equal((await get(undefined, `/services/${SERVICE}/book/nby-okand/calendar.ics`)).statusCode, 404);
  assert.equal((await get(undefined, `/services/forskola/book/${GYM}/calendar.ics`)).statusCode, 404);
  assert.equal((await get(undefined, PUBLIC_FEED, {}, SODERA)).statusCode, 404);
});

test("a resident's own feed: a secret address made on their page, only its hash stored, the old one dead at once when renewed", async () => {
  // Signed in only.
  const out = await get(undefined, '/my/bookings/calendar');
  assert.equal(out.statusCode, 303);
  assert.match(String(out.headers.location), /^\/sign-in/);
  let page = await get(anna, '/my/bookings/calendar');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Du har ingen kalenderlänk/);
  assert.match(page.body, /Skapa en kalenderlänk/);

  const made = await post(anna, '/my/bookings/calendar', { do: 'renew' }, page.body);
  assert.equal(made.statusCode, 200);
  assert.equal(made.headers['cache-control'], 'no-store');
  const token = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(made.body)?.[1];
  assert.ok(token, 'the address is shown once');
  assert.match(made.body, new RegExp(`value="http://norrby.localhost/calendar/${token}.ics"`));
  assert.match(made.body, new RegExp(`href="webcal://norrby.localhost/calendar/${token}.ics"`));
  // Only the SHA-256 of the token is stored.
  const stored = await rows<Record<string, unknown>>('SELECT * FROM booking_feeds');
  assert.equal(stored.length, 1);
  assert.equal(stored[0]!.token_hash, createHash('sha256').update(token).digest('hex'));
  assert.ok(!JSON.stringify(stored).includes(token));

  const feed = await get(undefined, `/calendar/${token}.ics`);
  assert.equal(feed.statusCode, 200);
  assert.equal(feed.headers['content-type'], 'text/calendar; charset=utf-8');
  assert.equal(feed.headers['cache-control'], 'private, no-store');
  assert.match(feed.body, /X-WR-CALNAME:Mina bokningar/);
  assert.match(feed.body, new RegExp(`UID:${annas.bookingId}@norrby.localhost`));
  assert.match(feed.body, /SUMMARY:Centrumskolans gymnastiksal – Boka idrottshall eller plan\r\n/);
  assert.match(feed.body, new RegExp(`DESCRIPTION:${annas.reference}`));
  assert.match(feed.body, new RegExp(`URL:http://norrby.localhost/my/cases/${annas.caseId}`));
  assert.match(feed.body, /STATUS:CONFIRMED/);
  assert.equal(feed.body.split('BEGIN:VEVENT').length - 1, 2, "Anna's two bookings");
  // The case's own calendar file is the same event (its UID and sequence), also on a site with a port: imported and subscribed to, one entry.
  const file = await get(anna, `/my/cases/${annas.caseId}/booking.ics`, {}, `${NORRBY}:8443`);
  const ofFile = (body: string) => ['UID', 'SEQUENCE', 'STATUS'].map((k) => new RegExp(`${k}:(.*)\r\n`).exec(body.split('BEGIN:VEVENT').find((e) => e.includes(annas.bookingId))!)?.[1]);
  assert.deepEqual(ofFile(file.body), ofFile(feed.body));
  assert.ok(!feed.body.includes(eriks.caseId) && !feed.body.includes(eriks.reference), "none of Erik's");

  // Anna cancels one: her feed shows it cancelled (a calendar removes it), with a higher sequence.
  const cancel = await get(anna, `/my/cases/${annasSecond.caseId}/booking/cancel`);
  await post(anna, `/my/cases/${annasSecond.caseId}/booking/cancel`, {}, cancel.body);
  const after = await get(undefined, `/calendar/${token}.ics`);
  const second = after.body.split('BEGIN:VEVENT').find((e) => e.includes(annasSecond.bookingId))!;
  assert.match(second, /STATUS:CANCELLED/);
  assert.match(second, /SEQUENCE:2/);

  // Renewed: the old address is gone at once, the new one works.
  page = await get(anna, '/my/bookings/calendar');
  assert.match(page.body, /Du skapade en kalenderlänk 23 november 2026/);
  assert.doesNotMatch(page.body, new RegExp(token), 'never shown again');
  const renewed = await post(anna, '/my/bookings/calendar', { do: 'renew' }, page.body);
  const fresh = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(renewed.body)![1]!;
  assert.notEqual(fresh, token);
  const old = await get(undefined, `/calendar/${token}.ics`);
  assert.equal(old.statusCode, 404);
  assert.match(old.body, /<html lang="sv"/);
  assert.doesNotMatch(old.body, /BEGIN:VCALENDAR|Andersson/);
  assert.equal((await get(undefined, `/calendar/${fresh}.ics`)).statusCode, 200);
  assert.equal((await rows('SELECT 1 FROM booking_feeds')).length, 1, 'one feed per person');
  // Not on another municipality's host, and a malformed token is not looked up.
  assert.equal((await get(undefined, `/calendar/${fresh}.ics`, {}, SODERA)).statusCode, 404);
  for (const bad of ['x', `${fresh}x`, "' OR 1=1 --", '..%2F..%2Fetc%2Fpasswd']) assert.equal((await get(undefined, `/calendar/${bad}.ics`)).statusCode, 404, bad);

  // Removed: the address stops working.
  page = await get(anna, '/my/bookings/calendar');
  const removed = await post(anna, '/my/bookings/calendar', { do: 'remove' }, page.body);
  assert.equal(removed.headers.location, '/my/bookings/calendar?done=removed');
  assert.match((await get(anna, '/my/bookings/calendar?done=removed')).body, /Kalenderlänken är borttagen/);
  assert.equal((await get(undefined, `/calendar/${fresh}.ics`)).statusCode, 404);
  // Anything but renew or remove is a bad request; no token, no form.
  assert.equal((await post(anna, '/my/bookings/calendar', { do: 'steal' }, page.body)).statusCode, 400);
  const noToken = await t.app.inject({ method: 'POST', url: '/my/bookings/calendar', headers: { host: NORRBY, cookie: anna.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: 'do=renew' });
  assert.equal(noToken.statusCode, 419);
  assert.equal((await rows('SELECT 1 FROM booking_feeds')).length, 0);
});

test("one resident's feed never shows another's bookings, and follows the resident's language", async () => {
  const eve = await signInResident(t, NORRBY, { personalNumber: '199001019802', givenName: 'Eve', familyName: 'English' }, 'en');
  const eves = await bookGym(eve, '2026-12-03', '20:00');
  const page = await get(eve, '/my/bookings/calendar');
  assert.match(page.body, /You have no calendar link/);
  const made = await post(eve, '/my/bookings/calendar', { do: 'renew' }, page.body);
  assert.match(made.body, /Your new calendar link is made/);
  const token = /\/calendar\/([A-Za-z0-9_-]{43})\.ics/.exec(made.body)![1]!;
  const feed = await get(undefined, `/calendar/${token}.ics`);
  assert.match(feed.body, /X-WR-CALNAME:My bookings/);
  assert.match(feed.body, /SUMMARY:Centrumskolans gymnastiksal – Book a sports hall or pitch/);
  assert.equal(feed.body.split('BEGIN:VEVENT').length - 1, 1);
  assert.ok(feed.body.includes(eves.bookingId));
  for (const other of [annas.bookingId, annas.reference, eriks.bookingId, eriks.reference]) assert.ok(!feed.body.includes(other), other);
});
