/**
 * Booking a sports hall over HTTP (issue 10, ADR 0039), on the shipped catalogue: the public pages
 * with their filters, a free time's link through sign-in and "whom for" to the time step, the
 * questions, check your answers, the booking written with its case, the calendar file, a time taken
 * meanwhile (the nearest free times, the answers kept), bad input on the step, and cancellation by
 * the booker (within the rules) and by staff (with a reason the booker is sent).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, ERIK, JONAS, KARIN, type SignedIn } from '../../test/helpers/sign-in.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { book, bookingTransaction } from './claims.ts';
import { instantOf } from './time.ts';

// Monday 23 November 2026, 10:00 in Stockholm; the week asked about is the next one.
const NOW = '2026-11-23T09:00:00Z';
const SERVICE = 'boka-idrottshall';
const PITCH = 'nby-hamnen-konstgras';
const t = await createTestApp({ now: NOW });
after(() => t.close());

const rows = <T>(sql: string, params: unknown[] = []) => t.tdb.db.query(sql, params).then((x) => x.rows as T[]);

async function get(who: SignedIn | undefined, url: string) {
  const res = await t.app.inject({ url, headers: { host: NORRBY, ...(who ? { cookie: who.jar.header() } : {}) } });
  who?.jar.store(res.headers['set-cookie']);
  return res;
}
async function post(who: SignedIn, url: string, form: Record<string, string>, page: string) {
  const body = new URLSearchParams({ ...form, _csrf: csrfFrom(page) });
  const res = await t.app.inject({ method: 'POST', url, headers: { host: NORRBY, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  who.jar.store(res.headers['set-cookie']);
  return res;
}
/** Follows redirects from a response, as a browser would. */
async function follow(who: SignedIn, res: Awaited<ReturnType<typeof get>>) {
  let r = res;
  for (let i = 0; i < 10 && r.statusCode >= 300 && r.statusCode < 400; i++) r = await get(who, String(r.headers.location));
  return r;
}

const monday = instantOf('2026-11-30', '16:00');

/**
 * Sends check your answers and pays at the demo provider (a priced time is held while the person
 * pays, ADR 0040); returns where the browser ends up after the provider.
 */
async function sendAndPay(who: SignedIn, draftId: string, checkBody: string, choice: 'succeed' | 'cancel' = 'succeed'): Promise<string> {
  const sent = await post(who, `/apply/${draftId}/submit`, {}, checkBody);
  const m = /\/test-pay\/(DEMO-[0-9a-f-]+)$/.exec(String(sent.headers.location));
  if (!m) return String(sent.headers.location);
  const paid = await t.app.inject({ method: 'POST', url: `/test-pay/${m[1]}`, headers: { host: NORRBY, 'content-type': 'application/x-www-form-urlencoded' }, payload: `choice=${choice}` });
  const back = await get(who, new URL(String(paid.headers.location)).pathname);
  return String(back.headers.location);
}
const at = (date: string, time: string) => instantOf(date, time).toISOString();

/** Starts a booking for oneself from a free time's link: the draft's time step, with the time preselected. */
async function start(who: SignedIn, start: string, resource = PITCH) {
  const link = `/services/${SERVICE}/apply?resource=${resource}&start=${encodeURIComponent(start)}`;
  const whomFor = await follow(who, await get(who, link));
  assert.match(whomFor.body, /value="self"/, 'a resident who may book for an association is asked for whom first');
  const step = await follow(who, await post(who, `/services/${SERVICE}/organisation`, { organisation: 'self' }, whomFor.body));
  const draftId = /\/apply\/([0-9a-f-]{36})\/time/.exec(step.body)?.[1] ?? '';
  return { step, draftId };
}

/** Answers the questions and arrives at check your answers. */
async function answer(who: SignedIn, draftId: string) {
  let page = await get(who, `/apply/${draftId}/purpose`);
  let res = await post(who, `/apply/${draftId}/purpose`, { activity: 'training', participants: '14' }, page.body);
  assert.equal(res.headers.location, `/apply/${draftId}/contact`);
  page = await get(who, `/apply/${draftId}/contact`);
  res = await post(who, `/apply/${draftId}/contact`, { email: 'bokare@example.se', phone: '070-123 45 67' }, page.body);
  assert.equal(res.headers.location, `/apply/${draftId}/check`);
  return get(who, `/apply/${draftId}/check`);
}

