/** Pages of the forms engine: one step per page, check your answers, confirmation. */
import type { VNode } from 'preact';
import type { Field, ServiceDefinition, Step, RegisterEntry } from '../catalogue/types.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import type { Localised } from '../kernel/tenants.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Alert, Button, ButtonLink, CsrfField, ErrorSummary, Heading, Paragraph, SummaryList, type FieldError } from '../kernel/html/components.tsx';
import { pick } from '../kernel/i18n/index.ts';
import type { Answers, AnswerValue } from './conditions.ts';
import { displayAnswer, inputId, kindOf, renderField, type ChildOption, type EarlierCaseOption, type PropertyOption, type MapSettings } from './kinds/index.ts';
import { normaliseCondition } from '../expressions/index.ts';
import { fieldsOf } from './conditions.ts';
import { matterKey } from '../cases/index.ts';
import { compiledFieldHtml } from './template.ts';
import { formatOrganisationNumber } from '../integrations/registers/index.ts';
import { isActingForPerson, type ActingFor } from './drafts.repository.ts';
import { capacityKey } from './representation.tsx';

/** A condition as the page's data-when carries it, worked out once per condition object (definitions never change). */
const conditionJsonCache = new WeakMap<object, string>();
function conditionJson(when: NonNullable<Field['when']>): string {
  if (typeof when !== 'object' || when === null) return JSON.stringify(normaliseCondition(when));
  const key = when as object;
  let json = conditionJsonCache.get(key);
  if (json === undefined) conditionJsonCache.set(key, (json = JSON.stringify(normaliseCondition(when))));
  return json;
}

export interface StepView {
  ctx: ViewContext;
  definition: ServiceDefinition;
  draftId: string;
  step: Step;
  stepNumber: number;
  stepCount: number;
  /** Fields to render: shown by their condition, or conditional on a field of this page. */
  fields: { field: Field; conditionalOnPage: boolean }[];
  answers: Answers;
  errors: FieldError[];
  backHref: string;
  returnToCheck: boolean;
  register: (id: string) => RegisterEntry[] | undefined;
  children: ChildOption[];
  /** The applicant's earlier cases, for a case-reference field */
  earlierCases?: EarlierCaseOption[] | undefined;
  /** The applicant's properties from the property register, for a property field (ADR 0035) */
  properties?: PropertyOption[] | undefined;
  /** The location field's map, when a tile server is configured */
  map?: MapSettings | undefined;
  /** Today in Europe/Stockholm (YYYY-MM-DD): a child field offers only children young enough on it. */
  today: string;
  draftRetentionDays: number;
  /** The service has a newer version than the draft's (which it keeps); what differs. */
  changed?: ServiceChange | undefined;
  /** Why the person is on this step (moved here, resumed, answers restored after sign-in). */
  notice?: VNode | undefined;
  /** The step's follow-up page: the questions its answers made apply, asked after it without JavaScript (ADR 0026). */
  followUp?: boolean | undefined;
}

/** Steps of the current version the draft's version lacks, and the reverse (titles). */
export interface ServiceChange {
  added: Localised[];
  removed: Localised[];
}

/** Tells the resident that the service changed after they began, and that their application keeps the questions it had. */
export function ServiceChangedNotice({ ctx, changed, definition }: { ctx: ViewContext; changed: ServiceChange | undefined; definition?: Pick<ServiceDefinition, 'matter'> | undefined }) {
  if (!changed) return null;
  const { t, locale } = ctx;
  const titles = (l: Localised[]) => l.map((x) => `”${pick(x, locale)}”`).join(', ');
  return (
    <Alert kind="info" title={t('forms.changed.title')}>
      <Paragraph>{t(matterKey('forms.changed.body', definition))}</Paragraph>
      {changed.added.length > 0 && <Paragraph>{t('forms.changed.added', { steps: titles(changed.added) })}</Paragraph>}
      {changed.removed.length > 0 && <Paragraph>{t('forms.changed.removed', { steps: titles(changed.removed) })}</Paragraph>}
    </Alert>
  );
}

