/**
 * A number and an amount of money, typed as people write them ("1 234,5", "1234.50").
 * A number is stored as a JSON number. Money is stored as whole öre (a JSON integer): sums and
 * comparisons in expressions and fees are exact, with no binary fractions (ADR 0013).
 */
import type { MoneyField, NumberField } from '../../catalogue/types.ts';
import { TextField } from '../../kernel/html/components.tsx';
import { pick, type Locale } from '../../kernel/i18n/index.ts';
import type { AnswerValue } from '../conditions.ts';
import { examplePosted, text } from './shared.tsx';
import type { FieldKind, FieldProblem } from './types.ts';

const NUMBER = /^-?\d{1,15}(?:[.,]\d{1,10})?$/;
const MONEY = /^-?\d{1,13}(?:[.,]\d{1,2})?$/;

/** "1 234,5" → "1234.5": spaces (also no-break and thin ones) dropped, a decimal comma accepted. */
const compactNumber = (s: string) => s.replace(/[\s\u00a0\u202f]/g, '').replace(/^\u2212/, '-');

/** The number a posted or stored answer holds, or undefined. */
export function parseNumber(v: AnswerValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = compactNumber(v);
  return NUMBER.test(s) ? Number(s.replace(',', '.')) : undefined;
}

/** Whole öre of a posted amount in kronor ("1 234,50" → 123450), or of a stored one; undefined when not an amount. */
export function parseOre(v: AnswerValue | undefined): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = compactNumber(v);
  const m = MONEY.exec(s) && /^(-?)(\d+)(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  const ore = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(ore) ? (m[1] ? -ore : ore) : undefined;
}

const tag = (l: Locale) => (l === 'sv' ? 'sv-SE' : 'en-GB');
export const formatNumber = (n: number, l: Locale) => new Intl.NumberFormat(tag(l), { maximumFractionDigits: 10 }).format(n);
export const formatKronor = (ore: number, l: Locale) =>
  new Intl.NumberFormat(tag(l), { style: 'currency', currency: 'SEK', minimumFractionDigits: ore % 100 === 0 ? 0 : 2 }).format(ore / 100);

/** A stored number is shown back as typed would be: a decimal comma in Swedish. */
const asTyped = (v: AnswerValue | undefined, l: Locale, money: boolean): string => {
  if (typeof v === 'string') return v;
  if (typeof v !== 'number') return '';
  const s = money ? (v / 100).toFixed(v % 100 === 0 ? 0 : 2) : String(v);
  return l === 'sv' ? s.replace('.', ',') : s;
};

const bound = { type: 'number', minimum: -1e15, maximum: 1e15 };

export const numberKind: FieldKind<NumberField> = {
  kind: 'number',
  options: { properties: { integer: { type: 'boolean' }, min: bound, max: bound, unit: { $ref: '#/$defs/localised' } } },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string' || typeof v === 'number',
  normalise: (_f, v) => parseNumber(v) ?? v,
  shape: () => ({ type: ['string', 'number'], maxLength: 40 }),
  rules(field, value, ctx): FieldProblem | undefined {
    const n = parseNumber(value);
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
    const n = parseNumber(v);
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
  exampleInvalid: (field) => ({ form: { [field.id]: '12,345' }, key: 'forms.error.money' }),
};