test('anyone sees the resources with filters and a week of free times; a free time links to the start of a booking', async () => {
  const all = await get(undefined, `/services/${SERVICE}/book?date=2026-11-30`);
  assert.equal(all.statusCode, 200);
  assert.match(all.body, /6 av 6 visas/);
  const pitches = await get(undefined, `/services/${SERVICE}/book?date=2026-11-30&kind=pitch`);
  assert.match(pitches.body, /2 av 6 visas/);
  assert.match(pitches.body, /Hamnens konstgräsplan/);
  assert.doesNotMatch(pitches.body, /Norrbyhallen/);
  // Västra IP is open at weekends only: on a Monday evening only the other pitch has free times.
  const evening = await get(undefined, `/services/${SERVICE}/book?date=2026-11-30&kind=pitch&time=evening`);
  assert.match(evening.body, /1 av 6 visas/);
  // A date that is not one: said, in the user's language, with the filters kept.
  const bad = await get(undefined, `/services/${SERVICE}/book?date=30%2F11&kind=pitch`);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Skriv datumet som år-månad-dag/);
  const week = await get(undefined, `/services/${SERVICE}/book?resource=${PITCH}&week=2026-11-30`);
  assert.match(week.body, /<caption>Hamnens konstgräsplan, vecka 49: måndag 30 november–söndag 6 december<\/caption>/);
  // Fixed 90-minute slots with the 15-minute buffer between them, in local time.
  assert.match(week.body, /Boka måndag 30 november <\/span>16:00/);
  assert.match(week.body, /Boka måndag 30 november <\/span>17:45/);
  assert.ok(week.body.includes(`start=${encodeURIComponent(monday.toISOString())}`));
  // The holidays are closed, with why.
  const christmas = await get(undefined, `/services/${SERVICE}/book?resource=${PITCH}&week=2026-12-24`);
  assert.match(christmas.body, /Stängt: Julhelgen/);
  const english = await t.app.inject({ url: `/services/${SERVICE}/book?resource=${PITCH}&week=2026-11-30`, headers: { host: NORRBY, cookie: 'mb_lang=en' } });
  assert.match(english.body, /Hamnens konstgräsplan, week 49: Monday 30 November–Sunday 6 December/);
});

