/**
 * Times per weekday ("Monday 07:30–16:00"), stored as [{ day, from, to }] for the days answered,
 * in weekday order, so an expression can sum the weekly hours. A day left blank is not a day.
 */
import type { Weekday, WeeklyScheduleField } from '../../catalogue/types.ts';
import { TextField } from '../../kernel/html/components.tsx';
import type { AnswerRecord, AnswerValue } from '../conditions.ts';
import { Fieldset, inputId, part, str } from './shared.tsx';
import { parseTime, timeOption } from './time.tsx';
import type { FieldKind, FieldProblem } from './types.ts';

const capitalise = (s: string) => s.charAt(0).toLocaleUpperCase('sv') + s.slice(1);

export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const daysOf = (f: WeeklyScheduleField) => WEEKDAYS.filter((d) => (f.days ?? WEEKDAYS.slice(0, 5)).includes(d));
const items = (v: AnswerValue | undefined): AnswerRecord[] => (Array.isArray(v) ? v.filter((x): x is AnswerRecord => typeof x === 'object' && x !== null) : []);
const itemOf = (v: AnswerValue | undefined, day: string) => items(v).find((x) => x.day === day);

export const weeklyScheduleKind: FieldKind<WeeklyScheduleField> = {
  kind: 'weeklySchedule',
  options: { properties: { days: { type: 'array', minItems: 1, uniqueItems: true, items: { enum: WEEKDAYS } }, earliest: timeOption, latest: timeOption, overnight: { type: 'boolean' } } },
  read(field, body, name) {
    const out: AnswerRecord[] = [];
    for (const day of daysOf(field)) {
      const from = part(body, `${name}.${day}.from`);
      const to = part(body, `${name}.${day}.to`);
      if (from !== '' || to !== '') out.push({ day, from, to });
    }
    return out;
  },
  isStorable: (_f, v) => Array.isArray(v) && items(v).length === v.length && items(v).every((x) => ['day', 'from', 'to'].every((k) => typeof x[k] === 'string' && x[k] !== '#invalid')),
  normalise: (_f, v) => items(v).map((x) => ({ day: str(x.day), from: parseTime(x.from) ?? str(x.from), to: parseTime(x.to) ?? str(x.to) })),
  shape: (field) => ({
    type: 'array',
    maxItems: 7,
    items: { type: 'object', required: ['day', 'from', 'to'], additionalProperties: false, properties: { day: { enum: daysOf(field) }, from: { type: 'string', maxLength: 10 }, to: { type: 'string', maxLength: 10 } } },
  }),
  rules(field, value, ctx): FieldProblem | undefined {
    const first = `${ctx.name}.${daysOf(field)[0]}.from`;
    const at = (n: string) => (n === first ? {} : { at: n });
    for (const x of items(value)) {
      const day = str(x.day);
      const vars = { day: `@forms.weekday.${day}` };
      const from = parseTime(x.from);
      const to = parseTime(x.to);
      if (!from) return { field: ctx.name, ...at(`${ctx.name}.${day}.from`), key: x.from === '' ? 'forms.error.scheduleFromMissing' : 'forms.error.scheduleTime', vars };
      if (!to) return { field: ctx.name, ...at(`${ctx.name}.${day}.to`), key: x.to === '' ? 'forms.error.scheduleToMissing' : 'forms.error.scheduleTime', vars };
      // Over midnight where the definition allows it (an end before the start is the next day's).
      if (to === from || (to < from && !field.overnight)) return { field: ctx.name, ...at(`${ctx.name}.${day}.to`), key: field.overnight ? 'forms.error.scheduleEndIsStart' : 'forms.error.scheduleEndBeforeStart', vars };
      if (field.earliest && from < field.earliest) return { field: ctx.name, ...at(`${ctx.name}.${day}.from`), key: 'forms.error.scheduleEarliest', vars: { ...vars, min: field.earliest } };
      if (field.latest && to > field.latest) return { field: ctx.name, ...at(`${ctx.name}.${day}.to`), key: 'forms.error.scheduleLatest', vars: { ...vars, max: field.latest } };
    }
    return undefined;
  },
  asksAsGroup: true,
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const days = daysOf(field);
    return (
      <Fieldset id={`${id}-group`} legend={label} single={single} hint={[hint, ctx.t('forms.scheduleHint')].filter(Boolean).join(' ')} error={error}>
        {days.map((day, i) => {
          const item = itemOf(value, day);
          const n = (k: string) => `${name}.${day}.${k}`;
          const dayName = capitalise(ctx.t(`forms.weekday.${day}`));
          return (
            <fieldset key={day} class="ds-fieldset mb-field mb-schedule-day">
              <legend class="ds-label">{dayName}</legend>
              <TextField id={i === 0 ? id : inputId(n('from'))} name={n('from')} label={ctx.t('forms.schedule.from', { day: dayName })} error={ctx.errorAt(n('from'))} value={str(item?.from)} inputMode="numeric" width="short" />
              <TextField id={inputId(n('to'))} name={n('to')} label={ctx.t('forms.schedule.to', { day: dayName })} error={ctx.errorAt(n('to'))} value={str(item?.to)} inputMode="numeric" width="short" />
            </fieldset>
          );
        })}
      </Fieldset>
    );
  },
  // The step page's template (forms/template.ts): which days are answered is its key, the times its texts.
  template(field, v, h) {
    const probe: AnswerRecord[] = [];
    for (const day of daysOf(field)) {
      const item = itemOf(v, day);
      if (item && h.choice(day, WEEKDAYS)) probe.push({ day, from: h.text(str(item.from)), to: h.text(str(item.to)) });
    }
    return { probe };
  },
  display: (_f, v, ctx) =>
    items(v)
      .map((x) => `${capitalise(ctx.t(`forms.weekday.${str(x.day)}`))} ${str(x.from)}–${str(x.to)}${str(x.to) < str(x.from) ? ` ${ctx.t('forms.schedule.nextDay')}` : ''}`)
      .join('\n'),
  exampleValid(field) {
    const from = field.earliest && field.earliest > '08:00' ? field.earliest : '08:00';
    const to = field.latest && field.latest < '16:00' ? field.latest : '16:00';
    return Object.fromEntries(daysOf(field).flatMap((d) => [[`${field.id}.${d}.from`, from], [`${field.id}.${d}.to`, to]]));
  },
  exampleInvalid: (field) => {
    const d = daysOf(field)[0];
    if (field.overnight) return { form: { [`${field.id}.${d}.from`]: '16:00', [`${field.id}.${d}.to`]: '16:00' }, key: 'forms.error.scheduleEndIsStart' };
    return { form: { [`${field.id}.${d}.from`]: '16:00', [`${field.id}.${d}.to`]: '08:00' }, key: 'forms.error.scheduleEndBeforeStart' };
  },
};
