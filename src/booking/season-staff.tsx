/**
 * Staff's side of seasonal allocation (ADR 0041), for every service with `booking.season`:
 *
 * - `/staff/bookings/seasons`: the seasonal services the member of staff handles, their seasons and
 *   how many have applied;
 * - a season's schedule: every weekly time asked for, facility by facility, with the engine's
 *   proposal (who gets a contested time, and whom it overlaps), the weeks each time can be booked
 *   (those already booked or blocked, and holidays, named), and staff's decision over the proposal;
 * - allocating the season once its application period has ended: one transaction makes every
 *   granted time's bookings, moves each application's case on and queues its e-mail; two clicks
 *   (two members of staff) allocate it once.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SeasonSpec, ServiceDefinition } from '../catalogue/types.ts';
import { recordAudit } from '../audit/index.ts';
import { applicantNotify, caseMail, changeCaseIn } from '../cases/index.ts';
import { requireStaff, type StaffMember } from '../identity/staff/index.ts';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { AppError } from '../kernel/errors.ts';
import { Layout } from '../kernel/html/layout.tsx';
import type { ViewContext } from '../kernel/html/context.ts';
import { Alert, Button, CsrfField, ErrorSummary, Heading, Paragraph, Tag, type FieldError } from '../kernel/html/components.tsx';
import { NoticeBanner, noticeTitle, type Notice } from '../kernel/html/notice.tsx';
import { formatDate, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import { bookingTransaction } from './claims.ts';
import { resourcesOf, type Resource } from './resources.ts';
import { seasonal, weeklyTimeText } from './season-step.tsx';
import {
  allocate,
  allocationOf,
  decide,
  datesAhead,
  heldAmong,
  propose,
  requestsOf,
  SeasonAllocatedError,
  seasonById,
  SeasonConflictError,
  seasonLabel,
  staffSeasons,
  WEEKDAYS,
  type Allocated,
  type AllocationSummary,
  type Proposal,
  type Season,
  type SeasonRequest,
} from './seasons.ts';
import { localDate } from './time.ts';
import { STAFF_BOOKINGS } from './staff-views.tsx';
import { mayHandle } from './staff.tsx';
import './season-messages.ts';

export const STAFF_SEASONS = `${STAFF_BOOKINGS}/seasons`;

type Seasonal = ServiceDefinition & { booking: { season: SeasonSpec } };


/** Each application's reference and who applied (the association's name), for the schedule. */
async function applicantsOf(q: TenantQueryable, caseIds: readonly string[]): Promise<Map<string, { reference: string; name: string }>> {
  if (!caseIds.length) return new Map();
  const { rows } = await q.query<{ id: string; reference: string; name: string | null }>(
    `SELECT c.id, c.reference,
            COALESCE((SELECT p.name FROM case_parties p WHERE p.tenant_id = c.tenant_id AND p.case_id = c.id AND p.kind = 'organisation' ORDER BY p.name LIMIT 1),
                     (SELECT COALESCE(r.given_name || ' ' || r.family_name, p.name, p.email) FROM case_parties p LEFT JOIN residents r ON r.tenant_id = p.tenant_id AND r.id = p.resident_id
                       WHERE p.tenant_id = c.tenant_id AND p.case_id = c.id AND p.role = 'applicant' LIMIT 1)) AS name
       FROM cases c WHERE c.tenant_id = $1 AND c.id = ANY($2::uuid[])`,
    [[...caseIds]],
  );
  return new Map(rows.map((r) => [r.id, { reference: r.reference, name: r.name ?? r.reference }]));
}

/** The label of a priority group: the priority question's answer it stands for. */
function priorityLabel(def: Seasonal, priority: number, locale: Locale): string {
  const p = def.booking.season.priority;
  const value = p?.order[priority];
  if (!p || value === undefined) return '–';
  const field = def.form.steps.flatMap((s) => s.fields).find((f) => f.id === p.field);
  const choice = field && 'choices' in field ? (field.choices as { value: string; label: { sv: string; en: string } }[] | undefined)?.find((c) => c.value === value) : undefined;
  return choice ? pick(choice.label, locale) : value;
}

