/** The two pages of e-mail verification: the address (the question is the heading), then the code. */
import type { ViewContext } from '../../kernel/html/context.ts';
import { Layout } from '../../kernel/html/layout.tsx';
import { Button, CsrfField, Heading, ErrorSummary, Paragraph, TextField, type FieldError } from '../../kernel/html/components.tsx';

export function EmailPage({ ctx, back, value, error }: { ctx: ViewContext; back: string; value: string; error?: string | undefined }) {
  const { t } = ctx;
  const errors: FieldError[] = error ? [{ field: 'f-email', message: error }] : [];
  return (
    <Layout ctx={ctx} title={error ? `${t('forms.error.summaryTitle')}: ${t('email.start.title')}` : t('email.start.title')}>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
      <form method="post" action="/verify-email" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="back" value={back} />
        <Heading>{t('email.start.title')}</Heading>
        <TextField id="f-email" name="email" label={t('email.start.label')} hint={t('email.start.hint')} type="email" autocomplete="email" value={value} error={error} maxLength={254} width="medium" />
        <Button>{t('email.start.send')}</Button>
      </form>
    </Layout>
  );
}

export function CodePage({ ctx, email, back, error }: { ctx: ViewContext; email: string; back: string; error?: string | undefined }) {
  const { t } = ctx;
  const errors: FieldError[] = error ? [{ field: 'f-code', message: error }] : [];
  return (
    <Layout ctx={ctx} title={error ? `${t('forms.error.summaryTitle')}: ${t('email.code.title')}` : t('email.code.title')}>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
      <Heading>{t('email.code.title')}</Heading>
      <Paragraph>{t('email.code.hint', { email })}</Paragraph>
      <form method="post" action="/verify-email/code" novalidate>
        <CsrfField token={ctx.csrfToken} />
        <TextField id="f-code" name="code" label={t('email.code.label')} inputMode="numeric" autocomplete="one-time-code" error={error} maxLength={12} width="short" />
        <Button>{t('email.code.check')}</Button>
      </form>
      <p>
        <a class="ds-link" href={`/verify-email?back=${encodeURIComponent(back)}&email=${encodeURIComponent(email)}`}>
          {t('email.code.again')}
        </a>
      </p>
    </Layout>
  );
}
