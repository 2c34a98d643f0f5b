import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY, SODERA } from '../../test/helpers/app.ts';
import { AREAS, areaOf, SITUATIONS } from './index.ts';

const t = await createTestApp();
after(() => t.close());
const { app } = t;

const get = (host: string, url: string, lang: 'sv' | 'en' = 'sv') => app.inject({ url, headers: { host, 'accept-language': lang } });

/** The text of the page with tags removed and entities left as they are. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const tenants = [
  { host: NORRBY, department: { sv: 'Utbildningsförvaltningen', en: 'Education Department' }, decidedBy: 'Placeringsenheten på Utbildningsförvaltningen' },
  {
    host: SODERA,
    department: { sv: 'Barn- och utbildningsförvaltningen', en: 'Children and Education Department' },
    decidedBy: 'Placeringsenheten på Barn- och utbildningsförvaltningen',
  },
];

test('the service list groups services under SKL areas, and ?area= lists one area, in both languages', async () => {
  for (const tenant of tenants) {
    for (const lang of ['sv', 'en'] as const) {
      const r = await get(tenant.host, '/services', lang);
      assert.equal(r.statusCode, 200, `${tenant.host} ${lang}`);
      assert.match(r.body, new RegExp(`<html lang="${lang}"`));
      const preschool = lang === 'sv' ? 'Förskola' : 'Pre-school';
      assert.match(r.body, new RegExp(`<h3 class="ds-heading" data-size="md" id="area-preschool"><a class="ds-link" href="/services\\?area=preschool">${preschool}</a></h3>`));
      // The life situations come first, each with its count.
      assert.match(r.body, new RegExp(`<h2 class="ds-heading" data-size="md" id="list-situations">${lang === 'sv' ? 'Efter livssituation' : 'By life situation'}</h2>`));
      assert.ok(r.body.indexOf('id="list-situations"') < r.body.indexOf('id="list-areas"'));
      assert.match(r.body, /<a class="ds-link" href="\/services\/forskola">/);
      assert.match(r.body, lang === 'sv' ? /Ansök om förskola/ : /Apply for pre-school/);
      assert.match(r.body, lang === 'sv' ? /Ansök om plats i förskola för ditt barn/ : /Apply for a pre-school place for your child/);
      assert.match(r.body, /href="\/services" aria-current="page"/);
      // The header's search box: the list has no search of its own any more.
      assert.match(r.body, /<form class="mb-search mb-search--header" method="get" action="\/search" role="search"/);

      const area = await get(tenant.host, '/services?area=streets-and-traffic', lang);
      assert.equal(area.statusCode, 200);
      assert.match(area.body, lang === 'sv' ? /<h1 class="ds-heading" data-size="xl">Gator och trafik<\/h1>/ : /<h1 class="ds-heading" data-size="xl">Streets and traffic<\/h1>/);
      assert.match(area.body, /href="\/services\/felanmalan"/);
      assert.doesNotMatch(area.body, /href="\/services\/forskola"/);
    }
  }
  // Söderå does not offer the school choice: its list and its area pages never show it.
  const sodera = await get(SODERA, '/services');
  assert.doesNotMatch(sodera.body, /href="\/services\/skolval"/);
  // An area Söderå offers nothing in is no heading of its list, and its page says so.
  const emptyArea = AREAS.find((a) => !app.catalogue.listed('sodera').some((s) => areaOf(s) === a));
  assert.ok(emptyArea, 'Söderå offers a subset: some area has none of its services');
  assert.doesNotMatch(sodera.body, new RegExp(`id="area-${emptyArea}"`));
  const empty = await get(SODERA, `/services?area=${emptyArea}`);
  assert.equal(empty.statusCode, 200);
  assert.match(empty.body, /Det finns inga e-tjänster inom det här området ännu\./);
  // An area that is not one of SKL's is a page that does not exist.
  for (const url of ['/services?area=nope', '/services?area=%3Cscript%3E', '/services?area=', '/services?area=PRESCHOOL']) {
    const r = await get(NORRBY, url);
    assert.equal(r.statusCode, 404, url);
    assert.doesNotMatch(r.body, /<script>/);
  }
});

test('a service for e-ID or a confirmed e-mail address says so and offers both starts', async () => {
  const sv = await get(NORRBY, '/services/buller', 'sv');
  assert.equal(sv.statusCode, 200);
  const s = text(sv.body);
  assert.match(s, /Du loggar in med e-legitimation när du startar\. Har du ingen kan du i stället bekräfta din e-postadress med en kod\./);
  assert.match(sv.body, /<a class="ds-button" data-variant="primary" href="\/sign-in\?back=%2Fservices%2Fbuller%2Fapply">Starta med e-legitimation<\/a>/);
  assert.match(sv.body, /<a class="ds-button" data-variant="secondary" href="\/services\/buller\/apply">Starta med e-postadress<\/a>/);
  const en = await get(NORRBY, '/services/buller', 'en');
  assert.match(en.body, />Start with e-ID<\/a>/);
  assert.match(en.body, />Start with an e-mail address<\/a>/);
});

test('the service page says what you need, how long it takes, who decides and who may use it', async () => {
  for (const tenant of tenants) {
    const sv = await get(tenant.host, '/services/forskola', 'sv');
    assert.equal(sv.statusCode, 200);
    const s = text(sv.body);
    assert.match(sv.body, /<h1 class="ds-heading" data-size="xl">Ansök om förskola<\/h1>/);
    assert.match(sv.body, /<title>Ansök om förskola – /);
    assert.match(s, /Det här behöver du/);
    assert.match(s, /E-legitimation \(till exempel BankID eller Freja\)/);
    assert.match(s, /Vilka förskolor du önskar, upp till fem i turordning/);
    assert.match(s, /Så lång tid tar det Cirka 10 minuter/);
    assert.match(s, /När du får besked Du får besked senast fyra månader efter ansökan/);
    assert.match(s, new RegExp(`Vem som beslutar ${tenant.decidedBy}`));
    assert.match(s, /Vem som kan använda e-tjänsten Vårdnadshavare för barnet/);
    assert.match(s, new RegExp(`Ansvarig förvaltning ${tenant.department.sv}`));
    assert.match(s, /Du loggar in med e-legitimation/);
    assert.match(sv.body, /<a class="ds-button" data-variant="primary" href="\/services\/forskola\/apply">Starta e-tjänsten<\/a>/);
    assert.match(s, /Vad händer sedan\?/);
    assert.match(s, /Uppgifterna i ärendet kan omfattas av sekretess/);
    assert.match(sv.body, /<a class="ds-link" href="\/privacy">Läs om hur vi hanterar personuppgifter<\/a>/);

    const en = await get(tenant.host, '/services/forskola', 'en');
    assert.equal(en.statusCode, 200);
    const e = text(en.body);
    assert.match(en.body, /<html lang="en"/);
    assert.match(en.body, /<h1 class="ds-heading" data-size="xl">Apply for pre-school<\/h1>/);
    assert.match(e, /What you need An e-ID \(for example BankID or Freja\)/);
    assert.match(e, /How long it takes About 10 minutes/);
    assert.match(e, /When you get a decision You get an answer/);
    assert.match(e, /Who decides The placement unit/);
    assert.match(e, /Who can use the e-service A custodian \(parent or guardian\) of the child/);
    assert.match(e, new RegExp(`Responsible department ${tenant.department.en}`));
    assert.match(en.body, /href="\/services\/forskola\/apply">Start now<\/a>/);
    assert.match(en.body, /href="\/privacy">Read how we handle personal data<\/a>/);
    assert.doesNotMatch(e, /Vårdnadshavare|Det här behöver du/);
  }
});

test('the list’s old search links go to the results page', async () => {
  const r = await get(NORRBY, '/services?q=f%C3%B6rskola');
  assert.equal(r.statusCode, 301);
  assert.equal(r.headers.location, '/search?q=f%C3%B6rskola');
  const empty = await get(NORRBY, '/services?q=');
  assert.equal(empty.headers.location, '/search');
  const repeated = await get(NORRBY, '/services?q=dagis&q=bygglov');
  assert.equal(repeated.headers.location, '/search?q=dagis');
});

test('an unknown service gives the translated 404 page', async () => {
  for (const url of ['/services/nope', '/services/FORSKOLA', '/services/for%20skola', `/services/${'x'.repeat(90)}`, '/services/%3Cscript%3E']) {
    const sv = await get(NORRBY, url);
    assert.equal(sv.statusCode, 404, url);
    assert.match(sv.body, /Sidan kunde inte hittas/);
    assert.doesNotMatch(sv.body, /<script>/);
  }
  const en = await get(SODERA, '/services/nope', 'en');
  assert.equal(en.statusCode, 404);
  assert.match(en.body, /Page not found/);
});

test('app.catalogue is there for the other modules', () => {
  assert.equal(app.catalogue.service('norrby', 'forskola')?.title.sv, 'Ansök om förskola');
  assert.equal(app.catalogue.register('sodera', 'preschools')?.length, 4);
});

test('?situation= lists one life situation’s services, case and link services alike; an unknown one is 404', async () => {
  for (const lang of ['sv', 'en'] as const) {
    const r = await get(NORRBY, '/services?situation=growing-older', lang);
    assert.equal(r.statusCode, 200);
    assert.match(r.body, lang === 'sv' ? /<h1 class="ds-heading" data-size="xl">Att bli äldre<\/h1>/ : /<h1 class="ds-heading" data-size="xl">Growing older<\/h1>/);
    const expected = app.catalogue.listed('norrby').filter((s) => s.situations?.includes('growing-older'));
    assert.ok(expected.some((s) => s.engines.includes('link')), 'a link service is among them');
    for (const s of expected) assert.match(r.body, new RegExp(`<h2 class="ds-heading" data-size="xs"><a class="ds-link" href="/services/${s.id}">`));
    const cards = r.body.match(/<li class="mb-card">/g) ?? [];
    assert.equal(cards.length, expected.length, 'only that situation’s services');
    // A link service says it is delivered elsewhere.
    assert.match(r.body, lang === 'sv' ? /<p class="mb-hint">I ett annat system<\/p>/ : /<p class="mb-hint">In another system<\/p>/);
  }
  // The list and the home page link every situation that has services.
  const list = await get(NORRBY, '/services');
  const home = await get(NORRBY, '/');
  for (const situation of SITUATIONS) {
    const has = app.catalogue.listed('norrby').some((s) => s.situations?.includes(situation));
    for (const page of [list, home]) assert.equal(page.body.includes(`href="/services?situation=${situation}"`), has, situation);
  }
  for (const url of ['/services?situation=nope', '/services?situation=%3Cscript%3E', '/services?situation=', '/services?situation=growing-older&area=elderly-care']) {
    const r = await get(NORRBY, url);
    assert.equal(r.statusCode, 404, url);
    assert.doesNotMatch(r.body, /<script>/);
  }
});

test('a link service’s page says what it is, who provides it, and hands over to the municipality’s address', async () => {
  for (const [host, tenant] of [[NORRBY, 'norrby'], [SODERA, 'sodera']] as const) {
    const link = app.catalogue.linkService(tenant, 'bibliotek-lan')!;
    for (const lang of ['sv', 'en'] as const) {
      const r = await get(host, '/services/bibliotek-lan', lang);
      assert.equal(r.statusCode, 200);
      assert.match(r.body, new RegExp(`<h1 class="ds-heading" data-size="xl">${link.title[lang]}</h1>`));
      const go = lang === 'sv' ? `Gå till ${link.link.provider.sv}` : `Go to ${link.link.provider.en}`;
      assert.ok(r.body.includes(`<a class="ds-button" data-variant="primary" href="${link.link.url}" rel="noreferrer">${go} <span class="mb-visually-hidden">`), r.body);
      for (const need of link.needs) assert.ok(r.body.includes(need[lang]), need[lang]);
      // Its users are who the library's system lets in, as its sign-in row says: not "who can use the
      // e-service" here, which would claim an e-ID or nothing where a library card is asked.
      assert.ok(link.link.signIn, 'the library names its sign-in');
      assert.ok(r.body.includes(link.link.signIn[lang]));
      assert.doesNotMatch(r.body, lang === 'sv' ? /Vem som kan använda e-tjänsten/ : /Who can use the e-service/);
      // No form to start, no case to make.
      assert.doesNotMatch(r.body, /\/services\/bibliotek-lan\/apply/);
    }
    // Each municipality its own address: the same shared service, two systems.
    assert.match(link.link.url, tenant === 'norrby' ? /norrby/ : /sodera/);
    const apply = await get(host, '/services/bibliotek-lan/apply');
    assert.equal(apply.statusCode, 404);
  }
  // Offered in Norrby only: Söderå does not know it.
  assert.equal((await get(SODERA, '/services/stadsmuseet')).statusCode, 404);
});
