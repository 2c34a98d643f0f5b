/**
 * A Swedish personal identity number (or co-ordination number, day + 60) and an organisation
 * number, typed as people write them. Both end in a Luhn check digit over the last ten digits.
 * A personal number is stored as twelve digits (YYYYMMDDNNNC), an organisation number as
 * NNNNNN-NNNN. Request logs already mask twelve-digit numbers.
 */
import type { OrganisationNumberField, PersonalNumberField } from '../../catalogue/types.ts';
import { TextField } from '../../kernel/html/components.tsx';
import { luhnCheckDigit, parsePersonalNumber } from '../../integrations/population-register/personal-number.ts';
import type { AnswerValue } from '../conditions.ts';
import { examplePosted, str, text } from './shared.tsx';
import type { FieldKind } from './types.ts';

const luhnOk = (ten: string) => luhnCheckDigit(ten.slice(0, 9)) === Number(ten[9]);

/**
 * Twelve digits for a personal identity or co-ordination number (day + 60) written YYYYMMDD-NNNC,
 * YYYYMMDDNNNC (spaces allowed), or undefined when the date or the check digit is wrong. The
 * population register's own parser decides, so the form, the e-ID and the register agree.
 */
export function parseIdentityNumber(v: AnswerValue | undefined): string | undefined {
  return typeof v === 'string' ? parsePersonalNumber(v.replace(/\s/g, '')) : undefined;
}

/** NNNNNN-NNNN for an organisation number (ten digits, the third at least 2, Luhn), or undefined. */
export function parseOrganisationNumber(v: AnswerValue | undefined): string | undefined {
  if (typeof v !== 'string') return undefined;
  // A leading "16" (the twelve-digit form some registers use) is dropped.
  const m = /^(?:16)?(\d{6})-?(\d{4})$/.exec(v.replace(/\s/g, ''));
  if (!m) return undefined;
  const digits = m[1]! + m[2]!;
  if (Number(digits[2]) < 2 || !luhnOk(digits)) return undefined;
  return `${m[1]}-${m[2]}`;
}

export const personalNumberKind: FieldKind<PersonalNumberField> = {
  kind: 'personalNumber',
  options: { properties: {} },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string',
  normalise: (_f, v) => parseIdentityNumber(v) ?? v,
  shape: () => ({ type: 'string', maxLength: 20 }),
  rules: (_f, value, ctx) => (parseIdentityNumber(value) ? undefined : { field: ctx.name, key: 'forms.error.personalNumber' }),
  render: ({ field, value, name, id, label, hint, error, ctx, single }) => (
    <TextField id={id} name={name} label={label} labelIsHeading={single} hint={[hint, ctx.t('forms.personalNumberHint')].filter(Boolean).join(' ')} error={error} value={str(value)} inputMode="numeric" required={field.required !== false} width="medium" />
  ),
  display: (_f, v) => {
    const n = parseIdentityNumber(v);
    return n ? `${n.slice(0, 8)}-${n.slice(8)}` : str(v);
  },
  exampleValid: (field) => examplePosted(field, field.id) ?? { [field.id]: '19121212-1212' },
  exampleInvalid: (field) => ({ form: { [field.id]: '19121212-1213' }, key: 'forms.error.personalNumber' }),
};

export const organisationNumberKind: FieldKind<OrganisationNumberField> = {
  kind: 'organisationNumber',
  options: { properties: {} },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string',
  normalise: (_f, v) => parseOrganisationNumber(v) ?? v,
  shape: () => ({ type: 'string', maxLength: 20 }),
  rules: (_f, value, ctx) => (parseOrganisationNumber(value) ? undefined : { field: ctx.name, key: 'forms.error.organisationNumber' }),
  render: ({ field, value, name, id, label, hint, error, ctx, single }) => (
    <TextField id={id} name={name} label={label} labelIsHeading={single} hint={[hint, ctx.t('forms.organisationNumberHint')].filter(Boolean).join(' ')} error={error} value={str(value)} inputMode="numeric" required={field.required !== false} width="medium" />
  ),
  display: (_f, v) => parseOrganisationNumber(v) ?? str(v),
  exampleValid: (field) => examplePosted(field, field.id) ?? { [field.id]: '556016-0680' },
  exampleInvalid: (field) => ({ form: { [field.id]: '556016-0681' }, key: 'forms.error.organisationNumber' }),
};
