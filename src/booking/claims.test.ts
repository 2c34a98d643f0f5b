/**
 * Bookings in the database (ADR 0038), on the pass's database: the exclusion constraint keeps two
 * active claims of one resource apart — identical, overlapping, inside the buffer, across a booking
 * of two resources —, an ended booking frees its time at once, and an expired hold gives way to a new
 * booking, after which its late payment is refused for a refund. The races run many transactions at
 * once; on PostgreSQL they truly overlap (PGlite runs one at a time).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { DatabaseUnavailableError, isConnectionFault, tenantScope } from '../kernel/db/index.ts';
import { occupying, resolveRules, slotsOn, type Span } from './availability.ts';
import { book, bookingById, bookingTransaction, confirmPaid, endBooking, heldBetween, TimeTakenError, type NewBooking } from './claims.ts';
import { instantOf, localTime } from './time.ts';

const t = await createTestDatabase();
after(() => t.drop());
const tdb = tenantScope(t.db, 'norrby');
const now = instantOf('2027-05-01', '12:00');

const rules = resolveRules({ opening: { tue: [['08:00', '22:00']] }, minMinutes: 60, maxMinutes: 180, stepMinutes: 30, bufferMinutes: 15 });
const span = (from: string, to: string, date = '2027-05-04'): Span => ({ start: instantOf(date, from), end: instantOf(date, to) });
let halls = 0;
const newHall = () => `hall-${++halls}`;

const booking = (resources: string[], s: Span, extra: Partial<NewBooking> = {}): NewBooking => ({
  serviceId: 'idrottshall',
  status: 'booked',
  span: s,
  claims: resources.map((resourceId) => ({ resourceId, occupies: occupying(rules, s) })),
  ...extra,
});

/** Books in a transaction of its own: the id, or 'taken'. */
async function attempt(b: NewBooking, at = now): Promise<string> {
  try {
    return await bookingTransaction(tdb, (tx) => book(tx, b, at));
  } catch (e) {
    if (e instanceof TimeTakenError) return 'taken';
    throw e;
  }
}

test('an overlapping or buffer-breaking booking of the same resource is refused; the next free start and other resources are not', async () => {
  const hall = newHall();
  const other = newHall();
  assert.notEqual(await attempt(booking([hall], span('18:00', '19:00'))), 'taken');
  assert.equal(await attempt(booking([hall], span('18:00', '19:00'))), 'taken', 'the same time');
  assert.equal(await attempt(booking([hall], span('18:30', '20:00'))), 'taken', 'overlapping');
  assert.equal(await attempt(booking([hall], span('17:00', '18:30'))), 'taken', 'overlapping its start');
  assert.equal(await attempt(booking([hall], span('19:00', '20:00'))), 'taken', 'inside the buffer after it');
  assert.equal(await attempt(booking([hall], span('16:30', '17:50'))), 'taken', 'its own buffer reaching the next');
  assert.notEqual(await attempt(booking([hall], span('19:15', '20:15'))), 'taken', 'right after the buffer');
  assert.notEqual(await attempt(booking([hall], span('16:45', '17:45'))), 'taken', 'ending with its buffer at the start');
  assert.notEqual(await attempt(booking([other], span('18:00', '19:00'))), 'taken', 'another resource');
  assert.deepEqual(await heldBetween(tdb, hall, instantOf('2027-05-04', '00:00'), instantOf('2027-05-05', '00:00'), now), [span('16:45', '18:00'), span('18:00', '19:15'), span('19:15', '20:30')]);
  // What was refused left nothing behind.
  const { rows } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM bookings b WHERE tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM booking_claims c WHERE c.tenant_id = b.tenant_id AND c.booking_id = b.id)');
  assert.equal(rows[0]!.n, 0);
});

test('a booking of a room and an officiant is refused whole when either is taken', async () => {
  const [room1, room2, officiant] = [newHall(), newHall(), 'officiant-anna'];
  assert.notEqual(await attempt(booking([room1, officiant], span('10:00', '10:30'))), 'taken');
  // The officiant is busy in the other room at that time: nothing of the second booking is kept.
  assert.equal(await attempt(booking([room2, officiant], span('10:00', '10:30'))), 'taken');
  assert.deepEqual(await heldBetween(tdb, room2, instantOf('2027-05-04', '00:00'), instantOf('2027-05-05', '00:00'), now), []);
  assert.notEqual(await attempt(booking([room2, 'officiant-bo'], span('10:00', '10:30'))), 'taken', 'another officiant');
});

