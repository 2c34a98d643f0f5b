/** The queue engine's pages and sections (ADR 0043): the place on a case's pages, changing choices, staff's queues. */
import type { VNode } from 'preact';
import type { QueueService } from './places.ts';
import { dayNumber, orderOf } from './order.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Button, CsrfField, ErrorSummary, Heading, Paragraph, Tag, type FieldError } from '../kernel/html/components.tsx';
import { formatDate, pick, type Translate } from '../kernel/i18n/index.ts';
import { formatNumber } from '../kernel/i18n/numbers.ts';
import { NoticeBanner, noticeTitle } from '../kernel/html/notice.tsx';

export const STAFF_QUEUES = '/staff/queues';
/** The path segment of a service's one queue (a register id never starts with "_"). */
export const WHOLE_QUEUE_SEGMENT = '_';

export interface RenewalView {
  until: string;
  overdue: boolean;
  lastDay: string;
  /** The first day it may be renewed, when that is still to come. */
  openFrom?: string | undefined;
  /** The fee, formatted ("200 kr"), when renewing costs. */
  fee?: string | undefined;
  /** The form to renew with, for the applicant when it is time. */
  action?: string | undefined;
}

export interface PlaceView {
  queue: string;
  name: string;
  rank: number;
  position: number;
  total: number;
  group: string | undefined;
  distanceM: number | null;
}

const km = (m: number, locale: 'sv' | 'en') => formatNumber(Math.round(m / 100) / 10, locale);

/** How long the application has queued: the queue days housing queues count. */
const daysText = (days: number, t: Translate, locale: 'sv' | 'en') =>
  days <= 0 ? t('queue.case.days.none') : days === 1 ? t('queue.case.days.one') : t('queue.case.days.many', { days: formatNumber(days, locale) });

/** How the queue is ordered, in words: "förtur (…) först, sedan ködatum, …, sist i den ordning ansökningarna kom in". */
export function orderText(def: QueueService, t: Translate, locale: 'sv' | 'en'): string {
  const rules = orderOf(def.queue).map((r) => (r === 'groups' ? t('queue.rule.groups', { groups: (def.queue.groups ?? []).map((g) => pick(g.label, locale)).join(', ') }) : t(`queue.rule.${r}`)));
  return t('queue.case.order', { rules: `${rules.join(t('queue.rule.then'))}, ${t(`queue.rule.${def.queue.tieBreak ?? 'arrival'}`)}` });
}

/** The case's places, for the resident, the follow link and the handler. */
export function PlacesSection(v: {
  ctx: ViewContext;
  def: QueueService;
  places: PlaceView[];
  queueDate: string;
  today: string;
  changeHref?: string | undefined;
  staffLinks?: ((queue: string) => string) | undefined;
  staff: boolean;
  /** The date a place is guaranteed by, for a queue that offers places with a guarantee (ADR 0046). */
  guarantee?: string | undefined;
  /** Until when the place lasts, for a queue whose places are renewed, and the form to renew it when it is time (ADR 0047). */
  renewal?: RenewalView | undefined;
}) {
  const { t, locale } = v.ctx;
  const single = v.places.length === 1 && v.def.queue.choices === undefined;
  return (
    <section aria-labelledby="queue-h" class="mb-panel" id="queue">
      <h2 class="ds-heading" data-size="sm" id="queue-h">
        {t(v.staff ? 'queue.case.titleStaff' : 'queue.case.title')}
      </h2>
      <ul class="ds-list mb-queue-places">
        {v.places.map((p) => {
          const ahead = p.position - 1;
          const label = single ? p.name : t('queue.case.choice', { n: String(p.rank + 1), unit: p.name });
          return (
            <li key={p.queue}>
              {v.staffLinks ? (
                <a class="ds-link" href={v.staffLinks(p.queue)}>
                  {label}
                </a>
              ) : (
                label
              )}
              {': '}
              <strong>{t('queue.case.position', { position: formatNumber(p.position, locale), total: formatNumber(p.total, locale) })}</strong>
              {'. '}
              {ahead === 0 ? t('queue.case.ahead.none') : ahead === 1 ? t('queue.case.ahead.one') : t('queue.case.ahead.many', { count: formatNumber(ahead, locale) })}
              {p.group && (
                <>
                  {' '}
                  <Tag color="info">{t('queue.case.group', { group: p.group })}</Tag>
                </>
              )}
              {p.distanceM !== null && <> {t('queue.case.distance', { km: km(p.distanceM, locale) })}</>}
            </li>
          );
        })}
      </ul>
      <p class="ds-paragraph">
        {t('queue.case.date', { date: formatDate(v.queueDate, locale) })}. {daysText(dayNumber(v.today) - dayNumber(v.queueDate), t, locale)}
      </p>
      {v.renewal && <RenewalPart ctx={v.ctx} renewal={v.renewal} staff={v.staff} />}
      {v.guarantee && <p class="ds-paragraph">{t(v.staff ? 'queue.offer.guaranteeStaff' : 'queue.offer.guarantee', { date: formatDate(v.guarantee, locale) })}</p>}
      <p class="ds-paragraph">{orderText(v.def, t, locale)}</p>
      {!v.staff && <p class="ds-paragraph mb-hint">{t('queue.case.live')}</p>}
      {v.changeHref && (
        <p class="ds-paragraph">
          <a class="ds-link" href={v.changeHref}>
            {t('queue.case.change')}
          </a>
        </p>
      )}
    </section>
  );
}

