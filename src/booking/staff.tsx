/**
 * The staff side of the booking engine (issue 10), for every service with `engines: [book]` and a
 * `booking` section, and the calendar feeds:
 *
 * - `/staff/bookings`: the booking services the member of staff handles (policy: the service's
 *   department and a role that handles it), their resources, and a resource's week
 *   (`?service=&resource=&week=`): each day's bookings and blocks, who booked, the case, and the
 *   occupancy — booked of open minutes per day and for the week;
 * - blocks: a time staff take off a resource (repairs, a tournament), a claim like any booking, so the
 *   exclusion constraint refuses one over a booking — and the page names the bookings in the way;
 * - approval: the bookings awaiting it, approved or refused (with a reason) in one transaction with
 *   the booker's e-mail, once: a conditional UPDATE decides which of two clicks wins;
 * - a day's bookings as CSV and PDF, each download audit-logged;
 * - a resource's busy times as a public calendar feed, and a person's own bookings at a secret address.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { recordAudit, type AuditRecord } from '../audit/index.ts';
import { applicantNotify, caseMail, changeCase, getCase, type Case } from '../cases/index.ts';
import { requireResident } from '../identity/eid/index.ts';
import { requireStaff, type StaffHomeSection, type StaffMember } from '../identity/staff/index.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { AppError } from '../kernel/errors.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import type { Notice } from '../kernel/html/notice.tsx';
import { formatDate, pick, translate, translator, type Locale, type Translate } from '../kernel/i18n/index.ts';
import { isUuid } from '../kernel/ids.ts';
import { canHandleCase, canHandleService, staffPrincipal } from '../policy/index.ts';
import { book, bookingById, bookingTransaction, endBooking, TimeTakenError, type Booking, type BookingStatus } from './claims.ts';
import { csvOf, dayBounds, dayListPdf, entriesOn, localDateTime, occupancyOn, requestedBookings, scheduleBetween, statusOf, whoOf, type ScheduleEntry } from './export.ts';
import { busyEvents, feedMadeAt, feedOwner, icsStatusOf, ownBookings, removeFeed, renewFeed } from './feeds.ts';
import { icsCalendar, ICS_CONTENT_TYPE, type IcsEvent } from './ical.ts';
import { partnersOf, resourcesOf, type Resource } from './resources.ts';
import { addDays, dateProblem, formatSpan, instantOf, localDate, localTime, mondayOf, readTime } from './time.ts';
import { kindName } from './views.tsx';
import { BookingServicesPage, FeedPage, RequestsPage, STAFF_BOOKINGS, STAFF_REQUESTS, WeekSchedulePage, type BlockForm, type EntryView } from './staff-views.tsx';
import './messages.ts';
import './staff-messages.ts';
import './season-messages.ts';

const MAX_REASON = 200;
const MAX_REFUSAL = 1000;
const DAY_MS = 86_400_000;

const bookable = (def: ServiceDefinition | undefined): def is ServiceDefinition => !!def && def.engines.includes('book') && !!def.booking;

/** May the member of staff handle the service: its department, and a role its definition names to handle it (policy's canHandleCase). */
/** The message for a date that is none, or too far off. */
const dateMessage = (problem: 'format' | 'range') => (problem === 'range' ? 'booking.filter.dateRange' : 'booking.staff.error.date');

export const mayHandle = (staff: StaffMember, def: ServiceDefinition) => canHandleService(staffPrincipal(staff), def);

const text = (v: unknown, max: number) => (typeof v === 'string' ? v.replace(/\r\n?/g, '\n').trim().slice(0, max) : '');


/** "16:00–17:30" on the day it is listed under; its whole span where it reaches into another day. */
function timeOn(e: { start: Date; end: Date }, date: string, locale: Locale): string {
  return localDate(e.start) === date && (localDate(e.end) === date || localTime(e.end) === '00:00') ? `${localTime(e.start)}–${localTime(e.end)}` : formatSpan(e, locale);
}

