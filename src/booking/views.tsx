/**
 * The booking engine's pages: the resources a service books, with filters, and a resource's week as
 * a table of days and their times — radios to choose one in a booking, links to start one on the
 * public page. Every page works without JavaScript; the week is a table, not only a picture.
 */
import type { ComponentChildren } from 'preact';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { entryName } from '../catalogue/entry-name.ts';
import { pick } from '../kernel/i18n/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Alert, Button, CsrfField, ErrorSummary, LegendHeading, Select, SummaryList, Tag, ValidationMessage, type FieldError, type Option } from '../kernel/html/components.tsx';
import type { DayAvailability, Span } from './availability.ts';
import { addDays, formatDay, formatSpan, localTime, weekNumberOf } from './time.ts';

/** A resource as a list shows it. */
export interface ResourceCard {
  entryId: string;
  name: string;
  kind: string;
  area?: string | undefined;
  address?: string | undefined;
  /** Free times on the filtered date (in the filtered time of day). */
  free: number;
  /** When the date has no times at all (closed, a course not begun): the next date that has, within the horizon. */
  nextDate?: string | undefined;
}

export interface Filters {
  kind: string;
  area: string;
  date: string;
  time: TimeOfDay;
}

export type TimeOfDay = 'any' | 'morning' | 'afternoon' | 'evening';
export const TIMES_OF_DAY: readonly TimeOfDay[] = ['any', 'morning', 'afternoon', 'evening'];

