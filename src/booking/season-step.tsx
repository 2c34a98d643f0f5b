/**
 * "Which times do you want each week?": the seasonal allocation's step in front of a seasonal
 * service's questions (ADR 0041). The association picks the season (when more than one is open) and
 * adds weekly times one at a time — a facility, a weekday, from and to — each checked against the
 * facility's opening hours that weekday and the application's own other times; the list is kept
 * with the draft as it grows (nothing is lost when the session ends) and is chosen when the person
 * continues. The submission writes the times for the season's allocation; nothing is booked yet.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SeasonSpec, ServiceDefinition, Weekday } from '../catalogue/types.ts';
import { entryName } from '../catalogue/entry-name.ts';
import { ChoiceLostError, type ChoiceStep, type StepDraft } from '../forms/index.tsx';
import { formatDate, pick } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Alert, Button, ChoiceGroup, CsrfField, ErrorSummary, Heading, LegendHeading, Select, SummaryList, TextField, type FieldError } from '../kernel/html/components.tsx';
import { customerTypeOf } from './prices.ts';
import { resourcesOf, type Resource } from './resources.ts';
import { attachRequestsToCase, insertRequests, minutesOf, openSeasons, requestsOfCase, seasonById, seasonLabel, weeklyTimeProblem, type Season, type WeeklyTime } from './seasons.ts';
import { localDate, readTime, WEEKDAYS } from './time.ts';
import './season-messages.ts';

export const SEASON_STEP_PATH = 'weekly-times';

const DEFAULT_MAX_TIMES = 10;
const DEFAULT_MAX_MINUTES = 240;

/** What a seasonal application's draft keeps: the season, its weekly times so far, and whether the person has gone on. */
export interface ChosenSeason {
  season: string;
  times: WeeklyTime[];
  done: boolean;
}

export function chosenSeasonOf(chosen: Record<string, unknown> | undefined): ChosenSeason | undefined {
  if (!chosen || typeof chosen.season !== 'string' || !Array.isArray(chosen.times)) return undefined;
  const times = chosen.times.filter(
    (t): t is WeeklyTime => !!t && typeof t === 'object' && typeof t.resource === 'string' && WEEKDAYS.includes(t.weekday) && typeof t.from === 'string' && typeof t.to === 'string',
  );
  return { season: chosen.season, times, done: chosen.done === true };
}

export const seasonal = (def: Pick<ServiceDefinition, 'engines' | 'booking'>): def is ServiceDefinition & { booking: { season: SeasonSpec } } => def.engines.includes('book') && !!def.booking?.season;

const maxTimesOf = (spec: SeasonSpec) => spec.maxTimes ?? DEFAULT_MAX_TIMES;
const maxMinutesOf = (spec: SeasonSpec) => spec.maxMinutes ?? DEFAULT_MAX_MINUTES;
/** A weekly time's resource by name in the page's language, or its id when the register no longer has it. */
const nameOf = (r: Resource | undefined, id: string, locale: 'sv' | 'en') => (r ? entryName(r, locale) : id);

/** "tisdagar 18:00–19:30". */
export function weeklyTimeText(t: Pick<WeeklyTime, 'weekday' | 'from' | 'to'>, ctx: Pick<ViewContext, 't'>): string {
  return ctx.t('season.time', { weekday: ctx.t(`weekday.${t.weekday}`), from: t.from, to: t.to });
}

/** A resource's opening hours on a weekday, as text ("16:00–22:00"), or that it is closed. */
function hoursText(resource: Resource, weekday: Weekday): string {
  return (resource.rules.opening[weekday] ?? []).map(([a, b]) => `${a}–${b}`).join(', ');
}

/** The season's dates and last day to apply, as a sentence. */
export function seasonFact(s: Season, ctx: Pick<ViewContext, 't' | 'locale'>): string {
  return ctx.t('season.step.seasonFact', { season: pick(seasonLabel(s), ctx.locale), from: formatDate(s.from, ctx.locale), to: formatDate(s.to, ctx.locale), applyBy: formatDate(s.applyBy, ctx.locale) });
}

interface StepForm {
  season: string;
  resource: string;
  weekday: string;
  from: string;
  to: string;
}

