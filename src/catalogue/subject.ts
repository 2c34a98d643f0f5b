/**
 * How a service names the subject of its cases (docs/adr/0011-parties-and-roles.md): the label
 * its definition gives, or the name of the subject's kind. The engine never assumes a child.
 */
import { defineMessages, pick, translate, type Locale } from '../kernel/i18n/index.ts';
import type { ServiceDefinition, SubjectKind } from './types.ts';

defineMessages({
  'catalogue.subjectKind.child': { sv: 'Barn', en: 'Child' },
  'catalogue.subjectKind.person': { sv: 'Person', en: 'Person' },
  'catalogue.subjectKind.property': { sv: 'Fastighet', en: 'Property' },
  'catalogue.subjectKind.vehicle': { sv: 'Fordon', en: 'Vehicle' },
  'catalogue.subjectKind.place': { sv: 'Plats', en: 'Place' },
});

/** The subject's label in the locale, or undefined when the service's cases have no subject. */
export function subjectLabel(def: Pick<ServiceDefinition, 'subject'>, l: Locale): string | undefined {
  if (!def.subject) return undefined;
  return def.subject.label ? pick(def.subject.label, l) : translate(l, `catalogue.subjectKind.${def.subject.kind satisfies SubjectKind}`);
}
