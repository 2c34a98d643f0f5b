/**
 * The staff side of the booking engine over HTTP (issue 10), on the demo catalogue with one change:
 * the free gym needs approval, so bookings of it await staff. Who may see the schedules (the
 * service's department and handler role; another department's staff and residents are refused), a
 * resource's week with names, cases and occupancy, blocks (refused over a booking, naming it; freeing
 * the time when removed; shown taken on the public page), approval and refusal (once, with the
 * booker's e-mail, many at once: exactly one outcome), the day's CSV and PDF (hostile names kept as
 * text, every download audit-logged), and bad input answered with translated 400s.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestApp, csrfFrom, NORRBY, repoRoot } from '../../test/helpers/app.ts';
import { testDialect } from '../../test/helpers/db.ts';
import { signInResident, signInStaff, ANNA, ERIK, KARIN, HANNA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { loadCatalogue } from '../catalogue/index.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { book, bookingTransaction, TimeTakenError } from './claims.ts';
import { enrol, setCapacity } from './seats.ts';
import { instantOf } from './time.ts';

const NOW = '2026-11-23T09:00:00Z'; // Monday 23 November 2026, 10:00 in Stockholm
const SERVICE = 'boka-idrottshall';
const GYM = 'nby-centrumskolan-gympasal'; // open Monday to Thursday 17–21, free of charge
const HALL = 'nby-norrbyhallen';

/** The demo catalogue with the gym needing approval (a copy: the shipped files are not touched). */
function catalogueWithApproval() {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-booking-staff-'));
  for (const p of ['tenants.yaml', 'catalogue', 'branding']) cpSync(path.join(repoRoot, p), path.join(dir, p), { recursive: true });
  const register = path.join(dir, 'catalogue/norrby/registers/sports-facilities.yaml');
  const before = readFileSync(register, 'utf8');
  const after = before.replace('bookable: { kind: gym,', 'bookable: { kind: gym, approval: true,');
  assert.notEqual(after, before, 'the gym entry was found');
  writeFileSync(register, after);
  try {
    return loadCatalogue(loadTenants(path.join(dir, 'tenants.yaml')), { baseDir: dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const t = await createTestApp({ now: NOW, catalogue: catalogueWithApproval() });
after(() => t.close());
const norrby = tenantScope(t.tdb.db, 'norrby');
const rows = <T>(sql: string, params: unknown[] = []) => t.tdb.db.query(sql, params).then((x) => x.rows as T[]);

async function get(who: SignedIn | undefined, url: string, lang?: 'en') {
  const cookie = [who?.jar.header(), lang ? 'mb_lang=en' : ''].filter(Boolean).join('; ');
  const res = await t.app.inject({ url, headers: { host: NORRBY, ...(cookie ? { cookie } : {}) } });
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

/** Books the gym over HTTP as the resident would (the time, the questions, check your answers, send). */
async function bookGym(who: SignedIn, date: string, time: string, email = 'bokare@example.se') {
  const start = at(date, time);
  const whomFor = await follow(who, await get(who, `/services/${SERVICE}/apply?resource=${GYM}&start=${encodeURIComponent(start)}`));
  const step = await follow(who, await post(who, `/services/${SERVICE}/organisation`, { organisation: 'self' }, whomFor.body));
  const draftId = /\/apply\/([0-9a-f-]{36})\/time/.exec(step.body)![1]!;
  assert.equal((await post(who, `/apply/${draftId}/time`, { resource: GYM, slot: start }, step.body)).statusCode, 303);
  let page = await get(who, `/apply/${draftId}/purpose`);
  await post(who, `/apply/${draftId}/purpose`, { activity: 'training', participants: '10' }, page.body);
  page = await get(who, `/apply/${draftId}/contact`);
  await post(who, `/apply/${draftId}/contact`, { email, phone: '070-123 45 67' }, page.body);
  const check = await get(who, `/apply/${draftId}/check`);
  const sent = await post(who, `/apply/${draftId}/submit`, {}, check.body);
  assert.equal(sent.headers.location, `/apply/${draftId}/confirmation`);
  const [b] = await rows<{ id: string; case_id: string; status: string; reference: string }>(
    `SELECT b.id, b.case_id, b.status, c.reference FROM bookings b JOIN cases c ON c.id = b.case_id WHERE b.details->>'draftId' = $1`,
    [draftId],
  );
  assert.equal(b?.status, 'requested', 'the gym needs approval');
  return { bookingId: b.id, caseId: b.case_id, reference: b.reference };
}

/** A valid personal identity number (Luhn check digit) for a test person born on `born` (YYYYMMDD). */
function personalNumber(born: string, serial: string): string {
  const nine = `${born.slice(2)}${serial}`;
  const sum = [...nine].reduce((s, c, k) => {
    const d = Number(c) * (k % 2 === 0 ? 2 : 1);
    return s + (d > 9 ? d - 9 : d);
  }, 0);
  return `${born}${serial}${(10 - (sum % 10)) % 10}`;
}

const FRIDA = { username: 'frida', displayName: 'Frida Fritid', roles: ['handler'], departments: ['culture-and-leisure'] };
const frida = await signInStaff(t, NORRBY, FRIDA);
const STAFF_REQUESTS_URL = '/staff/bookings/requests';
const weekUrl = (resource: string, week = '2026-11-30') => `/staff/bookings?service=${SERVICE}&resource=${resource}&week=${week}`;

test("only staff who handle the service see its schedules: another department's staff and residents are refused", async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const annas = await bookGym(anna, '2026-11-30', '17:00');
  const hanna = await signInStaff(t, NORRBY, HANNA);
  const officer = await signInStaff(t, NORRBY, { username: 'sakerhet', displayName: 'Sigrid Säkerhet', roles: ['security_officer'], departments: ['culture-and-leisure'] });
  const urls = ['/staff/bookings', weekUrl(GYM), STAFF_REQUESTS_URL, `/staff/bookings/day.csv?service=${SERVICE}&date=2026-11-30`, `/staff/bookings/day.pdf?service=${SERVICE}&date=2026-11-30`];
  for (const url of urls) {
    // Not signed in, and signed in as a resident: sent to staff sign-in, nothing shown.
    for (const who of [undefined, anna]) {
      const r = await get(who, url);
      assert.equal(r.statusCode, 303, url);
      assert.match(String(r.headers.location), /^\/staff\/sign-in/);
      assert.doesNotMatch(r.body, /Andersson|BOK-/);
    }
    // Another department's handler, and this department's member without a handling role.
    for (const who of [hanna, officer]) {
      const r = await get(who, url);
      assert.ok([403, 404].includes(r.statusCode), `${url}: ${r.statusCode}`);
      assert.doesNotMatch(r.body, /Andersson|BOK-2026/, url);
    }
  }
  // Their POSTs on a real booking change nothing.
  const page = (await get(hanna, '/staff')).body;
  for (const action of ['approve', 'refuse']) {
    const r = await post(hanna, `/staff/bookings/requests/${annas.bookingId}/${action}`, { reason: 'Nej' }, page);
    assert.equal(r.statusCode, 404, action);
  }
  const blocked = await post(hanna, '/staff/bookings/blocks', { service: SERVICE, resource: GYM, date: '2026-12-01', from: '17:00', to: '18:00', reason: 'x' }, page);
  assert.equal(blocked.statusCode, 404);
  const [still] = await rows<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [annas.bookingId]);
  assert.equal(still?.status, 'requested');
  assert.equal((await rows<{ n: number }>(`SELECT count(*)::int AS n FROM bookings WHERE kind = 'block'`))[0]!.n, 0);

  // The handler of the service's department sees it.
  const home = await get(frida, '/staff/bookings');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, /Boka idrottshall eller plan/);
  assert.match(home.body, /Centrumskolans gymnastiksal/);
  assert.match(home.body, /Väntar på godkännande: 1/);
});


test("a resource's week: each day's bookings with who booked and the case, and the occupancy per day and week", async () => {
  const erik = await signInResident(t, NORRBY, ERIK);
  const eriks = await bookGym(erik, '2026-12-08', '18:00');
  const week = await get(frida, weekUrl(GYM, '2026-12-09'));
  assert.equal(week.statusCode, 200);
  assert.match(week.body, /<h1 class="ds-heading" data-size="lg">Schema för Centrumskolans gymnastiksal<\/h1>/);
  assert.match(week.body, /<caption id="occupancy-caption">Beläggning vecka 50: måndag 7 december–söndag 13 december<\/caption>/);
  // Tuesday: 1 hour booked of 4 open; Monday to Thursday open 4 hours, the weekend closed.
  assert.match(week.body, /tisdag 8 december<\/a><\/th><td>1 tim<\/td><td>4 tim<\/td><td>25 %<\/td>/);
  assert.match(week.body, /fredag 11 december<\/a><\/th><td>0 min<\/td><td>Stängt<\/td><td>–<\/td>/);
  assert.match(week.body, /Hela veckan<\/th><td>1 tim<\/td><td>16 tim<\/td><td>6 %<\/td>/);
  // The booking's row: time, status, who (from the case's applicant), the case's link.
  assert.match(week.body, /<th scope="row">18:00–19:00<\/th><td><span class="ds-tag" data-color="info">Väntar på godkännande<\/span><\/td><td>Erik Berg<\/td>/);
  assert.ok(week.body.includes(`<a class="ds-link" href="/staff/cases/${eriks.caseId}">${eriks.reference}</a>`));
  // In English.
  const english = await get(frida, weekUrl(GYM, '2026-12-09'), 'en');
  assert.match(english.body, /Occupancy in week 50: Monday 7 December–Sunday 13 December/);
  assert.match(english.body, /The whole week<\/th><td>1 h<\/td><td>16 h<\/td><td>6%<\/td>/);

  // A course's enrolments take seats, not the resource's time: listed, not counted as booked hours.
  const course = 'swimming-courses/nby-simskola-grodan';
  const starts = instantOf('2027-01-18', '17:00');
  await norrby.transaction(async (tx) => {
    await setCapacity(tx, course, starts, 8, t.clock.now());
    await enrol(tx, { serviceId: 'simkurs', resourceId: course, startsAt: starts, endsAt: instantOf('2027-01-18', '17:45'), ownerId: erik.residentId }, t.clock.now());
  });
  const courseWeek = await get(frida, `/staff/bookings?service=simkurs&resource=nby-simskola-grodan&week=2027-01-18`);
  assert.equal(courseWeek.statusCode, 200);
  assert.match(courseWeek.body, /<th scope="row">17:00–17:45<\/th><td><span class="ds-tag" data-color="success">Bokad<\/span><\/td><td>Erik Berg<\/td><td>–<\/td>/);
  assert.match(courseWeek.body, /måndag 18 januari<\/a><\/th><td>0 min<\/td><td>45 min<\/td><td>0 %<\/td>/);
});

test('a block is refused over a booking and names it; it frees the time when removed; the public page shows it taken meanwhile', async () => {
  const karin = await signInResident(t, NORRBY, KARIN);
  const karins = await bookGym(karin, '2026-12-14', '18:00');
  let page = (await get(frida, weekUrl(GYM, '2026-12-14'))).body;
  // Over Karin's booking: refused, her booking named with its case's link, nothing written.
  const refused = await post(frida, '/staff/bookings/blocks', { service: SERVICE, resource: GYM, date: '2026-12-14', from: '17:00', to: '19:00', reason: 'Läckande tak' }, page);
  assert.equal(refused.statusCode, 409);
  assert.match(refused.body, /Tiden går inte att blockera: den är redan bokad/);
  assert.match(refused.body, /Karin Holm/);
  assert.ok(refused.body.includes(`href="/staff/cases/${karins.caseId}">${karins.reference}</a>`));
  assert.match(refused.body, />Läckande tak<\/textarea>/, 'the typed values are kept');
  assert.match(refused.body, /id="b-from" name="from" type="text" value="17:00"/);
  assert.equal((await rows<{ n: number }>(`SELECT count(*)::int AS n FROM bookings WHERE kind = 'block'`))[0]!.n, 0);

  // After it: blocked, shown on the week and as taken on the public page.
  const made = await post(frida, '/staff/bookings/blocks', { service: SERVICE, resource: GYM, date: '2026-12-14', from: '19:00', to: '21:00', reason: 'Läckande tak' }, page);
  assert.equal(made.statusCode, 303);
  assert.equal(made.headers.location, `${weekUrl(GYM, '2026-12-14')}&done=blocked`);
  const [block] = await rows<{ id: string; status: string; service_id: string; details: { reason: string; blockedBy: string }; active: boolean; occupies: string }>(
    `SELECT b.id, b.status, b.service_id, b.details, c.active, c.occupies::text AS occupies FROM bookings b JOIN booking_claims c ON c.booking_id = b.id WHERE b.kind = 'block'`,
  );
  assert.equal(block?.status, 'booked');
  assert.equal(block.details.reason, 'Läckande tak');
  assert.equal(block.details.blockedBy, frida.staffId);
  assert.equal(block.active, true);
  assert.match(block.occupies, /2026-12-14 18:00:00\+00.*2026-12-14 20:00:00\+00/, 'the block holds exactly its time, no buffer');
  const shown = await get(frida, String(made.headers.location));
  assert.match(shown.body, /Tiden är blockerad/);
  assert.match(shown.body, /Blockerad: Läckande tak/);
  // Monday: 1 h booked of the 2 h open that are not blocked.
  assert.match(shown.body, /måndag 14 december<\/a><\/th><td>1 tim<\/td><td>2 tim<\/td><td>50 %<\/td>/);
  const publicWeek = await get(undefined, `/services/${SERVICE}/book?resource=${GYM}&week=2026-12-14`);
  assert.match(publicWeek.body, /<\/span>19:00 <span class="mb-hint">\(upptagen\)<\/span>/);
  assert.doesNotMatch(publicWeek.body, /Läckande tak/);
  // Nobody books the blocked time, through the engine either.
  await assert.rejects(
    bookingTransaction(norrby, (tx) => book(tx, { serviceId: SERVICE, status: 'booked', span: { start: instantOf('2026-12-14', '20:00'), end: instantOf('2026-12-14', '21:00') }, claims: [{ resourceId: `sports-facilities/${GYM}`, occupies: { start: instantOf('2026-12-14', '20:00'), end: instantOf('2026-12-14', '21:00') } }] }, t.clock.now())),
    TimeTakenError,
  );

  // Removed: the time is free at once; a second removal changes nothing.
  page = shown.body;
  const removed = await post(frida, `/staff/bookings/blocks/${block.id}/remove`, {}, page);
  assert.equal(removed.headers.location, `${weekUrl(GYM, '2026-12-14')}&done=removed`);
  const [gone] = await rows<{ status: string; active: boolean }>('SELECT b.status, c.active FROM bookings b JOIN booking_claims c ON c.booking_id = b.id WHERE b.id = $1', [block.id]);
  assert.deepEqual(gone, { status: 'cancelled', active: false });
  assert.match((await get(frida, String(removed.headers.location))).body, /Blockeringen är borttagen/);
  const freeAgain = await get(undefined, `/services/${SERVICE}/book?resource=${GYM}&week=2026-12-14`);
  assert.match(freeAgain.body, /Boka måndag 14 december <\/span>19:00/);
  const again = await post(frida, `/staff/bookings/blocks/${block.id}/remove`, {}, page);
  assert.equal(again.headers.location, `${weekUrl(GYM, '2026-12-14')}&done=alreadyRemoved`);
  // A booking is no block: not removable here.
  assert.equal((await post(frida, `/staff/bookings/blocks/${karins.bookingId}/remove`, {}, page)).statusCode, 404);
  const [karinsNow] = await rows<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [karins.bookingId]);
  assert.equal(karinsNow?.status, 'requested');
});

test('bad input: dates, times, reasons and ids are answered with translated 400s, the typed values kept', async () => {
  const page = (await get(frida, weekUrl(HALL))).body;
  const block = (form: Record<string, string>, lang?: 'en') =>
    t.app.inject({
      method: 'POST',
      url: '/staff/bookings/blocks',
      headers: { host: NORRBY, cookie: [frida.jar.header(), lang ? 'mb_lang=en' : ''].filter(Boolean).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ service: SERVICE, resource: HALL, date: '2026-12-02', from: '08:00', to: '10:00', reason: 'Turnering', ...form, _csrf: csrfFrom(page) }).toString(),
    });
  const cases: [Record<string, string>, RegExp, RegExp?][] = [
    [{ date: '30/11' }, /Skriv datumet som år-månad-dag, till exempel 2026-11-23/, /value="30\/11"/],
    [{ date: '2026-02-30' }, /Skriv datumet som år-månad-dag/],
    [{ date: '' }, /Skriv ett datum/],
    [{ from: '25:00' }, /Skriv tiden som timmar och minuter, till exempel 08:00/, /value="25:00"/],
    [{ to: '10:75' }, /Skriv tiden som timmar och minuter/],
    [{ from: '' }, /Skriv en tid/],
    [{ from: '24:00' }, /Skriv tiden som timmar och minuter/],
    [{ from: '10:00', to: '09:00' }, /Sluttiden måste vara efter starttiden/],
    [{ date: '2026-11-20' }, /Tiden har redan varit/],
    [{ reason: '   ' }, /Skriv en anledning/],
    [{ reason: 'x'.repeat(201) }, /Anledningen får vara högst 200 tecken/],
    [{ date: '<script>alert(1)</script>' }, /Skriv datumet som år-månad-dag/, /value="&lt;script>alert\(1\)&lt;\/script>"/],
    // The hour summer time skips (28 March 2027, 02:00–03:00 do not exist): said, not moved.
    [{ date: '2027-03-28', from: '02:00', to: '03:00' }, /Klockan 02:00 finns inte den natten: sommartiden börjar/],
    [{ date: '2027-03-28', from: '01:00', to: '02:30' }, /Klockan 02:30 finns inte den natten/],
    // A date no schedule will ever show (it could be neither seen nor removed).
    [{ date: '9999-12-31' }, /Välj ett datum inom tio år från i dag, till exempel 2026-11-23/, /value="9999-12-31"/],
  ];
  for (const [form, message, kept] of cases) {
    const r = await block(form);
    assert.equal(r.statusCode, 400, JSON.stringify(form));
    assert.match(r.body, message, JSON.stringify(form));
    assert.match(r.body, /<div class="ds-error-summary"/, 'the error summary');
    if (kept) assert.match(r.body, kept, JSON.stringify(form));
    assert.doesNotMatch(r.body, /<script>alert/);
  }
  const english = await block({ from: '7 pm' }, 'en');
  assert.equal(english.statusCode, 400);
  assert.match(english.body, /Write the time as hours and minutes, for example 08:00/);
  // Accepted forms of a time: 8:00 and 08.00; 24:00 as an end.
  const fine = await block({ date: '2026-12-05', from: '8.00', to: '24:00' });
  assert.equal(fine.statusCode, 303);
  assert.equal((await rows<{ n: number }>(`SELECT count(*)::int AS n FROM bookings WHERE kind = 'block' AND status = 'booked' AND starts_at = $1 AND ends_at = $2`, [at('2026-12-05', '08:00'), at('2026-12-06', '00:00')]))[0]!.n, 1);

  // A week that is not a date; a resource or service that is not the service's; ids that are not ids.
  const badWeek = await get(frida, weekUrl(HALL, 'vecka-49'));
  assert.equal(badWeek.statusCode, 400);
  assert.match(badWeek.body, /Skriv datumet som år-månad-dag/);
  assert.match(badWeek.body, /value="vecka-49"/);
  for (const week of ['9999-12-31', '0000-01-01', '2040-01-05']) {
    const far = await get(frida, weekUrl(HALL, week));
    assert.equal(far.statusCode, 400, week);
    assert.match(far.body, week === '0000-01-01' ? /Skriv datumet som år-månad-dag/ : /Välj ett datum inom tio år från i dag/, week);
  }
  assert.equal((await get(frida, weekUrl('../../etc/passwd'))).statusCode, 400);
  assert.match((await get(frida, weekUrl('okänd'))).body, /<html lang="sv"/);
  assert.equal((await get(frida, `/staff/bookings?service=forskola&resource=${GYM}`)).statusCode, 404);
  assert.equal((await get(frida, `/staff/bookings?service[]=x&resource=${GYM}`)).statusCode, 404);
  for (const action of ['requests/not-a-uuid/approve', 'requests/1%27%20OR%201%3D1/refuse', 'blocks/not-a-uuid/remove']) {
    assert.equal((await post(frida, `/staff/bookings/${action}`, { reason: 'x' }, page)).statusCode, 400, action);
  }
  for (const action of ['requests/00000000-0000-7000-8000-000000000000/approve', 'blocks/00000000-0000-7000-8000-000000000000/remove']) {
    assert.equal((await post(frida, `/staff/bookings/${action}`, {}, page)).statusCode, 404, action);
  }
  // The export's date.
  const badDay = await get(frida, `/staff/bookings/day.csv?service=${SERVICE}&date=2026-13-01`);
  assert.equal(badDay.statusCode, 400);
  assert.match(String(badDay.headers['content-type']), /text\/html/);
  assert.match(badDay.body, /Skriv datumet som år-månad-dag/);
  assert.match(badDay.body, /value="2026-13-01"/);
  assert.match((await get(frida, `/staff/bookings/day.pdf?service=${SERVICE}`)).body, /Skriv ett datum/);
  for (const file of ['day.csv', 'day.pdf']) {
    const far = await get(frida, `/staff/bookings/${file}?service=${SERVICE}&date=9999-12-31`);
    assert.equal(far.statusCode, 400, file);
    assert.match(far.body, /Välj ett datum inom tio år från i dag/, file);
  }
  assert.equal((await get(frida, `/staff/bookings/day.csv?service=nope&date=2026-12-01`)).statusCode, 404);
});

