/**
 * Finding services (ADR 0023): the search engine (engine.ts: stems, compounds, misspellings, both
 * languages; built once), the services as its documents, and the `/search` results page.
 */
export { buildSearchIndex, MAX_QUERY_WORDS, type SearchDocument, type SearchField, type SearchHit, type SearchIndex } from './engine.ts';
export { buildServiceSearch, serviceDocument, type ServiceSearch } from './services.ts';
export { queryFrom } from './query.ts';
export { fold, stem, stemEnglish, stemSwedish, words, type Language } from './text.ts';
export { editDistance } from './fuzzy.ts';
export { searchPlugin } from './plugin.tsx';
