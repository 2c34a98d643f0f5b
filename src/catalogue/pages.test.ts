import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY, SODERA } from '../../test/helpers/app.ts';

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
      assert.match(r.body, new RegExp(`<h2 class="ds-heading" data-size="md" id="area-preschool"><a class="ds-link" href="/services\\?area=preschool">${preschool}</a></h2>`));
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
  assert.doesNotMatch(sodera.body, /id="area-compulsory-school"/);
  const empty = await get(SODERA, '/services?area=compulsory-school');
  assert.equal(empty.statusCode, 200);
  assert.match(empty.body, /Det finns inga e-tjänster inom det här området ännu\./);
  // An area that is not one of SKL's is a page that does not exist.
  for (const url of ['/services?area=nope', '/services?area=%3Cscript%3E', '/services?area=', '/services?area=PRESCHOOL']) {
    const r = await get(NORRBY, url);
    assert.equal(r.statusCode, 404, url);
    assert.doesNotMatch(r.body, /<script>/);
  }
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
