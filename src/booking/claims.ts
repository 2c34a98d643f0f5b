/**
 * Bookings and the time they hold (ADR 0038). Whether a time is free is never read and then written:
 * a booking's claims are inserted, and the exclusion constraint on `booking_claims` refuses one that
 * overlaps an active claim of the same resource — also one another transaction has written and not
 * yet committed, whose outcome the insert waits for. Every function here runs in the caller's
 * transaction, so a booking is written together with whatever it belongs to (its case, its payment).
 */
import { DatabaseUnavailableError, type Prelude, type Statement, type TenantQueryable, type TenantScope } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import type { Span } from './availability.ts';

/** The time was taken (by a booking or a block) before this one could hold it. */
export class TimeTakenError extends Error {
  constructor(readonly resourceId: string) {
    super(`the time on ${resourceId} is taken`);
    this.name = 'TimeTakenError';
  }
}

export type BookingStatus = 'held' | 'requested' | 'waiting' | 'booked' | 'cancelled' | 'refused' | 'lapsed';

export interface NewBooking {
  serviceId: string;
  kind?: 'booking' | 'block';
  status: Extract<BookingStatus, 'held' | 'requested' | 'waiting' | 'booked'>;
  /** What is booked, [start, end). */
  span: Span;
  /** Each resource it occupies and the time it holds there (its span and the resource's buffer after it). */
  claims: { resourceId: string; occupies: Span }[];
  ownerId?: string | null;
  customerType?: string | null;
  organisationNumber?: string | null;
  seats?: number;
  priceOre?: number;
  /** While payment is pending: until when the time is held. */
  holdUntil?: Date | null;
  caseId?: string | null;
  details?: Record<string, unknown>;
}

export const isExclusionViolation = (e: unknown): boolean =>
  typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23P01' && String((e as { constraint?: unknown }).constraint ?? (e as Error).message).includes('booking_claims_no_overlap');

const range = (s: Span) => `[${s.start.toISOString()},${s.end.toISOString()})`;

/**
 * Writes a booking and its claims. Its resources are locked first (bookings of one resource take
 * turns), then expired holds in its way are lapsed (their claims go inactive), so an abandoned
 * payment never keeps the time past its hold. Throws TimeTakenError
 * when the constraint refuses a claim: the caller's transaction is then to be rolled back.
 */
export async function book(tx: TenantQueryable, b: NewBooking, now: Date): Promise<string> {
  const [first, ...more] = b.claims;
  if (!first) throw new Error('a booking holds at least one claim');
  // A committed claim in the way (other than a hold that ran out) is final: the booking fails before
  // it waits for any lock or writes anything, so of 200 people sending one time, those who come
  // after the winner are answered at once. The same statement limits how long this transaction will
  // wait for a lock (LOCK_WAIT; 55P03 after it, and bookingTransaction runs the booking again a
  // moment later), so no booking waits long holding a connection. (The constraint stays the
  // guarantee; the checks only make a loser's turn short.)
  const { rows } = await tx.query<{ taken: boolean }>(
    `SELECT set_config('lock_timeout', $5, true) AS lock_wait,
            EXISTS (SELECT 1 FROM booking_claims c WHERE c.tenant_id = $1 AND c.resource_id = $2 AND c.active AND c.occupies && $3::tstzrange
                      AND NOT EXISTS (SELECT 1 FROM bookings h WHERE h.tenant_id = c.tenant_id AND h.id = c.booking_id AND h.status = 'held' AND h.hold_until <= $4)) AS taken`,
    [first.resourceId, range(first.occupies), now, LOCK_WAIT],
  );
  if (rows[0]!.taken) throw new TimeTakenError(first.resourceId);
  for (const c of more) if (await claimInTheWay(tx, c.resourceId, c.occupies, now)) throw new TimeTakenError(c.resourceId);
  // Bookings of one resource take turns on its row (without it, two conflicting inserts could each
  // wait for the other's claim: a deadlock); then, under the lock, the holds in the way that ran out
  // are lapsed and what is left in the way is final.
  if (more.length === 0) {
    // One resource (the common case): its lock, the lapse and the check in one statement.
    if (await lapseAndCheck(tx, first.resourceId, first.occupies, now, { lock: true })) throw new TimeTakenError(first.resourceId);
  } else {
    await lockResources(tx, b.claims.map((c) => c.resourceId));
    for (const c of b.claims) if (await lapseAndCheck(tx, c.resourceId, c.occupies, now)) throw new TimeTakenError(c.resourceId);
  }
  // The booking and its claims in one statement; the exclusion constraint refuses an overlap all the same.
  const id = uuidv7(now.getTime());
  try {
    await tx.query(
      `WITH made AS (
         INSERT INTO bookings (tenant_id, id, service_id, kind, status, starts_at, ends_at, owner_id, customer_type, organisation_number, seats, price_ore, hold_until, case_id, details, created_at, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $16)
         RETURNING id)
       INSERT INTO booking_claims (tenant_id, booking_id, resource_id, occupies)
       SELECT $1, made.id, x.resource_id, x.occupies FROM made, unnest($17::text[], $18::tstzrange[]) AS x (resource_id, occupies)`,
      [
        id,
        b.serviceId,
        b.kind ?? 'booking',
        b.status,
        b.span.start,
        b.span.end,
        b.ownerId ?? null,
        b.customerType ?? null,
        b.organisationNumber ?? null,
        b.seats ?? 1,
        b.priceOre ?? 0,
        b.holdUntil ?? null,
        b.caseId ?? null,
        JSON.stringify(b.details ?? {}),
        now,
        b.claims.map((c) => c.resourceId),
        b.claims.map((c) => range(c.occupies)),
      ],
    );
  } catch (e) {
    if (isExclusionViolation(e)) throw new TimeTakenError(b.claims.map((c) => c.resourceId).join(', '));
    throw e;
  }
  return id;
}