export function StepPage(view: StepView) {
  const { ctx, definition, step } = view;
  const { t, locale } = ctx;
  const errorFor = new Map(view.errors.map((e) => [e.field, e.message]));
  // One question on the page: the question (its label or legend) is the page's h1, whatever its kind.
  const single = view.fields.length === 1;
  const title = pick(single ? view.fields[0]!.field.label : step.title, locale);
  const rctx = { locale, t, register: view.register, children: view.children, earlierCases: view.earlierCases, properties: view.properties, map: view.map, today: view.today, errorAt: (name: string) => errorFor.get(inputId(name)) };
  const page = { single, intro: step.intro ? pick(step.intro, locale) : undefined };
  const query = [view.followUp ? 'part=more' : '', view.returnToCheck ? 'return=check' : ''].filter(Boolean).join('&');
  const action = `/apply/${view.draftId}/${step.id}${query ? `?${query}` : ''}`;
  // What the browser needs to decide the page's conditional questions itself: the answers from
  // earlier pages they read (only those: the person's own, already on the server).
  const conditional = view.fields.filter((f) => f.conditionalOnPage && f.field.when);
  const onPage = new Set(step.fields.map((f) => f.id));
  const earlier: Answers = {};
  for (const { field } of conditional) {
    for (const id of fieldsOf(field.when!, definition)) if (!onPage.has(id) && view.answers[id] !== undefined) earlier[id] = view.answers[id]!;
  }
  return (
    <Layout ctx={ctx} title={`${view.errors.length ? `${t('forms.error.summaryTitle')}: ` : ''}${title} – ${pick(definition.title, locale)}`} section="services">
      <p>
        <a class="ds-link" href={view.backHref}>
          {t('forms.back')}
        </a>
      </p>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={view.errors} />
      <p class="mb-caption">
        {pick(definition.title, locale)} · {t('forms.stepOf', { n: view.stepNumber, total: view.stepCount })}
      </p>
      <ServiceChangedNotice ctx={ctx} changed={view.changed} definition={definition} />
      {view.notice}
      {!single && <Heading>{title}</Heading>}
      {!single && step.intro && <Paragraph>{pick(step.intro, locale)}</Paragraph>}
      {/* data-today: the server's day in Stockholm, so the browser never counts from its own clock;
          data-computed: the computed values' expressions, for conditions that read them. */}
      <form
        method="post"
        action={action}
        // A step that asks for files is sent as multipart (ADR 0017); its CSRF token comes first.
        encType={view.fields.some(({ field }) => kindOf(field).takesFiles) ? 'multipart/form-data' : undefined}
        novalidate
        data-today={conditional.length ? view.today : undefined}
        data-answers={conditional.length && Object.keys(earlier).length ? JSON.stringify(earlier) : undefined}
        data-computed={conditional.length && definition.computed?.length ? JSON.stringify(definition.computed.map((c) => ({ id: c.id, expression: c.expression }))) : undefined}
      >
        <CsrfField token={ctx.csrfToken} />
        {view.fields.some(({ field }) => kindOf(field).hasButtons) && (
          // Enter in a text box presses the form's first submit button: without this it would be
          // "Remove person 1". Hidden from sight, the tab order and screen readers, which use the real one.
          <button type="submit" class="mb-visually-hidden" tabIndex={-1} aria-hidden="true">
            {t('forms.continue')}
          </button>
        )}
        {view.fields.map(({ field, conditionalOnPage }) => {
          if (conditionalOnPage && field.when)
            return (
              // A question that depends on an answer on this page (ADR 0026): hidden, and its inputs
              // disabled so nothing of it is sent, until the enhancement finds its condition holds
              // (it then enables them, "_asked" included, which tells the server it was asked here).
              // Without JavaScript it stays so, and the server asks it on the step's follow-up page.
              <div
                key={field.id}
                id={`c-${field.id}`}
                class="mb-conditional"
                hidden
                data-when={conditionJson(field.when)}
                data-reads={fieldsOf(field.when, definition).filter((id) => onPage.has(id)).join(' ')}
              >
                <fieldset class="mb-conditional-inputs" disabled>
                  <input type="hidden" name="_asked" value={field.id} />
                  {renderField(field, view.answers[field.id], field.id, rctx, view.answers)}
                </fieldset>
              </div>
            );
          // Without errors a field's inputs come from its compiled template when its kind has one
          // (forms/template.ts: the same components' output, split at the typed texts).
          const html = view.errors.length ? undefined : compiledFieldHtml(field, view.answers[field.id], field.id, rctx, view.answers, page);
          return html !== undefined ? (
            <div key={field.id} dangerouslySetInnerHTML={{ __html: html }} />
          ) : (
            <div key={field.id}>{renderField(field, view.answers[field.id], field.id, rctx, view.answers, page)}</div>
          );
        })}
        <div class="mb-actions">
          <Button>{t('forms.continue')}</Button>
          <Button variant="secondary" name="action" value="save">
            {t('forms.saveAndExit')}
          </Button>
        </div>
      </form>
      <p class="mb-hint">{t('forms.draftNotice', { days: view.draftRetentionDays })}</p>
    </Layout>
  );
}