/** How each state of a booking is tagged in the schedule (a block is always a warning). */
const COLORS: Record<BookingStatus, EntryView['color']> = { held: 'info', requested: 'info', waiting: 'info', booked: 'success', cancelled: 'neutral', refused: 'neutral', lapsed: 'neutral' };
const colorOf = (e: ScheduleEntry): EntryView['color'] => (e.kind === 'block' ? 'warning' : COLORS[e.status]);

/** On the staff home page: the booking schedules and the requests awaiting approval, for those who handle a booking service. */
export const bookingsHomeSection: StaffHomeSection = async (req, staff) => {
  const services = req.server.catalogue.services(req.tenant.id).filter((d) => d.engines.includes('book') && !!d.booking && mayHandle(staff, d));
  if (!services.length) return null;
  const { t } = req;
  return (
    <section aria-labelledby="staff-bookings">
      <h2 class="ds-heading" data-size="sm" id="staff-bookings">
        {t('booking.staff.title')}
      </h2>
      <ul class="ds-list">
        <li>
          <a class="ds-link" href={STAFF_BOOKINGS}>
            {t('booking.staff.title')}
          </a>
        </li>
        <li>
          <a class="ds-link" href={STAFF_REQUESTS}>
            {t('booking.staff.requests.title')}
          </a>
        </li>
        {services.some((d) => d.booking?.season) && (
          <li>
            <a class="ds-link" href={`${STAFF_BOOKINGS}/seasons`}>
              {t('season.staff.link')}
            </a>
          </li>
        )}
      </ul>
    </section>
  );
};

