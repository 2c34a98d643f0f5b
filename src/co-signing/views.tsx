/**
 * Co-signing on the case pages: the co-signer's question, the state of the request for the
 * applicant (never a name: either may have a protected identity), and for staff who answered and
 * when. Rendered as sections of the cases module's pages (CaseExtension).
 */
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { CaseParty } from '../cases/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Button, ChoiceGroup, CsrfField, Heading, Paragraph, SummaryList, Tag, Textarea } from '../kernel/html/components.tsx';
import { NoticeBanner } from '../kernel/html/notice.tsx';
import { formatDate, translate, type Locale } from '../kernel/i18n/index.ts';
import { maskPersonalNumber } from '../integrations/population-register/index.ts';
import { isProtected, signerLabel } from './co-signing.ts';

export const MAX_REASON = 2000;

/** One request's state in words, for any audience. */
export function statusText(p: CaseParty, locale: Locale): string {
  const status = p.status ?? 'pending';
  const date = status === 'pending' ? p.dueAt : p.statusAt;
  // An answer is shown with its time (who approved, and when); a deadline by its day.
  return translate(locale, `cosign.status.${status}`, { due: date ? formatDate(date, locale) : '', date: date ? formatDate(date, locale, true) : '' });
}

const colour = (p: CaseParty) => (p.status === 'approved' ? 'success' : p.status === 'pending' ? 'warning' : 'neutral');

/** What the co-signer is asked, with the answers shown above it by the case page. */
export function CoSignQuestion({ ctx, caseId, def, party, error }: { ctx: ViewContext; caseId: string; def: ServiceDefinition; party: CaseParty; error: string | undefined }) {
  const { t, locale } = ctx;
  return (
    <section class="mb-panel" aria-labelledby="cosign-h" id="cosign">
      <Heading level={2} size="md">
        <span id="cosign-h">{t('cosign.ask.title')}</span>
      </Heading>
      <Paragraph>{t('cosign.ask.intro', { signer: signerLabel(def, locale, true), due: party.dueAt ? formatDate(party.dueAt, locale) : '' })}</Paragraph>
      <form method="post" action={`/my/cases/${caseId}/co-sign`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <ChoiceGroup
          id="cosign-answer"
          name="answer"
          legend={t('cosign.ask.legend')}
          error={error}
          required
          options={[
            { value: 'approve', label: t('cosign.ask.approve') },
            { value: 'reject', label: t('cosign.ask.reject') },
          ]}
          selected={[]}
        />
        <Textarea id="cosign-reason" name="reason" label={t('cosign.ask.reason')} hint={t('cosign.ask.reasonHint')} maxLength={MAX_REASON} rows={4} />
        <Button>{t('cosign.ask.submit')}</Button>
      </form>
    </section>
  );
}

/** The requests' state as the applicant (or a co-signer who has answered) reads it: by label, never by name. */
export function CoSignStatus({ ctx, def, parties, flash, howToAsk }: { ctx: ViewContext; def: ServiceDefinition; parties: CaseParty[]; flash: string | undefined; howToAsk: string | undefined }) {
  const { t, locale } = ctx;
  return (
    <section class="mb-panel" aria-labelledby="cosign-h" id="cosign">
      <NoticeBanner notice={flash} />
      <Heading level={2} size="sm">
        <span id="cosign-h">{t('cosign.section.title')}</span>
      </Heading>
      <SummaryList
        rows={parties.map((p, i) => ({
          key: parties.length > 1 ? `${signerLabel(def, locale)} ${i + 1}` : signerLabel(def, locale),
          value: (
            <>
              <Tag color={colour(p)}>{statusText(p, locale)}</Tag>
              {p.statusReason && (
                <p>
                  {t('cosign.reason')}: {p.statusReason}
                </p>
              )}
            </>
          ),
        }))}
      />
      {howToAsk && <Paragraph>{howToAsk}</Paragraph>}
    </section>
  );
}

/** Staff see who answered and when; a protected identity is flagged so it is not passed on. */
export function CoSignStaffSection({ ctx, parties }: { ctx: ViewContext; parties: CaseParty[] }) {
  const { t, locale } = ctx;
  return (
    <section class="mb-panel" aria-labelledby="cosign-staff-h">
      <Heading level={2} size="sm">
        <span id="cosign-staff-h">{t('cosign.section.title')}</span>
      </Heading>
      <SummaryList
        rows={parties.map((p) => ({
          key: t('cosign.staff.signer'),
          value: (
            <>
              {p.name ?? ''} {p.personalNumber ? `(${maskPersonalNumber(p.personalNumber)})` : ''}
              <br />
              <Tag color={colour(p)}>{statusText(p, locale)}</Tag>
              {isProtected(p) && (
                <>
                  <br />
                  <strong>{t('cosign.staff.protected')}</strong>
                </>
              )}
              {p.statusReason && (
                <p>
                  {t('cosign.reason')}: {p.statusReason}
                </p>
              )}
            </>
          ),
        }))}
      />
    </section>
  );
}
