/**
 * A municipality's services as search documents: each field in both languages, so English words
 * find services on the Swedish site and the other way round (the site's language counts more).
 */
import type { ListedService } from '../catalogue/index.ts';
import { areaOf, type Area } from '../catalogue/index.ts';
import { buildSearchIndex, type SearchDocument, type SearchIndex } from './engine.ts';
import { LANGUAGES, type Language } from './text.ts';

/** How much a match counts by where it is: the title says what the service is; the summary only mentions things. */
const WEIGHTS = { title: 4, keywords: 3, searchWords: 3, area: 2, summary: 1 } as const;

export type ServiceSearch = SearchIndex<ListedService>;

export function serviceDocument(service: ListedService, areaName: (area: Area, language: Language) => string): SearchDocument<ListedService> {
  return {
    item: service,
    popularity: service.benefit?.yearlyCases ?? 0,
    fields: LANGUAGES.flatMap((language) => [
      { name: 'title', language, weight: WEIGHTS.title, text: service.title[language] },
      { name: 'keywords', language, weight: WEIGHTS.keywords, text: (service.keywords ?? []).map((k) => k[language]).join('\n') },
      { name: 'searchWords', language, weight: WEIGHTS.searchWords, text: (service.searchWords?.[language] ?? []).join('\n') },
      { name: 'area', language, weight: WEIGHTS.area, text: areaName(areaOf(service), language) },
      { name: 'summary', language, weight: WEIGHTS.summary, text: service.summary[language] },
    ]),
  };
}

/** The search over these services (a municipality's enabled ones), built once. */
export function buildServiceSearch(services: readonly ListedService[], areaName: (area: Area, language: Language) => string): ServiceSearch {
  return buildSearchIndex(services.map((s) => serviceDocument(s, areaName)));
}
