/**
 * The results page, after GOV.UK's site search: the query kept in the box, the number of results,
 * each result with its title as a link to the service page and its summary; when nothing matches,
 * what to try instead.
 */
import type { ListedService } from '../catalogue/index.ts';
import { areaName, areaOf } from '../catalogue/index.ts';
import type { ViewContext } from '../kernel/html/context.ts';
import { Layout } from '../kernel/html/layout.tsx';
import { Heading, Paragraph } from '../kernel/html/components.tsx';
import { SearchBox } from '../kernel/html/search-box.tsx';
import './messages.ts';

function countText(ctx: ViewContext, count: number): string {
  if (count === 0) return ctx.t('search.count.none');
  return count === 1 ? ctx.t('search.count.one') : ctx.t('search.count.many', { count: String(count) });
}

export function SearchResultsPage({ ctx, query, results }: { ctx: ViewContext; query: string; results: readonly ListedService[] }) {
  const { t, locale } = ctx;
  const title = query ? t('search.resultsTitle', { query }) : t('search.title');
  return (
    <Layout ctx={ctx} title={title} section="services" search={false} breadcrumbs={[{ href: '/', label: t('layout.home') }]}>
      <Heading size="xl">{t('search.title')}</Heading>
      <SearchBox ctx={ctx} place="page" value={query} />
      {!query && <Paragraph>{t('search.empty')}</Paragraph>}
      {query && (
        <section aria-labelledby="search-count">
          {/* The count is the results' heading, so a screen reader's heading list says it at once. */}
          <h2 class="ds-heading mb-search-count" data-size="sm" id="search-count">
            {countText(ctx, results.length)} <span class="mb-search-count__for">{t('search.resultsFor', { query })}</span>
          </h2>
          {results.length > 0 ? (
            <ol class="mb-search-results">
              {results.map((s) => (
                <li key={s.id}>
                  <h3 class="ds-heading" data-size="xs">
                    <a class="ds-link" href={`/services/${s.id}`}>
                      {s.title[locale]}
                    </a>
                  </h3>
                  <p class="ds-paragraph">{s.summary[locale]}</p>
                  <p class="mb-hint">{t('search.area', { area: areaName(t, areaOf(s)) })}</p>
                </li>
              ))}
            </ol>
          ) : (
            <div class="mb-search-none">
              <Paragraph>{t('search.none', { query })}</Paragraph>
              <Paragraph>{t('search.noneAdvice')}</Paragraph>
              <ul class="ds-list">
                <li>{t('search.noneSpelling')}</li>
                <li>{t('search.noneFewer')}</li>
                <li>
                  <a class="ds-link" href="/services">
                    {t('search.noneBrowse')}
                  </a>
                </li>
                <li>
                  <a class="ds-link" href="/contact">
                    {t('search.noneContact')}
                  </a>
                </li>
              </ul>
            </div>
          )}
        </section>
      )}
      <p>
        <a class="ds-link" href="/services">
          {t('search.browse')}
        </a>
      </p>
    </Layout>
  );
}
