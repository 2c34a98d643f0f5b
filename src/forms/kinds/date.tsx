/**
 * A calendar date, stored as YYYY-MM-DD. Bounds are counted from today in Europe/Stockholm:
 * months ahead (earliest and latest), whether a past or future date is allowed, and how many years
 * back at most (a date of birth, the day something happened).
 */
import type { DateField } from '../../catalogue/types.ts';
import { TextField } from '../../kernel/html/components.tsx';
import { formatDate } from '../../kernel/i18n/index.ts';
import { addMonths, isIsoDate, normaliseTypedDate } from '../dates.ts';
import { examplePosted, isBlankValue, str, text } from './shared.tsx';
import type { FieldKind, FieldProblem, RuleContext } from './types.ts';

const months = { type: 'integer', minimum: -1200, maximum: 1200 };

/** The bounds of a date answer (shared with the date range kind). */
export interface DateBounds {
  minMonthsAhead?: number | undefined;
  maxMonthsAhead?: number | undefined;
  allowPast?: boolean | undefined;
  allowFuture?: boolean | undefined;
  maxYearsBack?: number | undefined;
}

export const dateBoundOptions = {
  minMonthsAhead: months,
  maxMonthsAhead: months,
  allowPast: { type: 'boolean' },
  allowFuture: { type: 'boolean' },
  maxYearsBack: { type: 'integer', minimum: 0, maximum: 150 },
};

/** The problem of a real date outside its bounds, or undefined. `earlier` handles a too-early date itself when given. */
export function boundsProblem(b: DateBounds, value: string, today: string): { key: string; vars?: Record<string, string> } | undefined {
  // Today is the bound a definition's own message may name ({date}).
  if (!b.allowPast && value < today) return { key: 'forms.error.dateInPast', vars: { min: today } };
  if (b.allowFuture === false && value > today) return { key: 'forms.error.dateInFuture', vars: { max: today } };
  if (b.maxYearsBack !== undefined) {
    const min = addMonths(today, -12 * b.maxYearsBack);
    if (value < min) return { key: 'forms.error.dateTooFarBack', vars: { min } };
  }
  if (b.minMonthsAhead !== undefined) {
    const min = addMonths(today, b.minMonthsAhead);
    if (value < min) return { key: 'forms.error.dateTooEarly', vars: { min } };
  }
  if (b.maxMonthsAhead !== undefined) {
    const max = addMonths(today, b.maxMonthsAhead);
    if (value > max) return { key: 'forms.error.dateTooLate', vars: { max } };
  }
  return undefined;
}

/**
 * A date inside the bounds, for examples: the earliest allowed; a month ahead for a date asked
 * months ahead (a change "from" a date, which a service's rules usually want some weeks off); or today.
 */
export function exampleDate(b: DateBounds, today: string): string {
  if (b.minMonthsAhead !== undefined) return addMonths(today, b.allowPast ? b.minMonthsAhead : Math.max(b.minMonthsAhead, 0));
  if (b.allowPast && b.allowFuture === false) return addMonths(today, -1);
  // A date a month ahead when the bounds allow it: inside them, and past the notice a definition's
  // own rule may ask (a change "at the earliest two weeks from today").
  if (b.allowFuture !== false && b.maxMonthsAhead !== undefined && b.maxMonthsAhead >= 1) return addMonths(today, 1);
  return today;
}

export const dateKind: FieldKind<DateField> = {
  kind: 'date',
  options: {
    properties: { ...dateBoundOptions, earlierAllowedWith: { type: 'string', pattern: '^[a-z][a-zA-Z0-9]*$', maxLength: 64 } },
    // An earlier date is only "earlier" than a minimum.
    extra: { dependentRequired: { earlierAllowedWith: ['minMonthsAhead'] } },
  },
  // Typed, not picked: a browser's own date picker shows the date in its locale's order
  // (mm/dd/yyyy in many), which contradicts the format the hint asks for (issue: "Dates").
  read: (_f, body, name) => {
    const v = text(body[name]);
    return Array.isArray(v) ? v : normaliseTypedDate(v);
  },
  isStorable: (_f, v) => typeof v === 'string',
  shape: () => ({ type: 'string', maxLength: 10, pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  patternError: 'forms.error.date',
  rules(field, value, ctx: RuleContext): FieldProblem | undefined {
    const v = str(value);
    if (!isIsoDate(v)) return { field: field.id, key: 'forms.error.date' };
    const p = boundsProblem(field, v, ctx.today);
    if (!p) return undefined;
    if (p.key === 'forms.error.dateTooEarly' && field.earlierAllowedWith) {
      // An earlier date is allowed with a reason; the reason field itself reports when it is missing.
      if (isBlankValue(ctx.answers[field.earlierAllowedWith])) return { field: field.earlierAllowedWith, labelOf: field.id, key: 'forms.error.dateTooEarlyReason', vars: p.vars! };
      return undefined;
    }
    return { field: field.id, key: p.key, ...(p.vars ? { vars: p.vars } : {}) };
  },
  render({ field, value, name, id, label, hint, error, ctx, single }) {
    return (
      <TextField
        id={id}
        name={name}
        label={label}
        labelIsHeading={single}
        hint={[hint, ctx.t('forms.dateHint')].filter(Boolean).join(' ')}
        error={error}
        value={str(value)}
        required={field.required !== false}
        width="short"
      />
    );
  },
  display: (_f, v) => str(v),
  exampleValid: (field, ctx) => examplePosted(field, field.id) ?? { [field.id]: exampleDate(field, ctx.today) },
  exampleInvalid: (field) => ({ form: { [field.id]: '2027-02-30' }, key: 'forms.error.date' }),
};

/** A date as people read it ("15 mars 2027"), or the text as stored when it is not a date. */
export function readableDate(v: string, locale: Parameters<typeof formatDate>[1]): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v + 'T12:00:00Z', locale) : v;
}
dateKind.display = (_f, v, ctx) => readableDate(str(v), ctx.locale);
