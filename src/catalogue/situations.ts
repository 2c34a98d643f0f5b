/**
 * Life situations (issue 9, "Finding them"): the second way to browse the public service list,
 * beside SKL's areas. A definition names the situations it belongs to as `situations` (none, one
 * or several); the ids are the format's vocabulary (the schema's enum), the names are texts.
 * Ordered roughly along a life, which is the order the list shows them in.
 */
import { defineMessages, type Translate } from '../kernel/i18n/index.ts';
import type { ListedService } from './types.ts';

export const SITUATIONS = [
  'having-a-child',
  'child-at-school',
  'studying',
  'working',
  'moving-here',
  'home-and-building',
  'starting-a-business',
  'leisure-and-associations',
  'getting-married',
  'neighbourhood',
  'financial-help',
  'living-with-disability',
  'growing-older',
] as const;

export type Situation = (typeof SITUATIONS)[number];

export const situationMessages = defineMessages({
  'catalogue.situation.having-a-child': { sv: 'Att få barn', en: 'Having a child' },
  'catalogue.situation.child-at-school': { sv: 'Barn i skolan', en: 'Your child at school' },
  'catalogue.situation.studying': { sv: 'Att studera', en: 'Studying' },
  'catalogue.situation.working': { sv: 'Att söka arbete', en: 'Looking for work' },
  'catalogue.situation.moving-here': { sv: 'Att flytta hit', en: 'Moving here' },
  'catalogue.situation.home-and-building': { sv: 'Bygga, renovera och bo', en: 'Building, renovating and your home' },
  'catalogue.situation.starting-a-business': { sv: 'Att starta och driva företag', en: 'Starting and running a business' },
  'catalogue.situation.leisure-and-associations': { sv: 'Fritid och föreningsliv', en: 'Leisure and associations' },
  'catalogue.situation.getting-married': { sv: 'Att gifta sig', en: 'Getting married' },
  'catalogue.situation.neighbourhood': { sv: 'Något är fel där du bor', en: 'Something is wrong where you live' },
  'catalogue.situation.financial-help': { sv: 'När pengarna inte räcker', en: 'When money is short' },
  'catalogue.situation.living-with-disability': { sv: 'Att leva med funktionsnedsättning', en: 'Living with a disability' },
  'catalogue.situation.growing-older': { sv: 'Att bli äldre', en: 'Growing older' },
});

export function isSituation(value: unknown): value is Situation {
  return typeof value === 'string' && (SITUATIONS as readonly string[]).includes(value);
}

export function situationName(t: Translate, situation: Situation): string {
  return t(`catalogue.situation.${situation}`);
}

/** The situations that have services, in the list's order, each with its services. */
export function servicesBySituation<S extends ListedService>(services: readonly S[]): { situation: Situation; services: S[] }[] {
  return SITUATIONS.map((situation) => ({ situation, services: services.filter((s) => s.situations?.includes(situation)) })).filter((g) => g.services.length > 0);
}
