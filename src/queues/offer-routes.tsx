/**
 * Offers on the pages (ADR 0046): the offer on a case's pages and its answer page
 * (`/my/cases/<id>/offers/<offer>`, e-ID), and staff's places and vacancies under each queue's page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { residentCase, type Case } from '../cases/index.ts';
import { stockholmToday } from '../forms/dates.ts';
import { isIsoDate } from '../forms/dates.ts';
import type { StaffMember } from '../identity/staff/index.ts';
import { recordAudit } from '../audit/index.ts';
import { AppError } from '../kernel/errors.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import { pick } from '../kernel/i18n/index.ts';
import { isUuid } from '../kernel/ids.ts';
import { canAnswerOffer, type Principal } from '../policy/index.ts';
import { daysBetween } from '../expressions/index.ts';
import { ANY_AGE, answerOffer, capacitiesOf, lastDayOf, offering, OfferClosedError, openVacancies, PlacesFullError, type OfferService } from './offers.ts';
import { capacityEdits, closeVacancy, guaranteeBreaches, offersOfCase, saveCapacity, vacanciesOfQueue, type Offer } from './offers.repository.ts';
import { queueName, type QueueService } from './places.ts';
import { ClosedStepPage } from './views.tsx';
import { GuaranteeSection, OfferPage, OfferSection, PlacesPanel, type OfferView } from './offer-views.tsx';

/** How many vacancies one request may open. */
const MAX_VACANCIES = 50;
const MAX_SEATS = 100_000;

function offerView(app: FastifyInstance, req: FastifyRequest, def: OfferService, o: Offer): OfferView {
  const group = def.queue.offers.ageGroups?.find((g) => g.id === o.ageGroup);
  return { unit: queueName(app, req.tenant.id, def, o.queue, req.locale), startDate: o.startDate, lastDay: lastDayOf(o.replyBy), ageGroup: group ? pick(group.label, req.locale) : undefined };
}

/** The offer section of a case's page: the open offer (answerable by `who` where the definition lets them), or a place accepted. */
export async function offerSectionOf(app: FastifyInstance, req: FastifyRequest, def: QueueService, c: Case, who: { principal?: Principal | undefined; staff: boolean }): Promise<VNode | null> {
  if (!offering(def)) return null;
  const offers = await offersOfCase(req.tdb, c.id);
  const open = offers.find((o) => o.status === 'open');
  const accepted = offers.find((o) => o.status === 'accepted');
  const mayAnswer = !!who.principal && canAnswerOffer(who.principal, c, def.queue.offers.answeredBy);
  return (
    <OfferSection
      ctx={req.viewContext()}
      open={open ? offerView(app, req, def, open) : undefined}
      answerHref={open && mayAnswer ? `/my/cases/${c.id}/offers/${open.id}` : undefined}
      accepted={accepted ? { unit: queueName(app, req.tenant.id, def, accepted.queue, req.locale), startDate: accepted.startDate } : undefined}
      onDecline={def.queue.offers.onDecline}
      staff={who.staff}
    />
  );
}

interface PanelState {
  errors: FieldError[];
  posted: Record<string, string>;
}

