/** A time of day, typed as HH:MM (also "7.30" or "730"); stored as HH:MM on a 24-hour clock. */
import type { TimeField } from '../../catalogue/types.ts';
import { TextField } from '../../kernel/html/components.tsx';
import type { AnswerValue } from '../conditions.ts';
import { examplePosted, str, text } from './shared.tsx';
import type { FieldKind, FieldProblem } from './types.ts';

export const TIME_PATTERN = '^(?:[01][0-9]|2[0-3]):[0-5][0-9]$';

/** "7:30", "07.30", "0730" → "07:30"; undefined when it is not a time of day. */
// A time as it is stored ("08:00"): itself, with no parsing (stored schedules are read again and again).
const CANONICAL_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

export function parseTime(v: AnswerValue | undefined): string | undefined {
  if (typeof v !== 'string') return undefined;
  if (CANONICAL_TIME.test(v)) return v;
  const m = /^(\d{1,2})(?:[:.]?(\d{2}))$/.exec(v.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

export const timeOption = { type: 'string', pattern: TIME_PATTERN };

export const timeKind: FieldKind<TimeField> = {
  kind: 'time',
  options: { properties: { min: timeOption, max: timeOption } },
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string',
  normalise: (_f, v) => parseTime(v) ?? v,
  shape: () => ({ type: 'string', maxLength: 10 }),
  rules(field, value, ctx): FieldProblem | undefined {
    const t = parseTime(value);
    if (!t) return { field: ctx.name, key: 'forms.error.time' };
    if (field.min && t < field.min) return { field: ctx.name, key: 'forms.error.timeMin', vars: { min: field.min } };
    if (field.max && t > field.max) return { field: ctx.name, key: 'forms.error.timeMax', vars: { max: field.max } };
    return undefined;
  },
  render: ({ field, value, name, id, label, hint, error, ctx, single }) => (
    <TextField id={id} name={name} label={label} labelIsHeading={single} hint={[hint, ctx.t('forms.timeHint')].filter(Boolean).join(' ')} error={error} value={str(value)} inputMode="numeric" required={field.required !== false} width="short" />
  ),
  display: (_f, v) => str(v),
  exampleValid: (field) => examplePosted(field, field.id) ?? { [field.id]: field.min ?? '08:00' },
  exampleInvalid: (field) => ({ form: { [field.id]: '25:00' }, key: 'forms.error.time' }),
};