test('approval: approved once with the booker told; refused with a reason that is mailed, the time freed and the case called off', async () => {
  const a = await signInResident(t, NORRBY, { personalNumber: personalNumber('19700101', '123'), givenName: 'Alma', familyName: 'Approve' });
  const r = await signInResident(t, NORRBY, { personalNumber: personalNumber('19700102', '123'), givenName: 'Rut', familyName: 'Refuse' });
  const almas = await bookGym(a, '2026-12-16', '17:00', 'alma@example.se');
  const ruts = await bookGym(r, '2026-12-16', '19:00', 'rut@example.se');
  let list = await get(frida, STAFF_REQUESTS_URL);
  assert.equal(list.statusCode, 200);
  assert.match(list.body, /Alma Approve/);
  assert.match(list.body, /Rut Refuse/);
  assert.ok(list.body.includes(`href="/staff/cases/${almas.caseId}"`));

  const approved = await post(frida, `/staff/bookings/requests/${almas.bookingId}/approve`, {}, list.body);
  assert.equal(approved.headers.location, `${STAFF_REQUESTS_URL}?done=approved`);
  const [alma] = await rows<{ status: string; details: { decidedBy: string; decision: string; decidedAt: string } }>('SELECT status, details FROM bookings WHERE id = $1', [almas.bookingId]);
  assert.equal(alma?.status, 'booked');
  assert.equal(alma.details.decidedBy, frida.staffId);
  assert.equal(alma.details.decision, 'approved');
  assert.equal(alma.details.decidedAt, NOW.replace('Z', '.000Z'));
  const almaMail = await rows<{ payload: { to: string; subject: string; text: string } }>(`SELECT payload FROM outbox WHERE payload->>'to' = 'alma@example.se' AND payload->>'subject' LIKE 'Din bokning%'`);
  assert.equal(almaMail.length, 1);
  assert.match(almaMail[0]!.payload.subject, new RegExp(`Din bokning ${almas.reference} är godkänd`));
  assert.match(almaMail[0]!.payload.text, /Centrumskolans gymnastiksal onsdag 16 december 17:00–18:00/);
  // A second click: nothing more.
  const twice = await post(frida, `/staff/bookings/requests/${almas.bookingId}/approve`, {}, list.body);
  assert.equal(twice.headers.location, `${STAFF_REQUESTS_URL}?done=already`);
  assert.equal((await rows(`SELECT 1 FROM outbox WHERE payload->>'to' = 'alma@example.se' AND payload->>'subject' LIKE 'Din bokning%'`)).length, 1);
  assert.match((await get(frida, String(twice.headers.location))).body, /Bokningen var redan godkänd eller avslagen/);
  // Refusing an approved booking: nothing either.
  await post(frida, `/staff/bookings/requests/${almas.bookingId}/refuse`, { reason: 'Sent' }, list.body);
  assert.equal((await rows<{ status: string }>('SELECT status FROM bookings WHERE id = $1', [almas.bookingId]))[0]!.status, 'booked');

  // A refusal needs a reason, said at its field, what was typed kept.
  list = await get(frida, STAFF_REQUESTS_URL);
  const noReason = await post(frida, `/staff/bookings/requests/${ruts.bookingId}/refuse`, { reason: '  ' }, list.body);
  assert.equal(noReason.statusCode, 400);
  assert.match(noReason.body, new RegExp(`<a href="#refuse-${ruts.bookingId}">Skriv en anledning</a>`));
  const refused = await post(frida, `/staff/bookings/requests/${ruts.bookingId}/refuse`, { reason: 'Skolan har <b>prov</b> i salen' }, list.body);
  assert.equal(refused.headers.location, `${STAFF_REQUESTS_URL}?done=refused`);
  const [rut] = await rows<{ status: string; active: boolean; details: { endReason: string; decision: string }; case_status: string }>(
    'SELECT b.status, c.active, b.details, k.status AS case_status FROM bookings b JOIN booking_claims c ON c.booking_id = b.id JOIN cases k ON k.id = b.case_id WHERE b.id = $1',
    [ruts.bookingId],
  );
  assert.deepEqual({ status: rut!.status, active: rut!.active, reason: rut!.details.endReason, decision: rut!.details.decision, caseStatus: rut!.case_status }, { status: 'refused', active: false, reason: 'Skolan har <b>prov</b> i salen', decision: 'refused', caseStatus: 'called_off' });
  const journal = await rows<{ kind: string }>('SELECT kind FROM journal WHERE case_id = $1 ORDER BY seq', [ruts.caseId]);
  assert.deepEqual(journal.map((j) => j.kind), ['submitted', 'status_changed']);
  const rutMail = await rows<{ payload: { subject: string; text: string } }>(`SELECT payload FROM outbox WHERE payload->>'to' = 'rut@example.se' AND payload->>'subject' LIKE 'Din bokning%'`);
  assert.equal(rutMail.length, 1);
  assert.match(rutMail[0]!.payload.subject, /godkändes inte/);
  assert.match(rutMail[0]!.payload.text, /Anledning: Skolan har <b>prov<\/b> i salen/);
  const done = await get(frida, String(refused.headers.location));
  assert.match(done.body, /Bokningen är avslagen/);
  assert.doesNotMatch(done.body, /Rut Refuse/, 'no longer awaiting approval');
  // The booker's case page says so.
  const casePage = await get(r, `/my/cases/${ruts.caseId}`);
  assert.match(casePage.body, /Inte godkänd/);
});

