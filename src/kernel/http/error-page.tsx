/** Translated error pages: what went wrong and what to do, never a stack trace. */
import { STATUS_CODES } from 'node:http';
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

/**
 * A request Node's parser refused before any route saw it (headers or address too long, not HTTP):
 * no tenant, language or session is known, so a small page in both languages, then the connection
 * closed. Fastify's own answer here is JSON in English.
 */
export function clientErrorResponse(code: string | undefined, t: (locale: Locale, key: string) => string): string {
  const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
  const part = (l: Locale) => `<section lang="${l}"><h1>${t(l, `error.title.${status}`)}</h1><p>${t(l, `error.body.${status}`)}</p></section>`;
  const body = `<!doctype html><html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${t('sv', `error.title.${status}`)} / ${t('en', `error.title.${status}`)}</title></head><body><main>${part('sv')}${part('en')}</main></body></html>`;
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`;
}
