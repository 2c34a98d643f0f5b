/**
 * The queue engine's routes and sections (ADR 0043): a case's places on its pages (resident, follow
 * link, handler), the applicant changing choices (`/my/cases/<id>/queue-choices`), and staff's queues
 * (`/staff/queues`, `/staff/queues/<service>/<queue>`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { residentCase, type Case, type CaseExtension } from '../cases/index.ts';
import { kindOf } from '../forms/index.tsx';
import { stockholmToday } from '../forms/dates.ts';
import { signedInResident } from '../identity/eid/index.ts';
import { requireStaff, type StaffHomeSection, type StaffMember } from '../identity/staff/index.ts';
import { AppError } from '../kernel/errors.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import { pick } from '../kernel/i18n/index.ts';
import { canActAsApplicant, canHandleService, residentPrincipal, staffPrincipal, type Principal } from '../policy/index.ts';
import { WHOLE_SERVICE } from './order.ts';
import { changeChoices, choiceRegisterOf, choicesField, NotQueuedError, queued, queueName, type QueueService } from './places.ts';
import { placesOfCase, queueLength, queuePage, queueSummaries } from './queues.repository.ts';
import { ChoicesPage, ClosedStepPage, orderText, PlacesSection, QueuePage, QueuesPage, STAFF_QUEUES, WHOLE_QUEUE_SEGMENT, type PlaceView, type RenewalView } from './views.tsx';
import { guaranteeDate, offering } from './offers.ts';
import { renewalRoutes } from './renewal-routes.tsx';
import { renewalOf, renewing, type RenewalService } from './renewals.ts';
import { addDays } from '../expressions/index.ts';
import { formatAmount } from '../payments/index.tsx';
import { guaranteeSectionOf, offerRoutes, offerSectionOf, placesPanelOf, type StaffQueueContext } from './offer-routes.tsx';
import './messages.ts';

/** The confirmations staff's forms under a queue's page land on (`?done=<key>`). */
const STAFF_NOTICES: Readonly<Record<string, string>> = {
  vacancyOffered: 'queue.vacancy.opened',
  vacancyWaiting: 'queue.vacancy.openedNone',
  vacancyClosed: 'queue.vacancy.closed',
  places: 'queue.places.saved',
};

/** Lines per page of a queue for staff. */
const PAGE = 50;

const mayHandle = (staff: StaffMember, def: ServiceDefinition) => canHandleService(staffPrincipal(staff), def);

const mayChange = (def: QueueService) => def.queue.choices !== undefined && def.queue.changeChoices !== false;

async function placesOf(app: FastifyInstance, req: FastifyRequest, def: QueueService, c: Case): Promise<{ places: PlaceView[]; queueDate: string } | undefined> {
  const rows = await placesOfCase(req.tdb, c.id);
  if (!rows.length) return undefined;
  const groups = def.queue.groups ?? [];
  return {
    queueDate: rows[0]!.queueDate,
    places: rows.map((r) => ({
      queue: r.queue,
      name: queueName(app, req.tenant.id, def, r.queue, req.locale),
      rank: r.rank,
      position: r.position,
      total: r.total,
      group: groups[r.group] ? pick(groups[r.group]!.label, req.locale) : undefined,
      distanceM: r.distanceM,
    })),
  };
}

const segmentOf = (queue: string) => (queue === WHOLE_SERVICE ? WHOLE_QUEUE_SEGMENT : queue);
const queueOfSegment = (segment: string) => (segment === WHOLE_QUEUE_SEGMENT ? WHOLE_SERVICE : segment);

/** Until when an application's place lasts, and — for its applicant, when it is time — the form to renew it. */
async function renewalView(req: FastifyRequest, def: RenewalService, c: Case, queueDate: string, applicant: boolean): Promise<RenewalView> {
  const today = stockholmToday(req.server.clock.now());
  const state = await renewalOf(req.tdb, def, c.id, queueDate, today);
  const fee = def.queue.renewal.fee;
  const openFrom = addDays(state.until, -def.queue.renewal.openDaysBefore);
  return {
    until: state.until,
    overdue: state.overdue,
    lastDay: state.lastDay,
    openFrom: openFrom > today ? openFrom : undefined,
    fee: fee ? formatAmount(Math.round(fee.amount * 100), req.locale) : undefined,
    action: applicant && state.open ? `/my/cases/${c.id}/queue-renewal` : undefined,
  };
}

