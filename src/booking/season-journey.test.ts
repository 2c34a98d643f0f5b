/**
 * Seasonal allocation over HTTP (ADR 0041), on the demo catalogue's `sasongstider`: two organisations
 * apply for weekly times in the autumn 2027 season (their signatories with e-ID), adding and removing
 * times with every kind of bad input answered and the list kept; staff see the schedule with the
 * proposal (children's activities first, though applied later), the conflict named, and a week a
 * one-off booking already holds; staff change a decision into a conflict, which the allocation
 * refuses; after the last day to apply the season is allocated — the granted times become bookings
 * each open week (the holiday and the week already held skipped), the cases move on with their
 * e-mails and journal entries, a second allocation and later decisions are refused. On PostgreSQL:
 * ten members of staff allocate at once (exactly one does), and one-off bookings race the allocation
 * for the same times (never two in one place, none lost).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { testDialect } from '../../test/helpers/db.ts';
import { journey } from '../../test/helpers/journey.ts';
import { signInResident, signInStaff, staffSession, ANNA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { book, bookingTransaction, TimeTakenError } from './claims.ts';
import { instantOf } from './time.ts';

const SERVICE = 'sasongstider';
const HALL = 'nby-norrbyhallen';
const HALL_ID = `sports-facilities/${HALL}`;
const SEASON = 'autumn-2027';

const t = await createTestApp({ now: '2026-12-06T10:00:00Z' });
after(() => t.close());
const { get, post } = journey(t);
const norrby = tenantScope(t.tdb.db, 'norrby');
const rows = <T>(sql: string, params: unknown[] = []) => t.tdb.db.query(sql, params).then((x) => x.rows as T[]);

const SARA = { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' }; // signs alone for Norrby Krog & Kök AB
const JOHAN = { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' }; // signs alone for Ek & Said Handelsbolag
const FRIDA = { username: 'frida-season', displayName: 'Frida Fritid', roles: ['handler'], departments: ['culture-and-leisure'] };

async function follow(who: SignedIn, url: string) {
  let r = await get(who, url);
  for (let i = 0; i < 10 && r.statusCode >= 300 && r.statusCode < 400; i++) r = await get(who, String(r.headers.location));
  return r;
}

/** Starts an application for the person's first organisation; returns the draft id, on the weekly times step. */
async function start(who: SignedIn): Promise<{ draft: string; page: string }> {
  const orgPage = await follow(who, `/services/${SERVICE}/apply`);
  const number = /name="organisation"[^>]*value="(\d{10})"/.exec(orgPage.body)![1]!;
  const r = await post(who, `/services/${SERVICE}/organisation`, { organisation: number }, orgPage.body);
  const draft = /\/apply\/([0-9a-f-]{36})\/weekly-times/.exec(String(r.headers.location))![1]!;
  const page = await get(who, `/apply/${draft}/weekly-times`);
  assert.equal(page.statusCode, 200);
  return { draft, page: page.body };
}

const addTime = (who: SignedIn, draft: string, form: Record<string, string>, page: string) => post(who, `/apply/${draft}/weekly-times`, { season: SEASON, action: 'add', ...form }, page);

/** The questions after the weekly times, answered, and the application sent; returns its case id and reference. */
async function finish(who: SignedIn, draft: string, activityFor: string, email: string): Promise<{ caseId: string; reference: string }> {
  for (const [step, form] of [
    ['activity', { sport: 'Handboll', activityFor, teams: '3', participants: '45' }],
    ['contact', { responsible: 'Kim Kontakt', email, phone: '070-123 45 67' }],
  ] as const) {
    const r = await post(who, `/apply/${draft}/${step}`, form, `/apply/${draft}/${step}`);
    assert.equal(r.statusCode, 303, `${step}: ${r.body.slice(0, 300)}`);
  }
  const check = await get(who, `/apply/${draft}/check`);
  assert.equal(check.statusCode, 200);
  const sent = await post(who, `/apply/${draft}/submit`, {}, check.body);
  assert.equal(sent.headers.location, `/apply/${draft}/confirmation`);
  const [c] = await rows<{ id: string; reference: string }>(`SELECT id, reference FROM cases WHERE id = (SELECT DISTINCT case_id FROM season_requests WHERE draft_id = $1)`, [draft]);
  return { caseId: c!.id, reference: c!.reference };
}

let sara = await signInResident(t, NORRBY, SARA);
let johan = await signInResident(t, NORRBY, JOHAN);
let frida = await signInStaff(t, NORRBY, FRIDA);