export interface CheckView {
  ctx: ViewContext;
  definition: ServiceDefinition;
  draftId: string;
  /** `followUp`: the question is changed on its step's follow-up page (ADR 0026). */
  sections: { step: Step; rows: { field: Field; value: AnswerValue | undefined; followUp?: boolean }[] }[];
  register: (id: string) => RegisterEntry[] | undefined;
  children: ChildOption[];
  /** The applicant's earlier cases, for a case-reference answer */
  earlierCases?: EarlierCaseOption[] | undefined;
  incomplete: boolean;
  /** The service's computed values that have a label (a fee, weekly hours). */
  computed?: { label: Localised; value: unknown }[];
  changed?: ServiceChange | undefined;
  /** The service's fee for these answers, when it charges one (eng-reg). */
  fee?: CheckFee | undefined;
  /** After a payment that did not go through: why, with the answers kept. */
  paymentNotice?: { kind: 'warning' | 'info'; text: string } | undefined;
  /** The organisation the signatory sends it for (audience representative, ADR 0015), or the person the resident represents (ADR 0033). */
  actingFor?: ActingFor | undefined;
  /** Without e-ID (ADR 0015): the address we will write to, or where to verify one. */
  contact?: { verified: string } | { verifyHref: string; required: boolean } | undefined;
  /** An open case for the same subject (a warning, or why this one cannot be sent). */
  notice?: VNode | undefined;
  /** Answers validation refuses, by field id: shown as not accepted, never as if they were. */
  refused?: Map<string, string> | undefined;
  /** What a step of another engine chose (a booking's time, ADR 0039), before the answers. */
  chosen?: VNode | undefined;
}

function displayComputed(value: unknown, ctx: ViewContext): string {
  if (typeof value === 'number') return new Intl.NumberFormat(ctx.locale === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: 2 }).format(value);
  if (typeof value === 'boolean') return ctx.t(value ? 'forms.yes' : 'forms.no');
  if (typeof value === 'string') return value;
  return '';
}


/** The fee shown on "check your answers" when the service charges one (formatted for the page). */
export interface CheckFee {
  amount: string;
  description: string;
  vat?: string | undefined;
}

