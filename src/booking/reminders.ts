/**
 * Reminders before a booking (ADR 0040, amended): a service's `booking.reminder` e-mails the booker
 * once, that many hours before a confirmed booking starts — the place, the time, the address, and
 * until when and where to cancel so that someone else can use the time. A periodic job's part.
 *
 * Once per booking across nodes: the booking's `reminded_at` is set under its case's lock, only where
 * it is still empty, in the same transaction as the e-mail (the outbox) and the case's journal entry.
 * A booking confirmed after its reminder time (booked the same afternoon, approved late, moved up from
 * a waiting list) is not reminded: the confirmation was the reminder. Seasonal services have none.
 */
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { Catalogue } from '../catalogue/index.ts';
import { applicantNotify, caseMail, caseUrlOf, changeCaseIn, lockCaseRow, type Case } from '../cases/index.ts';
import { tenantScope, type Database, type TenantQueryable, type TenantScope } from '../kernel/db/index.ts';
import { formatDate, translate } from '../kernel/i18n/index.ts';
import type { OutboxMessage } from '../notify/outbox.ts';
import { bookingById, type Booking } from './claims.ts';
import { cancelUntil, oneBookingPerCase, placeOfBooking } from './resources.ts';
import { formatSpan } from './time.ts';
import './messages.ts';

/** What the job needs of the app. */
export interface ReminderApp {
  catalogue: Catalogue;
  tenants: { all: readonly { id: string }[] };
  serviceVersions: { definition(q: TenantQueryable, id: string, version: number): Promise<ServiceDefinition | undefined> };
}

/** At most this many reminders per service and run; the rest come on the next run (every 30 s). */
const BATCH = 200;

/** The hours before a booking its service reminds the booker, or undefined when it does not. */
const reminderHours = (def: ServiceDefinition): number | undefined => (oneBookingPerCase(def) ? def.booking?.reminder?.hoursBefore : undefined);

/**
 * Reminds the bookers whose bookings start within their service's reminder hours of `now` and who
 * have not been reminded. Returns how many were.
 */
export async function remindBookings(app: ReminderApp, db: Database, now: Date, siteUrlOf: (tenantId: string) => string): Promise<number> {
  let n = 0;
  for (const tenant of app.tenants.all) {
    const tdb = tenantScope(db, tenant.id);
    for (const service of app.catalogue.services(tenant.id)) {
      const hours = reminderHours(service);
      if (hours === undefined) continue;
      const { rows } = await tdb.query<{ id: string; case_id: string }>(
        `SELECT id, case_id FROM bookings
          WHERE tenant_id = $1 AND service_id = $2 AND status = 'booked' AND kind = 'booking' AND reminded_at IS NULL AND case_id IS NOT NULL
            AND starts_at > $3::timestamptz AND starts_at <= $3::timestamptz + make_interval(hours => $4::int)
            AND changed_at <= starts_at - make_interval(hours => $4::int)
          ORDER BY starts_at LIMIT ${BATCH}`,
        [service.id, now, hours],
      );
      for (const row of rows) if (await remindOne(app, tdb, row.id, row.case_id, now, siteUrlOf(tenant.id))) n++;
    }
  }
  return n;
}

/**
 * One booking's reminder in a transaction of its own: the case's lock first (as a cancellation takes
 * it), then the booking marked reminded if it still is booked, upcoming and not reminded — false when
 * another run, a cancellation or the clock came first, and then nothing is written.
 */
async function remindOne(app: ReminderApp, tdb: TenantScope, bookingId: string, caseId: string, now: Date, siteUrl: string): Promise<boolean> {
  return tdb.transaction(async (tx) => {
    if (!(await lockCaseRow(tx, caseId))) return false;
    const marked = await tx.query(
      `UPDATE bookings SET reminded_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'booked' AND reminded_at IS NULL AND starts_at > $3::timestamptz`,
      [bookingId, now],
    );
    if (marked.rowCount !== 1) return false;
    const booking = await bookingById(tx, bookingId);
    if (!booking) return false;
    await changeCaseIn(tx, caseId, now, async (c, inner) => {
      const def = await app.serviceVersions.definition(inner, c.serviceId, c.serviceVersion);
      const outbox = def ? await reminderMail(app, inner, def, c, booking, now, siteUrl) : [];
      // Without an address the entry says so: the case page is then the only reminder.
      return { journal: [{ kind: 'booking_reminded', actorKind: 'system', actorId: null, payload: { bookingId, ...(outbox.length ? {} : { noAddress: true }) } }], outbox };
    });
    return true;
  });
}

/** The reminder e-mail in the case's language, or none when the case has no address to write to. */
async function reminderMail(app: ReminderApp, q: TenantQueryable, def: ServiceDefinition, c: Case, b: Booking, now: Date, siteUrl: string): Promise<OutboxMessage[]> {
  const notify = await applicantNotify(q, def, c, siteUrl);
  if (!notify.email) return [];
  const l = c.locale;
  const place = placeOfBooking(app.catalogue, q.tenantId, def, b, l);
  const time = formatSpan(b, l);
  const url = caseUrlOf(c, siteUrl);
  // A resident cancels on the case page within the rules; one who booked without e-ID reads it only.
  const until = def.booking?.rules.cancellation ? cancelUntil(def, b) : undefined;
  const canCancel = until !== undefined && now < until && c.parties.find((p) => p.role === 'applicant')?.kind !== 'email';
  const lines = [
    translate(l, 'booking.reminder.mail.body', { resource: place.name, time }),
    ...(place.address && !place.name.includes(place.address) ? [translate(l, 'booking.reminder.mail.address', { address: place.address })] : []),
    canCancel ? translate(l, 'booking.reminder.mail.cancel', { until: formatDate(until, l, true), url }) : translate(l, 'booking.reminder.mail.see', { url }),
  ];
  return [{ kind: 'email', payload: caseMail(c, def, l, { to: notify.email, subject: translate(l, 'booking.reminder.mail.subject', { time }), text: lines.join('\n\n') }) }];
}
