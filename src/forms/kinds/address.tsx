/**
 * A postal address: stored as { street, postalCode, town } with the postal code as five digits.
 * With `prefillFromRegister` a new application starts from the resident's registered address,
 * which they may change (a temporary address, a different address for the case).
 */
import type { AddressField } from '../../catalogue/types.ts';
import { TextField } from '../../kernel/html/components.tsx';
import type { AnswerValue } from '../conditions.ts';
import { examplePosted, Fieldset, part, partOf, partsAreText } from './shared.tsx';
import type { FieldKind, FieldProblem } from './types.ts';

const PARTS = ['street', 'postalCode', 'town'] as const;
const MAX = { street: 200, postalCode: 10, town: 100 } as const;

/** "123 45" → "12345"; undefined unless five digits. */
export function parsePostalCode(v: AnswerValue | undefined): string | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.replace(/\s/g, '');
  return /^\d{5}$/.test(s) ? s : undefined;
}

export const addressKind: FieldKind<AddressField> = {
  kind: 'address',
  options: { properties: { prefillFromRegister: { type: 'boolean' } } },
  read: (_f, body, name) => Object.fromEntries(PARTS.map((k) => [k, part(body, `${name}.${k}`)])),
  isStorable: (_f, v) => partsAreText(v, [...PARTS]),
  normalise: (_f, v) => ({ street: partOf(v, 'street'), postalCode: parsePostalCode(partOf(v, 'postalCode')) ?? partOf(v, 'postalCode'), town: partOf(v, 'town') }),
  shape: () => ({
    type: 'object',
    required: [...PARTS],
    additionalProperties: false,
    properties: Object.fromEntries(PARTS.map((k) => [k, { type: 'string', maxLength: MAX[k] }])),
  }),
  rules(_field, value, ctx): FieldProblem | undefined {
    // The street is the first input and carries the field's own id.
    const at = (k: string) => (k === 'street' ? {} : { at: `${ctx.name}.${k}` });
    for (const k of PARTS) {
      const v = partOf(value, k);
      if (v === '') return { field: ctx.name, ...at(k), key: `forms.error.address.${k}Missing` };
      if (v.length > MAX[k]) return { field: ctx.name, ...at(k), key: 'forms.error.address.tooLong', vars: { max: MAX[k] } };
    }
    if (!parsePostalCode(partOf(value, 'postalCode'))) return { field: ctx.name, at: `${ctx.name}.postalCode`, key: 'forms.error.address.postalCode' };
    return undefined;
  },
  asksAsGroup: true,
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const required = field.required !== false;
    const own = (k: string) => ctx.errorAt(`${name}.${k}`);
    return (
      <Fieldset id={`${id}-group`} legend={label} single={single} hint={hint} error={undefined}>
        <TextField id={id} name={`${name}.street`} label={ctx.t('forms.address.street')} error={error} value={partOf(value, 'street')} autocomplete="street-address" required={required} />
        <TextField id={`${id}-postalCode`} name={`${name}.postalCode`} label={ctx.t('forms.address.postalCode')} error={own('postalCode')} value={partOf(value, 'postalCode')} autocomplete="postal-code" inputMode="numeric" required={required} width="short" />
        <TextField id={`${id}-town`} name={`${name}.town`} label={ctx.t('forms.address.town')} error={own('town')} value={partOf(value, 'town')} autocomplete="address-level2" required={required} width="medium" />
      </Fieldset>
    );
  },
  template: (_f, v, h) => ({ probe: Object.fromEntries(PARTS.map((k) => [k, h.text(partOf(v, k))])) }),
  display(_f, v) {
    const code = partOf(v, 'postalCode');
    const shown = /^\d{5}$/.test(code) ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
    return [partOf(v, 'street'), `${shown} ${partOf(v, 'town')}`.trim()].filter(Boolean).join('\n');
  },
  prefill: (field, source) =>
    field.prefillFromRegister && source.address ? { street: source.address.street, postalCode: parsePostalCode(source.address.postalCode) ?? source.address.postalCode, town: source.address.city } : undefined,
  prefillNeedsAddress: (field) => field.prefillFromRegister === true,
  exampleValid: (field) => examplePosted(field, field.id) ?? { [`${field.id}.street`]: 'Storgatan 1', [`${field.id}.postalCode`]: '123 45', [`${field.id}.town`]: 'Norrby' },
  exampleInvalid: (field) => ({ form: { [`${field.id}.street`]: 'Storgatan 1', [`${field.id}.postalCode`]: '1234', [`${field.id}.town`]: 'Norrby' }, key: 'forms.error.address.postalCode' }),
};
