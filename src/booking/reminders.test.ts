/**
 * Reminders before a booking (ADR 0040, amended), on the demo catalogue: the sports venues remind
 * 48 hours before (while a booking can still be cancelled, until 24 hours before), weddings a week
 * before. Each booking is reminded once, with its time, place, address and until when and where to
 * cancel, in the case's language, and its case's history says so; a cancelled booking, one made after
 * its reminder time and one without an address are not mailed; many runs at once remind once.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, CookieJar, NORRBY } from '../../test/helpers/app.ts';
import { journey } from '../../test/helpers/journey.ts';
import { testDialect } from '../../test/helpers/db.ts';
import { signInResident, ANNA, ERIK, KARIN, JONAS, type SignedIn } from '../../test/helpers/sign-in.ts';
import { verifyAddress } from '../../test/generated/audiences.ts';
import { remindBookings } from './reminders.ts';
import { instantOf } from './time.ts';

const NOW = '2026-11-23T09:00:00Z'; // Monday 23 November 2026, 10:00 in Stockholm
const SERVICE = 'boka-idrottshall';
const GYM = 'nby-centrumskolan-gympasal'; // Monday to Thursday 17–21, free of charge, Skolgatan 21

const t = await createTestApp({ now: NOW });
after(() => t.close());
const rows = <T>(sql: string, params: unknown[] = []) => t.tdb.db.query(sql, params).then((x) => x.rows as T[]);
const siteUrlOf = () => 'https://norrby.example';
const remindAt = (iso: string) => remindBookings(t.app, t.tdb.db, new Date(iso), siteUrlOf);

const { get, post } = journey(t);
async function follow(who: SignedIn, res: Awaited<ReturnType<typeof get>>) {
  let r = res;
  for (let i = 0; i < 10 && r.statusCode >= 300 && r.statusCode < 400; i++) r = await get(who, String(r.headers.location));
  return r;
}

/** Books the gym over HTTP as the resident would; the booking is confirmed at once (free, no approval). */
async function bookGym(who: SignedIn, date: string, time: string, email: string) {
  const start = instantOf(date, time).toISOString();
  const whomFor = await follow(who, await get(who, `/services/${SERVICE}/apply?resource=${GYM}&start=${encodeURIComponent(start)}`));
  const step = await follow(who, await post(who, `/services/${SERVICE}/organisation`, { organisation: 'self' }, whomFor.body));
  const draftId = /\/apply\/([0-9a-f-]{36})\/time/.exec(step.body)?.[1];
  assert.ok(draftId, step.body.slice(0, 300));
  assert.equal((await post(who, `/apply/${draftId}/time`, { resource: GYM, slot: start }, step.body)).statusCode, 303);
  for (const [name, form] of [['purpose', { activity: 'training', participants: '10' }], ['contact', { email, phone: '070-123 45 67' }]] as const) {
    const page = await get(who, `/apply/${draftId}/${name}`);
    assert.equal((await post(who, `/apply/${draftId}/${name}`, form, page.body)).statusCode, 303, name);
  }
  const check = await get(who, `/apply/${draftId}/check`);
  assert.equal((await post(who, `/apply/${draftId}/submit`, {}, check.body)).headers.location, `/apply/${draftId}/confirmation`);
  const [b] = await rows<{ id: string; case_id: string; status: string }>(`SELECT id, case_id, status FROM bookings WHERE details->>'draftId' = $1`, [draftId]);
  assert.equal(b?.status, 'booked');
  return { bookingId: b.id, caseId: b.case_id };
}

const reminders = (to: string) =>
  rows<{ subject: string; text: string }>(`SELECT payload->>'subject' AS subject, payload->>'text' AS text FROM outbox WHERE payload->>'to' = $1 AND payload->>'subject' ~ '^(Påminnelse|Reminder)'`, [to]);
const remindedEntries = (caseId: string) => rows<{ payload: Record<string, unknown> }>(`SELECT payload FROM journal WHERE case_id = $1 AND kind = 'booking_reminded'`, [caseId]);

