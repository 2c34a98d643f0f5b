/** The pages and sections of offers (ADR 0046): the offer on the case page, its answer page, staff's places and vacancies, the guarantee. */
import type { VNode } from 'preact';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Button, ButtonLink, ChoiceGroup, CsrfField, ErrorSummary, Heading, Paragraph, Select, TextField, type FieldError } from '../kernel/html/components.tsx';
import { formatDate } from '../kernel/i18n/index.ts';
import { formatNumber } from '../kernel/i18n/numbers.ts';
import './offer-messages.ts';

export interface OfferView {
  unit: string;
  startDate: string;
  /** The last day to answer. */
  lastDay: string;
  ageGroup: string | undefined;
}

/** The offer that stands (with the way to answer it), or the place accepted; headed for whoever reads it (the applicant, or staff). */
export function OfferSection(v: { ctx: ViewContext; open?: OfferView | undefined; answerHref?: string | undefined; accepted?: { unit: string; startDate: string } | undefined; onDecline: 'keep' | 'leave'; staff: boolean }) {
  const { t, locale } = v.ctx;
  if (!v.open && !v.accepted) return null;
  return (
    <section aria-labelledby="queue-offer-h" class="mb-panel" id="queue-offer">
      <h2 class="ds-heading" data-size="sm" id="queue-offer-h">
        {t(`queue.offer.${v.open ? 'title' : 'acceptedTitle'}${v.staff ? 'Staff' : ''}`)}
      </h2>
      {v.open && (
        <>
          <Paragraph>
            <strong>{t('queue.offer.text', { unit: v.open.unit, start: formatDate(v.open.startDate, locale) })}</strong>
            {v.open.ageGroup ? ` ${t('queue.offer.ageGroup', { group: v.open.ageGroup })}` : ''}
          </Paragraph>
          <Paragraph>{t('queue.offer.replyBy', { date: formatDate(v.open.lastDay, locale) })}</Paragraph>
          <Paragraph>{t(`queue.offer.onDecline.${v.onDecline}`)}</Paragraph>
          {v.answerHref ? <ButtonLink href={v.answerHref}>{t('queue.offer.question')}</ButtonLink> : !v.staff && <Paragraph>{t('queue.offer.notYours')}</Paragraph>}
        </>
      )}
      {v.accepted && <Paragraph>{t(v.staff ? 'queue.offer.acceptedTextStaff' : 'queue.offer.acceptedText', { unit: v.accepted.unit, start: formatDate(v.accepted.startDate, locale) })}</Paragraph>}
    </section>
  );
}

