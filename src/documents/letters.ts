/** The contents of the receipt and of decision letters, in the case's language. */
import { formatNumber } from '../kernel/i18n/numbers.ts';
import type { Appeal, AppealRoute, DecisionOutcome, DecisionType, ServiceDefinition } from '../catalogue/types.ts';
import type { Localised, Tenant } from '../kernel/tenants.ts';
import { formatDate, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import { matterWords, type Case, type Decision } from '../cases/index.ts';
import { childrenOfParties, displayAnswer } from '../forms/answers.ts';
import { decidingBody, subjectLabel } from '../catalogue/index.ts';
import type { RegisterEntry } from '../catalogue/types.ts';
import type { Letter, LetterSection } from './pdf.ts';
import './messages.ts';
import '../forms/messages.ts';
import '../forms/journey-messages.ts';

export interface LetterContext {
  tenant: Tenant;
  definition: ServiceDefinition;
  register: (id: string) => RegisterEntry[] | undefined;
  applicantName: string;
  applicantAddress?: string[];
  /** The representative the applicant applied through (ADR 0033): the letter goes to the applicant "c/o" them. */
  careOf?: { name: string; capacity: string } | undefined;
  /** Sections other modules add to the receipt (a payment), in the receipt's language. */
  receiptSections?: LetterSection[];
  /** Lines other modules add under a decision's text (a fee invoiced on it, ADR 0034). */
  decisionLines?: (decision: Decision, l: Locale) => string[];
}

/** The recipient's lines: the applicant, "c/o" their representative and in what capacity (ADR 0033), the address. */
function recipient(ctx: LetterContext, l: Locale): string[] {
  const careOf = ctx.careOf ? [translate(l, 'documents.letter.careOf', { name: ctx.careOf.name, capacity: translate(l, `forms.representation.capacity.${ctx.careOf.capacity}`) })] : [];
  return [ctx.applicantName, ...careOf, ...(ctx.applicantAddress ?? [])];
}

function sender(ctx: LetterContext, l: Locale): string[] {
  const dept = ctx.tenant.departments.find((d) => d.id === ctx.definition.department);
  return [pick(ctx.tenant.name, l), ...(dept ? [pick(dept.name, l)] : [])];
}

function footer(ctx: LetterContext, l: Locale): string {
  const c = ctx.tenant.contact;
  return translate(l, 'documents.footer', { tenant: pick(ctx.tenant.name, l), address: c.address, phone: c.phone, email: c.email });
}

export function receiptLetter(c: Case, ctx: LetterContext, l: Locale): Letter {
  const t = (k: string, v?: Record<string, string>) => translate(l, k, v);
  const def = ctx.definition;
  const children = childrenOfParties(c.parties);
  const subject = subjectName(c);
  const label = subjectLabel(def, l);
  const rows: [string, string][] = [];
  for (const step of def.form.steps) {
    for (const field of step.fields) {
      if (c.answers[field.id] === undefined) continue;
      rows.push([pick(field.label, l), displayAnswer(field, c.answers[field.id], { locale: l, t: (k, v) => translate(l, k, v), register: ctx.register, children })]);
    }
  }
  return {
    lang: l,
    title: t('documents.receipt.title', { service: pick(def.title, l) }),
    sender: sender(ctx, l),
    recipient: recipient(ctx, l),
    reference: c.reference,
    date: formatDate(c.createdAt, l),
    sections: [
      { paragraphs: [t('documents.receipt.intro', { date: formatDate(c.createdAt, l, true), yourMatter: matterWords(def, l).yourMatter })] },
      {
        rows: [
          [t('documents.receipt.reference'), c.reference],
          [t('documents.receipt.applicant'), ctx.applicantName],
          ...(ctx.careOf ? ([[t('documents.receipt.representative'), t('documents.receipt.representedBy', { name: ctx.careOf.name, capacity: t(`forms.representation.capacity.${ctx.careOf.capacity}`) })]] as [string, string][]) : []),
          ...(subject && label ? ([[label, subject]] as [string, string][]) : []),
        ],
      },
      { heading: t('documents.receipt.answers'), rows },
      ...(ctx.receiptSections ?? []),
      { heading: t('documents.receipt.next'), paragraphs: [pick(def.whatHappensNext, l)] },
    ],
    footer: footer(ctx, l),
  };
}

/** Fills a decision template's {placeholders}; decision dates and register choices shown as people read them. */
export function decisionText(c: Case, ctx: LetterContext, decision: Decision, l: Locale, missing?: (f: DecisionType['fields'][number]) => string): string {
  const type = ctx.definition.decisions.find((d) => d.id === decision.type);
  if (!type) throw new Error(`Unknown decision type ${decision.type}`);
  return fillDecisionTemplate(ctx, type, decision.values, { subject: subjectName(c) ?? '', applicant: ctx.applicantName, reference: c.reference, service: pick(ctx.definition.title, l) }, l, missing);
}

/** How letters name the case's subject: its name, else what identifies it (a designation). */
export function subjectName(c: Pick<Case, 'parties'>): string | undefined {
  const s = c.parties.find((p) => p.role === 'subject');
  return s ? (s.name ?? s.identifier ?? s.personalNumber ?? undefined) : undefined;
}

/**
 * The template of a decision type with its fields' values put in. A field not yet given is
 * shown by `missing(field)` (the handler's preview says "[Pre-school]"), else as the empty string.
 */
export function fillDecisionTemplate(
  ctx: Pick<LetterContext, 'definition' | 'register'>,
  type: DecisionType,
  given: Record<string, string>,
  known: Record<string, string>,
  l: Locale,
  missing: (f: DecisionType['fields'][number]) => string = () => '',
): string {
  const values: Record<string, string> = { ...known };
  for (const f of type.fields) {
    const raw = given[f.id] ?? '';
    values[f.id] = raw ? decisionFieldText(ctx, f, raw, l) : missing(f);
  }
  return pick(type.letter, l).replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}

/**
 * A decision field's value as people read it, in the letter and on the case page: a date in words,
 * a unit or a pre-school by its name (not its register id), a choice by its label; an amount grouped
 * in thousands (whole kronor: letters put their own unit after it).
 */
export function decisionFieldText(ctx: Pick<LetterContext, 'definition' | 'register'>, f: DecisionType['fields'][number], raw: string, l: Locale): string {
  if (f.kind === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(raw)) return formatDate(`${raw}T12:00:00Z`, l);
  if (f.kind === 'rankedChoiceAnswer') {
    const source = ctx.definition.form.steps.flatMap((s) => s.fields).find((x) => x.id === f.from);
    const entries = source && source.kind === 'rankedChoice' ? (ctx.register(source.register) ?? []) : [];
    return entries.find((e) => e.id === raw)?.name ?? raw;
  }
  if (f.kind === 'registerEntry') return (ctx.register(f.register ?? '') ?? []).find((e) => e.id === raw)?.name ?? raw;
  if (f.kind === 'choice') {
    const choice = (f.choices ?? []).find((ch) => ch.value === raw);
    return choice ? pick(choice.label, l) : raw;
  }
  // An amount grouped in thousands as the language writes it ("12 500", "12,500"; ADR 0030).
  if (f.kind === 'amount' && /^\d{1,15}$/.test(raw)) return formatNumber(Number(raw), l);
  return raw;
}

/**
 * The outcomes that go the party's way. Förvaltningslagen (2017:900) 33 § asks the authority to say
 * how to appeal when a decision goes against the party and can be appealed: a decision type that
 * names no appeal route gets none with one of these outcomes, and the ordinary route with any other
 * (a rejection, a partial approval, a dismissal — and `none`, whose direction the engine cannot know,
 * so the letter errs on the side of telling).
 */
const FAVOURABLE_OUTCOMES: ReadonlySet<DecisionOutcome> = new Set(['approved']);

/** What a decision type without `appeal` gets (ADR 0032): no section when favourable, else the ordinary route. */
export function defaultAppeal(outcome: DecisionOutcome): Appeal | false {
  return FAVOURABLE_OUTCOMES.has(outcome) ? false : { route: 'ordinary' };
}

/**
 * The appeal section of a decision type's letter and case page, in one language (ADR 0029): the
 * route's heading and text — the definition's own where it words them, else the engine's for the
 * route — with {authority} and {decider} (the deciding committee, `decidingBody`; "kommunen" when
 * none is configured, which `catalogue check` refuses) filled in. A bare text is the ordinary
 * route's heading over it; false is no section at all; absent follows the outcome (defaultAppeal,
 * ADR 0032).
 */
export function appealSection(type: Pick<DecisionType, 'appeal' | 'outcome'>, l: Locale, decider?: Localised): { route: AppealRoute; heading: string; text: string } | undefined {
  const a = type.appeal === undefined ? defaultAppeal(type.outcome) : type.appeal;
  if (a === false) return undefined;
  const spec: Appeal = 'route' in a ? a : { route: 'ordinary', text: a };
  const vars: Record<string, string> = {
    authority: spec.authority ? pick(spec.authority, l) : '',
    decider: decider ? pick(decider, l) : translate(l, 'documents.appeal.deciderUnknown'),
  };
  const fill = (s: string) => s.replace(/\{(authority|decider)\}/g, (_, k: string) => vars[k]!);
  return {
    route: spec.route,
    heading: spec.heading ? fill(pick(spec.heading, l)) : translate(l, `documents.appeal.${spec.route}.heading`, vars),
    text: spec.text ? fill(pick(spec.text, l)) : translate(l, `documents.appeal.${spec.route}.text`, vars),
  };
}

/**
 * The decision letter: the PDF is rendered from it, and the handler's preview and "check and send"
 * page show the same sections as HTML (one source of the letter's text). `missing` fills a field not
 * yet given (the preview says "[Pre-school]").
 */
export function decisionLetter(c: Case, ctx: LetterContext, decision: Decision, deciderName: string, l: Locale, missing?: (f: DecisionType['fields'][number]) => string): Letter {
  const t = (k: string, v?: Record<string, string>) => translate(l, k, v);
  const def = ctx.definition;
  const type = def.decisions.find((d) => d.id === decision.type)!;
  const dept = ctx.tenant.departments.find((d) => d.id === def.department);
  return {
    lang: l,
    title: t('documents.letter.title', { service: pick(def.title, l) }),
    sender: sender(ctx, l),
    recipient: recipient(ctx, l),
    reference: c.reference,
    date: formatDate(decision.decidedAt, l),
    sections: [
      { heading: `${t('documents.letter.decision')}: ${pick(type.title, l)}`, paragraphs: [decisionText(c, ctx, decision, l, missing), ...(ctx.decisionLines?.(decision, l) ?? [])] },
      { paragraphs: [t('documents.letter.decidedBy', { name: deciderName, department: dept ? pick(dept.name, l) : '' })] },
      // How to appeal, by the decision type's route (false, or absent on an approval: no section).
      ...(() => {
        const appeal = appealSection(type, l, decidingBody(def, ctx.tenant));
        return appeal ? [{ heading: appeal.heading, paragraphs: [appeal.text] }] : [];
      })(),
    ],
    footer: footer(ctx, l),
  };
}
