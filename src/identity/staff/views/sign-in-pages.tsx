/** The pages of staff sign-in: password, one-time code, recovery code, TOTP enrolment, recovery codes. */
import type { ViewContext } from '../../../kernel/html/context.ts';
import { Layout } from '../../../kernel/html/layout.tsx';
import { Alert, Button, ButtonLink, CsrfField, ErrorSummary, Heading, Paragraph, TextField, type FieldError } from '../../../kernel/html/components.tsx';
import { NoticeBanner } from '../../../kernel/html/notice.tsx';
import { pick } from '../../../kernel/i18n/index.ts';
import { errorFor } from './shared.tsx';

export function SignInPage(p: {
  ctx: ViewContext;
  username: string;
  back: string;
  errors: FieldError[];
  notice?: 'signed-out' | 'locked' | undefined;
  lockMinutes?: number;
  /** The municipality's own identity provider is configured (tenants.yaml: staffOidc). */
  oidcAvailable?: boolean;
  /** Why a sign-in through it was refused. */
  oidcFailure?: 'failed' | 'no-account' | 'mfa' | 'unavailable' | undefined;
}) {
  const { t } = p.ctx;
  return (
    <Layout ctx={p.ctx} title={t('staff.signIn.title')}>
      <ErrorSummary title={t('staff.error.summaryTitle')} errors={p.errors} />
      <NoticeBanner notice={p.notice === 'signed-out' ? t('staff.signIn.signedOut') : undefined} />
      {p.notice === 'locked' && (
        <Alert kind="warning">
          <p>{t('staff.signIn.locked', { minutes: p.lockMinutes ?? 15 })}</p>
        </Alert>
      )}
      {p.oidcFailure && (
        <Alert kind="danger">
          <p>{t(`staff.oidc.failure.${p.oidcFailure}`, { tenant: pick(p.ctx.tenant.name, p.ctx.locale) })}</p>
        </Alert>
      )}
      <Heading>{t('staff.signIn.title')}</Heading>
      {p.oidcAvailable && (
        <>
          <p>
            <a class="ds-button" data-variant="primary" href="/staff/sign-in/oidc">
              {t('staff.oidc.button')}
            </a>
          </p>
          <Paragraph>{t('staff.oidc.or')}</Paragraph>
        </>
      )}
      <Paragraph>{t('staff.signIn.lead')}</Paragraph>
      <form method="post" action="/staff/sign-in" noValidate>
        <CsrfField token={p.ctx.csrfToken} />
        <input type="hidden" name="back" value={p.back} />
        <TextField
          id="username"
          name="username"
          label={t('staff.signIn.username')}
          value={p.username}
          error={errorFor(p.errors, 'username')}
          autocomplete="username"
          required
          width="medium"
          maxLength={200}
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label={t('staff.signIn.password')}
          error={errorFor(p.errors, 'password')}
          autocomplete="current-password"
          required
          width="medium"
        />
        <div class="mb-actions">
          <Button>{t('staff.signIn.submit')}</Button>
        </div>
      </form>
      <p>
        <a class="ds-link" href="/sign-in">
          {t('staff.signIn.residents')}
        </a>
      </p>
    </Layout>
  );
}

function CancelSignIn({ ctx }: { ctx: ViewContext }) {
  return (
    <form method="post" action="/staff/sign-out" class="mb-inline-form">
      <CsrfField token={ctx.csrfToken} />
      <Button variant="tertiary">{ctx.t('staff.code.cancel')}</Button>
    </form>
  );
}

