/**
 * Seats on a course or session (ADR 0038). `booking_seats.taken` never passes `capacity`: a seat is
 * taken by one conditional UPDATE, which either finds room or does not. A full occurrence puts the
 * enrolment on its waiting list, in arrival order. Leaving locks the occurrence's seat row, so
 * leavings and enrolments of one occurrence take turns, and in the same transaction the first
 * waiting enrolments that fit move up, in the order they arrived (a sequence) — nobody behind them goes first, and a seat is never given
 * twice. Each move up is returned, for the caller to notify in the same transaction (the outbox).
 */
import type { TenantQueryable } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';

/** Makes an occurrence's seat row, or changes its capacity (never below the seats taken); moves waiting enrolments up into new room. */
export async function setCapacity(tx: TenantQueryable, resourceId: string, startsAt: Date, capacity: number, now: Date): Promise<string[]> {
  await tx.query(
    `INSERT INTO booking_seats (tenant_id, resource_id, starts_at, capacity) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, resource_id, starts_at) DO UPDATE SET capacity = GREATEST(excluded.capacity, booking_seats.taken)`,
    [resourceId, startsAt, capacity],
  );
  return moveUp(tx, resourceId, startsAt, now);
}

export interface Enrolment {
  bookingId: string;
  status: 'booked' | 'waiting';
}

/**
 * Enrols a booking of `seats` seats: confirmed when there is room and nobody is waiting before it,
 * otherwise on the waiting list. The occurrence must have its seat row (setCapacity).
 */
export async function enrol(
  tx: TenantQueryable,
  e: { serviceId: string; resourceId: string; startsAt: Date; endsAt: Date; seats?: number; ownerId?: string | null; customerType?: string | null; priceOre?: number; details?: Record<string, unknown> },
  now: Date,
): Promise<Enrolment> {
  const seats = e.seats ?? 1;
  // Room now, and nobody already waiting (a waiting list is never jumped).
  const { rows } = await tx.query<{ taken: number }>(
    `UPDATE booking_seats SET taken = taken + $4
     WHERE tenant_id = $1 AND resource_id = $2 AND starts_at = $3 AND taken + $4 <= capacity
       AND NOT EXISTS (SELECT 1 FROM booking_enrolments w WHERE w.tenant_id = $1 AND w.resource_id = $2 AND w.starts_at = $3 AND w.waiting_since IS NOT NULL)
     RETURNING taken`,
    [e.resourceId, e.startsAt, seats],
  );
  const status = rows.length ? 'booked' : 'waiting';
  const id = uuidv7(now.getTime());
  await tx.query(
    `INSERT INTO bookings (tenant_id, id, service_id, kind, status, starts_at, ends_at, owner_id, customer_type, seats, price_ore, details, created_at, changed_at)
     VALUES ($1, $2, $3, 'booking', $4, $5, $6, $7, $8, $9, $10, $11::jsonb, $12, $12)`,
    [id, e.serviceId, status, e.startsAt, e.endsAt, e.ownerId ?? null, e.customerType ?? null, seats, e.priceOre ?? 0, JSON.stringify(e.details ?? {}), now],
  );
  await tx.query('INSERT INTO booking_enrolments (tenant_id, booking_id, resource_id, starts_at, waiting_since) VALUES ($1, $2, $3, $4, $5)', [
    id,
    e.resourceId,
    e.startsAt,
    status === 'waiting' ? now : null,
  ]);
  return { bookingId: id, status };
}

/**
 * Takes a booking off its course: its seats are given to the first waiting enrolments that fit, in
 * order, or back. Returns the bookings moved up (to be told), or undefined when it had already left.
 */
