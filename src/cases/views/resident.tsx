/** My cases: the resident's cases and drafts, one case's status, messages, documents and actions. */
import type { VNode } from 'preact';
import type { ActionDef, ActionKind, ServiceDefinition, RegisterEntry } from '../../catalogue/types.ts';
import { statesReachedBy } from '../workflow.ts';
import { matterKey } from '../matter.ts';
import type { ViewContext } from '../../kernel/html/context.ts';
import { Layout } from '../../kernel/html/layout.tsx';
import { Button, ButtonLink, CsrfField, ErrorSummary, Heading, Paragraph, SummaryList, Tag, Textarea, type FieldError } from '../../kernel/html/components.tsx';
import { NoticeBanner, noticeTitle, type Notice } from '../../kernel/html/notice.tsx';
import { formatDate, pick, type Locale } from '../../kernel/i18n/index.ts';
import type { JournalEntry } from '../../archive/index.ts';
import type { StoredDocument } from '../../documents/index.ts';
import { childrenOfParties, displayAnswer } from '../../forms/answers.ts';
import type { Case, Decision } from '../cases.repository.ts';
import type { MessageWindow } from '../message-window.ts';
import type { NamedSubject } from '../subject.ts';
import { CaseDecision, CaseHistory, CaseMessages, DecisionLetterItems } from './case-sections.tsx';

export interface DraftSummary {
  id: string;
  serviceTitle: string;
  updatedAt: Date;
  expiresAt: Date;
  /** Who or what the draft is about, when it has been answered ("Barn: Sigge Nord"). */
  about?: NamedSubject | undefined;
}

export function statusLabel(def: ServiceDefinition | undefined, status: string, locale: 'sv' | 'en', audience: 'resident' | 'staff' = 'resident'): string {
  const s = def?.workflow.states.find((x) => x.id === status);
  if (!s) return status;
  return pick(audience === 'staff' ? (s.staffLabel ?? s.label) : s.label, locale);
}

export function statusColor(def: ServiceDefinition | undefined, status: string): 'info' | 'success' | 'warning' | 'neutral' {
  if (!def) return 'info';
  // The colour follows from the workflow, not from state names: a state reached by asking the resident for a
  // supplement waits for them; a final state reached by withdrawing is neutral, any other final state done.
  const reachedBy = (kind: ActionKind) => statesReachedBy(def, [kind]).includes(status);
  if (reachedBy('requestSupplement')) return 'warning';
  if (def.workflow.states.find((x) => x.id === status)?.final) return reachedBy('withdraw') ? 'neutral' : 'success';
  return 'info';
}

