/**
 * A start and an end date, stored as { from, to } (YYYY-MM-DD). Both are bounded like a date;
 * the end is not before the start, and the range is at most `maxDays` days, both ends counted.
 */
import type { DateRangeField } from '../../catalogue/types.ts';
import { TextField } from '../../kernel/html/components.tsx';
import { isIsoDate, normaliseTypedDate } from '../dates.ts';
import { boundsProblem, dateBoundOptions, exampleDate, readableDate } from './date.tsx';
import { examplePosted, Fieldset, part, partOf, partsAreText } from './shared.tsx';
import type { FieldKind, FieldProblem } from './types.ts';

const PARTS = ['from', 'to'] as const;
const dayNumber = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

export const dateRangeKind: FieldKind<DateRangeField> = {
  kind: 'dateRange',
  options: { properties: { ...dateBoundOptions, maxDays: { type: 'integer', minimum: 1, maximum: 36_600 } } },
  // Typed, not picked, as a date (date.tsx): each end normalised from the ways people write a date.
  read: (_f, body, name) => ({ from: normaliseTypedDate(part(body, `${name}.from`)), to: normaliseTypedDate(part(body, `${name}.to`)) }),
  isStorable: (_f, v) => partsAreText(v, [...PARTS]),
  shape: () => ({
    type: 'object',
    required: [...PARTS],
    additionalProperties: false,
    properties: { from: { type: 'string', maxLength: 10 }, to: { type: 'string', maxLength: 10 } },
  }),
  rules(field, value, ctx): FieldProblem | undefined {
    const from = partOf(value, 'from');
    const to = partOf(value, 'to');
    // A problem with the start points at the group's first input (the field's own id), one with the end at the end's.
    const at = (key: 'from' | 'to') => (key === 'to' ? { at: `${ctx.name}.to` } : {});
    for (const [key, v] of [['from', from], ['to', to]] as const) {
      if (v === '') return { field: ctx.name, ...at(key), key: key === 'from' ? 'forms.error.rangeFromMissing' : 'forms.error.rangeToMissing' };
      if (!isIsoDate(v)) return { field: ctx.name, ...at(key), key: 'forms.error.date' };
    }
    if (to < from) return { field: ctx.name, at: `${ctx.name}.to`, key: 'forms.error.rangeEndBeforeStart' };
    for (const [key, v] of [['from', from], ['to', to]] as const) {
      const p = boundsProblem(field, v, ctx.today);
      if (p) return { field: ctx.name, ...at(key), key: p.key, ...(p.vars ? { vars: p.vars } : {}) };
    }
    if (field.maxDays !== undefined && dayNumber(to) - dayNumber(from) + 1 > field.maxDays) return { field: ctx.name, at: `${ctx.name}.to`, key: 'forms.error.rangeTooLong', vars: { max: field.maxDays } };
    return undefined;
  },
  asksAsGroup: true,
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const required = field.required !== false;
    // The group's message is shown once, on the group; each date is marked by its own error.
    const own = (k: string) => ctx.errorAt(`${name}.${k}`);
    return (
      <Fieldset id={id} legend={label} single={single} hint={[hint, ctx.t('forms.dateHint')].filter(Boolean).join(' ')} error={error ?? own('from') ?? own('to')}>
        <TextField id={id} name={`${name}.from`} label={ctx.t('forms.range.from')} value={partOf(value, 'from')} required={required} width="short" />
        <TextField id={`${id}-to`} name={`${name}.to`} label={ctx.t('forms.range.to')} value={partOf(value, 'to')} required={required} width="short" />
      </Fieldset>
    );
  },
  display: (_f, v, ctx) => `${readableDate(partOf(v, 'from'), ctx.locale)} – ${readableDate(partOf(v, 'to'), ctx.locale)}`,
  exampleValid(field, ctx) {
    const given = examplePosted(field, field.id);
    if (given) return given;
    const from = exampleDate(field, ctx.today);
    return { [`${field.id}.from`]: from, [`${field.id}.to`]: from };
  },
  exampleInvalid: (field) => ({ form: { [`${field.id}.from`]: '2030-05-10', [`${field.id}.to`]: '2030-05-01' }, key: 'forms.error.rangeEndBeforeStart' }),
};