test('many approvals and refusals of one booking at once: exactly one outcome, one e-mail', async () => {
  const who = await signInResident(t, NORRBY, { personalNumber: personalNumber('19700103', '123'), givenName: 'Ragna', familyName: 'Race' });
  const b = await bookGym(who, '2026-12-17', '18:00', 'race@example.se');
  const page = (await get(frida, STAFF_REQUESTS_URL)).body;
  const csrf = csrfFrom(page);
  const n = testDialect === 'postgres' ? 24 : 8;
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      t.app.inject({
        method: 'POST',
        url: `/staff/bookings/requests/${b.bookingId}/${i % 2 ? 'approve' : 'refuse'}`,
        headers: { host: NORRBY, cookie: frida.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ reason: 'Dubbelbokad sal', _csrf: csrf }).toString(),
      }),
    ),
  );
  assert.ok(results.every((r) => r.statusCode === 303), results.map((r) => r.statusCode).join(','));
  const outcomes = results.map((r) => new URL(String(r.headers.location), 'http://x').searchParams.get('done'));
  const winners = outcomes.filter((o) => o !== 'already');
  assert.equal(winners.length, 1, outcomes.join(','));
  const [row] = await rows<{ status: string; details: { decision: string } }>('SELECT status, details FROM bookings WHERE id = $1', [b.bookingId]);
  assert.equal(row!.status, winners[0] === 'approved' ? 'booked' : 'refused');
  assert.equal(row!.details.decision, winners[0]);
  assert.equal((await rows(`SELECT 1 FROM outbox WHERE payload->>'to' = 'race@example.se' AND payload->>'subject' LIKE 'Din bokning%'`)).length, 1, 'one decision, one e-mail');
  const journal = await rows<{ kind: string }>('SELECT kind FROM journal WHERE case_id = $1 ORDER BY seq', [b.caseId]);
  assert.deepEqual(journal.map((j) => j.kind), winners[0] === 'approved' ? ['submitted'] : ['submitted', 'status_changed']);
});