/** Staff's places panel under a queue's page, for a queue that offers places. */
export async function placesPanelOf(app: FastifyInstance, req: FastifyRequest, def: QueueService, queue: string, here: string, state: PanelState = { errors: [], posted: {} }): Promise<VNode | null> {
  if (!offering(def)) return null;
  const [edits, vacancies] = await Promise.all([capacityEdits(req.tdb, def.id, queue), vacanciesOfQueue(req.tdb, def.id, queue)]);
  // In the definition's order of age groups (youngest first, as it lists them), then by date.
  const order = (def.queue.offers.ageGroups ?? []).map((g) => g.id);
  const capacities = capacitiesOf(app, req.tenant.id, def, queue, edits).sort((a, b) => order.indexOf(a.ageGroup) - order.indexOf(b.ageGroup) || a.from.localeCompare(b.from));
  return (
    <PlacesPanel
      ctx={req.viewContext()}
      here={here}
      ageGroups={(def.queue.offers.ageGroups ?? []).map((g) => ({ id: g.id, label: pick(g.label, req.locale) }))}
      capacities={capacities.map((c) => ({ ...c, inUse: vacancies.filter((v) => v.ageGroup === c.ageGroup).length }))}
      vacancies={vacancies.map((v) => ({
        id: v.id,
        ageGroup: v.ageGroup,
        startDate: v.startDate,
        state: v.status === 'filled' ? 'taken' : v.offer ? 'out' : 'unmatched',
        reference: v.status === 'filled' ? (v.filledReference ?? undefined) : v.offer?.reference,
        caseHref: v.status === 'filled' ? `/staff/cases/${v.filledByCase}` : v.offer ? `/staff/cases/${v.offer.caseId}` : undefined,
        lastDay: v.offer ? lastDayOf(v.offer.replyBy) : undefined,
      }))}
      errors={state.errors}
      posted={state.posted}
    />
  );
}