/**
 * A booking of one resource as parts of another statement (kernel/db writeTogetherIf: the case's,
 * ADR 0039), so that booking and case cost one round trip and no transaction. The prelude does what
 * `book` does in its first two statements — the lock wait limited, a committed claim in the way (not
 * a hold that ran out) found before any lock is waited for, the resource's row lock, the expired holds
 * in the way lapsed — and its gate is open only when the lock was taken; the inserts write the
 * booking and its claim under the caller's guard, after the prelude (so after the lapse). A claim
 * committed in the way since the statement began is refused by the exclusion constraint (23P01:
 * isExclusionViolation), as in `book`.
 */
export function bookingParts(b: NewBooking, now: Date, refused: () => Error): { prelude: Prelude; inserts: Statement[] } {
  const [claim, ...more] = b.claims;
  if (!claim || more.length) throw new Error('bookingParts books one resource');
  const id = uuidv7(now.getTime());
  return {
    prelude: {
      // MATERIALIZED: the lock wait is set (set_config) when the check is first read, before the lock.
      sql: `booking_check AS MATERIALIZED (
              SELECT set_config('lock_timeout', $5, true) AS lock_wait,
                     EXISTS (SELECT 1 FROM booking_claims c WHERE c.tenant_id = $1 AND c.resource_id = $2 AND c.active AND c.occupies && $3::tstzrange
                               AND NOT EXISTS (SELECT 1 FROM bookings h WHERE h.tenant_id = c.tenant_id AND h.id = c.booking_id AND h.status = 'held' AND h.hold_until <= $4)) AS taken),
            booking_lock AS (
              INSERT INTO booking_resources (tenant_id, resource_id) SELECT $1, $2 FROM booking_check WHERE NOT booking_check.taken
              ON CONFLICT (tenant_id, resource_id) DO UPDATE SET resource_id = EXCLUDED.resource_id RETURNING resource_id),
            booking_lapsed AS (
              UPDATE bookings SET status = 'lapsed', changed_at = $4
               WHERE tenant_id = $1 AND status = 'held' AND hold_until <= $4 AND EXISTS (SELECT 1 FROM booking_lock)
                 AND id IN (SELECT booking_id FROM booking_claims WHERE tenant_id = $1 AND resource_id = $2 AND active AND occupies && $3::tstzrange)
               RETURNING id),
            booking_released AS (
              UPDATE booking_claims SET active = false WHERE tenant_id = $1 AND booking_id IN (SELECT id FROM booking_lapsed) RETURNING booking_id)`,
      params: [claim.resourceId, range(claim.occupies), now, LOCK_WAIT],
      gate: 'EXISTS (SELECT 1 FROM booking_lock) AND (SELECT count(*) FROM booking_released) >= 0',
      refused,
    },
    inserts: [
      {
        sql: `INSERT INTO bookings (tenant_id, id, service_id, kind, status, starts_at, ends_at, owner_id, customer_type, organisation_number, seats, price_ore, hold_until, case_id, details, created_at, changed_at)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $16)`,
        params: [id, b.serviceId, b.kind ?? 'booking', b.status, b.span.start, b.span.end, b.ownerId ?? null, b.customerType ?? null, b.organisationNumber ?? null, b.seats ?? 1, b.priceOre ?? 0, b.holdUntil ?? null, b.caseId ?? null, JSON.stringify(b.details ?? {}), now],
      },
      { sql: 'INSERT INTO booking_claims (tenant_id, booking_id, resource_id, occupies) VALUES ($1, $2, $3, $4::tstzrange)', params: [id, claim.resourceId, range(claim.occupies)] },
    ],
  };
}

