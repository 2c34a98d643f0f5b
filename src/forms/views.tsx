/** Pages of the forms engine: one step per page, check your answers, confirmation. */
import type { Field, ServiceDefinition, Step, RegisterEntry } from '../catalogue/types.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Alert, Button, ButtonLink, ChoiceGroup, LegendHeading, CsrfField, ErrorSummary, Heading, Paragraph, Select, SummaryList, TextField, Textarea, type FieldError } from '../kernel/html/components.tsx';
import { pick } from '../kernel/i18n/index.ts';
import type { Answers, AnswerValue } from './conditions.ts';
import { displayAnswer } from './answers.ts';
import { eligibleChildren, type ChildOption } from './validator.ts';
import { formatDate } from '../kernel/i18n/index.ts';

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
  /** Today in Europe/Stockholm (YYYY-MM-DD): a child field offers only children young enough on it. */
  today: string;
  draftRetentionDays: number;
}

const fieldId = (id: string) => `f-${id}`;
const str = (v: AnswerValue | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

function FieldInput({ field, value, error, view, single }: { field: Field; value: AnswerValue | undefined; error: string | undefined; view: StepView; single: boolean }) {
  const { locale, t } = view.ctx;
  // A page with one question group asks it in its heading: the step's title is the legend (an h1)
  // and the step's introduction is the group's hint (StepPage then shows neither separately).
  const label = single ? pick(view.step.title, locale) : pick(field.label, locale);
  const hint = [single && view.step.intro ? pick(view.step.intro, locale) : undefined, field.hint ? pick(field.hint, locale) : undefined].filter(Boolean).join(' ') || undefined;
  const id = fieldId(field.id);
  switch (field.kind) {
    case 'text':
    case 'email':
    case 'phone':
      return (
        <TextField
          id={id}
          name={field.id}
          label={label}
          hint={hint}
          error={error}
          value={str(value)}
          type={field.kind === 'email' ? 'email' : field.kind === 'phone' ? 'tel' : 'text'}
          autocomplete={field.kind === 'email' ? 'email' : field.kind === 'phone' ? 'tel' : undefined}
          required={field.required !== false}
          width={field.kind === 'text' ? 'full' : 'medium'}
        />
      );
    case 'longText':
      return <Textarea id={id} name={field.id} label={label} hint={hint} error={error} value={str(value)} required={field.required !== false} />;
    case 'date':
      return (
        <TextField
          id={id}
          name={field.id}
          label={label}
          hint={[hint, t('forms.dateHint')].filter(Boolean).join(' ')}
          error={error}
          value={str(value)}
          type="date"
          required={field.required !== false}
          width="short"
        />
      );
    case 'choice':
    case 'yesNo': {
      const options =
        field.kind === 'yesNo'
          ? [
              { value: 'yes', label: t('forms.yes') },
              { value: 'no', label: t('forms.no') },
            ]
          : field.choices.map((c) => ({ value: c.value, label: pick(c.label, locale), hint: c.hint ? pick(c.hint, locale) : undefined }));
      return <ChoiceGroup id={id} name={field.id} legend={label} legendIsHeading={single} hint={hint} error={error} options={options} selected={[str(value)]} required={field.required !== false} />;
    }
    case 'multiChoice':
      return (
        <ChoiceGroup
          id={id}
          name={field.id}
          legend={label}
          legendIsHeading={single}
          hint={hint}
          error={error}
          multiple
          options={field.choices.map((c) => ({ value: c.value, label: pick(c.label, locale) }))}
          selected={Array.isArray(value) ? value : value ? [value] : []}
        />
      );
    case 'child':
      return (
        <ChoiceGroup
          id={id}
          name={field.id}
          legend={label}
          legendIsHeading={single}
          hint={hint}
          error={error}
          options={eligibleChildren(field, view.children, view.today).map((c) => ({ value: c.personalNumber, label: c.name, hint: formatDate(c.birthDate, locale) }))}
          selected={[str(value)]}
          required
        />
      );
    case 'rankedChoice': {
      const entries = view.register(field.register) ?? [];
      const chosen = Array.isArray(value) ? value : value ? [value] : [];
      const options = entries.map((e) => ({ value: e.id, label: e.area ? `${e.name} (${e.area})` : e.name }));
      const errId = error ? `${id}-error` : undefined;
      return (
        <fieldset class="ds-fieldset mb-field" aria-describedby={[hint ? `${id}-hint` : '', errId ?? ''].filter(Boolean).join(' ') || undefined}>
          <legend class="ds-label">{single ? <LegendHeading>{label}</LegendHeading> : label}</legend>
          {hint && (
            <p class="mb-hint" id={`${id}-hint`}>
              {hint}
            </p>
          )}
          {error && (
            <p class="ds-validation-message" data-field="validation" id={errId}>
              {error}
            </p>
          )}
          {Array.from({ length: field.max }, (_, i) => (
            <Select
              key={i}
              id={i === 0 ? id : `${id}-${i}`}
              name={`${field.id}.${i}`}
              label={i === 0 ? t('forms.choiceFirst') : t('forms.choiceN', { n: i + 1 })}
              options={options}
              selected={chosen[i] ?? ''}
              emptyLabel={i < field.min ? t('forms.chooseOption') : t('forms.noChoice')}
            />
          ))}
        </fieldset>
      );
    }
  }
}

export function StepPage(view: StepView) {
  const { ctx, definition, step } = view;
  const { t, locale } = ctx;
  const title = pick(step.title, locale);
  const errorFor = new Map(view.errors.map((e) => [e.field, e.message]));
  const single = view.fields.length === 1 && ['choice', 'yesNo', 'multiChoice', 'child', 'rankedChoice'].includes(view.fields[0]!.field.kind);
  const action = `/apply/${view.draftId}/${step.id}${view.returnToCheck ? '?return=check' : ''}`;
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
      {!single && <Heading>{title}</Heading>}
      {!single && step.intro && <Paragraph>{pick(step.intro, locale)}</Paragraph>}
      <form method="post" action={action} novalidate>
        <CsrfField token={ctx.csrfToken} />
        {view.fields.map(({ field, conditionalOnPage }) => (
          <div key={field.id} data-when={conditionalOnPage && field.when ? JSON.stringify(field.when) : undefined}>
            <FieldInput field={field} value={view.answers[field.id]} error={errorFor.get(fieldId(field.id))} view={view} single={single} />
          </div>
        ))}
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
  sections: { step: Step; rows: { field: Field; value: AnswerValue | undefined }[] }[];
  register: (id: string) => RegisterEntry[] | undefined;
  children: ChildOption[];
  incomplete: boolean;
  /** The service's fee for these answers, when it charges one (eng-reg). */
  fee?: CheckFee | undefined;
  /** After a payment that did not go through: why, with the answers kept. */
  paymentNotice?: { kind: 'warning' | 'info'; text: string } | undefined;
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
  const display = { locale, t, register: view.register, children: view.children };
  return (
    <Layout ctx={ctx} title={`${title} – ${pick(definition.title, locale)}`} section="services">
      <p class="mb-caption">{pick(definition.title, locale)}</p>
      <Heading>{title}</Heading>
      {view.paymentNotice && <Alert kind={view.paymentNotice.kind}>{view.paymentNotice.text}</Alert>}
      {view.incomplete && <Alert kind="warning">{t('forms.check.incomplete')}</Alert>}
      {view.sections.map(({ step, rows }) => (
        <section key={step.id} aria-labelledby={`s-${step.id}`}>
          <Heading level={2} size="sm">
            <span id={`s-${step.id}`}>{pick(step.title, locale)}</span>
          </Heading>
          <SummaryList
            rows={rows.map(({ field, value }) => {
              const label = pick(field.label, locale);
              const shown = displayAnswer(field, value, display);
              return {
                key: label,
                value: shown || <span class="mb-hint">{t('forms.check.notAnswered')}</span>,
                change: { href: `/apply/${view.draftId}/${step.id}?return=check#f-${field.id}`, label: t('forms.check.change'), context: label },
              };
            })}
          />
        </section>
      ))}
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
        <Paragraph>{t('forms.check.declaration')}</Paragraph>
        <Button>{view.fee ? t('payments.fee.pay') : t('forms.check.send')}</Button>
      </form>
    </Layout>
  );
}

export function ConfirmationPage({ ctx, definition, reference, caseId, email }: { ctx: ViewContext; definition: ServiceDefinition; reference: string; caseId: string; email: string | undefined }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={`${t('forms.confirm.title')} – ${pick(definition.title, locale)}`} section="cases">
      <div class="mb-panel mb-confirmation">
        <Heading>{t('forms.confirm.title')}</Heading>
        <p>
          {t('forms.confirm.reference')}
          <br />
          <strong class="mb-reference">{reference}</strong>
        </p>
      </div>
      {email && <Paragraph>{t('forms.confirm.email', { email })}</Paragraph>}
      <Heading level={2} size="sm">
        {t('forms.confirm.next')}
      </Heading>
      <Paragraph>{pick(definition.whatHappensNext, locale)}</Paragraph>
      <p>
        <a class="ds-link" href={`/my/cases/${caseId}/receipt.pdf`}>
          {t('forms.confirm.receipt')}
        </a>
      </p>
      <p>
        <ButtonLink href={`/my/cases/${caseId}`}>{t('forms.confirm.myCases')}</ButtonLink>
      </p>
    </Layout>
  );
}