/** Applications past their guaranteed date, for each service that guarantees one. */
export async function guaranteeSectionOf(req: FastifyRequest, services: readonly QueueService[], today: string): Promise<VNode | null> {
  const guaranteed = services.filter((s): s is OfferService => offering(s) && !!s.queue.offers.guarantee);
  if (!guaranteed.length) return null;
  const lists = await Promise.all(guaranteed.map((s) => guaranteeBreaches(req.tdb, s.id, s.queue.offers.guarantee!.months, s.queue.offers.guarantee!.from ?? null, today)));
  return (
    <GuaranteeSection
      ctx={req.viewContext()}
      services={guaranteed.map((s, i) => ({
        id: s.id,
        title: pick(s.title, req.locale),
        lines: lists[i]!.map((l) => ({ caseHref: `/staff/cases/${l.caseId}`, reference: l.reference, queueDate: l.queueDate, guaranteeDate: l.guaranteeDate, daysOver: daysBetween(l.guaranteeDate, today) })),
      }))}
    />
  );
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** A date typed by staff: YYYY-MM-DD, a real day. */
const dateOf = (v: string) => (isIsoDate(v) ? v : undefined);

/** A whole number typed by staff within bounds (spaces allowed: "1 000"). */
function countOf(v: string, min: number, max: number): number | undefined {
  const n = /^\d[\d\s\u00a0]*$/.test(v) ? Number(v.replace(/\D/g, '')) : Number.NaN;
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : undefined;
}

export interface StaffQueueContext {
  staff: StaffMember;
  def: QueueService;
  queue: string;
  here: string;
}

/**
 * The routes of offers: the resident's answer, and staff's forms under a queue's page. `staffQueue`
 * finds the queue a staff request is about (or throws); `renderQueue` renders its page with the
 * places panel in a given state (a form's errors and posted values).
 */
export function offerRoutes(
  app: FastifyInstance,
  staffQueue: (req: FastifyRequest, reply: FastifyReply) => Promise<StaffQueueContext | undefined>,
  renderQueue: (req: FastifyRequest, reply: FastifyReply, q: StaffQueueContext, panel: PanelState, status: number) => Promise<FastifyReply>,
): void {
  async function answerable(req: FastifyRequest, reply: FastifyReply) {
    const read = await residentCase(app, req, reply);
    if (!read) return undefined;
    const { resident, who, c, def } = read;
    const { offerId } = req.params as { offerId: string };
    if (!isUuid(offerId)) throw new AppError('CASE_NOT_FOUND');
    if (!offering(def) || !canAnswerOffer(who, c, def.queue.offers.answeredBy)) throw new AppError('FORBIDDEN');
    const offer = (await offersOfCase(req.tdb, c.id)).find((o) => o.id === offerId);
    if (!offer) throw new AppError('CASE_NOT_FOUND');
    const caseTitle = `${pick(def.title, req.locale)} – ${c.reference}`;
    return { resident, c, def, offer, caseTitle, caseHref: `/my/cases/${c.id}` };
  }

  const offerClosed = (req: FastifyRequest, reply: FastifyReply, a: { caseTitle: string; caseHref: string }) =>
    reply.page(<ClosedStepPage ctx={req.viewContext()} titleKey="queue.offer.title" textKey="queue.offer.closed" caseTitle={a.caseTitle} caseHref={a.caseHref} />, 409);

  app.get('/my/cases/:caseId/offers/:offerId', async (req, reply) => {
    const a = await answerable(req, reply);
    if (!a) return reply;
    const ctx = req.viewContext();
    if (a.offer.status !== 'open' || a.offer.replyBy <= app.clock.now()) return offerClosed(req, reply, a);
    return reply.page(<OfferPage ctx={ctx} caseTitle={a.caseTitle} caseHref={a.caseHref} action={req.url.split('?')[0]!} offer={offerView(app, req, a.def, a.offer)} onDecline={a.def.queue.offers.onDecline} errors={[]} selected="" />);
  });

  app.post('/my/cases/:caseId/offers/:offerId', async (req, reply) => {
    const a = await answerable(req, reply);
    if (!a) return reply;
    const ctx = req.viewContext();
    const answer = text((req.body as Record<string, unknown> | undefined)?.answer);
    if (answer !== 'accept' && answer !== 'decline') {
      if (a.offer.status !== 'open') return offerClosed(req, reply, a);
      const errors = [{ field: 'f-answer', message: req.t('queue.offer.choose') }];
      return reply.page(<OfferPage ctx={ctx} caseTitle={a.caseTitle} caseHref={a.caseHref} action={req.url.split('?')[0]!} offer={offerView(app, req, a.def, a.offer)} onDecline={a.def.queue.offers.onDecline} errors={errors} selected="" />, 400);
    }
    try {
      await answerOffer(app, req.tdb, a.def, a.c.id, { offerId: a.offer.id, answer, residentId: a.resident.id, siteUrl: `${req.protocol}://${req.host}`, now: app.clock.now() });
    } catch (err) {
      if (err instanceof OfferClosedError) return offerClosed(req, reply, a);
      throw err;
    }
    return reply.redirect(`${a.caseHref}?done=${answer === 'accept' ? 'offerAccepted' : 'offerDeclined'}#notice`, 303);
  });

  /** The age group a staff form posted: one of the definition's, or none when it has none. */
  function ageGroupOf(def: OfferService, posted: string): string | undefined {
    const groups = def.queue.offers.ageGroups ?? [];
    if (!groups.length) return ANY_AGE;
    return groups.some((g) => g.id === posted) ? posted : undefined;
  }

  app.post('/staff/queues/:serviceId/:segment/free-places', async (req, reply) => {
    const q = await staffQueue(req, reply);
    if (!q) return reply;
    if (!offering(q.def)) throw new AppError('NOT_FOUND');
    const def = q.def;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const posted = { 'vacancy.ageGroup': text(body.forGroup).slice(0, 100), 'vacancy.startDate': text(body.freeFrom).slice(0, 40), 'vacancy.count': text(body.count).slice(0, 20) };
    const t = req.t;
    const today = stockholmToday(app.clock.now());
    const errors: FieldError[] = [];
    const ageGroup = ageGroupOf(def, posted['vacancy.ageGroup']);
    if (ageGroup === undefined) errors.push({ field: 'f-vacancy-ageGroup', message: t('queue.vacancy.badGroup') });
    const startDate = dateOf(posted['vacancy.startDate']);
    if (!startDate) errors.push({ field: 'f-vacancy-startDate', message: t('queue.vacancy.badDate') });
    else if (startDate < today) errors.push({ field: 'f-vacancy-startDate', message: t('queue.vacancy.pastDate') });
    const count = countOf(posted['vacancy.count'], 1, MAX_VACANCIES);
    if (count === undefined) errors.push({ field: 'f-vacancy-count', message: t('queue.vacancy.badCount', { min: 1, max: MAX_VACANCIES }) });
    if (!errors.length) {
      try {
        const r = await openVacancies(app, req.tdb, def, { queue: q.queue, ageGroup: ageGroup!, startDate: startDate!, count: count!, staffId: q.staff.id, siteUrl: `${req.protocol}://${req.host}`, now: app.clock.now() });
        return reply.redirect(`${q.here}?done=${r.offered ? 'vacancyOffered' : 'vacancyWaiting'}#places`, 303);
      } catch (err) {
        if (!(err instanceof PlacesFullError)) throw err;
        errors.push({ field: 'f-vacancy-count', message: t('queue.vacancy.full', { free: err.free }) });
      }
    }
    return renderQueue(req, reply, q, { errors, posted }, 400);
  });

  app.post('/staff/queues/:serviceId/:segment/places', async (req, reply) => {
    const q = await staffQueue(req, reply);
    if (!q) return reply;
    if (!offering(q.def)) throw new AppError('NOT_FOUND');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const posted = { 'places.ageGroup': text(body.ageGroup).slice(0, 100), 'places.from': text(body.from).slice(0, 40), 'places.seats': text(body.seats).slice(0, 20) };
    const t = req.t;
    const errors: FieldError[] = [];
    const ageGroup = ageGroupOf(q.def, posted['places.ageGroup']);
    if (ageGroup === undefined) errors.push({ field: 'f-places-ageGroup', message: t('queue.vacancy.badGroup') });
    const from = dateOf(posted['places.from']);
    if (!from) errors.push({ field: 'f-places-from', message: t('queue.vacancy.badDate') });
    const seats = countOf(posted['places.seats'], 0, MAX_SEATS);
    if (seats === undefined) errors.push({ field: 'f-places-seats', message: t('queue.vacancy.badCount', { min: 0, max: MAX_SEATS }) });
    if (errors.length) return renderQueue(req, reply, q, { errors, posted }, 400);
    const now = app.clock.now();
    await req.tdb.transaction(async (tx) => {
      await saveCapacity(tx, { serviceId: q.def.id, queue: q.queue, ageGroup: ageGroup!, from: from!, seats: seats!, staffId: q.staff.id, at: now });
      await recordAudit(tx, { staffId: q.staff.id, action: 'queue.places.change', objectType: 'queue', objectId: `${q.def.id}/${q.queue}/${ageGroup}/${from}`, requestId: req.id }, now);
    });
    return reply.redirect(`${q.here}?done=places#places`, 303);
  });

  app.post('/staff/queues/:serviceId/:segment/free-places/:vacancyId/close', async (req, reply) => {
    const q = await staffQueue(req, reply);
    if (!q) return reply;
    if (!offering(q.def)) throw new AppError('NOT_FOUND');
    const { vacancyId } = req.params as { vacancyId: string };
    if (!isUuid(vacancyId)) throw new AppError('NOT_FOUND');
    const line = (await vacanciesOfQueue(req.tdb, q.def.id, q.queue)).find((v) => v.id === vacancyId);
    const now = app.clock.now();
    const closed =
      !!line &&
      (await req.tdb.transaction(async (tx) => {
        const done = await closeVacancy(tx, vacancyId, line.status === 'filled' ? 'filled' : 'open', now);
        if (done) await recordAudit(tx, { staffId: q.staff.id, action: 'queue.vacancy.close', objectType: 'queue_vacancy', objectId: vacancyId, requestId: req.id }, now);
        return done;
      }));
    if (!closed) return renderQueue(req, reply, q, { errors: [{ field: 'places-h', message: req.t('queue.vacancy.notClosable') }], posted: {} }, 409);
    return reply.redirect(`${q.here}?done=vacancyClosed#places`, 303);
  });
}