/** Moves the clock (months: past every session's idle time) and signs everyone in again. */
async function moveClock(at: string): Promise<void> {
  t.clock.set(at);
  sara = await signInResident(t, NORRBY, SARA);
  johan = await signInResident(t, NORRBY, JOHAN);
  frida = await staffSession(t, NORRBY, frida.staffId, FRIDA.displayName);
}
const schedule = `/staff/bookings/seasons/${SERVICE}/${SEASON}`;
let saras: { caseId: string; reference: string };
let johans: { caseId: string; reference: string };

test('an association adds weekly times one at a time: bad input answered with why, its list kept, removed; check your answers and the confirmation show them', async () => {
  const { draft, page } = await start(sara);
  assert.match(page, /Vilka tider vill ni ha varje vecka\?/);
  assert.match(page, /Hösten 2027: 16 augusti 2027–19 december 2027\. Sista ansökningsdag 31 mars 2027\./);
  const cases: [Record<string, string>, RegExp][] = [
    [{ resource: '', weekday: 'tue', from: '18:00', to: '19:30' }, /Välj en anläggning/],
    [{ resource: '../../etc/passwd', weekday: 'tue', from: '18:00', to: '19:30' }, /Välj en anläggning/],
    [{ resource: HALL, weekday: 'someday', from: '18:00', to: '19:30' }, /Välj en veckodag/],
    [{ resource: HALL, weekday: 'tue', from: '<script>alert(1)</script>', to: '19:30' }, /Skriv tiden som timmar och minuter/],
    [{ resource: HALL, weekday: 'tue', from: '18:00', to: '17:00' }, /Sluttiden måste vara efter starttiden/],
    [{ resource: HALL, weekday: 'tue', from: '18:10', to: '19:30' }, /hel timme eller kvart/],
    [{ resource: HALL, weekday: 'tue', from: '15:00', to: '17:00' }, /inte öppen hela den tiden den dagen\. Öppettider: 16:00–22:00/],
    [{ resource: HALL, weekday: 'tue', from: '16:00', to: '20:00' }, /högst 3 timmar/],
  ];
  for (const [form, message] of cases) {
    const r = await addTime(sara, draft, form, page);
    assert.equal(r.statusCode, 400, JSON.stringify(form));
    assert.match(r.body, message, JSON.stringify(form));
    assert.doesNotMatch(r.body, /<script>alert/, 'the hostile answer is shown as text');
  }
  // Times people write many ways: 18.00 is 18:00.
  let r = await addTime(sara, draft, { resource: HALL, weekday: 'tue', from: '18.00', to: '1930' }, page);
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /Tiden tisdagar 18:00–19:30 är tillagd\./);
  r = await addTime(sara, draft, { resource: HALL, weekday: 'tue', from: '19:00', to: '20:00' }, r.body);
  assert.match(r.body, /Ni har redan en tid som överlappar den här/);
  r = await addTime(sara, draft, { resource: HALL, weekday: 'thu', from: '19:00', to: '20:00' }, r.body);
  r = await addTime(sara, draft, { resource: 'nby-ekbackshallen', weekday: 'sat', from: '10:00', to: '12:00' }, r.body);
  // Kept with the draft: a new page load shows all three.
  const reloaded = await get(sara, `/apply/${draft}/weekly-times`);
  assert.equal((reloaded.body.match(/name="remove"/g) ?? []).length, 3);
  r = await post(sara, `/apply/${draft}/weekly-times`, { season: SEASON, remove: '2' }, reloaded.body);
  assert.match(r.body, /Tiden lördagar 10:00–12:00 är borttagen\./);
  assert.equal((r.body.match(/name="remove"/g) ?? []).length, 2);
  // Check your answers comes only after "Continue" (and the questions).
  assert.equal((await get(sara, `/apply/${draft}/check`)).statusCode, 303);
  r = await post(sara, `/apply/${draft}/weekly-times`, { season: SEASON, action: 'continue', resource: '', weekday: '', from: '', to: '' }, r.body);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/apply/${draft}/activity`);
  saras = await finish(sara, draft, 'adults', 'sara@example.se');
  const conf = await get(sara, `/apply/${draft}/confirmation`);
  assert.match(conf.body, /Norrbyhallen: tisdagar 18:00–19:30/);
  assert.match(conf.body, /Norrbyhallen: torsdagar 19:00–20:00/);
  assert.match(conf.body, /fördelas tillsammans efter sista ansökningsdagen 31 mars 2027/);
  const stored = await rows<{ rank: number; weekday: string; from_time: string; to_time: string; priority: number; organisation_number: string }>(
    'SELECT rank, weekday, from_time, to_time, priority, organisation_number FROM season_requests WHERE case_id = $1 ORDER BY rank',
    [saras.caseId],
  );
  assert.deepEqual(
    stored.map((x) => `${x.rank} ${x.weekday} ${x.from_time}-${x.to_time} p${x.priority} ${x.organisation_number}`),
    ['1 tue 18:00-19:30 p1 5566778899', '2 thu 19:00-20:00 p1 5566778899'],
  );
});

test('continuing without a time, or with a season that has closed, is answered; the case page shows the times not yet allocated', async () => {
  const { draft, page } = await start(johan);
  let r = await post(johan, `/apply/${draft}/weekly-times`, { season: SEASON, action: 'continue' }, page);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Lägg till minst en tid/);
  r = await post(johan, `/apply/${draft}/weekly-times`, { season: 'autumn-2026', action: 'add', resource: HALL, weekday: 'tue', from: '18:30', to: '20:00' }, page);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Sista ansökningsdagen för den säsongen har passerat/);
  // A row filled in and "Continue" adds it and goes on (what the generated tests do).
  r = await post(johan, `/apply/${draft}/weekly-times`, { season: SEASON, action: 'continue', resource: HALL, weekday: 'tue', from: '18:30', to: '20:00' }, page);
  assert.equal(r.headers.location, `/apply/${draft}/activity`);
  johans = await finish(johan, draft, 'youth', 'johan@example.se');
  const casePage = await get(johan, `/my/cases/${johans.caseId}`);
  assert.match(casePage.body, /Säsongstider/);
  assert.match(casePage.body, /Inte fördelad än/);
});

test("staff's schedule: the proposal with children's activities first, the conflict named, the weeks a booking already holds; others are refused it", async () => {
  // A one-off booking on Tuesday 7 September 2027, 18:00–19:00 in the hall (someone booked it already).
  await bookingTransaction(norrby, (tx) =>
    book(tx, { serviceId: 'boka-idrottshall', status: 'booked', span: { start: instantOf('2027-09-07', '18:00'), end: instantOf('2027-09-07', '19:00') }, claims: [{ resourceId: HALL_ID, occupies: { start: instantOf('2027-09-07', '18:00'), end: instantOf('2027-09-07', '19:00') } }] }, t.clock.now()),
  );
  const list = await get(frida, '/staff/bookings/seasons');
  assert.equal(list.statusCode, 200);
  assert.match(list.body, new RegExp(`href="${schedule}"`));
  const page = await get(frida, schedule);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Ansökningar: 2\. Önskade tider: 3 – beviljas 2, beviljas inte 1, krockar 0\./);
  // Johan's youth activity wins Tuesday evening though he applied later; Sara's Tuesday is refused, naming his.
  const saraRow = page.body.slice(page.body.indexOf('Norrby Krog'), page.body.indexOf('Norrby Krog') + 1500);
  assert.match(page.body, new RegExp(`krockar med ${johans.reference} \\(tisdagar 18:30–20:00\\)`));
  assert.ok(saraRow.length > 0);
  // Johan's Tuesday: 18 Tuesdays from 17 August to 14 December; 7 September is held.
  assert.match(page.body, /17 av 18<\/td>|17 av 18<span|17 av 18 /);
  assert.match(page.body, /upptagna: 7 sep/);
  assert.match(page.body, /Ansökningstiden går ut 31 mars 2027/);
  // Another department's staff, and a resident, never see it.
  const other = await signInStaff(t, NORRBY, { username: 'bygg-season', displayName: 'Berit Bygg', roles: ['handler'], departments: ['building-and-environment'] });
  assert.equal((await get(other, '/staff/bookings/seasons')).statusCode, 403);
  assert.equal((await get(other, schedule)).statusCode, 404, "another department's season is not found, as its cases are not");
  const anna = await signInResident(t, NORRBY, ANNA);
  assert.notEqual((await get(anna, schedule)).statusCode, 200);
  assert.equal((await get(frida, `/staff/bookings/seasons/${SERVICE}/summer-2027`)).statusCode, 404);
  assert.equal((await get(frida, `/staff/bookings/seasons/foreningslokal/${SEASON}`)).statusCode, 404);
});

test('staff grant the contested time too: a conflict the allocation refuses; allocation waits for the last day to apply and a confirmation', async () => {
  const [saraTue] = await rows<{ id: string }>(`SELECT id FROM season_requests WHERE case_id = $1 AND weekday = 'tue'`, [saras.caseId]);
  const [johanTue] = await rows<{ id: string }>(`SELECT id FROM season_requests WHERE case_id = $1`, [johans.caseId]);
  let page = await get(frida, schedule);
  // A grant goes before the priority: Sara's Tuesday would win over Johan's.
  let r = await post(frida, `${schedule}/decisions`, { [`d-${saraTue!.id}`]: 'given' }, page.body);
  assert.equal(r.statusCode, 303);
  assert.match(String(r.headers.location), /done=saved&n=1/);
  page = await get(frida, String(r.headers.location));
  assert.match(page.body, /Besluten är sparade \(1 ändrade\)/);
  assert.match(page.body, new RegExp(`krockar med ${saras.reference} \\(tisdagar 18:00–19:30\\)`));
  // Both granted: a conflict.
  r = await post(frida, `${schedule}/decisions`, { [`d-${saraTue!.id}`]: 'given', [`d-${johanTue!.id}`]: 'given' }, page.body);
  assert.match(String(r.headers.location), /n=1/, 'only the changed decision is written');
  page = await get(frida, schedule);
  assert.match(page.body, /krockar 2\./);
  // Before 1 April 2027 it cannot be allocated.
  r = await post(frida, `${schedule}/allocate`, { reviewed: 'yes' }, page.body);
  assert.equal(r.statusCode, 409);
  assert.match(r.body, /Ansökningstiden har inte gått ut än/);
  await moveClock('2027-04-01T08:00:00Z');
  page = await get(frida, schedule);
  r = await post(frida, `${schedule}/allocate`, {}, page.body);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Bekräfta att du har granskat förslaget/);
  r = await post(frida, `${schedule}/allocate`, { reviewed: 'yes' }, page.body);
  assert.equal(r.statusCode, 409);
  assert.match(r.body, /Två beviljade tider krockar/);
  assert.equal((await rows('SELECT 1 FROM bookings WHERE case_id = ANY($1::uuid[])', [[saras.caseId, johans.caseId]])).length, 0, 'nothing was booked');
  // Back to the proposal.
  r = await post(frida, `${schedule}/decisions`, { [`d-${saraTue!.id}`]: 'auto', [`d-${johanTue!.id}`]: 'auto', 'd-not-a-uuid': 'given' }, page.body);
  assert.equal(r.statusCode, 303);
  r = await post(frida, `${schedule}/decisions`, { [`d-${saraTue!.id}`]: "granted'; DROP TABLE bookings;--" }, page.body);
  assert.equal(r.statusCode, 400);
});

test('a draft whose season closed before it was sent goes back to its times, saying so, with its times kept', async () => {
  // Begun on the last day to apply, sent the day after.
  await moveClock('2027-03-31T12:00:00Z');
  const { draft, page } = await start(sara);
  const r = await post(sara, `/apply/${draft}/weekly-times`, { season: SEASON, action: 'continue', resource: HALL, weekday: 'fri', from: '17:00', to: '18:00' }, page);
  assert.equal(r.headers.location, `/apply/${draft}/activity`);
  for (const [step, form] of [
    ['activity', { sport: 'Badminton', activityFor: 'adults', teams: '1', participants: '8' }],
    ['contact', { responsible: 'Sara Lind', email: 'sara-late@example.se', phone: '070-123 45 67' }],
  ] as const) {
    await post(sara, `/apply/${draft}/${step}`, form, `/apply/${draft}/${step}`);
  }
  await moveClock('2027-04-01T08:00:00Z');
  const check = await get(sara, `/apply/${draft}/check`);
  assert.equal(check.statusCode, 200);
  const sent = await post(sara, `/apply/${draft}/submit`, {}, check.body);
  assert.equal(sent.headers.location, `/apply/${draft}/weekly-times?lost=1`);
  const back = await get(sara, String(sent.headers.location));
  assert.equal(back.statusCode, 409);
  assert.match(back.body, /Sista ansökningsdagen för den säsongen har passerat/);
  assert.match(back.body, /fredagar 17:00–18:00/, 'the times are kept');
  assert.equal((await rows('SELECT 1 FROM season_requests WHERE draft_id = $1', [draft])).length, 0, 'nothing was written');
});

test('the season allocated: bookings each open week (the held week and the holiday skipped), the cases moved on with their e-mails and journal; once only', async () => {
  const page = await get(frida, schedule);
  const r = await post(frida, `${schedule}/allocate`, { reviewed: 'yes' }, page.body);
  assert.equal(r.statusCode, 303, r.body.slice(0, 500));
  const done = await get(frida, String(r.headers.location));
  assert.match(done.body, /Säsongen fördelades .*\. Bokningar: 35\. Beviljade tider: 2 \(till 2 föreningar\)\. Tider som inte beviljades: 1\. Veckor som hoppades över: 1\./);
  // Johan: 18 Tuesdays less 7 September. Sara: Thursday 19–20 every week, 19 August to 16 December: 18.
  const count = async (caseId: string) => Number((await rows<{ n: string }>(`SELECT count(*) AS n FROM bookings WHERE case_id = $1 AND status = 'booked'`, [caseId]))[0]!.n);
  assert.equal(await count(johans.caseId), 17);
  assert.equal(await count(saras.caseId), 18);
  const [first] = await rows<{ starts_at: Date; ends_at: Date; price_ore: string; customer_type: string }>(`SELECT starts_at, ends_at, price_ore, customer_type FROM bookings WHERE case_id = $1 ORDER BY starts_at LIMIT 1`, [johans.caseId]);
  assert.equal(first!.starts_at.toISOString(), '2027-08-17T16:30:00.000Z');
  assert.equal(Number(first!.price_ore), 18_000, 'the association price: 120 kr an hour for 1.5 hours');
  // Staff's week of the hall shows the association's booking.
  const week = await get(frida, `/staff/bookings?service=boka-idrottshall&resource=${HALL}&week=2027-08-16`);
  assert.match(week.body, /Ek &amp; Said Handelsbolag/);
  assert.match(week.body, /18:30–20:00/);
  const status = async (id: string) => (await rows<{ status: string }>('SELECT status FROM cases WHERE id = $1', [id]))[0]!.status;
  assert.equal(await status(johans.caseId), 'allocated');
  assert.equal(await status(saras.caseId), 'allocated');
  const journal = await rows<{ kind: string; payload: Record<string, unknown> }>(`SELECT kind, payload FROM journal WHERE case_id = $1 ORDER BY seq`, [saras.caseId]);
  assert.deepEqual(journal.map((j) => j.kind), ['submitted', 'season_allocated', 'status_changed']);
  assert.deepEqual(journal[1]!.payload, { season: SEASON, granted: 1, refused: 1, bookings: 18 });
  const mail = await rows<{ payload: { subject: string; text: string } }>(`SELECT payload FROM outbox WHERE payload->>'to' = 'sara@example.se' AND payload->>'subject' LIKE 'Säsongstiderna%'`);
  assert.equal(mail.length, 1);
  assert.match(mail[0]!.payload.text, /tisdagar 18:00–19:30, Norrbyhallen: inte beviljad/);
  assert.match(mail[0]!.payload.text, /torsdagar 19:00–20:00, Norrbyhallen: beviljad, 18 tillfällen/);
  const johanMail = await rows<{ payload: { text: string } }>(`SELECT payload FROM outbox WHERE payload->>'to' = 'johan@example.se' AND payload->>'subject' LIKE 'Säsongstiderna%'`);
  assert.match(johanMail[0]!.payload.text, /beviljad, 17 tillfällen \(inte 7 sep\.?\)/);
  const casePage = await get(sara, `/my/cases/${saras.caseId}`);
  assert.match(casePage.body, /Beviljad<\/span> 18 bokade tillfällen/);
  assert.match(casePage.body, /Inte beviljad/);
  // Once only: again, and a decision after, are refused.
  const again = await post(frida, `${schedule}/allocate`, { reviewed: 'yes' }, done.body);
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /Säsongen är redan fördelad/);
  const late = await post(frida, `${schedule}/decisions`, {}, done.body);
  assert.equal(late.statusCode, 409);
  assert.equal(await count(johans.caseId), 17);
  const audit = await rows(`SELECT 1 FROM audit_log WHERE action = 'booking.season.allocate' AND object_id = $1`, [`${SERVICE}/${SEASON}`]);
  assert.equal(audit.length, 1);
});

test('in English', async () => {
  const en = await signInResident(t, NORRBY, JOHAN, 'en');
  const casePage = await get(en, `/my/cases/${johans.caseId}`);
  assert.match(casePage.body, /Seasonal times/);
  assert.match(casePage.body, /Granted<\/span> 17 booked sessions/);
});

test('PostgreSQL: ten members of staff allocate one season at once — exactly one does; one-off bookings racing it never overlap it and none is lost', { skip: testDialect !== 'postgres' && 'races need real concurrency (PostgreSQL)' }, async (tt) => {
  // Spring 2028 opens for applications on 18 April 2027 (its last day to apply is 15 October).
  await moveClock('2027-05-01T08:00:00Z');
  const season = 'spring-2028';
  const apply = async (who: SignedIn, weekday: string, email: string) => {
    const { draft, page } = await start(who);
    const r = await post(who, `/apply/${draft}/weekly-times`, { season, action: 'continue', resource: 'nby-ekbackshallen', weekday, from: '18:00', to: '19:00' }, page);
    assert.equal(r.headers.location, `/apply/${draft}/activity`);
    return finish(who, draft, 'youth', email);
  };
  const a = await apply(sara, 'mon', 'race-sara@example.se');
  await apply(johan, 'wed', 'race-johan@example.se');
  await moveClock('2027-10-16T08:00:00Z');
  const url = `/staff/bookings/seasons/${SERVICE}/${season}`;
  const staff = await Promise.all(Array.from({ length: 10 }, (_, i) => signInStaff(t, NORRBY, { username: `race-${i}`, displayName: `Race ${i}`, roles: ['handler'], departments: ['culture-and-leisure'] })));
  const pages = await Promise.all(staff.map((s) => get(s, url)));
  // One-off bookings of Monday 18:00–19:00 in the same weeks, racing the allocation.
  const mondays = Array.from({ length: 20 }, (_, i) => new Date(Date.UTC(2028, 0, 17 + 7 * i)).toISOString().slice(0, 10));
  const resource = 'sports-facilities/nby-ekbackshallen';
  const oneOffs = mondays.map((d) =>
    bookingTransaction(norrby, (tx) => book(tx, { serviceId: 'boka-idrottshall', status: 'booked', span: { start: instantOf(d, '18:00'), end: instantOf(d, '19:00') }, claims: [{ resourceId: resource, occupies: { start: instantOf(d, '18:00'), end: instantOf(d, '19:00') } }] }, t.clock.now())).then(
      () => 'booked',
      (e) => {
        if (e instanceof TimeTakenError) return 'taken';
        throw e;
      },
    ),
  );
  const results = await Promise.all([...staff.map((s, i) => post(s, `${url}/allocate`, { reviewed: 'yes' }, pages[i]!.body)), ...oneOffs]);
  const http = results.slice(0, 10) as Awaited<ReturnType<typeof post>>[];
  assert.deepEqual(http.map((r) => r.statusCode).sort(), [303, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
  // Every Monday of the season is held exactly once, by the season or by a one-off booking: none overlaps, none is lost.
  const held = await rows<{ day: string; n: string }>(
    `SELECT to_char(lower(occupies) AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD') AS day, count(*) AS n FROM booking_claims
      WHERE resource_id = $1 AND active AND lower(occupies) >= '2028-01-10' AND lower(occupies) < '2028-06-14' AND extract(isodow FROM lower(occupies) AT TIME ZONE 'Europe/Stockholm') = 1
      GROUP BY 1 ORDER BY 1`,
    [resource],
  );
  assert.ok(held.every((h) => Number(h.n) === 1), `one claim per Monday: ${JSON.stringify(held)}`);
  const seasonMondays = Number((await rows<{ n: string }>(`SELECT count(*) AS n FROM bookings WHERE case_id = $1 AND status = 'booked'`, [a.caseId]))[0]!.n);
  const oneOffsBooked = (results.slice(10) as string[]).filter((x) => x === 'booked').length;
  const [summary] = await rows<{ summary: { skipped: number } }>(`SELECT summary FROM booking_seasons WHERE service_id = $1 AND season_id = $2`, [SERVICE, season]);
  // The season's Mondays: 17 January to 12 June 2028, 22 (no holiday of the definition falls on one).
  assert.equal(held.length, 22, 'every Monday held');
  assert.equal(seasonMondays + summary!.summary.skipped, 22);
  tt.diagnostic(`the season booked ${seasonMondays} Mondays; ${oneOffsBooked} one-off bookings won theirs before it, ${mondays.length - oneOffsBooked} found them taken`);
  assert.equal(oneOffsBooked, summary!.summary.skipped, 'each week the season skipped is held by a one-off booking that won it');
});
