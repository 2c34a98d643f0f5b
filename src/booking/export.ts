/**
 * A booking service's schedule as staff read it and take it away: the bookings and blocks active
 * claims hold on its resources over a span of time (with the booker's name from the case, a block's
 * reason), each day's occupancy (booked of open minutes), and a day's list as CSV for Excel and as a
 * PDF to print (pdfkit with DejaVu embedded, as documents/ does).
 */
import { accessiblePdf } from '../documents/index.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import type { Translate } from '../kernel/i18n/index.ts';
import { openingOn, type ResolvedRules } from './availability.ts';
import type { BookingStatus } from './claims.ts';
import { addDays, instantOf, localDate, localTime } from './time.ts';

/** A booking or a block on one resource, as the schedule lists it. */
export interface ScheduleEntry {
  bookingId: string;
  resourceId: string;
  serviceId: string;
  kind: 'booking' | 'block';
  status: BookingStatus;
  start: Date;
  end: Date;
  caseId: string | null;
  reference: string | null;
  /** Who the case is assigned to: the only member of staff who sees a protected identity's name (ADR 0024). */
  assigneeId: string | null;
  /** The applicant's name (a resident's, an organisation's), or the booker's for a booking not yet made a case. */
  name: string | null;
  /** The applicant or the subject has a protected identity (skyddad identitet). */
  protectedIdentity: boolean;
  /** A block's reason. */
  reason: string | null;
  /**
   * It holds the resource's time (a claim); false: it takes a seat of an occurrence (a course's
   * enrolment), which fills the occurrence and not the resource's hours.
   */
  claimed: boolean;
}

type Row = {
  booking_id: string;
  resource_id: string | null;
  service_id: string;
  kind: ScheduleEntry['kind'];
  status: BookingStatus;
  starts_at: Date;
  ends_at: Date;
  case_id: string | null;
  reference: string | null;
  assignee_id: string | null;
  name: string | null;
  protected_identity: boolean | null;
  reason: string | null;
  claimed: boolean | null;
};

/** Whether the case's applicant or subject has a protected identity (co-signing/ records it on the party). */
const PROTECTED = `EXISTS (SELECT 1 FROM case_parties x WHERE x.tenant_id = b.tenant_id AND x.case_id = b.case_id AND x.role IN ('applicant', 'subject') AND x.details @> '{"protected": true}')`;

const toEntry = (r: Row): ScheduleEntry => ({
  bookingId: r.booking_id,
  resourceId: r.resource_id ?? '',
  serviceId: r.service_id,
  kind: r.kind,
  status: r.status,
  start: new Date(r.starts_at),
  end: new Date(r.ends_at),
  caseId: r.case_id,
  reference: r.reference,
  assigneeId: r.assignee_id,
  name: r.name,
  protectedIdentity: r.protected_identity === true,
  reason: r.reason,
  claimed: r.claimed !== false,
});

/** At most this many entries are read for one span: a week of one resource or a day of a service has far fewer. */
const MAX_ENTRIES = 5000;

/**
 * The bookings and blocks whose active claims on the resources overlap [from, to) — read through the
 * claims' exclusion index, one range scan per resource — and the enrolments in the occurrences of
 * seats that start in it (confirmed and waiting), by start. A hold that ran out at `now` holds
 * nothing, as on the booking pages.
 */
export async function scheduleBetween(q: TenantQueryable, resourceIds: readonly string[], from: Date, to: Date, now: Date): Promise<ScheduleEntry[]> {
  if (!resourceIds.length) return [];
  const { rows } = await q.query<Row>(
    `WITH taking AS (
       SELECT c.booking_id, c.resource_id, true AS claimed FROM booking_claims c
        WHERE c.tenant_id = $1 AND c.resource_id = ANY($2::text[]) AND c.active AND c.occupies && tstzrange($3, $4)
       UNION ALL
       SELECT e.booking_id, e.resource_id, false AS claimed FROM booking_enrolments e
        WHERE e.tenant_id = $1 AND e.resource_id = ANY($2::text[]) AND e.starts_at < $4 AND e.starts_at >= $3::timestamptz - interval '1 day')
     SELECT b.id AS booking_id, h.resource_id, h.claimed, b.service_id, b.kind, b.status, b.starts_at, b.ends_at, b.case_id, b.details->>'reason' AS reason,
            k.reference, k.assignee_id,
            COALESCE((SELECT r.given_name || ' ' || r.family_name FROM residents r WHERE r.tenant_id = p.tenant_id AND r.id = p.resident_id),
                     p.name, p.email,
                     (SELECT o.given_name || ' ' || o.family_name FROM residents o WHERE o.tenant_id = b.tenant_id AND o.id::text = b.owner_id)) AS name,
            ${PROTECTED} AS protected_identity
       FROM taking h
       JOIN bookings b ON b.tenant_id = $1 AND b.id = h.booking_id
       LEFT JOIN cases k ON k.tenant_id = b.tenant_id AND k.id = b.case_id
       LEFT JOIN case_parties p ON p.tenant_id = b.tenant_id AND p.case_id = b.case_id AND p.role = 'applicant'
      WHERE NOT (b.status = 'held' AND b.hold_until <= $5)
        AND (h.claimed OR (b.status IN ('booked', 'waiting') AND b.ends_at > $3))
      ORDER BY b.starts_at, h.resource_id, b.id
      LIMIT ${MAX_ENTRIES}`,
    [[...resourceIds], from, to, now],
  );
  return rows.map(toEntry);
}