/** How long a booking waits for its resource's lock before it lets its connection go and tries again. */
const LOCK_WAIT = '100ms';

/** Whether an active claim other than a hold that ran out at `now` overlaps the span on the resource. */
async function claimInTheWay(q: TenantQueryable, resourceId: string, span: Span, now: Date): Promise<boolean> {
  const { rows } = await q.query(
    `SELECT 1 FROM booking_claims c WHERE c.tenant_id = $1 AND c.resource_id = $2 AND c.active AND c.occupies && $3::tstzrange
       AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.tenant_id = c.tenant_id AND b.id = c.booking_id AND b.status = 'held' AND b.hold_until <= $4)
     LIMIT 1`,
    [resourceId, range(span), now],
  );
  return rows.length > 0;
}

/**
 * Runs a transaction that books, again when it gave up waiting for a resource's lock (55P03: the
 * next attempt usually finds the time taken before it waits at all) or PostgreSQL ended it as a
 * deadlock victim (40P01). Within about three seconds, as a request's other database work is.
 */
export function bookingTransaction<T>(scope: TenantScope, fn: (tx: TenantQueryable) => Promise<T>, attempts = 30): Promise<T> {
  return bookingAttempts(() => scope.transaction(fn), attempts);
}

/**
 * Runs what books (a transaction, or one statement with bookingParts) as bookingTransaction does: again
 * after a lock wait given up or a deadlock.
 */
export async function bookingAttempts<T>(run: () => Promise<T>, attempts = 30): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      if (code !== '40P01' && code !== '55P03') throw e;
      // Still waiting after every attempt (a season's allocation holding the resource, say): the
      // translated "try again in a moment" page, what the person entered kept — not a server error.
      if (attempt >= attempts) throw new DatabaseUnavailableError(e);
      // A moment's random wait, so those who met do not meet again at once.
      await new Promise((r) => setTimeout(r, 5 + Math.random() * Math.min(10 * attempt, 100)));
    }
  }
}

/**
 * Takes the resources' row locks, in id order (two bookings of the same two resources never wait
 * for each other crosswise), making a resource's row on its first booking.
 */
export async function lockResources(tx: TenantQueryable, resourceIds: readonly string[]): Promise<void> {
  // An upsert that updates the existing row takes its row lock, as SELECT … FOR UPDATE would, in one statement.
  for (const resourceId of [...new Set(resourceIds)].sort()) {
    await tx.query('INSERT INTO booking_resources (tenant_id, resource_id) VALUES ($1, $2) ON CONFLICT (tenant_id, resource_id) DO UPDATE SET resource_id = EXCLUDED.resource_id', [resourceId]);
  }
}

