/**
 * Deciding has a check step (issue 8, item 17; ADR 0027): the decision form is prefilled from the
 * application where the definition says so, any unit of the register may be offered (the
 * applicant's choices marked), the letter is previewed, "check and send" shows the values, the
 * letter and who gets it, and only its button decides — once, however many times it is pressed.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, ELLA, ELSA, HANNA, KARIN, NILS, OLLE, VERA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { tenantScope } from '../kernel/db/index.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post, applyForPreschool } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

const anna = await signInResident(t, NORRBY, ANNA, 'sv');
// A second open application for a child is refused (ADR 0022): each test applies for a child of its own.
const karin = await signInResident(t, NORRBY, KARIN, 'sv');
const handler = await signInStaff(t, NORRBY, HANNA);

async function decidedEntries(caseId: string): Promise<number> {
  const { rows } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decided'", [caseId]);
  return rows[0]!.n;
}
async function drafts(caseId: string): Promise<number> {
  const { rows } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM decision_drafts WHERE tenant_id = $1 AND case_id = $2', [caseId]);
  return rows[0]!.n;
}
async function letterRows(caseId: string): Promise<number> {
  const { rows } = await tdb.query<{ n: number }>("SELECT count(*)::int AS n FROM documents WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decision_letter'", [caseId]);
  return rows[0]!.n;
}

test('the form is prefilled from the application: the first choice and the start date asked for; every unit of the register is offered, the applicant’s marked', async () => {
  const { caseId } = await applyForPreschool(karin, NILS);
  const form = await get(handler, `/staff/cases/${caseId}/actions/decide?type=offered`);
  assert.equal(form.statusCode, 200);
  // The applicant's first choice (Ekbacken) is selected, the start date they asked for filled in.
  assert.match(form.body, /<option value="nby-ekbacken" selected>Ekbackens förskola \(1:a hand\)<\/option>/);
  assert.match(form.body, /<optgroup label="Den sökandes val"><option value="nby-ekbacken" selected>[^<]*<\/option><option value="nby-solrosen">Förskolan Solrosen \(2:a hand\)<\/option><\/optgroup>/);
  assert.match(form.body, /<optgroup label="Övriga i registret">.*<option value="nby-hamnen">Hamnens förskola<\/option>/s);
  assert.match(form.body, /id="f-startDate" name="startDate" type="text" value="2027-04-01"/);
  // The letter's preview already reads with those values, from the PDF's own sections.
  assert.match(form.body, /<article class="mb-letter" lang="sv"[^>]*>.*Nils Holm erbjuds en plats på Ekbackens förskola från och med 1 april 2027/s);
  // A type without prefill starts empty.
  const rejected = await get(handler, `/staff/cases/${caseId}/actions/decide?type=rejected`);
  assert.match(rejected.body, /<textarea[^>]*name="reasons"[^>]*><\/textarea>/);
  assert.match(rejected.body, /Skäl: \[Skäl för beslutet\]/, 'what is still to be written shows in brackets');
});

test('errors name the field in words, in both languages; the values are kept; a unit outside the register is refused', async () => {
  const { caseId } = await applyForPreschool(karin, ELLA);
  const form = (await get(handler, `/staff/cases/${caseId}/actions/decide?type=offered`)).body;
  let r = await post(handler, `/staff/cases/${caseId}/actions/decide`, { type: 'offered', preschool: '', startDate: '', step: 'check' }, form);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /<a href="#f-preschool">Välj förskola<\/a>/);
  assert.match(r.body, /<a href="#f-startDate">Ange startdatum<\/a>/);
  assert.doesNotMatch(r.body, /Fyll i/);
  handler.jar.cookies.set('mb_lang', 'en');
  try {
    r = await post(handler, `/staff/cases/${caseId}/actions/decide`, { type: 'offered', preschool: '', startDate: '', step: 'check' }, form);
    assert.match(r.body, /<a href="#f-preschool">Select a pre-school<\/a>/);
    assert.match(r.body, /<a href="#f-startDate">Enter the start date<\/a>/);
    r = await post(handler, `/staff/cases/${caseId}/actions/decide`, { type: 'offered', preschool: 'nby-nowhere', startDate: '2027-05-02', step: 'check' }, form);
    assert.match(r.body, /Select a pre-school from the list/);
  } finally {
    handler.jar.cookies.delete('mb_lang');
  }
  r = await post(handler, `/staff/cases/${caseId}/actions/decide`, { type: 'offered', preschool: 'nby-nowhere', startDate: '2027-05-02', step: 'check' }, form);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Välj förskola i listan/);
  assert.match(r.body, /value="2027-05-02"/, 'the date typed is kept');
  r = await post(handler, `/staff/cases/${caseId}/actions/decide`, { type: 'offered', preschool: 'nby-hamnen', startDate: 'den 5 maj', step: 'check' }, form);
  assert.match(r.body, /Startdatum måste vara ett riktigt datum/);
  assert.match(r.body, /<option value="nby-hamnen" selected>Hamnens förskola<\/option>/, 'the unit chosen is kept');
  assert.equal(await decidedEntries(caseId), 0);
});

test('preview, then check and send: a unit the applicant did not ask for, the letter as sent, who gets it; values kept when the handler leaves and comes back; sending decides', async () => {
  const { caseId, reference } = await applyForPreschool(anna, ELSA, 'anna@example.se');
  const form = (await get(handler, `/staff/cases/${caseId}/actions/decide?type=offered`)).body;
  // Without scripts: the preview step shows the form again with the letter filled in, nothing refused yet.
  let r = await post(handler, `/staff/cases/${caseId}/actions/decide`, { type: 'offered', preschool: 'nby-hamnen', startDate: '', step: 'preview' }, form);
  assert.equal(r.statusCode, 200);
  assert.doesNotMatch(r.body, /ds-error-summary/);
  assert.match(r.body, /erbjuds en plats på Hamnens förskola från och med \[Startdatum\]/);
  // With scripts: the same letter, alone, from the preview address.
  r = await post(handler, `/staff/cases/${caseId}/actions/decide/preview`, { type: 'offered', preschool: 'nby-hamnen', startDate: '2027-05-03' }, form);
  assert.equal(r.statusCode, 200);
  assert.match(r.body, /^<article class="mb-letter" lang="sv"/);
  assert.match(r.body, /Hamnens förskola från och med 3 maj 2027/);

  r = await post(handler, `/staff/cases/${caseId}/actions/decide`, { type: 'offered', preschool: 'nby-hamnen', startDate: '2027-05-03', step: 'check' }, form);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${caseId}/actions/decide/check`);
  assert.equal(await decidedEntries(caseId), 0, 'going to the check page decides nothing');
  let check = await get(handler, String(r.headers.location));
  assert.equal(check.statusCode, 200);
  assert.match(check.body, new RegExp(`<h1[^>]*>Kontrollera och skicka beslutet – ${reference}</h1>`));
  assert.match(check.body, /<dt>Förskola<\/dt><dd>Hamnens förskola<\/dd>/);
  assert.match(check.body, /<dt>Startdatum<\/dt><dd>3 maj 2027<\/dd>/);
  assert.match(check.body, /href="\/staff\/cases\/[0-9a-f-]+\/actions\/decide\?type=offered#f-startDate">Ändra<span class="mb-visually-hidden"> Startdatum<\/span>/);
  assert.match(check.body, /<dt>Mottagare<\/dt><dd>Anna Andersson<\/dd>/);
  assert.match(check.body, /<dt>E-post om beslutet<\/dt><dd>anna@example.se<\/dd>/);
  assert.match(check.body, /Elsa Andersson erbjuds en plats på Hamnens förskola från och med 3 maj 2027/);
  assert.match(check.body, /<input type="hidden" name="step" value="send"\/>/);

  // The handler leaves (the case page), comes back to the form and to the check page: nothing lost.
  assert.equal((await get(handler, `/staff/cases/${caseId}`)).statusCode, 200);
  const back = await get(handler, `/staff/cases/${caseId}/actions/decide`);
  assert.match(back.body, /<option value="nby-hamnen" selected>Hamnens förskola<\/option>/);
  assert.match(back.body, /value="2027-05-03"/);
  const change = await get(handler, `/staff/cases/${caseId}/actions/decide?type=offered`);
  assert.match(change.body, /value="2027-05-03"/, '"Ändra" keeps the values');
  check = await get(handler, `/staff/cases/${caseId}/actions/decide/check`);
  assert.match(check.body, /Hamnens förskola/);

  // The send button posts what the check page showed.
  const sent = Object.fromEntries([...check.body.matchAll(/<input type="hidden" name="(type|preschool|startDate|step)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!]));
  assert.deepEqual(sent, { type: 'offered', preschool: 'nby-hamnen', startDate: '2027-05-03', step: 'send' });
  r = await post(handler, `/staff/cases/${caseId}/actions/decide`, sent, check.body);
  assert.equal(r.headers.location, `/staff/cases/${caseId}?done=decided`);
  assert.equal(await decidedEntries(caseId), 1);
  assert.equal(await drafts(caseId), 0, 'the draft goes with the decision');
  // The check page of a decided case leads back to it.
  const after = await get(handler, `/staff/cases/${caseId}/actions/decide/check`);
  assert.equal(after.headers.location, `/staff/cases/${caseId}?done=closed`);
});

test('the check page without a draft leads to the form; in English it is translated', async () => {
  const { caseId } = await applyForPreschool(anna, OLLE);
  const r = await get(handler, `/staff/cases/${caseId}/actions/decide/check`);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${caseId}/actions/decide`);
  const form = (await get(handler, `/staff/cases/${caseId}/actions/decide?type=offered`)).body;
  await post(handler, `/staff/cases/${caseId}/actions/decide`, { type: 'offered', preschool: 'nby-solrosen', startDate: '2027-04-01', step: 'check' }, form);
  handler.jar.cookies.set('mb_lang', 'en');
  try {
    const check = await get(handler, `/staff/cases/${caseId}/actions/decide/check`);
    assert.match(check.body, /Check and send the decision/);
    assert.match(check.body, /Förskolan Solrosen \(2nd choice\)/);
    assert.match(check.body, />Decide and send the decision letter</);
  } finally {
    handler.jar.cookies.delete('mb_lang');
  }
});

test('the send button pressed many times at once (double clicks, two tabs) decides once', async () => {
  const { caseId } = await applyForPreschool(karin, VERA);
  const form = (await get(handler, `/staff/cases/${caseId}/actions/decide?type=offered`)).body;
  await post(handler, `/staff/cases/${caseId}/actions/decide`, { type: 'offered', preschool: 'nby-solrosen', startDate: '2027-04-01', step: 'check' }, form);
  const check = (await get(handler, `/staff/cases/${caseId}/actions/decide/check`)).body;
  const sent = { type: 'offered', preschool: 'nby-solrosen', startDate: '2027-04-01', step: 'send' };
  const results = await Promise.all(Array.from({ length: 4 }, () => post(handler, `/staff/cases/${caseId}/actions/decide`, sent, check)));
  const places = results.map((r) => r.headers.location).sort();
  assert.deepEqual(places.filter((l) => l === `/staff/cases/${caseId}?done=decided`).length, 1, `one decides: ${places.join(', ')}`);
  assert.ok(
    places.every((l) => l === `/staff/cases/${caseId}?done=decided` || l === `/staff/cases/${caseId}?done=closed`),
    `the others land on the case, told it is closed: ${results.map((r) => `${r.statusCode} ${r.headers.location ?? r.body.slice(0, 300)}`).join('; ')}`,
  );
  assert.equal(await decidedEntries(caseId), 1);
  assert.equal(await letterRows(caseId), 1, 'one letter (Swedish: the applicant reads Swedish)');
});