/** A booking awaiting approval, as staff's list shows it. */
export interface RequestedBooking extends ScheduleEntry {
  resourceName: string | null;
}

/** The bookings of these services awaiting approval that have not ended, soonest first (migration 0041's index). */
export async function requestedBookings(q: TenantQueryable, serviceIds: readonly string[], now: Date): Promise<RequestedBooking[]> {
  if (!serviceIds.length) return [];
  const { rows } = await q.query<Row & { resource_name: string | null }>(
    `SELECT b.id AS booking_id, (SELECT min(c.resource_id) FROM booking_claims c WHERE c.tenant_id = b.tenant_id AND c.booking_id = b.id) AS resource_id,
            b.service_id, b.kind, b.status, b.starts_at, b.ends_at, b.case_id, b.details->>'reason' AS reason, b.details->>'resourceName' AS resource_name,
            k.reference, k.assignee_id,
            COALESCE((SELECT r.given_name || ' ' || r.family_name FROM residents r WHERE r.tenant_id = p.tenant_id AND r.id = p.resident_id), p.name, p.email) AS name,
            ${PROTECTED} AS protected_identity
       FROM bookings b
       LEFT JOIN cases k ON k.tenant_id = b.tenant_id AND k.id = b.case_id
       LEFT JOIN case_parties p ON p.tenant_id = b.tenant_id AND p.case_id = b.case_id AND p.role = 'applicant'
      WHERE b.tenant_id = $1 AND b.status = 'requested' AND b.service_id = ANY($2::text[]) AND b.ends_at > $3
      ORDER BY b.starts_at, b.id LIMIT ${MAX_ENTRIES}`,
    [[...serviceIds], now],
  );
  return rows.map((r) => ({ ...toEntry(r), resourceName: r.resource_name }));
}

/**
 * Who an entry is, as the member of staff `viewerId` may read it: a block's reason; a protected
 * identity's name only to the case's assignee (policy's staffSeesProtectedNames, ADR 0024).
 */
export function whoOf(e: ScheduleEntry, viewerId: string, t: Translate): string {
  if (e.kind === 'block') return t('booking.staff.blockedBecause', { reason: e.reason ?? '' });
  if (e.protectedIdentity && e.assigneeId !== viewerId) return t('booking.staff.protected');
  return e.name ?? t('booking.staff.unknown');
}

/** An entry's state in words: a block is "blocked", a booking its status. */
export const statusOf = (e: ScheduleEntry, t: Translate): string => (e.kind === 'block' ? t('booking.staff.blocked') : t(`booking.status.${e.status}`));

/** The start and end of a local date, as instants. */
export const dayBounds = (date: string): { from: Date; to: Date } => ({ from: instantOf(date, '00:00'), to: instantOf(addDays(date, 1), '00:00') });

/** The entries that overlap a local date. */
export function entriesOn(entries: readonly ScheduleEntry[], date: string): ScheduleEntry[] {
  const { from, to } = dayBounds(date);
  return entries.filter((e) => e.start < to && from < e.end);
}

/** A day's occupancy: minutes booked of the minutes open (the opening hours less blocked time). */
export interface DayOccupancy {
  date: string;
  /** The resource's opening hours that day, in minutes (0: closed). */
  openingMinutes: number;
  blockedMinutes: number;
  /** Open to book: the opening hours less blocked time. */
  openMinutes: number;
  bookedMinutes: number;
}

const minutesBetween = (a: Date, b: Date) => Math.max(0, (b.getTime() - a.getTime()) / 60_000);

/**
 * The occupancy of one resource on a local date: its opening hours from the rules (exceptions
 * included), and the part of each booking and block that holds its time inside them (a booking's
 * own span, not the buffer after it; a course's enrolments take seats, not hours).
 */