interface StepView {
  ctx: ViewContext;
  definition: ServiceDefinition;
  action: string;
  seasons: Season[];
  resources: Resource[];
  chosen: ChosenSeason | undefined;
  form: StepForm;
  errors: FieldError[];
  status?: string | undefined;
  maxTimes: number;
}

function SeasonStepPage(v: StepView) {
  const { ctx, definition } = v;
  const { t, locale } = ctx;
  const title = t('season.step.title');
  const error = (field: string) => v.errors.find((e) => e.field === field)?.message;
  const times = v.chosen?.times ?? [];
  const byId = new Map(v.resources.map((r) => [r.id, r]));
  return (
    <Layout ctx={ctx} title={`${v.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title} – ${pick(definition.title, locale)}`} section="services">
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />
      <p class="mb-caption">{pick(definition.title, locale)}</p>
      {!v.seasons.length ? (
        <>
          <Heading>{title}</Heading>
          <div id="f-season">
            <Alert kind="info">
              <p>{t('season.step.noneOpen')}</p>
            </Alert>
          </div>
          {times.length > 0 && (
            <>
              <Heading level={2} size="sm">
                {t('season.step.added')}
              </Heading>
              <ol class="ds-list">
                {times.map((x) => (
                  <li key={`${x.resource}-${x.weekday}-${x.from}`}>
                    {nameOf(byId.get(x.resource), x.resource, ctx.locale)}: {weeklyTimeText(x, ctx)}
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      ) : (
        <form method="post" action={v.action} novalidate>
          <CsrfField token={ctx.csrfToken} />
          <LegendHeading>{title}</LegendHeading>
          <p>{t('season.step.intro', { max: String(v.maxTimes) })}</p>
          <p role="status">{v.status ?? ''}</p>
          {v.seasons.length > 1 ? (
            <ChoiceGroup
              id="f-season"
              name="season"
              legend={t('season.step.season')}
              options={v.seasons.map((s) => ({ value: s.id, label: pick(seasonLabel(s), locale), hint: seasonFact(s, ctx) }))}
              selected={[v.form.season]}
              error={error('f-season')}
            />
          ) : (
            <>
              <input type="hidden" name="season" value={v.seasons[0]!.id} />
              <p>{seasonFact(v.seasons[0]!, ctx)}</p>
            </>
          )}
          {/* The panel to add a time comes first: Enter in its fields presses its button, not a Remove. */}
          <fieldset class="ds-fieldset mb-panel">
            <legend class="ds-label">{t('season.step.add')}</legend>
            <Select
              id="f-resource"
              name="resource"
              label={t('season.step.resource')}
              options={v.resources.map((r) => ({ value: r.entryId, label: r.area ? `${entryName(r, ctx.locale)} (${r.area})` : entryName(r, ctx.locale) }))}
              selected={v.form.resource}
              emptyLabel=""
              error={error('f-resource')}
            />
            <Select id="f-weekday" name="weekday" label={t('season.step.weekday')} options={WEEKDAYS.map((d) => ({ value: d, label: t(`weekday.${d}`) }))} selected={v.form.weekday} emptyLabel="" error={error('f-weekday')} />
            <TextField id="f-from" name="from" label={t('season.step.from')} hint={t('season.step.timeHint')} value={v.form.from} width="short" maxLength={5} inputMode="numeric" autocomplete="off" error={error('f-from')} />
            <TextField id="f-to" name="to" label={t('season.step.to')} hint={t('season.step.timeHint')} value={v.form.to} width="short" maxLength={5} inputMode="numeric" autocomplete="off" error={error('f-to')} />
            <Button variant="secondary" name="action" value="add">
              {t('season.step.addButton')}
            </Button>
          </fieldset>
          <Heading level={2} size="sm">
            {t('season.step.added')}
          </Heading>
          {times.length ? (
            <div class="mb-table-wrap" role="region" aria-labelledby="f-times-caption" tabIndex={0}>
            <table class="ds-table mb-season-times" id="f-times">
              <caption class="mb-visually-hidden" id="f-times-caption">{t('season.step.added')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('season.col.resource')}</th>
                  <th scope="col">{t('season.col.time')}</th>
                  <th scope="col">
                    <span class="mb-visually-hidden">{t('season.col.action')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {times.map((x, i) => (
                  <tr key={`${x.resource}-${x.weekday}-${x.from}`}>
                    <td>
                      {i + 1}. {nameOf(byId.get(x.resource), x.resource, ctx.locale)}
                    </td>
                    <td>{weeklyTimeText(x, ctx)}</td>
                    <td>
                      <button class="ds-button" data-variant="tertiary" type="submit" name="remove" value={String(i)}>
                        {t('season.step.remove')}
                        <span class="mb-visually-hidden">
                          {' '}
                          {nameOf(byId.get(x.resource), x.resource, ctx.locale)}, {weeklyTimeText(x, ctx)}
                        </span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          ) : (
            <p id="f-times">{t('season.step.none')}</p>
          )}
          <Button name="action" value="continue">
            {t('season.step.continue')}
          </Button>
        </form>
      )}
    </Layout>
  );
}

/** Whether two weekly times of one application overlap on the same facility. */
const sameTime = (a: WeeklyTime, b: WeeklyTime) => a.resource === b.resource && a.weekday === b.weekday && minutesOf(a.from) < minutesOf(b.to) && minutesOf(b.from) < minutesOf(a.to);


export function seasonStep(app: FastifyInstance): ChoiceStep {
  const resources = (tenantId: string, def: ServiceDefinition) => resourcesOf(app.catalogue, tenantId, def);
  const today = () => localDate(app.clock.now());
  const stepBase = (d: StepDraft) => `/apply/${d.draft.id}/${SEASON_STEP_PATH}`;
  const carryOf = (req: FastifyRequest) => ((req.query as { return?: string }).return === 'check' ? '?return=check' : '');

  function render(req: FastifyRequest, reply: FastifyReply, d: StepDraft, chosen: ChosenSeason | undefined, extra: { form?: Partial<StepForm>; errors?: FieldError[]; status?: string; code?: number } = {}) {
    const def = d.definition as ServiceDefinition & { booking: { season: SeasonSpec } };
    const seasons = openSeasons(def.booking.season, today());
    const form: StepForm = { season: chosen?.season ?? (seasons.length === 1 ? seasons[0]!.id : ''), resource: '', weekday: '', from: '', to: '', ...extra.form };
    return reply.page(
      <SeasonStepPage
        ctx={req.viewContext()}
        definition={def}
        action={`${stepBase(d)}${carryOf(req)}`}
        seasons={seasons}
        resources={resources(req.tenant.id, def)}
        chosen={chosen}
        form={form}
        errors={extra.errors ?? []}
        status={extra.status}
        maxTimes={maxTimesOf(def.booking.season)}
      />,
      extra.code ?? 200,
    );
  }

  return {
    path: SEASON_STEP_PATH,
    appliesTo: (def) => seasonal(def),
    isChosen: (chosen) => {
      const c = chosenSeasonOf(chosen);
      return !!c && c.done && c.times.length > 0;
    },

    async show(req, reply, d) {
      // Sent back from the submission: the season's last day to apply passed while the draft waited (or a time is no longer valid).
      if ((req.query as { lost?: string }).lost !== undefined) {
        return render(req, reply, d, chosenSeasonOf(d.draft.chosen), { form: { season: '' }, errors: [{ field: 'f-season', message: req.t('season.error.closedSeason') }], code: 409 });
      }
      return render(req, reply, d, chosenSeasonOf(d.draft.chosen));
    },

    async post(req, reply, d) {
      const def = d.definition as ServiceDefinition & { booking: { season: SeasonSpec } };
      const spec = def.booking.season;
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).slice(0, 100) : '');
      const seasons = openSeasons(spec, today());
      const before = chosenSeasonOf(d.draft.chosen);
      // A time read as people write it ("18.00", "1800"), else kept as typed for the page to show with why.
      const from = readTime(text('from'), false);
      const to = readTime(text('to'), true);
      const form: StepForm = { season: text('season'), resource: text('resource'), weekday: text('weekday'), from: from ?? text('from').trim(), to: to ?? text('to').trim() };
      const season = seasons.find((s) => s.id === form.season);
      let times = before?.times ?? [];
      const errors: FieldError[] = [];
      if (!season) errors.push({ field: 'f-season', message: req.t(form.season && seasonById(spec, form.season) ? 'season.error.closedSeason' : 'season.error.chooseSeason') });

      // Remove: one of the times added before, by its place in the list.
      if (typeof body.remove === 'string' && /^[0-9]{1,2}$/.test(body.remove) && times[Number(body.remove)]) {
        const gone = times[Number(body.remove)]!;
        times = times.filter((_, i) => i !== Number(body.remove));
        const kept: ChosenSeason = { season: season?.id ?? before?.season ?? '', times, done: false };
        await d.keep({ ...kept });
        return render(req, reply, d, kept, { form: { season: kept.season }, status: req.t('season.step.removed', { time: weeklyTimeText(gone, req.viewContext()) }) });
      }

      const action = text('action') === 'add' ? 'add' : 'continue';
      // The row is read when anything of it is filled, or when adding (an empty row on continue is no time).
      const rowGiven = !!(form.resource || form.weekday || form.from || form.to);
      let added: WeeklyTime | undefined;
      if (action === 'add' || rowGiven) {
        const resource = resources(req.tenant.id, def).find((r) => r.entryId === form.resource);
        const weekday = WEEKDAYS.find((w) => w === form.weekday);
        if (!resource) errors.push({ field: 'f-resource', message: req.t('season.error.chooseResource') });
        if (!weekday) errors.push({ field: 'f-weekday', message: req.t('season.error.chooseWeekday') });
        const fromError = from ? undefined : req.t('season.error.notATime');
        const toError = to ? undefined : req.t('season.error.notATime');
        if (fromError) errors.push({ field: 'f-from', message: fromError });
        if (toError) errors.push({ field: 'f-to', message: toError });
        if (resource && weekday && !fromError && !toError) {
          const wanted: WeeklyTime = { resource: resource.id, weekday, from: form.from, to: form.to };
          const problem = weeklyTimeProblem(resource, wanted, maxMinutesOf(spec));
          if (problem) {
            const hours = hoursText(resource, weekday);
            const message =
              problem === 'closed'
                ? hours
                  ? req.t('season.error.closed', { hours })
                  : req.t('season.error.closedDay')
                : problem === 'tooLong'
                  ? req.t('season.error.tooLong', { hours: String(maxMinutesOf(spec) / 60) })
                  : req.t(`season.error.${problem}`);
            errors.push({ field: problem === 'closed' && !hours ? 'f-weekday' : problem === 'endBeforeStart' || problem === 'tooShort' || problem === 'tooLong' ? 'f-to' : 'f-from', message });
          } else if (times.some((x) => sameTime(x, wanted))) errors.push({ field: 'f-from', message: req.t('season.error.overlapsOwn') });
          else if (times.length >= maxTimesOf(spec)) errors.push({ field: 'f-resource', message: req.t('season.error.tooMany', { max: String(maxTimesOf(spec)) }) });
          else added = wanted;
        }
      }
      if (errors.length) return render(req, reply, d, before, { form, errors, code: 400 });
      if (added) times = [...times, added];
      if (action === 'add') {
        const kept: ChosenSeason = { season: season!.id, times, done: false };
        await d.keep({ ...kept });
        return render(req, reply, d, kept, { form: { season: kept.season }, status: req.t('season.step.addedStatus', { time: weeklyTimeText(added!, req.viewContext()) }) });
      }
      if (!times.length) return render(req, reply, d, before, { form, errors: [{ field: 'f-resource', message: req.t('season.error.noTimes') }], code: 400 });
      const chosen: ChosenSeason = { season: season!.id, times, done: true };
      return reply.redirect(await d.choose({ ...chosen }), 303);
    },

    async checkSection(req, definition, draft) {
      const chosen = chosenSeasonOf(draft.chosen)!;
      const ctx = req.viewContext();
      const season = seasonal(definition) ? seasonById(definition.booking.season, chosen.season) : undefined;
      const byId = new Map(resources(req.tenant.id, definition).map((r) => [r.id, r]));
      const change = { href: `/apply/${draft.id}/${SEASON_STEP_PATH}?return=check`, label: req.t('booking.summary.change'), context: req.t('season.summary.changeContext') };
      return (
        <section aria-labelledby="s-season-times">
          <Heading level={2} size="sm">
            <span id="s-season-times">{req.t('season.summary.title')}</span>
          </Heading>
          <SummaryList
            rows={[
              { key: req.t('season.summary.season'), value: season ? seasonFact(season, ctx) : chosen.season, change },
              ...chosen.times.map((x, i) => ({ key: `${i + 1}. ${nameOf(byId.get(x.resource), x.resource, ctx.locale)}`, value: weeklyTimeText(x, ctx) })),
            ]}
          />
        </section>
      );
    },

    async confirmationSection(req, definition, caseId) {
      const requests = await requestsOfCase(req.tdb, caseId);
      const first = requests[0];
      const season = first && seasonal(definition) ? seasonById(definition.booking.season, first.seasonId) : undefined;
      if (!season) return undefined;
      const ctx = req.viewContext();
      const byId = new Map(resources(req.tenant.id, definition).map((r) => [r.id, r]));
      return (
        <section aria-labelledby="season-h">
          <Heading level={2} size="sm">
            <span id="season-h">{ctx.t('season.confirmation.title')}</span>
          </Heading>
          <ol class="ds-list">
            {requests.map((r) => (
              <li key={r.id}>
                {nameOf(byId.get(r.resource), r.resource, ctx.locale)}: {weeklyTimeText(r, ctx)}
              </li>
            ))}
          </ol>
          <p>{ctx.t('season.confirmation.body', { season: pick(seasonLabel(season), ctx.locale), applyBy: formatDate(season.applyBy, ctx.locale) })}</p>
        </section>
      );
    },

    // Nothing is booked when the application is sent: no lock to wait for.
    transaction: (scope, fn) => scope.transaction(fn),

    async write(tx, s) {
      const def = s.definition;
      const chosen = chosenSeasonOf(s.draft.chosen);
      if (!seasonal(def) || !chosen || !chosen.done || !chosen.times.length) throw new ChoiceLostError(SEASON_STEP_PATH);
      // The season's last day to apply may have passed while the draft waited: the person chooses again.
      const season = openSeasons(def.booking.season, localDate(s.now)).find((x) => x.id === chosen.season);
      const own = resources(tx.tenantId, def);
      const valid = chosen.times.every((x) => {
        const r = own.find((o) => o.id === x.resource);
        return r && !weeklyTimeProblem(r, x, maxMinutesOf(def.booking.season));
      });
      if (!season || !valid || chosen.times.length > maxTimesOf(def.booking.season)) throw new ChoiceLostError(SEASON_STEP_PATH);
      const priority = def.booking.season.priority;
      const answer = priority ? s.draft.answers[priority.field] : undefined;
      const rank = priority && typeof answer === 'string' ? priority.order.indexOf(answer) : -1;
      await insertRequests(
        tx,
        {
          serviceId: def.id,
          seasonId: season.id,
          draftId: s.draft.id,
          caseId: s.caseId,
          times: chosen.times,
          // An answer the order does not name goes after every one it does.
          priority: priority ? (rank >= 0 ? rank : priority.order.length) : 0,
          ownerId: s.applicant.id,
          customerType: customerTypeOf(s.draft.actingFor),
          organisationNumber: s.draft.actingFor && 'organisationNumber' in s.draft.actingFor ? s.draft.actingFor.organisationNumber : null,
        },
        s.now,
      );
      return { attach: (caseId: string) => (s.caseId ? Promise.resolve() : attachRequestsToCase(tx, s.draft.id, caseId)) };
    },

    async example(q, def, now) {
      if (!seasonal(def)) return undefined;
      const season = openSeasons(def.booking.season, localDate(now))[0];
      if (!season) return undefined;
      // The first facility's first opening of the week, for an hour.
      for (const r of resourcesOf(app.catalogue, q.tenantId, def)) {
        for (const weekday of WEEKDAYS) {
          const [open] = r.rules.opening[weekday] ?? [];
          if (!open) continue;
          const from = minutesOf(open[0]);
          const to = from + 60;
          if (to > minutesOf(open[1])) continue;
          const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
          return { season: season.id, resource: r.entryId, weekday, from: hhmm(from), to: hhmm(to), action: 'continue' };
        }
      }
      return undefined;
    },
  };
}
