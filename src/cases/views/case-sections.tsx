/**
 * The parts of a case page a resident reads wherever they reach the case — My cases with e-ID, or
 * the private follow link (follow/): decision letters, the history, and the conversation with its
 * message form. `base` is the page's own path; links and the form post below it.
 */
import type { ServiceDefinition } from '../../catalogue/types.ts';
import type { ViewContext } from '../../kernel/html/context.ts';
import { Button, CsrfField, Heading, Paragraph, Textarea } from '../../kernel/html/components.tsx';
import type { JournalEntry } from '../../archive/index.ts';
import type { StoredDocument } from '../../documents/index.ts';
import { MAX_MESSAGE } from '../actions.ts';
import { Timeline } from './timeline.tsx';

/** A list item per decision letter, each in its own language. */
export function DecisionLetterItems({ ctx, documents, base }: { ctx: ViewContext; documents: readonly StoredDocument[]; base: string }) {
  return (
    <>
      {documents
        .filter((d) => d.kind === 'decision_letter')
        .map((d) => (
          <li key={d.id}>
            <a class="ds-link" href={`${base}/documents/${d.id}.pdf`} hrefLang={d.locale}>
              {ctx.t('my.case.letter', { language: ctx.t(`lang.${d.locale}`) })}
            </a>
          </li>
        ))}
    </>
  );
}

/** The case's history as a resident sees it. */
export function CaseHistory({ ctx, definition, entries, base }: { ctx: ViewContext; definition: ServiceDefinition; entries: JournalEntry[]; base: string }) {
  return (
    <section aria-labelledby="hist-h">
      <Heading level={2} size="sm">
        <span id="hist-h">{ctx.t('my.case.history')}</span>
      </Heading>
      <Timeline entries={entries} definition={definition} locale={ctx.locale} t={ctx.t} audience="resident" attachmentHref={(id) => `${base}/attachments/${id}`} />
    </section>
  );
}

/**
 * The conversation on its own, so a reply is found without reading the whole history, and — while
 * the case is open and the reader may write — the message form.
 */
export function CaseMessages(props: {
  ctx: ViewContext;
  definition: ServiceDefinition;
  entries: JournalEntry[];
  base: string;
  final: boolean;
  canWrite: boolean;
  value: string;
  error: string | undefined;
}) {
  const { ctx, definition, base } = props;
  const { t } = ctx;
  const messages = props.entries.filter((e) => e.kind === 'message');
  return (
    <section aria-labelledby="msg-h">
      <Heading level={2} size="sm">
        <span id="msg-h">{t('my.case.messages')}</span>
      </Heading>
      {messages.length ? (
        <Timeline entries={messages} definition={definition} locale={ctx.locale} t={t} audience="resident" attachmentHref={(id) => `${base}/attachments/${id}`} />
      ) : (
        <Paragraph>{t(props.final ? 'my.case.noMessagesFinal' : 'my.case.noMessages')}</Paragraph>
      )}
      {!props.final && props.canWrite && (
        <form method="post" action={`${base}/messages`}>
          <CsrfField token={ctx.csrfToken} />
          <Textarea id="f-message" name="body" label={t('my.case.writeMessage')} value={props.value} error={props.error} maxLength={MAX_MESSAGE} />
          <Button variant="secondary">{t('my.case.send')}</Button>
        </form>
      )}
    </section>
  );
}
