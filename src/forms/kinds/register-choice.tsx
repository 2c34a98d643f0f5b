/** One entry of a register (the pre-schools, the schools): radios, or a drop-down for long registers. Stored as the entry's id. */
import type { RegisterChoiceField } from '../../catalogue/types.ts';
import { entryName } from '../../catalogue/entry-name.ts';
import { ChoiceGroup, Select } from '../../kernel/html/components.tsx';
import { pick } from '../../kernel/i18n/index.ts';
import { examplePosted, str, text } from './shared.tsx';
import type { FieldKind } from './types.ts';

export const registerChoiceKind: FieldKind<RegisterChoiceField> = {
  kind: 'registerChoice',
  options: { properties: { register: { type: 'string', pattern: '^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$', maxLength: 64 }, display: { enum: ['radio', 'select'] } }, required: ['register'] },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string',
  shape: (field, registers) => ({ type: 'string', enum: (registers(field.register) ?? []).map((e) => e.id) }),
  blank: () => ({ key: 'forms.error.choose' }),
  asksAsGroup: (field) => field.display !== 'select',
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const entries = ctx.register(field.register) ?? [];
    if (field.display === 'select') {
      const options = entries.map((e) => ({ value: e.id, label: e.area ? `${entryName(e, ctx.locale)} (${e.area})` : entryName(e, ctx.locale) }));
      return <Select id={id} name={name} label={label} hint={hint} error={error} options={options} selected={str(value)} emptyLabel={ctx.t('forms.chooseOption')} />;
    }
    const options = entries.map((e) => ({ value: e.id, label: entryName(e, ctx.locale), hint: [e.area, e.address].filter(Boolean).join(', ') || (e.description ? pick(e.description, ctx.locale) : undefined) }));
    return <ChoiceGroup id={id} name={name} legend={label} legendIsHeading={single} hint={hint} error={error} options={options} selected={[str(value)]} required={field.required !== false} />;
  },
  display: (field, v, ctx) => {
    const entry = (ctx.register(field.register) ?? []).find((e) => e.id === v);
    return entry ? entryName(entry, ctx.locale) : str(v);
  },
  exampleValid: (field, ctx) => examplePosted(field, field.id) ?? { [field.id]: (ctx.register(field.register) ?? [])[0]?.id ?? '' },
  exampleInvalid: (field) => ({ form: { [field.id]: 'not-in-the-register' }, key: 'forms.error.invalidChoice' }),
};