export function MyCasesPage({
  ctx,
  cases,
  drafts,
  service,
  waitingForYou,
  subjectOf,
  aboutOf,
}: {
  ctx: ViewContext;
  cases: Case[];
  drafts: DraftSummary[];
  service: (id: string, version?: number) => ServiceDefinition | undefined;
  waitingForYou?: (c: Case) => boolean;
  /** The case's subject as this reader may see it named (subject.ts). */
  subjectOf: (c: Case) => NamedSubject | undefined;
  /** What a case without a subject is about, when an engine can say (a booking's place and time). */
  aboutOf?: (c: Case) => string | undefined;
}) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t('my.title')} section="cases">
      <Heading>{t('my.title')}</Heading>
      {drafts.length > 0 && (
        <section aria-labelledby="drafts-h">
          <Heading level={2} size="md">
            <span id="drafts-h">{t('my.drafts')}</span>
          </Heading>
          <ul class="mb-list-plain">
            {drafts.map((d) => (
              <li key={d.id}>
                <a class="ds-link" href={`/apply/${d.id}`}>
                  {t('my.continue', { service: d.serviceTitle })}
                </a>
                {d.about && (
                  <>
                    <br />
                    {t('my.draftAbout', { label: d.about.label, name: d.about.name })}
                  </>
                )}
                <br />
                <span class="mb-hint">{t('my.draftSaved', { date: formatDate(d.updatedAt, locale, true), expires: formatDate(d.expiresAt, locale) })}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="cases-h">
        <Heading level={2} size="md">
          <span id="cases-h">{t('my.cases')}</span>
        </Heading>
        {cases.length === 0 ? (
          <Paragraph>{t('my.none')}</Paragraph>
        ) : (
          <div class="mb-table-wrap">
            <table class="mb-table mb-table--stack">
              <caption class="mb-visually-hidden">{t('my.cases')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('my.col.reference')}</th>
                  <th scope="col">{t('my.col.service')}</th>
                  <th scope="col">{t('my.col.subject')}</th>
                  <th scope="col">{t('my.col.status')}</th>
                  <th scope="col">{t('my.col.submitted')}</th>
                </tr>
              </thead>
              <tbody>
                {cases.map((c) => {
                  const def = service(c.serviceId, c.serviceVersion);
                  const about = subjectOf(c);
                  return (
                    <tr key={c.id}>
                      <td data-label={t('my.col.reference')}>
                        <a class="ds-link" href={`/my/cases/${c.id}`}>
                          {c.reference}
                        </a>
                      </td>
                      <td data-label={t('my.col.service')}>{def ? pick(def.title, locale) : c.serviceId}</td>
                      <td data-label={t('my.col.subject')}>{about ? `${about.label}: ${about.name}` : (aboutOf?.(c) ?? '–')}</td>
                      <td data-label={t('my.col.status')}>
                        {waitingForYou?.(c) ? <Tag color="warning">{t('my.waitingForYourApproval')}</Tag> : <Tag color={statusColor(def, c.status)}>{statusLabel(def, c.status, locale)}</Tag>}
                      </td>
                      <td data-label={t('my.col.submitted')}>{formatDate(c.createdAt, locale)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </Layout>
  );
}

export interface ResidentCaseView {
  ctx: ViewContext;
  c: Case;
  definition: ServiceDefinition;
  entries: JournalEntry[];
  documents: StoredDocument[];
  register: (id: string) => RegisterEntry[] | undefined;
  /** The applicant's withdraw action the state allows, if any (ADR 0014). */
  withdrawAction: ActionDef | undefined;
  /** The person acts on the case (the applicant, or who represents them); a co-applicant only reads. */
  canAct: boolean;
  /** The applicant's supplement action the state allows, if any. */
  supplementAction: ActionDef | undefined;
  supplementRequest: string | undefined;
  /** The date the supplement is asked for by (the case's deadline in the state awaiting it). */
  supplementDue: Date | undefined;
  flash: Notice | undefined;
  /** The case's subject as this reader may see it named (subject.ts). */
  about: NamedSubject | undefined;
  /** What the decision letter's {applicant} reads as to this reader. */
  applicantName: string;
  /** Whether messages may still be written (message-window.ts). */
  messageWindow: MessageWindow;
  messageErrors: FieldError[];
  messageValue: string;
  supplementErrors: FieldError[];
  supplementValue: string;
  /** Sections other modules add (a payment), after the status. */
  sections?: VNode[];
  /** Lines other modules add under a decision's text (a fee invoiced, ADR 0034). */
  decisionLines?: (d: Decision, locale: Locale) => string[];
}

export function ResidentCasePage(v: ResidentCaseView) {
  const { ctx, c, definition: def } = v;
  const { t, locale } = ctx;
  const service = pick(def.title, locale);
  const title = v.about ? t('my.case.titleAbout', { service, name: v.about.name, reference: c.reference }) : t('my.case.title', { service, reference: c.reference });
  const children = childrenOfParties(c.parties);
  const rows = def.form.steps.flatMap((s) => s.fields).filter((f) => c.answers[f.id] !== undefined);
  const errors = [...v.supplementErrors, ...v.messageErrors];
  return (
    <Layout ctx={ctx} title={errors.length ? `${t('forms.error.summaryTitle')}: ${title}` : noticeTitle(title, v.flash)} section="cases" breadcrumbs={[{ href: '/my/cases', label: t('my.title') }]}>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={errors} />
      <NoticeBanner notice={v.flash} />
      <Heading>{title}</Heading>
      <p>
        {t('my.case.status')}: <Tag color={statusColor(def, c.status)}>{statusLabel(def, c.status, locale)}</Tag>
      </p>
      {v.about && (
        <p>
          {v.about.label}: {v.about.name}
        </p>
      )}
      <CaseDecision ctx={ctx} c={c} definition={def} register={v.register} documents={v.documents} entries={v.entries} lines={v.decisionLines} base={`/my/cases/${c.id}`} subject={v.about?.name ?? ''} applicant={v.applicantName} window={v.messageWindow} />
      {v.sections}

      {v.supplementAction && (
        <section class="mb-panel" aria-labelledby="supp-h">
          <Heading level={2} size="sm">
            <span id="supp-h">{t(matterKey('my.case.supplementTitle', def))}</span>
          </Heading>
          {v.supplementRequest && (
            <>
              <Paragraph>{t('my.case.supplementAsked')}</Paragraph>
              <blockquote class="mb-timeline__body">{v.supplementRequest}</blockquote>
            </>
          )}
          {v.supplementDue && (
            <p class="ds-paragraph">
              <strong>{t('my.case.supplementBy', { date: formatDate(v.supplementDue, locale) })}</strong>
            </p>
          )}
          <form method="post" action={`/my/cases/${c.id}/actions/${v.supplementAction.id}`} enctype="multipart/form-data">
            <CsrfField token={ctx.csrfToken} />
            <Textarea id="f-supplement" name="body" label={t('my.case.supplementText')} value={v.supplementValue} error={v.supplementErrors.find((e) => e.field === 'f-supplement')?.message} maxLength={4000} />
            <div class="ds-field mb-field">
              <label class="ds-label" for="f-files">
                {t('my.case.supplementFiles')}
              </label>
              <div data-field="description" id="f-files-hint">
                {t('my.case.supplementFilesHint')}
              </div>
              {v.supplementErrors.find((e) => e.field === 'f-files') && (
                <p class="ds-validation-message" data-field="validation" id="f-files-error">
                  {v.supplementErrors.find((e) => e.field === 'f-files')!.message}
                </p>
              )}
              {/* The error is the field's description too, so a screen reader says why the file was refused. */}
              <input
                class="ds-input"
                type="file"
                id="f-files"
                name="files"
                multiple
                accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
                aria-describedby={v.supplementErrors.some((e) => e.field === 'f-files') ? 'f-files-hint f-files-error' : 'f-files-hint'}
                aria-invalid={v.supplementErrors.some((e) => e.field === 'f-files') ? 'true' : undefined}
              />
            </div>
            <Button>{t('my.case.supplementSend')}</Button>
          </form>
        </section>
      )}

      <section aria-labelledby="docs-h">
        <Heading level={2} size="sm">
          <span id="docs-h">{t('my.case.documents')}</span>
        </Heading>
        <ul class="mb-list-plain">
          {/* The receipt is the applicant's (a co-signer reads the case, ADR 0016). */}
          {v.canAct && (
            <li>
              <a class="ds-link" href={`/my/cases/${c.id}/receipt.pdf`}>
                {t('my.case.receipt')}
              </a>
            </li>
          )}
          {/* With a decision, its letters are in the decision's section above. */}
          {!c.decision && <DecisionLetterItems ctx={ctx} documents={v.documents} base={`/my/cases/${c.id}`} />}
        </ul>
      </section>

      <CaseHistory ctx={ctx} definition={def} entries={v.entries} base={`/my/cases/${c.id}`} />

      <CaseMessages ctx={ctx} definition={def} entries={v.entries} base={`/my/cases/${c.id}`} window={v.messageWindow} canWrite={v.canAct} value={v.messageValue} error={v.messageErrors[0]?.message} />

      <section aria-labelledby="ans-h">
        <Heading level={2} size="sm">
          <span id="ans-h">{t('my.case.answers')}</span>
        </Heading>
        <SummaryList
          rows={rows.map((f) => ({ key: pick(f.label, locale), value: displayAnswer(f, c.answers[f.id], { locale, t, register: v.register, children }) }))}
        />
      </section>

      {v.withdrawAction && (
        <p>
          <ButtonLink variant="secondary" href={`/my/cases/${c.id}/actions/${v.withdrawAction.id}`}>
            {v.withdrawAction.label ? pick(v.withdrawAction.label, locale) : t(matterKey('my.case.withdraw', def))}
          </ButtonLink>
        </p>
      )}
    </Layout>
  );
}

export function WithdrawPage({ ctx, c, definition, action }: { ctx: ViewContext; c: Case; definition: ServiceDefinition; action: ActionDef }) {
  const { t, locale } = ctx;
  return (
    <Layout ctx={ctx} title={t(matterKey('my.case.withdrawTitle', definition))} section="cases" breadcrumbs={[{ href: '/my/cases', label: t('my.title') }, { href: `/my/cases/${c.id}`, label: c.reference }]}>
      <Heading>{t(matterKey('my.case.withdrawTitle', definition))}</Heading>
      <Paragraph>
        {pick(definition.title, locale)} – {c.reference}
      </Paragraph>
      <Paragraph>{t(matterKey('my.case.withdrawBody', definition))}</Paragraph>
      <form method="post" action={`/my/cases/${c.id}/actions/${action.id}`}>
        <CsrfField token={ctx.csrfToken} />
        <div class="mb-actions">
          <Button>{t(matterKey('my.case.withdrawConfirm', definition))}</Button>
          <a class="ds-link" href={`/my/cases/${c.id}`}>
            {t('my.case.cancel')}
          </a>
        </div>
      </form>
    </Layout>
  );
}