test('a booker is reminded once, two days before: the time, the place and its address, until when and where to cancel; the case says so', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  // Monday 30 November 17:00 in Stockholm is 16:00 UTC.
  const { bookingId, caseId } = await bookGym(anna, '2026-11-30', '17:00', 'anna.reminder@example.se');
  assert.equal(await remindAt('2026-11-28T15:30:00Z'), 0, '48.5 hours before: not yet');
  assert.deepEqual(await reminders('anna.reminder@example.se'), []);
  assert.equal(await remindAt('2026-11-28T16:30:00Z'), 1, '47.5 hours before');
  const [mail, ...more] = await reminders('anna.reminder@example.se');
  assert.equal(more.length, 0);
  assert.match(mail!.subject, /^Påminnelse: din bokning måndag 30 november 17:00–18:00/);
  assert.match(mail!.text, /Det här är en påminnelse om din bokning: Centrumskolans gymnastiksal måndag 30 november 17:00–18:00\./);
  assert.match(mail!.text, /Adress: Skolgatan 21, Norrby/);
  // Cancellation is allowed until 24 hours before: Sunday 29 November 17:00.
  assert.match(mail!.text, new RegExp(`avboka senast 29 november 2026( kl\\.)? 17:00 så att någon annan kan använda tiden: https://norrby\\.example/my/cases/${caseId}`));
  assert.match(mail!.text, /Ärende: BOK-/);
  // Once: later runs, however close to the start, write nothing more.
  assert.equal(await remindAt('2026-11-29T10:00:00Z'), 0);
  assert.equal(await remindAt('2026-11-30T15:59:00Z'), 0);
  assert.equal((await reminders('anna.reminder@example.se')).length, 1);
  assert.equal((await remindedEntries(caseId)).length, 1);
  assert.deepEqual((await remindedEntries(caseId))[0]!.payload, { bookingId });
  const page = await get(anna, `/my/cases/${caseId}`);
  assert.match(page.body, /Påminnelse om bokningen skickades/);
});

test('not reminded: a cancelled booking, one made after its reminder time, one that has begun; one in English is mailed in English', async () => {
  const erik = await signInResident(t, NORRBY, ERIK);
  const cancelled = await bookGym(erik, '2026-12-01', '17:00', 'erik.reminder@example.se');
  const casePage = await get(erik, `/my/cases/${cancelled.caseId}/booking/cancel`);
  assert.equal((await post(erik, `/my/cases/${cancelled.caseId}/booking/cancel`, {}, casePage.body)).statusCode, 303);
  // Karin books on Monday 30 November, 10:00, for Tuesday 1 December 19:00: inside the 48 hours already.
  t.clock.set('2026-11-30T09:00:00Z');
  try {
    const karin = await signInResident(t, NORRBY, KARIN);
    const late = await bookGym(karin, '2026-12-01', '19:00', 'karin.reminder@example.se');
    // Jonas reads in English.
    t.clock.set(NOW);
    const jonas = await signInResident(t, NORRBY, JONAS);
    jonas.jar.cookies.set('mb_lang', 'en');
    const english = await bookGym(jonas, '2026-12-02', '18:00', 'jonas.reminder@example.se');
    // Tuesday's two are inside their 48 hours, but one is cancelled and one was booked there; Wednesday's is 53 hours off.
    assert.equal(await remindAt('2026-11-30T12:00:00Z'), 0);
    assert.deepEqual(await reminders('erik.reminder@example.se'), [], 'a cancelled booking');
    assert.deepEqual(await reminders('karin.reminder@example.se'), [], 'booked after its reminder time');
    assert.equal((await remindedEntries(late.caseId)).length, 0);
    // Wednesday 2 December 18:00 is 17:00 UTC; reminded from Monday 17:00 UTC.
    assert.equal(await remindAt('2026-11-30T17:30:00Z'), 1);
    const [mail] = await reminders('jonas.reminder@example.se');
    assert.match(mail!.subject, /^Reminder: your booking Wednesday 2 December 18:00–19:00/);
    assert.match(mail!.text, /This is a reminder of your booking: Centrumskolans gymnastiksal Wednesday 2 December 18:00–19:00\./);
    assert.match(mail!.text, /Address: Skolgatan 21, Norrby/);
    assert.match(mail!.text, /please cancel by 1 December 2026,? (at )?18:00/);
    assert.equal((await remindedEntries(english.caseId)).length, 1);
  } finally {
    t.clock.set(NOW);
  }
  // A booking whose time has begun is not reminded any more (the job was down, say).
  const anna = await signInResident(t, NORRBY, ANNA);
  const begun = await bookGym(anna, '2026-12-03', '20:00', 'anna.begun@example.se');
  assert.equal(await remindAt('2026-12-03T19:30:00Z'), 0, 'Thursday 20:00 began at 19:00 UTC');
  assert.equal((await remindedEntries(begun.caseId)).length, 0);
});

