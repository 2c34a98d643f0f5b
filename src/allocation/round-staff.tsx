/**
 * Allocation rounds over HTTP (ADR 0044), for every service with `allocation:`:
 *
 * - `/staff/allocation`: the services the member of staff may handle (policy's canHandleCase) and
 *   their rounds; a round is opened per service, one at a time;
 * - a round's page: while open, the applications it would take with their choices and priority per
 *   school (worked out live); the freeze; once frozen, the inputs' hash and seed and the preview —
 *   each choice's admitted count and last admitted, and the applications placed nowhere — run on the
 *   frozen snapshot; the publication; once published, the result and its hash;
 * - `/allocation/rounds/<id>`: the public page of a round: the inputs' hash and the seed once frozen,
 *   the result's hash once published, and counts — no personal data.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../audit/index.ts';
import { requireStaff, type StaffMember, type StaffHomeSection } from '../identity/staff/index.ts';
import { canHandleService, staffPrincipal } from '../policy/index.ts';
import { AppError } from '../kernel/errors.ts';
import { Layout } from '../kernel/html/layout.tsx';
import type { ViewContext } from '../kernel/html/context.ts';
import { Alert, Button, CsrfField, ErrorSummary, Heading, Paragraph, SummaryList, Tag, type FieldError } from '../kernel/html/components.tsx';
import { NoticeBanner, noticeTitle, type Notice } from '../kernel/html/notice.tsx';
import { formatDate, pick, type Locale, type Translate } from '../kernel/i18n/index.ts';
import { formatNumber } from '../kernel/i18n/numbers.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { stockholmToday } from '../forms/dates.ts';
import type { ServiceDefinition } from '../catalogue/index.ts';
import type { AllocationResult } from './engine.ts';
import { applicationsOf, getRound, insertRound, roundsOf, type Round } from './rounds.repository.ts';
import { allocated, buildSnapshot, freezeRound, NoApplicationsError, publishRound, readFrozen, runSnapshot, RoundStateError, schoolsOf, type AllocatedService, type Snapshot } from './rounds.ts';
import './round-messages.ts';

export const STAFF_ALLOCATION = '/staff/allocation';
export const PUBLIC_ROUNDS = '/allocation/rounds';

const mayHandle = (staff: StaffMember, def: ServiceDefinition) => canHandleService(staffPrincipal(staff), def);

/** A priority group as read: its label, or the engine's "other applicants". */
const groupText = (s: Pick<Snapshot, 'groups'>, group: number, ctx: ViewContext) => {
  const g = s.groups[group];
  return g ? pick(g.label, ctx.locale) : ctx.t('allocation.group.rest');
};

function cutoffText(s: Snapshot, c: { group: number; merit: number; lottery: number } | null, ctx: ViewContext): string {
  if (!c) return ctx.t('allocation.cutoff.none');
  const vars = { group: groupText(s, c.group, ctx), merit: formatNumber(c.merit, ctx.locale), lottery: String(c.lottery + 1) };
  return ctx.t(s.merit ? 'allocation.cutoffMerit' : 'allocation.cutoff', vars);
}

/** The staff home's link, for those who handle a service with rounds. */
export const allocationHomeSection: StaffHomeSection = async (req, staff) => {
  const services = req.server.catalogue.services(req.tenant.id).filter((d) => allocated(d) && mayHandle(staff, d));
  if (!services.length) return null;
  return (
    <section aria-labelledby="staff-allocation">
      <h2 class="ds-heading" data-size="sm" id="staff-allocation">
        {req.t('allocation.staff.title')}
      </h2>
      <p>
        <a class="ds-link" href={STAFF_ALLOCATION}>
          {req.t('allocation.staff.homeLink')}
        </a>
      </p>
    </section>
  );
};

interface ListView {
  ctx: ViewContext;
  services: { id: string; title: string; rounds: Round[] }[];
  errors: FieldError[];
}

