/** A declaration or consent: one box that must be ticked, next to its text. Stored as "yes". */
import type { DeclarationField } from '../../catalogue/types.ts';
import { pick } from '../../kernel/i18n/index.ts';
import { ValidationMessage } from '../../kernel/html/components.tsx';
import { describedBy, examplePosted, Fieldset, text } from './shared.tsx';
import type { FieldKind } from './types.ts';

export const declarationKind: FieldKind<DeclarationField> = {
  kind: 'declaration',
  options: { properties: { text: { $ref: '#/$defs/localised' } }, required: ['text'] },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string',
  shape: () => ({ type: 'string', enum: ['yes'] }),
  // A required declaration is made only by ticking it (an optional one, a consent, may be left).
  blank: () => ({ key: 'forms.error.declaration' }),
  asksAsGroup: true,
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const errId = error ? `${id}-error` : undefined;
    return (
      <Fieldset id={`${id}-group`} legend={label} single={single} hint={hint} error={undefined}>
        {error && <ValidationMessage id={errId!}>{error}</ValidationMessage>}
        <div class="ds-field">
          <input class="ds-input" type="checkbox" id={id} name={name} value="yes" checked={value === 'yes'} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(errId)} />
          <label class="ds-label" for={id}>
            {pick(field.text, ctx.locale)}
          </label>
        </div>
      </Fieldset>
    );
  },
  display: (field, v, ctx) => (v === 'yes' ? `${ctx.t('forms.declared')}: ${pick(field.text, ctx.locale)}` : String(v)),
  exampleValid: (field) => examplePosted(field, field.id) ?? { [field.id]: 'yes' },
  exampleInvalid: () => ({ form: {}, key: 'forms.error.declaration' }),
};