export async function bookingStaffPlugin(app: FastifyInstance): Promise<void> {
  const resources = (req: FastifyRequest, def: ServiceDefinition) => resourcesOf(app.catalogue, req.tenant.id, def);
  /** The tenant's booking services the member of staff handles. */
  const handled = (req: FastifyRequest, staff: StaffMember) => app.catalogue.services(req.tenant.id).filter((d) => bookable(d) && mayHandle(staff, d));
  const siteOf = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

  /** The handled service a request names; another (or none) is not found, as another department's case is. */
  function serviceOf(req: FastifyRequest, staff: StaffMember, id: unknown): ServiceDefinition {
    const def = typeof id === 'string' ? handled(req, staff).find((d) => d.id === id) : undefined;
    if (!def) throw new AppError('NOT_FOUND');
    return def;
  }

  /**
   * What staff keep the schedule of: the service's resources, then its `together` register's entries
   * (officiants: a week of the ceremonies each takes, and blocks for their absences, which no booking
   * then takes them for).
   */
  const scheduled = (req: FastifyRequest, def: ServiceDefinition) => [...resources(req, def), ...partnersOf(app.catalogue, req.tenant.id, def)];
  /** A resource's kind as staff read it; a partner by its register's label (`booking.together.label`). */
  const kindOf = (req: FastifyRequest, def: ServiceDefinition, r: Resource) => {
    const label = def.booking?.together?.label;
    return label && partnersOf(app.catalogue, req.tenant.id, def).includes(r) ? pick(label, req.locale) : kindName(def, r.kind, req.locale);
  };

  /** The resource (or partner) an entry id names among the service's; anything else is a bad request. */
  function resourceOf(req: FastifyRequest, def: ServiceDefinition, entryId: unknown): Resource {
    const r = typeof entryId === 'string' ? scheduled(req, def).find((x) => x.entryId === entryId) : undefined;
    if (!r) throw new AppError('BAD_REQUEST');
    return r;
  }

  /** A schedule entry as a row: its time on the day, status, who (as this member of staff may read it), case. */
  function entryView(req: FastifyRequest, staff: StaffMember, e: ScheduleEntry, date: string | undefined): EntryView {
    return {
      bookingId: e.bookingId,
      time: date ? timeOn(e, date, req.locale) : formatSpan(e, req.locale),
      status: statusOf(e, req.t),
      color: colorOf(e),
      who: whoOf(e, staff.id, req.t),
      ...(e.caseId ? { caseHref: `/staff/cases/${e.caseId}`, reference: e.reference ?? undefined } : {}),
      removable: e.kind === 'block',
    };
  }

  const weekHref = (def: ServiceDefinition, r: Resource, date: string, extra = '') => `${STAFF_BOOKINGS}?service=${encodeURIComponent(def.id)}&resource=${encodeURIComponent(r.entryId)}&week=${date}${extra}`;

  async function weekPage(
    req: FastifyRequest,
    reply: FastifyReply,
    staff: StaffMember,
    def: ServiceDefinition,
    resource: Resource,
    monday: string,
    opts: { block?: BlockForm; notice?: Notice; weekError?: { value: string; message: string }; status?: number } = {},
  ): Promise<FastifyReply> {
    const now = app.clock.now();
    const dates = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
    const entries = await scheduleBetween(req.tdb, [resource.id], instantOf(monday, '00:00'), instantOf(addDays(monday, 7), '00:00'), now);
    const ctx = req.viewContext();
    return reply.page(
      <WeekSchedulePage
        ctx={ctx}
        service={{ id: def.id, title: pick(def.title, req.locale) }}
        resource={{ entryId: resource.entryId, name: resource.name, kind: kindOf(req, def, resource), area: resource.area, address: resource.address }}
        monday={monday}
        occupancy={dates.map((d) => occupancyOn(resource.rules, d, entriesOn(entries, d)))}
        days={dates.map((d) => ({ date: d, entries: entriesOn(entries, d).map((e) => entryView(req, staff, e, d)) }))}
        previous={weekHref(def, resource, addDays(monday, -7))}
        next={weekHref(def, resource, addDays(monday, 7))}
        weekError={opts.weekError}
        block={opts.block ?? { values: { date: monday < localDate(now) ? localDate(now) : monday, from: '', to: '', reason: '' }, errors: [] }}
        notice={opts.notice}
        maxReason={MAX_REASON}
      />,
      opts.status ?? 200,
    );
  }

  const WEEK_NOTICES: Record<string, Notice> = {
    blocked: { text: 'booking.staff.block.done' },
    removed: { text: 'booking.staff.block.removed' },
    alreadyRemoved: { text: 'booking.staff.block.alreadyRemoved', kind: 'info' },
  };
  const noticeOf = (req: FastifyRequest, notices: Record<string, Notice>): Notice | undefined => {
    const n = notices[String((req.query as { done?: unknown }).done)];
    return n ? { ...n, text: req.t(n.text) } : undefined;
  };

  /** The services page, or a resource's week when one is asked for. */
  app.get(STAFF_BOOKINGS, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const services = handled(req, staff);
    if (!services.length) throw new AppError('FORBIDDEN');
    const q = req.query as Record<string, unknown>;
    const today = localDate(app.clock.now());
    if (q.service === undefined && q.resource === undefined) return servicesPage(req, reply, staff, services, today);
    const def = serviceOf(req, staff, q.service);
    const resource = resourceOf(req, def, q.resource);
    const week = text(q.week, 40);
    const weekProblem = week ? dateProblem(week, today) : undefined;
    if (weekProblem) {
      return weekPage(req, reply, staff, def, resource, mondayOf(today), { weekError: { value: week, message: req.t(dateMessage(weekProblem), { example: today }) }, status: 400 });
    }
    const notice = noticeOf(req, WEEK_NOTICES);
    return weekPage(req, reply, staff, def, resource, mondayOf(week || today), notice ? { notice } : {});
  });

  async function servicesPage(req: FastifyRequest, reply: FastifyReply, staff: StaffMember, services: ServiceDefinition[], today: string, exportForm?: { serviceId: string; date: string; error: string }) {
    const requested = await requestedBookings(req.tdb, services.map((s) => s.id), app.clock.now());
    return reply.page(
      <BookingServicesPage
        ctx={req.viewContext()}
        today={today}
        exportForm={exportForm}
        services={services.map((s) => ({
          id: s.id,
          title: pick(s.title, req.locale),
          resources: scheduled(req, s).map((r) => ({ entryId: r.entryId, name: r.name, kind: kindOf(req, s, r), area: r.area })),
          requested: requested.filter((b) => b.serviceId === s.id).length,
        }))}
      />,
      exportForm ? 400 : 200,
    );
  }

  // ---- Blocks ---------------------------------------------------------------------------------

  app.post(`${STAFF_BOOKINGS}/blocks`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const def = serviceOf(req, staff, body.service);
    const resource = resourceOf(req, def, body.resource);
    const values = { date: text(body.date, 40), from: text(body.from, 40), to: text(body.to, 40), reason: text(body.reason, MAX_REASON * 2) };
    const now = app.clock.now();
    const today = localDate(now);
    const errors: FieldError[] = [];
    const from = readTime(values.from, false);
    const to = readTime(values.to, true);
    if (!values.date) errors.push({ field: 'b-date', message: req.t('booking.staff.error.dateRequired') });
    const dateWrong = values.date ? dateProblem(values.date, today) : undefined;
    if (dateWrong) errors.push({ field: 'b-date', message: req.t(dateMessage(dateWrong), { example: today }) });
    if (!from) errors.push({ field: 'b-from', message: req.t(values.from ? 'booking.staff.error.time' : 'booking.staff.error.timeRequired', { example: '08:00' }) });
    if (!to) errors.push({ field: 'b-to', message: req.t(values.to ? 'booking.staff.error.time' : 'booking.staff.error.timeRequired', { example: '16:30' }) });
    if (!values.reason) errors.push({ field: 'b-reason', message: req.t('booking.staff.error.reasonRequired') });
    else if (values.reason.length > MAX_REASON) errors.push({ field: 'b-reason', message: req.t('booking.staff.error.reasonTooLong', { max: MAX_REASON }) });
    const span = !errors.some((e) => e.field !== 'b-reason') && from && to ? { start: instantOf(values.date, from), end: instantOf(values.date, to) } : undefined;
    // A time the clock skips that night (summer time begins: 02:00–02:59 do not exist) is said, not silently moved.
    const skipped = span ? ([['b-from', from!, span.start], ['b-to', to!, span.end]] as const).find(([, time, at]) => time !== '24:00' && localTime(at) !== time) : undefined;
    if (skipped) errors.push({ field: skipped[0], message: req.t('booking.staff.error.skippedHour', { time: skipped[1] }) });
    else if (span && span.end <= span.start) errors.push({ field: 'b-to', message: req.t('booking.staff.error.toBeforeFrom') });
    else if (span && span.end <= now) errors.push({ field: 'b-date', message: req.t('booking.staff.error.past') });
    const monday = mondayOf(values.date && !dateWrong ? values.date : today);
    if (errors.length || !span) return weekPage(req, reply, staff, def, resource, monday, { block: { values, errors }, status: 400 });
    try {
      // A claim like any booking's, without a buffer: the constraint refuses it over a booking, and a
      // booking over it; it shows as taken on the public pages and in the feeds at once.
      await bookingTransaction(req.tdb, (tx) =>
        book(tx, { serviceId: def.id, kind: 'block', status: 'booked', span, claims: [{ resourceId: resource.id, occupies: span }], details: { reason: values.reason, resourceName: resource.name, blockedBy: staff.id } }, now),
      );
    } catch (e) {
      if (!(e instanceof TimeTakenError)) throw e;
      // Which bookings are in the way (the write decided; this only explains it).
      const inTheWay = (await scheduleBetween(req.tdb, [resource.id], span.start, span.end, now)).map((x) => entryView(req, staff, x, undefined));
      return weekPage(req, reply, staff, def, resource, monday, { block: { values, errors: [{ field: 'b-date', message: req.t('booking.staff.block.inTheWay') }], inTheWay }, status: 409 });
    }
    return reply.redirect(weekHref(def, resource, values.date, '&done=blocked'), 303);
  });

  /** A booking by the id in the URL, of a service this member of staff handles (else not found; a malformed id is a bad request). */
  async function staffBooking(req: FastifyRequest, staff: StaffMember): Promise<{ booking: Booking; def: ServiceDefinition }> {
    const { bookingId } = req.params as { bookingId: string };
    if (!isUuid(bookingId)) throw new AppError('BAD_REQUEST');
    const booking = await bookingById(req.tdb, bookingId);
    const def = booking ? handled(req, staff).find((d) => d.id === booking.serviceId) : undefined;
    if (!booking || !def) throw new AppError('NOT_FOUND');
    return { booking, def };
  }

  app.post(`${STAFF_BOOKINGS}/blocks/:bookingId/remove`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const { booking, def } = await staffBooking(req, staff);
    if (booking.kind !== 'block') throw new AppError('NOT_FOUND');
    const removed = await req.tdb.transaction((tx) => endBooking(tx, booking.id, 'cancelled', app.clock.now()));
    const resource = resources(req, def).find((r) => booking.resources.includes(r.id));
    const done = removed ? 'removed' : 'alreadyRemoved';
    return reply.redirect(resource ? weekHref(def, resource, localDate(booking.start), `&done=${done}`) : STAFF_BOOKINGS, 303);
  });

  // ---- Approval -------------------------------------------------------------------------------

  const REQUEST_NOTICES: Record<string, Notice> = {
    approved: { text: 'booking.staff.approved' },
    refused: { text: 'booking.staff.refused' },
    already: { text: 'booking.staff.alreadyDecided', kind: 'info' },
  };

  async function requestsPage(req: FastifyRequest, reply: FastifyReply, staff: StaffMember, extra: { errors?: FieldError[]; reasons?: Record<string, string>; status?: number } = {}) {
    const services = handled(req, staff);
    if (!services.length) throw new AppError('FORBIDDEN');
    const only = (req.query as { service?: unknown }).service;
    const shown = services.filter((s) => typeof only !== 'string' || s.id === only);
    const titles = new Map(services.map((s) => [s.id, pick(s.title, req.locale)]));
    const requested = await requestedBookings(req.tdb, shown.map((s) => s.id), app.clock.now());
    const notice = noticeOf(req, REQUEST_NOTICES);
    return reply.page(
      <RequestsPage
        ctx={req.viewContext()}
        requests={requested.map((b) => ({
          ...entryView(req, staff, b, undefined),
          service: titles.get(b.serviceId) ?? b.serviceId,
          resource: services.flatMap((s) => resources(req, s)).find((r) => r.id === b.resourceId)?.name ?? b.resourceName ?? '',
        }))}
        errors={extra.errors ?? []}
        reasons={extra.reasons ?? {}}
        {...(notice ? { notice } : {})}
        maxReason={MAX_REFUSAL}
      />,
      extra.status ?? 200,
    );
  }

  app.get(STAFF_REQUESTS, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    return requestsPage(req, reply, staff);
  });

  /**
   * The booking awaiting approval and its case, if this member of staff may decide it: the service's
   * handler, and — where it has a case — one who may handle that case (its department after routing).
   */
  async function requestOf(req: FastifyRequest, staff: StaffMember) {
    const { booking, def } = await staffBooking(req, staff);
    if (booking.kind !== 'booking') throw new AppError('NOT_FOUND');
    const c = booking.caseId ? await getCase(req.tdb, booking.caseId) : undefined;
    const caseDef = c ? await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion) : undefined;
    if (c && (!caseDef || !canHandleCase(staffPrincipal(staff), c, caseDef))) throw new AppError('FORBIDDEN');
    return { booking, def: caseDef ?? def, c };
  }

  app.post(`${STAFF_REQUESTS}/:bookingId/approve`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const { booking, def, c } = await requestOf(req, staff);
    // Already decided (a second click, another member of staff): nothing is written.
    const won = booking.status === 'requested' && (await decideRequest(req, staff, booking, def, c, { approve: true }));
    return reply.redirect(`${STAFF_REQUESTS}?done=${won ? 'approved' : 'already'}`, 303);
  });

  app.post(`${STAFF_REQUESTS}/:bookingId/refuse`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const { booking, def, c } = await requestOf(req, staff);
    if (booking.status !== 'requested') return reply.redirect(`${STAFF_REQUESTS}?done=already`, 303);
    const raw = (req.body as { reason?: unknown } | undefined)?.reason;
    const reason = text(raw, MAX_REFUSAL * 2);
    const field = `refuse-${booking.id}`;
    if (!reason || reason.length > MAX_REFUSAL) {
      const message = reason ? req.t('booking.staff.error.reasonTooLong', { max: MAX_REFUSAL }) : req.t('booking.staff.error.reasonRequired');
      return requestsPage(req, reply, staff, { errors: [{ field, message }], reasons: { [booking.id]: reason }, status: 400 });
    }
    const won = await decideRequest(req, staff, booking, def, c, { approve: false, reason });
    return reply.redirect(`${STAFF_REQUESTS}?done=${won ? 'refused' : 'already'}`, 303);
  });

  /**
   * Approves or refuses a booking awaiting approval, once: the booking's row is changed only while it
   * is still `requested` (of two clicks, or two members of staff, the first to commit wins and the
   * other finds it decided). With its case, in the case's transaction (its lock serialises the
   * deciders): the booker's e-mail, and for a refusal the case moved to the definition's
   * `booking.cancelledState`, as a cancellation does. True when this call decided it.
   */
  async function decideRequest(req: FastifyRequest, staff: StaffMember, booking: Booking, def: ServiceDefinition, c: Case | undefined, decision: { approve: true } | { approve: false; reason: string }): Promise<boolean> {
    const now = app.clock.now();
    const decided = { decidedBy: staff.id, decidedAt: now.toISOString(), decision: decision.approve ? 'approved' : 'refused' };
    const write = (tx: TenantQueryable) => (decision.approve ? approveRow(tx, booking.id, decided, now) : refuseRow(tx, booking.id, decided, now, decision.reason));
    if (!c) return req.tdb.transaction(write);
    const notify = await applicantNotify(req.tdb, def, c, siteOf(req));
    const place = resources(req, def).find((r) => booking.resources.includes(r.id))?.name ?? String(booking.details.resourceName ?? '');
    const { result } = await changeCase(req.tdb, c.id, now, async (current, tx) => {
      if (!(await write(tx))) return { journal: [], result: false };
      const l = current.locale;
      const key = decision.approve ? 'approved' : 'refused';
      const mail = notify.email
        ? [
            {
              kind: 'email' as const,
              payload: caseMail(current, def, l, {
                to: notify.email,
                subject: translate(l, `booking.staff.${key}.mail.subject`, { reference: current.reference }),
                text: translate(l, `booking.staff.${key}.mail.body`, { resource: place, time: formatSpan(booking, l), reason: decision.approve ? '' : decision.reason, url: `${notify.siteUrl}/my/cases/${current.id}` }),
              }),
            },
          ]
        : [];
      const to = def.booking?.cancelledState;
      const final = def.workflow.states.find((s) => s.id === current.status)?.final === true;
      const move = !decision.approve && to && !final && current.status !== to;
      return {
        journal: move ? [{ kind: 'status_changed' as const, actorKind: 'staff' as const, actorId: staff.id, payload: { from: current.status, to } }] : [],
        ...(move ? { patch: { status: to } } : {}),
        outbox: mail,
        result: true,
      };
    });
    return result === true;
  }

  // ---- The day's export -----------------------------------------------------------------------

  /** The service and day an export asks for (a bad date: the services page with the error, 400). */
  async function exportOf(req: FastifyRequest, reply: FastifyReply, staff: StaffMember) {
    const q = req.query as Record<string, unknown>;
    const services = handled(req, staff);
    if (!services.length) throw new AppError('FORBIDDEN');
    const def = serviceOf(req, staff, q.service);
    const date = text(q.date, 40);
    const today = localDate(app.clock.now());
    const problem = date ? dateProblem(date, today) : 'format';
    if (problem) {
      await servicesPage(req, reply, staff, services, today, { serviceId: def.id, date, error: req.t(date ? dateMessage(problem) : 'booking.staff.error.dateRequired', { example: today }) });
      return undefined;
    }
    const now = app.clock.now();
    const all = scheduled(req, def);
    const { from, to } = dayBounds(date);
    const entries = await scheduleBetween(req.tdb, all.map((r) => r.id), from, to, now);
    const names = new Map(all.map((r) => [r.id, r.name]));
    const t = req.t;
    const header = [t('booking.staff.col.resource'), t('booking.staff.col.from'), t('booking.staff.col.to'), t('booking.staff.col.status'), t('booking.staff.col.who'), t('booking.staff.col.case')];
    const rows = entries.map((e) => [names.get(e.resourceId) ?? e.resourceId, localDateTime(e.start), localDateTime(e.end), statusOf(e, t), whoOf(e, staff.id, t), e.reference ?? '']);
    return { def, date, entries, header, rows, now };
  }

  /**
   * Every staff download of personal data is in the audit log: one entry for the file, and one per
   * case it lists, so a search of the log by a case's reference finds the export too.
   */
  async function auditExport(req: FastifyRequest, staff: StaffMember, def: ServiceDefinition, date: string, format: 'csv' | 'pdf', entries: readonly ScheduleEntry[], now: Date) {
    const cases = [...new Set(entries.flatMap((e) => (e.caseId ? [e.caseId] : [])))];
    const record = (r: Pick<AuditRecord, 'objectType' | 'objectId'> & { caseId?: string }): AuditRecord => ({ staffId: staff.id, requestId: req.id, action: 'booking.export', ...r });
    await req.tdb.transaction(async (tx) => {
      await recordAudit(tx, record({ objectType: 'booking_day', objectId: `${def.id}/${date}.${format}` }), now);
      for (const caseId of cases) await recordAudit(tx, record({ objectType: 'case', objectId: caseId, caseId }), now);
    });
  }

  app.get(`${STAFF_BOOKINGS}/day.csv`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const x = await exportOf(req, reply, staff);
    if (!x) return reply;
    await auditExport(req, staff, x.def, x.date, 'csv', x.entries, x.now);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${x.def.id}-${x.date}.csv"`)
      .header('cache-control', 'private, no-store')
      .send(csvOf(x.header, x.rows));
  });

  app.get(`${STAFF_BOOKINGS}/day.pdf`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const x = await exportOf(req, reply, staff);
    if (!x) return reply;
    await auditExport(req, staff, x.def, x.date, 'pdf', x.entries, x.now);
    const t = req.t;
    const department = req.tenant.departments.find((d) => d.id === x.def.department);
    const pdf = await dayListPdf(
      {
        lang: req.locale,
        title: t('booking.export.title', { day: formatDateOf(x.date, req.locale) }),
        sender: [pick(req.tenant.name, req.locale), ...(department ? [pick(department.name, req.locale)] : []), pick(x.def.title, req.locale)],
        header: x.header,
        widths: [3, 2, 2, 2, 4, 2],
        rows: x.rows,
        empty: t('booking.export.none'),
        footer: t('booking.export.footer', { at: formatDate(x.now, req.locale, true), who: staff.displayName }),
      },
      x.now,
    );
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${x.def.id}-${x.date}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  // ---- Calendar feeds -------------------------------------------------------------------------

  /** A resource's busy times, for anyone to subscribe to: no names, no cases, one event per claim. */
  app.get('/services/:serviceId/book/:entryId/calendar.ics', async (req, reply) => {
    const { serviceId, entryId } = req.params as { serviceId: string; entryId: string };
    const def = app.catalogue.service(req.tenant.id, serviceId);
    if (!bookable(def)) throw new AppError('SERVICE_NOT_FOUND');
    const resource = resources(req, def).find((r) => r.entryId === entryId);
    if (!resource) throw new AppError('NOT_FOUND');
    const now = app.clock.now();
    const from = new Date(now.getTime() - 7 * DAY_MS);
    const to = new Date(now.getTime() + (Math.min(resource.rules.horizonDays, 366) + 1) * DAY_MS);
    const events = await busyEvents(req.tdb, resource.id, from, to, now, req.t('booking.feed.busy'));
    return reply
      .header('content-type', ICS_CONTENT_TYPE)
      .header('content-disposition', `inline; filename="${resource.entryId}.ics"`)
      .header('cache-control', 'public, max-age=300')
      .send(icsCalendar({ domain: req.hostname, name: req.t('booking.feed.resourceName', { resource: resource.name }), events: events.map((e) => ({ ...e, ...(resource.address ? { location: resource.address } : {}) })) }));
  });

  /** A person's own bookings, at the secret address only they were shown; a renewed or unknown token is not found. */
  app.get('/calendar/:token.ics', async (req, reply) => {
    const { token } = req.params as { token: string };
    const owner = await feedOwner(req.tdb, token);
    if (!owner) throw new AppError('NOT_FOUND');
    const now = app.clock.now();
    const t: Translate = translator(owner.locale);
    const site = siteOf(req);
    const events: IcsEvent[] = (await ownBookings(req.tdb, owner.residentId, new Date(now.getTime() - 30 * DAY_MS), now)).map((b) => {
      const def = app.catalogue.service(req.tenant.id, b.serviceId);
      const resource = def ? resourcesOf(app.catalogue, req.tenant.id, def).find((r) => b.resources.includes(r.id)) : undefined;
      const place = resource?.name ?? b.resourceName ?? '';
      return {
        uid: b.id,
        start: b.start,
        end: b.end,
        summary: def ? `${place} – ${pick(def.title, owner.locale)}` : place,
        ...(resource?.address ? { location: resource.address } : {}),
        ...(b.reference ? { description: b.reference } : {}),
        ...(b.caseId ? { url: `${site}/my/cases/${b.caseId}` } : {}),
        ...icsStatusOf(b.status),
        stamp: now,
      };
    });
    return reply
      .header('content-type', ICS_CONTENT_TYPE)
      .header('content-disposition', 'inline; filename="bookings.ics"')
      .header('cache-control', 'private, no-store')
      .header('x-robots-tag', 'noindex')
      .send(icsCalendar({ domain: req.hostname, name: t('booking.feed.mineName'), events }));
  });

  const FEED_PAGE = '/my/bookings/calendar';

  app.get(FEED_PAGE, async (req, reply) => {
    const resident = await requireResident(req, reply);
    if (!resident) return reply;
    const removed = (req.query as { done?: unknown }).done === 'removed';
    return reply.page(<FeedPage ctx={req.viewContext()} madeAt={await feedMadeAt(req.tdb, resident.id)} {...(removed ? { notice: { text: req.t('booking.feed.removed') } } : {})} />);
  });

  app.post(FEED_PAGE, async (req, reply) => {
    const resident = await requireResident(req, reply);
    if (!resident) return reply;
    const what = (req.body as { do?: unknown } | undefined)?.do;
    if (what === 'remove') {
      await removeFeed(req.tdb, resident.id);
      return reply.redirect(`${FEED_PAGE}?done=removed`, 303);
    }
    if (what !== 'renew') throw new AppError('BAD_REQUEST');
    const now = app.clock.now();
    const token = await renewFeed(req.tdb, resident.id, now);
    // Shown once, on this answer (never in a URL the browser keeps, never stored).
    reply.header('cache-control', 'no-store');
    return reply.page(<FeedPage ctx={req.viewContext()} madeAt={now} url={`${siteOf(req)}/calendar/${token}.ics`} />);
  });
}