test('a cancelled or refused booking frees its time at once, and cannot be ended twice', async () => {
  const hall = newHall();
  const id = await attempt(booking([hall], span('09:00', '10:00')));
  assert.equal(await tdb.transaction((tx) => endBooking(tx, id, 'cancelled', now, 'Hallen renoveras')), true);
  assert.equal(await tdb.transaction((tx) => endBooking(tx, id, 'refused', now)), false);
  const ended = await bookingById(tdb, id);
  assert.equal(ended?.status, 'cancelled');
  assert.equal(ended?.details.endReason, 'Hallen renoveras');
  assert.notEqual(await attempt(booking([hall], span('09:00', '10:00'))), 'taken');
});

test('an expired hold gives way to a new booking, whose time its late payment then cannot take: it is lost for a refund', async () => {
  const hall = newHall();
  const held = await attempt(booking([hall], span('12:00', '13:00'), { status: 'held', holdUntil: instantOf('2027-05-01', '12:15'), priceOre: 30_000 }));
  // Inside the hold the time is held.
  assert.equal(await attempt(booking([hall], span('12:00', '13:00')), instantOf('2027-05-01', '12:10')), 'taken');
  // After it, a new booking lapses the hold and takes the time.
  const later = await attempt(booking([hall], span('12:30', '13:30')), instantOf('2027-05-01', '12:20'));
  assert.notEqual(later, 'taken');
  assert.equal((await bookingById(tdb, held))?.status, 'lapsed');
  assert.equal(await tdb.transaction((tx) => confirmPaid(tx, held, instantOf('2027-05-01', '12:25'))), 'lost');
  assert.equal((await bookingById(tdb, held))?.status, 'lapsed');
  assert.deepEqual(await heldBetween(tdb, hall, instantOf('2027-05-04', '00:00'), instantOf('2027-05-05', '00:00'), now), [span('12:30', '13:45')]);
});

test('a payment after the hold confirms the booking when nobody took the time; twice is once', async () => {
  const hall = newHall();
  const held = await attempt(booking([hall], span('14:00', '15:00'), { status: 'held', holdUntil: instantOf('2027-05-01', '12:15') }));
  // Past its hold but not lapsed (nobody wanted the time): confirmed as it stands.
  assert.equal(await tdb.transaction((tx) => confirmPaid(tx, held, instantOf('2027-05-01', '13:00'))), 'booked');
  assert.equal(await tdb.transaction((tx) => confirmPaid(tx, held, instantOf('2027-05-01', '13:01'))), 'alreadyBooked');
  // A new booking lapses only the expired holds in its way.
  const second = await attempt(booking([hall], span('16:00', '17:00'), { status: 'held', holdUntil: instantOf('2027-05-01', '12:15') }));
  await attempt(booking([hall], span('19:00', '20:00')), instantOf('2027-05-01', '13:00'));
  assert.equal((await bookingById(tdb, second))?.status, 'held', 'a hold not in the way is not lapsed');
  // Lapsed, the time still free: the late payment takes it back.
  const third = await attempt(booking([hall], span('10:00', '11:00'), { status: 'held', holdUntil: instantOf('2027-05-01', '12:15') }));
  await tdb.query(`UPDATE bookings SET status = 'lapsed' WHERE tenant_id = $1 AND id = $2`, [third]);
  await tdb.query('UPDATE booking_claims SET active = false WHERE tenant_id = $1 AND booking_id = $2', [third]);
  assert.equal(await tdb.transaction((tx) => confirmPaid(tx, third, instantOf('2027-05-01', '13:00'))), 'booked');
  assert.equal(await attempt(booking([hall], span('10:00', '11:00'))), 'taken');
});

test(`${t.dialect}: 200 bookings of one time at once: exactly one holds it`, async () => {
  const hall = newHall();
  const results = await Promise.all(Array.from({ length: 200 }, () => attempt(booking([hall], span('18:00', '19:00')))));
  assert.equal(results.filter((r) => r !== 'taken').length, 1, `successes: ${results.filter((r) => r !== 'taken').length}`);
  const { rows } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM booking_claims WHERE tenant_id = $1 AND resource_id = $2 AND active', [hall]);
  assert.equal(rows[0]!.n, 1);
});

