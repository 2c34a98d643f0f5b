/**
 * SKL's areas of municipal services, the public service list's browsing order (issue 9, "Finding
 * them"): each definition names one as `area` (default `other`). The ids are the format's
 * vocabulary (the schema's enum); the names are texts, in both languages.
 */
import { defineMessages, type Translate } from '../kernel/i18n/index.ts';
import type { ListedService } from './types.ts';

export const AREAS = [
  'preschool',
  'compulsory-school',
  'upper-secondary-school',
  'adult-education',
  'elderly-care',
  'social-services',
  'building-and-housing',
  'environment-and-health',
  'streets-and-traffic',
  'culture-and-leisure',
  'other',
] as const;

export type Area = (typeof AREAS)[number];

export const DEFAULT_AREA: Area = 'other';

export const areaMessages = defineMessages({
  'catalogue.area.preschool': { sv: 'Förskola', en: 'Pre-school' },
  'catalogue.area.compulsory-school': { sv: 'Grundskola', en: 'Compulsory school' },
  'catalogue.area.upper-secondary-school': { sv: 'Gymnasieskola', en: 'Upper secondary school' },
  'catalogue.area.adult-education': { sv: 'Vuxenutbildning', en: 'Adult education' },
  'catalogue.area.elderly-care': { sv: 'Äldreomsorg', en: 'Care for older people' },
  'catalogue.area.social-services': { sv: 'Socialtjänst', en: 'Social services' },
  'catalogue.area.building-and-housing': { sv: 'Bygga och bo', en: 'Building and housing' },
  'catalogue.area.environment-and-health': { sv: 'Miljö och hälsa', en: 'Environment and health' },
  'catalogue.area.streets-and-traffic': { sv: 'Gator och trafik', en: 'Streets and traffic' },
  'catalogue.area.culture-and-leisure': { sv: 'Kultur och fritid', en: 'Culture and leisure' },
  'catalogue.area.other': { sv: 'Övrigt', en: 'Other' },
});

export function isArea(value: unknown): value is Area {
  return typeof value === 'string' && (AREAS as readonly string[]).includes(value);
}

export function areaOf(service: Pick<ListedService, 'area'>): Area {
  return service.area ?? DEFAULT_AREA;
}

export function areaName(t: Translate, area: Area): string {
  return t(`catalogue.area.${area}`);
}

/** The areas that have services, in SKL's order, each with its services. */
export function servicesByArea<S extends ListedService>(services: readonly S[]): { area: Area; services: S[] }[] {
  return AREAS.map((area) => ({ area, services: services.filter((s) => areaOf(s) === area) })).filter((g) => g.services.length > 0);
}
