/**
 * A reference to one of the applicant's own earlier cases (the pre-school placement a change of
 * hours is about): chosen from a list, never typed, of their cases of the services the definition
 * names and, when it says so, in the states it names (a decided placement). The list comes from
 * the earlierCases register (integrations/registers), read by the forms engine only for a service
 * with such a field; the choice is checked against the same list on every post and at submission,
 * so a tampered reference to someone else's case, another service's or an undecided one is
 * refused. Stored as the case's reference ("FSK-2026-000123"); at submission the two cases are
 * linked both ways (cases/links.ts).
 */
import type { CaseReferenceField } from '../../catalogue/types.ts';
import { ChoiceGroup, Paragraph } from '../../kernel/html/components.tsx';
import { formatDate, pick } from '../../kernel/i18n/index.ts';
import { examplePosted, str, text } from './shared.tsx';
import type { EarlierCaseOption, FieldKind } from './types.ts';
import './location-messages.ts';

/** The earlier cases the field offers: the applicant's, of its services, in its states. */
export function offeredCases(field: CaseReferenceField, cases: readonly EarlierCaseOption[] | undefined): EarlierCaseOption[] {
  return (cases ?? []).filter((c) => field.services.includes(c.serviceId) && (!field.states || field.states.includes(c.status)));
}

export const caseReferenceKind: FieldKind<CaseReferenceField> = {
  kind: 'caseReference',
  options: {
    properties: {
      services: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$', maxLength: 64 } },
      states: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$', maxLength: 64 } },
    },
    required: ['services'],
  },
  needsEarlierCases: () => true,
  read: (_f, body, name) => text(body[name]),
  isStorable: (_f, v) => typeof v === 'string',
  shape: () => ({ type: 'string', maxLength: 40 }),
  blank: () => ({ key: 'forms.error.caseReference.choose' }),
  rules(field, value, ctx) {
    if (!offeredCases(field, ctx.earlierCases).some((c) => c.reference === value)) return { field: ctx.name, key: 'forms.error.caseReference' };
    return undefined;
  },
  asksAsGroup: true,
  render({ field, value, name, id, label, hint, error, single, ctx }) {
    const offered = offeredCases(field, ctx.earlierCases);
    const options = offered.map((c) => ({
      value: c.reference,
      label: ctx.t('forms.caseReference.option', { reference: c.reference, service: pick(c.serviceTitle, ctx.locale), date: formatDate(c.createdAt, ctx.locale) }),
      hint: pick(c.statusLabel, ctx.locale),
    }));
    return (
      <>
        <ChoiceGroup id={id} name={name} legend={label} legendIsHeading={single} hint={hint} error={error} options={options} selected={[str(value)]} required={field.required !== false} />
        {offered.length === 0 && <Paragraph>{ctx.t('forms.caseReference.none')}</Paragraph>}
      </>
    );
  },
  display(_f, v, ctx) {
    const c = ctx.earlierCases?.find((e) => e.reference === v);
    return c ? `${c.reference}, ${pick(c.serviceTitle, ctx.locale)}` : str(v);
  },
  exampleValid: (field, ctx) => examplePosted(field, field.id) ?? { [field.id]: offeredCases(field, ctx.earlierCases)[0]?.reference ?? '' },
  exampleInvalid: (field) => ({ form: { [field.id]: 'XYZ-2026-999999' }, key: 'forms.error.caseReference' }),
};
