/**
 * A property (fastighet) from the property register (ADR 0035). The applicant chooses one of their
 * own — or, applying for an organisation, the organisation's — as the register lists them; where the
 * definition says `allowOthers` (the neighbour's property, a property someone else owns), they may
 * instead type a designation, read in the register's format whatever its case, spacing or colon, and
 * found in the register. A designation that is not one is refused before any register is asked; one
 * the register does not know, or that belongs to someone else where only one's own is allowed, is
 * refused naming the question; the answer is kept either way.
 *
 * The forms engine asks the register (only for a service with such a field) and hands the answers
 * it found in `properties`; the kind stays synchronous. Stored as { designation, address }, both as
 * the register has them, so the case keeps the address the register gave on the day.
 */
import type { PropertyField } from '../../catalogue/types.ts';
import { ChoiceGroup, TextField } from '../../kernel/html/components.tsx';
import { defineMessages } from '../../kernel/i18n/index.ts';
// The leaf module, not the registers' front door: that one reaches the catalogue, which loads the field kinds.
import { designationKey, MAX_DESIGNATION_LENGTH, parseDesignation } from '../../integrations/registers/property-designation.ts';
import { examplePosted, Fieldset, partOf, partsAreText, text } from './shared.tsx';
import type { ExampleContext, FieldKind, FieldProblem, PostedForm, PropertyOption } from './types.ts';

defineMessages({
  'forms.property.other': { sv: 'En annan fastighet', en: 'Another property' },
  'forms.property.otherDesignation': { sv: 'Fastighetsbeteckning', en: 'Property designation' },
  'forms.property.designationHint': {
    sv: 'Som i fastighetsregistret: kommundel, trakt och nummer med kolon.',
    en: 'As the property register writes it: district, block and number with a colon.',
  },
  'forms.property.noneOwned': { sv: 'Fastighetsregistret har ingen fastighet i kommunen som du äger.', en: 'The property register has no property in the municipality that you own.' },
  'forms.error.property.choose': { sv: 'Välj {label}', en: 'Select {label}' },
  'forms.error.property.noneOwned': {
    sv: 'Du kan inte svara på {label}: fastighetsregistret har ingen fastighet i kommunen som du äger',
    en: 'You cannot answer {label}: the property register has no property in the municipality that you own',
  },
  'forms.error.property.format': {
    sv: 'Skriv {label} som i fastighetsregistret, med kommundel, trakt och nummer med kolon',
    en: 'Enter {label} as the property register writes it, with district, block and number with a colon',
  },
  'forms.error.property.unknown': {
    sv: 'Fastighetsregistret har ingen fastighet {designation} i kommunen. Kontrollera {label}',
    en: 'The property register has no property {designation} in the municipality. Check {label}',
  },
  'forms.error.property.notOwned': {
    sv: 'Välj {label} bland fastigheterna du äger: {designation} ägs av någon annan',
    en: 'Select {label} from the properties you own: {designation} is owned by someone else',
  },
});

const OTHER = 'other';
const PARTS = ['designation', 'address'];

/** The properties the field offers to choose from: the applicant's own, unless it asks only for a typed one (the neighbour's). */
const ownOf = (field: PropertyField, properties: readonly PropertyOption[] | undefined) => (field.offerOwn === false ? [] : (properties ?? []).filter((p) => p.owned));

/** The register's answer for a designation, when it was asked for it (own properties, and those typed). */
export function foundProperty(properties: readonly PropertyOption[] | undefined, designation: string): PropertyOption | undefined {
  const parsed = parseDesignation(designation);
  if (!parsed) return undefined;
  const key = designationKey(parsed);
  return properties?.find((p) => designationKey(p.designation) === key);
}

/** A typed designation as posted: "another property" chosen where the list is shown, the text alone where it is not. */
function typedForm(field: PropertyField, ctx: ExampleContext, typed: string): PostedForm {
  return ownOf(field, ctx.properties).length ? { [field.id]: OTHER, [`${field.id}.other`]: typed } : { [`${field.id}.other`]: typed };
}