export function CodePage({ ctx, errors }: { ctx: ViewContext; errors: FieldError[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.code.title')}>
      <ErrorSummary title={t('staff.error.summaryTitle')} errors={errors} />
      <Heading>{t('staff.code.title')}</Heading>
      <Paragraph>{t('staff.code.lead', { tenant: pick(ctx.tenant.name, ctx.locale) })}</Paragraph>
      <form method="post" action="/staff/sign-in/code" noValidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          id="code"
          name="code"
          label={t('staff.code.label')}
          hint={t('staff.code.hint')}
          error={errorFor(errors, 'code')}
          autocomplete="one-time-code"
          inputMode="numeric"
          required
          width="short"
          maxLength={10}
        />
        <div class="mb-actions">
          <Button>{t('staff.code.submit')}</Button>
        </div>
      </form>
      <p>
        <a class="ds-link" href="/staff/sign-in/recovery">
          {t('staff.code.useRecovery')}
        </a>
      </p>
      <CancelSignIn ctx={ctx} />
    </Layout>
  );
}

export function RecoveryPage({ ctx, errors }: { ctx: ViewContext; errors: FieldError[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.recovery.title')}>
      <ErrorSummary title={t('staff.error.summaryTitle')} errors={errors} />
      <Heading>{t('staff.recovery.title')}</Heading>
      <Paragraph>{t('staff.recovery.lead')}</Paragraph>
      <form method="post" action="/staff/sign-in/recovery" noValidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField
          id="recoveryCode"
          name="recoveryCode"
          label={t('staff.recovery.label')}
          hint={t('staff.recovery.hint')}
          error={errorFor(errors, 'recoveryCode')}
          autocomplete="off"
          required
          width="medium"
          maxLength={40}
        />
        <div class="mb-actions">
          <Button>{t('staff.code.submit')}</Button>
        </div>
      </form>
      <p>
        <a class="ds-link" href="/staff/sign-in/code">
          {t('staff.recovery.useApp')}
        </a>
      </p>
      <CancelSignIn ctx={ctx} />
    </Layout>
  );
}

export function EnrolPage(p: { ctx: ViewContext; username: string; secret: string; qrDataUrl: string; errors: FieldError[] }) {
  const { t } = p.ctx;
  const tenant = pick(p.ctx.tenant.name, p.ctx.locale);
  return (
    <Layout ctx={p.ctx} title={t('staff.enrol.title')}>
      <ErrorSummary title={t('staff.error.summaryTitle')} errors={p.errors} />
      <Heading>{t('staff.enrol.title')}</Heading>
      <Paragraph>{t('staff.enrol.lead')}</Paragraph>
      <ol class="ds-list">
        <li>
          <p class="ds-paragraph">{t('staff.enrol.step1')}</p>
        </li>
        <li>
          <p class="ds-paragraph">{t('staff.enrol.step2')}</p>
          <p>
            <img src={p.qrDataUrl} width={240} height={240} alt={t('staff.enrol.qrAlt', { username: p.username, tenant })} />
          </p>
          <p class="ds-paragraph">{t('staff.enrol.manual')}</p>
          <dl class="mb-summary">
            <div class="mb-summary__row">
              <dt>{t('staff.enrol.account')}</dt>
              <dd>{`${tenant}: ${p.username}`}</dd>
            </div>
            <div class="mb-summary__row">
              <dt>{t('staff.enrol.key')}</dt>
              <dd>
                <code data-testid="totp-secret">{p.secret}</code>
              </dd>
            </div>
          </dl>
        </li>
        <li>
          <p class="ds-paragraph">{t('staff.enrol.step3')}</p>
          <form method="post" action="/staff/sign-in/enrol" noValidate>
            <CsrfField token={p.ctx.csrfToken} />
            <TextField
              id="code"
              name="code"
              label={t('staff.code.label')}
              hint={t('staff.code.hint')}
              error={errorFor(p.errors, 'code')}
              autocomplete="one-time-code"
              inputMode="numeric"
              required
              width="short"
              maxLength={10}
            />
            <div class="mb-actions">
              <Button>{t('staff.enrol.submit')}</Button>
            </div>
          </form>
        </li>
      </ol>
      <CancelSignIn ctx={p.ctx} />
    </Layout>
  );
}

export function RecoveryCodesPage({ ctx, codes, next }: { ctx: ViewContext; codes: string[]; next: string }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('staff.codes.title')}>
      <Heading>{t('staff.codes.title')}</Heading>
      <Alert kind="warning">
        <p>{t('staff.codes.lead')}</p>
      </Alert>
      <Heading level={2} size="sm">
        {t('staff.codes.list')}
      </Heading>
      <ol class="ds-list" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <p>
        <ButtonLink href={next}>{t('staff.codes.continue')}</ButtonLink>
      </p>
    </Layout>
  );
}
