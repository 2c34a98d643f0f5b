/**
 * Pages and notices around the steps: the draft saved for later, the session that ended, an open
 * case for the same subject, and why the form moved someone to the step they see.
 */
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Alert, ButtonLink, Heading, Paragraph } from '../kernel/html/components.tsx';
import { formatDate, pick } from '../kernel/i18n/index.ts';
import { matterWords } from '../cases/index.ts';
import type { OpenCase } from './duplicates.ts';
import './journey-messages.ts';

/** After "Save and continue later": how to come back, and the day the draft is deleted. */
export function SavedPage({ ctx, definition, draftId, expiresAt, resident }: { ctx: ViewContext; definition: ServiceDefinition; draftId: string; expiresAt: Date; resident: boolean }) {
  const { t, locale } = ctx;
  const words = matterWords(definition, locale);
  const title = t('forms.saved.title', { matter: words.matter, TheMatter: words.TheMatter });
  return (
    <Layout ctx={ctx} title={`${title} – ${pick(definition.title, locale)}`} section="services">
      <div class="mb-panel mb-confirmation">
        <p class="mb-caption">{pick(definition.title, locale)}</p>
        <Heading>{title}</Heading>
      </div>
      <Paragraph>{t(resident ? 'forms.saved.resident' : 'forms.saved.anonymous')}</Paragraph>
      <Paragraph>
        <strong>{t('forms.saved.expires', { date: formatDate(expiresAt, locale) })}</strong>
      </Paragraph>
      <div class="mb-actions">
        {resident && <ButtonLink href="/my/cases">{t('forms.saved.myCases')}</ButtonLink>}
        <ButtonLink href={`/apply/${draftId}`} variant={resident ? 'secondary' : 'primary'}>
          {t('forms.saved.continue')}
        </ButtonLink>
      </div>
    </Layout>
  );
}

/**
 * After the session ended: what is kept, and "Sign in again" back to the same page. `kept`: the
 * answers of the page posted are kept for after sign-in (true), could not be (false), or nothing
 * was posted (undefined).
 */
export function SessionEndedPage({ ctx, back, kept, withoutEid }: { ctx: ViewContext; back: string; kept: boolean | undefined; withoutEid: boolean }) {
  const { t } = ctx;
  const title = t('forms.ended.title');
  return (
    <Layout ctx={ctx} title={title} section="services">
      <Heading>{title}</Heading>
      <Paragraph>{t('forms.ended.body')}</Paragraph>
      {kept !== undefined && <Paragraph>{t(kept ? 'forms.ended.kept' : 'forms.ended.notKept')}</Paragraph>}
      {withoutEid && <Paragraph>{t('forms.ended.anonymous')}</Paragraph>}
      <p>
        <ButtonLink href={`/sign-in?back=${encodeURIComponent(back)}`}>{t('forms.ended.signIn')}</ButtonLink>
      </p>
    </Layout>
  );
}

/** An open case of the service for the same subject: a warning, or why this one cannot be sent. */
export function DuplicateNotice({ ctx, definition, open, subject, refuse }: { ctx: ViewContext; definition: ServiceDefinition; open: OpenCase; subject: string; refuse: boolean }) {
  const { t, locale } = ctx;
  return (
    <Alert kind={refuse ? 'danger' : 'warning'} title={t('forms.duplicate.title', { matter: matterWords(definition, locale).matter, subject })}>
      <Paragraph>{t(refuse ? (open.own ? 'forms.duplicate.refuse' : 'forms.duplicate.refuseOther') : 'forms.duplicate.warn')}</Paragraph>
      {open.own && (
        <p>
          <a class="ds-link" href={`/my/cases/${open.id}`}>
            {t('forms.duplicate.open', { reference: open.reference })}
          </a>
        </p>
      )}
    </Alert>
  );
}

/** Why the person is on this step rather than where they were going. */
export type MovedReason = 'unfinished' | 'resumed' | 'restored';

export function MovedNotice({ ctx, reason }: { ctx: ViewContext; reason: MovedReason }) {
  const { t } = ctx;
  const [title, body] =
    reason === 'unfinished' ? ['forms.moved.unfinished', 'forms.moved.unfinishedBody'] : reason === 'resumed' ? ['forms.moved.resumed', 'forms.moved.resumedBody'] : ['forms.ended.restored', 'forms.ended.restoredBody'];
  return (
    <Alert kind={reason === 'unfinished' ? 'warning' : 'info'} title={t(title)}>
      <Paragraph>{t(body)}</Paragraph>
    </Alert>
  );
}

/** At submission, the register no longer says the resident represents the person (ADR 0033): nothing was sent. */
export function RepresentationEndedPage({ ctx, definition, name }: { ctx: ViewContext; definition: ServiceDefinition; name: string }) {
  const { t, locale } = ctx;
  const title = t('forms.representation.ended.title', { name });
  return (
    <Layout ctx={ctx} title={`${title} – ${pick(definition.title, locale)}`} section="services">
      <p class="mb-caption">{pick(definition.title, locale)}</p>
      <Heading>{title}</Heading>
      <Paragraph lead>{t('forms.representation.ended.body', { name })}</Paragraph>
      <p>
        <a class="ds-link" href={`/services/${definition.id}`}>
          {t('forms.back')}
        </a>
      </p>
    </Layout>
  );
}