/** The answer, one question on its page: accept or decline, with e-ID. */
export function OfferPage(v: { ctx: ViewContext; caseTitle: string; caseHref: string; action: string; offer: OfferView; onDecline: 'keep' | 'leave'; errors: FieldError[]; selected: string }) {
  const { t, locale } = v.ctx;
  const question = t('queue.offer.question');
  return (
    <Layout
      ctx={v.ctx}
      title={`${v.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${question} – ${v.caseTitle}`}
      section="cases"
      breadcrumbs={[
        { href: '/my/cases', label: t('my.title') },
        { href: v.caseHref, label: v.caseTitle },
      ]}
    >
      {v.errors.length > 0 && <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />}
      <form method="post" action={v.action} novalidate>
        <CsrfField token={v.ctx.csrfToken} />
        <ChoiceGroup
          id="f-answer"
          name="answer"
          legend={question}
          legendIsHeading
          hint={`${t('queue.offer.text', { unit: v.offer.unit, start: formatDate(v.offer.startDate, locale) })} ${t('queue.offer.replyBy', { date: formatDate(v.offer.lastDay, locale) })} ${t(`queue.offer.onDecline.${v.onDecline}`)}`}
          error={v.errors.find((e) => e.field === 'f-answer')?.message}
          options={[
            { value: 'accept', label: t('queue.offer.accept') },
            { value: 'decline', label: t('queue.offer.decline') },
          ]}
          selected={v.selected ? [v.selected] : []}
        />
        <Paragraph>{t('queue.offer.signed')}</Paragraph>
        <div class="mb-actions">
          <Button type="submit">{t('queue.offer.submit')}</Button>
          <a class="ds-link" href={v.caseHref}>
            {t('queue.choices.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}

export interface PlacesPanelView {
  ctx: ViewContext;
  /** The queue page's own address; the forms post below it. */
  here: string;
  ageGroups: { id: string; label: string }[];
  capacities: { ageGroup: string; from: string; seats: number; inUse: number }[];
  vacancies: { id: string; ageGroup: string; startDate: string; state: 'out' | 'unmatched' | 'taken'; reference?: string | undefined; caseHref?: string | undefined; lastDay?: string | undefined }[];
  errors: FieldError[];
  /** What was posted to a form that failed, kept. */
  posted: Record<string, string>;
}

/** Staff's part of a queue that offers places: its places per age group, opening a free place, the places free and filled. */
export function PlacesPanel(v: PlacesPanelView): VNode {
  const { t, locale } = v.ctx;
  const groupLabel = (id: string) => v.ageGroups.find((g) => g.id === id)?.label ?? t('queue.places.any');
  const err = (field: string) => v.errors.find((e) => e.field === field)?.message;
  const groupOptions = v.ageGroups.map((g) => ({ value: g.id, label: g.label }));
  return (
    <section aria-labelledby="places-h" id="places">
      <Heading level={2} size="md">
        <span id="places-h">{t('queue.places.title')}</span>
      </Heading>
      {v.errors.length > 0 && <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />}
      {!v.capacities.length ? (
        <Paragraph>{t('queue.places.none')}</Paragraph>
      ) : (
        <table class="ds-table">
          <caption>{t('queue.places.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('queue.places.col.ageGroup')}</th>
              <th scope="col">{t('queue.places.col.from')}</th>
              <th scope="col">{t('queue.places.col.seats')}</th>
              <th scope="col">{t('queue.places.col.inUse')}</th>
            </tr>
          </thead>
          <tbody>
            {v.capacities.map((c) => (
              <tr key={`${c.ageGroup}|${c.from}`}>
                <th scope="row">{groupLabel(c.ageGroup)}</th>
                <td data-label={t('queue.places.col.from')}>{formatDate(c.from, locale)}</td>
                <td data-label={t('queue.places.col.seats')}>{formatNumber(c.seats, locale)}</td>
                <td data-label={t('queue.places.col.inUse')}>{formatNumber(c.inUse, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <form method="post" action={`${v.here}/free-places`} novalidate aria-labelledby="vacancy-h">
        <CsrfField token={v.ctx.csrfToken} />
        <Heading level={3} size="sm">
          <span id="vacancy-h">{t('queue.vacancy.openTitle')}</span>
        </Heading>
        <Paragraph>{t('queue.vacancy.openIntro')}</Paragraph>
        {v.ageGroups.length > 0 && (
          <Select id="f-vacancy-ageGroup" name="forGroup" label={t('queue.places.col.ageGroup')} error={err('f-vacancy-ageGroup')} options={groupOptions} selected={v.posted['vacancy.ageGroup'] ?? ''} emptyLabel="" />
        )}
        <TextField id="f-vacancy-startDate" name="freeFrom" label={t('queue.vacancy.startDate')} hint={t('queue.vacancy.dateHint')} error={err('f-vacancy-startDate')} value={v.posted['vacancy.startDate'] ?? ''} width="short" />
        <TextField id="f-vacancy-count" name="count" label={t('queue.vacancy.count')} error={err('f-vacancy-count')} value={v.posted['vacancy.count'] ?? '1'} inputMode="numeric" width="short" />
        <Button type="submit">{t('queue.vacancy.submit')}</Button>
      </form>

      <form method="post" action={`${v.here}/places`} novalidate aria-labelledby="places-change-h">
        <CsrfField token={v.ctx.csrfToken} />
        <Heading level={3} size="sm">
          <span id="places-change-h">{t('queue.places.change')}</span>
        </Heading>
        {v.ageGroups.length > 0 && (
          <Select id="f-places-ageGroup" name="ageGroup" label={t('queue.places.col.ageGroup')} error={err('f-places-ageGroup')} options={groupOptions} selected={v.posted['places.ageGroup'] ?? ''} emptyLabel="" />
        )}
        <TextField id="f-places-from" name="from" label={t('queue.places.col.from')} hint={t('queue.vacancy.dateHint')} error={err('f-places-from')} value={v.posted['places.from'] ?? ''} width="short" />
        <TextField id="f-places-seats" name="seats" label={t('queue.places.seats')} error={err('f-places-seats')} value={v.posted['places.seats'] ?? ''} inputMode="numeric" width="short" />
        <Button type="submit" variant="secondary">
          {t('queue.places.save')}
        </Button>
      </form>

      <Heading level={3} size="sm">
        <span id="vacancies-h">{t('queue.vacancy.caption')}</span>
      </Heading>
      {!v.vacancies.length ? (
        <Paragraph>{t('queue.vacancy.none')}</Paragraph>
      ) : (
        <table class="ds-table" aria-labelledby="vacancies-h">
          <thead>
            <tr>
              <th scope="col">{t('queue.places.col.ageGroup')}</th>
              <th scope="col">{t('queue.places.col.from')}</th>
              <th scope="col">{t('queue.vacancy.col.state')}</th>
              <th scope="col">
                <span class="mb-visually-hidden">{t('queue.vacancy.col.state')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {v.vacancies.map((x) => (
              <tr key={x.id}>
                <th scope="row">{groupLabel(x.ageGroup)}</th>
                <td data-label={t('queue.places.col.from')}>{formatDate(x.startDate, locale)}</td>
                <td data-label={t('queue.vacancy.col.state')}>
                  {x.state === 'unmatched' ? (
                    t('queue.vacancy.waiting')
                  ) : (
                    <a class="ds-link" href={x.caseHref}>
                      {x.state === 'out' ? t('queue.vacancy.offered', { reference: x.reference ?? '', date: formatDate(x.lastDay ?? x.startDate, locale) }) : t('queue.vacancy.filled', { reference: x.reference ?? '' })}
                    </a>
                  )}
                </td>
                <td>
                  {x.state !== 'out' && (
                    <form method="post" action={`${v.here}/free-places/${x.id}/close`}>
                      <CsrfField token={v.ctx.csrfToken} />
                      <Button type="submit" variant="secondary">
                        {x.state === 'taken' ? t('queue.vacancy.end') : t('queue.vacancy.withdraw')}
                      </Button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Applications past their guaranteed date without a place, per service. */
export function GuaranteeSection(v: { ctx: ViewContext; services: { id: string; title: string; lines: { caseHref: string; reference: string; queueDate: string; guaranteeDate: string; daysOver: number }[] }[] }) {
  const { t, locale } = v.ctx;
  if (!v.services.length) return null;
  return (
    <section aria-labelledby="guarantee-h">
      <Heading level={2} size="md">
        <span id="guarantee-h">{t('queue.guarantee.title')}</span>
      </Heading>
      {v.services.map((s) =>
        !s.lines.length ? (
          <Paragraph key={s.id}>{t('queue.guarantee.none', { service: s.title })}</Paragraph>
        ) : (
          <table class="ds-table" key={s.id}>
            <caption>{t('queue.guarantee.caption', { service: s.title })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('queue.guarantee.col.case')}</th>
                <th scope="col">{t('queue.guarantee.col.queueDate')}</th>
                <th scope="col">{t('queue.guarantee.col.date')}</th>
                <th scope="col">{t('queue.guarantee.col.over')}</th>
              </tr>
            </thead>
            <tbody>
              {s.lines.map((l) => (
                <tr key={l.reference}>
                  <th scope="row">
                    <a class="ds-link" href={l.caseHref}>
                      {l.reference}
                    </a>
                  </th>
                  <td data-label={t('queue.guarantee.col.queueDate')}>{formatDate(l.queueDate, locale)}</td>
                  <td data-label={t('queue.guarantee.col.date')}>{formatDate(l.guaranteeDate, locale)}</td>
                  <td data-label={t('queue.guarantee.col.over')}>{formatNumber(l.daysOver, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ),
      )}
    </section>
  );
}

