/**
 * The booking engine's routes outside a draft: a booking service's public pages (its resources and
 * their free times, open to anyone, each free time a link that starts a booking), the booking on its
 * case's pages (with its calendar file and cancellation, by the booker within the rules or by staff
 * with a reason sent to the booker), all for every service with `engines: [book]`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { applicantNotify, caseMail, caseUrlOf, getCase, residentCase, type Case, type CaseExtension } from '../cases/index.ts';
import { changeCase } from '../cases/index.ts';
import { requireStaff } from '../identity/staff/index.ts';
import { AppError } from '../kernel/errors.ts';
import { isUuid } from '../kernel/ids.ts';
import { pick, translate, type Locale } from '../kernel/i18n/index.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Button, ButtonLink, CsrfField, ErrorSummary, Textarea } from '../kernel/html/components.tsx';
import { NoticeBanner } from '../kernel/html/notice.tsx';
import { canHandleCase, canReadCase, emailPrincipal, staffPrincipal } from '../policy/index.ts';
import { caseIdOfToken } from '../follow/index.tsx';
import { verifiedEmailOf, verifyEmailHref } from '../identity/email/index.tsx';
import { bookingById, bookingsOfCase, endBooking, firstBookingsOfCases, type Booking } from './claims.ts';
import { leave } from './seats.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import type { OutboxMessage } from '../notify/outbox.ts';
import { paymentsOfCase, refundDueOre, type ReservedRefund } from '../payments/index.tsx';
import { icsCalendar, ICS_CONTENT_TYPE } from './ical.ts';
import { icsStatusOf } from './feeds.ts';
import { cancelUntil, oneBookingPerCase as bookable, placeLine, placeOfBooking } from './resources.ts';
import { bookingPages } from './step.tsx';
import { dateProblem, formatSpan } from './time.ts';
import { BookingSummary } from './views.tsx';
import { formatKronor } from '../kernel/i18n/numbers.ts';
import { formatDate } from '../kernel/i18n/index.ts';
import './messages.ts';

const ACTIVE = new Set(['held', 'requested', 'booked', 'waiting']);
const MAX_REASON = 1000;

/** How much of what was paid a cancellation gives back, in per cent: all when the municipality cancels, the service's rule when the booker does. */
const refundPercentOf = (def: ServiceDefinition, by: 'resident' | 'staff'): number => (by === 'staff' ? 100 : (def.booking?.rules.cancellation?.refundPercent ?? 0));


const placeOf = (app: FastifyInstance, tenantId: string, def: ServiceDefinition, b: Booking, locale: Locale) => placeOfBooking(app.catalogue, tenantId, def, b, locale);