export const propertyKind: FieldKind<PropertyField> = {
  kind: 'property',
  options: { properties: { allowOthers: { type: 'boolean' }, offerOwn: { type: 'boolean' } } },
  needsProperties: () => true,
  read(_f, body, name) {
    const choice = text(body[name]);
    const typed = text(body[`${name}.other`]);
    // Repeated keys are kept as such for validation to refuse (never a guess between them).
    if (Array.isArray(choice) || Array.isArray(typed)) return { designation: '#invalid', address: '' };
    // A property chosen from the list wins; "another property" (or no list at all) is the typed one.
    return { designation: choice && choice !== OTHER ? choice : typed, address: '' };
  },
  isStorable: (_f, v) => partsAreText(v, PARTS),
  // The address is never taken from the post: it is the register's, for a designation it found.
  normalise(_f, v, ctx) {
    const typed = partOf(v, 'designation');
    const found = foundProperty(ctx?.properties, typed);
    return found ? { designation: found.designation, address: found.address } : { designation: typed, address: '' };
  },
  shape: () => ({
    type: 'object',
    required: PARTS,
    additionalProperties: false,
    properties: { designation: { type: 'string', maxLength: MAX_DESIGNATION_LENGTH }, address: { type: 'string', maxLength: 300 } },
  }),
  isBlank: (_f, v) => partOf(v, 'designation') === '',
  blank(field, ctx) {
    if (ownOf(field, ctx.properties).length) return { key: 'forms.error.property.choose' };
    return { key: field.allowOthers ? 'forms.error.required' : 'forms.error.property.noneOwned' };
  },
  rules(field, value, ctx): FieldProblem | undefined {
    const typed = partOf(value, 'designation');
    // A typed designation's problem is shown at its own input when the list is shown above it.
    const at = field.allowOthers && ownOf(field, ctx.properties).length ? { at: `${ctx.name}.other` } : {};
    const parsed = parseDesignation(typed);
    if (!parsed) return { field: ctx.name, ...at, key: 'forms.error.property.format' };
    const found = foundProperty(ctx.properties, parsed);
    if (!found) return { field: ctx.name, ...at, key: 'forms.error.property.unknown', vars: { designation: parsed } };
    if (!found.owned && !field.allowOthers) return { field: ctx.name, key: 'forms.error.property.notOwned', vars: { designation: found.designation } };
    return undefined;
  },
  asksAsGroup: (field) => field.allowOthers !== true,
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const required = field.required !== false;
    const own = ownOf(field, ctx.properties);
    const designation = partOf(value, 'designation');
    const chosen = foundProperty(own, designation);
    const typedHint = ctx.t('forms.property.designationHint');
    if (!own.length) {
      if (!field.allowOthers) {
        // Nothing to choose: said where the choices would be (the error summary links to it).
        return (
          <Fieldset id={id} legend={label} single={single} hint={hint} error={error}>
            <p id={id} class="ds-paragraph" tabIndex={-1}>
              {ctx.t('forms.property.noneOwned')}
            </p>
          </Fieldset>
        );
      }
      return <TextField id={id} name={`${name}.other`} label={label} labelIsHeading={single} hint={[hint, typedHint].filter(Boolean).join(' ')} error={error} value={designation} required={required} width="medium" />;
    }
    const options = own.map((p) => ({ value: p.designation, label: p.designation, hint: p.address }));
    if (field.allowOthers) options.push({ value: OTHER, label: ctx.t('forms.property.other'), hint: '' });
    const selected = chosen ? chosen.designation : designation && field.allowOthers ? OTHER : '';
    return (
      <>
        <ChoiceGroup id={id} name={name} legend={label} legendIsHeading={single} hint={hint} error={error} options={options} selected={[selected]} required={required} />
        {field.allowOthers && (
          <TextField
            id={`${id}-other`}
            name={`${name}.other`}
            label={ctx.t('forms.property.otherDesignation')}
            hint={typedHint}
            error={ctx.errorAt(`${name}.other`)}
            value={chosen ? '' : designation}
            width="medium"
          />
        )}
      </>
    );
  },
  display(_f, v) {
    const address = partOf(v, 'address');
    return [partOf(v, 'designation'), address].filter(Boolean).join('\n');
  },
  subjectIdentifier: (_f, v) => partOf(v, 'designation') || undefined,
  exampleValid(field, ctx) {
    const given = examplePosted(field, field.id);
    if (given) return given;
    const own = ownOf(field, ctx.properties)[0];
    if (own) return { [field.id]: own.designation };
    // Typed as people type it: lower case, spaces around the colon (the register's form is stored).
    const other = (ctx.properties ?? []).find((p) => !p.owned);
    return typedForm(field, ctx, other ? other.designation.toLocaleLowerCase('sv').replace(':', ' : ') : '');
  },
  exampleInvalid: (field, ctx) => ({ form: typedForm(field, ctx, 'Eken 1;23'), key: 'forms.error.property.format' }),
};