function RoundsPage(v: ListView) {
  const { ctx } = v;
  const { t, locale } = ctx;
  const title = t('allocation.staff.title');
  return (
    <Layout ctx={ctx} title={`${v.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title}`} section="staff" breadcrumbs={[{ href: '/staff', label: t('staff.breadcrumb') }]}>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />
      <Heading>{title}</Heading>
      <Paragraph>{t('allocation.staff.intro')}</Paragraph>
      {v.services.map((s) => (
        <section aria-labelledby={`s-${s.id}`} key={s.id}>
          <Heading level={2} size="sm">
            <span id={`s-${s.id}`}>{t('allocation.staff.rounds', { service: s.title })}</span>
          </Heading>
          {!s.rounds.length ? (
            <Paragraph>{t('allocation.staff.noRounds')}</Paragraph>
          ) : (
            <table class="ds-table">
              <caption class="mb-visually-hidden">{t('allocation.staff.rounds', { service: s.title })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('allocation.staff.col.opened')}</th>
                  <th scope="col">{t('allocation.staff.col.state')}</th>
                  <th scope="col">{t('allocation.staff.col.applications')}</th>
                </tr>
              </thead>
              <tbody>
                {s.rounds.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <a class="ds-link" href={`${STAFF_ALLOCATION}/rounds/${r.id}`}>
                        {formatDate(r.openedAt, locale, true)}
                      </a>
                    </th>
                    <td>{t(`allocation.state.${r.status}`)}</td>
                    <td>{r.applications ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {!s.rounds.some((r) => r.status !== 'published') && (
            <form method="post" action={`${STAFF_ALLOCATION}/${encodeURIComponent(s.id)}/rounds`}>
              <CsrfField token={ctx.csrfToken} />
              <Button variant="secondary">
                {t('allocation.staff.open')}
                <span class="mb-visually-hidden"> {t('allocation.staff.openFor', { service: s.title })}</span>
              </Button>
            </form>
          )}
        </section>
      ))}
    </Layout>
  );
}

interface RoundView {
  ctx: ViewContext;
  round: Round;
  service: { id: string; title: string; fromStates: string };
  /** While open: the applications it would take. */
  live?: Snapshot | undefined;
  /** Once frozen: the frozen inputs and the run over them. */
  frozen?: { snapshot: Snapshot; result: AllocationResult } | undefined;
  errors: FieldError[];
  notice?: Notice | undefined;
}

/** A frozen round's published facts: when, how many, the inputs' hash and the seed, and once published the result's hash. */
function roundFacts(round: Round, t: Translate, locale: Locale) {
  return [
    { key: t('allocation.round.frozenAt'), value: round.frozenAt ? formatDate(round.frozenAt, locale, true) : '' },
    { key: t('allocation.public.applications'), value: String(round.applications ?? 0) },
    { key: t('allocation.round.inputsHash'), value: <code class="mb-hash">{round.inputsHash}</code> },
    { key: t('allocation.round.seed'), value: <code class="mb-hash">{round.seed}</code> },
    ...(round.resultHash
      ? [
          { key: t('allocation.round.publishedAt'), value: round.publishedAt ? formatDate(round.publishedAt, locale, true) : '' },
          { key: t('allocation.round.resultHash'), value: <code class="mb-hash">{round.resultHash}</code> },
        ]
      : []),
  ];
}

function ConfirmForm(p: { ctx: ViewContext; action: string; id: string; label: string; hint: string; button: string; error?: string | undefined }) {
  return (
    <form method="post" action={p.action} novalidate>
      <CsrfField token={p.ctx.csrfToken} />
      <Paragraph>{p.hint}</Paragraph>
      <div class="ds-field mb-field">
        {p.error && (
          <p class="ds-validation-message" data-field="validation" id={`${p.id}-error`}>
            {p.error}
          </p>
        )}
        <input class="ds-input" type="checkbox" id={p.id} name="reviewed" value="yes" aria-describedby={p.error ? `${p.id}-error` : undefined} />
        <label class="ds-label" for={p.id}>
          {p.label}
        </label>
      </div>
      <Button>{p.button}</Button>
    </form>
  );
}

function ResultTables({ ctx, snapshot, result }: { ctx: ViewContext; snapshot: Snapshot; result: AllocationResult }) {
  const { t } = ctx;
  const names = new Map(snapshot.schools.map((s) => [s.id, s.name]));
  const unplaced = result.children.filter((c) => c.school === null);
  const refs = new Map(snapshot.children.map((c) => [c.id, c.reference]));
  return (
    <>
      <Paragraph>{t('allocation.round.counts', { applications: String(result.children.length), placed: String(result.children.length - unplaced.length), none: String(unplaced.length) })}</Paragraph>
      <div class="mb-table-wrap" role="region" aria-labelledby="schools-caption" tabIndex={0}>
        <table class="ds-table">
          <caption id="schools-caption">{t('allocation.round.schoolsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('allocation.col.school')}</th>
              <th scope="col">{t('allocation.col.capacity')}</th>
              <th scope="col">{t('allocation.col.admitted')}</th>
              <th scope="col">{t('allocation.col.cutoff')}</th>
            </tr>
          </thead>
          <tbody>
            {result.schools.map((s) => (
              <tr key={s.id}>
                <th scope="row">{names.get(s.id) ?? s.id}</th>
                <td>{s.capacity}</td>
                <td>{s.admitted}</td>
                <td>{cutoffText(snapshot, s.cutoff, ctx)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Heading level={3} size="xs">
        {t('allocation.round.unplaced')}
      </Heading>
      {!unplaced.length ? (
        <Paragraph>{t('allocation.round.unplacedNone')}</Paragraph>
      ) : (
        <ul class="ds-list">
          {unplaced.map((c) => (
            <li key={c.id}>
              <a class="ds-link" href={`/staff/cases/${c.id}`}>
                {refs.get(c.id) ?? c.id}
              </a>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function RoundPage(v: RoundView) {
  const { ctx, round } = v;
  const { t, locale } = ctx;
  const title = t('allocation.round.title', { service: v.service.title, date: formatDate(round.openedAt, locale) });
  const base = `${STAFF_ALLOCATION}/rounds/${round.id}`;
  const errorOf = (field: string) => v.errors.find((e) => e.field === field)?.message;
  return (
    <Layout
      ctx={ctx}
      title={noticeTitle(`${v.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title}`, v.notice)}
      section="staff"
      breadcrumbs={[
        { href: '/staff', label: t('staff.breadcrumb') },
        { href: STAFF_ALLOCATION, label: t('allocation.staff.title') },
      ]}
    >
      <NoticeBanner notice={v.notice} />
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />
      <Heading>{title}</Heading>
      <p>
        <Tag color={round.status === 'published' ? 'success' : round.status === 'frozen' ? 'warning' : 'info'}>{t(`allocation.state.${round.status}`)}</Tag>
      </p>
      {round.status !== 'open' && (
        <section aria-labelledby="inputs-h" class="mb-panel">
          <Heading level={2} size="sm">
            <span id="inputs-h">{t('allocation.round.inputs')}</span>
          </Heading>
          <SummaryList
            rows={roundFacts(round, t, locale)}
          />
          <p>
            <a class="ds-link" href={`${PUBLIC_ROUNDS}/${round.id}`}>
              {t('allocation.round.publicPage')}
            </a>
          </p>
        </section>
      )}
      {v.live && (
        <>
          <Heading level={2} size="sm">
            {t('allocation.round.takes', { count: String(v.live.children.length) })}
          </Heading>
          <Paragraph>{t('allocation.round.takesHint', { states: v.service.fromStates })}</Paragraph>
          {v.live.children.length > 0 && (
            <div class="mb-table-wrap" role="region" aria-labelledby="apps-caption" tabIndex={0}>
              <table class="ds-table">
                <caption id="apps-caption">{t('allocation.round.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('allocation.col.reference')}</th>
                    <th scope="col">{t('allocation.col.choices')}</th>
                    {v.live.merit && <th scope="col">{t('allocation.col.merit')}</th>}
                  </tr>
                </thead>
                <tbody>
                  {v.live.children.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        <a class="ds-link" href={`/staff/cases/${c.id}`}>
                          {c.reference}
                        </a>
                      </th>
                      <td>
                        <ol class="mb-choices">
                          {c.choices.map((x) => (
                            <li key={x.school}>{`${v.live!.schools.find((s) => s.id === x.school)?.name ?? x.school} (${groupText(v.live!, x.group, ctx)})`}</li>
                          ))}
                        </ol>
                      </td>
                      {v.live!.merit && <td>{formatNumber(c.choices[0]?.merit ?? 0, locale)}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <section aria-labelledby="freeze-h" class="mb-panel">
            <Heading level={2} size="sm">
              <span id="freeze-h">{t('allocation.round.freeze')}</span>
            </Heading>
            <ConfirmForm ctx={ctx} action={`${base}/freeze`} id="f-confirm" label={t('allocation.round.confirmFreeze')} hint={t('allocation.round.freezeHint')} button={t('allocation.round.freeze')} error={errorOf('f-confirm')} />
          </section>
        </>
      )}
      {v.frozen && (
        <section aria-labelledby="result-h">
          <Heading level={2} size="sm">
            <span id="result-h">{t(round.status === 'published' ? 'allocation.round.result' : 'allocation.round.preview')}</span>
          </Heading>
          {round.status === 'frozen' && <Paragraph>{t('allocation.round.previewHint')}</Paragraph>}
          {round.summary && round.summary.skipped > 0 && <Alert kind="info">{t('allocation.round.skipped', { count: String(round.summary.skipped) })}</Alert>}
          <ResultTables ctx={ctx} snapshot={v.frozen.snapshot} result={v.frozen.result} />
        </section>
      )}
      {round.status === 'frozen' && (
        <section aria-labelledby="publish-h" class="mb-panel">
          <Heading level={2} size="sm">
            <span id="publish-h">{t('allocation.round.publish')}</span>
          </Heading>
          <ConfirmForm ctx={ctx} action={`${base}/publish`} id="p-confirm" label={t('allocation.round.confirmPublish')} hint={t('allocation.round.publishHint')} button={t('allocation.round.publish')} error={errorOf('p-confirm')} />
        </section>
      )}
    </Layout>
  );
}

function PublicRoundPage({ ctx, round, service }: { ctx: ViewContext; round: Round; service: string }) {
  const { t, locale } = ctx;
  const title = t('allocation.public.title', { service });
  return (
    <Layout ctx={ctx} title={title}>
      <Heading>{title}</Heading>
      <Paragraph>{t('allocation.public.intro')}</Paragraph>
      {round.status === 'open' ? (
        <Paragraph>{t('allocation.public.notFrozen')}</Paragraph>
      ) : (
        <SummaryList
          rows={[{ key: t('allocation.staff.col.state'), value: t(`allocation.state.${round.status}`) }, ...roundFacts(round, t, locale)]}
        />
      )}
    </Layout>
  );
}

const stateNames = (def: AllocatedService, locale: Locale) =>
  def.allocation.from.map((id) => def.workflow.states.find((s) => s.id === id)).map((s) => (s ? pick(s.staffLabel ?? s.label, locale) : '')).join(', ');

export async function allocationRoundsPlugin(app: FastifyInstance): Promise<void> {
  const handled = (req: FastifyRequest, staff: StaffMember) => app.catalogue.services(req.tenant.id).filter((d): d is AllocatedService => allocated(d) && mayHandle(staff, d));

  async function listPage(req: FastifyRequest, reply: FastifyReply, staff: StaffMember, opts: { errors?: FieldError[]; status?: number } = {}) {
    const services = handled(req, staff);
    if (!services.length) throw new AppError('FORBIDDEN');
    const rounds = await roundsOf(req.tdb, services.map((s) => s.id));
    return reply.page(
      <RoundsPage ctx={req.viewContext()} services={services.map((s) => ({ id: s.id, title: pick(s.title, req.locale), rounds: rounds.filter((r) => r.serviceId === s.id) }))} errors={opts.errors ?? []} />,
      opts.status ?? 200,
    );
  }

  /** The round a request names, if its service is one the member of staff handles; otherwise not found, as another department's case is. */
  async function roundOf(req: FastifyRequest, staff: StaffMember): Promise<{ round: Round; def: AllocatedService }> {
    const round = await getRound(req.tdb, (req.params as { roundId: string }).roundId);
    const def = round ? handled(req, staff).find((d) => d.id === round.serviceId) : undefined;
    if (!round || !def) throw new AppError('NOT_FOUND');
    return { round, def };
  }

  async function roundPage(req: FastifyRequest, reply: FastifyReply, staff: StaffMember, opts: { errors?: FieldError[]; status?: number } = {}) {
    const { round, def } = await roundOf(req, staff);
    const ctx = req.viewContext();
    let live: Snapshot | undefined;
    let frozen: RoundView['frozen'];
    if (round.status === 'open') {
      const apps = await applicationsOf(req.tdb, def.id, def.allocation.from);
      live = buildSnapshot(def, schoolsOf(app.catalogue, req.tenant.id, def), apps, { tenant: req.tenant.id, round: round.id }, stockholmToday(app.clock.now()));
    } else {
      const f = await readFrozen(req.tdb, round.id);
      if (f) frozen = { snapshot: f.snapshot, result: runSnapshot(f.snapshot, f.seed) };
    }
    const done = (req.query as { done?: string }).done;
    const notice: Notice | undefined = done === 'opened' || done === 'frozen' || done === 'published' ? { text: ctx.t(`allocation.round.${done}`) } : undefined;
    return reply.page(
      <RoundPage ctx={ctx} round={round} service={{ id: def.id, title: pick(def.title, req.locale), fromStates: stateNames(def, req.locale) }} live={live} frozen={frozen} errors={opts.errors ?? []} notice={notice} />,
      opts.status ?? 200,
    );
  }

  app.get(STAFF_ALLOCATION, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    return listPage(req, reply, staff);
  });

  app.post(`${STAFF_ALLOCATION}/:serviceId/rounds`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const def = handled(req, staff).find((d) => d.id === (req.params as { serviceId: string }).serviceId);
    if (!def) throw new AppError('NOT_FOUND');
    const now = app.clock.now();
    const round = await req.tdb.transaction(async (tx) => {
      const made = await insertRound(tx, { id: uuidv7(now.getTime()), serviceId: def.id, staffId: staff.id, now });
      if (made) await recordAudit(tx, { staffId: staff.id, requestId: req.id, action: 'allocation.round.open', objectType: 'allocation_round', objectId: made.id }, now);
      return made;
    });
    if (!round) return listPage(req, reply, staff, { errors: [{ field: `s-${def.id}`, message: req.t('allocation.staff.openExists') }], status: 409 });
    return reply.redirect(`${STAFF_ALLOCATION}/rounds/${round.id}?done=opened`, 303);
  });

  app.get(`${STAFF_ALLOCATION}/rounds/:roundId`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    return roundPage(req, reply, staff);
  });

  app.post(`${STAFF_ALLOCATION}/rounds/:roundId/freeze`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const { round, def } = await roundOf(req, staff);
    if ((req.body as { reviewed?: unknown } | undefined)?.reviewed !== 'yes') return roundPage(req, reply, staff, { errors: [{ field: 'f-confirm', message: req.t('allocation.error.confirmFreeze') }], status: 400 });
    const now = app.clock.now();
    try {
      await req.tdb.transaction(async (tx) => {
        await freezeRound(tx, { roundId: round.id, def, entries: schoolsOf(app.catalogue, req.tenant.id, def), staffId: staff.id, now, today: stockholmToday(now) });
        await recordAudit(tx, { staffId: staff.id, requestId: req.id, action: 'allocation.round.freeze', objectType: 'allocation_round', objectId: round.id }, now);
      });
    } catch (e) {
      if (e instanceof RoundStateError) return roundPage(req, reply, staff, { errors: [{ field: 'inputs-h', message: req.t('allocation.error.notOpen') }], status: 409 });
      if (e instanceof NoApplicationsError) return roundPage(req, reply, staff, { errors: [{ field: 'freeze-h', message: req.t('allocation.error.noApplications') }], status: 409 });
      throw e;
    }
    return reply.redirect(`${STAFF_ALLOCATION}/rounds/${round.id}?done=frozen`, 303);
  });

  app.post(`${STAFF_ALLOCATION}/rounds/:roundId/publish`, async (req, reply) => {
    const staff = await requireStaff(req, reply);
    if (!staff) return reply;
    const { round, def } = await roundOf(req, staff);
    if (round.status === 'open' || round.status === 'published') return roundPage(req, reply, staff, { errors: [{ field: 'result-h', message: req.t('allocation.error.notFrozen') }], status: 409 });
    if ((req.body as { reviewed?: unknown } | undefined)?.reviewed !== 'yes') return roundPage(req, reply, staff, { errors: [{ field: 'p-confirm', message: req.t('allocation.error.confirmPublish') }], status: 400 });
    const now = app.clock.now();
    try {
      await req.tdb.transaction(async (tx) => {
        await publishRound(tx, { roundId: round.id, def, staffId: staff.id, now, siteUrl: `${req.protocol}://${req.host}` });
        await recordAudit(tx, { staffId: staff.id, requestId: req.id, action: 'allocation.round.publish', objectType: 'allocation_round', objectId: round.id }, now);
      });
    } catch (e) {
      if (e instanceof RoundStateError) return roundPage(req, reply, staff, { errors: [{ field: 'result-h', message: req.t('allocation.error.notFrozen') }], status: 409 });
      throw e;
    }
    return reply.redirect(`${STAFF_ALLOCATION}/rounds/${round.id}?done=published`, 303);
  });

  // The public page: hashes and seed, never a name or a case.
  app.get(`${PUBLIC_ROUNDS}/:roundId`, async (req, reply) => {
    const round = await getRound(req.tdb, (req.params as { roundId: string }).roundId);
    const def = round ? app.catalogue.service(req.tenant.id, round.serviceId) : undefined;
    if (!round || !def) throw new AppError('NOT_FOUND');
    return reply.page(<PublicRoundPage ctx={req.viewContext()} round={round} service={pick(def.title, req.locale)} />);
  });
}
