/**
 * Finding a service in the browser (issue 8, item 14): from the home page's search box and from the
 * header's on another page, in Swedish and English, axe-clean (WCAG 2.1 A/AA, plus the best-practice
 * rules about landmarks and headings that a search box could break); with JavaScript off on a phone,
 * by keyboard alone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { browserAndServer, exact, runJourney, tr, NORRBY, SODERA, type Journey, type JourneyLocale } from './harness.ts';

const live = browserAndServer({ demo: true });

/** Best-practice rules a second search landmark, or a results list, would break. */
const LANDMARK_RULES = ['landmark-unique', 'landmark-no-duplicate-banner', 'landmark-no-duplicate-main', 'landmark-one-main', 'page-has-heading-one', 'heading-order'];

async function bestPractice(j: Journey): Promise<void> {
  const results = await new AxeBuilder({ page: j.page }).withRules(LANDMARK_RULES).analyze();
  assert.deepEqual(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `best practice on ${j.page.url()}`,
  );
}

const path = (j: Journey) => new URL(j.page.url()).pathname;
const resultTitles = (j: Journey) => j.page.locator('ol.mb-search-results > li h3 a').allInnerTexts();
const searchLandmarks = (j: Journey) => j.page.getByRole('search').count();

/** Searches with the one search box the page has, by its label, and lands on the results. */
async function searchWith(j: Journey, t: ReturnType<typeof tr>, query: string): Promise<void> {
  assert.equal(await searchLandmarks(j), 1, `one search landmark on ${j.page.url()}`);
  const search = j.page.getByRole('search', { name: t('search.box.label') });
  await search.getByLabel(t('search.box.label'), { exact: true }).fill(query);
  await j.navigate(() => search.getByRole('button', { name: exact(t('search.box.submit')) }).click(), `results for "${query}"`);
  assert.equal(path(j), '/search');
  assert.equal(await j.page.locator('#q').inputValue(), query, 'the query stays in the box');
}

describe('finding a service', () => {
  for (const locale of ['sv', 'en'] as const satisfies JourneyLocale[]) {
    test(`Norrby in ${locale}: from the home page, from the header, a misspelling, the other language, and no results`, async () => {
      const t = tr(locale);
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale }, async (j) => {
        const title = (id: string) => live.server.app.catalogue.service('norrby', id)!.title[locale];

        await j.visit('/');
        await bestPractice(j);
        // The most used services and the areas, each a way in.
        assert.ok(await j.page.getByRole('heading', { name: t('home.mostUsed') }).isVisible());
        const mostUsed = live.server.app.catalogue.listed('norrby').sort((a, b) => (b.benefit?.yearlyCases ?? 0) - (a.benefit?.yearlyCases ?? 0))[0]!;
        assert.ok(await j.page.getByRole('link', { name: mostUsed.title[locale], exact: true }).first().isVisible());
        await j.navigate(() => j.page.getByRole('link', { name: t('catalogue.area.streets-and-traffic'), exact: true }).click(), 'an area');
        assert.equal(await j.page.locator('h1').innerText(), t('catalogue.area.streets-and-traffic'));
        assert.ok(await j.page.getByRole('link', { name: title('felanmalan'), exact: true }).isVisible());

        // From the home page's box: an inflected Swedish word.
        await j.visit('/');
        await searchWith(j, t, 'förskolan');
        await bestPractice(j);
        assert.equal((await resultTitles(j))[0], title('forskola'));
        const count = (await resultTitles(j)).length;
        const said = count === 1 ? t('search.count.one') : t('search.count.many', { count: String(count) });
        assert.match(await j.page.locator('#search-count').innerText(), new RegExp(`^${said}`));
        await j.navigate(() => j.page.getByRole('link', { name: title('forskola'), exact: true }).click(), 'service page');
        assert.equal(path(j), '/services/forskola');

        // From the header on the service page: a misspelt compound.
        await searchWith(j, t, 'parkerngstillstånd');
        assert.equal((await resultTitles(j))[0], title('parkeringstillstand'));

        // An English word on this site (and a Swedish one on the English site), from the results page's box.
        await searchWith(j, t, locale === 'sv' ? 'graffiti' : 'klotter');
        assert.equal((await resultTitles(j))[0], title('felanmalan'));

        // Nothing found: the count, and what to try.
        await searchWith(j, t, 'hundskatt');
        await bestPractice(j);
        assert.deepEqual(await resultTitles(j), []);
        assert.ok(await j.page.getByText(t('search.none', { query: 'hundskatt' }), { exact: true }).isVisible());
        await j.navigate(() => j.page.getByRole('link', { name: t('search.noneBrowse'), exact: true }).click(), 'all services');
        assert.equal(path(j), '/services');
        await bestPractice(j);
      });
    });
  }

  test('Söderå with JavaScript off on a phone, by keyboard alone: the header box to a result', async () => {
    const t = tr('sv');
    await runJourney(live.browser, { server: live.server, tenantHost: SODERA, locale: 'sv', javaScriptEnabled: false, viewport: { width: 375, height: 740 } }, async (j) => {
      await j.visit('/contact');
      const field = await j.tabTo(t('search.box.label'));
      assert.equal(field.id, 'mb-header-q');
      assert.ok(field.inViewport, 'the focused box is visible');
      await j.typeInFocused('handikapparkering');
      await j.pressEnter({ label: 'results by keyboard' });
      assert.equal(path(j), '/search');
      const first = live.server.app.catalogue.service('sodera', 'parkeringstillstand')!.title.sv;
      assert.equal((await resultTitles(j))[0], first);
      await j.tabTo(first);
      await j.pressEnter({ label: 'service page by keyboard' });
      assert.equal(path(j), '/services/parkeringstillstand');
    });
  });
});