export async function bookingPlugin(app: FastifyInstance): Promise<void> {
  const pages = bookingPages(app);
  const definitionOf = (req: FastifyRequest, c: Case) => app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);

  // Anyone may look at a booking service's resources and free times; a free time's link starts a booking.
  app.get('/services/:serviceId/book', async (req, reply) => {
    const { serviceId } = req.params as { serviceId: string };
    const def = app.catalogue.service(req.tenant.id, serviceId);
    if (!bookable(def)) throw new AppError('SERVICE_NOT_FOUND');
    const base = `/services/${def.id}/book`;
    const q = req.query as Record<string, unknown>;
    const resource = pages.resourceByEntry(req, def, q.resource) ?? (pages.resources(req, def).length === 1 && q.choose === undefined ? pages.resources(req, def)[0] : undefined);
    if (!resource) return pages.resourcesPage(req, reply, def, base);
    const { filters } = pages.readFilters(req);
    const week = typeof q.week === 'string' && !dateProblem(q.week, filters.date) ? q.week : filters.date;
    return pages.weekPage(req, reply, def, resource, week, { base, startHref: (s) => `/services/${def.id}/apply?resource=${encodeURIComponent(resource.entryId)}&start=${encodeURIComponent(s.start.toISOString())}` });
  });

  /** The resident's case with its booking, read through the policy as the case page is. */
  async function residentBooking(req: FastifyRequest, reply: FastifyReply) {
    const loaded = await residentCase(app, req, reply);
    if (!loaded) return undefined;
    const [booking] = await bookingsOfCase(req.tdb, loaded.c.id);
    if (!booking || !bookable(loaded.def)) throw new AppError('NOT_FOUND');
    return { ...loaded, booking };
  }

  async function staffBooking(req: FastifyRequest, reply: FastifyReply) {
    const staff = await requireStaff(req, reply);
    if (!staff) return undefined;
    const { caseId } = req.params as { caseId: string };
    if (!isUuid(caseId)) throw new AppError('CASE_NOT_FOUND');
    const c = await getCase(req.tdb, caseId);
    const def = c ? await definitionOf(req, c) : undefined;
    if (!c || !def || !canReadCase(staffPrincipal(staff), c, def)) throw new AppError('CASE_NOT_FOUND');
    if (!canHandleCase(staffPrincipal(staff), c, def)) throw new AppError('FORBIDDEN');
    const [booking] = await bookingsOfCase(req.tdb, c.id);
    if (!booking || !bookable(def)) throw new AppError('NOT_FOUND');
    return { staff, c, def, booking };
  }

  /**
   * Ends the booking and records it in its case, in one transaction: the time is free at once, the
   * case moves to the definition's cancelled state (unless it has ended), and, when the municipality
   * cancels, the booker is told why.
   */
  async function cancel(req: FastifyRequest, c: Case, def: ServiceDefinition, booking: Booking, by: { kind: 'resident' | 'staff'; id: string }, reason?: string): Promise<void> {
    const now = app.clock.now();
    const notify = by.kind === 'staff' ? await applicantNotify(req.tdb, def, c, `${req.protocol}://${req.host}`) : undefined;
    let refunds: ReservedRefund[] = [];
    await changeCase(req.tdb, c.id, now, async (current, tx) => {
      // A course's enrolment gives its seat to the first on the waiting list, who is told at once.
      const left = await leave(tx, booking.id, now);
      if (!left && !(await endBooking(tx, booking.id, 'cancelled', now, reason))) return { journal: [] };
      // What was paid goes back: all of it when the municipality cancels, the service's share when
      // the booker does (within its rules), reserved here so that one cancellation refunds once.
      const percent = refundPercentOf(def, by.kind);
      const refund = percent > 0 ? await app.payments.reserveCaseRefunds(tx, { caseId: c.id, percent, staffId: by.kind === 'staff' ? by.id : null, reason: 'booking_cancelled', now }) : { refunds: [], journal: [] };
      refunds = refund.refunds;
      const back = refunds.reduce((sum, r) => sum + r.amountOre, 0);
      const movedUp = left ? await movedUpMails(tx, left.movedUp, `${req.protocol}://${req.host}`) : [];
      const to = def.booking?.cancelledState;
      const final = def.workflow.states.find((s) => s.id === current.status)?.final === true;
      const move = to && !final && current.status !== to;
      const l = current.locale;
      const place = placeOf(app, req.tenant.id, def, booking, l);
      const mail =
        notify?.email && reason
          ? [
              {
                kind: 'email' as const,
                payload: caseMail(current, def, l, {
                  to: notify.email,
                  subject: translate(l, 'booking.cancel.mail.subject', { reference: current.reference }),
                  text: `${translate(l, 'booking.cancel.mail.body', { resource: place.name, time: formatSpan(booking, l), reason, url: caseUrlOf(current, notify.siteUrl) })}${back ? `\n\n${translate(l, 'booking.cancel.refund', { amount: formatKronor(back, l) })}` : ''}`,
                }),
              },
            ]
          : [];
      return {
        journal: [
          { kind: 'booking_cancelled', actorKind: by.kind, actorId: by.id, payload: { bookingId: booking.id, ...(reason ? { reason } : {}) } },
          ...(refund.journal ?? []),
          ...(move ? [{ kind: 'status_changed' as const, actorKind: by.kind, actorId: by.id, payload: { from: current.status, to } }] : []),
        ],
        ...(move ? { patch: { status: to } } : {}),
        outbox: [...mail, ...movedUp],
      };
    });
    // After the commit: the provider asked for each refund (one it refuses is journaled for staff).
    await app.payments.sendRefunds(req.tdb, refunds);
  }

  /** "You have a place": an e-mail to each booker moved up from a waiting list, in their case's language. */
  async function movedUpMails(tx: TenantQueryable, bookingIds: readonly string[], siteUrl: string): Promise<OutboxMessage[]> {
    const out: OutboxMessage[] = [];
    for (const id of bookingIds) {
      const b = await bookingById(tx, id);
      const moved = b?.caseId ? await getCase(tx, b.caseId) : undefined;
      const def = moved ? await app.serviceVersions.definition(tx, moved.serviceId, moved.serviceVersion) : undefined;
      if (!b || !moved || !def) continue;
      const notify = await applicantNotify(tx, def, moved, siteUrl);
      if (!notify.email) continue;
      const l = moved.locale;
      const place = placeOf(app, tx.tenantId, def, b, l);
      out.push({
        kind: 'email',
        payload: caseMail(moved, def, l, {
          to: notify.email,
          subject: translate(l, 'booking.movedUp.mail.subject', { reference: moved.reference }),
          text: translate(l, 'booking.movedUp.mail.body', { resource: place.name, time: formatSpan(b, l), url: caseUrlOf(moved, siteUrl) }),
        }),
      });
    }
    return out;
  }

  /** The booking as a calendar file; `page`: where the case is read (My cases, or its follow link). */
  function sendIcs(req: FastifyRequest, reply: FastifyReply, c: Case, def: ServiceDefinition, booking: Booking, page: string) {
    const place = placeOf(app, req.tenant.id, def, booking, req.locale);
    const ics = icsCalendar({
      // The feeds' domain and states too, so a file imported and a feed subscribed to are one event.
      domain: req.hostname,
      events: [
        {
          uid: booking.id,
          start: booking.start,
          end: booking.end,
          summary: `${place.name} – ${pick(def.title, req.locale)}`,
          ...(place.address ? { location: place.address } : {}),
          description: `${c.reference}`,
          url: `${req.protocol}://${req.host}${page}`,
          ...icsStatusOf(booking.status),
          stamp: app.clock.now(),
        },
      ],
    });
    // A follow link's file is the link's secret's too: no caches, no referrer.
    return reply.header('content-type', ICS_CONTENT_TYPE).header('content-disposition', `attachment; filename="${c.reference}.ics"`).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').send(ics);
  }

  app.get('/my/cases/:caseId/booking.ics', async (req, reply) => {
    const loaded = await residentBooking(req, reply);
    if (!loaded) return reply;
    return sendIcs(req, reply, loaded.c, loaded.def, loaded.booking, `/my/cases/${loaded.c.id}`);
  });

  // Sent without e-ID (ADR 0015): the calendar file by the case's private link, or for an address verified by code.
  app.get('/follow/:token/booking.ics', async (req, reply) => {
    const { token } = req.params as { token: string };
    const caseId = await caseIdOfToken(req.tdb, token);
    const c = caseId ? await getCase(req.tdb, caseId) : undefined;
    const def = c ? await definitionOf(req, c) : undefined;
    const [booking] = c ? await bookingsOfCase(req.tdb, c.id) : [];
    if (!c || !def || !booking) throw new AppError('NOT_FOUND');
    return sendIcs(req, reply, c, def, booking, `/follow/${token}`);
  });
  app.get('/follow/mine/:caseId/booking.ics', async (req, reply) => {
    const verified = verifiedEmailOf(req);
    if (!verified) return reply.redirect(verifyEmailHref(req.url), 303);
    const { caseId } = req.params as { caseId: string };
    const c = isUuid(caseId) ? await getCase(req.tdb, caseId) : undefined;
    const def = c ? await definitionOf(req, c) : undefined;
    if (!c || !def || !canReadCase(emailPrincipal(verified.email), c, def)) throw new AppError('NOT_FOUND');
    const [booking] = await bookingsOfCase(req.tdb, c.id);
    if (!booking) throw new AppError('NOT_FOUND');
    return sendIcs(req, reply, c, def, booking, `/follow/mine/${c.id}`);
  });

  app.get('/my/cases/:caseId/booking/cancel', async (req, reply) => {
    const loaded = await residentBooking(req, reply);
    if (!loaded) return reply;
    return cancelPage(req, reply, loaded.c, loaded.def, loaded.booking);
  });

  async function cancelPage(req: FastifyRequest, reply: FastifyReply, c: Case, def: ServiceDefinition, booking: Booking, status = 200) {
    const ctx = req.viewContext();
    const { t, locale } = ctx;
    const late = app.clock.now() > cancelUntil(def, booking) || !ACTIVE.has(booking.status);
    // What cancelling gives back of what was paid, said before the person confirms.
    const percent = refundPercentOf(def, 'resident');
    const paid = (await paymentsOfCase(req.tdb, c.id)).filter((p) => p.status === 'paid');
    const back = paid.reduce((sum, p) => sum + refundDueOre(p, percent), 0);
    const money = paid.length === 0 ? undefined : back > 0 ? t('booking.cancel.refund', { amount: formatKronor(back, locale) }) : t('booking.cancel.noRefund');
    return reply.page(
      <Layout ctx={ctx} title={`${t('booking.cancel.title')} – ${pick(def.title, locale)}`} section="cases">
        <p class="mb-caption">
          {pick(def.title, locale)} · {c.reference}
        </p>
        <h1 class="ds-heading" data-size="lg">
          {t('booking.cancel.title')}
        </h1>
        <BookingSummary ctx={ctx} resource={placeOf(app, req.tenant.id, def, booking, locale).name} span={booking} status={booking.status} />
        {late ? (
          <p>{t('booking.case.cancelTooLate')}</p>
        ) : (
          <form method="post" action={`/my/cases/${c.id}/booking/cancel`}>
            <CsrfField token={ctx.csrfToken} />
            <p>{t('booking.cancel.body')}</p>
            {money && <p>{money}</p>}
            <Button>{t('booking.cancel.confirm')}</Button>
          </form>
        )}
        <p>
          <a class="ds-link" href={`/my/cases/${c.id}`}>
            {t('booking.cancel.back')}
          </a>
        </p>
      </Layout>,
      status,
    );
  }

  app.post('/my/cases/:caseId/booking/cancel', async (req, reply) => {
    const loaded = await residentBooking(req, reply);
    if (!loaded) return reply;
    const { resident, c, def, booking } = loaded;
    // Within the rules only; the page says why otherwise (and that the time stays booked).
    if (app.clock.now() > cancelUntil(def, booking)) return cancelPage(req, reply, c, def, booking, 409);
    if (ACTIVE.has(booking.status)) await cancel(req, c, def, booking, { kind: 'resident', id: resident.id });
    return reply.redirect(`/my/cases/${c.id}?booking=cancelled`, 303);
  });

  app.post('/staff/cases/:caseId/booking/cancel', async (req, reply) => {
    const loaded = await staffBooking(req, reply);
    if (!loaded) return reply;
    const { staff, c, def, booking } = loaded;
    const raw = (req.body as { reason?: unknown } | undefined)?.reason;
    const reason = typeof raw === 'string' ? raw.trim().slice(0, MAX_REASON) : '';
    if (!reason) return reply.redirect(`/staff/cases/${c.id}?booking=reason#booking-reason`, 303);
    if (ACTIVE.has(booking.status)) await cancel(req, c, def, booking, { kind: 'staff', id: staff.id }, reason);
    return reply.redirect(`/staff/cases/${c.id}?booking=cancelled`, 303);
  });
}

