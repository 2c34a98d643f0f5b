/**
 * Prices per kind of customer (ADR 0038): an organisation's signatory books as an association; a
 * resident younger than the service's `booking.youthUnder` (20 unless it says otherwise), by the
 * e-ID's birth date, at the youth price where the resource has one — on check your answers, in the
 * payment asked for and on the booking — and anyone else at the residents' price.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { journey } from '../../test/helpers/journey.ts';
import { signInResident, ANNA } from '../../test/helpers/sign-in.ts';
import { syntheticPersonalNumber } from '../../test/helpers/test-people.ts';
import { customerTypeOf, isYouth, priceOf } from './prices.ts';
import { resolveRules } from './availability.ts';
import { instantOf } from './time.ts';

/** The synthetic resident born on a date (test-people: one a day from 1 January 1950). */
const bornOn = (date: string) => ({ personalNumber: syntheticPersonalNumber((Date.parse(`${date}T00:00:00Z`) - Date.UTC(1950, 0, 1)) / 86_400_000), givenName: 'Unga', familyName: 'Ungdom' });

test('youth is by the e-ID birth date: under 20 unless the service says otherwise; without e-ID nobody', () => {
  const def = { booking: { resources: 'x', rules: {} } };
  assert.equal(isYouth(def, bornOn('2006-11-24').personalNumber, '2026-11-23'), true, '19 the day before turning 20');
  assert.equal(isYouth(def, bornOn('2006-11-23').personalNumber, '2026-11-23'), false, '20 on the birthday');
  assert.equal(isYouth({ booking: { ...def.booking, youthUnder: 26 } }, bornOn('2001-01-01').personalNumber, '2026-11-23'), true);
  assert.equal(isYouth(def, undefined, '2026-11-23'), false);
  assert.equal(customerTypeOf(undefined, true), 'youth');
  assert.equal(customerTypeOf({ organisationNumber: '8020123454', name: 'Norrby IF' } as never, true), 'association', 'an association is an association, whoever signs');
  const rules = resolveRules({ prices: { resident: { perHour: 250 }, youth: { perHour: 125 } } });
  const hour = { start: instantOf('2026-11-30', '16:00'), end: instantOf('2026-11-30', '17:00') };
  assert.equal(priceOf(rules, 'youth', hour), 12_500);
  assert.equal(priceOf(resolveRules({ prices: { resident: { perHour: 250 } } }), 'youth', hour), 25_000, 'no youth price: the residents’');
});

const t = await createTestApp({ now: '2026-11-23T09:00:00Z' });
after(() => t.close());
const { get, post } = journey(t);

/** Starts a booking of an hour of the hall on Monday 30 November and answers the questions; returns check your answers. */
async function checkPage(who: Awaited<ReturnType<typeof signInResident>>, time: string) {
  const start = instantOf('2026-11-30', time).toISOString();
  let r = await get(who, `/services/boka-idrottshall/apply?resource=nby-norrbyhallen&start=${encodeURIComponent(start)}`);
  for (let i = 0; i < 5 && r.statusCode >= 300 && !String(r.headers.location).includes('/organisation'); i++) r = await get(who, String(r.headers.location));
  const org = await get(who, String(r.headers.location));
  r = await post(who, '/services/boka-idrottshall/organisation', { organisation: 'self' }, org.body);
  const draft = /\/apply\/([0-9a-f-]{36})\//.exec(String(r.headers.location))![1]!;
  const step = await get(who, `/apply/${draft}/time?resource=nby-norrbyhallen&start=${encodeURIComponent(start)}`);
  assert.equal((await post(who, `/apply/${draft}/time`, { resource: 'nby-norrbyhallen', slot: start }, step.body)).statusCode, 303);
  for (const [s, f] of [['purpose', { activity: 'training', participants: '10' }], ['contact', { email: 'ung@example.se', phone: '070-123 45 67' }]] as const) {
    assert.equal((await post(who, `/apply/${draft}/${s}`, f, `/apply/${draft}/${s}`)).statusCode, 303, s);
  }
  return { draft, page: (await get(who, `/apply/${draft}/check`)).body };
}

test('a 17-year-old books the hall at the youth price: on check your answers, and in the payment asked for', async () => {
  const young = await signInResident(t, NORRBY, bornOn('2009-06-01'));
  const { draft, page } = await checkPage(young, '16:00');
  assert.match(page, /125\s?kr/);
  const sent = await post(young, `/apply/${draft}/submit`, {}, page);
  assert.match(String(sent.headers.location), /\/test-pay\//);
  const { rows } = await t.tdb.db.query<{ amount_ore: number }>(`SELECT amount_ore FROM payments WHERE purpose = 'draft' AND purpose_id = $1`, [draft]);
  assert.deepEqual(rows.map((r) => Number(r.amount_ore)), [12_500]);
  const { rows: held } = await t.tdb.db.query<{ customer_type: string; price_ore: string }>(`SELECT customer_type, price_ore FROM bookings WHERE details->>'draftId' = $1`, [draft]);
  assert.deepEqual(held.map((b) => [b.customer_type, Number(b.price_ore)]), [['youth', 12_500]]);
});

test('an adult books the same hour at the residents’ price', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const { page } = await checkPage(anna, '17:00');
  assert.match(page, /250\s?kr/);
});
