/**
 * A repeating group ("add another"): sub-fields answered once per item, `minItems`..`maxItems`
 * times. Stored as a list of items, each an object of the sub-fields' answers
 * ([{ name: "…", personalNumber: "…" }]). Items are added and removed by submit buttons that
 * save the step and show it again, so it works without JavaScript; each item's inputs are named
 * "group.N.subField" and its errors point there.
 */
import type { Field, GroupField } from '../../catalogue/types.ts';
import { Button, Heading } from '../../kernel/html/components.tsx';
import { pick } from '../../kernel/i18n/index.ts';
import { evaluate, fieldsOf, type AnswerRecord, type AnswerValue, type Answers } from '../conditions.ts';
import { examplePosted, Fieldset, inputId, isBlankValue } from './shared.tsx';
import { kindOf, renderField, displayAnswer, isBlankFor } from './registry.ts';
import type { FieldKind, FieldProblem, PostedForm } from './types.ts';

/** Items a group allows at most when the definition says nothing. */
export const DEFAULT_MAX_ITEMS = 20;
const minOf = (f: GroupField) => f.minItems ?? 1;
const maxOf = (f: GroupField) => f.maxItems ?? DEFAULT_MAX_ITEMS;

export const itemsOf = (v: AnswerValue | undefined): AnswerRecord[] => (Array.isArray(v) ? v.filter((x): x is AnswerRecord => typeof x === 'object' && x !== null && !Array.isArray(x)) : []);

/** A sub-field is shown when its condition holds over the form's answers and its own item's. */
export function isShownInItem(sub: Field, item: AnswerRecord, answers: Answers, today: string): boolean {
  return !sub.when || evaluate(sub.when, { ...answers, ...item }, today);
}

