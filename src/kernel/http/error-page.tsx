/** Translated error pages: what went wrong and what to do, never a stack trace. */
import type { ViewContext } from '../html/context.ts';
import { Layout } from '../html/layout.tsx';
import type { Locale, Translate } from '../i18n/index.ts';

/**
 * `detail` is the message key of the specific error (e.g. the population register is down);
 * when there is one it replaces the status's generic explanation.
 */
export function ErrorPage({ ctx, status, requestId, detail }: { ctx: ViewContext; status: number; requestId: string; detail?: string | undefined }) {
  const known = [400, 403, 404, 409, 413, 419, 429, 503].includes(status) ? status : status === 401 ? 403 : 500;
  const title = ctx.t(`error.title.${known}`);
  return (
    <Layout ctx={ctx} title={title}>
      <h1 class="ds-heading" data-size="lg">
        {title}
      </h1>
      <p class="ds-paragraph">{ctx.t(detail ?? `error.body.${known}`)}</p>
      {known === 500 && <p class="ds-paragraph">{ctx.t('error.reference', { id: requestId })}</p>}
      <p class="ds-paragraph">
        <a class="ds-link" href="/">
          {ctx.t('error.backHome')}
        </a>
      </p>
    </Layout>
  );
}

/** For a host no tenant claims: no municipality's frame to render in. */
export function UnknownTenantPage({ t, locale }: { t: Translate; locale: Locale }) {
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{t('error.title.unknownTenant')}</title>
      </head>
      <body>
        <main>
          <h1>{t('error.title.unknownTenant')}</h1>
          <p>{t('error.body.unknownTenant')}</p>
        </main>
      </body>
    </html>
  );
}