/** A local date as a heading says it, with the year ("måndag 30 november 2026"). */
function formatDateOf(date: string, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date}T00:00:00Z`));
}

/** Approves a booking still awaiting approval; false when it no longer was. */
async function approveRow(tx: TenantQueryable, id: string, decided: Record<string, string>, now: Date): Promise<boolean> {
  const { rows } = await tx.query(`UPDATE bookings SET status = 'booked', changed_at = $3, details = details || $4::jsonb WHERE tenant_id = $1 AND id = $2 AND status = 'requested' RETURNING id`, [id, now, JSON.stringify(decided)]);
  return rows.length > 0;
}

/**
 * Refuses a booking still awaiting approval: the row is marked first — only while it is `requested`,
 * which takes its lock so no one else decides it meanwhile — then ended with its claims (the time is
 * free at once). False when it no longer awaited approval.
 */
async function refuseRow(tx: TenantQueryable, id: string, decided: Record<string, string>, now: Date, reason: string): Promise<boolean> {
  const { rows } = await tx.query(`UPDATE bookings SET details = details || $3::jsonb WHERE tenant_id = $1 AND id = $2 AND status = 'requested' RETURNING id`, [id, JSON.stringify(decided)]);
  if (!rows.length) return false;
  return endBooking(tx, id, 'refused', now, reason);
}
