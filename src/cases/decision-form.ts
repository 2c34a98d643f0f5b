/**
 * The values of a decision form, checked against its decision type's fields (ADR 0014, 0027): required
 * values, text length, real dates not in the past (unless the field allows it), a date after
 * another (a validity period's end after its start), whole amounts within bounds, a choice among the
 * type's options, a unit from a register (any unit of it: the applicant's choices are only marked).
 * Errors name the field in words, as people say it: "Välj förskola", "Ange startdatum".
 */
import { formatNumber, readNumber } from '../kernel/i18n/numbers.ts';
import type { DecisionField, DecisionType, RegisterEntry, ServiceDefinition } from '../catalogue/types.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import { pick, type Locale, type Translate } from '../kernel/i18n/index.ts';
import { isIsoDate } from '../forms/dates.ts';
import type { Case } from './cases.repository.ts';

const MAX_TEXT = 4000;

/** The field's name mid-sentence: its errorName, else its label with the first letter lower-cased ("SMS-nummer" keeps its capitals). */
export function decisionFieldName(f: Pick<DecisionField, 'label' | 'errorName'>, locale: Locale): string {
  if (f.errorName) return pick(f.errorName, locale);
  const label = pick(f.label, locale);
  return /^\p{Lu}-?\p{Ll}/u.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

const capitalised = (s: string, locale: Locale) => s.charAt(0).toLocaleUpperCase(locale) + s.slice(1);

/** A unit is chosen from a register: a registerEntry, or a rankedChoiceAnswer (the register its answer chooses from). */
export function unitRegisterOf(def: ServiceDefinition | undefined, f: DecisionField): string | undefined {
  if (f.kind === 'registerEntry') return f.register;
  if (f.kind !== 'rankedChoiceAnswer' || !def) return undefined;
  const source = def.form.steps.flatMap((s) => s.fields).find((x) => x.id === f.from);
  return source && (source.kind === 'rankedChoice' || source.kind === 'registerChoice') ? source.register : undefined;
}

/** The units the applicant chose (first choice first) that the field marks as theirs. */
export function applicantChoicesOf(f: DecisionField, c: Pick<Case, 'answers'>): string[] {
  const answer = f.kind === 'rankedChoiceAnswer' ? f.from : f.kind === 'registerEntry' ? f.marks : undefined;
  const raw = answer ? c.answers[answer] : undefined;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return [...new Set(list.filter((x): x is string => typeof x === 'string' && x !== ''))];
}

/**
 * The form's defaults: each field with a `prefill` takes the application's answer (a list answer
 * gives its first entry; an answer of another shape gives nothing), through its `map` where it has
 * one (ADR 0034: a value the map does not name gives nothing). The handler may change them.
 */
export function prefillDecision(type: DecisionType, c: Pick<Case, 'answers'>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of type.fields) {
    if (!f.prefill) continue;
    const raw = c.answers[f.prefill.answer];
    const first = Array.isArray(raw) ? raw.find((x) => typeof x === 'string' && x !== '') : raw;
    if (typeof first !== 'string' && typeof first !== 'number') continue;
    // Own keys only: an answer such as "constructor" must not find Object's.
    const map = f.prefill.map;
    const value = map ? (Object.hasOwn(map, String(first)) ? map[String(first)] : undefined) : String(first);
    if (value !== undefined) values[f.id] = value;
  }
  return values;
}

/** What was posted for the type's fields, line breaks normalised and trimmed; nothing else is kept. */
export function readDecisionValues(type: DecisionType, body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const f of type.fields) {
    const raw = body[f.id];
    values[f.id] = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
  }
  return values;
}

export function checkDecisionForm(
  type: DecisionType,
  body: Record<string, unknown>,
  c: Case,
  ctx: { today: string; t: Translate; locale: Locale; definition?: ServiceDefinition; register: (id: string) => RegisterEntry[] | undefined },
): { values: Record<string, string>; errors: FieldError[] } {
  const { t, locale, today } = ctx;
  const values = readDecisionValues(type, body);
  const errors: FieldError[] = [];
  for (const f of type.fields) {
    const v = values[f.id]!;
    const label = pick(f.label, locale);
    const name = decisionFieldName(f, locale);
    const fail = (key: string, extra: Record<string, string | number> = {}) => errors.push({ field: `f-${f.id}`, message: capitalised(t(key, { label, name, ...extra }), locale) });
    const register = unitRegisterOf(ctx.definition, f);
    if (!v) {
      if (f.required === false) continue;
      if (f.kind === 'choice' || register !== undefined || f.kind === 'rankedChoiceAnswer') fail('case.error.decisionSelect');
      else if (f.kind === 'longText') fail('case.error.decisionWrite');
      else fail('case.error.decisionEnter');
      continue;
    }
    if (v.length > MAX_TEXT) fail('case.error.textTooLong', { max: MAX_TEXT });
    else if (f.kind === 'date') {
      if (!isIsoDate(v)) fail('case.error.decisionDate');
      // A date a decision sets (a place from…) cannot already have passed, counted in Stockholm.
      else if (v < today && !f.pastAllowed) fail('case.error.decisionDatePast');
      else if (f.after !== undefined) {
        const other = type.fields.find((x) => x.id === f.after);
        const start = values[f.after];
        if (other && start && isIsoDate(start) && v <= start) fail('case.error.decisionDateAfter', { other: decisionFieldName(other, locale) });
      }
    } else if (f.kind === 'amount') {
      // Whole numbers as people write them: "12 500", "12,500", "12.500" (ADR 0030).
      const read = readNumber(v, 0);
      const n = 'value' in read && read.value >= 0 && read.value < 1e10 ? read.value : NaN;
      if (!Number.isSafeInteger(n)) fail('case.error.decisionAmount');
      else if (f.min !== undefined && n < f.min) fail('case.error.decisionAmountMin', { min: formatNumber(f.min, locale) });
      else if (f.max !== undefined && n > f.max) fail('case.error.decisionAmountMax', { max: formatNumber(f.max, locale) });
      else values[f.id] = String(n);
    } else if (f.kind === 'choice') {
      if (!(f.choices ?? []).some((ch) => ch.value === v)) fail('case.error.decisionChoiceOption');
    } else if (f.kind === 'registerEntry' || f.kind === 'rankedChoiceAnswer') {
      // Any unit of the register: the handler may offer another than the applicant asked for.
      if (!(ctx.register(register ?? '') ?? []).some((e) => e.id === v)) fail('case.error.decisionUnit');
    }
  }
  return { values, errors };
}