/** The booking on its case's pages (registered with casesPlugin). */
export function bookingCaseExtension(app: FastifyInstance): CaseExtension {
  async function load(req: FastifyRequest, c: Case) {
    const [booking] = await bookingsOfCase(req.tdb, c.id);
    if (!booking) return undefined;
    const def = await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);
    return bookable(def) ? { booking, def, place: placeOf(app, req.tenant.id, def, booking, req.locale) } : undefined;
  }
  return {
    // My cases: a booking's place and time (a cancelled one says so), read for the whole list at once.
    async listAbout(req, cases) {
      const about = new Map<string, string>();
      const booked = cases.filter((c) => bookable(app.catalogue.service(req.tenant.id, c.serviceId)));
      if (booked.length === 0) return about;
      const bookings = await firstBookingsOfCases(req.tdb, booked.map((c) => c.id));
      for (const c of booked) {
        const booking = bookings.get(c.id);
        const def = booking && (await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion));
        if (!booking || !bookable(def)) continue;
        const line = `${placeOf(app, req.tenant.id, def, booking, req.locale).name}, ${formatSpan(booking, req.locale)}`;
        about.set(c.id, ACTIVE.has(booking.status) ? line : `${line} (${req.t(`booking.status.${booking.status}`)})`);
      }
      return about;
    },
    async residentSection(req, c) {
      const loaded = await load(req, c);
      if (!loaded) return null;
      const { booking, def, place } = loaded;
      const ctx = req.viewContext();
      const { t, locale } = ctx;
      const active = ACTIVE.has(booking.status);
      const until = cancelUntil(def, booking);
      const mayCancel = active && app.clock.now() <= until;
      return (
        <section aria-labelledby="booking-h" class="mb-panel">
          <NoticeBanner notice={(req.query as { booking?: string }).booking === 'cancelled' ? t('booking.cancel.done') : undefined} />
          <h2 class="ds-heading" data-size="sm" id="booking-h">
            {t('booking.case.title')}
          </h2>
          <BookingSummary ctx={ctx} resource={placeLine(place)} span={booking} status={booking.status} price={booking.priceOre ? formatKronor(booking.priceOre, locale) : undefined} />
          {active && (
            <p>
              <a class="ds-link" href={`/my/cases/${c.id}/booking.ics`} download>
                {t('booking.case.calendar')}
              </a>
              {' · '}
              <a class="ds-link" href="/my/bookings/calendar">
                {t('booking.case.feed')}
              </a>
            </p>
          )}
          {mayCancel && (
            <>
              <p>{t('booking.case.cancelUntil', { date: formatDate(until, locale, true) })}</p>
              <ButtonLink href={`/my/cases/${c.id}/booking/cancel`} variant="secondary">
                {t('booking.case.cancel')}
              </ButtonLink>
            </>
          )}
          {active && !mayCancel && <p>{t('booking.case.cancelTooLate')}</p>}
        </section>
      );
    },
    async followSection(req, c) {
      const loaded = await load(req, c);
      if (!loaded) return null;
      const { booking, place } = loaded;
      const ctx = req.viewContext();
      return (
        <section aria-labelledby="booking-h" class="mb-panel">
          <h2 class="ds-heading" data-size="sm" id="booking-h">
            {ctx.t('booking.case.title')}
          </h2>
          <BookingSummary ctx={ctx} resource={placeLine(place)} span={booking} status={booking.status} />
          {ACTIVE.has(booking.status) && (
            <p>
              {/* The follow page's own address (its private link, or /follow/mine/<case>), and the file under it. */}
              <a class="ds-link" href={`${req.url.split('?')[0]}/booking.ics`} download>
                {ctx.t('booking.case.calendar')}
              </a>
            </p>
          )}
        </section>
      );
    },
    async staffSection(req, c, canHandle) {
      const loaded = await load(req, c);
      if (!loaded) return null;
      const { booking, place } = loaded;
      const ctx = req.viewContext();
      const { t, locale } = ctx;
      const q = req.query as { booking?: string };
      const errors = q.booking === 'reason' ? [{ field: 'booking-reason', message: t('booking.cancel.reasonRequired') }] : [];
      return (
        <section aria-labelledby="booking-h" class="mb-panel">
          <NoticeBanner notice={q.booking === 'cancelled' ? t('booking.cancel.done') : undefined} />
          <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
          <h2 class="ds-heading" data-size="sm" id="booking-h">
            {t('booking.case.titleStaff')}
          </h2>
          <BookingSummary ctx={ctx} resource={place.name} span={booking} status={booking.status} price={booking.priceOre ? formatKronor(booking.priceOre, locale) : undefined} />
          {canHandle && ACTIVE.has(booking.status) && (
            <form method="post" action={`/staff/cases/${c.id}/booking/cancel`}>
              <CsrfField token={ctx.csrfToken} />
              <h3 class="ds-heading" data-size="xs">
                {t('booking.cancel.staffTitle')}
              </h3>
              <Textarea id="booking-reason" name="reason" label={t('booking.cancel.reason')} hint={t('booking.cancel.reasonHint')} error={errors[0]?.message} maxLength={MAX_REASON} rows={3} required />
              <Button variant="secondary">{t('booking.case.cancel')}</Button>
            </form>
          )}
        </section>
      );
    },
  };
}
