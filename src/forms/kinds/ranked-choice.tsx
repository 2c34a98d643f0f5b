/** Up to `max` distinct entries of a register in ranked order; stored compacted (first choice first). */
import type { RankedChoiceField } from '../../catalogue/types.ts';
import { entryName } from '../../catalogue/entry-name.ts';
import { Select } from '../../kernel/html/components.tsx';
import { examplePosted, Fieldset, str, text } from './shared.tsx';
import type { FieldKind } from './types.ts';

export const rankedChoiceKind: FieldKind<RankedChoiceField> = {
  kind: 'rankedChoice',
  options: {
    properties: { register: { type: 'string', pattern: '^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$', maxLength: 64 }, min: { type: 'integer', minimum: 1, maximum: 50 }, max: { type: 'integer', minimum: 1, maximum: 50 } },
    required: ['register', 'min', 'max'],
  },
  read: (field, body, name) =>
    Array.from({ length: field.max }, (_, i) => {
      const v = text(body[`${name}.${i}`]);
      return Array.isArray(v) ? '#invalid' : v;
    }),
  isStorable: (_f, v) => Array.isArray(v) && v.every((x) => typeof x === 'string') && !(v as string[]).includes('#invalid'),
  // Blanks between choices are dropped: the stored list is the ranking.
  normalise: (_f, v) => (Array.isArray(v) ? (v as string[]).filter((x) => x !== '') : v),
  // Distinct choices are a rule, not the shape: the problem then points at the select that repeats one.
  shape: (field, registers) => ({ type: 'array', maxItems: field.max, items: { type: 'string', enum: (registers(field.register) ?? []).map((e) => e.id) } }),
  blank: (field) => (field.min > 1 ? { key: 'forms.error.rankedMin', vars: { min: field.min } } : { key: 'forms.error.rankedMinOne', vars: { min: 1 } }),
  rules(field, value, ctx) {
    const chosen = Array.isArray(value) ? value.filter((v) => v !== '') : [];
    if (chosen.length < field.min) return { field: ctx.name, key: field.min > 1 ? 'forms.error.rankedMin' : 'forms.error.rankedMinOne', vars: { min: field.min } };
    // The second select holding an entry chosen above it is the one marked (the page shows the ranking closed up).
    const again = chosen.findIndex((v, i) => chosen.indexOf(v) < i);
    if (again > 0) return { field: ctx.name, at: `${ctx.name}.${again}`, key: 'forms.error.rankedDuplicate' };
    return undefined;
  },
  asksAsGroup: true,
  showsNormalised: true,
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const entries = ctx.register(field.register) ?? [];
    const chosen = Array.isArray(value) ? value.map((x) => str(x)) : value ? [str(value)] : [];
    const options = entries.map((e) => ({ value: e.id, label: e.area ? `${entryName(e, ctx.locale)} (${e.area})` : entryName(e, ctx.locale) }));
    return (
      <Fieldset id={id} legend={label} single={single} hint={hint} error={error}>
        {Array.from({ length: field.max }, (_, i) => (
          <Select
            key={i}
            id={i === 0 ? id : `${id}-${i}`}
            name={`${name}.${i}`}
            label={i === 0 ? ctx.t('forms.choiceFirst') : ctx.t('forms.choiceN', { n: i + 1 })}
            options={options}
            selected={chosen[i] ?? ''}
            emptyLabel={i < field.min ? ctx.t('forms.chooseOption') : ctx.t('forms.noChoice')}
            error={i > 0 ? ctx.errorAt(`${name}.${i}`) : undefined}
          />
        ))}
      </Fieldset>
    );
  },
  display(field, value, ctx) {
    const entries = ctx.register(field.register) ?? [];
    return (Array.isArray(value) ? value.map((x) => str(x)) : [str(value)])
      .filter((v) => v !== '')
      .map((v, i) => {
        const entry = entries.find((e) => e.id === v);
        return `${i + 1}. ${entry ? entryName(entry, ctx.locale) : v}`;
      })
      .join('\n');
  },
  exampleValid(field, ctx) {
    const given = examplePosted(field, field.id);
    if (given && Array.isArray(field.example)) return Object.fromEntries(field.example.map((v, i) => [`${field.id}.${i}`, String(v)]));
    if (given) return given;
    const ids = (ctx.register(field.register) ?? []).map((e) => e.id);
    return Object.fromEntries(ids.slice(0, field.min).map((v, i) => [`${field.id}.${i}`, v]));
  },
  exampleInvalid: (field) => ({ form: { [`${field.id}.0`]: 'not-in-the-register' }, key: 'forms.error.invalidChoice' }),
};