export async function leave(tx: TenantQueryable, bookingId: string, now: Date): Promise<{ movedUp: string[] } | undefined> {
  const { rows: place } = await tx.query<{ resource_id: string; starts_at: Date }>('SELECT resource_id, starts_at FROM booking_enrolments WHERE tenant_id = $1 AND booking_id = $2', [bookingId]);
  if (!place[0]) return undefined;
  const { resource_id: resourceId, starts_at: startsAt } = place[0];
  // One at a time per occurrence: what is freed and who moves up are decided under this lock.
  await tx.query('SELECT taken FROM booking_seats WHERE tenant_id = $1 AND resource_id = $2 AND starts_at = $3 FOR UPDATE', [resourceId, startsAt]);
  const { rows: left } = await tx.query<{ seats: number; status: string }>(`SELECT seats, status FROM bookings WHERE tenant_id = $1 AND id = $2 AND status IN ('booked', 'waiting') FOR UPDATE`, [bookingId]);
  if (!left[0]) return undefined;
  await tx.query(`UPDATE bookings SET status = 'cancelled', changed_at = $3 WHERE tenant_id = $1 AND id = $2`, [bookingId, now]);
  await tx.query('UPDATE booking_enrolments SET waiting_since = NULL WHERE tenant_id = $1 AND booking_id = $2', [bookingId]);
  if (left[0].status === 'booked') {
    await tx.query('UPDATE booking_seats SET taken = taken - $4 WHERE tenant_id = $1 AND resource_id = $2 AND starts_at = $3', [resourceId, startsAt, left[0].seats]);
  }
  return { movedUp: await moveUp(tx, resourceId, startsAt, now) };
}

/** Confirms waiting enrolments, first come first, while the first one's seats fit. */
async function moveUp(tx: TenantQueryable, resourceId: string, startsAt: Date, now: Date): Promise<string[]> {
  const moved: string[] = [];
  for (;;) {
    const { rows } = await tx.query<{ booking_id: string; seats: number }>(
      `SELECT e.booking_id, b.seats FROM booking_enrolments e JOIN bookings b ON b.tenant_id = e.tenant_id AND b.id = e.booking_id
       WHERE e.tenant_id = $1 AND e.resource_id = $2 AND e.starts_at = $3 AND e.waiting_since IS NOT NULL
       ORDER BY e.arrival LIMIT 1`,
      [resourceId, startsAt],
    );
    const first = rows[0];
    if (!first) return moved;
    const { rows: room } = await tx.query(
      'UPDATE booking_seats SET taken = taken + $4 WHERE tenant_id = $1 AND resource_id = $2 AND starts_at = $3 AND taken + $4 <= capacity RETURNING taken',
      [resourceId, startsAt, first.seats],
    );
    if (!room.length) return moved;
    await tx.query(`UPDATE bookings SET status = 'booked', changed_at = $3 WHERE tenant_id = $1 AND id = $2`, [first.booking_id, now]);
    await tx.query('UPDATE booking_enrolments SET waiting_since = NULL WHERE tenant_id = $1 AND booking_id = $2', [first.booking_id]);
    moved.push(first.booking_id);
  }
}

/** The seats of an occurrence and its waiting list, in order. */
export async function seatsOf(q: TenantQueryable, resourceId: string, startsAt: Date): Promise<{ capacity: number; taken: number; waiting: string[] } | undefined> {
  const { rows } = await q.query<{ capacity: number; taken: number }>('SELECT capacity, taken FROM booking_seats WHERE tenant_id = $1 AND resource_id = $2 AND starts_at = $3', [resourceId, startsAt]);
  if (!rows[0]) return undefined;
  const { rows: waiting } = await q.query<{ booking_id: string }>(
    'SELECT booking_id FROM booking_enrolments WHERE tenant_id = $1 AND resource_id = $2 AND starts_at = $3 AND waiting_since IS NOT NULL ORDER BY arrival',
    [resourceId, startsAt],
  );
  return { capacity: rows[0].capacity, taken: rows[0].taken, waiting: waiting.map((w) => w.booking_id) };
}

export interface SeatRow {
  startsAt: Date;
  capacity: number;
  taken: number;
  waiting: number;
}

/** The seat rows of a resource's occurrences within [from, to), with the length of each waiting list. */
export async function seatsBetween(q: TenantQueryable, resourceId: string, from: Date, to: Date): Promise<SeatRow[]> {
  const { rows } = await q.query<{ starts_at: Date; capacity: number; taken: number; waiting: number }>(
    `SELECT s.starts_at, s.capacity, s.taken,
            (SELECT count(*)::int FROM booking_enrolments w WHERE w.tenant_id = s.tenant_id AND w.resource_id = s.resource_id AND w.starts_at = s.starts_at AND w.waiting_since IS NOT NULL) AS waiting
       FROM booking_seats s WHERE s.tenant_id = $1 AND s.resource_id = $2 AND s.starts_at >= $3 AND s.starts_at < $4`,
    [resourceId, from, to],
  );
  return rows.map((r) => ({ startsAt: new Date(r.starts_at), capacity: r.capacity, taken: r.taken, waiting: r.waiting }));
}
