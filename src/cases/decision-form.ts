/**
 * The values of a decision form, checked against its decision type's fields (ADR 0014): required
 * values, text length, real dates not in the past (unless the field allows it), a date after
 * another (a validity period's end after its start), whole amounts within bounds, a choice among the
 * type's options, a unit from a register, a pick among the applicant's ranked choices.
 */
import type { DecisionType, RegisterEntry } from '../catalogue/types.ts';
import type { FieldError } from '../kernel/html/components.tsx';
import { pick, type Locale, type Translate } from '../kernel/i18n/index.ts';
import { isIsoDate } from '../forms/dates.ts';
import type { Case } from './cases.repository.ts';

const MAX_TEXT = 4000;

export function checkDecisionForm(
  type: DecisionType,
  body: Record<string, unknown>,
  c: Case,
  ctx: { today: string; t: Translate; locale: Locale; register: (id: string) => RegisterEntry[] | undefined },
): { values: Record<string, string>; errors: FieldError[] } {
  const { t, locale, today } = ctx;
  const values: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const f of type.fields) {
    const raw = body[f.id];
    values[f.id] = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
  }
  for (const f of type.fields) {
    const v = values[f.id]!;
    const label = pick(f.label, locale);
    const fail = (key: string, extra: Record<string, string | number> = {}) => errors.push({ field: `f-${f.id}`, message: t(key, { label, ...extra }) });
    if (!v) {
      if (f.required !== false) fail('case.error.decisionField');
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
        if (other && start && isIsoDate(start) && v <= start) fail('case.error.decisionDateAfter', { other: pick(other.label, locale) });
      }
    } else if (f.kind === 'amount') {
      const n = /^\d{1,10}$/.test(v.replace(/[\s\u00a0]/g, '')) ? Number(v.replace(/[\s\u00a0]/g, '')) : NaN;
      if (!Number.isSafeInteger(n)) fail('case.error.decisionAmount');
      else if (f.min !== undefined && n < f.min) fail('case.error.decisionAmountMin', { min: f.min });
      else if (f.max !== undefined && n > f.max) fail('case.error.decisionAmountMax', { max: f.max });
      else values[f.id] = String(n);
    } else if (f.kind === 'choice') {
      if (!(f.choices ?? []).some((ch) => ch.value === v)) fail('case.error.decisionChoiceOption');
    } else if (f.kind === 'registerEntry') {
      if (!(ctx.register(f.register ?? '') ?? []).some((e) => e.id === v)) fail('case.error.decisionChoiceOption');
    } else if (f.kind === 'rankedChoiceAnswer') {
      const chosen = c.answers[f.from ?? ''];
      if (!Array.isArray(chosen) || !(chosen as unknown[]).includes(v)) fail('case.error.decisionChoice');
    }
  }
  return { values, errors };
}
