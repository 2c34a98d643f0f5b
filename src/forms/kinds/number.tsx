/**
 * A number and an amount of money, typed as people write them ("1 234,5", "1234.50").
 * A number is stored as a JSON number. Money is stored as whole öre (a JSON integer): sums and
 * comparisons in expressions and fees are exact, with no binary fractions (ADR 0013).
 */
import type { MoneyField, NumberField } from '../../catalogue/types.ts';
import { TextField } from '../../kernel/html/components.tsx';
import { pick, type Locale } from '../../kernel/i18n/index.ts';
import { formatKronor, formatNumber, readNumber } from '../../kernel/i18n/numbers.ts';
import type { AnswerValue } from '../conditions.ts';
import { examplePosted, text } from './shared.tsx';
import type { FieldKind, FieldProblem } from './types.ts';

/** The decimals a number field's answer may have: none for whole numbers. */
const decimalsOf = (field: Pick<NumberField, 'integer'> | undefined) => (field?.integer ? 0 : 10);

/**
 * The number a posted or stored answer holds, or undefined. Typed as people write it (ADR 0030):
 * "1 234,5", "12 500", "12.500,5"; "12,500" is ambiguous unless the field takes whole numbers only.
 */
export function parseNumber(v: AnswerValue | undefined, field?: Pick<NumberField, 'integer'>): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const r = readNumber(v, decimalsOf(field));
  return 'value' in r ? r.value : undefined;
}

/** Why a typed number is not one: ambiguous ("12,500" where decimals are allowed) or not a number at all. */
function numberProblem(v: AnswerValue, field: Pick<NumberField, 'integer'>): 'ambiguous' | 'invalid' | undefined {
  if (typeof v !== 'string') return parseNumber(v) === undefined ? 'invalid' : undefined;
  const r = readNumber(v, decimalsOf(field));
  return 'problem' in r ? r.problem : undefined;
}

/** Whole öre of a posted amount in kronor ("12 500,50" → 1250050), or of a stored one; undefined when not an amount. */
export function parseOre(v: AnswerValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const r = readNumber(v, 2);
  if (!('value' in r)) return undefined;
  const ore = Math.round(r.value * 100);
  return Number.isSafeInteger(ore) && Math.abs(ore) < 1e15 ? ore : undefined;
}

export { formatKronor, formatNumber };

/**
 * A stored number is shown back as typed would be: a decimal comma in Swedish; an amount grouped
 * in thousands as it is shown everywhere ("12 500,50"), which reads back as the same amount.
 */
const asTyped = (v: AnswerValue | undefined, l: Locale, money: boolean): string => {
  if (typeof v === 'string') return v;
  if (typeof v !== 'number') return '';
  if (money) return new Intl.NumberFormat(l === 'sv' ? 'sv-SE' : 'en-GB', { minimumFractionDigits: v % 100 === 0 ? 0 : 2, maximumFractionDigits: 2 }).format(v / 100);
  const s = String(v);
  return l === 'sv' ? s.replace('.', ',') : s;
};

const bound = { type: 'number', minimum: -1e15, maximum: 1e15 };

export const numberKind: FieldKind<NumberField> = {
  kind: 'number',
  options: { properties: { integer: { type: 'boolean' }, min: bound, max: bound, unit: { $ref: '#/$defs/localised' } } },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string' || typeof v === 'number',
  normalise: (f, v) => parseNumber(v, f) ?? v,
  shape: () => ({ type: ['string', 'number'], maxLength: 40 }),
  rules(field, value, ctx): FieldProblem | undefined {
    const n = parseNumber(value, field);
    // "12,500" could be twelve and a half or twelve thousand five hundred: asked again, kept as typed.
    if (numberProblem(value, field) === 'ambiguous') return { field: ctx.name, key: 'forms.error.numberAmbiguous' };
    if (n === undefined) return { field: ctx.name, key: field.integer ? 'forms.error.integer' : 'forms.error.number' };
    if (field.integer && !Number.isInteger(n)) return { field: ctx.name, key: 'forms.error.integer' };
    if (field.min !== undefined && n < field.min) return { field: ctx.name, key: 'forms.error.numberMin', vars: { min: field.min } };
    if (field.max !== undefined && n > field.max) return { field: ctx.name, key: 'forms.error.numberMax', vars: { max: field.max } };
    return undefined;
  },
  render({ field, value, name, id, label, hint, error, ctx, single }) {
    const unit = field.unit ? pick(field.unit, ctx.locale) : undefined;
    return (
      <TextField
        id={id}
        name={name}
        // The unit belongs to the question a screen reader announces, not only to text beside the box.
        label={unit ? `${label} (${unit})` : label}
        labelIsHeading={single}
        hint={hint}
        error={error}
        value={asTyped(value, ctx.locale, false)}
        inputMode={field.integer && (field.min ?? 0) >= 0 ? 'numeric' : 'text'}
        required={field.required !== false}
        width="short"
      />
    );
  },
  // The step page's template (forms/template.ts): the number is shown as typed, or in the language's notation.
  template: (_f, v, h, locale) => ({ probe: h.text(asTyped(v, locale, false)) }),
  display(field, v, ctx) {
    const n = parseNumber(v, field);
    if (n === undefined) return typeof v === 'string' ? v : '';
    return `${formatNumber(n, ctx.locale)}${field.unit ? ` ${pick(field.unit, ctx.locale)}` : ''}`;
  },
  exampleValid: (field) => examplePosted(field, field.id) ?? { [field.id]: String(field.min !== undefined ? Math.ceil(field.min) : field.max !== undefined ? Math.min(0, Math.floor(field.max)) : 1) },
  exampleInvalid: (field) => ({ form: { [field.id]: 'tolv' }, key: field.integer ? 'forms.error.integer' : 'forms.error.number' }),
};

export const moneyKind: FieldKind<MoneyField> = {
  kind: 'money',
  options: { properties: { min: bound, max: bound } },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string' || typeof v === 'number',
  normalise: (_f, v) => parseOre(v) ?? v,
  shape: () => ({ type: ['string', 'number'], maxLength: 40 }),
  rules(field, value, ctx): FieldProblem | undefined {
    const ore = parseOre(value);
    if (ore === undefined) return { field: ctx.name, key: 'forms.error.money' };
    if (field.min !== undefined && ore < Math.round(field.min * 100)) return { field: ctx.name, key: 'forms.error.moneyMin', vars: { min: field.min } };
    if (field.max !== undefined && ore > Math.round(field.max * 100)) return { field: ctx.name, key: 'forms.error.moneyMax', vars: { max: field.max } };
    return undefined;
  },
  render: ({ field, value, name, id, label, hint, error, ctx, single }) => (
    <TextField
      id={id}
      name={name}
      label={`${label} (${ctx.t('forms.kronor')})`}
      labelIsHeading={single}
      hint={hint}
      error={error}
      value={asTyped(value, ctx.locale, true)}
      inputMode="text"
      required={field.required !== false}
      width="short"
    />
  ),
  template: (_f, v, h, locale) => ({ probe: h.text(asTyped(v, locale, true)) }),
  display: (_f, v, ctx) => {
    const ore = parseOre(v);
    return ore === undefined ? (typeof v === 'string' ? v : '') : formatKronor(ore, ctx.locale);
  },
  exampleValid: (field) => examplePosted(field, field.id) ?? { [field.id]: String(field.min !== undefined ? Math.max(field.min, 0) : 100).replace('.', ',') },
  exampleInvalid: (field) => ({ form: { [field.id]: '12,3,45' }, key: 'forms.error.money' }),
};
