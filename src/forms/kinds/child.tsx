/**
 * People from the population register, never typed in: `child` (one of the applicant's children,
 * the case's subject) and `person` (the picker generalised: its `source` says whose people are
 * offered). Both store the chosen person's personal identity number (twelve digits).
 */
import type { ChildField, PersonField } from '../../catalogue/types.ts';
import { ChoiceGroup } from '../../kernel/html/components.tsx';
import { formatDate } from '../../kernel/i18n/index.ts';
import { outsideAge } from '../ages.ts';
import { examplePosted, str, text } from './shared.tsx';
import type { ChildOption, FieldKind, FieldProblem, ValidationContext } from './types.ts';

type PickerField = ChildField | PersonField;

/** Whether a person is younger or older than a field allows (minAgeYears, maxAgeYears, counted on `today` as ageBy says). */
export function ageProblem(field: PickerField, child: ChildOption, today: string): 'tooYoung' | 'tooOld' | undefined {
  return outsideAge({ min: field.minAgeYears, max: field.maxAgeYears, by: field.ageBy }, child.birthDate, today);
}

/** Whether a child is older than a field allows (its maxAgeYears). */
export function isTooOld(field: PickerField, child: ChildOption, today: string): boolean {
  return ageProblem(field, child, today) === 'tooOld';
}

/**
 * The people a picker offers. Today the population register gives a person's children; the
 * `source` option names where the people come from, so a household source is one adapter call away.
 */
export function peopleOf(_field: PickerField, ctx: Pick<ValidationContext, 'children'>): ChildOption[] {
  return ctx.children;
}

/** The people a picker offers: its source's, less those too young or too old for the service. */
export function eligible(field: PickerField, ctx: Pick<ValidationContext, 'children'>, today: string): ChildOption[] {
  return peopleOf(field, ctx).filter((c) => ageProblem(field, c, today) === undefined);
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
    rules(field, value, ctx): FieldProblem | undefined {
      const person = peopleOf(field, ctx).find((c) => c.personalNumber === value);
      // Only the applicant's own people, from the register: a tampered value is refused.
      if (!person) return { field: ctx.name, key: 'forms.error.invalidChoice' };
      // Not offered, so posted only by a tampered form or a page from before a birthday: say why.
      const age = ageProblem(field, person, ctx.today);
      if (age === 'tooOld') return { field: ctx.name, key: field.ageBy === 'year' ? 'forms.error.childTooOldYear' : 'forms.error.childTooOld', vars: { child: person.name, max: field.maxAgeYears! } };
      if (age === 'tooYoung') return { field: ctx.name, key: field.ageBy === 'year' ? 'forms.error.childTooYoungYear' : 'forms.error.childTooYoung', vars: { child: person.name, min: field.minAgeYears! } };
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

const ageBy = { enum: ['day', 'year'] };
const childAge = { type: 'integer', minimum: 0, maximum: 25 };
const personAge = { type: 'integer', minimum: 0, maximum: 150 };
export const childKind = pickerKind<ChildField>('child', { minAgeYears: childAge, maxAgeYears: childAge, ageBy });
export const personKind = pickerKind<PersonField>('person', { minAgeYears: personAge, maxAgeYears: personAge, ageBy, source: { enum: ['children'] } });
