/**
 * The parts of a case page a resident reads wherever they reach the case — My cases with e-ID, or
 * the private follow link (follow/): decision letters, the history, and the conversation with its
 * message form. `base` is the page's own path; links and the form post below it.
 */
import type { DecisionOutcome, RegisterEntry, ServiceDefinition } from '../../catalogue/types.ts';
import { decidingBody } from '../../catalogue/index.ts';
import type { ViewContext } from '../../kernel/html/context.ts';
import { Button, CsrfField, Heading, Paragraph, SummaryList, Tag, Textarea } from '../../kernel/html/components.tsx';
import { formatDate, pick, type Locale } from '../../kernel/i18n/index.ts';
import type { JournalEntry } from '../../archive/index.ts';
import { appealSection, decisionFieldText, fillDecisionTemplate, type StoredDocument } from '../../documents/index.ts';
import { MAX_MESSAGE } from '../actions.ts';
import type { Case, Decision } from '../cases.repository.ts';
import { decisionsOf, type DecisionRecord } from '../decisions.ts';
import type { MessageWindow } from '../message-window.ts';
import { Timeline } from './timeline.tsx';
import '../../documents/messages.ts';

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

const OUTCOME_COLOUR: Record<DecisionOutcome, 'success' | 'warning' | 'danger' | 'neutral'> = { approved: 'success', partlyApproved: 'warning', rejected: 'danger', dismissed: 'neutral', none: 'neutral' };

/** A date of the message window (YYYY-MM-DD, Stockholm) in words. */
const dayInWords = (day: string, ctx: ViewContext) => formatDate(`${day}T12:00:00Z`, ctx.locale);

/**
 * The decisions on the page, not only in their PDFs, in the order they were made (a case may be
 * decided more than once, ADR 0034): each with its outcome, its values (the offered unit, the start
 * date, a validity period — whatever its type's fields are), the letter's text, what other modules
 * add to it (a fee invoiced, ADR 0034), how to appeal it, and its letters; under the latest — when
 * its type leaves messages open — until when the resident may answer, with a link to the form.
 * Nothing before a decision is made.
 */
export function CaseDecision(props: {
  ctx: ViewContext;
  c: Pick<Case, 'decision' | 'reference'>;
  definition: ServiceDefinition;
  register: (id: string) => RegisterEntry[] | undefined;
  documents: readonly StoredDocument[];
  /** The case's journal as this reader reads it: its `decided` entries are the decisions. */
  entries: readonly JournalEntry[];
  base: string;
  /** How the letter's {subject} and {applicant} read to this reader ('' when not to be shown). */
  subject: string;
  applicant: string;
  window: MessageWindow;
  /** Lines other modules add under a decision's text (the letter has them too). */
  lines?: (d: Decision, locale: Locale) => string[];
}) {
  const records = decisionsOf(props.c, props.entries).filter((r) => props.definition.decisions.some((d) => d.id === r.decision.type));
  return (
    <>
      {records.map((r, i) => (
        <OneDecision key={r.seq} {...props} record={r} latest={i === records.length - 1} several={records.length > 1} />
      ))}
    </>
  );
}