test('a couple without e-ID is reminded a week before, by the address they confirmed, with the link to their cases', async () => {
  const who: SignedIn = { residentId: '', jar: new CookieJar(), host: NORRBY };
  await verifyAddress(t, who, 'par.reminder@example.com', '/services/borgerlig-vigsel/apply');
  const again = await get(who, '/services/borgerlig-vigsel/apply');
  const draftId = /\/apply\/([0-9a-f-]{36})\/time/.exec(String(again.headers.location))?.[1];
  assert.ok(draftId);
  const step = await get(who, `/apply/${draftId}/time?resource=nby-vigselrummet&week=2027-02-06`);
  const slot = instantOf('2027-02-06', '12:00').toISOString();
  assert.equal((await post(who, `/apply/${draftId}/time`, { resource: 'nby-vigselrummet', slot }, step.body)).statusCode, 303);
  const answers: [string, Record<string, string>][] = [
    ['couple', { partnerOne: 'Alex Martin', partnerTwo: 'Sam Martin' }],
    ['witnesses', { witnessOne: 'Kim Berg', witnessTwo: 'Robin Ek' }],
    ['ceremony', { language: 'sv' }],
    ['documents', {}],
    ['contact', { email: 'par.reminder@example.com', phone: '' }],
  ];
  for (const [name, form] of answers) {
    const page = await get(who, `/apply/${draftId}/${name}`);
    assert.equal((await post(who, `/apply/${draftId}/${name}`, form, page.body)).statusCode, 303, name);
  }
  const check = await get(who, `/apply/${draftId}/check`);
  assert.equal((await post(who, `/apply/${draftId}/submit`, {}, check.body)).headers.location, `/apply/${draftId}/confirmation`);
  const [b] = await rows<{ case_id: string }>(`SELECT case_id FROM bookings WHERE details->>'draftId' = $1`, [draftId]);
  // Saturday 6 February 12:00 is 11:00 UTC: a week before is Saturday 30 January 11:00 UTC.
  assert.equal(await remindAt('2027-01-30T10:00:00Z'), 0);
  assert.equal(await remindAt('2027-01-30T11:00:00Z'), 1);
  const [mail] = await reminders('par.reminder@example.com');
  assert.match(mail!.text, /Det här är en påminnelse om din bokning: Vigselrummet, Norrby stadshus lördag 6 februari 12:00–12:20\./);
  assert.match(mail!.text, /Adress: Storgatan 1, Norrby/);
  assert.match(mail!.text, new RegExp(`Du ser bokningen här: https://norrby\\.example/follow/mine/${b!.case_id}`));
  assert.doesNotMatch(mail!.text, /avboka/, 'the couple cannot cancel online');
});

test(`many runs at once (several nodes, ${testDialect}): each booking is reminded once, with one e-mail and one entry`, async () => {
  const people = [ANNA, ERIK, KARIN];
  const booked = [];
  for (const [i, person] of people.entries()) {
    const who = await signInResident(t, NORRBY, person);
    booked.push(await bookGym(who, '2026-12-07', `${17 + i}:00`, `race${i}@example.se`));
  }
  // Monday 7 December 17:00–20:00 is 16:00–19:00 UTC: 48 hours before the last, all are due.
  const counts = await Promise.all(Array.from({ length: 8 }, () => remindAt('2026-12-05T19:30:00Z')));
  assert.equal(counts.reduce((a, b) => a + b, 0), 3, counts.join(','));
  for (const [i, b] of booked.entries()) {
    assert.equal((await reminders(`race${i}@example.se`)).length, 1);
    assert.equal((await remindedEntries(b.caseId)).length, 1);
  }
});
