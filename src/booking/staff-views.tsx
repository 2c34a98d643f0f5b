/**
 * The booking engine's staff pages — the services and their resources, a resource's week with its
 * occupancy and blocks, the bookings awaiting approval — and the resident's page of their calendar
 * link. Tables have captions and scoped headers, every form has labels and the error summary, and
 * everything works without JavaScript.
 */
import type { ComponentChildren } from 'preact';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Alert, Button, CsrfField, ErrorSummary, Heading, Paragraph, Tag, Textarea, TextField, type FieldError } from '../kernel/html/components.tsx';
import { NoticeBanner, noticeTitle, type Notice } from '../kernel/html/notice.tsx';
import { formatDate } from '../kernel/i18n/index.ts';
import { addDays, formatDay, weekNumberOf } from './time.ts';
import { formatMinutes, shareOf, type DayOccupancy } from './export.ts';
import './staff-messages.ts';

export const STAFF_BOOKINGS = '/staff/bookings';
export const STAFF_REQUESTS = '/staff/bookings/requests';

type TagColor = 'neutral' | 'info' | 'success' | 'warning';

/** A booking or a block as a row of the schedule or an item of the requests. */
export interface EntryView {
  bookingId: string;
  /** Its time on the day ("16:00–17:30"), or its whole span where it is listed without a day. */
  time: string;
  status: string;
  color: TagColor;
  who: string;
  caseHref?: string | undefined;
  reference?: string | undefined;
  resource?: string | undefined;
  /** A block staff may remove. */
  removable?: boolean | undefined;
}

const titleOf = (ctx: ViewContext, title: string, errors: readonly FieldError[], notice?: Notice) => noticeTitle(`${errors.length ? `${ctx.t('forms.error.summaryTitle')}: ` : ''}${title}`, notice);

const staffCrumbs = (ctx: ViewContext, more: { href: string; label: string }[] = []) => [{ href: '/staff', label: ctx.t('staff.breadcrumb') }, ...more];

function CaseLink({ entry }: { entry: EntryView }) {
  return entry.caseHref ? (
    <a class="ds-link" href={entry.caseHref}>
      {entry.reference ?? entry.caseHref}
    </a>
  ) : (
    <>–</>
  );
}

/** The services a member of staff handles, each with its resources and the day's export. */
export interface ServiceView {
  id: string;
  title: string;
  resources: { entryId: string; name: string; kind: string; area?: string | undefined }[];
  requested: number;
}

export function BookingServicesPage(p: { ctx: ViewContext; services: ServiceView[]; today: string; exportForm?: { serviceId: string; date: string; error: string } | undefined }) {
  const { ctx } = p;
  const { t } = ctx;
  const errors: FieldError[] = p.exportForm ? [{ field: `x-date-${p.exportForm.serviceId}`, message: p.exportForm.error }] : [];
  return (
    <Layout ctx={ctx} title={titleOf(ctx, t('booking.staff.title'), errors)} section="staff" breadcrumbs={staffCrumbs(ctx)}>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
      <Heading>{t('booking.staff.title')}</Heading>
      <Paragraph>{t('booking.staff.intro')}</Paragraph>
      {p.services.length === 0 && <Paragraph>{t('booking.staff.none')}</Paragraph>}
      {p.services.map((s) => {
        const dateId = `x-date-${s.id}`;
        const failed = p.exportForm?.serviceId === s.id ? p.exportForm : undefined;
        return (
          <section class="mb-panel" aria-labelledby={`s-${s.id}`} key={s.id}>
            <Heading level={2} size="md">
              <span id={`s-${s.id}`}>{s.title}</span>
            </Heading>
            {s.requested > 0 && (
              <p>
                <a class="ds-link" href={`${STAFF_REQUESTS}?service=${encodeURIComponent(s.id)}`}>
                  {t('booking.staff.requests.link', { n: s.requested })}
                </a>
              </p>
            )}
            <Heading level={3} size="sm">
              {t('booking.staff.resources')}
            </Heading>
            <ul class="ds-list">
              {s.resources.map((r) => (
                <li key={r.entryId}>
                  <a class="ds-link" href={`${STAFF_BOOKINGS}?service=${encodeURIComponent(s.id)}&resource=${encodeURIComponent(r.entryId)}&week=${p.today}`}>
                    {r.name}
                  </a>
                  {` · ${r.kind}`}
                  {r.area && ` · ${r.area}`}
                </li>
              ))}
            </ul>
            <form method="get" action={`${STAFF_BOOKINGS}/day.csv`}>
              <Heading level={3} size="sm">
                {t('booking.staff.export.title')}
              </Heading>
              <Paragraph>{t('booking.staff.export.hint')}</Paragraph>
              <input type="hidden" name="service" value={s.id} />
              <TextField id={dateId} name="date" label={t('booking.staff.export.date')} hint={t('booking.staff.dateHint', { example: p.today })} value={failed?.date ?? p.today} error={failed?.error} width="short" inputMode="numeric" />
              <div class="mb-actions">
                <Button variant="secondary">{t('booking.staff.export.csv')}</Button>
                <Button variant="secondary" formAction={`${STAFF_BOOKINGS}/day.pdf`}>
                  {t('booking.staff.export.pdf')}
                </Button>
              </div>
            </form>
          </section>
        );
      })}
    </Layout>
  );
}

