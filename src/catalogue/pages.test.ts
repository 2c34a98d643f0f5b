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

test('the service list groups services under the tenant’s departments, in both languages', async () => {
  for (const tenant of tenants) {
    for (const lang of ['sv', 'en'] as const) {
      const r = await get(tenant.host, '/services', lang);
      assert.equal(r.statusCode, 200, `${tenant.host} ${lang}`);
      assert.match(r.body, new RegExp(`<html lang="${lang}"`));
      assert.match(r.body, new RegExp(`<h2 class="ds-heading" data-size="md" id="department-education">${tenant.department[lang]}</h2>`));
      assert.match(r.body, /<a class="ds-link" href="\/services\/forskola">/);
      assert.match(r.body, lang === 'sv' ? /Ansök om förskola/ : /Apply for pre-school/);
      assert.match(r.body, lang === 'sv' ? /Ansök om plats i förskola för ditt barn/ : /Apply for a pre-school place for your child/);
      assert.match(r.body, /<form method="get" action="\/services" role="search"/);
      assert.match(r.body, /<label class="ds-label" for="q">/);
      assert.match(r.body, /aria-current="page"[^>]*>|href="\/services" aria-current="page"/);
    }
  }
  // The other tenant's department never shows.
  const norrby = await get(NORRBY, '/services');
  assert.doesNotMatch(norrby.body, /Barn- och utbildningsförvaltningen/);
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

test('search filters by title, summary and keywords in the current language, ignoring case and accents', async () => {
  const found = async (q: string, lang: 'sv' | 'en' = 'sv') => {
    const r = await get(NORRBY, `/services?q=${encodeURIComponent(q)}`, lang);
    assert.equal(r.statusCode, 200, q);
    return /href="\/services\/forskola"/.test(r.body);
  };
  assert.equal(await found('förskola'), true);
  assert.equal(await found('FORSKOLA'), true, 'accent- and case-insensitive');
  assert.equal(await found('  ansök   FÖRSKOLA '), true, 'every word, any spacing');
  assert.equal(await found('dagis'), true, 'a Swedish keyword');
  assert.equal(await found('ett års ålder'), true, 'the summary');
  assert.equal(await found('nursery'), false, 'an English keyword does not match in Swedish');
  assert.equal(await found('nursery', 'en'), true, 'but does in English');
  assert.equal(await found('Pre-School', 'en'), true);
  assert.equal(await found('förskola bygglov'), false, 'every word must match');
  assert.equal(await found('bygglov'), false);

  const none = await get(NORRBY, '/services?q=bygglov');
  assert.match(none.body, /Ingen e-tjänst matchar ”bygglov”\./);
  assert.match(none.body, /<a class="ds-link" href="\/services">Visa alla e-tjänster<\/a>/);
  assert.match(none.body, /<title>Sökresultat för ”bygglov” – E-tjänster – Norrby kommun<\/title>/);
  assert.match(none.body, /<input class="ds-input" id="q" name="q" type="search" value="bygglov"/);
  const one = await get(NORRBY, '/services?q=nursery', 'en');
  assert.match(one.body, /1 e-service matches “nursery”\./);
  // A repeated parameter uses the first value; an empty one lists everything.
  const repeated = await get(NORRBY, '/services?q=dagis&q=bygglov');
  assert.match(repeated.body, /href="\/services\/forskola"/);
  const empty = await get(NORRBY, '/services?q=%20%20');
  assert.match(empty.body, /href="\/services\/forskola"/);
  assert.doesNotMatch(empty.body, /matchar/);
});

test('hostile search input is escaped and bounded', async () => {
  const script = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
  const r = await get(NORRBY, `/services?q=${encodeURIComponent(script)}`);
  assert.equal(r.statusCode, 200);
  assert.doesNotMatch(r.body, /<script>alert/);
  assert.doesNotMatch(r.body, /<img src=x/);
  // Preact escapes < & " (a > alone cannot open a tag), in the field and in the result line.
  assert.match(r.body, /value="&lt;script>alert\(1\)&lt;\/script>&quot;>&lt;img src=x onerror=alert\(2\)>"/);
  assert.match(r.body, /Ingen e-tjänst matchar ”&lt;script>alert\(1\)&lt;\/script>&quot;>&lt;img/);

  const long = await get(NORRBY, `/services?q=${'å'.repeat(10_000)}`);
  assert.equal(long.statusCode, 200);
  assert.doesNotMatch(long.body, /å{201}/, 'the query is cut to 200 characters');
  assert.match(long.body, /Ingen e-tjänst matchar/);

  const odd = await get(NORRBY, '/services?q[a]=1&q=%00%FF');
  assert.ok([200, 400].includes(odd.statusCode), String(odd.statusCode));
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
