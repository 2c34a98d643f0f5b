/**
 * The search box on every page and the results page, through HTTP: the GOV.UK pattern (query kept,
 * number of results, title, summary and link; advice when nothing matches), both languages, the
 * home page's most used services and areas, and hostile queries answered with a proper page.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { AREAS, areaOf } from '../catalogue/index.ts';
import { createTestApp, NORRBY, SODERA } from '../../test/helpers/app.ts';

const t = await createTestApp();
after(() => t.close());
const { app } = t;

const get = (host: string, url: string, lang: 'sv' | 'en' = 'sv') => app.inject({ url, headers: { host, 'accept-language': lang } });
const search = (q: string, lang: 'sv' | 'en' = 'sv', host = NORRBY) => get(host, `/search?q=${encodeURIComponent(q)}`, lang);
/** The service ids of the results, in order. */
const resultIds = (html: string) => {
  const list = /<ol class="mb-search-results">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '';
  return [...list.matchAll(/href="\/services\/([a-z0-9-]+)"/g)].map((m) => m[1]);
};
const searchLandmarks = (html: string) => [...html.matchAll(/role="search"/g)].length;

test('every page but the home and results pages has the header search box: a GET form in a search landmark named by its label', async () => {
  for (const url of ['/services', '/services/forskola', '/contact', '/accessibility', '/privacy', '/no-such-page']) {
    const r = await get(NORRBY, url);
    assert.equal(searchLandmarks(r.body), 1, url);
    assert.match(
      r.body,
      /<form class="mb-search mb-search--header" method="get" action="\/search" role="search" aria-labelledby="mb-header-q-label"><label class="ds-label mb-search__label" id="mb-header-q-label" for="mb-header-q">Sök bland e-tjänsterna<\/label>/,
      url,
    );
    assert.match(r.body, /<input class="ds-input mb-search__input" id="mb-header-q" name="q" type="search" value maxlength="200"/, url);
  }
  const en = await get(SODERA, '/contact', 'en');
  assert.match(en.body, /for="mb-header-q">Search the e-services<\/label>/);
  // The home and results pages have one larger box instead, so there is one search landmark.
  for (const url of ['/', '/search', '/search?q=dagis']) {
    const r = await get(NORRBY, url);
    assert.equal(searchLandmarks(r.body), 1, url);
    assert.doesNotMatch(r.body, /mb-search--header/, url);
    assert.match(r.body, /<form class="mb-search mb-search--page" method="get" action="\/search" role="search" aria-labelledby="q-label">/, url);
  }
  // Staff pages search cases, not the resident's services.
  const staff = await get(NORRBY, '/staff/sign-in');
  assert.equal(searchLandmarks(staff.body), 0);
});

test('the home page lists the most used services and the areas with their services', async () => {
  for (const [host, lang] of [[NORRBY, 'sv'], [SODERA, 'en']] as const) {
    const r = await get(host, '/', lang);
    assert.equal(r.statusCode, 200);
    const mostUsed = /id="home-most-used">[^<]*<\/h2><ul class="mb-cards">([\s\S]*?)<\/ul>/.exec(r.body)?.[1] ?? '';
    const ids = [...mostUsed.matchAll(/href="\/services\/([a-z0-9-]+)"/g)].map((m) => m[1]);
    // By the yearly cases each definition estimates, at most three.
    // Link services count too: what people use most is what the home page offers first.
    const expected = app.catalogue
      .listed(host === NORRBY ? 'norrby' : 'sodera')
      .sort((a, b) => (b.benefit?.yearlyCases ?? 0) - (a.benefit?.yearlyCases ?? 0))
      .slice(0, 3)
      .map((s) => s.id);
    assert.deepEqual(ids, expected, host);
    assert.match(r.body, lang === 'sv' ? /id="home-most-used">Mest använda e-tjänster</ : /id="home-most-used">Most used e-services</);
    assert.match(r.body, /<a class="ds-link" href="\/services\?area=preschool">(Förskola|Pre-school)<\/a>/);
    assert.match(r.body, /<a class="ds-link" href="\/services\?area=streets-and-traffic">/);
  }
  const sodera = await get(SODERA, '/');
  const offered = app.catalogue.listed('sodera');
  const emptyArea = AREAS.find((a) => !offered.some((s) => areaOf(s) === a));
  assert.ok(emptyArea, 'Söderå offers a subset');
  assert.doesNotMatch(sodera.body, new RegExp(`area=${emptyArea}"`), 'only areas with services');
  const preschool = offered.filter((s) => areaOf(s) === 'preschool').length;
  const count = preschool === 1 ? '(1 e-tjänst)' : `(${preschool} e-tjänster)`;
  assert.ok(sodera.body.includes(`href="/services?area=preschool">Förskola</a> <span class="mb-hint">${count}</span>`), 'each area with its count');
});

