/** One or several of the definition's options, and yes/no. Stored as the option's value(s). */
import type { ChoiceField, YesNoField } from '../../catalogue/types.ts';
import { ChoiceGroup } from '../../kernel/html/components.tsx';
import { pick } from '../../kernel/i18n/index.ts';
import { clean, examplePosted, str, text } from './shared.tsx';
import type { FieldKind } from './types.ts';

const choices = (min: number) => ({ type: 'array', items: { $ref: '#/$defs/choice' }, minItems: min });
const choose = () => ({ key: 'forms.error.choose' });

export const choiceKind: FieldKind<ChoiceField> = {
  kind: 'choice',
  options: { properties: { choices: choices(2) }, required: ['choices'] },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string',
  shape: (field) => ({ type: 'string', enum: field.choices.map((c) => c.value) }),
  blank: choose,
  asksAsGroup: true,
  render: ({ field, value, name, id, label, hint, error, single, ctx }) => (
    <ChoiceGroup
      id={id}
      name={name}
      legend={label}
      legendIsHeading={single}
      hint={hint}
      error={error}
      options={field.choices.map((c) => ({ value: c.value, label: pick(c.label, ctx.locale), hint: c.hint ? pick(c.hint, ctx.locale) : undefined }))}
      selected={[str(value)]}
      required={field.required !== false}
    />
  ),
  // The step page's template (forms/template.ts): the option chosen is part of its key.
  template: (field, v, h) => (h.choice(str(v), ['', ...field.choices.map((c) => c.value)]) ? { probe: str(v) } : undefined),
  display: (field, v, ctx) => {
    const c = field.choices.find((x) => x.value === v);
    return c ? pick(c.label, ctx.locale) : str(v);
  },
  exampleValid: (field) => examplePosted(field, field.id) ?? { [field.id]: field.choices[0]!.value },
  exampleInvalid: (field) => ({ form: { [field.id]: 'not-an-option' }, key: 'forms.error.invalidChoice' }),
};

export const multiChoiceKind: FieldKind<ChoiceField> = {
  kind: 'multiChoice',
  options: { properties: { choices: choices(1) }, required: ['choices'] },
  read: (_f, body, name) => {
    const v = body[name];
    return v === undefined ? [] : (Array.isArray(v) ? v : [v]).map(clean);
  },
  isStorable: (_f, v) => Array.isArray(v) && v.every((x) => typeof x === 'string'),
  shape: (field) => ({ type: 'array', maxItems: field.choices.length, uniqueItems: true, items: { type: 'string', enum: field.choices.map((c) => c.value) } }),
  blank: choose,
  asksAsGroup: true,
  render: ({ field, value, name, id, label, hint, error, single, ctx }) => (
    <ChoiceGroup
      id={id}
      name={name}
      legend={label}
      legendIsHeading={single}
      hint={hint}
      error={error}
      multiple
      options={field.choices.map((c) => ({ value: c.value, label: pick(c.label, ctx.locale) }))}
      selected={Array.isArray(value) ? value.map((x) => str(x)) : value ? [str(value)] : []}
    />
  ),
  template(field, v, h) {
    const chosen = Array.isArray(v) ? v.map((x) => str(x)) : v ? [str(v)] : [];
    const allowed = field.choices.map((c) => c.value);
    return chosen.every((x) => h.choice(x, allowed)) ? { probe: chosen } : undefined;
  },
  display: (field, v, ctx) =>
    (Array.isArray(v) ? v.map((x) => str(x)) : [str(v)])
      .map((x) => {
        const c = field.choices.find((y) => y.value === x);
        return c ? pick(c.label, ctx.locale) : x;
      })
      .join('\n'),
  exampleValid: (field) => examplePosted(field, field.id) ?? { [field.id]: [field.choices[0]!.value] },
  exampleInvalid: (field) => ({ form: { [field.id]: ['not-an-option'] }, key: 'forms.error.invalidChoice' }),
};

export const yesNoKind: FieldKind<YesNoField> = {
  kind: 'yesNo',
  options: { properties: {} },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string',
  shape: () => ({ type: 'string', enum: ['yes', 'no'] }),
  blank: choose,
  asksAsGroup: true,
  render: ({ field, value, name, id, label, hint, error, single, ctx }) => (
    <ChoiceGroup
      id={id}
      name={name}
      legend={label}
      legendIsHeading={single}
      hint={hint}
      error={error}
      options={[
        { value: 'yes', label: ctx.t('forms.yes') },
        { value: 'no', label: ctx.t('forms.no') },
      ]}
      selected={[str(value)]}
      required={field.required !== false}
    />
  ),
  template: (_f, v, h) => (h.choice(str(v), ['', 'yes', 'no']) ? { probe: str(v) } : undefined),
  display: (_f, v, ctx) => (v === 'yes' ? ctx.t('forms.yes') : v === 'no' ? ctx.t('forms.no') : str(v)),
  exampleValid: (field) => examplePosted(field, field.id) ?? { [field.id]: 'yes' },
  exampleInvalid: (field) => ({ form: { [field.id]: 'maybe' }, key: 'forms.error.invalidChoice' }),
};
