/**
 * The service list's search: every word of the query must occur in the service's title, summary
 * or keywords in the reader's language, ignoring case and accents ("forskola" finds "förskola").
 */
import type { Locale } from '../kernel/i18n/index.ts';
import type { ServiceDefinition } from './types.ts';

/** Longest query we look at; anything longer is cut (a search box needs no more). */
export const MAX_QUERY_LENGTH = 200;

/** Lower case without diacritics, so å/ä/ö match a/a/o and É matches e. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLocaleLowerCase('sv');
}

/** The query from a request's `q`: the first value if repeated, trimmed, at most MAX_QUERY_LENGTH. */
export function queryFrom(value: unknown): string {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== 'string') return '';
  return first.replace(/\s+/g, ' ').trim().slice(0, MAX_QUERY_LENGTH);
}

/** The services matching every word of the query, in their original order. */
export function searchServices(services: readonly ServiceDefinition[], query: string, locale: Locale): ServiceDefinition[] {
  const words = foldText(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...services];
  return services.filter((s) => {
    const haystack = foldText([s.title[locale], s.summary[locale], ...(s.keywords ?? []).map((k) => k[locale])].join('\n'));
    return words.every((w) => haystack.includes(w));
  });
}