test('the results page keeps the query, says how many, and gives each result’s title, summary and link', async () => {
  const r = await search('förskolan');
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /<title>Sökresultat för ”förskolan” – Norrby kommun<\/title>/);
  assert.match(r.body, /<input class="ds-input mb-search__input" id="q" name="q" type="search" value="förskolan"/);
  const ids = resultIds(r.body);
  assert.equal(ids[0], 'forskola');
  assert.match(r.body, new RegExp(`<h2 class="ds-heading mb-search-count" data-size="sm" id="search-count">${ids.length} träffar <span`));
  assert.match(r.body, /<a class="ds-link" href="\/services\/forskola">Ansök om förskola<\/a><\/h3><p class="ds-paragraph">Ansök om plats i förskola för ditt barn från ett års ålder\.<\/p>/);
  assert.match(r.body, /Område: Förskola/);

  const one = await search('dagis', 'en', SODERA);
  assert.deepEqual(resultIds(one.body), ['forskola']);
  assert.match(one.body, /1 result <span class="mb-search-count__for">for “dagis”<\/span>/);
  assert.match(one.body, /<a class="ds-link" href="\/services\/forskola">Apply for pre-school<\/a>/);

  // Only the municipality's own services: Söderå does not offer the school choice.
  assert.equal(resultIds((await search('skolval')).body)[0], 'skolval');
  assert.ok(!resultIds((await search('skolval', 'sv', SODERA)).body).includes('skolval'));
});

test('no results: the count, what was searched and what to try instead', async () => {
  for (const lang of ['sv', 'en'] as const) {
    const r = await search('hundskatt', lang);
    assert.equal(r.statusCode, 200);
    assert.deepEqual(resultIds(r.body), []);
    if (lang === 'sv') {
      assert.match(r.body, /Inga träffar <span class="mb-search-count__for">för ”hundskatt”<\/span>/);
      assert.match(r.body, /Vi hittade ingen e-tjänst som matchar ”hundskatt”\./);
      assert.match(r.body, /kontrollera stavningen/);
      assert.match(r.body, /<a class="ds-link" href="\/services">bläddra bland alla e-tjänster efter område<\/a>/);
    } else {
      assert.match(r.body, /No results <span class="mb-search-count__for">for “hundskatt”<\/span>/);
      assert.match(r.body, /We found no e-service matching “hundskatt”\./);
    }
  }
  // No query: the box and a word on what to type, no count.
  const empty = await get(NORRBY, '/search?q=%20%20');
  assert.equal(empty.statusCode, 200);
  assert.match(empty.body, /<title>Sök – Norrby kommun<\/title>/);
  assert.match(empty.body, /Skriv ett eller flera ord om det du vill göra\./);
  assert.doesNotMatch(empty.body, /search-count/);
});

test('hostile queries get a proper page: markup escaped, SQL is words, long input bounded, control characters dropped', async () => {
  const script = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
  const r = await search(script);
  assert.equal(r.statusCode, 200);
  assert.doesNotMatch(r.body, /<script>alert/);
  assert.doesNotMatch(r.body, /<img src=x/);
  assert.match(r.body, /value="&lt;script>alert\(1\)&lt;\/script>&quot;>&lt;img src=x onerror=alert\(2\)>"/);
  assert.match(r.body, /<title>Sökresultat för ”&lt;script>alert\(1\)&lt;\/script>&quot;>&lt;img src=x onerror=alert\(2\)>” – Norrby kommun<\/title>/);

  for (const sql of ["' OR 1=1 --", "förskola'; DROP TABLE cases; --", '%_\\']) {
    const s = await search(sql);
    assert.equal(s.statusCode, 200, sql);
  }
  // SQL is words like any other: the one about pre-school still finds it.
  assert.equal(resultIds((await search("förskola'; DROP TABLE cases; --")).body)[0], 'forskola');
  const { rows } = await t.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'cases'");
  assert.equal(rows[0]!.n, 1);

  const long = await search('å'.repeat(10_000));
  assert.equal(long.statusCode, 200);
  assert.doesNotMatch(long.body, /å{201}/, 'the query is cut to 200 characters');
  assert.match(long.body, /Inga träffar/);
  const manyWords = await search('förskola '.repeat(1200));
  assert.equal(manyWords.statusCode, 200);

  // Control characters are spaces; invisible format characters (soft hyphen, zero-width space) vanish.
  const ctrl = await get(NORRBY, '/search?q=f%C3%B6r%C2%ADskola%07%1B%0A%0Ddagis%E2%80%8B');
  assert.equal(ctrl.statusCode, 200);
  assert.match(ctrl.body, /value="förskola dagis"/);
  assert.equal(resultIds(ctrl.body)[0], 'forskola');
  // NUL bytes are stripped by the kernel; a query that is an object, or broken UTF-8, is still a page.
  for (const url of ['/search?q=%00%00', '/search?q[a]=1', '/search?q=%FF%FE', '/search?q=a&q[b]=2', '/search?q=%E2%80%AE%E2%80%AEevil']) {
    const o = await get(NORRBY, url);
    assert.ok([200, 400].includes(o.statusCode), `${url}: ${o.statusCode}`);
    assert.match(o.body, /<html lang="sv"/, url);
  }
});
