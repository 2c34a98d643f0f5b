/** The case handler's workspace: the inbox, one case with its actions, and the decision form. */
import type { VNode } from 'preact';
import type { ActionDef, ServiceDefinition, RegisterEntry } from '../../catalogue/types.ts';
import { ACTION_KIND_HANDLERS, actionInput, actionTextRules, tellsApplicant } from '../action-kinds/index.ts';
import { actionFieldId } from '../workflow.ts';
import type { Proposal } from '../proposals.ts';
import { decisionsOf } from '../decisions.ts';
import type { ViewContext } from '../../kernel/html/context.ts';
import { Layout } from '../../kernel/html/layout.tsx';
import { Alert, Button, CsrfField, ErrorSummary, Heading, Paragraph, Select, SummaryList, Tag, TextField, Textarea, type FieldError } from '../../kernel/html/components.tsx';
import { NoticeBanner, noticeTitle } from '../../kernel/html/notice.tsx';
import { formatDate, formatShortDate, pick } from '../../kernel/i18n/index.ts';
import type { JournalEntry } from '../../archive/index.ts';
import { fillDecisionTemplate, type StoredDocument } from '../../documents/index.ts';
import { childrenOfParties, displayAnswer } from '../../forms/answers.ts';
import { subjectLabel } from '../../catalogue/index.ts';
import { subjectName } from '../../documents/index.ts';
import { subjectOf, type Case } from '../cases.repository.ts';
import type { StaffName } from '../inbox.repository.ts';
import { safeFilename } from '../file-names.ts';
import { Timeline } from './timeline.tsx';
import { formatPersonalNumber } from '../../integrations/population-register/index.ts';

/** Identity numbers as people write them (YYYYMMDD-NNNN); anything else (a missing one: "–") as it is. */
const pin = (n: string) => (/^\d{12}$/.test(n) ? formatPersonalNumber(n) : n);
import { statusColor, statusLabel } from './resident.tsx';
import { DEFAULT_SORT, FIRST_DIRECTION, type InboxSort, type InboxSortKey } from '../inbox-sort.ts';
import { hasProtectedIdentity, staffSeesProtectedNames, type StaffPrincipal } from '../../policy/index.ts';

/** The applicant's name as the case recorded it (a person, an organisation; an e-mail party by its address). */
const applicantName = (c: Case) => {
  const a = c.parties.find((p) => p.role === 'applicant');
  return a ? (a.name ?? a.email ?? undefined) : undefined;
};

export interface InboxView {
  ctx: ViewContext;
  cases: Case[];
  services: ServiceDefinition[];
  /** Each listed case's definition, of the version it was submitted under (its state labels). */
  definitionOf?: ((c: Case) => ServiceDefinition | undefined) | undefined;
  states: { id: string; label: string }[];
  staff: StaffName[];
  filter: { service: string; status: string; assignee: string; overdue: boolean; q: string };
  /** A search too long to run: said at the field, which keeps what was typed. */
  searchError?: string | undefined;
  sort: InboxSort;
  /** The inbox in another order, with the same filters, from its first page. */
  sortHref: (order: InboxSort) => string;
  nextHref: string | undefined;
  firstHref: string | undefined;
  now: Date;
  hasDepartments: boolean;
  /** Who reads (whether a protected identity's names are shown to them: policy). */
  viewer: StaffPrincipal;
}

/**
 * A column heading that sorts the inbox: a link (it works without JavaScript) to the same filters in
 * this column's order, the other way round when it already is; aria-sort on the sorted one.
 */
function SortHeading({ v, column, label }: { v: InboxView; column: InboxSortKey; label: string }) {
  const { t } = v.ctx;
  const active = v.sort.key === column;
  const next: InboxSort = active ? { key: column, dir: v.sort.dir === 'asc' ? 'desc' : 'asc' } : { key: column, dir: FIRST_DIRECTION[column] };
  return (
    <th scope="col" aria-sort={active ? (v.sort.dir === 'asc' ? 'ascending' : 'descending') : undefined} class="mb-sortable">
      <a class="ds-link mb-sort-link" href={v.sortHref(next)}>
        {label}
        <span class="mb-visually-hidden">{t(next.dir === 'asc' ? 'inbox.sort.asc' : 'inbox.sort.desc')}</span>
        {active && (
          <span class="mb-sort-arrow" aria-hidden="true">
            {v.sort.dir === 'asc' ? ' ▲' : ' ▼'}
          </span>
        )}
      </a>
    </th>
  );
}

