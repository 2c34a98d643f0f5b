/**
 * Seats and waiting lists (ADR 0038) on the pass's database: never more taken than there are, the
 * waiting list in arrival order and never jumped, a leaving moving the first waiting up in the same
 * transaction — also with many enrolments and leavings at once (truly at once on PostgreSQL).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { bookingById } from './claims.ts';
import { enrol, leave, seatsOf, setCapacity } from './seats.ts';
import { instantOf } from './time.ts';

const t = await createTestDatabase();
after(() => t.drop());
const tdb = tenantScope(t.db, 'norrby');
let courses = 0;
const start = instantOf('2027-02-02', '17:00');
const end = instantOf('2027-02-02', '17:45');
let clock = instantOf('2027-01-10', '09:00').getTime();
/** Each call a second later, so arrival order is plain to see. */
const tick = () => new Date((clock += 1000));

async function newCourse(capacity: number): Promise<string> {
  const id = `simskola-${++courses}`;
  await tdb.transaction((tx) => setCapacity(tx, id, start, capacity, tick()));
  return id;
}
const join = (course: string, seats = 1) => tdb.transaction((tx) => enrol(tx, { serviceId: 'simskola', resourceId: course, startsAt: start, endsAt: end, seats }, tick()));
const quit = (id: string) => tdb.transaction((tx) => leave(tx, id, tick()));

test('a full course puts the next on its waiting list in order; a leaving moves the first up; a waiting one can leave', async () => {
  const course = await newCourse(3);
  const e = [];
  for (let i = 0; i < 6; i++) e.push(await join(course));
  assert.deepEqual(e.map((x) => x.status), ['booked', 'booked', 'booked', 'waiting', 'waiting', 'waiting']);
  assert.deepEqual(await seatsOf(tdb, course, start), { capacity: 3, taken: 3, waiting: [e[3]!.bookingId, e[4]!.bookingId, e[5]!.bookingId] });
  // The fifth gives up waiting; then the second leaves: the fourth moves up, the sixth is next.
  assert.deepEqual(await quit(e[4]!.bookingId), { movedUp: [] });
  assert.deepEqual(await quit(e[1]!.bookingId), { movedUp: [e[3]!.bookingId] });
  assert.equal((await bookingById(tdb, e[3]!.bookingId))?.status, 'booked');
  assert.equal((await bookingById(tdb, e[1]!.bookingId))?.status, 'cancelled');
  assert.deepEqual(await seatsOf(tdb, course, start), { capacity: 3, taken: 3, waiting: [e[5]!.bookingId] });
  assert.equal(await quit(e[1]!.bookingId), undefined, 'leaving twice');
  // More seats: the waiting list moves up at once.
  assert.deepEqual(await tdb.transaction((tx) => setCapacity(tx, course, start, 5, tick())), [e[5]!.bookingId]);
  assert.deepEqual(await seatsOf(tdb, course, start), { capacity: 5, taken: 4, waiting: [] });
  // Fewer seats than are taken keeps those taken.
  await tdb.transaction((tx) => setCapacity(tx, course, start, 2, tick()));
  assert.deepEqual(await seatsOf(tdb, course, start), { capacity: 4, taken: 4, waiting: [] });
});

test('the waiting list is never jumped: a family of three waits for three seats, and the one behind them waits too', async () => {
  const course = await newCourse(4);
  const [a, b] = [await join(course, 2), await join(course, 2)];
  const family = await join(course, 3);
  const single = await join(course, 1);
  assert.deepEqual([a.status, b.status, family.status, single.status], ['booked', 'booked', 'waiting', 'waiting']);
  // Two seats free: not enough for the family, and the single one behind them does not pass them.
  assert.deepEqual(await quit(a.bookingId), { movedUp: [] });
  assert.equal((await join(course, 1)).status, 'waiting', 'a newcomer does not take a free seat while others wait');
  assert.deepEqual(await quit(b.bookingId), { movedUp: [family.bookingId, single.bookingId] });
  assert.deepEqual(await seatsOf(tdb, course, start).then((s) => s && { taken: s.taken, waiting: s.waiting.length }), { taken: 4, waiting: 1 });
});

test(`${t.dialect}: 200 enrolments on 20 seats at once: exactly 20 confirmed, the rest waiting; then 30 leavings and 30 enrolments at once`, async () => {
  const course = await newCourse(20);
  const first = await Promise.all(Array.from({ length: 200 }, () => join(course)));
  assert.equal(first.filter((x) => x.status === 'booked').length, 20);
  const before = (await seatsOf(tdb, course, start))!;
  assert.deepEqual([before.taken, before.waiting.length], [20, 180]);
  const confirmed = first.filter((x) => x.status === 'booked').slice(0, 30);
  const results = await Promise.all([...confirmed.map((x) => quit(x.bookingId)), ...Array.from({ length: 30 }, () => join(course))]);
  const movedUp = results.slice(0, confirmed.length).flatMap((r) => (r && 'movedUp' in r ? r.movedUp : []));
  assert.equal(movedUp.length, confirmed.length, 'each leaving moved one up');
  // Those moved up were the first waiting, in order.
  assert.deepEqual([...movedUp].sort(), before.waiting.slice(0, movedUp.length).sort());
  const after = (await seatsOf(tdb, course, start))!;
  const { rows } = await tdb.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM bookings b JOIN booking_enrolments e ON e.tenant_id = b.tenant_id AND e.booking_id = b.id WHERE b.tenant_id = $1 AND e.resource_id = $2 AND b.status = 'booked'`,
    [course],
  );
  assert.equal(after.taken, 20);
  assert.equal(rows[0]!.n, 20);
  assert.equal(after.waiting.length, 180 - movedUp.length + 30);
});