test(`${t.dialect}: 200 overlapping bookings of different lengths at once: what holds never overlaps, buffers kept`, async () => {
  const hall = newHall();
  // Starts every 15 minutes from 08:00, 60–180 minutes long: many overlap, some fit side by side.
  const spans = Array.from({ length: 200 }, (_, i) => {
    const start = instantOf('2027-05-04', '08:00').getTime() + ((i * 7) % 48) * 15 * 60_000;
    const minutes = 60 + ((i * 13) % 5) * 30;
    return { start: new Date(start), end: new Date(start + minutes * 60_000) };
  });
  const results = await Promise.all(spans.map((s) => attempt(booking([hall], s))));
  const held = await heldBetween(tdb, hall, instantOf('2027-05-04', '00:00'), instantOf('2027-05-05', '00:00'), now);
  assert.equal(held.length, results.filter((r) => r !== 'taken').length);
  assert.ok(held.length >= 2, `${held.length} held`);
  for (let i = 1; i < held.length; i++) assert.ok(held[i - 1]!.end <= held[i]!.start, `${held[i - 1]!.end.toISOString()} > ${held[i]!.start.toISOString()}`);
});

test(`${t.dialect}: cancellations and bookings of the same time at once never leave two bookings holding it`, async () => {
  const hall = newHall();
  const first = await attempt(booking([hall], span('20:00', '21:00')));
  const ops = await Promise.all([
    bookingTransaction(tdb, (tx) => endBooking(tx, first, 'cancelled', now)),
    ...Array.from({ length: 50 }, () => attempt(booking([hall], span('20:00', '21:00')))),
  ]);
  assert.equal(ops[0], true);
  const { rows } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM booking_claims WHERE tenant_id = $1 AND resource_id = $2 AND active', [hall]);
  assert.ok(rows[0]!.n <= 1, `${rows[0]!.n} active claims`);
});

test(`${t.dialect}: the nights summer time starts and ends, bookings are instants: an hour's slots back to back, stored and read back as they were booked`, async () => {
  const round = resolveRules({ opening: { sun: [['00:00', '24:00']] }, slotMinutes: 60 });
  const hall = newHall();
  // 2027-03-28: 02:00 does not exist (01:00 is followed by 03:00); 2027-10-31: 02:00 comes twice.
  for (const date of ['2027-03-28', '2027-10-31']) {
    const slots = slotsOn(round, date);
    for (const s of slots) assert.notEqual(await attempt({ ...booking([hall], s), claims: [{ resourceId: hall, occupies: occupying(round, s) }] }, instantOf('2027-03-01', '12:00')), 'taken', `${date} ${s.start.toISOString()}`);
    const held = await heldBetween(tdb, hall, instantOf(date, '00:00'), instantOf(date, '24:00'), now);
    assert.equal(held.length, date === '2027-03-28' ? 23 : 25, 'every real hour of the day, once');
    assert.deepEqual(held.map((h) => h.start.getTime()), slots.map((s) => s.start.getTime()));
    for (let i = 1; i < held.length; i++) assert.equal(held[i]!.start.getTime(), held[i - 1]!.end.getTime(), 'back to back, nothing lost or doubled');
  }
  // The repeated hour on 31 October: the two 02:00s are different bookings an hour apart.
  const twice = (await heldBetween(tdb, hall, instantOf('2027-10-31', '00:00'), instantOf('2027-10-31', '24:00'), now)).filter((h) => localTime(h.start) === '02:00');
  assert.equal(twice.length, 2);
  assert.equal(twice[1]!.start.getTime() - twice[0]!.start.getTime(), 3_600_000);
  // And a booking across the change is refused where it overlaps, whichever wall-clock time names it.
  assert.equal(await attempt({ ...booking([hall], twice[1]!), claims: [{ resourceId: hall, occupies: twice[1]! }] }), 'taken');
});

test('a booking that cannot get its resource while something holds it for long gives up with "try again", not a server error (PostgreSQL)', { skip: t.dialect !== 'postgres' && 'needs a second connection holding the lock' }, async () => {
  const hall = newHall();
  await attempt(booking([hall], span('08:00', '09:00')));
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  // Another transaction (a season's allocation, say) holds the hall's lock.
  const holder = tdb.transaction(async (tx) => {
    await tx.query('SELECT resource_id FROM booking_resources WHERE tenant_id = $1 AND resource_id = $2 FOR UPDATE', [hall]);
    locked();
    await held;
  });
  await isLocked;
  try {
    await assert.rejects(
      bookingTransaction(tdb, (tx) => book(tx, booking([hall], span('10:00', '11:00')), now), 3),
      (e: unknown) => e instanceof DatabaseUnavailableError && isConnectionFault(e),
    );
  } finally {
    release();
    await holder;
  }
  assert.notEqual(await attempt(booking([hall], span('10:00', '11:00'))), 'taken', 'once the lock is let go the time is booked');
});
