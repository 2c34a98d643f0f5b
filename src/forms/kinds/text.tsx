/** Short text, long text, e-mail address and phone number: one text each. */
import type { TextField as TextFieldDef } from '../../catalogue/types.ts';
import { TextField, Textarea } from '../../kernel/html/components.tsx';
import { examplePosted, str, text } from './shared.tsx';
import type { FieldKind } from './types.ts';

const PHONE = '^[+]?[0-9][0-9 ()-]{4,28}[0-9]$';
const MAX_LENGTH = { type: 'integer', minimum: 1, maximum: 100_000 };

function textKind(kind: TextFieldDef['kind'], defaults: { maxLength: number; example: string; invalid: string; invalidKey: string }): FieldKind<TextFieldDef> {
  return {
    kind,
    options: { properties: kind === 'text' ? { maxLength: MAX_LENGTH, pattern: { type: 'string', minLength: 1, maxLength: 1000 } } : { maxLength: MAX_LENGTH } },
    read: (_f, body, name) => text(body[name]),
    isStorable: (_f, v) => typeof v === 'string',
    shape(field) {
      const maxLength = field.maxLength ?? defaults.maxLength;
      if (kind === 'email') return { type: 'string', maxLength, format: 'email' };
      if (kind === 'phone') return { type: 'string', maxLength, pattern: PHONE };
      return { type: 'string', maxLength, ...(kind === 'text' && field.pattern ? { pattern: field.pattern } : {}) };
    },
    patternError: kind === 'phone' ? 'forms.error.phone' : 'forms.error.pattern',
    render({ field, value, name, id, label, hint, error, single }) {
      const required = field.required !== false;
      if (kind === 'longText') return <Textarea id={id} name={name} label={label} labelIsHeading={single} hint={hint} error={error} value={str(value)} required={required} />;
      return (
        <TextField
          id={id}
          name={name}
          label={label}
          labelIsHeading={single}
          hint={hint}
          error={error}
          value={str(value)}
          type={kind === 'email' ? 'email' : kind === 'phone' ? 'tel' : 'text'}
          autocomplete={kind === 'email' ? 'email' : kind === 'phone' ? 'tel' : undefined}
          required={required}
          width={kind === 'text' ? 'full' : 'medium'}
        />
      );
    },
    // The step page's template (forms/template.ts): the text is shown as str() gives it.
    template: (_f, v, h) => ({ probe: h.text(str(v)) }),
    display: (_f, v) => (Array.isArray(v) ? v.join(', ') : str(v)),
    prefill(field, source) {
      if (field.prefill === 'profile.email' && source.email) return source.email;
      if (field.prefill === 'profile.phone' && source.phone) return source.phone;
      return undefined;
    },
    exampleValid: (field, _ctx) => examplePosted(field, field.id) ?? { [field.id]: defaults.example },
    exampleInvalid: (field) => ({ form: { [field.id]: defaults.invalid === 'LONG' ? 'x'.repeat((field.maxLength ?? defaults.maxLength) + 1) : defaults.invalid }, key: defaults.invalidKey }),
  };
}

export const textKinds = [
  textKind('text', { maxLength: 200, example: 'Exempeltext', invalid: 'LONG', invalidKey: 'forms.error.tooLong' }),
  textKind('longText', { maxLength: 4000, example: 'En längre exempeltext.\nPå två rader.', invalid: 'LONG', invalidKey: 'forms.error.tooLong' }),
  textKind('email', { maxLength: 254, example: 'namn@example.se', invalid: 'inte en adress', invalidKey: 'forms.error.email' }),
  textKind('phone', { maxLength: 30, example: '070-123 45 67', invalid: 'ring mig', invalidKey: 'forms.error.phone' }),
];