test("the day's bookings as CSV and PDF: hostile names kept as text, every download audit-logged", async () => {
  const evil = await signInResident(t, NORRBY, { personalNumber: personalNumber('19800101', '234'), givenName: "=cmd|' /C calc'!A0", familyName: 'Excel' });
  const script = await signInResident(t, NORRBY, { personalNumber: personalNumber('19800102', '234'), givenName: '<script>alert(1)</script>', familyName: '"Citat"; Semikolon' });
  const evils = await bookGym(evil, '2026-12-21', '17:00');
  const scripts = await bookGym(script, '2026-12-21', '18:00');
  const page = (await get(frida, weekUrl(GYM, '2026-12-21'))).body;
  assert.doesNotMatch(page, /<script>alert/, 'names are escaped on the page');
  assert.ok(page.includes('<td>&lt;script>alert(1)&lt;/script> &quot;Citat&quot;; Semikolon</td>'));
  const blocked = await post(frida, '/staff/bookings/blocks', { service: SERVICE, resource: GYM, date: '2026-12-21', from: '20:00', to: '21:00', reason: '+SUM(A1:A9) städning' }, page);
  assert.equal(blocked.statusCode, 303);

  const csv = await get(frida, `/staff/bookings/day.csv?service=${SERVICE}&date=2026-12-21`);
  assert.equal(csv.statusCode, 200);
  assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(String(csv.headers['content-disposition']), /^attachment; filename="boka-idrottshall-2026-12-21\.csv"$/);
  assert.equal(csv.headers['cache-control'], 'private, no-store');
  assert.ok(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 with a byte-order mark');
  const lines = csv.body.replace(/^\ufeff/, '').split('\r\n');
  assert.equal(lines[0], '"Lokal";"Från";"Till";"Status";"Bokad av";"Ärende"');
  assert.equal(lines[1], `"Centrumskolans gymnastiksal";"2026-12-21 17:00";"2026-12-21 18:00";"Väntar på godkännande";"'=cmd|' /C calc'!A0 Excel";"${evils.reference}"`);
  assert.equal(lines[2], `"Centrumskolans gymnastiksal";"2026-12-21 18:00";"2026-12-21 19:00";"Väntar på godkännande";"<script>alert(1)</script> ""Citat""; Semikolon";"${scripts.reference}"`);
  assert.equal(lines[3], `"Centrumskolans gymnastiksal";"2026-12-21 20:00";"2026-12-21 21:00";"Blockerad";"Blockerad: +SUM(A1:A9) städning";""`);
  assert.equal(lines.length, 5, 'one row each, and the last line ended');
  // No cell of any row starts a formula.
  for (const line of lines.slice(1, -1)) for (const cell of line.split('";"')) assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+\-@]/, cell);
  // In English: the headings and the states.
  const english = await get(frida, `/staff/bookings/day.csv?service=${SERVICE}&date=2026-12-21`, 'en');
  assert.match(english.body, /^\ufeff"Venue";"From";"To";"Status";"Booked by";"Case"\r\n/);
  assert.match(english.body, /"Awaiting approval"/);

  const pdf = await get(frida, `/staff/bookings/day.pdf?service=${SERVICE}&date=2026-12-21`);
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
  assert.ok(pdf.rawPayload.length > 5000, 'the fonts are embedded');
  const emptyDay = await get(frida, `/staff/bookings/day.pdf?service=${SERVICE}&date=2026-12-25`);
  assert.equal(emptyDay.statusCode, 200);

  // Each download: one entry for the file, one per case it lists (found by the case's reference).
  const audit = await rows<{ object_type: string; object_id: string; case_id: string | null; staff_id: string }>(`SELECT object_type, object_id, case_id, staff_id FROM audit_log WHERE action = 'booking.export' ORDER BY object_id, id`);
  const files = audit.filter((a) => a.object_type === 'booking_day').map((a) => a.object_id);
  assert.deepEqual(files.sort(), ['boka-idrottshall/2026-12-21.csv', 'boka-idrottshall/2026-12-21.csv', 'boka-idrottshall/2026-12-21.pdf', 'boka-idrottshall/2026-12-25.pdf']);
  const perCase = audit.filter((a) => a.object_type === 'case');
  assert.equal(perCase.length, 6, 'two cases in each of three files');
  assert.ok(perCase.every((a) => [evils.caseId, scripts.caseId].includes(a.case_id!) && a.staff_id === frida.staffId));
  // The security officer reads it in the log, translated.
  const officer = await signInStaff(t, NORRBY, { username: 'granskare', displayName: 'Greta Granskare', roles: ['security_officer'], departments: [] });
  const log = await get(officer, `/staff/audit?case=${evils.reference}`);
  assert.match(log.body, /Laddade ner bokningar/);
});