/** Lets go of the time a draft's earlier, unpaid hold keeps (the person sends it again instead of paying). */
export async function releaseHeldFor(tx: TenantQueryable, draftId: string, now: Date): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE bookings SET status = 'lapsed', changed_at = $3 WHERE tenant_id = $1 AND status = 'held' AND details->>'draftId' = $2 RETURNING id`,
    [draftId, now],
  );
  if (rows.length) await tx.query('UPDATE booking_claims SET active = false WHERE tenant_id = $1 AND booking_id = ANY($2::uuid[])', [rows.map((r) => r.id)]);
}

/**
 * Under the resource's lock: lapses the held bookings whose hold has run out and whose claims overlap
 * `span` (their claims go inactive), and says whether any other active claim is in the way — one
 * statement (its parts see the rows as they were before it, so the lapsed are left out by id).
 */
async function lapseAndCheck(tx: TenantQueryable, resourceId: string, span: Span, now: Date, opts: { lock?: boolean } = {}): Promise<boolean> {
  // With `lock`, the resource's row lock is taken by the same statement, before the lapse reads
  // anything (the lapse depends on it). The statement's snapshot is then older than the lock: a
  // claim committed by the lock's previous holder is not seen by the check here, but by the
  // exclusion constraint when the claim is inserted (TimeTakenError either way).
  const { rows } = await tx.query<{ taken: boolean }>(
    `WITH ${opts.lock ? `locked AS (INSERT INTO booking_resources (tenant_id, resource_id) VALUES ($1, $3) ON CONFLICT (tenant_id, resource_id) DO UPDATE SET resource_id = EXCLUDED.resource_id RETURNING resource_id),` : ''}
     lapsed AS (
       UPDATE bookings SET status = 'lapsed', changed_at = $2
        WHERE tenant_id = $1 AND status = 'held' AND hold_until <= $2${opts.lock ? ' AND EXISTS (SELECT 1 FROM locked)' : ''}
          AND id IN (SELECT booking_id FROM booking_claims WHERE tenant_id = $1 AND resource_id = $3 AND active AND occupies && $4::tstzrange)
        RETURNING id),
     released AS (
       UPDATE booking_claims SET active = false WHERE tenant_id = $1 AND booking_id IN (SELECT id FROM lapsed) RETURNING booking_id)
     SELECT EXISTS (SELECT 1 FROM booking_claims c WHERE c.tenant_id = $1 AND c.resource_id = $3 AND c.active AND c.occupies && $4::tstzrange
                      AND c.booking_id NOT IN (SELECT id FROM lapsed)) AS taken,
            (SELECT count(*) FROM released) AS released`,
    [now, resourceId, range(span)],
  );
  return rows[0]!.taken;
}

export interface Booking {
  id: string;
  serviceId: string;
  kind: 'booking' | 'block';
  status: BookingStatus;
  start: Date;
  end: Date;
  ownerId: string | null;
  customerType: string | null;
  organisationNumber: string | null;
  seats: number;
  priceOre: number;
  holdUntil: Date | null;
  caseId: string | null;
  details: Record<string, unknown>;
  resources: string[];
}

type Row = {
  id: string;
  service_id: string;
  kind: Booking['kind'];
  status: BookingStatus;
  starts_at: Date;
  ends_at: Date;
  owner_id: string | null;
  customer_type: string | null;
  organisation_number: string | null;
  seats: number;
  price_ore: string | number;
  hold_until: Date | null;
  case_id: string | null;
  details: Record<string, unknown>;
  resources: string[] | null;
};

const SELECT_BOOKING = `SELECT b.id, b.service_id, b.kind, b.status, b.starts_at, b.ends_at, b.owner_id, b.customer_type, b.organisation_number, b.seats, b.price_ore, b.hold_until, b.case_id, b.details,
  (SELECT array_agg(c.resource_id ORDER BY c.resource_id) FROM booking_claims c WHERE c.tenant_id = b.tenant_id AND c.booking_id = b.id) AS resources
  FROM bookings b`;

const toBooking = (r: Row): Booking => ({
  id: r.id,
  serviceId: r.service_id,
  kind: r.kind,
  status: r.status,
  start: r.starts_at,
  end: r.ends_at,
  ownerId: r.owner_id,
  customerType: r.customer_type,
  organisationNumber: r.organisation_number,
  seats: r.seats,
  priceOre: Number(r.price_ore),
  holdUntil: r.hold_until,
  caseId: r.case_id,
  details: r.details,
  resources: r.resources ?? [],
});

export async function bookingById(q: TenantQueryable, id: string, opts: { forUpdate?: boolean } = {}): Promise<Booking | undefined> {
  const { rows } = await q.query<Row>(`${SELECT_BOOKING} WHERE b.tenant_id = $1 AND b.id = $2${opts.forUpdate ? ' FOR UPDATE OF b' : ''}`, [id]);
  return rows[0] ? toBooking(rows[0]) : undefined;
}

/**
 * The time active claims hold on a resource within [from, to): what availability is computed
 * against. A hold that ran out at `now` holds nothing (the next booking in its way lapses it).
 */
export async function heldBetween(q: TenantQueryable, resourceId: string, from: Date, to: Date, now: Date): Promise<Span[]> {
  const { rows } = await q.query<{ start: Date; end: Date }>(
    `SELECT lower(c.occupies) AS start, upper(c.occupies) AS end FROM booking_claims c
     WHERE c.tenant_id = $1 AND c.resource_id = $2 AND c.active AND c.occupies && tstzrange($3, $4)
       AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.tenant_id = c.tenant_id AND b.id = c.booking_id AND b.status = 'held' AND b.hold_until <= $5)
     ORDER BY lower(c.occupies)`,
    [resourceId, from, to, now],
  );
  return rows.map((r) => ({ start: new Date(r.start), end: new Date(r.end) }));
}

/** The outcome of a payment for a held booking. */
export type PaidOutcome = 'booked' | 'alreadyBooked' | 'lost';

/**
 * A payment for a held booking has arrived. Still held (even past its hold, if nobody took the time):
 * confirmed. Lapsed: its claims are made active again only where no active claim overlaps them; if
 * any cannot be, none is, the booking stays lapsed and the caller refunds ('lost'). A claim written
 * by a transaction still in flight is not seen by that test but by the constraint, which then throws
 * TimeTakenError: the caller rolls back and asks again, and is answered 'lost'.
 */
export async function confirmPaid(tx: TenantQueryable, id: string, now: Date): Promise<PaidOutcome> {
  const b = await bookingById(tx, id, { forUpdate: true });
  if (!b) throw new Error(`no booking ${id}`);
  if (b.status === 'booked') return 'alreadyBooked';
  if (b.status === 'lapsed') {
    await lockResources(tx, b.resources);
    let reclaimed: number;
    try {
      const r = await tx.query(
        `UPDATE booking_claims c SET active = true WHERE c.tenant_id = $1 AND c.booking_id = $2
           AND NOT EXISTS (SELECT 1 FROM booking_claims o WHERE o.tenant_id = $1 AND o.resource_id = c.resource_id AND o.active AND o.occupies && c.occupies)`,
        [id],
      );
      reclaimed = r.rowCount ?? 0;
    } catch (e) {
      if (isExclusionViolation(e)) throw new TimeTakenError(b.resources.join(', '));
      throw e;
    }
    if (reclaimed < b.resources.length) {
      if (reclaimed > 0) await tx.query('UPDATE booking_claims SET active = false WHERE tenant_id = $1 AND booking_id = $2', [id]);
      return 'lost';
    }
  } else if (b.status !== 'held') return 'lost';
  await tx.query(`UPDATE bookings SET status = 'booked', hold_until = NULL, changed_at = $3 WHERE tenant_id = $1 AND id = $2`, [id, now]);
  return 'booked';
}

/**
 * Ends a booking (cancelled by its booker or the municipality, or refused by staff): its claims go
 * inactive in the same statement's transaction, so the time is free at once. False when it had
 * already ended.
 */
export async function endBooking(tx: TenantQueryable, id: string, status: Extract<BookingStatus, 'cancelled' | 'refused'>, now: Date, reason?: string): Promise<boolean> {
  const { rows } = await tx.query<{ id: string }>(
    `UPDATE bookings SET status = $3, changed_at = $4, details = CASE WHEN $5::text IS NULL THEN details ELSE details || jsonb_build_object('endReason', $5::text) END
     WHERE tenant_id = $1 AND id = $2 AND status IN ('held', 'requested', 'booked') RETURNING id`,
    [id, status, now, reason ?? null],
  );
  if (!rows.length) return false;
  await tx.query('UPDATE booking_claims SET active = false WHERE tenant_id = $1 AND booking_id = $2', [id]);
  return true;
}

/** Records the case a booking was made with (written in the case's transaction, after the booking). */
export async function attachCase(tx: TenantQueryable, bookingId: string, caseId: string): Promise<void> {
  await tx.query('UPDATE bookings SET case_id = $3 WHERE tenant_id = $1 AND id = $2', [bookingId, caseId]);
}

/** The bookings a case was made with, oldest first. */
/** The first booking of each of these cases (the one its pages show), by case id. */
export async function firstBookingsOfCases(q: TenantQueryable, caseIds: readonly string[]): Promise<Map<string, Booking>> {
  const { rows } = await q.query<Row>(`${SELECT_BOOKING} WHERE b.tenant_id = $1 AND b.case_id = ANY($2::uuid[]) ORDER BY b.created_at DESC`, [caseIds]);
  // Newest first, so the oldest of a case is the one kept.
  return new Map(rows.map((r) => [r.case_id!, toBooking(r)]));
}

export async function bookingsOfCase(q: TenantQueryable, caseId: string): Promise<Booking[]> {
  const { rows } = await q.query<Row>(`${SELECT_BOOKING} WHERE b.tenant_id = $1 AND b.case_id = $2 ORDER BY b.created_at`, [caseId]);
  return rows.map(toBooking);
}
