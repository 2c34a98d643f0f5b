/**
 * "Which time?": the booking engine's step in front of a booking service's questions (ADR 0039). The
 * person picks a resource (filtered by kind, area, date and time of day) and a free time in its week;
 * the draft keeps the choice; check your answers shows it; and the submission books it in the
 * transaction that creates the case — where the claim's constraint, not this page, decides whether
 * the time is still free. A time taken meanwhile sends the person back here with the nearest free
 * times, their answers kept.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { ChoiceLostError, type ChoiceStep, type StepDraft, type StepSubmission } from '../forms/index.tsx';
import { pick, translate } from '../kernel/i18n/index.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import type { FieldError, Option } from '../kernel/html/components.tsx';
import { Heading } from '../kernel/html/components.tsx';
import { entryName } from '../catalogue/entry-name.ts';
import { nextDateWithSlots, occupying, requestProblem, type Span } from './availability.ts';
import { attachCase, book, bookingAttempts, bookingParts, bookingsOfCase, bookingTransaction, confirmPaid, heldBetween, isExclusionViolation, releaseHeldFor, TimeTakenError, type NewBooking } from './claims.ts';
import { hasSeats, partnerFree, partnersOf, placeLine, resourcesOf, weekOf, type Resource } from './resources.ts';
import { enrol, setCapacity } from './seats.ts';
import { addDays, dateProblem, formatSpan, instantNamed, localDate, localTime, mondayOf, plusMinutes } from './time.ts';
import { BookingSummary, kindName, ResourcesPage, TIMES_OF_DAY, WeekPage, type Filters, type TimeOfDay } from './views.tsx';
import { customerTypeOf, isYouth, priceOf } from './prices.ts';
import { signedInResident } from '../identity/eid/index.ts';
import { formatKronor } from '../kernel/i18n/numbers.ts';
import './messages.ts';

export const STEP_PATH = 'time';

/** How long a time is held while the person pays (the payment provider's own page times out before it). */
export const HOLD_MINUTES = 15;

/** What a booking's draft keeps of its choice. */
export interface ChosenTime {
  resource: string;
  start: string;
  end: string;
}

export function chosenTimeOf(chosen: Record<string, unknown> | undefined): ChosenTime | undefined {
  if (!chosen || typeof chosen.resource !== 'string' || typeof chosen.start !== 'string' || typeof chosen.end !== 'string') return undefined;
  return { resource: chosen.resource, start: chosen.start, end: chosen.end };
}

const spanOf = (c: ChosenTime): Span => ({ start: new Date(c.start), end: new Date(c.end) });

/** The hours of a time of day, as local wall-clock minutes [from, to). */
const HOURS: Record<TimeOfDay, [number, number]> = { any: [0, 24 * 60], morning: [0, 12 * 60], afternoon: [12 * 60, 17 * 60], evening: [17 * 60, 24 * 60] };

function inTimeOfDay(span: Span, time: TimeOfDay): boolean {
  // The time module's local wall-clock time (not a new Intl formatter for every slot of every resource listed).
  const local = localTime(span.start);
  const minutes = Number(local.slice(0, 2)) * 60 + Number(local.slice(3, 5));
  return minutes >= HOURS[time][0] && minutes < HOURS[time][1];
}

/** The lengths a free-length resource can be booked for, as options (fixed slots: none). */
function lengthsOf(resource: Resource, t: FastifyRequest['t']): Option[] {
  const r = resource.rules;
  if (r.slotMinutes !== undefined) return [];
  const out: Option[] = [];
  for (let m = r.minMinutes; m <= r.maxMinutes && out.length < 48; m += r.stepMinutes) {
    out.push({ value: String(m), label: m % 60 === 0 ? t('booking.week.hours', { count: String(m / 60) }) : t('booking.week.minutes', { count: String(m) }) });
  }
  return out;
}

/** The notice a resource asks, in whole days when it is two or more of them ("7 dagar", not "168 timmar"). */
function noticeText(req: FastifyRequest, hours: number): string {
  if (!hours) return '';
  return hours >= 48 && hours % 24 === 0 ? req.t('booking.week.noticeDays', { days: String(hours / 24) }) : req.t('booking.week.notice', { hours: String(hours) });
}