export function CheckPage(view: CheckView) {
  const { ctx, definition } = view;
  const { t, locale } = ctx;
  const title = t('forms.check.title');
  const display = { locale, t, register: view.register, children: view.children, earlierCases: view.earlierCases };
  return (
    <Layout ctx={ctx} title={`${title} – ${pick(definition.title, locale)}`} section="services">
      <p class="mb-caption">{pick(definition.title, locale)}</p>
      <Heading>{title}</Heading>
      <ServiceChangedNotice ctx={ctx} changed={view.changed} definition={definition} />
      {view.paymentNotice && <Alert kind={view.paymentNotice.kind}>{view.paymentNotice.text}</Alert>}
      {view.incomplete && <Alert kind="warning">{t('forms.check.incomplete')}</Alert>}
      {view.notice}
      {view.actingFor &&
        (isActingForPerson(view.actingFor) ? (
          <Paragraph>{t('forms.representation.onBehalf', { name: view.actingFor.name, capacity: t(capacityKey(view.actingFor.capacity)) })}</Paragraph>
        ) : (
          <Paragraph>{t('forms.check.actingFor', { name: view.actingFor.name, number: formatOrganisationNumber(view.actingFor.organisationNumber) })}</Paragraph>
        ))}
      {view.contact && 'verified' in view.contact && <Paragraph>{t('forms.contact.verified', { email: view.contact.verified })}</Paragraph>}
      {view.contact && 'verifyHref' in view.contact && (
        <Alert kind={view.contact.required ? 'warning' : 'info'}>
          {t(view.contact.required ? 'forms.contact.required' : 'forms.contact.optional')}{' '}
          <a class="ds-link" href={view.contact.verifyHref}>
            {t('forms.contact.verify')}
          </a>
        </Alert>
      )}
      {view.chosen}
      {view.sections.map(({ step, rows }) => (
        <section key={step.id} aria-labelledby={`s-${step.id}`}>
          <Heading level={2} size="sm">
            <span id={`s-${step.id}`}>{pick(step.title, locale)}</span>
          </Heading>
          <SummaryList
            rows={rows.map(({ field, value, followUp }) => {
              const label = pick(field.label, locale);
              const shown = displayAnswer(field, value, display);
              const refused = view.refused?.get(field.id);
              return {
                key: label,
                value: refused ? <strong class="ds-validation-message">{t('forms.check.notAccepted', { message: refused })}</strong> : shown || <span class="mb-hint">{t('forms.check.notAnswered')}</span>,
                change: { href: `/apply/${view.draftId}/${step.id}?${followUp ? 'part=more&' : ''}return=check#f-${field.id}`, label: t('forms.check.change'), context: label },
              };
            })}
          />
        </section>
      ))}
      {view.computed && view.computed.length > 0 && (
        <section aria-labelledby="s-computed">
          <Heading level={2} size="sm">
            <span id="s-computed">{t('forms.check.computed')}</span>
          </Heading>
          <SummaryList
            rows={view.computed.map(({ label, value }) => ({
              key: pick(label, locale),
              value: displayComputed(value, ctx) || <span class="mb-hint">{t('forms.check.notAnswered')}</span>,
            }))}
          />
        </section>
      )}
      {view.fee && (
        <section aria-labelledby="fee-h">
          <Heading level={2} size="sm">
            <span id="fee-h">{t('payments.fee.title')}</span>
          </Heading>
          <SummaryList rows={[{ key: view.fee.description, value: view.fee.amount }, ...(view.fee.vat ? [{ key: t('payments.receipt.vat'), value: view.fee.vat }] : [])]} />
          <Paragraph>{t('payments.fee.explain', { amount: view.fee.amount })}</Paragraph>
        </section>
      )}
      <form method="post" action={`/apply/${view.draftId}/submit`}>
        <CsrfField token={ctx.csrfToken} />
        <Paragraph>{t(matterKey('forms.check.declaration', definition))}</Paragraph>
        <Button>{view.fee ? t('payments.fee.pay') : t(matterKey('forms.check.send', definition))}</Button>
      </form>
    </Layout>
  );
}

export function ConfirmationPage({
  ctx,
  definition,
  reference,
  caseId,
  email,
  coSign,
  follow,
  chosen,
  refunded,
}: {
  ctx: ViewContext;
  definition: ServiceDefinition;
  reference: string;
  caseId: string;
  email: string | undefined;
  coSign?: string | undefined;
  /** Sent without e-ID (ADR 0015): the private follow link, instead of My cases. */
  follow?: { href: string; url: string } | undefined;
  /** What a step of another engine made with the case (a booking's time, ADR 0039). */
  chosen?: VNode | undefined;
  /** A second payment for the sent draft was refunded: said first. */
  refunded?: string | undefined;
}) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={`${t(matterKey('forms.confirm.title', definition))} – ${pick(definition.title, locale)}`} section="cases">
      {refunded && <Alert kind="info">{refunded}</Alert>}
      <div class="mb-panel mb-confirmation">
        <Heading>{t(matterKey('forms.confirm.title', definition))}</Heading>
        <p>
          {t('forms.confirm.reference')}
          <br />
          <strong class="mb-reference">{reference}</strong>
        </p>
      </div>
      {chosen}
      {email && <Paragraph>{t('forms.confirm.email', { email })}</Paragraph>}
      {coSign && <Alert kind="warning">{coSign}</Alert>}
      <Heading level={2} size="sm">
        {t('forms.confirm.next')}
      </Heading>
      <Paragraph>{pick(definition.whatHappensNext, locale)}</Paragraph>
      {follow ? (
        <section class="mb-panel" aria-labelledby="follow-h">
          <Heading level={2} size="sm">
            <span id="follow-h">{t('follow.confirmation.title')}</span>
          </Heading>
          <Paragraph>{t('follow.confirmation.body')}</Paragraph>
          <p>
            <a class="ds-link mb-follow-link" href={follow.href}>
              {follow.url}
            </a>
          </p>
        </section>
      ) : (
        <>
          <p>
            <a class="ds-link" href={`/my/cases/${caseId}/receipt.pdf`}>
              {t('forms.confirm.receipt')}
            </a>
          </p>
          <p>
            <ButtonLink href={`/my/cases/${caseId}`}>{t('forms.confirm.myCases')}</ButtonLink>
          </p>
        </>
      )}
    </Layout>
  );
}