const shortDates = (dates: readonly string[], locale: Locale) => {
  const f = new Intl.DateTimeFormat(locale === 'sv' ? 'sv-SE' : 'en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return dates.map((d) => f.format(new Date(`${d}T12:00:00Z`))).join(', ');
};

interface RowView {
  id: string;
  time: string;
  association: string;
  reference: string;
  caseHref: string;
  priority: string;
  applied: string;
  proposal: Proposal;
  by?: string | undefined;
  weeks: string;
  weeksNote: string;
  decision: 'given' | 'refused' | null;
  outcome: SeasonRequest['outcome'];
}

interface ScheduleView {
  ctx: ViewContext;
  service: { id: string; title: string };
  season: Season;
  groups: { resource: string; rows: RowView[] }[];
  counts: { applications: number; requests: number; granted: number; refused: number; conflicts: number };
  open: boolean;
  allocated?: { at: Date; summary: AllocationSummary } | undefined;
  errors: FieldError[];
  notice?: Notice | undefined;
}

const PROPOSAL_COLORS = { given: 'success', refused: 'neutral', conflict: 'warning' } as const;

function SchedulePage(v: ScheduleView) {
  const { ctx } = v;
  const { t, locale } = ctx;
  const label = pick(seasonLabel(v.season), locale);
  const title = t('season.staff.scheduleTitle', { season: label, service: v.service.title });
  const base = `${STAFF_SEASONS}/${encodeURIComponent(v.service.id)}/${encodeURIComponent(v.season.id)}`;
  const editable = !v.allocated;
  return (
    <Layout
      ctx={ctx}
      title={noticeTitle(`${v.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title}`, v.notice)}
      section="staff"
      breadcrumbs={[
        { href: '/staff', label: t('staff.breadcrumb') },
        { href: STAFF_BOOKINGS, label: t('booking.staff.title') },
        { href: STAFF_SEASONS, label: t('season.staff.title') },
      ]}
    >
      <NoticeBanner notice={v.notice} />
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />
      <Heading>{title}</Heading>
      <Paragraph>
        {t('season.staff.summary', { applications: String(v.counts.applications), requests: String(v.counts.requests), granted: String(v.counts.granted), refused: String(v.counts.refused), conflicts: String(v.counts.conflicts) })}
      </Paragraph>
      {v.allocated && (
        <Alert kind="success">
          <p>
            {t('season.staff.allocated', {
              at: formatDate(v.allocated.at, locale, true),
              bookings: String(v.allocated.summary.bookings),
              granted: String(v.allocated.summary.granted),
              applications: String(v.allocated.summary.applications),
              refused: String(v.allocated.summary.refused),
              skipped: String(v.allocated.summary.skipped),
            })}
          </p>
        </Alert>
      )}
      {!v.groups.length ? (
        <Paragraph>{t('season.staff.noRequests')}</Paragraph>
      ) : (
        <form method="post" action={`${base}/decisions`}>
          <CsrfField token={ctx.csrfToken} />
          {v.groups.map((g, gi) => (
            <div class="mb-table-wrap" role="region" aria-labelledby={`g-${gi}-caption`} tabIndex={0} key={g.resource}>
              <table class="ds-table mb-season-schedule" id={`g-${gi}`}>
                <caption id={`g-${gi}-caption`}>{g.resource}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('season.col.time')}</th>
                    <th scope="col">{t('season.staff.col.association')}</th>
                    <th scope="col">{t('season.staff.col.priority')}</th>
                    <th scope="col">{t('season.staff.col.applied')}</th>
                    <th scope="col">{t('season.staff.col.proposal')}</th>
                    <th scope="col">{t('season.staff.col.weeks')}</th>
                    {editable && <th scope="col">{t('season.staff.col.decision')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {g.rows.map((r) => {
                    const shown = r.outcome ?? r.proposal.state;
                    return (
                      <tr key={r.id} id={`r-${r.id}`}>
                        <th scope="row">{r.time}</th>
                        <td>
                          {r.association}
                          <br />
                          <a class="ds-link" href={r.caseHref}>
                            {r.reference}
                          </a>
                        </td>
                        <td>{r.priority}</td>
                        <td>{r.applied}</td>
                        <td>
                          <Tag color={PROPOSAL_COLORS[shown]}>{t(`season.staff.proposal.${shown}`)}</Tag>
                          {r.by && <span class="mb-hint"> {r.by}</span>}
                          {r.proposal.staff && !r.outcome && <span class="mb-hint"> ({t('season.staff.proposal.staff')})</span>}
                        </td>
                        <td>
                          {r.weeks}
                          {r.weeksNote && <span class="mb-hint"> ({r.weeksNote})</span>}
                        </td>
                        {editable && (
                          <td>
                            <label class="mb-visually-hidden" for={`d-${r.id}`}>
                              {t('season.staff.decisionLabel', { association: r.association, time: r.time })}
                            </label>
                            <select class="ds-input" id={`d-${r.id}`} name={`d-${r.id}`}>
                              {(['auto', 'given', 'refused'] as const).map((d) => (
                                <option value={d} selected={(r.decision ?? 'auto') === d}>
                                  {t(`season.staff.decision.${d}`)}
                                </option>
                              ))}
                            </select>
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ))}
          {editable && (
            <Button variant="secondary" name="save" value="1">
              {t('season.staff.save')}
            </Button>
          )}
        </form>
      )}
      {editable && v.groups.length > 0 && (
        <section aria-labelledby="allocate-h" class="mb-panel">
          <Heading level={2} size="sm">
            <span id="allocate-h">{t('season.staff.allocate')}</span>
          </Heading>
          {v.open ? (
            <Paragraph>{t('season.staff.stillOpen', { applyBy: formatDate(v.season.applyBy, locale) })}</Paragraph>
          ) : (
            <form method="post" action={`${base}/allocate`} novalidate>
              <CsrfField token={ctx.csrfToken} />
              <Paragraph>{t('season.staff.allocateHint')}</Paragraph>
              <div class="ds-field mb-field">
                {v.errors.some((e) => e.field === 'f-confirm') && (
                  <p class="ds-validation-message" data-field="validation" id="f-confirm-error">
                    {v.errors.find((e) => e.field === 'f-confirm')!.message}
                  </p>
                )}
                <input class="ds-input" type="checkbox" id="f-confirm" name="reviewed" value="yes" aria-describedby={v.errors.some((e) => e.field === 'f-confirm') ? 'f-confirm-error' : undefined} />
                <label class="ds-label" for="f-confirm">
                  {t('season.staff.confirm')}
                </label>
              </div>
              <Button>{t('season.staff.allocate')}</Button>
            </form>
          )}
        </section>
      )}
    </Layout>
  );
}

interface SeasonListView {
  ctx: ViewContext;
  services: { id: string; title: string; seasons: { id: string; label: string; applyBy: string; applications: number; state: 'open' | 'ended' | 'done' }[] }[];
}

function SeasonsPage(v: SeasonListView) {
  const { ctx } = v;
  const { t } = ctx;
  const title = t('season.staff.title');
  return (
    <Layout
      ctx={ctx}
      title={title}
      section="staff"
      breadcrumbs={[
        { href: '/staff', label: t('staff.breadcrumb') },
        { href: STAFF_BOOKINGS, label: t('booking.staff.title') },
      ]}
    >
      <Heading>{title}</Heading>
      <Paragraph>{t('season.staff.intro')}</Paragraph>
      {v.services.map((s) => (
        <section aria-labelledby={`s-${s.id}`} key={s.id}>
          <Heading level={2} size="sm">
            <span id={`s-${s.id}`}>{s.title}</span>
          </Heading>
          {!s.seasons.length ? (
            <Paragraph>{t('season.staff.none')}</Paragraph>
          ) : (
            <table class="ds-table">
              <caption class="mb-visually-hidden">{t('season.staff.seasons')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('season.staff.col.season')}</th>
                  <th scope="col">{t('season.staff.col.applyBy')}</th>
                  <th scope="col">{t('season.staff.col.applications')}</th>
                  <th scope="col">{t('season.staff.col.state')}</th>
                </tr>
              </thead>
              <tbody>
                {s.seasons.map((x) => (
                  <tr key={x.id}>
                    <th scope="row">
                      <a class="ds-link" href={`${STAFF_SEASONS}/${encodeURIComponent(s.id)}/${encodeURIComponent(x.id)}`}>
                        {x.label}
                      </a>
                    </th>
                    <td>{x.applyBy}</td>
                    <td>{x.applications}</td>
                    <td>{t(`season.staff.state.${x.state}`)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </Layout>
  );
}

/** The allocation's e-mail lines for one application: each weekly time and what it got. */
function mailLines(allocatedOf: ReadonlyMap<string, Allocated>, requests: readonly SeasonRequest[], names: ReadonlyMap<string, string>, l: Locale): string {
  const t = (key: string, params: Record<string, string>) => translate(l, key, params);
  return requests
    .map((r) => {
      const time = t('season.time', { weekday: t(`weekday.${r.weekday}`, {}), from: r.from, to: r.to });
      const resource = names.get(r.resource) ?? r.resource;
      const got = allocatedOf.get(r.id);
      if (!got) return `- ${t('season.mail.refused', { time, resource })}`;
      const skipped = got.skipped.length ? t('season.mail.skipped', { dates: shortDates(got.skipped.map((s) => s.date), l) }) : '';
      return `- ${t('season.mail.given', { time, resource, count: String(got.bookings), skipped })}`;
    })
    .join('\n');
}

export async function seasonStaffPlugin(app: FastifyInstance): Promise<void> {
  const handled = (req: FastifyRequest, staff: StaffMember) => app.catalogue.services(req.tenant.id).filter((d): d is Seasonal => seasonal(d) && mayHandle(staff, d));
  const today = () => localDate(app.clock.now());

  function seasonOf(req: FastifyRequest, staff: StaffMember): { def: Seasonal; season: Season; resources: Resource[] } {
    const { serviceId, seasonId } = req.params as { serviceId: string; seasonId: string };
    const def = handled(req, staff).find((d) => d.id === serviceId);
    const season = def ? seasonById(def.booking.season, seasonId) : undefined;
    if (!def || !season) throw new AppError('NOT_FOUND');
    return { def, season, resources: resourcesOf(app.catalogue, req.tenant.id, def) };
  }

  app.get(STAFF_SEASONS, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const services = handled(req, staff);
    if (!services.length) throw new AppError('FORBIDDEN');
    const { rows } = await req.tdb.query<{ service_id: string; season_id: string; n: string; allocated: boolean }>(
      `SELECT r.service_id, r.season_id, count(DISTINCT r.case_id) AS n, bool_or(s.allocated_at IS NOT NULL) AS allocated
         FROM season_requests r LEFT JOIN booking_seasons s ON s.tenant_id = r.tenant_id AND s.service_id = r.service_id AND s.season_id = r.season_id
        WHERE r.tenant_id = $1 AND r.service_id = ANY($2::text[]) AND r.case_id IS NOT NULL GROUP BY r.service_id, r.season_id`,
      [services.map((s) => s.id)],
    );
    const now = today();
    return reply.page(
      <SeasonsPage
        ctx={req.viewContext()}
        services={services.map((s) => ({
          id: s.id,
          title: pick(s.title, req.locale),
          seasons: staffSeasons(s.booking.season, now).map((x) => {
            const row = rows.find((r) => r.service_id === s.id && r.season_id === x.id);
            return { id: x.id, label: pick(seasonLabel(x), req.locale), applyBy: formatDate(x.applyBy, req.locale), applications: Number(row?.n ?? 0), state: row?.allocated ? 'done' : x.applyBy >= now ? 'open' : 'ended' };
          }),
        }))}
      />,
    );
  });

  async function schedulePage(req: FastifyRequest, reply: FastifyReply, staff: StaffMember, opts: { errors?: FieldError[]; status?: number } = {}): Promise<FastifyReply> {
    const { def, season, resources } = seasonOf(req, staff);
    const allocation = await allocationOf(req.tdb, def.id, season.id);
    const requests = (await requestsOf(req.tdb, def, season.id, { openOnly: !allocation })).filter((r) => resources.some((x) => x.id === r.resource));
    const byId = new Map(resources.map((r) => [r.id, r]));
    const proposal = propose(requests, (id) => byId.get(id)?.rules.bufferMinutes ?? 0);
    const applicants = await applicantsOf(req.tdb, [...new Set(requests.map((r) => r.caseId))]);
    const ctx = req.viewContext();
    const now = app.clock.now();
    /**
     * The weeks each of a resource's requested times could be booked now — closed days and weeks
     * something already holds named — read for all of them in one query.
     */
    const weeksOf = async (resource: Resource, mine: readonly SeasonRequest[]) => {
      const perRequest = mine.map((r) => datesAhead(resource, season, r, now));
      const spans = perRequest.flatMap((dates) => dates.filter((d) => d.span).map((d) => d.span!));
      const held = await heldAmong(req.tdb, resource.id, spans, now);
      const out = new Map<string, { total: number; free: number; taken: string[]; closed: string[] }>();
      let n = 0;
      mine.forEach((r, i) => {
        const dates = perRequest[i]!;
        const taken: string[] = [];
        let free = 0;
        for (const d of dates) {
          if (!d.span) continue;
          if (held.has(n++)) taken.push(d.date);
          else free++;
        }
        out.set(r.id, { total: dates.length, free, taken, closed: dates.filter((d) => !d.span).map((d) => d.date) });
      });
      return out;
    };
    const rowOf = (r: SeasonRequest, w: { total: number; free: number; taken: string[]; closed: string[] } | undefined): RowView => {
      const p = proposal.get(r.id)!;
      const a = applicants.get(r.caseId);
      const other = p.by ? requests.find((x) => x.id === p.by) : undefined;
      let weeks: string;
      let weeksNote = '';
      if (allocation || !w) weeks = String(r.booked ?? 0);
      else {
        weeks = ctx.t('season.staff.weeks', { booked: String(w.free), total: String(w.total) });
        weeksNote = [w.taken.length ? ctx.t('season.staff.weeksTaken', { dates: shortDates(w.taken, req.locale) }) : '', w.closed.length ? ctx.t('season.staff.weeksClosed', { dates: shortDates(w.closed, req.locale) }) : ''].filter(Boolean).join('; ');
      }
      return {
        id: r.id,
        time: weeklyTimeText(r, ctx),
        association: a?.name ?? r.caseId,
        reference: a?.reference ?? r.caseId,
        caseHref: `/staff/cases/${r.caseId}`,
        priority: priorityLabel(def, r.priority, req.locale),
        applied: formatDate(r.submittedAt, req.locale, true),
        proposal: p,
        by: other ? ctx.t('season.staff.proposal.by', { reference: applicants.get(other.caseId)?.reference ?? '', time: weeklyTimeText(other, ctx) }) : undefined,
        weeks,
        weeksNote,
        decision: r.decision,
        outcome: r.outcome,
      };
    };
    const groups: ScheduleView['groups'] = [];
    for (const resource of resources) {
      const mine = requests.filter((r) => r.resource === resource.id).sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
      if (!mine.length) continue;
      const weeks = allocation ? undefined : await weeksOf(resource, mine);
      groups.push({ resource: resource.area ? `${resource.name} (${resource.area})` : resource.name, rows: mine.map((r) => rowOf(r, weeks?.get(r.id))) });
    }
    const states = [...proposal.values()];
    const done = (req.query as { done?: string }).done;
    const notice: Notice | undefined = done === 'saved' ? { text: ctx.t('season.staff.saved', { count: String(Number((req.query as { n?: string }).n) || 0) }) } : done === 'made' ? { text: ctx.t('season.staff.state.done') } : undefined;
    return reply.page(
      <SchedulePage
        ctx={ctx}
        service={{ id: def.id, title: pick(def.title, req.locale) }}
        season={season}
        groups={groups}
        counts={{
          applications: applicants.size,
          requests: requests.length,
          granted: allocation ? requests.filter((r) => r.outcome === 'given').length : states.filter((s) => s.state === 'given').length,
          refused: allocation ? requests.filter((r) => r.outcome === 'refused').length : states.filter((s) => s.state === 'refused').length,
          conflicts: allocation ? 0 : states.filter((s) => s.state === 'conflict').length,
        }}
        open={season.applyBy >= today()}
        allocated={allocation ? { at: allocation.allocatedAt, summary: allocation.summary } : undefined}
        errors={opts.errors ?? []}
        notice={notice}
      />,
      opts.status ?? 200,
    );
  }

  app.get(`${STAFF_SEASONS}/:serviceId/:seasonId`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    return schedulePage(req, reply, staff);
  });

  app.post(`${STAFF_SEASONS}/:serviceId/:seasonId/decisions`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const { def, season } = seasonOf(req, staff);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const decisions = new Map<string, 'given' | 'refused' | null>();
    for (const [key, value] of Object.entries(body)) {
      const m = /^d-([0-9a-f-]{36})$/.exec(key);
      if (!m || typeof value !== 'string') continue;
      if (value !== 'auto' && value !== 'given' && value !== 'refused') throw new AppError('BAD_REQUEST');
      decisions.set(m[1]!, value === 'auto' ? null : value);
    }
    if (decisions.size > 5000) throw new AppError('BAD_REQUEST');
    let changed: number;
    try {
      changed = await req.tdb.transaction((tx) => decide(tx, def.id, season.id, decisions, staff.id, app.clock.now()));
    } catch (e) {
      if (!(e instanceof SeasonAllocatedError)) throw e;
      return schedulePage(req, reply, staff, { errors: [{ field: 'allocate-h', message: req.t('season.staff.error.allocated') }], status: 409 });
    }
    return reply.redirect(`${STAFF_SEASONS}/${encodeURIComponent(def.id)}/${encodeURIComponent(season.id)}?done=saved&n=${changed}`, 303);
  });

  app.post(`${STAFF_SEASONS}/:serviceId/:seasonId/allocate`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const { def, season, resources } = seasonOf(req, staff);
    const href = `${STAFF_SEASONS}/${encodeURIComponent(def.id)}/${encodeURIComponent(season.id)}`;
    if (season.applyBy >= today()) return schedulePage(req, reply, staff, { errors: [{ field: 'allocate-h', message: req.t('season.staff.error.notYet') }], status: 409 });
    if ((req.body as { reviewed?: unknown } | undefined)?.reviewed !== 'yes') return schedulePage(req, reply, staff, { errors: [{ field: 'f-confirm', message: req.t('season.staff.error.confirm') }], status: 400 });
    const now = app.clock.now();
    const siteUrl = `${req.protocol}://${req.host}`;
    const names = new Map(resources.map((r) => [r.id, r.name]));
    try {
      await bookingTransaction(req.tdb, async (tx) => {
        const { requests, allocated } = await allocate(tx, { def, season, resources, staffId: staff.id, now });
        const allocatedOf = new Map(allocated.map((x) => [x.request.id, x]));
        for (const caseId of [...new Set(requests.map((r) => r.caseId))]) {
          const own = requests.filter((r) => r.caseId === caseId).sort((a, b) => a.rank - b.rank);
          const granted = own.filter((r) => allocatedOf.has(r.id));
          const bookings = granted.reduce((n, r) => n + allocatedOf.get(r.id)!.bookings, 0);
          await changeCaseIn(tx, caseId, now, async (current) => {
            if (def.workflow.states.find((s) => s.id === current.status)?.final) return { journal: [] };
            const to = granted.length ? def.booking.season.allocatedState : def.booking.season.refusedState;
            const notify = await applicantNotify(tx, def, current, siteUrl);
            const l = current.locale;
            const mail = notify.email
              ? [
                  {
                    kind: 'email' as const,
                    payload: caseMail(current, def, l, {
                      to: notify.email,
                      subject: translate(l, 'season.mail.subject', { reference: current.reference }),
                      text: translate(l, 'season.mail.body', { season: pick(seasonLabel(season), l), lines: mailLines(allocatedOf, own, names, l), url: `${notify.siteUrl}/my/cases/${current.id}` }),
                    }),
                  },
                ]
              : [];
            return {
              journal: [
                { kind: 'season_allocated', actorKind: 'staff', actorId: staff.id, payload: { season: season.id, granted: granted.length, refused: own.length - granted.length, bookings } },
                ...(current.status !== to ? [{ kind: 'status_changed' as const, actorKind: 'staff' as const, actorId: staff.id, payload: { from: current.status, to } }] : []),
              ],
              ...(current.status !== to ? { patch: { status: to } } : {}),
              outbox: mail,
            };
          });
        }
        await recordAudit(tx, { staffId: staff.id, requestId: req.id, action: 'booking.season.allocate', objectType: 'booking_season', objectId: `${def.id}/${season.id}` }, now);
      });
    } catch (e) {
      if (e instanceof SeasonAllocatedError) return schedulePage(req, reply, staff, { errors: [{ field: 'allocate-h', message: req.t('season.staff.error.allocated') }], status: 409 });
      if (e instanceof SeasonConflictError) return schedulePage(req, reply, staff, { errors: [{ field: `r-${e.requestIds[0]}`, message: req.t('season.staff.error.conflicts') }], status: 409 });
      throw e;
    }
    return reply.redirect(`${href}?done=made`, 303);
  });
}