function OneDecision(props: Parameters<typeof CaseDecision>[0] & { record: DecisionRecord; latest: boolean; several: boolean }) {
  const { ctx, definition: def, record, latest } = props;
  const { t, locale } = ctx;
  const decision = record.decision;
  const type = def.decisions.find((d) => d.id === decision.type)!;
  const letterCtx = { definition: def, register: props.register };
  const text = fillDecisionTemplate(letterCtx, type, decision.values, { subject: props.subject, applicant: props.applicant, reference: props.c.reference, service: pick(def.title, locale) }, locale);
  const rows = type.fields.filter((f) => decision.values[f.id]).map((f) => ({ key: pick(f.label, locale), value: decisionFieldText(letterCtx, f, decision.values[f.id]!, locale) }));
  const appeal = appealSection(type, locale, decidingBody(def, ctx.tenant));
  const lines = props.lines?.(decision, locale) ?? [];
  // The letters of this decision; a decision recorded before letters were listed with it has all of them.
  const letters = props.documents.filter((d) => d.kind === 'decision_letter' && (record.letterIds.length === 0 || record.letterIds.includes(d.id)));
  const h = latest ? 'decision-h' : `decision-h-${record.seq}`;
  return (
    <section class="mb-panel mb-decision" aria-labelledby={h} id={latest ? 'decision' : `decision-${record.seq}`}>
      <Heading level={2} size="md">
        <span id={h}>{props.several ? t('my.case.decision.titleOf', { decision: pick(type.title, locale) }) : t('my.case.decision.title')}</span>
      </Heading>
      <p>
        <Tag color={OUTCOME_COLOUR[type.outcome]}>{pick(type.title, locale)}</Tag>{' '}
        <span class="mb-hint">{t('my.case.decision.decidedOn', { date: formatDate(decision.decidedAt, locale) })}</span>
      </p>
      {rows.length > 0 && <SummaryList rows={rows} />}
      <Heading level={3} size="xs">
        {t('my.case.decision.letterText')}
      </Heading>
      {text.split(/\n{2,}/).map((para, i) => (
        <p class="ds-paragraph mb-prewrap" key={i}>
          {para}
        </p>
      ))}
      {lines.map((line, i) => (
        <p class="ds-paragraph" key={`l${i}`}>
          <strong>{line}</strong>
        </p>
      ))}
      {latest && props.window.lastDay && (
        <p class="ds-paragraph">
          <strong>
            {props.window.open ? (
              <>
                {t('my.case.decision.answerBy', { date: dayInWords(props.window.lastDay, ctx) })} <a class="ds-link" href="#f-message">{t('my.case.decision.answerLink')}</a>
              </>
            ) : (
              t('my.case.decision.answerClosed', { date: dayInWords(props.window.lastDay, ctx) })
            )}
          </strong>
        </p>
      )}
      {appeal && (
        <>
          <Heading level={3} size="xs">
            {appeal.heading}
          </Heading>
          <p class="ds-paragraph mb-prewrap">{appeal.text}</p>
        </>
      )}
      {letters.length > 0 && (
        <ul class="mb-list-plain">
          <DecisionLetterItems ctx={ctx} documents={letters} base={props.base} />
        </ul>
      )}
    </section>
  );
}

/**
 * The conversation on its own, so a reply is found without reading the whole history, and — while
 * the case's message window is open (message-window.ts) and the reader may write — the message
 * form. When it is closed, the page says so and why, and how else to reach the municipality.
 */
export function CaseMessages(props: {
  ctx: ViewContext;
  definition: ServiceDefinition;
  entries: JournalEntry[];
  base: string;
  window: MessageWindow;
  canWrite: boolean;
  value: string;
  error: string | undefined;
}) {
  const { ctx, definition, base, window: w } = props;
  const { t } = ctx;
  const messages = props.entries.filter((e) => e.kind === 'message');
  const contact = { tenant: pick(ctx.tenant.name, ctx.locale), phone: ctx.tenant.contact.phone, email: ctx.tenant.contact.email };
  return (
    <section aria-labelledby="msg-h" id="messages">
      <Heading level={2} size="sm">
        <span id="msg-h">{t('my.case.messages')}</span>
      </Heading>
      {messages.length ? (
        <Timeline entries={messages} definition={definition} locale={ctx.locale} t={t} audience="resident" attachmentHref={(id) => `${base}/attachments/${id}`} />
      ) : (
        <Paragraph>{t(w.open ? 'my.case.noMessages' : 'my.case.noMessagesFinal')}</Paragraph>
      )}
      {!w.open && props.canWrite && (
        <Paragraph>{w.lastDay ? t('my.case.messagesClosedAfter', { date: dayInWords(w.lastDay, ctx), ...contact }) : t('my.case.messagesClosed', contact)}</Paragraph>
      )}
      {w.open && props.canWrite && (
        <form method="post" action={`${base}/messages`}>
          <CsrfField token={ctx.csrfToken} />
          <Textarea
            id="f-message"
            name="body"
            label={t('my.case.writeMessage')}
            hint={w.lastDay ? t('my.case.messagesOpenUntil', { date: dayInWords(w.lastDay, ctx) }) : undefined}
            value={props.value}
            error={props.error}
            maxLength={MAX_MESSAGE}
          />
          <Button variant="secondary">{t('my.case.send')}</Button>
        </form>
      )}
    </section>
  );
}