/** The sub-field, named for messages as "name (person 2)". */
function inItem(sub: Field, group: GroupField, n: number): Field {
  const name = (l: 'sv' | 'en') => `${sub.errorName ? sub.errorName[l] : lowerFirst(sub.label[l])} (${lowerFirst(group.itemLabel[l])} ${n})`;
  return { ...sub, errorName: { sv: name('sv'), en: name('en') } } as Field;
}
const lowerFirst = (s: string) => (/^\p{Lu}-?\p{Ll}/u.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

/** The posted action of a group's buttons: "add:people" or "remove:people:2". */
export function parseGroupAction(action: unknown): { group: string; add: boolean; index: number } | undefined {
  if (typeof action !== 'string') return undefined;
  const m = /^(add|remove):([a-z][a-zA-Z0-9]{0,63})(?::(\d{1,3}))?$/.exec(action);
  if (!m || (m[1] === 'remove') !== (m[3] !== undefined)) return undefined;
  return { group: m[2]!, add: m[1] === 'add', index: Number(m[3] ?? -1) };
}

/** The group's items after an add or remove (never beyond its limits). */
export function applyGroupAction(field: GroupField, value: AnswerValue | undefined, action: { add: boolean; index: number }): AnswerRecord[] {
  const items = itemsOf(value);
  if (action.add) return items.length < maxOf(field) ? [...items, {}] : items;
  return items.filter((_, i) => i !== action.index);
}

export const groupKind: FieldKind<GroupField> = {
  kind: 'group',
  options: {
    properties: {
      fields: { type: 'array', minItems: 1, items: { $ref: '#/$defs/field' } },
      itemLabel: { $ref: '#/$defs/localised' },
      minItems: { type: 'integer', minimum: 0, maximum: 100 },
      maxItems: { type: 'integer', minimum: 1, maximum: 100 },
    },
    required: ['fields', 'itemLabel'],
  },
  read(field, body, name) {
    const keys = Object.keys(body);
    const items: AnswerRecord[] = [];
    // An item exists when any of its inputs was posted (an empty text input is posted as "").
    for (let i = 0; i < maxOf(field); i++) {
      const prefix = `${name}.${i}.`;
      if (!keys.some((k) => k.startsWith(prefix))) continue;
      const item: AnswerRecord = {};
      for (const sub of field.fields) item[sub.id] = kindOf(sub).read(sub, body, `${prefix}${sub.id}`);
      items.push(item);
    }
    return items;
  },
  isStorable: (field, v) =>
    Array.isArray(v) &&
    v.length <= maxOf(field) &&
    itemsOf(v).length === v.length &&
    itemsOf(v).every((item) => field.fields.every((sub) => item[sub.id] === undefined || kindOf(sub).isStorable(sub, item[sub.id]))),
  normalise: (field, v) =>
    itemsOf(v).map((item) => {
      const out: AnswerRecord = {};
      for (const sub of field.fields) {
        const x = item[sub.id];
        if (x === undefined) continue;
        const normalise = kindOf(sub).normalise;
        out[sub.id] = normalise && !isBlankFor(sub, x) ? normalise(sub, x) : x;
      }
      return out;
    }),
  shownPart: (field, v, answers, today) =>
    itemsOf(v).map((item) => Object.fromEntries(field.fields.filter((sub) => item[sub.id] !== undefined && isShownInItem(sub, item, answers, today)).map((sub) => [sub.id, item[sub.id]!]))),
  // A required group with an item on the page is answered, if badly: each empty sub-field then says
  // what it lacks. An optional group whose items are all empty was left out.
  isBlank: (field, v) => itemsOf(v).length === 0 || (field.required === false && itemsOf(v).every((item) => field.fields.every((sub) => isBlankFor(sub, item[sub.id])))),
  shape: (field) => ({ type: 'array', maxItems: maxOf(field), items: { type: 'object' } }),
  blank: (field) => ({ key: 'forms.error.groupMin', vars: { min: Math.max(1, minOf(field)) } }),
  rules(field, value, ctx): FieldProblem[] {
    const items = itemsOf(value);
    const out: FieldProblem[] = [];
    for (const [i, item] of items.entries()) {
      const scope = { ...ctx.answers, ...item };
      for (const sub of field.fields) {
        if (!isShownInItem(sub, item, ctx.answers, ctx.today)) continue;
        const name = `${ctx.name}.${i}.${sub.id}`;
        for (const p of ctx.validateField(sub, item[sub.id], scope, name)) {
          out.push({ ...p, field: ctx.name, at: p.at ?? p.field, nameField: p.nameField ?? inItem(sub, field, i + 1) });
        }
      }
    }
    // Counted after the items, so a list of blank items says what each lacks.
    if (out.length === 0 && items.length < minOf(field)) out.push({ field: ctx.name, key: 'forms.error.groupMin', vars: { min: minOf(field) } });
    if (items.length > maxOf(field)) out.push({ field: ctx.name, key: 'forms.error.groupMax', vars: { max: maxOf(field) } });
    return out;
  },
  asksAsGroup: true,
  hasButtons: true,
  render({ field, value, name, id, label, hint, error, single, ctx, answers }) {
    const stored = itemsOf(value);
    // At least the minimum (and one) item is shown to be filled in.
    const items: AnswerRecord[] = stored.length >= Math.max(1, minOf(field)) ? stored : [...stored, ...Array.from({ length: Math.max(1, minOf(field)) - stored.length }, (): AnswerRecord => ({}))];
    const itemLabel = pick(field.itemLabel, ctx.locale);
    return (
      <Fieldset id={`${id}-group`} legend={label} single={single} hint={hint} error={error}>
        {items.map((item, i) => {
          const n = i + 1;
          const siblings = new Set(field.fields.map((f) => f.id));
          return (
            <fieldset key={i} class="ds-fieldset mb-field mb-group-item" id={i === 0 ? id : inputId(`${name}.${i}`)}>
              <legend class="ds-label">
                <Heading level={2} size="xs">
                  {`${itemLabel} ${n}`}
                </Heading>
              </legend>
              {field.fields
                // A sub-field whose condition reads its own item's answers is always shown: the item is answered on this page.
                .filter((sub) => isShownInItem(sub, item, answers, ctx.today) || (sub.when && fieldsOf(sub.when).some((f) => siblings.has(f))))
                .map((sub) => renderField(sub, item[sub.id], `${name}.${i}.${sub.id}`, ctx, answers))}
              {items.length > minOf(field) && (
                <Button variant="secondary" name="action" value={`remove:${name}:${i}`}>
                  {ctx.t('forms.group.remove', { item: `${itemLabel.toLowerCase()} ${n}` })}
                </Button>
              )}
            </fieldset>
          );
        })}
        {items.length < maxOf(field) && (
          <Button variant="secondary" name="action" value={`add:${name}`}>
            {ctx.t('forms.group.add', { item: itemLabel.toLowerCase() })}
          </Button>
        )}
      </Fieldset>
    );
  },
  display(field, value, ctx) {
    const itemLabel = pick(field.itemLabel, ctx.locale);
    return itemsOf(value)
      .map((item, i) =>
        [
          `${itemLabel} ${i + 1}`,
          ...field.fields
            .filter((sub) => !isBlankValue(item[sub.id]))
            .map((sub) => `${pick(sub.label, ctx.locale)}: ${displayAnswer(sub, item[sub.id], ctx).replace(/\n/g, ', ')}`),
        ].join('\n'),
      )
      .join('\n\n');
  },
  exampleValid(field, ctx) {
    const given = examplePosted(field, field.id);
    if (given) return given;
    const out: PostedForm = {};
    const count = Math.max(1, minOf(field));
    for (let i = 0; i < count; i++) {
      for (const sub of field.fields) {
        const one = kindOf(sub).exampleValid(sub, ctx);
        for (const [k, v] of Object.entries(one)) out[`${field.id}.${i}.${k}`] = v;
      }
    }
    return out;
  },
  exampleInvalid(field, ctx) {
    // The first sub-field of the first item answered wrongly; the rest valid.
    const valid = groupKind.exampleValid(field, ctx);
    const sub = field.fields[0]!;
    const bad = kindOf(sub).exampleInvalid(sub, ctx);
    const form: PostedForm = Object.fromEntries(Object.entries(valid).filter(([k]) => !k.startsWith(`${field.id}.0.${sub.id}`)));
    for (const [k, v] of Object.entries(bad.form)) form[`${field.id}.0.${k}`] = v;
    // Keep the item present even when the invalid answer is "nothing posted" (an unticked box).
    if (!Object.keys(form).some((k) => k.startsWith(`${field.id}.0.`))) form[`${field.id}.0.${sub.id}`] = '';
    return { form, key: bad.key };
  },
};