/** Until when the place lasts, and renewing it: the form posts the end the applicant saw, so a second press renews nothing twice. */
function RenewalPart({ ctx, renewal: r, staff }: { ctx: ViewContext; renewal: RenewalView; staff: boolean }) {
  const { t, locale } = ctx;
  return (
    <>
      <p class="ds-paragraph">
        {r.overdue && !staff
          ? t('queue.renewal.overdue', { date: formatDate(r.until, locale), lastDay: formatDate(r.lastDay, locale) })
          : t(staff ? 'queue.renewal.untilStaff' : 'queue.renewal.until', { date: formatDate(r.until, locale) })}
        {!staff && r.openFrom && ` ${t('queue.renewal.openFrom', { date: formatDate(r.openFrom, locale) })}`}
        {!staff && r.fee && ` ${t('queue.renewal.fee', { amount: r.fee })}`}
      </p>
      {r.action && (
        <form method="post" action={r.action}>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="from" value={r.until} />
          <Button type="submit">{r.fee ? t('queue.renewal.submitFee', { amount: r.fee }) : t('queue.renewal.submit')}</Button>
        </form>
      )}
    </>
  );
}

/** Changing choices: the ranked choice as the form asked it, the question the page's heading. */
export function ChoicesPage(v: { ctx: ViewContext; caseTitle: string; caseHref: string; action: string; queueDate: string; errors: FieldError[]; field: VNode }) {
  const { t, locale } = v.ctx;
  const title = t('queue.choices.title');
  return (
    <Layout
      ctx={v.ctx}
      title={`${v.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title} – ${v.caseTitle}`}
      section="cases"
      breadcrumbs={[
        { href: '/my/cases', label: t('my.title') },
        { href: v.caseHref, label: v.caseTitle },
      ]}
    >
      {v.errors.length > 0 && <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />}
      <form method="post" action={v.action} novalidate>
        <CsrfField token={v.ctx.csrfToken} />
        <Paragraph>{t('queue.choices.intro', { date: formatDate(v.queueDate, locale) })}</Paragraph>
        {v.field}
        <div class="mb-actions">
          <Button type="submit">{t('queue.choices.submit')}</Button>
          <a class="ds-link" href={v.caseHref}>
            {t('queue.choices.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

/**
 * What a case's page was asked can no longer be done — the case left its queues, the offer was
 * answered or ran out, the place cannot be renewed now: the step's title, why, and the way back.
 */
export function ClosedStepPage(v: { ctx: ViewContext; titleKey: string; textKey: string; caseTitle: string; caseHref: string }) {
  const { t } = v.ctx;
  return (
    <Layout ctx={v.ctx} title={`${t(v.titleKey)} – ${v.caseTitle}`} section="cases" breadcrumbs={[{ href: '/my/cases', label: t('my.title') }, { href: v.caseHref, label: v.caseTitle }]}>
      <Heading>{t(v.titleKey)}</Heading>
      <Paragraph>{t(v.textKey)}</Paragraph>
      <p>
        <a class="ds-link" href={v.caseHref}>
          {t('queue.choices.cancel')}
        </a>
      </p>
    </Layout>
  );
}

export interface QueueListView {
  ctx: ViewContext;
  /** Applications past a guaranteed date (offers, ADR 0046). */
  guarantee?: VNode | undefined;
  services: { id: string; title: string; queues: { segment: string; name: string; total: number; oldest: string | null }[] }[];
}

/** Every queue of the services the member of staff handles. */
export function QueuesPage(v: QueueListView) {
  const { t, locale } = v.ctx;
  const title = t('queue.staff.title');
  return (
    <Layout ctx={v.ctx} title={title} section="staff" breadcrumbs={[{ href: '/staff', label: t('staff.breadcrumb') }]}>
      <Heading>{title}</Heading>
      <Paragraph>{t('queue.staff.intro')}</Paragraph>
      {v.guarantee}
      {v.services.map((s) => (
        <section aria-labelledby={`q-${s.id}`} key={s.id}>
          <Heading level={2} size="sm">
            <span id={`q-${s.id}`}>{s.title}</span>
          </Heading>
          {!s.queues.length ? (
            <Paragraph>{t('queue.staff.none')}</Paragraph>
          ) : (
            <table class="ds-table">
              <caption class="mb-visually-hidden">{t('queue.staff.caption', { service: s.title })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('queue.staff.col.queue')}</th>
                  <th scope="col">{t('queue.staff.col.total')}</th>
                  <th scope="col">{t('queue.staff.col.oldest')}</th>
                </tr>
              </thead>
              <tbody>
                {s.queues.map((q) => (
                  <tr key={q.segment}>
                    <th scope="row">
                      <a class="ds-link" href={`${STAFF_QUEUES}/${encodeURIComponent(s.id)}/${encodeURIComponent(q.segment)}`}>
                        {q.name}
                      </a>
                    </th>
                    <td data-label={t('queue.staff.col.total')}>{formatNumber(q.total, locale)}</td>
                    <td data-label={t('queue.staff.col.oldest')}>{q.oldest ? formatDate(q.oldest, locale) : '–'}</td>
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

export interface QueueLineView {
  position: number;
  caseHref: string;
  reference: string;
  name: string;
  protectedIdentity: boolean;
  group: string | undefined;
  queueDate: string;
  distanceM: number | null;
  rank: number;
}

/** One queue in its order, a page at a time. */
export function QueuePage(v: {
  ctx: ViewContext;
  title: string;
  serviceTitle: string;
  lines: QueueLineView[];
  total: number;
  from: number;
  previous?: string | undefined;
  next?: string | undefined;
  order: string;
  distance: boolean;
  /** The confirmation of a form under the page (offers' places, ADR 0046). */
  notice?: string | undefined;
  /** The places and vacancies of a queue that offers places. */
  places?: VNode | undefined;
}) {
  const { t, locale } = v.ctx;
  const to = v.from + v.lines.length - 1;
  return (
    <Layout
      ctx={v.ctx}
      title={noticeTitle(`${v.title} – ${v.serviceTitle}`, v.notice)}
      section="staff"
      breadcrumbs={[
        { href: '/staff', label: t('staff.breadcrumb') },
        { href: STAFF_QUEUES, label: t('queue.staff.title') },
      ]}
    >
      <NoticeBanner notice={v.notice} />
      <Heading>{v.title}</Heading>
      <Paragraph>{v.serviceTitle}</Paragraph>
      <Paragraph>{v.order}</Paragraph>
      {!v.lines.length ? (
        <Paragraph>{t('queue.staff.none')}</Paragraph>
      ) : (
        <div class="mb-table-wrap" role="region" aria-labelledby="queue-caption" tabIndex={0}>
          <table class="ds-table">
            <caption id="queue-caption">{t('queue.staff.queueCaption', { from: formatNumber(v.from, locale), to: formatNumber(to, locale), total: formatNumber(v.total, locale) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('queue.staff.col.position')}</th>
                <th scope="col">{t('queue.staff.col.case')}</th>
                <th scope="col">{t('queue.staff.col.name')}</th>
                <th scope="col">{t('queue.staff.col.group')}</th>
                <th scope="col">{t('queue.staff.col.date')}</th>
                {v.distance && <th scope="col">{t('queue.staff.col.distance')}</th>}
                <th scope="col">{t('queue.staff.col.rank')}</th>
              </tr>
            </thead>
            <tbody>
              {v.lines.map((l) => (
                <tr key={l.reference}>
                  <td data-label={t('queue.staff.col.position')}>{formatNumber(l.position, locale)}</td>
                  <th scope="row" data-label={t('queue.staff.col.case')}>
                    <a class="ds-link" href={l.caseHref}>
                      {l.reference}
                    </a>
                  </th>
                  <td data-label={t('queue.staff.col.name')}>{l.protectedIdentity ? <Tag color="warning">{t('queue.staff.protected')}</Tag> : l.name}</td>
                  <td data-label={t('queue.staff.col.group')}>{l.group ?? t('queue.staff.noGroup')}</td>
                  <td data-label={t('queue.staff.col.date')}>{formatDate(l.queueDate, locale)}</td>
                  {v.distance && <td data-label={t('queue.staff.col.distance')}>{l.distanceM === null ? '–' : t('queue.staff.km', { km: km(l.distanceM, locale) })}</td>}
                  <td data-label={t('queue.staff.col.rank')}>{formatNumber(l.rank + 1, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(v.previous || v.next) && (
        <nav aria-label={t('queue.staff.pages')} class="mb-pager">
          {v.previous && (
            <a class="ds-link" href={v.previous} rel="prev">
              {t('queue.staff.previous')}
            </a>
          )}{' '}
          {v.next && (
            <a class="ds-link" href={v.next} rel="next">
              {t('queue.staff.next')}
            </a>
          )}
        </nav>
      )}
      {v.places}
      <p>
        <a class="ds-link" href={STAFF_QUEUES}>
          {t('queue.staff.back')}
        </a>
      </p>
    </Layout>
  );
}