export function ResourcesPage(p: {
  ctx: ViewContext;
  definition: ServiceDefinition;
  /** Where the filter form and the resources' links go (the public page, or the booking's step). */
  base: string;
  /** Query parameters each link carries along (a step's `return=check`). */
  carry?: string;
  resources: ResourceCard[];
  total: number;
  filters: Filters;
  kinds: Option[];
  areas: Option[];
  dateError?: string | undefined;
  /** Every resource has seats (courses, groups): the page speaks of courses, not venues. */
  courses?: boolean | undefined;
  /** What was typed in the date field when it was refused, shown again. */
  typedDate?: string | undefined;
}) {
  const { ctx, definition, filters } = p;
  const { t, locale } = ctx;
  const title = t('booking.resources.title');
  const errors: FieldError[] = p.dateError ? [{ field: 'f-date', message: p.dateError }] : [];
  const day = formatDay(filters.date, locale);
  const link = (entryId: string, week = filters.date) => `${p.base}?resource=${encodeURIComponent(entryId)}&week=${week}${p.carry ? `&${p.carry}` : ''}`;
  return (
    <Layout ctx={ctx} title={`${errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title} – ${pick(definition.title, locale)}`} section="services">
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
      <p class="mb-caption">{pick(definition.title, locale)}</p>
      <h1 class="ds-heading" data-size="lg">
        {title}
      </h1>
      <p>{t(p.courses ? 'booking.resources.hintCourses' : 'booking.resources.hint')}</p>
      <form method="get" action={p.base} class="mb-panel mb-filters" aria-label={t('booking.filter.title')}>
        {p.carry && p.carry.split('&').map((kv) => <input type="hidden" name={kv.split('=')[0]} value={decodeURIComponent(kv.split('=')[1] ?? '')} />)}
        {p.kinds.length > 1 && <Select id="f-kind" name="kind" label={t('booking.filter.kind')} options={p.kinds} selected={filters.kind} emptyLabel={t('booking.filter.all')} />}
        {p.areas.length > 1 && <Select id="f-area" name="area" label={t('booking.filter.area')} options={p.areas} selected={filters.area} emptyLabel={t('booking.filter.all')} />}
        <div class="ds-field mb-field mb-width-short">
          <label class="ds-label" for="f-date">
            {t('booking.filter.date')}
          </label>
          <div data-field="description" id="f-date-hint">
            {t('booking.filter.dateHint', { example: filters.date })}
          </div>
          {p.dateError && <ValidationMessage id="f-date-error">{p.dateError}</ValidationMessage>}
          <input class="ds-input mb-width-short" id="f-date" name="date" type="text" inputMode="numeric" autoComplete="off" maxLength={10} value={p.typedDate ?? filters.date} aria-invalid={p.dateError ? 'true' : undefined} aria-describedby={p.dateError ? 'f-date-hint f-date-error' : 'f-date-hint'} />
        </div>
        <Select id="f-time" name="time" label={t('booking.filter.time')} options={TIMES_OF_DAY.map((v) => ({ value: v, label: t(`booking.filter.time.${v}`) }))} selected={filters.time} />
        <Button variant="secondary">{t('booking.filter.apply')}</Button>
      </form>
      <p role="status">{t('booking.resources.count', { count: String(p.resources.length), total: String(p.total) })}</p>
      {p.resources.length === 0 ? (
        <p>{t('booking.resources.none')}</p>
      ) : (
        <ul class="mb-cards">
          {p.resources.map((r) => (
            <li class="mb-card" key={r.entryId}>
              <h2 class="ds-heading" data-size="xs">
                <a class="ds-link" href={link(r.entryId, r.nextDate)}>
                  {r.name}
                </a>
              </h2>
              <p>
                {kindName(definition, r.kind, locale)}
                {r.area && ` · ${r.area}`}
              </p>
              {r.address && <p class="mb-hint">{r.address}</p>}
              <p>
                {r.nextDate
                  ? t('booking.resources.next', { day, date: formatDay(r.nextDate, locale) })
                  : r.free === 0
                    ? t('booking.resources.freeNone', { date: day })
                    : r.free === 1
                      ? t('booking.resources.freeOne', { date: day })
                      : t('booking.resources.free', { count: String(r.free), date: day })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** A kind's name from the definition's `booking.kinds`, else its id. */
export function kindName(def: ServiceDefinition, kind: string, locale: 'sv' | 'en'): string {
  const name = def.booking?.kinds?.[kind];
  return name ? pick(name, locale) : kind;
}

export interface WeekView {
  ctx: ViewContext;
  definition: ServiceDefinition;
  resource: { entryId: string; name: string; kind: string; area?: string | undefined; address?: string | undefined };
  days: DayAvailability[];
  monday: string;
  /** Links to the weeks before and after, and back to the list (absent: one resource only). */
  previous?: string | undefined;
  next: string;
  other?: string | undefined;
  /** Choosing: the form's action and what was chosen; absent on the public page. */
  choose?: { action: string; selected: string; minutes: string; lengths: Option[] } | undefined;
  /** The public page: where a free time's link starts a booking. */
  startHref?: ((slot: Span) => string) | undefined;
  errors: FieldError[];
  /** The time chosen was just taken: the nearest free times, to choose one of (`refunded`: it was paid for, and the money goes back). */
  taken?: { nearest: Span[]; refunded?: boolean } | undefined;
  facts: string[];
}

export function WeekPage(v: WeekView) {
  const { ctx, definition, resource, days } = v;
  const { t, locale } = ctx;
  const title = v.choose ? t('booking.week.title') : t('booking.week.titlePublic');
  const caption = t('booking.week.caption', { resource: entryName(resource, locale), week: String(weekNumberOf(v.monday)), from: formatDay(v.monday, locale), to: formatDay(addDays(v.monday, 6), locale) });
  const slotError = v.errors.find((e) => e.field === 'f-slot')?.message;
  const lengthError = v.errors.find((e) => e.field === 'f-minutes')?.message;
  let index = 0;
  const radio = (slot: Span, label: string) => {
    const id = index++ === 0 ? 'f-slot' : `f-slot-${index - 1}`;
    const value = slot.start.toISOString();
    return (
      <span class="ds-field mb-slot">
        <input class="ds-input" type="radio" id={id} name="slot" value={value} checked={v.choose?.selected === value} aria-invalid={slotError ? 'true' : undefined} />
        <label class="ds-label" for={id}>
          <span class="mb-visually-hidden">{label.slice(0, label.lastIndexOf(' ') + 1)}</span>
          {v.choose!.lengths.length > 1 ? localTime(slot.start) : `${localTime(slot.start)}–${localTime(slot.end)}`}
        </label>
      </span>
    );
  };
  const table = (
    <table class="ds-table mb-week">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('booking.week.day')}</th>
          <th scope="col">{t('booking.week.times')}</th>
        </tr>
      </thead>
      <tbody>
        {days.map((d) => {
          const shown = d.slots.filter((s) => s.state === 'free' || s.state === 'taken' || s.state === 'full');
          // A full course can still be chosen, for its waiting list.
          const free = shown.filter((s) => s.state === 'free' || s.state === 'full');
          return (
            <tr key={d.date}>
              <th scope="row">{formatDay(d.date, locale)}</th>
              <td>
                {d.closedBecause ? (
                  t('booking.week.closedBecause', { reason: pick(d.closedBecause, locale) })
                ) : d.slots.length === 0 ? (
                  t('booking.week.closed')
                ) : !free.length ? (
                  t('booking.week.noFree')
                ) : (
                  <ul class="mb-slots">
                    {shown.map((s) => (
                      <li key={s.start.toISOString()}>
                        {s.state === 'taken' ? (
                          <span class="mb-slot mb-slot--taken">
                            <span class="mb-visually-hidden">{formatDay(d.date, locale)} </span>
                            {localTime(s.start)} <span class="mb-hint">({t('booking.week.taken')})</span>
                          </span>
                        ) : v.choose ? (
                          <>
                            {radio(s, formatSpan(s, locale))}
                            {s.seats && <SeatsLeft t={t} seats={s.seats} />}
                          </>
                        ) : (
                          <>
                            <a class="ds-link mb-slot" href={v.startHref!(s)}>
                              <span class="mb-visually-hidden">{t('booking.week.bookThis')} {formatDay(d.date, locale)} </span>
                              {localTime(s.start)}
                            </a>
                            {s.seats && <SeatsLeft t={t} seats={s.seats} />}
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
  const nav = (
    <nav class="mb-week-nav" aria-label={caption}>
      {v.previous && (
        <a class="ds-link" href={v.previous}>
          ‹ {t('booking.week.previous')}
        </a>
      )}
      <a class="ds-link" href={v.next}>
        {t('booking.week.next')} ›
      </a>
    </nav>
  );
  const about: ComponentChildren = (
    <>
      <p class="mb-lead">
        <strong>{entryName(resource, locale)}</strong>
        {` · ${kindName(definition, resource.kind, locale)}`}
        {resource.area && ` · ${resource.area}`}
        {resource.address && (
          <>
            <br />
            <span class="mb-hint">{resource.address}</span>
          </>
        )}
      </p>
      {v.facts.map((f) => (
        <p key={f}>{f}</p>
      ))}
      {v.other && (
        <p>
          <a class="ds-link" href={v.other}>
            {t('booking.week.otherResource')}
          </a>
        </p>
      )}
    </>
  );
  return (
    <Layout ctx={ctx} title={`${v.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title} – ${pick(definition.title, locale)}`} section="services">
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />
      <p class="mb-caption">{pick(definition.title, locale)}</p>
      {v.taken && (
        <Alert kind="warning" title={t('booking.taken.title')}>
          {v.taken.refunded && <p>{t('booking.taken.refunded')}</p>}
          <p>{t('booking.taken.body')}</p>
        </Alert>
      )}
      {v.choose ? (
        <form method="post" action={v.choose.action} novalidate>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="resource" value={resource.entryId} />
          <fieldset class="ds-fieldset mb-field" aria-describedby={slotError ? 'f-slot-error' : undefined}>
            <legend class="ds-label">
              <LegendHeading>{title}</LegendHeading>
            </legend>
            {about}
            {slotError && <ValidationMessage id="f-slot-error">{slotError}</ValidationMessage>}
            {v.taken && (
              <section aria-labelledby="nearest">
                <h2 class="ds-heading" data-size="xs" id="nearest">
                  {t('booking.taken.nearest')}
                </h2>
                {v.taken.nearest.length ? (
                  <ul class="mb-slots">
                    {v.taken.nearest.map((s) => (
                      <li key={`n-${s.start.toISOString()}`}>{radioNearest(s, formatSpan(s, locale), v.choose!.selected)}</li>
                    ))}
                  </ul>
                ) : (
                  <p>{t('booking.taken.noneNear')}</p>
                )}
              </section>
            )}
            {nav}
            {table}
          </fieldset>
          {v.choose.lengths.length > 1 && <Select id="f-minutes" name="minutes" label={t('booking.week.length')} options={v.choose.lengths} selected={v.choose.minutes} error={lengthError} />}
          <Button>{t('forms.continue')}</Button>
        </form>
      ) : (
        <>
          <h1 class="ds-heading" data-size="lg">
            {title}
          </h1>
          {about}
          {nav}
          {table}
        </>
      )}
    </Layout>
  );
}

/** A nearest free time, offered above the week after the chosen one was taken. */
function radioNearest(slot: Span, label: string, selected: string) {
  const value = slot.start.toISOString();
  const id = `f-near-${slot.start.getTime()}`;
  return (
    <span class="ds-field mb-slot">
      <input class="ds-input" type="radio" id={id} name="slot" value={value} checked={selected === value} />
      <label class="ds-label" for={id}>
        {label}
      </label>
    </span>
  );
}

/** A booking's time and place, as check your answers and the case pages show it. */
export function BookingSummary(p: { ctx: ViewContext; resource: string; span: Span; status?: string | undefined; price?: string | undefined; change?: string | undefined }) {
  const { t, locale } = p.ctx;
  return (
    <SummaryList
      rows={[
        { key: t('booking.summary.resource'), value: p.resource, ...(p.change ? { change: { href: p.change, label: t('booking.summary.change'), context: t('booking.summary.changeContext') } } : {}) },
        { key: t('booking.summary.time'), value: formatSpan(p.span, locale) },
        ...(p.price ? [{ key: t('booking.price'), value: p.price }] : []),
        ...(p.status ? [{ key: t('booking.summary.status'), value: <Tag color={p.status === 'booked' ? 'success' : p.status === 'cancelled' || p.status === 'refused' || p.status === 'lapsed' ? 'neutral' : 'info'}>{t(`booking.status.${p.status}`)}</Tag> }] : []),
      ]}
    />
  );
}

/** A course occurrence's seats: how many are left, or that it is full and how many wait. */
function SeatsLeft({ t, seats }: { t: ViewContext['t']; seats: { left: number; waiting: number } }) {
  return <span class="mb-hint mb-seats">{seats.left > 0 ? t(seats.left === 1 ? 'booking.seats.leftOne' : 'booking.seats.left', { count: String(seats.left) }) : t('booking.seats.full', { count: String(seats.waiting) })}</span>;
}