export function occupancyOn(rules: Pick<ResolvedRules, 'opening' | 'exceptions'>, date: string, entries: readonly ScheduleEntry[]): DayOccupancy {
  const hours = openingOn(rules, date).hours.map(([from, to]) => ({ open: instantOf(date, from), close: instantOf(date, to) }));
  const inside = (e: ScheduleEntry) => hours.reduce((sum, h) => sum + minutesBetween(new Date(Math.max(h.open.getTime(), e.start.getTime())), new Date(Math.min(h.close.getTime(), e.end.getTime()))), 0);
  const openingMinutes = hours.reduce((sum, h) => sum + minutesBetween(h.open, h.close), 0);
  const holding = entries.filter((e) => e.claimed);
  const blockedMinutes = holding.filter((e) => e.kind === 'block').reduce((sum, e) => sum + inside(e), 0);
  const bookedMinutes = holding.filter((e) => e.kind === 'booking').reduce((sum, e) => sum + inside(e), 0);
  return { date, openingMinutes, blockedMinutes, openMinutes: Math.max(0, openingMinutes - blockedMinutes), bookedMinutes };
}

/** Booked of open as a whole percentage; undefined when nothing was open. */
export const shareOf = (o: Pick<DayOccupancy, 'openMinutes' | 'bookedMinutes'>): number | undefined => (o.openMinutes > 0 ? Math.round((o.bookedMinutes / o.openMinutes) * 100) : undefined);

/** Minutes as people read a length of time: "3 tim 30 min", "2 h". */
export function formatMinutes(minutes: number, t: Translate): string {
  const total = Math.round(minutes);
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (!h) return t('booking.staff.minutes', { m });
  return m ? t('booking.staff.hoursMinutes', { h, m }) : t('booking.staff.hours', { h });
}

/** A local date and time for a file: "2026-11-30 16:00". */
export const localDateTime = (at: Date): string => `${localDate(at)} ${localTime(at)}`;

/**
 * CSV for Excel as Swedish installations read it: UTF-8 with a byte-order mark, semicolons between
 * values, CRLF between rows, every value quoted (a quote doubled). A value that starts like a
 * formula (= + - @, or a tab or carriage return that some programs skip) is prefixed with an
 * apostrophe, so a name such as `=cmd|' /C calc'!A0` is shown as text and never run.
 */
export function csvOf(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (value: string) => {
    const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return `"${text.replace(/"/g, '""')}"`;
  };
  return `\ufeff${[header, ...rows].map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
}


export interface DayList {
  lang: 'sv' | 'en';
  title: string;
  /** Above the title: the municipality and the service. */
  sender: string[];
  header: string[];
  /** Relative widths of the columns. */
  widths: number[];
  rows: string[][];
  /** What the page says when there are no rows. */
  empty: string;
  footer: string;
}

/**
 * A day's list as a PDF table on A4 landscape, with the header row again on every page. The
 * creation date is fixed from `createdAt`, so the same list renders the same file.
 */
export function dayListPdf(list: DayList, createdAt: Date): Promise<Buffer> {
  const { doc, done } = accessiblePdf(
    { title: list.title, author: list.sender[0], lang: list.lang, layout: 'landscape', margins: { top: 48, bottom: 48, left: 48, right: 48 } },
    createdAt,
  );

  const left = doc.page.margins.left;
  const usable = doc.page.width - left - doc.page.margins.right;
  const total = list.widths.reduce((a, b) => a + b, 0);
  const widths = list.widths.map((w) => (w / total) * usable);
  const pad = 4;
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  const row = (cells: readonly string[], font: 'body' | 'bold') => {
    doc.font(font).fontSize(9);
    const height = Math.max(...cells.map((c, i) => doc.heightOfString(c || '–', { width: widths[i]! - 2 * pad }))) + 2 * pad;
    if (doc.y + height > bottom()) {
      doc.addPage();
      if (font === 'body') row(list.header, 'bold');
      doc.font(font).fontSize(9);
    }
    const top = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      doc.text(c || '–', x + pad, top + pad, { width: widths[i]! - 2 * pad, lineBreak: true });
      x += widths[i]!;
    });
    doc
      .moveTo(left, top + height)
      .lineTo(left + usable, top + height)
      .lineWidth(font === 'bold' ? 1 : 0.5)
      .strokeColor('#555555')
      .stroke();
    doc.x = left;
    doc.y = top + height;
  };

  doc.font('bold').fontSize(10).text(list.sender.join('\n'));
  doc.moveDown(0.8);
  doc.font('bold').fontSize(16).text(list.title);
  doc.moveDown(0.6);
  if (list.rows.length === 0) doc.font('body').fontSize(11).text(list.empty);
  else {
    row(list.header, 'bold');
    for (const r of list.rows) row(r, 'body');
  }
  doc.moveDown(1.2);
  doc.x = left;
  doc.font('body').fontSize(8).fillColor('#333333').text(list.footer, left, doc.y, { width: usable });
  doc.end();
  return done;
}
