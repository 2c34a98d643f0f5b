/** Texts of the search results page. */
import { defineMessages } from '../kernel/i18n/index.ts';

export const searchMessages = defineMessages({
  'search.title': { sv: 'Sök', en: 'Search' },
  'search.resultsTitle': { sv: 'Sökresultat för ”{query}”', en: 'Search results for “{query}”' },
  'search.count.none': { sv: 'Inga träffar', en: 'No results' },
  'search.count.one': { sv: '1 träff', en: '1 result' },
  'search.count.many': { sv: '{count} träffar', en: '{count} results' },
  'search.resultsFor': { sv: 'för ”{query}”', en: 'for “{query}”' },
  'search.results': { sv: 'Sökresultat', en: 'Search results' },
  'search.none': { sv: 'Vi hittade ingen e-tjänst som matchar ”{query}”.', en: 'We found no e-service matching “{query}”.' },
  'search.noneAdvice': { sv: 'Du kan:', en: 'You can:' },
  'search.noneSpelling': { sv: 'kontrollera stavningen', en: 'check the spelling' },
  'search.noneFewer': { sv: 'använda färre eller andra ord, till exempel ”skola” i stället för ”skolplacering i årskurs 7”', en: 'use fewer or other words, for example “school” instead of “school placement in year 7”' },
  'search.noneBrowse': { sv: 'bläddra bland alla e-tjänster efter område', en: 'browse all e-services by area' },
  'search.noneContact': { sv: 'kontakta oss om du inte hittar det du söker', en: 'contact us if you cannot find what you are looking for' },
  'search.empty': { sv: 'Skriv ett eller flera ord om det du vill göra.', en: 'Type one or more words about what you want to do.' },
  'search.area': { sv: 'Område: {area}', en: 'Area: {area}' },
  'search.browse': { sv: 'Se alla e-tjänster', en: 'See all e-services' },
});
