/** The dev mailbox pages (demo mode): the tenant's sent e-mail, and one message. */
import type { ComponentChildren } from 'preact';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Heading, Paragraph, SummaryList } from '../kernel/html/components.tsx';
import { formatDate, pick } from '../kernel/i18n/index.ts';
import type { MailboxMessage } from './dev-mailbox.repository.ts';

type Summary = Omit<MailboxMessage, 'body'>;

function Sent({ at, ctx }: { at: Date; ctx: ViewContext }) {
  return <time dateTime={at.toISOString()}>{formatDate(at, ctx.locale, true)}</time>;
}

function crumbs(ctx: ViewContext, withMailbox: boolean) {
  return [{ href: '/', label: ctx.t('layout.home') }, ...(withMailbox ? [{ href: '/dev/mailbox', label: ctx.t('mailbox.title') }] : [])];
}

export function MailboxListPage({ ctx, messages, olderHref, paged }: { ctx: ViewContext; messages: Summary[]; olderHref: string | undefined; paged: boolean }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('mailbox.title')} breadcrumbs={crumbs(ctx, false)}>
      <Heading>{t('mailbox.title')}</Heading>
      <Paragraph>{t('mailbox.intro', { tenant: pick(ctx.tenant.name, ctx.locale) })}</Paragraph>
      {messages.length === 0 ? (
        <Paragraph>{t('mailbox.empty')}</Paragraph>
      ) : (
        <div class="mb-table-wrap" role="region" aria-label={t('mailbox.caption')} tabIndex={0}>
          <table class="mb-table">
            <caption class="mb-visually-hidden">{t('mailbox.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mailbox.col.subject')}</th>
                <th scope="col">{t('mailbox.col.to')}</th>
                <th scope="col">{t('mailbox.col.sent')}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id}>
                  <td>
                    <a class="ds-link" href={`/dev/mailbox/${m.id}`}>
                      {m.subject || t('mailbox.noSubject')}
                    </a>
                  </td>
                  <td>{m.to}</td>
                  <td>
                    <Sent at={m.sentAt} ctx={ctx} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(olderHref || paged) && (
        <ul class="mb-list-plain">
          {olderHref && (
            <li>
              <a class="ds-link" href={olderHref}>
                {t('mailbox.older')}
              </a>
            </li>
          )}
          {paged && (
            <li>
              <a class="ds-link" href="/dev/mailbox">
                {t('mailbox.newest')}
              </a>
            </li>
          )}
        </ul>
      )}
    </Layout>
  );
}

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;

/** The links in a text, without sentence punctuation that follows them. */
function urlsIn(text: string): { url: string; index: number }[] {
  return [...text.matchAll(URL_IN_TEXT)].map((m) => ({ url: m[0].replace(/[.,;:!?)\]]+$/, ''), index: m.index }));
}

/** One line of the body, with links made clickable only when isLocal accepts them. */
function linkify(line: string, isLocal: (url: string) => boolean): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const { url, index: start } of urlsIn(line)) {
    if (start > last) out.push(line.slice(last, start));
    out.push(
      isLocal(url) ? (
        <a class="ds-link" href={url}>
          {url}
        </a>
      ) : (
        url
      ),
    );
    last = start + url.length;
  }
  if (last < line.length) out.push(line.slice(last));
  return out;
}

/**
 * A plain-text body as HTML with its line breaks, blank lines included, kept as <br> (no CSS
 * needed, and long lines still wrap). Preact escapes all text, so a body can never inject markup.
 */
export function MailBody({ body, isLocal }: { body: string; isLocal: (url: string) => boolean }) {
  const lines = body.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split('\n');
  return (
    <p class="ds-paragraph">
      {lines.flatMap((line, i) => (i === 0 ? linkify(line, isLocal) : [<br key={i} />, ...linkify(line, isLocal)]))}
    </p>
  );
}

export function MailboxMessagePage({ ctx, message, from, isLocal }: { ctx: ViewContext; message: MailboxMessage; from: string; isLocal: (url: string) => boolean }) {
  const { t } = ctx;
  const subject = message.subject || t('mailbox.noSubject');
  return (
    <Layout ctx={ctx} title={subject} breadcrumbs={crumbs(ctx, true)}>
      <Heading>{subject}</Heading>
      <section aria-labelledby="mail-details-h">
        <h2 id="mail-details-h" class="mb-visually-hidden">
          {t('mailbox.details')}
        </h2>
        <SummaryList
          rows={[
            { key: t('mailbox.from'), value: from },
            { key: t('mailbox.to'), value: message.to },
            { key: t('mailbox.sent'), value: <Sent at={message.sentAt} ctx={ctx} /> },
          ]}
        />
      </section>
      <section aria-labelledby="mail-body-h">
        <Heading level={2} size="md">
          <span id="mail-body-h">{t('mailbox.message')}</span>
        </Heading>
        <MailBody body={message.body} isLocal={isLocal} />
      </section>
      {urlsIn(message.body).some((u) => !isLocal(u.url)) && <p class="mb-hint">{t('mailbox.externalLinks')}</p>}
      <p>
        <a class="ds-link" href="/dev/mailbox">
          {t('mailbox.back')}
        </a>
      </p>
    </Layout>
  );
}