export function queueCaseExtension(app: FastifyInstance): CaseExtension {
  async function section(req: FastifyRequest, c: Case, opts: { change: boolean; staff: boolean; principal?: Principal | undefined }) {
    const def = await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion);
    if (!queued(def)) return null;
    const mine = await placesOf(app, req, def, c);
    // An offer answered (a place accepted) outlives the places: the case left its queues with it.
    const offer = await offerSectionOf(app, req, def, c, { principal: opts.principal, staff: opts.staff });
    if (!mine) return offer;
    return (
      <>
        {offer}
        <PlacesSection
          ctx={req.viewContext()}
          def={def}
          places={mine.places}
          queueDate={mine.queueDate}
          today={stockholmToday(app.clock.now())}
          staff={opts.staff}
          guarantee={offering(def) ? guaranteeDate(def, mine.queueDate, c.answers) : undefined}
          renewal={renewing(def) ? await renewalView(req, def, c, mine.queueDate, opts.change) : undefined}
          changeHref={opts.change && mayChange(def) ? `/my/cases/${c.id}/queue-choices` : undefined}
          staffLinks={opts.staff ? (q) => `${STAFF_QUEUES}/${encodeURIComponent(def.id)}/${encodeURIComponent(segmentOf(q))}` : undefined}
        />
      </>
    );
  }
  return {
    residentSection: async (req, c) => {
      const resident = await signedInResident(req);
      const principal = resident ? residentPrincipal(resident) : undefined;
      return section(req, c, { change: !!principal && canActAsApplicant(principal, c), staff: false, principal });
    },
    followSection: (req, c) => section(req, c, { change: false, staff: false }),
    staffSection: (req, c) => section(req, c, { change: false, staff: true }),
    notices: { choices: 'queue.choices.saved', offerAccepted: 'queue.offer.acceptedNotice', offerDeclined: 'queue.offer.declinedNotice', renewed: 'queue.renewal.done' },
  };
}

export const queuesHomeSection: StaffHomeSection = async (req, staff) => {
  const services = req.server.catalogue.services(req.tenant.id).filter((d) => queued(d) && mayHandle(staff, d));
  if (!services.length) return null;
  const { t } = req;
  return (
    <section aria-labelledby="staff-queues">
      <h2 class="ds-heading" data-size="sm" id="staff-queues">
        {t('queue.staff.title')}
      </h2>
      <ul class="ds-list">
        <li>
          <a class="ds-link" href={STAFF_QUEUES}>
            {t('queue.staff.home')}
          </a>
        </li>
      </ul>
    </section>
  );
};