/** What a booking service's pages need, shared by the step and the public pages. */
export function bookingPages(app: FastifyInstance) {
  const resources = (req: Pick<FastifyRequest, 'tenant'>, def: ServiceDefinition) => resourcesOf(app.catalogue, req.tenant.id, def);

  function readFilters(req: FastifyRequest): { filters: Filters; dateError?: string; typedDate?: string } {
    const q = req.query as Record<string, unknown>;
    const today = localDate(app.clock.now());
    const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 100) : '');
    const date = text(q.date).trim();
    const time = TIMES_OF_DAY.includes(text(q.time) as TimeOfDay) ? (text(q.time) as TimeOfDay) : 'any';
    const problem = date === '' ? undefined : dateProblem(date, today);
    return {
      filters: { kind: text(q.kind), area: text(q.area), date: !problem && date ? date : today, time },
      // A date that is none (or too far off) is said, and what was typed stays in the field.
      ...(problem ? { dateError: req.t(problem === 'range' ? 'booking.filter.dateRange' : 'booking.filter.dateInvalid', { example: today }), typedDate: date } : {}),
    };
  }

  /** The resources page: the service's resources matching the filters, each with its free times on the date. */
  async function resourcesPage(req: FastifyRequest, reply: FastifyReply, def: ServiceDefinition, base: string, carry?: string): Promise<FastifyReply> {
    const all = resources(req, def);
    const { filters, dateError, typedDate } = readFilters(req);
    const now = app.clock.now();
    const matching = all.filter((r) => (!filters.kind || r.kind === filters.kind) && (!filters.area || r.area === filters.area));
    const cards = await Promise.all(
      matching.map(async (r) => {
        const [day] = (await weekOf(req.tdb, r, filters.date, now, partnersOf(app.catalogue, req.tenant.id, def))).filter((d) => d.date === filters.date);
        const free = (day?.slots ?? []).filter((s) => s.state === 'free' && inTimeOfDay(s, filters.time)).length;
        // No times at all that day (closed, a course not begun): the next day that has, so nobody pages week by week.
        const nextDate = day?.slots.length ? undefined : nextDateWithSlots(r.rules, filters.date, addDays(localDate(now), r.rules.horizonDays));
        return { entryId: r.entryId, name: entryName(r, req.locale), kind: r.kind, area: r.area, address: r.address, free, nextDate };
      }),
    );
    // A time of day narrows the list to the resources free then; otherwise every match is shown.
    const shown = filters.time === 'any' ? cards : cards.filter((c) => c.free > 0);
    const unique = (values: (string | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];
    return reply.page(
      <ResourcesPage
        ctx={req.viewContext()}
        definition={def}
        base={base}
        carry={carry}
        resources={shown}
        total={all.length}
        filters={filters}
        kinds={unique(all.map((r) => r.kind)).map((k) => ({ value: k, label: kindName(def, k, req.locale) }))}
        areas={unique(all.map((r) => r.area)).sort().map((a) => ({ value: a, label: a }))}
        dateError={dateError}
        typedDate={typedDate}
        courses={all.length > 0 && all.every((r) => r.rules.capacity > 1)}
      />,
      dateError ? 400 : 200,
    );
  }

  /** The week page of one resource: for choosing (a step) or for looking and starting (public). */
  async function weekPage(
    req: FastifyRequest,
    reply: FastifyReply,
    def: ServiceDefinition,
    resource: Resource,
    date: string,
    opts: { base: string; carry?: string; choose?: { action: string; selected: string; minutes: string }; startHref?: (s: Span) => string; errors?: FieldError[]; taken?: { nearest: Span[]; refunded?: boolean }; status?: number },
  ): Promise<FastifyReply> {
    const now = app.clock.now();
    const monday = mondayOf(date);
    const days = await weekOf(req.tdb, resource, monday, now, partnersOf(app.catalogue, req.tenant.id, def));
    const thisMonday = mondayOf(localDate(now));
    const weekHref = (d: string) => `${opts.base}?resource=${encodeURIComponent(resource.entryId)}&week=${d}${opts.carry ? `&${opts.carry}` : ''}`;
    const many = resources(req, def).length > 1;
    const r = resource.rules;
    const facts = [
      req.t('booking.week.rules', { notice: noticeText(req, r.noticeHours), horizon: String(r.horizonDays) }),
      ...(r.approval ? [req.t('booking.week.approval')] : []),
    ];
    return reply.page(
      <WeekPage
        ctx={req.viewContext()}
        definition={def}
        resource={resource}
        days={days}
        monday={monday}
        previous={monday > thisMonday ? weekHref(addDays(monday, -7)) : undefined}
        next={weekHref(addDays(monday, 7))}
        other={many ? `${opts.base}?date=${date}${opts.carry ? `&${opts.carry}` : ''}&choose=1` : undefined}
        choose={opts.choose ? { ...opts.choose, lengths: lengthsOf(resource, req.t) } : undefined}
        startHref={opts.startHref}
        errors={opts.errors ?? []}
        taken={opts.taken}
        facts={facts}
      />,
      opts.status ?? 200,
    );
  }

  /** The resource an entry id names among the service's, if any. */
  const resourceByEntry = (req: FastifyRequest, def: ServiceDefinition, entryId: unknown) => (typeof entryId === 'string' ? resources(req, def).find((r) => r.entryId === entryId) : undefined);
  const resourceById = (req: FastifyRequest, def: ServiceDefinition, id: string) => resources(req, def).find((r) => r.id === id);

  /** The free times nearest a wanted one, in its week and the weeks either side, on the resource (with a partner free, where the service needs one). */
  async function nearest(req: FastifyRequest, def: ServiceDefinition, resource: Resource, wanted: Date): Promise<Span[]> {
    const now = app.clock.now();
    const partners = partnersOf(app.catalogue, req.tenant.id, def);
    const week = localDate(wanted);
    const days = (await Promise.all([-7, 0, 7].map((offset) => weekOf(req.tdb, resource, addDays(week, offset), now, partners)))).flat();
    return days
      .flatMap((d) => d.slots)
      .filter((s) => s.state === 'free')
      .sort((a, b) => Math.abs(a.start.getTime() - wanted.getTime()) - Math.abs(b.start.getTime() - wanted.getTime()) || a.start.getTime() - b.start.getTime())
      .slice(0, 3)
      .map(({ start, end }) => ({ start, end }))
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  return { resources, resourcesPage, weekPage, resourceByEntry, resourceById, nearest, readFilters };
}

export function bookingStep(app: FastifyInstance): ChoiceStep {
  const pages = bookingPages(app);

  const stepBase = (d: StepDraft) => `/apply/${d.draft.id}/${STEP_PATH}`;
  const carryOf = (req: FastifyRequest) => ((req.query as { return?: string }).return === 'check' ? 'return=check' : undefined);

  async function show(req: FastifyRequest, reply: FastifyReply, d: StepDraft, extra: { errors?: FieldError[]; selected?: string; minutes?: string; taken?: { nearest: Span[]; refunded?: boolean }; status?: number; resource?: Resource } = {}): Promise<FastifyReply> {
    const def = d.definition;
    const q = req.query as Record<string, unknown>;
    const chosen = chosenTimeOf(d.draft.chosen);
    const carry = carryOf(req);
    const all = pages.resources(req, def);
    // A link's preselected time (the public page's), the one chosen before, or none.
    const start = instantNamed(q.start, app.clock.now());
    const resource = extra.resource ?? pages.resourceByEntry(req, def, q.resource) ?? (q.choose === undefined && chosen ? pages.resourceById(req, def, chosen.resource) : undefined) ?? (all.length === 1 ? all[0] : undefined);
    if (!resource) return pages.resourcesPage(req, reply, def, stepBase(d), carry);
    const today = localDate(app.clock.now());
    const week = typeof q.week === 'string' && !dateProblem(q.week, today) ? q.week : start ? localDate(start) : chosen ? localDate(new Date(chosen.start)) : today;
    const selected = extra.selected ?? start?.toISOString() ?? (chosen?.resource === resource.id ? chosen.start : '');
    const minutes = extra.minutes ?? (typeof q.minutes === 'string' ? q.minutes : chosen ? String((Date.parse(chosen.end) - Date.parse(chosen.start)) / 60_000) : String(resource.rules.minMinutes));
    // After a submission found the time taken: why, and the nearest free times.
    const lost = q.lost !== undefined && chosen?.resource === resource.id ? { nearest: await pages.nearest(req, def, resource, new Date(chosen.start)), refunded: q.refunded !== undefined } : undefined;
    return pages.weekPage(req, reply, def, resource, week, {
      base: stepBase(d),
      ...(carry ? { carry } : {}),
      choose: { action: `${stepBase(d)}${carry ? `?${carry}` : ''}`, selected: lost ? '' : selected, minutes },
      errors: extra.errors ?? (lost ? [{ field: 'f-slot', message: req.t('booking.error.taken') }] : []),
      ...(extra.taken || lost ? { taken: extra.taken ?? lost } : {}),
      status: extra.status ?? (lost ? 409 : 200),
    });
  }

  /**
   * Books the draft's chosen time in the submission's transaction: held while it is paid for, else
   * booked (or requested, where staff approve). ChoiceLostError when the time can no longer be had.
   */
  async function writeBooking(tx: TenantQueryable, s: StepSubmission, opts: { status: 'held' | undefined; holdUntil?: Date }): Promise<{ id: string; attached: boolean }> {
    const chosen = chosenTimeOf(s.draft.chosen);
    const resource = chosen ? resourcesOf(app.catalogue, tx.tenantId, s.definition).find((r) => r.id === chosen.resource) : undefined;
    if (!chosen || !resource) throw new ChoiceLostError(STEP_PATH);
    const span = spanOf(chosen);
    // The rules of the moment of sending: a time that has come too close (or a resource closed since) is chosen again.
    if (requestProblem(resource.rules, span, s.now)) throw new ChoiceLostError(STEP_PATH);
    const customerType = customerTypeOf(s.draft.actingFor, isYouth(s.definition, s.applicant.resident?.personalNumber, localDate(s.now)));
    if (hasSeats(resource)) {
      // A course or session: a seat if there is one (and nobody waits before), else the waiting list.
      await setCapacity(tx, resource.id, span.start, resource.rules.capacity, s.now);
      const { bookingId: id } = await enrol(
        tx,
        { serviceId: s.definition.id, resourceId: resource.id, startsAt: span.start, endsAt: span.end, ownerId: s.applicant.id, customerType, priceOre: priceOf(resource.rules, customerType, span), details: { resourceName: resource.name, draftId: s.draft.id } },
        s.now,
      );
      return { id, attached: false };
    }
    // A service that needs a partner for each booking (an officiant): the first one free, tried in
    // turn — one taken meanwhile by another booking is passed over for the next.
    const partners = partnersOf(app.catalogue, tx.tenantId, s.definition);
    const candidates: (Resource | undefined)[] = partners.length ? await freePartners(tx, partners, span, s.now) : [undefined];
    if (!candidates.length) throw new ChoiceLostError(STEP_PATH);
    for (const partner of candidates) {
      try {
        return { id: await bookWith(partner), attached: !!s.caseId };
      } catch (e) {
        if (partner && e instanceof TimeTakenError && e.resourceId === partner.id) continue;
        if (e instanceof TimeTakenError) throw new ChoiceLostError(STEP_PATH);
        throw e;
      }
    }
    throw new ChoiceLostError(STEP_PATH);

    function bookWith(partner: Resource | undefined) {
      return book(tx, newBooking(s, resource as Resource, span, customerType, opts, partner), s.now);
    }
  }

  /** The booking of the draft's chosen time on the resource (and the partner, if any), as `book` writes it. */
  function newBooking(s: StepSubmission, room: Resource, span: Span, customerType: string, opts: { status: 'held' | undefined; holdUntil?: Date }, partner?: Resource): NewBooking {
    return {
      serviceId: s.definition.id,
      status: opts.status ?? (room.rules.approval ? 'requested' : 'booked'),
      span,
      claims: [{ resourceId: room.id, occupies: occupying(room.rules, span) }, ...(partner ? [{ resourceId: partner.id, occupies: occupying(partner.rules, span) }] : [])],
      ownerId: s.applicant.id,
      customerType,
      organisationNumber: s.draft.actingFor && 'organisationNumber' in s.draft.actingFor ? s.draft.actingFor.organisationNumber : null,
      priceOre: priceOf(room.rules, customerType, span),
      holdUntil: opts.holdUntil ?? null,
      // The case made in this transaction, named at once (no second statement to attach it).
      caseId: s.caseId ?? null,
      details: { resourceName: room.name, draftId: s.draft.id, ...(partner ? { partnerName: partner.name } : {}) },
    };
  }

  /** The partners who work the whole span and hold nothing in its way, in register order. */
  async function freePartners(q: TenantQueryable, partners: readonly Resource[], span: Span, now: Date): Promise<Resource[]> {
    const held = await Promise.all(partners.map((p) => heldBetween(q, p.id, span.start, occupying(p.rules, span).end, now)));
    return partners.filter((p, i) => partnerFree(p, span, held[i]!));
  }
  const freePartner = async (q: TenantQueryable, partners: readonly Resource[], span: Span, now: Date) => (await freePartners(q, partners, span, now)).length > 0;

  return {
    path: STEP_PATH,
    carries: ['resource', 'start', 'minutes'],
    // A seasonal service asks for weekly times instead (season-step.tsx).
    appliesTo: (def) => def.engines.includes('book') && !!def.booking && !def.booking.season,
    show: (req, reply, d) => show(req, reply, d),

    async post(req, reply, d) {
      const def = d.definition;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const resource = pages.resourceByEntry(req, def, body.resource);
      // A resource that is not the service's (a forged or stale form): the list, to choose again.
      if (!resource) return pages.resourcesPage(req, reply, def, stepBase(d), carryOf(req));
      const slot = typeof body.slot === 'string' ? body.slot : '';
      const minutesText = typeof body.minutes === 'string' ? body.minutes : '';
      const again = (field: 'f-slot' | 'f-minutes', key: string, status = 400) =>
        show(req, reply, d, { resource, errors: [{ field, message: req.t(key) }], selected: slot, minutes: minutesText, status });
      const start = instantNamed(slot, app.clock.now());
      if (!start) return again('f-slot', slot ? 'booking.error.notASlot' : 'booking.error.chooseTime');
      const rules = resource.rules;
      let minutes = rules.minMinutes;
      if (rules.slotMinutes === undefined) {
        minutes = Number(minutesText);
        if (!/^[0-9]{1,4}$/.test(minutesText) || minutes < rules.minMinutes || minutes > rules.maxMinutes || (minutes - rules.minMinutes) % rules.stepMinutes !== 0) return again('f-minutes', 'booking.error.chooseLength');
      }
      const span = { start, end: plusMinutes(start, minutes) };
      const now = app.clock.now();
      const problem = requestProblem(rules, span, now);
      if (problem) return again('f-slot', `booking.error.${problem}`);
      // Advisory: a time already held is answered now, with the nearest free ones (the write decides at
      // submission). A course's full occurrence can be chosen: for its waiting list.
      const held = hasSeats(resource) ? [] : await heldBetween(req.tdb, resource.id, span.start, occupying(rules, span).end, now);
      const partners = partnersOf(app.catalogue, req.tenant.id, def);
      const noPartner = partners.length > 0 && !(await freePartner(req.tdb, partners, span, now));
      if (held.length || noPartner) return show(req, reply, d, { resource, errors: [{ field: 'f-slot', message: req.t('booking.error.taken') }], taken: { nearest: await pages.nearest(req, def, resource, start) }, minutes: minutesText, status: 409 });
      const chosen: ChosenTime = { resource: resource.id, start: span.start.toISOString(), end: span.end.toISOString() };
      return reply.redirect(await d.choose({ ...chosen }), 303);
    },

    async checkSection(req, definition, draft) {
      const chosen = chosenTimeOf(draft.chosen)!;
      const resource = pages.resourceById(req, definition, chosen.resource);
      const span = spanOf(chosen);
      const youth = isYouth(definition, (await signedInResident(req))?.personalNumber, localDate(app.clock.now()));
      const price = resource ? priceOf(resource.rules, customerTypeOf(draft.actingFor, youth), span) : 0;
      const entry = resource?.entryId ?? '';
      return (
        <section aria-labelledby="s-booking-time">
          <Heading level={2} size="sm">
            <span id="s-booking-time">{req.t('booking.summary.title')}</span>
          </Heading>
          <BookingSummary
            ctx={req.viewContext()}
            resource={resource ? entryName(resource, req.locale) : chosen.resource}
            span={span}
            price={price ? formatKronor(price, req.locale) : undefined}
            change={`/apply/${draft.id}/${STEP_PATH}?resource=${encodeURIComponent(entry)}&week=${localDate(span.start)}&return=check`}
          />
        </section>
      );
    },

    receiptLines(tenantId, definition, draft, locale) {
      const chosen = chosenTimeOf(draft.chosen);
      const resource = chosen ? resourcesOf(app.catalogue, tenantId, definition).find((r) => r.id === chosen.resource) : undefined;
      if (!chosen || !resource) return [];
      const place = placeLine({ name: entryName(resource, locale), address: resource.address });
      return [translate(locale, 'booking.receipt.when', { resource: place, time: formatSpan(spanOf(chosen), locale) }), ...(resource.rules.approval ? [translate(locale, 'booking.receipt.approval')] : [])];
    },

    async confirmationSection(req, definition, caseId, resident) {
      const [booking] = await bookingsOfCase(req.tdb, caseId);
      if (!booking) return undefined;
      const resource = resourcesOf(app.catalogue, req.tenant.id, definition).find((r) => booking.resources.includes(r.id));
      const ctx = req.viewContext();
      return (
        <section aria-labelledby="booking-h">
          <Heading level={2} size="sm">
            <span id="booking-h">{ctx.t(`booking.confirmation.${booking.status}`)}</span>
          </Heading>
          <BookingSummary ctx={ctx} resource={resource ? placeLine({ name: entryName(resource, req.locale), address: resource.address }) : String(booking.details.resourceName ?? '')} span={booking} price={booking.priceOre ? formatKronor(booking.priceOre, req.locale) : undefined} />
          {resident && (
            <p>
              <a class="ds-link" href={`/my/cases/${caseId}/booking.ics`} download>
                {ctx.t('booking.case.calendar')}
              </a>
            </p>
          )}
        </section>
      );
    },

    transaction: (scope, fn) => bookingTransaction(scope, fn),

    fee(tenantId, definition, draft, applicant, now) {
      const chosen = chosenTimeOf(draft.chosen);
      const resource = chosen ? resourcesOf(app.catalogue, tenantId, definition).find((r) => r.id === chosen.resource) : undefined;
      if (!chosen || !resource) return undefined;
      const amountOre = priceOf(resource.rules, customerTypeOf(draft.actingFor, isYouth(definition, applicant.resident?.personalNumber, localDate(now))), spanOf(chosen));
      const when = (l: 'sv' | 'en') => `${pick(definition.title, l)}: ${entryName(resource, l)}, ${formatSpan(spanOf(chosen), l)}`;
      return amountOre ? { amountOre, description: { sv: when('sv'), en: when('en') } } : undefined;
    },

    async hold(tx, s) {
      // A draft sent again after a payment it gave up on: the time it held then is let go first.
      await releaseHeldFor(tx, s.draft.id, s.now);
      return (await writeBooking(tx, { ...s, caseId: undefined }, { status: 'held', holdUntil: plusMinutes(s.now, HOLD_MINUTES) })).id;
    },

    async confirmHeld(tx, held, now) {
      const outcome = await confirmPaid(tx, held, now);
      return outcome === 'lost' ? undefined : { attach: (caseId: string) => attachCase(tx, held, caseId) };
    },

    async example(q, def, now) {
      // The first free time of any of the service's resources, week by week up to the horizon.
      for (const resource of resourcesOf(app.catalogue, q.tenantId, def)) {
        for (let week = localDate(now); week <= addDays(localDate(now), resource.rules.horizonDays); week = addDays(week, 7)) {
          const free = (await weekOf(q, resource, week, now, partnersOf(app.catalogue, q.tenantId, def))).flatMap((d) => d.slots).find((s) => s.state === 'free');
          if (free) return { resource: resource.entryId, slot: free.start.toISOString(), minutes: String(resource.rules.minMinutes) };
        }
      }
      return undefined;
    },

    writeWithCase(tenantId, s) {
      // One resource without seats or a partner (the common case): the booking is parts of the case's
      // statement (claims.ts bookingParts). Anything else — and a time that can no longer be had,
      // which `write` answers — goes through the transaction.
      const chosen = chosenTimeOf(s.draft.chosen);
      const resource = chosen ? resourcesOf(app.catalogue, tenantId, s.definition).find((r) => r.id === chosen.resource) : undefined;
      if (!chosen || !resource || hasSeats(resource) || partnersOf(app.catalogue, tenantId, s.definition).length) return undefined;
      const span = spanOf(chosen);
      if (requestProblem(resource.rules, span, s.now)) return undefined;
      const customerType = customerTypeOf(s.draft.actingFor, isYouth(s.definition, s.applicant.resident?.personalNumber, localDate(s.now)));
      const parts = bookingParts(newBooking(s, resource, span, customerType, { status: undefined }), s.now, () => new ChoiceLostError(STEP_PATH));
      return {
        ...parts,
        run: (write) =>
          bookingAttempts(write).catch((e: unknown) => {
            if (isExclusionViolation(e)) throw new ChoiceLostError(STEP_PATH);
            throw e;
          }),
      };
    },

    async write(tx: TenantQueryable, s) {
      const { id, attached } = await writeBooking(tx, s, { status: undefined });
      return { attach: (caseId: string) => (attached ? Promise.resolve() : attachCase(tx, id, caseId)) };
    },
  };
}
