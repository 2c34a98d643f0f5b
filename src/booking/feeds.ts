/**
 * Calendar feeds of bookings (iCalendar, ical.ts), for calendar programs to subscribe to:
 *
 * - a resource's busy times, open to anyone: when it is taken, never by whom or for which case (each
 *   event's UID is a hash, not the booking's id);
 * - a person's own bookings, at a secret address `/calendar/<token>.ics`. The token is 32 random bytes
 *   (256 bits, base64url) shown once; only its SHA-256 is stored (migration 0041) and a feed is found
 *   by that hash, as private follow links are (follow/). A person has one feed: renewing replaces its
 *   row in one statement, so the old address stops working at once.
 */
import { createHash } from 'node:crypto';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { randomToken } from '../kernel/ids.ts';
import type { BookingStatus } from './claims.ts';
import type { IcsEvent, IcsStatus } from './ical.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Whether a string has the shape of a feed token (anything else is not looked up). */
export const isFeedToken = (token: string): boolean => TOKEN.test(token);

/**
 * Makes the resident's feed token, or a new one in place of the old (which stops working in the same
 * statement). Returns the token: to show once, never stored.
 */
export async function renewFeed(q: TenantQueryable, residentId: string, now: Date): Promise<string> {
  const token = randomToken(32);
  await q.query(
    `INSERT INTO booking_feeds (tenant_id, token_hash, resident_id, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, resident_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at`,
    [sha256(token), residentId, now],
  );
  return token;
}

/** Ends the resident's feed: its address stops working. */
export async function removeFeed(q: TenantQueryable, residentId: string): Promise<void> {
  await q.query('DELETE FROM booking_feeds WHERE tenant_id = $1 AND resident_id = $2', [residentId]);
}

/** When the resident's current feed was made, if they have one. */
export async function feedMadeAt(q: TenantQueryable, residentId: string): Promise<Date | undefined> {
  const { rows } = await q.query<{ created_at: Date }>('SELECT created_at FROM booking_feeds WHERE tenant_id = $1 AND resident_id = $2', [residentId]);
  return rows[0] ? new Date(rows[0].created_at) : undefined;
}

/** The resident a token opens the feed of, with their language; undefined for a malformed, unknown, renewed or another tenant's token. */
export async function feedOwner(q: TenantQueryable, token: string): Promise<{ residentId: string; locale: 'sv' | 'en' } | undefined> {
  if (!isFeedToken(token)) return undefined;
  const { rows } = await q.query<{ resident_id: string; locale: string }>(
    `SELECT f.resident_id, r.locale FROM booking_feeds f JOIN residents r ON r.tenant_id = f.tenant_id AND r.id = f.resident_id
     WHERE f.tenant_id = $1 AND f.token_hash = $2`,
    [sha256(token)],
  );
  const row = rows[0];
  return row ? { residentId: row.resident_id, locale: row.locale === 'en' ? 'en' : 'sv' } : undefined;
}

/** The most events a feed carries: a calendar program fetches the whole feed every time. */
const MAX_EVENTS = 2000;

/**
 * The time active claims hold on a resource within [from, to), one event per claim, each with a UID
 * that is stable for the claim but says nothing of the booking (a hash of it). A hold that ran out at
 * `now` holds nothing, as on the booking pages.
 */
export async function busyEvents(q: TenantQueryable, resourceId: string, from: Date, to: Date, now: Date, summary: string): Promise<IcsEvent[]> {
  const { rows } = await q.query<{ booking_id: string; start: Date; end: Date }>(
    `SELECT c.booking_id, lower(c.occupies) AS start, upper(c.occupies) AS end FROM booking_claims c
     WHERE c.tenant_id = $1 AND c.resource_id = $2 AND c.active AND c.occupies && tstzrange($3, $4)
       AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.tenant_id = c.tenant_id AND b.id = c.booking_id AND b.status = 'held' AND b.hold_until <= $5)
     ORDER BY lower(c.occupies) LIMIT ${MAX_EVENTS}`,
    [resourceId, from, to, now],
  );
  return rows.map((r) => ({
    uid: `busy-${sha256(`${resourceId}|${r.booking_id}`).slice(0, 32)}`,
    start: new Date(r.start),
    end: new Date(r.end),
    summary,
    status: 'CONFIRMED',
    stamp: now,
  }));
}

/** A booking of a person's own, as their feed shows it. */
export interface OwnBooking {
  id: string;
  serviceId: string;
  status: BookingStatus;
  start: Date;
  end: Date;
  resources: string[];
  resourceName: string | null;
  caseId: string | null;
  reference: string | null;
}

/** What each state of a booking says to a calendar program, and which revision of the event it is (SEQUENCE only grows). */
const ICS_STATES: Record<BookingStatus, { status: IcsStatus; sequence: number }> = {
  held: { status: 'TENTATIVE', sequence: 0 },
  requested: { status: 'TENTATIVE', sequence: 0 },
  waiting: { status: 'TENTATIVE', sequence: 0 },
  booked: { status: 'CONFIRMED', sequence: 1 },
  cancelled: { status: 'CANCELLED', sequence: 2 },
  refused: { status: 'CANCELLED', sequence: 2 },
  lapsed: { status: 'CANCELLED', sequence: 2 },
};

/** A booking's state as a calendar event's STATUS and SEQUENCE. */
export const icsStatusOf = (status: BookingStatus): { status: IcsStatus; sequence: number } => ICS_STATES[status];

/**
 * The person's own bookings (theirs as owner) that end after `from`: held, awaiting approval and
 * booked ones, and the cancelled and refused ones too, so that a calendar that has them removes them.
 */
export async function ownBookings(q: TenantQueryable, ownerId: string, from: Date, now: Date): Promise<OwnBooking[]> {
  const { rows } = await q.query<{ id: string; service_id: string; status: BookingStatus; starts_at: Date; ends_at: Date; resources: string[] | null; resource_name: string | null; case_id: string | null; reference: string | null }>(
    `SELECT b.id, b.service_id, b.status, b.starts_at, b.ends_at, b.details->>'resourceName' AS resource_name, b.case_id, k.reference,
            (SELECT array_agg(c.resource_id ORDER BY c.resource_id) FROM booking_claims c WHERE c.tenant_id = b.tenant_id AND c.booking_id = b.id) AS resources
       FROM bookings b LEFT JOIN cases k ON k.tenant_id = b.tenant_id AND k.id = b.case_id
      WHERE b.tenant_id = $1 AND b.owner_id = $2 AND b.kind = 'booking' AND b.ends_at > $3
        AND b.status IN ('held', 'requested', 'booked', 'cancelled', 'refused')
        AND NOT (b.status = 'held' AND b.hold_until <= $4)
      ORDER BY b.starts_at LIMIT ${MAX_EVENTS}`,
    [ownerId, from, now],
  );
  return rows.map((r) => ({
    id: r.id,
    serviceId: r.service_id,
    status: r.status,
    start: new Date(r.starts_at),
    end: new Date(r.ends_at),
    resources: r.resources ?? [],
    resourceName: r.resource_name,
    caseId: r.case_id,
    reference: r.reference,
  }));
}
