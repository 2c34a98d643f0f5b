/**
 * People from the population register, never typed in: `child` (one of the applicant's children,
 * the case's subject) and `person` (the picker generalised: its `source` says whose people are
 * offered). Both store the chosen person's personal identity number (twelve digits).
 */
import type { ChildField, PersonField } from '../../catalogue/types.ts';
import { ChoiceGroup } from '../../kernel/html/components.tsx';
import { formatDate } from '../../kernel/i18n/index.ts';
import { ageOn } from '../dates.ts';
import { examplePosted, str, text } from './shared.tsx';
import type { ChildOption, FieldKind, ValidationContext } from './types.ts';

type PickerField = ChildField | PersonField;

/** Whether a child is older than a field allows (its maxAgeYears, counted on `today`). */
export function isTooOld(field: PickerField, child: ChildOption, today: string): boolean {
  return field.maxAgeYears !== undefined && ageOn(child.birthDate, today) > field.maxAgeYears;
}

/**
 * The people a picker offers. Today the population register gives a person's children; the
 * `source` option names where the people come from, so a household source is one adapter call away.
 */
export function peopleOf(_field: PickerField, ctx: Pick<ValidationContext, 'children'>): ChildOption[] {
  return ctx.children;
}

/** The people a picker offers: its source's, less those too old for the service. */
export function eligible(field: PickerField, ctx: Pick<ValidationContext, 'children'>, today: string): ChildOption[] {
  return peopleOf(field, ctx).filter((c) => !isTooOld(field, c, today));
}

function pickerKind<F extends PickerField>(kind: F['kind'], properties: Record<string, object>): FieldKind<F> {
  return {
    // A picker's people are the applicant's children (the only source today).
    needsChildren: () => true,
    kind,
    options: { properties },
    read: (_f, body, name) => text(body[name]),
    isStorable: (_f, v) => typeof v === 'string',
    shape: () => ({ type: 'string', pattern: '^\\d{12}$' }),
    blank: (field, ctx) => ({ key: eligible(field, ctx, ctx.today).length === 0 ? 'forms.error.noChildren' : 'forms.error.choose' }),
    rules(field, value, ctx) {
      const person = peopleOf(field, ctx).find((c) => c.personalNumber === value);
      // Only the applicant's own people, from the register: a tampered value is refused.
      if (!person) return { field: ctx.name, key: 'forms.error.invalidChoice' };
      // Not offered, so posted only by a tampered form or a page from before a birthday: say why.
      if (isTooOld(field, person, ctx.today)) return { field: ctx.name, key: 'forms.error.childTooOld', vars: { child: person.name, max: field.maxAgeYears! } };
      return undefined;
    },
    asksAsGroup: true,
    render: ({ field, value, name, id, label, hint, error, single, ctx }) => (
      <ChoiceGroup
        id={id}
        name={name}
        legend={label}
        legendIsHeading={single}
        hint={hint}
        error={error}
        options={eligible(field, ctx, ctx.today).map((c) => ({ value: c.personalNumber, label: c.name, hint: formatDate(c.birthDate, ctx.locale) }))}
        selected={[str(value)]}
        required
      />
    ),
    display(field, value, ctx) {
      const c = peopleOf(field, ctx).find((x) => x.personalNumber === value);
      return c ? `${c.name} (${formatDate(c.birthDate, ctx.locale)})` : str(value);
    },
    exampleValid(field, ctx) {
      const given = examplePosted(field, field.id);
      if (given) return given;
      const first = eligible(field, ctx, ctx.today)[0];
      return { [field.id]: first?.personalNumber ?? '' };
    },
    // A real, valid number that is nobody's child here.
    exampleInvalid: (field) => ({ form: { [field.id]: '190001019806' }, key: 'forms.error.invalidChoice' }),
  };
}

const maxAgeYears = { type: 'integer', minimum: 0, maximum: 25 };
export const childKind = pickerKind<ChildField>('child', { maxAgeYears });
export const personKind = pickerKind<PersonField>('person', { maxAgeYears: { type: 'integer', minimum: 0, maximum: 150 }, source: { enum: ['children'] } });
