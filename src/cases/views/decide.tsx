/**
 * Deciding (issue 8, item 17; ADR 0027): the decision form, prefilled where the definition says so,
 * with a preview of the letter; then "check and send", where the decision's values, the letter as it
 * will be sent and who gets it are shown before the one button that records the decision. The same
 * pages serve a proposal (proposeDecision) before it goes for approval.
 */
import type { ActionDef, DecisionField, DecisionType, RegisterEntry, ServiceDefinition } from '../../catalogue/types.ts';
import type { ViewContext } from '../../kernel/html/context.ts';
import { Layout } from '../../kernel/html/layout.tsx';
import { Button, ChoiceGroup, CsrfField, ErrorSummary, Heading, Paragraph, SummaryList, TextField, Textarea, ValidationMessage, type FieldError } from '../../kernel/html/components.tsx';
import { pick, type Locale } from '../../kernel/i18n/index.ts';
import type { Letter } from '../../documents/index.ts';
import { decisionFieldText } from '../../documents/index.ts';
import type { Case } from '../cases.repository.ts';
import { applicantChoicesOf, unitRegisterOf } from '../decision-form.ts';
import { actionLabel } from './handler.tsx';

/** A letter as the PDF lays it out, as HTML: sender, recipient, reference and date, title, sections, footer. */
export function LetterView({ letter, label }: { letter: Letter; label: string }) {
  return (
    <article class="mb-letter" lang={letter.lang} aria-label={label}>
      <div class="mb-letter__head">
        <div>
          {letter.sender.map((line, i) => (
            <div key={i}>{line}</div>
          ))}
        </div>
        <div class="mb-letter__meta">
          <div>{letter.reference}</div>
          <div>{letter.date}</div>
        </div>
      </div>
      {letter.recipient && (
        <div class="mb-letter__recipient">
          {letter.recipient.map((line, i) => (
            <div key={i}>{line}</div>
          ))}
        </div>
      )}
      <h3 class="mb-letter__title">{letter.title}</h3>
      {letter.sections.map((s, i) => (
        <div key={i} class="mb-letter__section">
          {s.heading && <h4 class="mb-letter__heading">{s.heading}</h4>}
          {(s.paragraphs ?? []).map((p, k) => (
            <p key={k}>
              {p.split('\n').map((line, n) => (
                <>
                  {n > 0 && <br />}
                  {line}
                </>
              ))}
            </p>
          ))}
          {s.rows && (
            <dl>
              {s.rows.map(([key, value], k) => (
                <div key={k}>
                  <dt>{key}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
            </dl>
          )}
        </div>
      ))}
      <p class="mb-letter__footer">{letter.footer}</p>
    </article>
  );
}

/** "1:a hand", "2nd choice": where the applicant ranked a unit. */
function rankWords(rank: number, locale: Locale): string {
  if (locale === 'sv') return `${rank}:${rank % 10 === 1 || rank % 10 === 2 ? (rank % 100 === 11 || rank % 100 === 12 ? 'e' : 'a') : 'e'} hand`;
  const suffix = rank % 100 >= 11 && rank % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][rank % 10] ?? 'th');
  return `${rank}${suffix} choice`;
}

/**
 * A unit from a register: any unit may be chosen; the applicant's choices come first, in their own
 * group, each marked with its rank ("Solrosen (1:a hand)"), then every other unit of the register.
 */
function UnitSelect(p: { ctx: ViewContext; f: DecisionField; id: string; entries: RegisterEntry[]; chosen: string[]; selected: string; error: string | undefined }) {
  const { t, locale } = p.ctx;
  const hintId = `${p.id}-hint`;
  const errId = p.error ? `${p.id}-error` : undefined;
  const name = (id: string) => p.entries.find((e) => e.id === id)?.name ?? id;
  const chosen = p.chosen.filter((id) => p.entries.some((e) => e.id === id));
  const others = p.entries.filter((e) => !chosen.includes(e.id));
  return (
    <div class="ds-field mb-field">
      <label class="ds-label" for={p.id}>
        {pick(p.f.label, locale)}
      </label>
      <div data-field="description" id={hintId}>
        {t(chosen.length ? 'case.unit.hint' : 'case.unit.hintNoChoices')}
      </div>
      {p.error && <ValidationMessage id={errId!}>{p.error}</ValidationMessage>}
      <select class="ds-input" id={p.id} name={p.f.id} aria-invalid={p.error ? 'true' : undefined} aria-describedby={[hintId, errId].filter(Boolean).join(' ')}>
        <option value="">{t('case.chooseOne')}</option>
        {chosen.length > 0 && (
          <optgroup label={t('case.unit.applicantChoices')}>
            {chosen.map((id) => (
              <option key={id} value={id} selected={id === p.selected}>
                {`${name(id)} (${rankWords(p.chosen.indexOf(id) + 1, locale)})`}
              </option>
            ))}
          </optgroup>
        )}
        {chosen.length > 0 ? (
          <optgroup label={t('case.unit.others')}>
            {others.map((e) => (
              <option key={e.id} value={e.id} selected={e.id === p.selected}>
                {e.name}
              </option>
            ))}
          </optgroup>
        ) : (
          others.map((e) => (
            <option key={e.id} value={e.id} selected={e.id === p.selected}>
              {e.name}
            </option>
          ))
        )}
      </select>
    </div>
  );
}

export interface DecideView {
  ctx: ViewContext;
  c: Case;
  definition: ServiceDefinition;
  /** The decide or proposeDecision action the form is for. */
  action: ActionDef;
  /** The decision types this action may make. */
  types: DecisionType[];
  type: DecisionType | undefined;
  /** The type the chooser has selected (changing the type from the check page). */
  chosenType?: string | undefined;
  values: Record<string, string>;
  errors: FieldError[];
  register: (id: string) => RegisterEntry[] | undefined;
  /** The letter with the form's values put in (what is still to be given in brackets). */
  preview: Letter | undefined;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const decisionHref = (c: Case, action: ActionDef) => `/staff/cases/${c.id}/actions/${action.id}`;

export function DecidePage(v: DecideView) {
  const { ctx, c, definition: def } = v;
  const { t, locale } = ctx;
  const title = `${actionLabel(v.action, def, t, locale)} – ${c.reference}`;
  const err = (f: string) => v.errors.find((e) => e.field === f)?.message;
  const href = decisionHref(c, v.action);
  return (
    <Layout ctx={ctx} title={title} section="staff" breadcrumbs={[{ href: '/staff/cases', label: t('inbox.title') }, { href: `/staff/cases/${c.id}`, label: c.reference }]}>
      <ErrorSummary title={t('forms.error.summaryTitle')} errors={v.errors} />
      <Heading>{title}</Heading>
      {!v.type ? (
        <form method="get" action={href}>
          <input type="hidden" name="step" value="type" />
          <ChoiceGroup id="f-type" name="type" legend={t('case.decisionType')} error={err('f-type')} options={v.types.map((d) => ({ value: d.id, label: pick(d.title, locale) }))} selected={v.chosenType ? [v.chosenType] : []} />
          <Button>{t('case.chooseType')}</Button>
        </form>
      ) : (
        <form method="post" action={href} data-decision-preview={`${href}/preview`} novalidate>
          <CsrfField token={ctx.csrfToken} />
          <input type="hidden" name="type" value={v.type.id} />
          <Heading level={2} size="sm">
            {pick(v.type.title, locale)}
          </Heading>
          {v.types.length > 1 && (
            <p>
              <a class="ds-link" href={`${href}?choose=1`}>
                {t('case.decision.otherType')}
              </a>
            </p>
          )}
          {v.type.fields.map((f) => {
            const id = `f-${f.id}`;
            const label = pick(f.label, locale);
            const register = unitRegisterOf(def, f);
            if (register !== undefined) {
              return <UnitSelect key={f.id} ctx={ctx} f={f} id={id} entries={v.register(register) ?? []} chosen={applicantChoicesOf(f, c)} selected={v.values[f.id] ?? ''} error={err(id)} />;
            }
            if (f.kind === 'choice') {
              return <ChoiceGroup key={f.id} id={id} name={f.id} legend={label} error={err(id)} options={(f.choices ?? []).map((ch) => ({ value: ch.value, label: pick(ch.label, locale) }))} selected={[v.values[f.id] ?? '']} />;
            }
            if (f.kind === 'longText') return <Textarea key={f.id} id={id} name={f.id} label={label} error={err(id)} value={v.values[f.id] ?? ''} maxLength={4000} />;
            return (
              <TextField
                key={f.id}
                id={id}
                name={f.id}
                label={f.kind === 'amount' ? `${label} (${t('case.kronor')})` : label}
                hint={f.kind === 'date' ? t('case.hint.date') : undefined}
                error={err(id)}
                value={v.values[f.id] ?? ''}
                width={f.kind === 'date' || f.kind === 'amount' ? 'short' : 'full'}
                {...(f.kind === 'amount' || f.kind === 'date' ? { inputMode: 'numeric' } : {})}
              />
            );
          })}
          {/* The letter as it will read (the PDF's own sections); the script refreshes it as fields change and says so once, politely. */}
          <section aria-labelledby="preview-h" class="mb-letter-preview">
            <Heading level={2} size="sm">
              <span id="preview-h">{t('case.decisionPreview')}</span>
            </Heading>
            <div data-decision-letter>{v.preview && <LetterView letter={v.preview} label={t('case.decision.letterLabel', { language: t(`lang.${v.preview.lang}`) })} />}</div>
            <p class="mb-visually-hidden" role="status" data-decision-status data-text={t('case.decision.previewUpdated')}></p>
          </section>
          <div class="mb-actions">
            <Button name="step" value="check">
              {t('case.decision.continue')}
            </Button>
            <Button name="step" value="preview" variant="secondary">
              {t('case.decision.preview')}
            </Button>
          </div>
        </form>
      )}
    </Layout>
  );
}

export interface DecisionCheckView {
  ctx: ViewContext;
  c: Case;
  definition: ServiceDefinition;
  action: ActionDef;
  types: DecisionType[];
  type: DecisionType;
  values: Record<string, string>;
  register: (id: string) => RegisterEntry[] | undefined;
  /** The letters as they will be sent: Swedish always, the applicant's language too when another. */
  letters: Letter[];
  recipient: { name: string; address: string[] | undefined; email: string | undefined };
}

export function DecisionCheckPage(v: DecisionCheckView) {
  const { ctx, c, definition: def, type } = v;
  const { t, locale } = ctx;
  const proposing = v.action.kind === 'proposeDecision';
  const title = `${t(proposing ? 'case.check.titleProposal' : 'case.check.title')} – ${c.reference}`;
  const href = decisionHref(c, v.action);
  const change = (what: string, target: string) => ({ href: target, label: t('forms.check.change'), context: what });
  const rows = [
    { key: t('case.check.type'), value: pick(type.title, locale), ...(v.types.length > 1 ? { change: change(t('case.check.type'), `${href}?choose=1`) } : {}) },
    ...type.fields.map((f) => {
      const raw = v.values[f.id] ?? '';
      const label = pick(f.label, locale);
      const text = raw ? decisionFieldText({ definition: def, register: v.register }, f, raw, locale) : t('case.check.empty');
      const rank = unitRegisterOf(def, f) !== undefined ? applicantChoicesOf(f, c).indexOf(raw) : -1;
      return { key: label, value: rank >= 0 ? `${text} (${rankWords(rank + 1, locale)})` : text, change: change(label, `${href}?type=${encodeURIComponent(type.id)}#f-${f.id}`) };
    }),
  ];
  const who = [
    { key: t('case.check.recipient'), value: v.recipient.name },
    ...(v.recipient.address?.length ? [{ key: t('case.check.address'), value: v.recipient.address.join(', ') }] : []),
    { key: t('case.check.email'), value: v.recipient.email ?? t('case.check.noEmail') },
    { key: t('case.check.languages'), value: capitalise(v.letters.map((l) => t(`lang.${l.lang}`)).join(', ')) },
  ];
  return (
    <Layout ctx={ctx} title={title} section="staff" breadcrumbs={[{ href: '/staff/cases', label: t('inbox.title') }, { href: `/staff/cases/${c.id}`, label: c.reference }]}>
      <Heading>{title}</Heading>
      <Paragraph>{t(proposing ? 'case.check.introProposal' : 'case.check.intro')}</Paragraph>
      <Heading level={2} size="md">
        {t('case.check.decision')}
      </Heading>
      <SummaryList rows={rows} />
      <Heading level={2} size="md">
        {t('case.check.who')}
      </Heading>
      {proposing && <Paragraph>{t('case.check.proposalGoesTo')}</Paragraph>}
      <SummaryList rows={who} />
      <Heading level={2} size="md">
        {t('case.check.letter')}
      </Heading>
      {v.letters.map((l) => (
        <LetterView key={l.lang} letter={l} label={t('case.decision.letterLabel', { language: t(`lang.${l.lang}`) })} />
      ))}
      <form method="post" action={href}>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="type" value={type.id} />
        {type.fields.map((f) => (
          <input key={f.id} type="hidden" name={f.id} value={v.values[f.id] ?? ''} />
        ))}
        <input type="hidden" name="step" value="send" />
        <Button>{t(proposing ? 'case.confirmProposal' : 'case.confirmDecision')}</Button>
      </form>
      <p>
        <a class="ds-link" href={`/staff/cases/${c.id}`}>
          {t('case.check.back')}
        </a>
      </p>
    </Layout>
  );
}