test("an officiant's schedule: staff see the ceremonies an officiant takes and block an absence, which no ceremony then takes them for", async () => {
  const vera = await signInStaff(t, NORRBY, { username: 'vera', displayName: 'Vera Vigsel', roles: ['handler'], departments: ['municipal-office'] });
  const services = await get(vera, '/staff/bookings');
  assert.equal(services.statusCode, 200);
  assert.match(services.body, /Eva Lindqvist/, 'the officiants are listed with the ceremony rooms');
  assert.match(services.body, /Vigselförrättare/);
  // Friday 15 January 2027: Eva Lindqvist is the only officiant working (13–17); the room is free then.
  const room = await get(undefined, '/services/borgerlig-vigsel/book?resource=nby-vigselrummet&week=2027-01-11');
  assert.match(room.body, /href="\/services\/borgerlig-vigsel\/apply\?resource=nby-vigselrummet&amp;start=2027-01-15T12%3A00/, 'a free Friday time');
  const week = `/staff/bookings?service=borgerlig-vigsel&resource=nby-officiant-lindqvist&week=2027-01-11`;
  const page = await get(vera, week);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Eva Lindqvist/);
  const r = await post(vera, '/staff/bookings/blocks', { service: 'borgerlig-vigsel', resource: 'nby-officiant-lindqvist', date: '2027-01-15', from: '13:00', to: '17:00', reason: 'Semester' }, page.body);
  assert.equal(r.statusCode, 303);
  assert.match((await get(vera, week)).body, /Semester/);
  // No officiant that afternoon: the room's Friday times are taken, on the public page too.
  const after = await get(undefined, '/services/borgerlig-vigsel/book?resource=nby-vigselrummet&week=2027-01-11');
  assert.doesNotMatch(after.body, /start=2027-01-15T1[2-5]/, 'no Friday time can be started');
  // Another officiant's week, and a block on an entry of no register of the service, are refused.
  const bogus = await post(vera, '/staff/bookings/blocks', { service: 'borgerlig-vigsel', resource: 'nby-norrbyhallen', date: '2027-01-15', from: '13:00', to: '17:00', reason: 'x' }, page.body);
  assert.equal(bogus.statusCode, 400);
});