export function InboxPage(v: InboxView) {
  const { ctx } = v;
  const { t, locale } = ctx;
  const service = (id: string) => v.services.find((s) => s.id === id);
  const name = (id: string | null) => (id ? (v.staff.find((s) => s.id === id)?.displayName ?? '–') : t('case.unassigned'));
  // A protected identity's names only to whom the policy shows them; the others read that they are protected.
  const people = (c: Case) => (hasProtectedIdentity(c) && !staffSeesProtectedNames(v.viewer, c) ? { applicant: t('inbox.protected'), subject: subjectName(c) ? t('inbox.protected') : '' } : { applicant: applicantName(c) ?? '', subject: subjectName(c) ?? '' });
  const title = v.searchError ? `${t('forms.error.summaryTitle')}: ${t('inbox.title')}` : t('inbox.title');
  return (
    <Layout ctx={ctx} title={title} section="staff">
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.searchError ? [{ field: 'f-q', message: v.searchError }] : []} />
      <Heading>{t('inbox.title')}</Heading>
      {!v.hasDepartments && <Alert kind="warning">{t('inbox.noDepartments')}</Alert>}
      <form method="get" action="/staff/cases" class="mb-filters" aria-label={t('inbox.filters')}>
        <TextField id="f-q" name="q" type="search" label={t('inbox.search')} hint={t('inbox.searchHint')} value={v.filter.q} error={v.searchError} width="medium" />
        {v.sort.key !== DEFAULT_SORT.key || v.sort.dir !== DEFAULT_SORT.dir ? (
          <>
            <input type="hidden" name="sort" value={v.sort.key} />
            <input type="hidden" name="dir" value={v.sort.dir} />
          </>
        ) : null}
        <Select id="f-service" name="service" label={t('inbox.service')} selected={v.filter.service} emptyLabel={t('inbox.any')} options={v.services.map((s) => ({ value: s.id, label: pick(s.title, locale) }))} />
        <Select id="f-status" name="status" label={t('inbox.status')} selected={v.filter.status} options={[{ value: 'open', label: t('inbox.open') }, { value: 'all', label: t('inbox.any') }, ...v.states.map((s) => ({ value: s.id, label: s.label }))]} />
        <Select
          id="f-assignee"
          name="assignee"
          label={t('inbox.assignee')}
          selected={v.filter.assignee}
          emptyLabel={t('inbox.any')}
          options={[{ value: 'me', label: t('inbox.mine') }, { value: 'none', label: t('inbox.unassigned') }, ...v.staff.filter((s) => s.roles.includes('handler')).map((s) => ({ value: s.id, label: s.displayName }))]}
        />
        <div class="ds-field mb-field">
          <input class="ds-input" type="checkbox" id="f-overdue" name="overdue" value="1" checked={v.filter.overdue} />
          <label class="ds-label" for="f-overdue">
            {t('inbox.overdue')}
          </label>
        </div>
        <Button variant="secondary">{t('inbox.apply')}</Button>
      </form>
      {v.cases.length === 0 ? (
        <Paragraph>{t('inbox.none')}</Paragraph>
      ) : (
        <div class="mb-table-wrap">
          <table class="mb-table mb-table--stack mb-inbox">
            <caption class="mb-visually-hidden">{t('inbox.title')}</caption>
            <thead>
              <tr>
                <SortHeading v={v} column="reference" label={t('inbox.col.reference')} />
                <th scope="col">{t('inbox.col.service')}</th>
                <th scope="col">{t('inbox.col.applicant')}</th>
                <th scope="col">{t('inbox.col.subject')}</th>
                <SortHeading v={v} column="state" label={t('inbox.col.status')} />
                <th scope="col">{t('inbox.col.routedTo')}</th>
                <th scope="col">{t('inbox.col.assignee')}</th>
                <SortHeading v={v} column="received" label={t('inbox.col.received')} />
                <SortHeading v={v} column="due" label={t('inbox.col.due')} />
              </tr>
            </thead>
            <tbody>
              {v.cases.map((c) => {
                const def = v.definitionOf?.(c) ?? service(c.serviceId);
                const overdue = c.dueAt !== null && c.dueAt < v.now;
                const named = people(c);
                return (
                  <tr key={c.id}>
                    <td class="mb-nowrap" data-label={t('inbox.col.reference')}>
                      <a class="ds-link" href={`/staff/cases/${c.id}`}>
                        {c.reference}
                      </a>
                    </td>
                    <td data-label={t('inbox.col.service')}>{def ? pick(def.title, locale) : c.serviceId}</td>
                    <td data-label={t('inbox.col.applicant')}>{named.applicant}</td>
                    <td data-label={t('inbox.col.subject')}>{named.subject}</td>
                    <td data-label={t('inbox.col.status')}>
                      <Tag color={statusColor(def, c.status)}>{statusLabel(def, c.status, locale, 'staff')}</Tag>
                    </td>
                    <td data-label={t('inbox.col.routedTo')}>{routedTo(ctx, def, c)}</td>
                    <td data-label={t('inbox.col.assignee')}>{name(c.assigneeId)}</td>
                    <td class="mb-nowrap" data-label={t('inbox.col.received')}>{formatShortDate(c.createdAt, locale)}</td>
                    <td data-label={t('inbox.col.due')}>
                      <span class="mb-nowrap">{c.dueAt ? formatShortDate(c.dueAt, locale) : '–'}</span> {overdue && <Tag color="danger">{t('inbox.overdueTag')}</Tag>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <nav aria-label={t('inbox.title')} class="mb-actions">
        {v.firstHref && (
          <a class="ds-link" href={v.firstHref}>
            {t('inbox.first')}
          </a>
        )}
        {v.nextHref && (
          <a class="ds-link" href={v.nextHref} rel="next">
            {t('inbox.next')}
          </a>
        )}
      </nav>
    </Layout>
  );
}

export interface HandlerCaseView {
  ctx: ViewContext;
  c: Case;
  definition: ServiceDefinition;
  applicant: { name: string; personalNumber: string; email: string | null; phone: string | null };
  entries: JournalEntry[];
  documents: StoredDocument[];
  attachments: { id: string; filename: string; contentType: string }[];
  staff: StaffName[];
  /** The viewer handles the case (assign, message, note); one who only decides does not. */
  canHandle: boolean;
  /** Whether a member of staff may be assigned the case (they handle its service: policy). */
  assignable: (s: StaffName) => boolean;
  register: (id: string) => RegisterEntry[] | undefined;
  /** The staff actions the case's state allows (none for someone who may only read it). */
  actions: ActionDef[];
  /** A decision proposed and waiting for approval, if any. */
  proposal: Proposal | undefined;
  /** What the page says after an action: success, or information (an action that came too late). */
  flash: { text: string; kind: 'success' | 'info' } | undefined;
  errors: FieldError[];
  values: Record<string, string>;
  now: Date;
  /** Sections other modules add (a payment and its refunds), after the summary. */
  sections?: VNode[];
  /** The member of staff reading: the history speaks from their side. */
  viewerId: string;
}

export function HandlerCasePage(v: HandlerCaseView) {
  const { ctx, c, definition: def } = v;
  const { t, locale } = ctx;
  const names = new Map(v.staff.map((s) => [s.id, s.displayName]));
  const children = childrenOfParties(c.parties);
  const fields = def.form.steps.flatMap((s) => s.fields).filter((f) => c.answers[f.id] !== undefined);
  const handlers = v.staff.filter((s) => v.assignable(s));
  const subject = c.parties.find((p) => p.role === 'subject');
  const subjectKey = subjectLabel(def, locale);
  const err = (f: string) => v.errors.find((e) => e.field === f)?.message;
  const final = def.workflow.states.find((s) => s.id === c.status)?.final;
  const title = `${c.reference} – ${pick(def.title, locale)}`;
  return (
    <Layout ctx={ctx} title={v.errors.length ? `${t('forms.error.summaryTitle')}: ${title}` : noticeTitle(title, v.flash)} section="staff" breadcrumbs={[{ href: '/staff/cases', label: t('inbox.title') }]}>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />
      <NoticeBanner notice={v.flash} />
      <Heading>{title}</Heading>
      <SummaryList
        rows={[
          { key: t('inbox.col.status'), value: <Tag color={statusColor(def, c.status)}>{statusLabel(def, c.status, locale, 'staff')}</Tag> },
          { key: t('inbox.col.routedTo'), value: routedTo(ctx, def, c) },
          { key: t('case.assignee'), value: c.assigneeId ? (names.get(c.assigneeId) ?? '–') : t('case.unassigned') },
          { key: t('case.due'), value: c.dueAt ? `${formatDate(c.dueAt, locale)}${c.dueAt < v.now ? ` (${t('inbox.overdueTag')})` : ''}` : '–' },
          { key: t('case.applicant'), value: `${v.applicant.name}, ${pin(v.applicant.personalNumber)}` },
          ...(subject && subjectKey ? [{ key: subjectKey, value: [subjectName(c), subject.personalNumber ? pin(subject.personalNumber) : undefined].filter(Boolean).join(', ') }] : []),
        ]}
      />
      {/* The application and the work on it side by side on a wide screen (application left, actions
          and history right); on a narrow one the application comes first, in this order. */}
      <div class="mb-case">
        <div class="mb-case__application">
          <section aria-labelledby="ans-h">
            <Heading level={2} size="sm">
              <span id="ans-h">{t('case.answers')}</span>
            </Heading>
            <SummaryList rows={fields.map((f) => ({ key: pick(f.label, locale), value: displayAnswer(f, c.answers[f.id], { locale, t, register: v.register, children }) }))} />
          </section>
          {v.sections}
        </div>
        <div class="mb-case__work">
          {final && <Alert kind="info">{t('case.final')}</Alert>}
          {!final && (
            <section aria-labelledby="actions-h" class="mb-panel">
              <Heading level={2} size="sm">
                <span id="actions-h">{t('case.actionsTitle')}</span>
              </Heading>
              {v.proposal && (
                <div class="mb-panel">
                  <Heading level={3} size="xs">
                    {t('case.proposal.title', { decision: pick(def.decisions.find((d) => d.id === v.proposal!.type)?.title ?? { sv: v.proposal.type, en: v.proposal.type }, locale) })}
                  </Heading>
                  <p>{t('case.proposal.by', { name: names.get(v.proposal.proposedBy ?? '') ?? '–' })}</p>
                  <Paragraph>
                    {(() => {
                      const type = def.decisions.find((d) => d.id === v.proposal!.type);
                      return type ? fillDecisionTemplate({ definition: def, register: v.register }, type, v.proposal.values, { subject: subjectOf(c)?.name ?? '', child: subjectOf(c)?.name ?? '', applicant: v.applicant.name, reference: c.reference, service: pick(def.title, locale) }, locale) : '';
                    })()}
                  </Paragraph>
                </div>
              )}
              {v.actions.map((a) => (
                <ActionForm key={a.id} ctx={ctx} c={c} definition={def} action={a} handlers={handlers} error={err} values={v.values} />
              ))}
              <form method="post" action={`/staff/cases/${c.id}/messages`}>
                <CsrfField token={ctx.csrfToken} />
                <Textarea id="f-message" name="body" label={t('case.message')} hint={t('case.messageHint')} error={err('f-message')} value={v.values.message ?? ''} maxLength={4000} rows={4} />
                <Button variant="secondary">{t('case.sendMessage')}</Button>
              </form>
            </section>
          )}
          {v.canHandle && (
            <section aria-labelledby="note-h">
              <Heading level={2} size="sm">
                <span id="note-h">{t('case.notesTitle')}</span>
              </Heading>
              <form method="post" action={`/staff/cases/${c.id}/notes`}>
                <CsrfField token={ctx.csrfToken} />
                <Textarea id="f-note" name="body" label={t('case.note')} hint={t('case.noteHint')} error={err('f-note')} value={v.values.note ?? ''} maxLength={4000} rows={3} />
                <Button variant="secondary">{t('case.addNote')}</Button>
              </form>
            </section>
          )}
          <section aria-labelledby="docs-h">
            <Heading level={2} size="sm">
              <span id="docs-h">{t('case.documents')}</span>
            </Heading>
            <ul class="mb-list-plain">
              <li>
                <a class="ds-link" href={`/staff/cases/${c.id}/receipt.pdf`}>
                  {t('my.case.receipt')}
                </a>
              </li>
              {/* Each decision's letters, in the order the decisions were made (a case may have several, ADR 0034). */}
              {decisionLetters(c, def, v.entries, v.documents).map(({ doc, title }) => (
                <li key={doc.id}>
                  <a class="ds-link" href={`/staff/cases/${c.id}/documents/${doc.id}.pdf`}>
                    {title ? t('case.decisionLetter', { decision: pick(title, locale), language: t(`lang.${doc.locale}`) }) : t('my.case.letter', { language: t(`lang.${doc.locale}`) })}
                  </a>
                </li>
              ))}
              {v.attachments.map((a) => (
                <li key={a.id}>
                  <a class="ds-link" href={`/staff/cases/${c.id}/attachments/${a.id}`}>
                    {safeFilename(a.filename, a.contentType)}
                  </a>
                </li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="hist-h">
            <Heading level={2} size="sm">
              <span id="hist-h">{t('case.history')}</span>
            </Heading>
            <Timeline entries={v.entries} definition={def} locale={locale} t={t} audience="staff" staffNames={names} reader={{ staffId: v.viewerId, staffNames: names, parties: c.parties }} attachmentHref={(id) => `/staff/cases/${c.id}/attachments/${id}`} />
          </section>
        </div>
      </div>
    </Layout>
  );
}

/** The button's words: the definition's label, else the legacy verb's, else the engine's word for the kind. */
export function actionLabel(a: ActionDef, def: ServiceDefinition, t: ViewContext['t'], locale: 'sv' | 'en'): string {
  if (a.label) return pick(a.label, locale);
  if (a.labelKey) return t(a.labelKey);
  const to = def.workflow.states.find((s) => s.id === a.to);
  return t(`case.action.${a.kind}`, { status: to ? pick(to.staffLabel ?? to.label, locale) : '', party: a.party ? pick(a.party, locale) : '' });
}

/** The decision letters with the title of the decision each belongs to, first decision first; a letter no decision names is listed last without one. */
function decisionLetters(c: Case, def: ServiceDefinition, entries: readonly JournalEntry[], documents: readonly StoredDocument[]) {
  const letters = documents.filter((d) => d.kind === 'decision_letter');
  const out = decisionsOf(c, entries).flatMap((r) => letters.filter((d) => r.letterIds.includes(d.id)).map((doc) => ({ doc, title: def.decisions.find((x) => x.id === r.decision.type)?.title })));
  return [...out, ...letters.filter((d) => !out.some((o) => o.doc.id === d.id)).map((doc) => ({ doc, title: undefined }))];
}

/** One action on the case page, as its kind asks: a button, a text, a handler to pick, a text with files, a link to the decision form. */
function ActionForm(p: { ctx: ViewContext; c: Case; definition: ServiceDefinition; action: ActionDef; handlers: StaffName[]; error: (f: string) => string | undefined; values: Record<string, string> }) {
  const { ctx, c, action: a } = p;
  const { t, locale } = ctx;
  const label = actionLabel(a, p.definition, t, locale);
  const href = `/staff/cases/${c.id}/actions/${a.id}`;
  const shape = actionInput(a);
  const id = actionFieldId(a);
  const party = a.party ? pick(a.party, locale) : '';
  if (shape === 'decision') {
    return (
      <p>
        <a class="ds-button" data-variant="primary" href={href}>
          {label}
        </a>
      </p>
    );
  }
  if (shape === 'assign') {
    return (
      <form method="post" action={href}>
        <CsrfField token={ctx.csrfToken} />
        <Select id={id} name="assignee" label={t('case.assignTo')} error={p.error(id)} selected={c.assigneeId ?? ''} emptyLabel={t('case.unassigned')} options={p.handlers.map((h) => ({ value: h.id, label: h.displayName }))} />
        <Button variant="secondary">{label}</Button>
      </form>
    );
  }
  if (shape === 'text') {
    // The definition's own field (ADR 0029): its label and hint, and — for a transition — who reads the text.
    const rules = actionTextRules(a);
    const kindLabel = () => t(a.kind === 'requestSupplement' ? 'case.supplement' : `case.text.${a.kind}`, { party });
    // Who reads the text: a transition's by whether it tells the applicant; a kind's own hint says so, unless the definition's hint replaces it.
    const reader = (seen: boolean) => t(seen ? 'case.textShownToApplicant' : 'case.textInternal');
    const kindHint = () =>
      a.kind === 'transition' ? t(tellsApplicant(a) ? 'case.textToApplicant' : 'case.textInternal') : a.text?.hint ? reader(ACTION_KIND_HANDLERS[a.kind].residentSeesBody) : t(a.kind === 'requestSupplement' ? 'case.supplementHint' : `case.hint.${a.kind}`, { party });
    const textLabel = a.text ? `${pick(a.text.label, locale)}${rules.required ? '' : ` ${t('case.textOptional')}`}` : kindLabel();
    const hint = [a.text?.hint ? pick(a.text.hint, locale) : undefined, kindHint()].filter(Boolean).join(' ');
    return (
      <form method="post" action={href}>
        <CsrfField token={ctx.csrfToken} />
        <Textarea id={id} name="body" label={textLabel} hint={hint} required={rules.required} error={p.error(id)} value={p.values[a.id] ?? ''} maxLength={rules.maxLength} rows={4} />
        <Button variant="secondary">{label}</Button>
      </form>
    );
  }
  if (shape === 'textFiles') {
    return (
      <form method="post" action={href} enctype="multipart/form-data">
        <CsrfField token={ctx.csrfToken} />
        <Textarea id={id} name="body" label={t(`case.text.${a.kind}`, { party })} error={p.error(id)} value={p.values[a.id] ?? ''} maxLength={4000} rows={4} />
        <div class="ds-field mb-field">
          <label class="ds-label" for={`${id}-files`}>
            {t('case.files')}
          </label>
          {p.error(`${id}-files`) && (
            <p class="ds-validation-message" id={`${id}-files-error`}>
              {p.error(`${id}-files`)}
            </p>
          )}
          <input class="ds-input" type="file" id={`${id}-files`} name="files" multiple accept="application/pdf,image/png,image/jpeg" />
        </div>
        <Button variant="secondary">{label}</Button>
      </form>
    );
  }
  return (
    <form method="post" action={href}>
      <CsrfField token={ctx.csrfToken} />
      <Button variant={a.kind === 'approveDecision' ? 'primary' : 'secondary'}>{label}</Button>
    </form>
  );
}


/** loc (ADR 0020): the department a case was routed to, and its team (a role the service declares) when a rule named one. */
function routedTo(ctx: ViewContext, def: ServiceDefinition | undefined, c: Case): string {
  const department = ctx.tenant.departments.find((d) => d.id === c.department);
  const team = c.team ? def?.roles?.find((r) => r.id === c.team) : undefined;
  return [department ? pick(department.name, ctx.locale) : c.department, c.team ? (team ? pick(team.name, ctx.locale) : c.team) : undefined].filter(Boolean).join(' – ');
}