/** What the block form holds: the typed values (kept on an error), and the bookings in its way. */
export interface BlockForm {
  values: { date: string; from: string; to: string; reason: string };
  errors: FieldError[];
  inTheWay?: EntryView[] | undefined;
}

export interface WeekScheduleView {
  ctx: ViewContext;
  service: { id: string; title: string };
  resource: { entryId: string; name: string; kind: string; area?: string | undefined; address?: string | undefined };
  monday: string;
  occupancy: DayOccupancy[];
  days: { date: string; entries: EntryView[] }[];
  previous: string;
  next: string;
  /** The week asked for could not be read: what was typed, and why. */
  weekError?: { value: string; message: string } | undefined;
  block: BlockForm;
  notice?: Notice | undefined;
  maxReason: number;
}

export function WeekSchedulePage(v: WeekScheduleView) {
  const { ctx, resource, service } = v;
  const { t, locale } = ctx;
  const errors = [...(v.weekError ? [{ field: 'w-week', message: v.weekError.message }] : []), ...v.block.errors];
  const title = t('booking.staff.week.title', { resource: resource.name });
  const err = (field: string) => v.block.errors.find((e) => e.field === field)?.message;
  const caption = t('booking.staff.occupancy.caption', { week: String(weekNumberOf(v.monday)), from: formatDay(v.monday, locale), to: formatDay(addDays(v.monday, 6), locale) });
  const total = v.occupancy.reduce((s, o) => ({ openMinutes: s.openMinutes + o.openMinutes, bookedMinutes: s.bookedMinutes + o.bookedMinutes }), { openMinutes: 0, bookedMinutes: 0 });
  const share = (o: { openMinutes: number; bookedMinutes: number }) => {
    const n = shareOf(o);
    return n === undefined ? '–' : t('booking.staff.percent', { n });
  };
  return (
    <Layout ctx={ctx} title={`${titleOf(ctx, title, errors, v.notice)} – ${service.title}`} section="staff" breadcrumbs={staffCrumbs(ctx, [{ href: STAFF_BOOKINGS, label: t('booking.staff.title') }])}>
      <NoticeBanner notice={v.notice} />
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
      <p class="mb-caption">{service.title}</p>
      <Heading>{title}</Heading>
      <p class="mb-lead">
        {resource.kind}
        {resource.area && ` · ${resource.area}`}
        {resource.address && ` · ${resource.address}`}
      </p>
      <nav class="mb-week-nav" aria-label={t('booking.staff.week.nav')}>
        <a class="ds-link" href={v.previous}>
          ‹ {t('booking.staff.week.previous')}
        </a>
        <a class="ds-link" href={v.next}>
          {t('booking.staff.week.next')} ›
        </a>
      </nav>
      <form method="get" action={STAFF_BOOKINGS} class="mb-filters" aria-label={t('booking.staff.week.show')}>
        <input type="hidden" name="service" value={service.id} />
        <input type="hidden" name="resource" value={resource.entryId} />
        <TextField id="w-week" name="week" label={t('booking.staff.week.showDate')} hint={t('booking.staff.dateHint', { example: v.monday })} value={v.weekError?.value ?? v.monday} error={v.weekError?.message} width="short" inputMode="numeric" />
        <Button variant="secondary">{t('booking.staff.week.show')}</Button>
      </form>

      <div class="mb-table-wrap" role="region" aria-labelledby="occupancy-caption" tabIndex={0}>
        <table class="ds-table mb-table">
          <caption id="occupancy-caption">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('booking.staff.occupancy.day')}</th>
              <th scope="col">{t('booking.staff.occupancy.booked')}</th>
              <th scope="col">{t('booking.staff.occupancy.open')}</th>
              <th scope="col">{t('booking.staff.occupancy.share')}</th>
            </tr>
          </thead>
          <tbody>
            {v.occupancy.map((o) => (
              <tr key={o.date}>
                <th scope="row">
                  <a class="ds-link" href={`#day-${o.date}`}>
                    {formatDay(o.date, locale)}
                  </a>
                </th>
                <td>{formatMinutes(o.bookedMinutes, t)}</td>
                <td>{o.openingMinutes === 0 ? t('booking.staff.occupancy.closed') : formatMinutes(o.openMinutes, t)}</td>
                <td>{share(o)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('booking.staff.occupancy.week')}</th>
              <td>{formatMinutes(total.bookedMinutes, t)}</td>
              <td>{formatMinutes(total.openMinutes, t)}</td>
              <td>{share(total)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p class="mb-hint">{t('booking.staff.occupancy.hint')}</p>

      {v.days.map((d) => (
        <section aria-labelledby={`day-${d.date}`} key={d.date}>
          <Heading level={2} size="sm">
            <span id={`day-${d.date}`}>{formatDay(d.date, locale)}</span>
          </Heading>
          {d.entries.length === 0 ? (
            <Paragraph>{t('booking.staff.day.none')}</Paragraph>
          ) : (
            <EntryTable ctx={ctx} caption={t('booking.staff.day.caption', { day: formatDay(d.date, locale) })} entries={d.entries} />
          )}
        </section>
      ))}

      <form method="post" action={`${STAFF_BOOKINGS}/blocks`} class="mb-panel" aria-labelledby="block-h" novalidate>
        <Heading level={2} size="sm">
          <span id="block-h">{t('booking.staff.block.title')}</span>
        </Heading>
        <Paragraph>{t('booking.staff.block.hint')}</Paragraph>
        {v.block.inTheWay && (
          <Alert kind="warning" title={t('booking.staff.block.inTheWay')}>
            <p>{t('booking.staff.block.inTheWayBody')}</p>
            <ul class="ds-list">
              {v.block.inTheWay.map((e) => (
                <li key={e.bookingId}>
                  {e.time} · {e.status} · {e.who}
                  {e.caseHref && (
                    <>
                      {' · '}
                      <CaseLink entry={e} />
                    </>
                  )}
                </li>
              ))}
            </ul>
          </Alert>
        )}
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="service" value={service.id} />
        <input type="hidden" name="resource" value={resource.entryId} />
        <TextField id="b-date" name="date" label={t('booking.staff.block.date')} hint={t('booking.staff.dateHint', { example: v.monday })} value={v.block.values.date} error={err('b-date')} width="short" inputMode="numeric" required />
        <TextField id="b-from" name="from" label={t('booking.staff.block.from')} hint={t('booking.staff.timeHint', { example: '08:00' })} value={v.block.values.from} error={err('b-from')} width="short" inputMode="numeric" required />
        <TextField id="b-to" name="to" label={t('booking.staff.block.to')} hint={t('booking.staff.timeHint', { example: '16:30' })} value={v.block.values.to} error={err('b-to')} width="short" inputMode="numeric" required />
        <Textarea id="b-reason" name="reason" label={t('booking.staff.block.reason')} hint={t('booking.staff.block.reasonHint')} value={v.block.values.reason} error={err('b-reason')} maxLength={v.maxReason} rows={2} required />
        <Button>{t('booking.staff.block.submit')}</Button>
      </form>
    </Layout>
  );
}

/** A day's bookings and blocks: time, status, who, case, and a block's remove button. */
function EntryTable({ ctx, caption, entries }: { ctx: ViewContext; caption: string; entries: EntryView[] }) {
  const { t } = ctx;
  const anyRemovable = entries.some((e) => e.removable);
  return (
    <div class="mb-table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table class="ds-table mb-table">
        <caption class="mb-visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('booking.staff.col.time')}</th>
            <th scope="col">{t('booking.staff.col.status')}</th>
            <th scope="col">{t('booking.staff.col.who')}</th>
            <th scope="col">{t('booking.staff.col.case')}</th>
            {anyRemovable && <th scope="col">{t('booking.staff.col.action')}</th>}
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.bookingId}>
              <th scope="row">{e.time}</th>
              <td>
                <Tag color={e.color}>{e.status}</Tag>
              </td>
              <td>{e.who}</td>
              <td>
                <CaseLink entry={e} />
              </td>
              {anyRemovable && (
                <td>
                  {e.removable && (
                    <form method="post" action={`${STAFF_BOOKINGS}/blocks/${e.bookingId}/remove`} class="mb-inline-form">
                      <CsrfField token={ctx.csrfToken} />
                      <Button variant="secondary">
                        {t('booking.staff.block.remove')}
                        <span class="mb-visually-hidden"> {e.time}</span>
                      </Button>
                    </form>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface RequestView extends EntryView {
  service: string;
}

export function RequestsPage(p: { ctx: ViewContext; requests: RequestView[]; errors: FieldError[]; reasons: Record<string, string>; notice?: Notice | undefined; maxReason: number }) {
  const { ctx } = p;
  const { t } = ctx;
  const title = t('booking.staff.requests.title');
  return (
    <Layout ctx={ctx} title={titleOf(ctx, title, p.errors, p.notice)} section="staff" breadcrumbs={staffCrumbs(ctx, [{ href: STAFF_BOOKINGS, label: t('booking.staff.title') }])}>
      <NoticeBanner notice={p.notice} />
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={p.errors} />
      <Heading>{title}</Heading>
      {p.requests.length === 0 ? (
        <Paragraph>{t('booking.staff.requests.none')}</Paragraph>
      ) : (
        <ul class="mb-cards">
          {p.requests.map((r) => {
            const reasonId = `refuse-${r.bookingId}`;
            const error = p.errors.find((e) => e.field === reasonId)?.message;
            return (
              <li class="mb-card" key={r.bookingId}>
                <section aria-labelledby={`r-${r.bookingId}`}>
                  <Heading level={2} size="xs">
                    <span id={`r-${r.bookingId}`}>
                      {r.time} · {r.resource}
                    </span>
                  </Heading>
                  <dl class="mb-summary">
                    <RequestRow label={t('booking.staff.requests.service')}>{r.service}</RequestRow>
                    <RequestRow label={t('booking.staff.col.who')}>{r.who}</RequestRow>
                    <RequestRow label={t('booking.staff.col.case')}>
                      <CaseLink entry={r} />
                    </RequestRow>
                  </dl>
                  <form method="post" action={`${STAFF_REQUESTS}/${r.bookingId}/approve`} class="mb-inline-form">
                    <CsrfField token={ctx.csrfToken} />
                    <Button>
                      {t('booking.staff.approve')}
                      <span class="mb-visually-hidden"> {r.time}</span>
                    </Button>
                  </form>
                  <form method="post" action={`${STAFF_REQUESTS}/${r.bookingId}/refuse`} novalidate>
                    <CsrfField token={ctx.csrfToken} />
                    <Textarea id={reasonId} name="reason" label={t('booking.staff.refuse.reason')} hint={t('booking.staff.refuse.reasonHint')} value={p.reasons[r.bookingId] ?? ''} error={error} maxLength={p.maxReason} rows={2} required />
                    <Button variant="secondary">
                      {t('booking.staff.refuse')}
                      <span class="mb-visually-hidden"> {r.time}</span>
                    </Button>
                  </form>
                </section>
              </li>
            );
          })}
        </ul>
      )}
    </Layout>
  );
}

function RequestRow({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="mb-summary__row">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The resident's calendar link: whether they have one, the new one just made (shown once), and the buttons. */
export function FeedPage(p: { ctx: ViewContext; madeAt: Date | undefined; url?: string | undefined; notice?: Notice | undefined }) {
  const { ctx } = p;
  const { t, locale } = ctx;
  const title = t('booking.feed.title');
  return (
    <Layout ctx={ctx} title={noticeTitle(title, p.notice)} section="cases">
      <NoticeBanner notice={p.notice} />
      <Heading>{title}</Heading>
      <Paragraph>{t('booking.feed.intro')}</Paragraph>
      <Paragraph>{t('booking.feed.secret')}</Paragraph>
      {p.url ? (
        <Alert kind="success" title={t('booking.feed.made')}>
          <p>{t('booking.feed.madeBody')}</p>
          <div class="ds-field mb-field">
            <label class="ds-label" for="feed-url">
              {t('booking.feed.url')}
            </label>
            <input class="ds-input" id="feed-url" type="text" readOnly value={p.url} autoComplete="off" />
          </div>
          <p>
            <a class="ds-link" href={p.url.replace(/^https?:/, 'webcal:')}>
              {t('booking.feed.subscribe')}
            </a>
          </p>
        </Alert>
      ) : (
        <Paragraph>{p.madeAt ? t('booking.feed.exists', { date: formatDate(p.madeAt, locale) }) : t('booking.feed.none')}</Paragraph>
      )}
      <form method="post" action="/my/bookings/calendar" class="mb-actions">
        <CsrfField token={ctx.csrfToken} />
        <Button name="do" value="renew">
          {p.madeAt ? t('booking.feed.renew') : t('booking.feed.create')}
        </Button>
        {p.madeAt && (
          <Button variant="secondary" name="do" value="remove">
            {t('booking.feed.remove')}
          </Button>
        )}
      </form>
      <p>
        <a class="ds-link" href="/my/cases">
          {t('booking.feed.back')}
        </a>
      </p>
    </Layout>
  );
}