export async function queuesPlugin(app: FastifyInstance): Promise<void> {
  /** The case, its definition, for its applicant acting on it; anyone else: not found (or forbidden for a party who only reads). */
  async function applicantCase(req: FastifyRequest, reply: FastifyReply) {
    const read = await residentCase(app, req, reply);
    if (!read) return undefined;
    const { resident, who, c, def } = read;
    if (!queued(def) || !mayChange(def) || !canActAsApplicant(who, c)) throw new AppError('FORBIDDEN');
    const field = choicesField(def);
    if (!field) throw new AppError('FORBIDDEN');
    return { resident, c, def, field };
  }

  async function choicesPage(req: FastifyRequest, reply: FastifyReply, a: NonNullable<Awaited<ReturnType<typeof applicantCase>>>, posted: string[] | undefined, errors: FieldError[], status = 200) {
    const ctx = req.viewContext();
    const caseTitle = `${pick(a.def.title, req.locale)} – ${a.c.reference}`;
    const caseHref = `/my/cases/${a.c.id}`;
    const places = await placesOfCase(req.tdb, a.c.id);
    if (!places.length) return reply.page(<ClosedStepPage ctx={ctx} titleKey="queue.choices.title" textKey="queue.choices.closed" caseTitle={caseTitle} caseHref={caseHref} />, 409);
    // Without a post, the choices as they stand (one read of the places for both).
    const value = posted ?? places.map((p) => p.queue);
    const register = choiceRegisterOf(a.def);
    const name = a.field.id;
    // A problem with the list as a whole is the fieldset's; one with a later choice is that select's (errorAt).
    const error = errors.find((e) => e.field === `f-${a.field.id}`)?.message;
    const field = kindOf(a.field).render({
      field: a.field,
      value,
      name,
      id: `f-${name}`,
      label: ctx.t('queue.choices.title'),
      hint: undefined,
      error,
      single: true,
      answers: {},
      ctx: {
        locale: req.locale,
        t: ctx.t,
        register: (id) => (id === register ? app.catalogue.register(req.tenant.id, id) : undefined),
        children: [],
        today: stockholmToday(app.clock.now()),
        errorAt: (at) => errors.find((e) => e.field === `f-${at.replace(/\.(\d+)$/, '-$1')}`)?.message,
      },
    });
    return reply.page(<ChoicesPage ctx={ctx} caseTitle={caseTitle} caseHref={caseHref} action={`/my/cases/${a.c.id}/queue-choices`} queueDate={places[0]!.queueDate} errors={errors} field={field ?? <></>} />, status);
  }

  app.get('/my/cases/:caseId/queue-choices', async (req, reply) => {
    const a = await applicantCase(req, reply);
    if (!a) return reply;
    return choicesPage(req, reply, a, undefined, []);
  });

  app.post('/my/cases/:caseId/queue-choices', async (req, reply) => {
    const a = await applicantCase(req, reply);
    if (!a) return reply;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { field } = a;
    const posted = Array.from({ length: field.max }, (_, i) => body[`${field.id}.${i}`]);
    const t = req.t;
    const label = t('queue.choices.title').toLowerCase();
    // Anything but text (a list, an object) is not a choice the page offered: read as an unknown one.
    const values = posted.map((v) => (v === undefined ? '' : typeof v === 'string' ? v.trim() : '#invalid'));
    const chosen = values.filter((v) => v !== '');
    const known = new Set((app.catalogue.register(req.tenant.id, field.register) ?? []).map((e) => e.id));
    const errors: FieldError[] = [];
    const unknown = values.findIndex((v) => v !== '' && !known.has(v));
    const again = chosen.findIndex((v, i) => chosen.indexOf(v) < i);
    if (unknown !== -1) errors.push({ field: unknown === 0 ? `f-${field.id}` : `f-${field.id}-${unknown}`, message: t('queue.choices.unknown', { label }) });
    else if (chosen.length < field.min) errors.push({ field: `f-${field.id}`, message: t(field.min > 1 ? 'forms.error.rankedMin' : 'forms.error.rankedMinOne', { min: field.min, label }) });
    else if (again > 0) errors.push({ field: `f-${field.id}-${values.indexOf(chosen[again]!, values.indexOf(chosen[again]!) + 1)}`, message: t('forms.error.rankedDuplicate', { label }) });
    // The answers are kept as posted (an unknown value shown as none chosen): nothing is lost.
    if (errors.length) return choicesPage(req, reply, a, values.map((v) => (known.has(v) ? v : '')), errors, 400);
    try {
      await changeChoices(app, req.tdb, a.def, a.c, { choices: chosen, residentId: a.resident.id, siteUrl: `${req.protocol}://${req.host}`, now: app.clock.now() });
    } catch (err) {
      if (err instanceof NotQueuedError) return choicesPage(req, reply, a, chosen, []);
      throw err;
    }
    return reply.redirect(`/my/cases/${a.c.id}?done=choices#notice`, 303);
  });

  function handled(req: FastifyRequest, staff: StaffMember): QueueService[] {
    return app.catalogue.services(req.tenant.id).filter((d): d is QueueService => queued(d) && mayHandle(staff, d));
  }

  app.get(STAFF_QUEUES, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const services = handled(req, staff);
    if (!services.length) throw new AppError('FORBIDDEN');
    const [summaries, guarantee] = await Promise.all([queueSummaries(req.tdb, services.map((s) => s.id)), guaranteeSectionOf(req, services, stockholmToday(app.clock.now()))]);
    return reply.page(
      <QueuesPage
        ctx={req.viewContext()}
        guarantee={guarantee ?? undefined}
        services={services.map((s) => ({
          id: s.id,
          title: pick(s.title, req.locale),
          queues: summaries
            .filter((q) => q.serviceId === s.id)
            .map((q) => ({ segment: segmentOf(q.queue), name: queueName(app, req.tenant.id, s, q.queue, req.locale), total: q.total, oldest: q.oldest }))
            .sort((x, y) => x.name.localeCompare(y.name, req.locale)),
        }))}
      />,
    );
  });

  /** The queue a staff request is about: a service the member handles, and a queue it has; else not found. */
  async function staffQueue(req: FastifyRequest, reply: FastifyReply): Promise<StaffQueueContext | undefined> {
    const staff = await requireStaff(req, reply);
    if (!staff) return undefined;
    const { serviceId, segment } = req.params as { serviceId: string; segment: string };
    const def = handled(req, staff).find((d) => d.id === serviceId);
    if (!def) throw new AppError('NOT_FOUND');
    const queue = queueOfSegment(segment);
    const register = choiceRegisterOf(def);
    // A service with choices has a queue per chosen entry of its register; one without, its one queue.
    const known = queue === WHOLE_SERVICE ? def.queue.choices === undefined : !!register && !!app.catalogue.register(req.tenant.id, register)?.some((e) => e.id === queue);
    if (!known) throw new AppError('NOT_FOUND');
    return { staff, def, queue, here: `${STAFF_QUEUES}/${encodeURIComponent(def.id)}/${encodeURIComponent(segment)}` };
  }

  async function renderQueue(req: FastifyRequest, reply: FastifyReply, q: StaffQueueContext, panel?: Parameters<typeof placesPanelOf>[5], status = 200): Promise<FastifyReply> {
    const { def, queue, here, staff } = q;
    const raw = Number((req.query as { from?: string }).from ?? '1');
    const from = Number.isSafeInteger(raw) && raw >= 1 ? raw : 1;
    const [lines, total, places] = await Promise.all([queuePage(req.tdb, def.id, queue, from, PAGE), queueLength(req.tdb, def.id, queue), placesPanelOf(app, req, def, queue, here, panel)]);
    const groups = def.queue.groups ?? [];
    const done = (req.query as { done?: unknown }).done;
    const notice = status === 200 && typeof done === 'string' ? STAFF_NOTICES[done] : undefined;
    return reply.page(
      <QueuePage
        ctx={req.viewContext()}
        title={req.t('queue.staff.queueTitle', { queue: queueName(app, req.tenant.id, def, queue, req.locale) })}
        serviceTitle={pick(def.title, req.locale)}
        order={orderText(def, req.t, req.locale)}
        distance={(def.queue.order ?? []).includes('distance')}
        total={total}
        from={from}
        previous={from > 1 ? `${here}?from=${Math.max(1, from - PAGE)}` : undefined}
        next={from + PAGE <= total ? `${here}?from=${from + PAGE}` : undefined}
        notice={notice ? req.t(notice) : undefined}
        places={places ?? undefined}
        lines={lines.map((l) => ({
          position: l.position,
          caseHref: `/staff/cases/${l.caseId}`,
          reference: l.reference,
          // A protected identity is named only to the case's assignee (policy: staffSeesProtectedNames).
          name: l.protectedIdentity && l.assigneeId !== staff.id ? '' : (l.name ?? ''),
          protectedIdentity: l.protectedIdentity && l.assigneeId !== staff.id,
          group: groups[l.group] ? pick(groups[l.group]!.label, req.locale) : undefined,
          queueDate: l.queueDate,
          distanceM: l.distanceM,
          rank: l.rank,
        }))}
      />,
      status,
    );
  }

  app.get(`${STAFF_QUEUES}/:serviceId/:segment`, async (req, reply) => {
    const q = await staffQueue(req, reply);
    if (!q) return reply;
    return renderQueue(req, reply, q);
  });

  offerRoutes(app, staffQueue, renderQueue);
  renewalRoutes(app);
}