test('a resident books a pitch: the time from the link, the questions, check your answers, the booking with its case and calendar file', async () => {
  const erik = await signInResident(t, NORRBY, ERIK);
  const { step, draftId } = await start(erik, monday.toISOString());
  assert.equal(step.statusCode, 200);
  assert.match(step.body, /Vilken tid vill du boka\?/);
  assert.match(step.body, new RegExp(`value="${monday.toISOString()}" checked`), 'the linked time is chosen');
  const chosen = await post(erik, `/apply/${draftId}/time`, { resource: PITCH, slot: monday.toISOString() }, step.body);
  assert.equal(chosen.headers.location, `/apply/${draftId}/purpose`);
  const check = await answer(erik, draftId);
  assert.match(check.body, /Tid och plats/);
  assert.match(check.body, /måndag 30 november 16:00–17:30/);
  // The resident's price for 90 minutes at 400 kr an hour.
  assert.match(check.body, /600\u00a0kr/);
  // Priced: the time is held while Erik pays, then booked with its case.
  const sent = await post(erik, `/apply/${draftId}/submit`, {}, check.body);
  assert.match(String(sent.headers.location), /\/test-pay\/DEMO-/);
  const [held] = await rows<{ status: string; hold_until: Date; case_id: string | null }>(`SELECT status, hold_until, case_id FROM bookings WHERE service_id = $1`, [SERVICE]);
  assert.equal(held?.status, 'held');
  assert.equal(held.hold_until.getTime() - new Date(NOW).getTime(), 15 * 60_000);
  assert.equal(held.case_id, null);
  const reference = /\/test-pay\/(DEMO-[0-9a-f-]+)$/.exec(String(sent.headers.location))![1];
  const paid = await t.app.inject({ method: 'POST', url: `/test-pay/${reference}`, headers: { host: NORRBY, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'choice=succeed' });
  assert.equal((await get(erik, new URL(String(paid.headers.location)).pathname)).headers.location, `/apply/${draftId}/confirmation`);
  const [booking] = await rows<{ status: string; case_id: string; price_ore: string; customer_type: string; owner_id: string }>(
    `SELECT status, case_id, price_ore, customer_type, owner_id FROM bookings WHERE service_id = $1`,
    [SERVICE],
  );
  assert.equal(booking?.status, 'booked');
  assert.equal(Number(booking.price_ore), 60_000);
  assert.equal(booking.customer_type, 'resident');
  assert.equal(booking.owner_id, erik.residentId);
  const [made] = await rows<{ reference: string; status: string }>('SELECT reference, status FROM cases WHERE id = $1', [booking.case_id]);
  assert.match(made!.reference, /^BOK-2026-/);
  assert.equal(made!.status, 'upcoming');
  // The claim holds the slot and the buffer after it.
  const [claim] = await rows<{ occupies: string; active: boolean }>('SELECT occupies::text AS occupies, active FROM booking_claims WHERE resource_id = $1', [`sports-facilities/${PITCH}`]);
  assert.equal(claim?.active, true);
  assert.match(claim!.occupies, /2026-11-30 15:00:00\+00.*2026-11-30 16:45:00\+00/);
  // The case page shows the booking; its calendar file is the booked time.
  const casePage = await get(erik, `/my/cases/${booking.case_id}`);
  assert.match(casePage.body, /Din bokning/);
  assert.match(casePage.body, /Hamnens konstgräsplan, Kajgatan 40, Norrby/);
  assert.match(casePage.body, /Du kan avboka fram till 29 november 2026 kl\. 16:00/);
  const ics = await get(erik, `/my/cases/${booking.case_id}/booking.ics`);
  assert.equal(ics.headers['content-type'], 'text/calendar; charset=utf-8');
  assert.match(ics.body, /DTSTART:20261130T150000Z\r\nDTEND:20261130T163000Z/);
  assert.match(ics.body, /STATUS:CONFIRMED/);
  // The receipt e-mail says what was booked (paid first: made when the payment arrived).
  const [receipt] = await rows<{ text: string }>(`SELECT payload->>'text' AS text FROM outbox WHERE payload->>'subject' LIKE '%' || $1`, [made!.reference]);
  assert.match(receipt!.text, /Tid och plats: Hamnens konstgräsplan, Kajgatan 40, Norrby, måndag 30 november 16:00–17:30\./);
  // My cases names the booking by its place and time.
  const mine = await get(erik, '/my/cases');
  assert.match(mine.body, new RegExp(`${made!.reference}[\\s\\S]*?<td data-label="Gäller">Hamnens konstgräsplan, [^<]*30 nov[^<]*16:00–17:30</td>`));
  // Another resident's calendar file of it is not found.
  const anna = await signInResident(t, NORRBY, ANNA);
  assert.equal((await get(anna, `/my/cases/${booking.case_id}/booking.ics`)).statusCode, 404);
  // The public week shows the time taken now.
  const week = await get(undefined, `/services/${SERVICE}/book?resource=${PITCH}&week=2026-11-30`);
  assert.match(week.body, /<\/span>16:00 <span class="mb-hint">\(upptagen\)<\/span>/);
});

test('a time booked by someone else meanwhile: the person is sent back with the nearest free times, answers kept, and books another', async () => {
  const tuesday = at('2026-12-01', '17:45');
  const anna = await signInResident(t, NORRBY, ANNA);
  const karin = await signInResident(t, NORRBY, KARIN);
  const a = await start(anna, tuesday);
  const k = await start(karin, tuesday);
  await post(anna, `/apply/${a.draftId}/time`, { resource: PITCH, slot: tuesday }, a.step.body);
  await post(karin, `/apply/${k.draftId}/time`, { resource: PITCH, slot: tuesday }, k.step.body);
  const annaCheck = await answer(anna, a.draftId);
  const karinCheck = await answer(karin, k.draftId);
  assert.equal(await sendAndPay(anna, a.draftId, annaCheck.body), `/apply/${a.draftId}/confirmation`);
  const lost = await post(karin, `/apply/${k.draftId}/submit`, {}, karinCheck.body);
  assert.equal(lost.headers.location, `/apply/${k.draftId}/time?lost=1`);
  const again = await get(karin, String(lost.headers.location));
  assert.equal(again.statusCode, 409);
  assert.match(again.body, /Tiden hann bokas av någon annan/);
  assert.match(again.body, /Dina svar är sparade/);
  assert.match(again.body, /De närmaste lediga tiderna/);
  // The nearest free times: the slots either side of the lost one.
  assert.match(again.body, /tisdag 1 december 16:00–17:30/);
  assert.match(again.body, /tisdag 1 december 19:30–21:00/);
  const [draft] = await rows<{ answers: Record<string, unknown>; submitted_case_id: string | null }>('SELECT answers, submitted_case_id FROM drafts WHERE id = $1', [k.draftId]);
  assert.equal(draft?.submitted_case_id, null);
  assert.equal(draft?.answers.participants, 14);
  // Choosing a nearest time goes straight back to check your answers, and it books.
  const other = at('2026-12-01', '19:30');
  const chosen = await post(karin, `/apply/${k.draftId}/time`, { resource: PITCH, slot: other }, again.body);
  assert.equal(chosen.headers.location, `/apply/${k.draftId}/check`);
  const check = await get(karin, `/apply/${k.draftId}/check`);
  assert.equal(await sendAndPay(karin, k.draftId, check.body), `/apply/${k.draftId}/confirmation`);
  const booked = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM bookings WHERE status = 'booked' AND starts_at IN ($1, $2)`, [tuesday, other]);
  assert.equal(booked[0]!.n, 2);
});

test("dates in the public pages' links and filter that are none, or too far off: the date error with what was typed, or this week — never a server error", async () => {
  for (const [query, status, message] of [
    ['date=9999-12-31', 400, /Välj ett datum inom tio år från i dag/],
    ['date=0000-01-01', 400, /Skriv datumet som år-månad-dag/],
    ['date=2040-01-01', 400, /Välj ett datum inom tio år från i dag/],
    ['date=2026-02-30', 400, /Skriv datumet som år-månad-dag/],
    ['date=%3Cscript%3E', 400, /Skriv datumet som år-månad-dag/],
  ] as const) {
    const page = await get(undefined, `/services/${SERVICE}/book?${query}`);
    assert.equal(page.statusCode, status, query);
    assert.match(page.body, message, query);
    const field = /id="f-date"[^>]*value="([^"]*)"/.exec(page.body)?.[1] ?? '';
    assert.equal(field.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'), decodeURIComponent(query.slice(5)), `${query}: what was typed stays in the field`);
    assert.doesNotMatch(page.body, /<script>/);
  }
  for (const week of ['9999-12-31', '0000-01-01', '2026-02-30', '2026-13-45', '99999-01-01']) {
    const page = await get(undefined, `/services/${SERVICE}/book?resource=${PITCH}&week=${week}`);
    assert.equal(page.statusCode, 200, week);
    assert.match(page.body, /vecka 48: måndag 23 november/, `${week}: the week of today`);
  }
});

test('bad input on the time step: a clear error, the page again, nothing chosen', async () => {
  const erik = await signInResident(t, NORRBY, ERIK);
  const { step, draftId } = await start(erik, at('2026-12-02', '16:00'));
  const tries: [Record<string, string>, number, RegExp][] = [
    [{ resource: PITCH }, 400, /Välj en tid/],
    [{ resource: PITCH, slot: '<script>alert(1)</script>' }, 400, /Den tiden går inte att boka/],
    [{ resource: PITCH, slot: "2026-12-02T15:00:00Z' OR 1=1 --" }, 400, /Den tiden går inte att boka/],
    // Between two slots, and in the night.
    [{ resource: PITCH, slot: at('2026-12-02', '16:30') }, 400, /Den tiden går inte att boka/],
    [{ resource: PITCH, slot: at('2026-12-02', '03:00') }, 400, /Lokalen är stängd den tiden/],
    // Too far ahead (90 days).
    [{ resource: PITCH, slot: at('2027-03-03', '16:00') }, 400, /går inte att boka än/],
    // A free length outside the court's 60–120 minutes.
    [{ resource: 'nby-norrskogen-tennis', slot: at('2026-12-02', '10:00'), minutes: '180' }, 400, /Välj hur länge du vill boka/],
    [{ resource: 'nby-norrskogen-tennis', slot: at('2026-12-02', '10:00'), minutes: '75' }, 400, /Välj hur länge du vill boka/],
    // A time that has passed; a listed start with a length that runs past closing (the court closes at 22).
    [{ resource: PITCH, slot: at('2026-11-20', '16:00') }, 400, /Den tiden har redan varit/],
    [{ resource: 'nby-norrskogen-tennis', slot: at('2026-12-02', '21:00'), minutes: '120' }, 400, /Lokalen stänger innan den tiden är slut/],
    // Instants no calendar here has: the year 275760, the year -271821, the year 9999.
    [{ resource: PITCH, slot: '+275760-09-13T00:00:00.000Z' }, 400, /Den tiden går inte att boka/],
    [{ resource: PITCH, slot: '-271821-04-20T00:00:00.000Z' }, 400, /Den tiden går inte att boka/],
    [{ resource: PITCH, slot: '9999-12-31T10:00:00.000Z' }, 400, /Den tiden går inte att boka/],
  ];
  for (const [form, status, message] of tries) {
    const res = await post(erik, `/apply/${draftId}/time`, form, step.body);
    assert.equal(res.statusCode, status, JSON.stringify(form));
    assert.match(res.body, message, JSON.stringify(form));
    assert.doesNotMatch(res.body, /<script>alert/);
  }
  // Weeks and times in links that no calendar here has: this week's page, never a server error.
  for (const query of ['week=9999-12-31', 'week=0000-01-01', 'week=2026-02-30', 'start=9999-12-31T00:00:00Z', 'start=-271821-04-20T00:00:00Z']) {
    const page = await get(erik, `/apply/${draftId}/time?resource=${PITCH}&${query}`);
    assert.equal(page.statusCode, 200, query);
    assert.match(page.body, /vecka 48: måndag 23 november/, `${query}: the week of today`);
  }
  // A resource of no such service: the list to choose from, never a time.
  const forged = await post(erik, `/apply/${draftId}/time`, { resource: '../../etc/passwd', slot: at('2026-12-02', '16:00') }, step.body);
  assert.match(forged.body, /Vad vill du boka\?/);
  const [draft] = await rows<{ chosen: unknown }>('SELECT chosen FROM drafts WHERE id = $1', [draftId]);
  assert.equal(draft?.chosen, null, 'nothing was chosen');
  // A free length within the rules is chosen.
  const court = await post(erik, `/apply/${draftId}/time`, { resource: 'nby-norrskogen-tennis', slot: at('2026-12-02', '10:00'), minutes: '90' }, step.body);
  assert.equal(court.statusCode, 303);
  const [after] = await rows<{ chosen: { start: string; end: string } }>('SELECT chosen FROM drafts WHERE id = $1', [draftId]);
  assert.equal(new Date(after!.chosen.end).getTime() - new Date(after!.chosen.start).getTime(), 90 * 60_000);
  // Too soon: two hours' notice, at 15:30 for 16:00.
  t.clock.set(at('2026-11-23', '15:30'));
  try {
    const again = await signInResident(t, NORRBY, ERIK);
    const page = await get(again, `/apply/${draftId}/time`);
    const soon = await post(again, `/apply/${draftId}/time`, { resource: PITCH, slot: at('2026-11-23', '16:00') }, page.body);
    assert.equal(soon.statusCode, 400);
    assert.match(soon.body, /för nära i tid/);
  } finally {
    t.clock.set(NOW);
  }
});

const MIKAEL = { personalNumber: '198606119819', givenName: 'Mikael', familyName: 'Andersson' };
const SARA = { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' };

test('the booker cancels within the rules and the time is free at once; staff cancel with a reason the booker is sent', async () => {
  const erik = await signInResident(t, NORRBY, MIKAEL);
  const slot = at('2026-12-03', '16:00');
  const { step, draftId } = await start(erik, slot);
  await post(erik, `/apply/${draftId}/time`, { resource: PITCH, slot }, step.body);
  const check = await answer(erik, draftId);
  await sendAndPay(erik, draftId, check.body);
  const [b] = await rows<{ id: string; case_id: string }>('SELECT id, case_id FROM bookings WHERE starts_at = $1', [slot]);
  const confirm = await get(erik, `/my/cases/${b!.case_id}/booking/cancel`);
  assert.match(confirm.body, /Vill du avboka\?/);
  assert.match(confirm.body, /Vi betalar tillbaka 600\skr till ditt kort eller konto/, 'what comes back is said before confirming (the service refunds 100 % within its rules)');
  const done = await post(erik, `/my/cases/${b!.case_id}/booking/cancel`, {}, confirm.body);
  assert.equal(done.headers.location, `/my/cases/${b!.case_id}?booking=cancelled`);
  const [after] = await rows<{ status: string; active: boolean; case_status: string }>(
    'SELECT b.status, c.active, k.status AS case_status FROM bookings b JOIN booking_claims c ON c.booking_id = b.id JOIN cases k ON k.id = b.case_id WHERE b.id = $1',
    [b!.id],
  );
  assert.deepEqual(after, { status: 'cancelled', active: false, case_status: 'called_off' });
  const journal = await rows<{ kind: string }>('SELECT kind FROM journal WHERE case_id = $1 ORDER BY seq', [b!.case_id]);
  assert.deepEqual(journal.map((j) => j.kind), ['submitted', 'booking_cancelled', 'payment_refunded', 'status_changed']);
  // The pitch's 600 kr back to the booker, by the rule (nobody behind it), once.
  const refunded = async (caseId: string) =>
    rows<{ amount_ore: string; refunded_ore: string; refund: string; by: string | null }>(
      'SELECT p.amount_ore, p.refunded_ore, r.amount_ore || \' \' || r.status AS refund, r.requested_by AS by FROM payments p JOIN payment_refunds r ON r.payment_id = p.id WHERE p.case_id = $1',
      [caseId],
    ).then((x) => x.map((r) => ({ amount: Number(r.amount_ore), refunded: Number(r.refunded_ore), refund: r.refund, by: r.by })));
  assert.deepEqual(await refunded(b!.case_id), [{ amount: 60_000, refunded: 60_000, refund: '60000 done', by: null }]);
  const twice = await post(erik, `/my/cases/${b!.case_id}/booking/cancel`, {}, confirm.body);
  assert.equal(twice.headers.location, `/my/cases/${b!.case_id}?booking=cancelled`, 'a second cancellation finds it cancelled');
  assert.equal((await refunded(b!.case_id)).length, 1, 'and refunds nothing more');
  const page = await get(erik, `/my/cases/${b!.case_id}?booking=cancelled`);
  assert.match(page.body, /Bokningen är avbokad/);
  assert.doesNotMatch(page.body, /booking\.ics/);
  // On My cases too, in the booker's language.
  await get(erik, '/language?to=en&back=/my/cases');
  const mine = await get(erik, '/my/cases');
  assert.match(mine.body, /<td data-label="About">Hamnens konstgräsplan, [^<]*16:00–17:30 \(Cancelled\)<\/td>/);
  await get(erik, '/language?to=sv&back=/');
  // The time is free for the next person.
  const anna = await signInResident(t, NORRBY, ANNA);
  const again = await start(anna, slot);
  await post(anna, `/apply/${again.draftId}/time`, { resource: PITCH, slot }, again.step.body);
  const annaCheck = await answer(anna, again.draftId);
  assert.equal(await sendAndPay(anna, again.draftId, annaCheck.body), `/apply/${again.draftId}/confirmation`);
  const [annas] = await rows<{ case_id: string }>(`SELECT case_id FROM bookings WHERE starts_at = $1 AND status = 'booked'`, [slot]);

  // Staff close the pitch: a reason is required, and the booker is written to with it.
  const staff = await signInStaff(t, NORRBY, { username: 'frida', displayName: 'Frida Fritid', roles: ['handler'], departments: ['culture-and-leisure'] });
  const casePage = await get(staff, `/staff/cases/${annas!.case_id}`);
  assert.match(casePage.body, /Avboka åt kommunen/);
  const noReason = await post(staff, `/staff/cases/${annas!.case_id}/booking/cancel`, { reason: '  ' }, casePage.body);
  assert.equal(noReason.headers.location, `/staff/cases/${annas!.case_id}?booking=reason#booking-reason`);
  assert.match((await get(staff, String(noReason.headers.location))).body, /Skriv varför tiden avbokas/);
  const reason = 'Konstgräset byts <script>x</script>';
  await post(staff, `/staff/cases/${annas!.case_id}/booking/cancel`, { reason }, casePage.body);
  const [ended] = await rows<{ status: string }>('SELECT status FROM bookings WHERE case_id = $1', [annas!.case_id]);
  assert.equal(ended?.status, 'cancelled');
  const mail = await rows<{ payload: { to: string; subject: string; text: string } }>(`SELECT payload FROM outbox WHERE payload->>'subject' LIKE '%är avbokad%'`);
  assert.equal(mail.length, 1);
  assert.equal(mail[0]!.payload.to, 'bokare@example.se');
  assert.match(mail[0]!.payload.text, /Konstgräset byts <script>x<\/script>/, 'the reason as written (a plain-text mail)');
  // The municipality cancelled: all of it back, requested by the member of staff, and the mail says so.
  assert.deepEqual((await refunded(annas!.case_id)).map((r) => [r.refund, r.by !== null]), [['60000 done', true]]);
  assert.match(mail[0]!.payload.text, /Vi betalar tillbaka 600\skr till ditt kort eller konto/);
  // The booker cannot cancel twice, nor after the limit.
  t.clock.set('2026-11-30T12:00:00Z');
  try {
    let late = await signInResident(t, NORRBY, SARA);
    const slot2 = at('2026-12-04', '16:00');
    const s = await start(late, slot2);
    await post(late, `/apply/${s.draftId}/time`, { resource: PITCH, slot: slot2 }, s.step.body);
    const c = await answer(late, s.draftId);
    await sendAndPay(late, s.draftId, c.body);
    const [b2] = await rows<{ case_id: string }>('SELECT case_id FROM bookings WHERE starts_at = $1', [slot2]);
    t.clock.set('2026-12-03T15:01:00Z'); // a minute past 24 hours before
    late = await signInResident(t, NORRBY, SARA);
    const tooLate = await get(late, `/my/cases/${b2!.case_id}/booking/cancel`);
    assert.match(tooLate.body, /för sent att avboka/);
    const refused = await post(late, `/my/cases/${b2!.case_id}/booking/cancel`, {}, tooLate.body);
    assert.equal(refused.statusCode, 409);
    const [still] = await rows<{ status: string }>('SELECT status FROM bookings WHERE case_id = $1', [b2!.case_id]);
    assert.equal(still?.status, 'booked');
    assert.equal(slot2, '2026-12-04T15:00:00.000Z');
  } finally {
    t.clock.set(NOW);
  }
});

test('a payment that arrives after its hold ran out: booked if the time is still free, refunded in full if someone took it', async () => {
  const slot = at('2026-12-07', '16:00');
  const later = at('2026-12-07', '17:45');
  const anna = await signInResident(t, NORRBY, ANNA);
  const karin = await signInResident(t, NORRBY, KARIN);
  const pay = async (location: string, who: SignedIn) => {
    const reference = /\/test-pay\/(DEMO-[0-9a-f-]+)$/.exec(location)![1];
    const paid = await t.app.inject({ method: 'POST', url: `/test-pay/${reference}`, headers: { host: NORRBY, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'choice=succeed' });
    return String((await get(who, new URL(String(paid.headers.location)).pathname)).headers.location);
  };
  try {
    // Anna holds 16:00 and goes to pay; Karin holds 17:45 and goes to pay; both take 17 minutes.
    const a = await start(anna, slot);
    await post(anna, `/apply/${a.draftId}/time`, { resource: PITCH, slot }, a.step.body);
    const annaSent = await post(anna, `/apply/${a.draftId}/submit`, {}, (await answer(anna, a.draftId)).body);
    const k = await start(karin, later);
    await post(karin, `/apply/${k.draftId}/time`, { resource: PITCH, slot: later }, k.step.body);
    const karinSent = await post(karin, `/apply/${k.draftId}/submit`, {}, (await answer(karin, k.draftId)).body);
    t.clock.set('2026-11-23T09:17:00Z'); // past the 15-minute hold, within the 20-minute session
    // Anna's held time is shown free again, and Mikael books and pays for it meanwhile.
    const week = await get(undefined, `/services/${SERVICE}/book?resource=${PITCH}&week=2026-12-07`);
    assert.doesNotMatch(week.body, /<\/span>16:00 <span class="mb-hint">\(upptagen\)<\/span>/, 'a hold that ran out holds nothing');
    const mikael = await signInResident(t, NORRBY, MIKAEL);
    const m = await start(mikael, slot);
    await post(mikael, `/apply/${m.draftId}/time`, { resource: PITCH, slot }, m.step.body);
    assert.equal(await sendAndPay(mikael, m.draftId, (await answer(mikael, m.draftId)).body), `/apply/${m.draftId}/confirmation`);
    // Anna's payment arrives late: the time is Mikael's, so hers is refunded in full and she chooses again.
    const annaRefunded = await pay(String(annaSent.headers.location), anna);
    assert.equal(annaRefunded, `/apply/${a.draftId}/refunded?held=1`);
    const annaBack = String((await get(anna, annaRefunded)).headers.location);
    assert.equal(annaBack, `/apply/${a.draftId}/time?lost=1&refunded=1`);
    const annaPage = await get(anna, annaBack);
    assert.match(annaPage.body, /Vi betalar tillbaka hela beloppet/);
    const [payment] = await rows<{ status: string; case_id: string | null; amount_ore: string; refunded_ore: string }>(`SELECT status, case_id, amount_ore, refunded_ore FROM payments WHERE purpose_id = $1`, [a.draftId]);
    assert.deepEqual({ ...payment, amount_ore: Number(payment!.amount_ore), refunded_ore: Number(payment!.refunded_ore) }, { status: 'paid', case_id: null, amount_ore: 60_000, refunded_ore: 60_000 });
    const refunds = await rows<{ status: string; requested_by: string | null }>('SELECT r.status, r.requested_by FROM payment_refunds r JOIN payments p ON p.id = r.payment_id WHERE p.purpose_id = $1', [a.draftId]);
    assert.deepEqual(refunds, [{ status: 'done', requested_by: null }]);
    const [annaDraft] = await rows<{ submitted_case_id: string | null }>('SELECT submitted_case_id FROM drafts WHERE id = $1', [a.draftId]);
    assert.equal(annaDraft?.submitted_case_id, null, 'no case: she chooses again, her answers kept');
    // Karin's late payment finds her time still free: it is booked after all.
    assert.equal(await pay(String(karinSent.headers.location), karin), `/apply/${k.draftId}/confirmation`);
    const booked = await rows<{ starts_at: Date; status: string }>(`SELECT starts_at, status FROM bookings WHERE starts_at IN ($1, $2) AND status = 'booked' ORDER BY starts_at`, [slot, later]);
    assert.deepEqual(booked.map((b) => b.starts_at.toISOString()), [slot, later]);
    // Never two on one time.
    const overlaps = await rows<{ n: number }>(`SELECT count(*)::int AS n FROM booking_claims a JOIN booking_claims b ON a.resource_id = b.resource_id AND a.booking_id < b.booking_id AND a.active AND b.active AND a.occupies && b.occupies`);
    assert.equal(overlaps[0]!.n, 0);
  } finally {
    t.clock.set(NOW);
  }
});

test('one draft sent three times (tabs, a second try) and each payment paid: one booking, one payment kept, the others refunded in full', async () => {
  const slot = at('2026-12-08', '16:00');
  const jonas = await signInResident(t, NORRBY, JONAS);
  const { step, draftId } = await start(jonas, slot);
  await post(jonas, `/apply/${draftId}/time`, { resource: PITCH, slot }, step.body);
  const check = await answer(jonas, draftId);
  // Each send holds the time anew for its own payment (the hold before it let go).
  const sent: string[] = [];
  for (let i = 0; i < 3; i++) sent.push(String((await post(jonas, `/apply/${draftId}/submit`, {}, check.body)).headers.location));
  assert.equal(new Set(sent).size, 3, 'three payments started');
  const pay = async (location: string) => {
    const reference = /\/test-pay\/(DEMO-[0-9a-f-]+)$/.exec(location)![1];
    const paid = await t.app.inject({ method: 'POST', url: `/test-pay/${reference}`, headers: { host: NORRBY, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'choice=succeed' });
    let to = String((await get(jonas, new URL(String(paid.headers.location)).pathname)).headers.location);
    if (to.includes('/refunded')) to = String((await get(jonas, to)).headers.location);
    return to;
  };
  // The first payment's hold was let go by the second send: refunded, choose again.
  assert.equal(await pay(sent[0]!), `/apply/${draftId}/time?lost=1&refunded=1`);
  // The last holds the time: booked.
  assert.equal(await pay(sent[2]!), `/apply/${draftId}/confirmation`);
  // The second arrives after the draft was sent: refunded in full, and the confirmation says so.
  const twice = await pay(sent[1]!);
  assert.equal(twice, `/apply/${draftId}/confirmation?refunded=1`);
  assert.match((await get(jonas, twice)).body, /Ansökan var redan skickad och betald när den här betalningen kom fram, så vi betalar tillbaka den i sin helhet/);
  const payments = await rows<{ case_id: string | null; status: string; refunded_ore: string }>('SELECT case_id, status, refunded_ore FROM payments WHERE purpose_id = $1 ORDER BY created_at, id', [draftId]);
  // (Sent at one instant of the test's clock: in no particular order.)
  assert.deepEqual(payments.map((p) => `${p.status} ${p.case_id ? 'with the case' : 'without a case'}, refunded ${Number(p.refunded_ore)}`).sort(), ['paid with the case, refunded 0', 'paid without a case, refunded 60000', 'paid without a case, refunded 60000']);
  const booked = await rows<{ status: string }>("SELECT b.status FROM bookings b JOIN booking_claims c ON c.booking_id = b.id AND c.active WHERE b.starts_at = $1", [slot]);
  assert.deepEqual(booked, [{ status: 'booked' }], 'one booking holds the time');
  const [made] = await rows<{ id: string }>('SELECT submitted_case_id AS id FROM drafts WHERE id = $1', [draftId]);
  const casePage = await get(jonas, `/my/cases/${made!.id}`);
  assert.equal((casePage.body.match(/Betald/g) ?? []).length, 1, 'the case shows the one payment it was made with');
});

test('a free time (no price) is booked at once, without payment', async () => {
  const sara = await signInResident(t, NORRBY, { personalNumber: '199201019815', givenName: 'Saga', familyName: 'Fri' });
  const slot = at('2026-11-30', '17:00');
  const s = await start(sara, slot, 'nby-centrumskolan-gympasal');
  await post(sara, `/apply/${s.draftId}/time`, { resource: 'nby-centrumskolan-gympasal', slot }, s.step.body);
  const check = await answer(sara, s.draftId);
  assert.doesNotMatch(check.body, /<dt>Pris<\/dt>/);
  const sent = await post(sara, `/apply/${s.draftId}/submit`, {}, check.body);
  assert.equal(sent.headers.location, `/apply/${s.draftId}/confirmation`);
  const [b] = await rows<{ status: string; price_ore: string }>('SELECT status, price_ore FROM bookings WHERE starts_at = $1', [slot]);
  assert.deepEqual({ status: b!.status, price: Number(b!.price_ore) }, { status: 'booked', price: 0 });
  // Written with its case in one statement: the receipt says what was booked all the same.
  const [receipt] = await rows<{ text: string }>(`SELECT o.payload->>'text' AS text FROM outbox o JOIN drafts d ON o.payload->>'subject' LIKE '%' || (SELECT reference FROM cases WHERE id = d.submitted_case_id) WHERE d.id = $1`, [s.draftId]);
  assert.match(receipt!.text, /Tid och plats: Centrumskolans gymnastiksal, Skolgatan 21, Norrby, måndag 30 november 17:00–18:00\./);
});

test('a free time is booked with its case in one statement after the session read, lapsing a hold in its way that ran out', async () => {
  const gym = 'nby-centrumskolan-gympasal';
  const slot = at('2026-11-30', '18:00');
  const olle = await signInResident(t, NORRBY, { personalNumber: '198803039812', givenName: 'Olle', familyName: 'Snabb' });
  const s = await start(olle, slot, gym);
  await post(olle, `/apply/${s.draftId}/time`, { resource: gym, slot }, s.step.body);
  const check = await answer(olle, s.draftId);
  // Someone's hold of the same time, which ran out a minute ago (its payment abandoned).
  const norrby = tenantScope(t.tdb.db, 'norrby');
  const span = { start: new Date(slot), end: new Date(new Date(slot).getTime() + 3_600_000) };
  const held = await bookingTransaction(norrby, (tx) =>
    book(tx, { serviceId: SERVICE, status: 'held', holdUntil: new Date(t.clock.now().getTime() - 60_000), span, claims: [{ resourceId: `sports-facilities/${gym}`, occupies: span }] }, t.clock.now()),
  );
  const db = t.tdb.db;
  const statements: string[] = [];
  const query = db.query.bind(db);
  const transaction = db.transaction.bind(db);
  db.query = ((sql: string, params?: readonly unknown[]) => {
    statements.push(sql.replace(/\s+/g, ' '));
    return query(sql, params);
  }) as typeof db.query;
  db.transaction = ((fn: Parameters<typeof db.transaction>[0]) => {
    statements.push('transaction');
    return transaction(fn);
  }) as typeof db.transaction;
  let sent;
  try {
    sent = await post(olle, `/apply/${s.draftId}/submit`, {}, check.body);
  } finally {
    db.query = query;
    db.transaction = transaction;
  }
  assert.equal(sent.headers.location, `/apply/${s.draftId}/confirmation`);
  // The hot path's round trips (bench/README.md, bench:booking): the session with the draft, then the booking with its case.
  assert.equal(statements.length, 2, statements.join('\n'));
  assert.match(statements[0]!, /FROM sessions s LEFT JOIN residents /);
  assert.match(statements[1]!, /^WITH booking_check AS MATERIALIZED .*INSERT INTO cases .*INSERT INTO bookings .*INSERT INTO booking_claims /);
  const made = await rows<{ id: string; status: string; case_id: string | null; active: boolean }>(
    'SELECT b.id, b.status, b.case_id, c.active FROM bookings b JOIN booking_claims c ON c.tenant_id = b.tenant_id AND c.booking_id = b.id WHERE b.starts_at = $1 ORDER BY b.status DESC',
    [slot],
  );
  const [draft] = await rows<{ submitted_case_id: string }>('SELECT submitted_case_id FROM drafts WHERE id = $1', [s.draftId]);
  assert.deepEqual(
    made.map((b) => ({ ...b, id: b.id === held ? 'held' : 'new' })),
    [
      { id: 'held', status: 'lapsed', case_id: null, active: false },
      { id: 'new', status: 'booked', case_id: draft!.submitted_case_id, active: true },
    ],
  );
});
