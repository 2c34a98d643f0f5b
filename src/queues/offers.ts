/**
 * Offers (ADR 0046): staff open vacancies within a unit's places for an age group; each goes to the
 * next in line, who accepts or declines with e-ID before its deadline; a decline or a lapse passes
 * it on. Locks are always taken vacancy before case when offering and case before vacancy when
 * answering, and an application with an open offer is never a candidate, so the two never meet in
 * a cycle. Passing on happens after the answer commits (a crash between is repaired by the offers
 * job, which offers every open vacancy that has no open offer).
 */
import type { Catalogue } from '../catalogue/index.ts';
import type { QueueOffers, ServiceDefinition, UnitPlaces } from '../catalogue/types.ts';
import { applicantNotify, caseMail, changeCase, changeCaseIn, getCase, lockCaseRow, type Case } from '../cases/index.ts';
import { recordAudit } from '../audit/index.ts';
import { DateTime } from 'luxon';
import { addMonths, stockholmToday } from '../forms/dates.ts';
import { tenantScope, type Database, type TenantQueryable, type TenantScope } from '../kernel/db/index.ts';
import { formatDate, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import { queued, queueName, type QueueDeps, type QueueService } from './places.ts';
import {
  capacityEdits, closeOffer, dueOffers, fillVacancy, hasOpenOffer, insertOffer, insertVacancies, leaveQueue, lockAgeGroup, lockVacancy, nextInLine,
  placesInUse, standsIn, unofferedVacancies, type CapacityRow, type Offer,
} from './offers.repository.ts';
import './offer-messages.ts';

/** A service whose queue offers places. */
export type OfferService = QueueService & { queue: QueueService['queue'] & { offers: QueueOffers } };
export const offering = (def: ServiceDefinition | undefined): def is OfferService => queued(def) && !!def.queue.offers;

/** The end of a day in Stockholm (the next midnight): an offer's deadline is a whole day. */
const endOfStockholmDay = (date: string): Date => DateTime.fromISO(date, { zone: 'Europe/Stockholm' }).plus({ days: 1 }).toJSDate();

/** The last whole day to answer by (the deadline is its end). */
export const lastDayOf = (replyBy: Date): string => stockholmToday(new Date(replyBy.getTime() - 1));

/** The age group id of places that have none (a queue without age groups). */
export const ANY_AGE = '';

/** The register's places of a queue's unit, then staff's edits: for each age group, the seats from each date. */
export function capacitiesOf(app: QueueDeps, tenantId: string, def: OfferService, queue: string, edits: readonly CapacityRow[]): CapacityRow[] {
  const register = def.queue.choices !== undefined ? def.form.steps.flatMap((s) => s.fields).find((f) => f.id === def.queue.choices) : undefined;
  const entry = register && 'register' in register && register.register ? app.catalogue.register(tenantId, register.register)?.find((e) => e.id === queue) : undefined;
  const rows = new Map<string, CapacityRow>();
  for (const p of entry?.places ?? ([] as UnitPlaces[])) rows.set(`${p.ageGroup ?? ANY_AGE}|${p.from}`, { ageGroup: p.ageGroup ?? ANY_AGE, from: p.from, seats: p.seats });
  for (const e of edits) rows.set(`${e.ageGroup}|${e.from}`, e);
  return [...rows.values()].sort((a, b) => a.ageGroup.localeCompare(b.ageGroup) || a.from.localeCompare(b.from));
}

/** The seats of an age group on a date: the row of the latest date on or before it (none: 0). */
export function seatsOn(capacities: readonly CapacityRow[], ageGroup: string, date: string): number {
  let seats = 0;
  for (const c of capacities) if (c.ageGroup === ageGroup && c.from <= date) seats = c.seats;
  return seats;
}

/** Who fits a place of this age group starting on this date: born after / on or before (undefined: anyone). */
function bornWindow(def: OfferService, ageGroup: string, startDate: string): { after: string; onOrBefore: string } | undefined {
  const g = def.queue.offers.ageGroups?.find((a) => a.id === ageGroup);
  if (!g) return undefined;
  return { after: addMonths(startDate, -12 * g.maxYears), onOrBefore: addMonths(startDate, -12 * g.minYears) };
}

export class PlacesFullError extends Error {
  constructor(readonly free: number) {
    super(`only ${free} places are free`);
    this.name = 'PlacesFullError';
  }
}

export interface OfferContext extends QueueDeps {
  catalogue: Pick<Catalogue, 'register' | 'service'>;
}

/**
 * Opens `count` vacancies of an age group from a date, if the unit's places for it on that date
 * allow (counted under the age group's lock: two staff at once never open more than there are),
 * then offers each to the next in line.
 */
export async function openVacancies(
  app: OfferContext,
  tdb: TenantScope,
  def: OfferService,
  input: { queue: string; ageGroup: string; startDate: string; count: number; staffId: string; siteUrl: string; now: Date },
): Promise<{ vacancies: string[]; offered: number }> {
  const ids = await tdb.transaction(async (tx) => {
    await lockAgeGroup(tx, def.id, input.queue, input.ageGroup);
    const seats = seatsOn(capacitiesOf(app, tx.tenantId, def, input.queue, await capacityEdits(tx, def.id, input.queue)), input.ageGroup, input.startDate);
    const inUse = await placesInUse(tx, def.id, input.queue, input.ageGroup);
    if (inUse + input.count > seats) throw new PlacesFullError(Math.max(0, seats - inUse));
    const made = await insertVacancies(tx, { serviceId: def.id, queue: input.queue, ageGroup: input.ageGroup, startDate: input.startDate, count: input.count, staffId: input.staffId, at: input.now });
    for (const id of made) await recordAudit(tx, { staffId: input.staffId, action: 'queue.vacancy.open', objectType: 'queue_vacancy', objectId: id }, input.now);
    return made;
  });
  let offered = 0;
  for (const id of ids) if (await offerNext(app, tdb, id, input.siteUrl, input.now)) offered++;
  return { vacancies: ids, offered };
}

/**
 * Offers an open vacancy without an open offer to the next in line; returns the application it
 * went to, or undefined (no one fits yet, or the vacancy is not open or already offered). Under the
 * vacancy's lock; a candidate that left its queue or took an offer meanwhile is passed over.
 */
export async function offerNext(app: OfferContext, tdb: TenantScope, vacancyId: string, siteUrl: string, now: Date): Promise<string | undefined> {
  return tdb.transaction(async (tx) => {
    const v = await lockVacancy(tx, vacancyId);
    if (!v || v.status !== 'open' || (await hasOpenOffer(tx, v.id))) return undefined;
    const def = app.catalogue.service(tx.tenantId, v.serviceId);
    if (!offering(def)) return undefined;
    const born = bornWindow(def, v.ageGroup, v.startDate);
    // Bounded: each round either offers or rules out one candidate for good (an open offer, a place gone).
    for (let tries = 0; tries < 1000; tries++) {
      const caseId = await nextInLine(tx, v, born);
      if (!caseId) return undefined;
      const replyBy = endOfStockholmDay(stockholmToday(new Date(now.getTime() + def.queue.offers.replyDays * 86_400_000)));
      // The case's lock first: it may be ending, or changing its choices, right now; read after it, the place is as committed.
      if (!(await lockCaseRow(tx, caseId)) || !(await standsIn(tx, caseId, v.serviceId, v.queue))) continue;
      const made = await insertOffer(tx, v, caseId, now, replyBy);
      // Taken meanwhile by another vacancy's offer (its commit was waited for): the next candidate.
      if (!made) continue;
      await changeCaseIn(tx, caseId, now, async (locked, inner) => {
        const notify = await applicantNotify(inner, def, locked, siteUrl);
        const l = locked.locale;
        const vars = offerVars(app, inner.tenantId, def, locked, { queue: v.queue, startDate: v.startDate, replyBy }, l, siteUrl);
        return {
          journal: [{ kind: 'queue_offer_made', actorKind: 'system', actorId: null, payload: { offer: made, vacancy: v.id, queue: v.queue, startDate: v.startDate, ageGroup: v.ageGroup || null, replyBy: replyBy.toISOString() } }],
          outbox: notify.email ? [{ kind: 'email', payload: caseMail(locked, def, l, { to: notify.email, subject: translate(l, 'queue.offer.mail.subject', vars), text: translate(l, 'queue.offer.mail.body', vars) }) }] : [],
        };
      });
      return caseId;
    }
    return undefined;
  });
}

function offerVars(app: QueueDeps, tenantId: string, def: OfferService, c: Case, o: { queue: string; startDate: string; replyBy: Date }, l: Locale, siteUrl: string) {
  return {
    reference: c.reference,
    unit: queueName(app, tenantId, def, o.queue, l),
    start: formatDate(o.startDate, l),
    replyBy: formatDate(lastDayOf(o.replyBy), l),
    service: pick(def.title, l),
    url: `${siteUrl}/my/cases/${c.id}`,
  };
}

export type OfferAnswer = 'accept' | 'decline';

/** There is no open offer to answer (answered, lapsed, withdrawn, or never this case's): nothing is written. */
export class OfferClosedError extends Error {
  constructor() {
    super('the offer is no longer open');
    this.name = 'OfferClosedError';
  }
}

/**
 * The applicant's answer (or, with `lapse`, the deadline's), under the case's lock: the offer is
 * closed by one conditional UPDATE (of concurrent answers one wins); an acceptance fills the
 * vacancy and moves the case to the accepted state (it leaves its queues); a decline leaves that
 * queue, or every queue, as the definition says. A declined vacancy then goes to the next in line.
 */
export async function answerOffer(
  app: OfferContext,
  tdb: TenantScope,
  def: OfferService,
  caseId: string,
  input: { offerId: string; answer: OfferAnswer | 'lapse'; residentId: string | null; siteUrl: string; now: Date },
): Promise<Offer> {
  const offers = def.queue.offers;
  let closed: Offer | undefined;
  await changeCase(tdb, caseId, input.now, async (c, tx) => {
    const status = input.answer === 'accept' ? 'accepted' : input.answer === 'decline' ? 'said_no' : 'expired';
    closed = await closeOffer(tx, { offerId: input.offerId, caseId, status, at: input.now, by: input.residentId, beforeDeadline: input.answer !== 'lapse' });
    if (!closed) throw new OfferClosedError();
    if (input.answer === 'accept' && !(await fillVacancy(tx, closed.vacancyId, caseId, input.now))) throw new OfferClosedError();
    let to: string | undefined;
    if (input.answer === 'accept') to = offers.acceptedState;
    else if (offers.onDecline === 'leave' || (await leaveQueue(tx, caseId, def.id, closed.queue)) === 0) to = offers.leftState;
    const notify = await applicantNotify(tx, def, c, input.siteUrl);
    const l = c.locale;
    const vars = offerVars(app, tx.tenantId, def, c, closed, l, input.siteUrl);
    const key = input.answer === 'accept' ? 'accepted' : input.answer === 'decline' ? 'turnedDown' : 'silence';
    const kind = input.answer === 'accept' ? 'queue_offer_accepted' : input.answer === 'decline' ? 'queue_offer_declined' : 'queue_offer_expired';
    return {
      ...(to && to !== c.status ? { patch: { status: to, dueAt: null } } : {}),
      journal: [
        {
          kind,
          actorKind: input.residentId ? 'resident' : 'system',
          actorId: input.residentId,
          payload: { offer: closed.id, vacancy: closed.vacancyId, queue: closed.queue, startDate: closed.startDate, ...(to ? { from: c.status, to } : {}) },
        },
      ],
      outbox: notify.email
        ? [{ kind: 'email', payload: caseMail(c, def, l, { to: notify.email, subject: translate(l, `queue.offer.${key}.mail.subject`, vars), text: translate(l, `queue.offer.${key}.mail.body${to && input.answer !== 'accept' ? 'Left' : ''}`, vars) }) }]
        : [],
    };
  });
  if (input.answer !== 'accept') await offerNext(app, tdb, closed!.vacancyId, input.siteUrl, input.now);
  return closed!;
}

/**
 * The offers job: lapses open offers past their deadline (each as a decline by silence, under its
 * case's lock) and offers every open vacancy that has no open offer — after a lapse, after a crash
 * between an answer and its passing on, or because someone who fits has joined since.
 */
export async function runOffers(app: OfferContext & { serviceVersions: { definition(q: TenantQueryable, id: string, version: number): Promise<ServiceDefinition | undefined> } }, db: Database, now: Date, siteUrlOf: (tenantId: string) => string): Promise<number> {
  let n = 0;
  for (const due of await dueOffers(db, now, 200)) {
    const tdb = tenantScope(db, due.tenantId);
    const c = await getCase(tdb, due.caseId);
    const def = c ? await app.serviceVersions.definition(tdb, c.serviceId, c.serviceVersion) : undefined;
    if (!offering(def)) continue;
    try {
      await answerOffer(app, tdb, def, due.caseId, { offerId: due.id, answer: 'lapse', residentId: null, siteUrl: siteUrlOf(due.tenantId), now });
      n++;
    } catch (err) {
      // Answered meanwhile: nothing to lapse.
      if (!(err instanceof OfferClosedError)) throw err;
    }
  }
  for (const v of await unofferedVacancies(db, 200)) {
    if (await offerNext(app, tenantScope(db, v.tenantId), v.id, siteUrlOf(v.tenantId), now)) n++;
  }
  return n;
}

/** The date a place is guaranteed by: the later of the queue date plus the months and the date asked for. */
export function guaranteeDate(def: OfferService, queueDate: string, answers: Readonly<Record<string, unknown>>): string | undefined {
  const g = def.queue.offers.guarantee;
  if (!g) return undefined;
  const byLaw = addMonths(queueDate, g.months);
  const asked = g.from !== undefined ? answers[g.from] : undefined;
  return typeof asked === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(asked) && asked > byLaw ? asked : byLaw;
}

export const offerReplyDays = (def: OfferService) => def.queue.offers.replyDays;
export type { CapacityRow, Offer };
