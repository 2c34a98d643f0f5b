/**
 * The site's search box: a GET form to the results page, so it works without JavaScript, inside a
 * search landmark named by its visible label. The header shows it on every page but the home page
 * and the results page, which show a larger one of their own (two search landmarks on one page
 * would need two names for the same thing). The search itself is the search module's (`/search`).
 */
import { defineMessages } from '../i18n/index.ts';
import type { ViewContext } from './context.ts';

/** Where the box sends the query, and the parameter it sends it in. */
export const SEARCH_PATH = '/search';
export const SEARCH_PARAM = 'q';
/** Longest query the box takes (and the results page reads): a search box needs no more. */
export const MAX_QUERY_LENGTH = 200;

defineMessages({
  'search.box.label': { sv: 'Sök bland e-tjänsterna', en: 'Search the e-services' },
  'search.box.hint': { sv: 'Till exempel ”förskola”, ”parkering” eller ”felanmälan”.', en: 'For example “pre-school”, “parking” or “report a fault”.' },
  'search.box.submit': { sv: 'Sök', en: 'Search' },
});

export interface SearchBoxProps {
  ctx: ViewContext;
  /** Tells the header's box from a page's: ids and the look differ. */
  place: 'header' | 'page';
  /** The query to keep in the box (the results page). */
  value?: string;
}

export function SearchBox({ ctx, place, value }: SearchBoxProps) {
  const { t } = ctx;
  const id = place === 'header' ? 'mb-header-q' : 'q';
  const hint = place === 'page' ? `${id}-hint` : undefined;
  return (
    <form class={`mb-search mb-search--${place}`} method="get" action={SEARCH_PATH} role="search" aria-labelledby={`${id}-label`}>
      <label class="ds-label mb-search__label" id={`${id}-label`} for={id}>
        {t('search.box.label')}
      </label>
      {hint && (
        <p class="mb-hint" id={hint}>
          {t('search.box.hint')}
        </p>
      )}
      <div class="mb-search__row">
        <input
          class="ds-input mb-search__input"
          id={id}
          name={SEARCH_PARAM}
          type="search"
          value={value ?? ''}
          maxLength={MAX_QUERY_LENGTH}
          autoComplete="off"
          spellcheck={false}
          aria-describedby={hint}
        />
        <button class="ds-button" data-variant={place === 'header' ? 'secondary' : 'primary'} type="submit">
          {t('search.box.submit')}
        </button>
      </div>
    </form>
  );
}
