/** Pages of e-ID sign-in and the resident's contact details. */
import type { ViewContext } from '../../kernel/html/context.ts';
import { Layout } from '../../kernel/html/layout.tsx';
import { Button, CsrfField, ErrorSummary, Heading, Paragraph, SummaryList, TextField, type FieldError } from '../../kernel/html/components.tsx';
import { NoticeBanner } from '../../kernel/html/notice.tsx';
import type { RegisteredAddress } from '../../integrations/population-register/index.ts';

export type SignInProblem = 'failed' | 'cancelled' | 'expired' | 'noIdentityNumber' | 'assurance' | 'unavailable' | 'notConfigured';

/** Why a sign-in did not go through, and what to do: try again, or go home. */
export function SignInProblemPage({ ctx, problem, retryHref }: { ctx: ViewContext; problem: SignInProblem; retryHref: string }) {
  const title = ctx.t(`eid.${problem}.title`);
  return (
    <Layout ctx={ctx} title={title}>
      <Heading>{title}</Heading>
      <Paragraph>{ctx.t(`eid.${problem}.body`)}</Paragraph>
      <ul class="ds-list">
        {problem !== 'notConfigured' && (
          <li>
            <a class="ds-link" href={retryHref}>
              {ctx.t('eid.tryAgain')}
            </a>
          </li>
        )}
        <li>
          <a class="ds-link" href="/">
            {ctx.t('eid.backHome')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}

export function SignedOutPage({ ctx }: { ctx: ViewContext }) {
  const title = ctx.t('eid.signedOut.title');
  return (
    <Layout ctx={ctx} title={title}>
      <Heading>{title}</Heading>
      <Paragraph>{ctx.t('eid.signedOut.body')}</Paragraph>
      <ul class="ds-list">
        <li>
          <a class="ds-link" href="/sign-in?back=%2F">
            {ctx.t('eid.signedOut.signInAgain')}
          </a>
        </li>
        <li>
          <a class="ds-link" href="/">
            {ctx.t('eid.backHome')}
          </a>
        </li>
      </ul>
    </Layout>
  );
}

export interface ProfileView {
  name: string;
  maskedPersonalNumber: string;
  /** undefined: not in the register; 'unavailable': the register could not be asked. */
  address: RegisteredAddress | undefined | 'unavailable';
  email: string;
  phone: string;
  errors: FieldError[];
  saved: boolean;
}

export function ProfilePage({ ctx, view }: { ctx: ViewContext; view: ProfileView }) {
  const { t } = ctx;
  const title = t('eid.profile.title');
  const errorFor = (field: string) => view.errors.find((e) => e.field === field)?.message;
  const address =
    view.address === 'unavailable' ? (
      t('error.populationRegisterUnavailable')
    ) : view.address ? (
      <>
        {view.address.street}
        <br />
        {view.address.postalCode} {view.address.city}
      </>
    ) : (
      t('eid.profile.notInRegister')
    );
  return (
    <Layout ctx={ctx} title={view.errors.length ? `${t('eid.profile.errorSummary')}: ${title}` : title}>
      <ErrorSummary title={t('eid.profile.errorSummary')} errors={view.errors} />
      <NoticeBanner notice={view.saved ? t('eid.profile.saved') : undefined} />
      <Heading>{title}</Heading>
      <Paragraph lead>{t('eid.profile.lead')}</Paragraph>
      <Heading level={2} size="md">
        {t('eid.profile.aboutYou')}
      </Heading>
      <SummaryList
        rows={[
          { key: t('eid.profile.name'), value: view.name },
          { key: t('eid.profile.personalNumber'), value: view.maskedPersonalNumber },
          { key: t('eid.profile.address'), value: address },
        ]}
      />
      <Paragraph>{t('eid.profile.fromRegister')}</Paragraph>
      <form method="post" action="/my/profile" noValidate>
        <CsrfField token={ctx.csrfToken} />
        <Heading level={2} size="md">
          {t('eid.profile.contactHeading')}
        </Heading>
        <TextField
          id="email"
          name="email"
          type="email"
          label={t('eid.profile.email')}
          hint={t('eid.profile.emailHint')}
          autocomplete="email"
          required
          maxLength={254}
          value={view.email}
          error={errorFor('email')}
        />
        <TextField
          id="phone"
          name="phone"
          type="tel"
          label={t('eid.profile.phone')}
          hint={t('eid.profile.phoneHint')}
          autocomplete="tel"
          maxLength={30}
          width="medium"
          value={view.phone}
          error={errorFor('phone')}
        />
        <Button>{t('eid.profile.save')}</Button>
      </form>
    </Layout>
  );
}
