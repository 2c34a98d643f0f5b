/**
 * ADR 0029 through HTTP, on a test-only definition (test/fixtures/flow/catalogue/interview.yaml): a
 * transition that asks the handler for a text (required, with a label, a hint and a maximum) — the
 * form, its errors with the typed text kept, the text in the journal entry, the e-mail and both
 * case pages, escaped; a text kept among staff where the action tells nobody; two handlers at once;
 * and the appeal section of each route on the resident's page and in the letter.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';
import { readPdf } from '../../test/helpers/pdf.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { verifyArchive } from '../archive/index.ts';
import { createCase, residentApplicant } from './index.ts';

const HOST = 'norrby.localhost';
const t = await createTestApp({ env: { MEDBORG_TENANTS: 'test/fixtures/flow/tenants.yaml' }, now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post } = journey(t);
const tdb = tenantScope(t.tdb.db, 'norrby');

const anna = await signInResident(t, HOST, ANNA, 'sv');
const hugo = await signInStaff(t, HOST, { username: 'hugo', displayName: 'Hugo Handläggare', roles: ['handler'], departments: ['city-services'] });
const dora = await signInStaff(t, HOST, { username: 'dora', displayName: 'Dora Delegat', roles: ['handler'], departments: ['city-services'] });

async function submit(email = 'anna@example.se', locale: 'sv' | 'en' = 'sv'): Promise<string> {
  const def = t.app.catalogue.service('norrby', 'test-interview')!;
  const c = await tdb.transaction((tx) => createCase(tx, { definition: def, parties: [residentApplicant({ id: anna.residentId })], answers: { fullName: 'Anna Andersson', email }, locale, draftId: null, email, siteUrl: `http://${HOST}`, now: t.clock.now() }));
  return c.id;
}

async function statusOf(id: string): Promise<string> {
  const { rows } = await tdb.query<{ status: string }>('SELECT status FROM cases WHERE tenant_id = $1 AND id = $2', [id]);
  return rows[0]!.status;
}

async function entries(id: string) {
  const { rows } = await tdb.query<{ kind: string; payload: Record<string, unknown> }>('SELECT kind, payload FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq', [id]);
  return rows;
}

async function mails(address: string, template: string) {
  const { rows } = await tdb.query<{ payload: { to: string; text: string; template?: string } }>("SELECT payload FROM outbox WHERE tenant_id = $1 AND kind = 'email' ORDER BY id", []);
  return rows.map((r) => r.payload).filter((p) => p.to === address && p.template === template);
}

const textarea = (html: string, id: string) => new RegExp(`<textarea[^>]*id="${id}"[^>]*>([^<]*)</textarea>`).exec(html);

test('a transition that asks for a text: the field, a missing and a too long text refused with the text kept, then stored, told and shown escaped', async () => {
  const id = await submit();
  let page = (await get(hugo, `/staff/cases/${id}`)).body;
  // The field: the definition's label and hint, and who reads the text; required; the definition's maximum.
  assert.match(page, /<label[^>]*for="f-invite"[^>]*>Tid och plats<\/label>/);
  assert.match(page, /id="f-invite-hint">Datum, klockslag och adress\. Texten skickas till den sökande med e-post och syns under Mina ärenden\.</);
  const field = /<textarea[^>]*id="f-invite"[^>]*>/.exec(page)![0];
  assert.match(field, /aria-required="true"/);
  assert.match(field, /maxlength="200"/);
  assert.match(field, /aria-describedby="f-invite-hint"/);

  // Nothing written: the error summary links to the field, which says what is missing; nothing changes.
  let r = await post(hugo, `/staff/cases/${id}/actions/invite`, { body: '   ' }, page);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-invite"/);
  assert.match(r.body, /Fyll i ”Tid och plats”/);
  assert.equal(await statusOf(id), 'submitted');
  assert.equal((await entries(id)).length, 1);

  // Too long: said with the limit, and what was typed is still in the field (escaped).
  const long = `<b>${'x'.repeat(200)}</b>`;
  r = await post(hugo, `/staff/cases/${id}/actions/invite`, { body: long }, page);
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /”Tid och plats” får vara högst 200 tecken – nu är det 207/);
  assert.equal(textarea(r.body, 'f-invite')![1], `&lt;b>${'x'.repeat(200)}&lt;/b>`);
  assert.match(/<textarea[^>]*id="f-invite"[^>]*>/.exec(r.body)![0], /aria-invalid="true"/);
  assert.equal(await statusOf(id), 'submitted');

  // A hostile text is taken as text: stored as written, escaped wherever it is shown.
  const hostile = 'Tisdag 1 dec kl. 10, Storgatan 1 <script>alert(1)</script>';
  page = (await get(hugo, `/staff/cases/${id}`)).body;
  r = await post(hugo, `/staff/cases/${id}/actions/invite`, { body: `${hostile}\r\n` }, page);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, `/staff/cases/${id}?done=status`);
  assert.equal(await statusOf(id), 'interview');
  const entry = (await entries(id)).at(-1)!;
  assert.equal(entry.kind, 'status_changed');
  assert.deepEqual(entry.payload, { action: 'invite', actionKind: 'transition', from: 'submitted', to: 'interview', body: hostile });

  // The e-mail the action names carries it under the field's label (the template does not place it).
  const told = await mails('anna@example.se', 'invited');
  assert.equal(told.length, 1);
  assert.match(told[0]!.text, /Du kallas till intervju\. http:\/\/norrby\.localhost\/my\/cases\/[0-9a-f-]+\n\nTid och plats:\nTisdag 1 dec kl\. 10, Storgatan 1 <script>alert\(1\)<\/script>\n\n/);

  // Both case pages show it in the history, escaped.
  for (const html of [(await get(anna, `/my/cases/${id}`)).body, (await get(hugo, `/staff/cases/${id}`)).body]) {
    assert.match(html, /<p class="mb-timeline__body">Tisdag 1 dec kl\. 10, Storgatan 1 &lt;script>alert\(1\)&lt;\/script><\/p>/);
    assert.doesNotMatch(html, /<script>alert/);
  }
  assert.deepEqual((await verifyArchive(t.tdb.db, ['norrby'])).problems, []);
});

test('a text of an action that tells nobody stays with staff; it may be left empty where the definition says so', async () => {
  const id = await submit();
  await post(hugo, `/staff/cases/${id}/actions/invite`, { body: 'Måndag kl. 9' }, `/staff/cases/${id}`);
  let page = (await get(hugo, `/staff/cases/${id}`)).body;
  assert.match(page, /<label[^>]*for="f-interviewHeld"[^>]*>Intryck från intervjun \(frivilligt\)<\/label>/);
  assert.match(page, /id="f-interviewHeld-hint">Texten syns bara för handläggare\.</);
  assert.doesNotMatch(/<textarea[^>]*id="f-interviewHeld"[^>]*>/.exec(page)![0], /aria-required/);
  const r = await post(hugo, `/staff/cases/${id}/actions/interviewHeld`, { body: 'Stark kandidat, ring referenserna.' }, page);
  assert.equal(r.statusCode, 303);
  assert.equal(await statusOf(id), 'checking');
  assert.deepEqual((await entries(id)).at(-1)!.payload, { action: 'interviewHeld', actionKind: 'transition', from: 'interview', to: 'checking', body: 'Stark kandidat, ring referenserna.', bodyInternal: true });
  const mine = (await get(anna, `/my/cases/${id}`)).body;
  assert.match(mine, /Under handläggning/);
  assert.doesNotMatch(mine, /Stark kandidat/, 'the resident does not read it');
  page = (await get(hugo, `/staff/cases/${id}`)).body;
  assert.match(page, /Stark kandidat, ring referenserna\./);
  assert.match(page, /class="mb-timeline__tag">[^<]+</, 'staff see it marked as not shown to the resident');

  // A kind that always takes a text, worded by the definition: its label and hint, and that only staff read it.
  assert.match(page, /<label[^>]*for="f-askReferee"[^>]*>Frågor till referenten<\/label>/);
  assert.match(page, /id="f-askReferee-hint">Det du vill veta om den sökande\. Texten syns bara för handläggare\.</);
  const refused = await post(hugo, `/staff/cases/${id}/actions/askReferee`, { body: '' }, page);
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /Fyll i ”Frågor till referenten”/);

  // Left empty where it may be: the case moves, and the entry has no text.
  const other = await submit();
  await post(hugo, `/staff/cases/${other}/actions/invite`, { body: 'Måndag kl. 9' }, `/staff/cases/${other}`);
  const empty = await post(hugo, `/staff/cases/${other}/actions/interviewHeld`, { body: '' }, `/staff/cases/${other}`);
  assert.equal(empty.statusCode, 303);
  assert.deepEqual((await entries(other)).at(-1)!.payload, { action: 'interviewHeld', actionKind: 'transition', from: 'interview', to: 'checking' });
});

test('two handlers invite at once: one moves the case, the other is told nothing was done; one entry, one e-mail', async () => {
  const id = await submit('twice@example.se');
  const [pageH, pageD] = [(await get(hugo, `/staff/cases/${id}`)).body, (await get(dora, `/staff/cases/${id}`)).body];
  const results = await Promise.all([post(hugo, `/staff/cases/${id}/actions/invite`, { body: 'Hugos tid' }, pageH), post(dora, `/staff/cases/${id}/actions/invite`, { body: 'Doras tid' }, pageD)]);
  const locations = results.map((r) => [r.statusCode, String(r.headers.location)]).sort();
  assert.deepEqual(locations, [
    [303, `/staff/cases/${id}?done=notTaken`],
    [303, `/staff/cases/${id}?done=status`],
  ]);
  const moved = (await entries(id)).filter((e) => e.kind === 'status_changed');
  assert.equal(moved.length, 1, 'the case moved once');
  assert.equal((await mails('twice@example.se', 'invited')).length, 1, 'the applicant is invited once');
  const loser = results.findIndex((r) => String(r.headers.location).endsWith('notTaken'));
  const page = (await get([hugo, dora][loser]!, String(results[loser]!.headers.location))).body;
  assert.match(page, /Någon annan hann ändra ärendet först, så din åtgärd gjordes inte och texten sparades inte\./);
  assert.doesNotMatch(page, new RegExp(loser === 0 ? 'Hugos tid' : 'Doras tid'), 'the losing text is nowhere');
});

/**
 * A case in `checking`, decided with a decision type of the fixture; its resident page and Swedish
 * letter as text, and the English ones (the case made in English, so it has an English letter too).
 */
async function decided(type: string, locale: 'sv' | 'en' = 'sv'): Promise<{ page: string; letter: string; englishPage: string; englishLetter: string }> {
  const id = await submit('anna@example.se', locale);
  await post(hugo, `/staff/cases/${id}/actions/invite`, { body: 'Måndag kl. 9' }, `/staff/cases/${id}`);
  await post(hugo, `/staff/cases/${id}/actions/interviewHeld`, { body: '' }, `/staff/cases/${id}`);
  const r = await post(hugo, `/staff/cases/${id}/actions/decide`, { type, step: 'send' }, `/staff/cases/${id}/actions/decide?type=${type}`);
  assert.equal(r.statusCode, 303, r.body.slice(0, 300));
  assert.equal(await statusOf(id), 'decided');
  const letterIn = async (l: 'sv' | 'en') => {
    const { rows } = await tdb.query<{ id: string }>("SELECT id FROM documents WHERE tenant_id = $1 AND case_id = $2 AND kind = 'decision_letter' AND locale = $3", [id, l]);
    if (!rows[0]) return '';
    const pdf = await get(anna, `/my/cases/${id}/documents/${rows[0].id}.pdf`);
    return (await readPdf(pdf.rawPayload)).text.replace(/\s+/g, ' ');
  };
  const page = (await get(anna, `/my/cases/${id}`)).body;
  const englishPage = (await t.app.inject({ method: 'GET', url: `/my/cases/${id}`, headers: { host: HOST, cookie: `${anna.jar.header()}; mb_lang=en` } })).body;
  return { page, letter: await letterIn('sv'), englishPage, englishLetter: await letterIn('en') };
}

test('the appeal section of each route, on the resident page and in the letter, in both languages', async () => {
  const heading = (html: string) => /<h3[^>]*>([^<]*)<\/h3>\s*<p class="ds-paragraph mb-prewrap">([^<]*)<\/p>\s*(?:<ul|<\/section)/.exec(html);

  let d = await decided('county');
  assert.equal(heading(d.page)?.[1], 'Hur man överklagar');
  assert.match(heading(d.page)![2]!, /^Du kan överklaga beslutet hos länsstyrelsen\. .* skickar annars överklagandet vidare till länsstyrelsen\.$/);
  assert.match(d.letter, /Hur man överklagar Du kan överklaga beslutet hos länsstyrelsen\./);
  assert.equal(heading(d.englishPage)?.[1], 'How to appeal');
  assert.match(heading(d.englishPage)![2]!, /^You can appeal the decision to the county administrative board\./);

  d = await decided('legality');
  assert.equal(heading(d.page)?.[1], 'Laglighetsprövning');
  assert.match(heading(d.page)![2]!, /13 kap\. kommunallagen/);
  assert.match(d.letter, /Laglighetsprövning Beslutet kan inte överklagas med förvaltningsbesvär\./);
  assert.equal(heading(d.englishPage)?.[1], 'Review of legality (laglighetsprövning)');

  d = await decided('final');
  assert.equal(heading(d.page)?.[1], 'Beslutet kan inte överklagas');
  assert.match(d.letter, /Beslutet kan inte överklagas Det finns ingen möjlighet att överklaga det här beslutet\./);
  assert.equal(heading(d.englishPage)?.[1], 'This decision cannot be appealed');


  d = await decided('own-words');
  assert.deepEqual(heading(d.page)?.slice(1), ['Överklaga till Transportstyrelsen', 'Skriv till Transportstyrelsen.']);
  assert.match(d.letter, /Överklaga till Transportstyrelsen Skriv till Transportstyrelsen\./);

  // {decider}: the committee of the service's department in this municipality (ADR 0032).
  d = await decided('committee', 'en');
  assert.deepEqual(heading(d.page)?.slice(1), ['Överklaga till stadsmiljönämnden', 'Skicka överklagandet till stadsmiljönämnden.']);
  assert.match(d.letter, /Överklaga till stadsmiljönämnden Skicka överklagandet till stadsmiljönämnden\./);
  assert.deepEqual(heading(d.englishPage)?.slice(1), ['Appeal to the City Services Committee', 'Send the appeal to the City Services Committee.']);
  assert.match(d.englishLetter, /Appeal to the City Services Committee Send the appeal to the City Services Committee\./);

  // false: no section at all (a report's closing); only the letter's own text follows its heading.
  d = await decided('report-closed');
  assert.deepEqual(heading(d.page)?.slice(1), ['Beslutet', 'Avslutat.']);
  assert.ok(!/överklag|Laglighetsprövning/i.test(d.page), 'the page says nothing of an appeal');
  assert.ok(!/överklag/i.test(d.letter), 'nor does the letter');
});

test('without an appeal route the outcome decides (ADR 0032): an approval has no appeal section, a rejection the ordinary one, in both languages', async () => {
  const heading = (html: string) => /<h3[^>]*>([^<]*)<\/h3>\s*<p class="ds-paragraph mb-prewrap">([^<]*)<\/p>\s*(?:<ul|<\/section)/.exec(html);

  const approval = await decided('hired', 'en');
  assert.deepEqual(heading(approval.page)?.slice(1), ['Beslutet', 'Du erbjuds anställningen.'], 'only the letter text follows its heading');
  assert.deepEqual(heading(approval.englishPage)?.slice(1), ['The decision', 'You are offered the post.']);
  for (const text of [approval.page, approval.englishPage, approval.letter, approval.englishLetter]) {
    assert.doesNotMatch(text, /överklag|appeal/i);
  }
  assert.match(approval.letter, /Du erbjuds anställningen\./, 'the Swedish letter was read');
  assert.match(approval.englishLetter, /You are offered the post\./, 'the English letter was read');

  const rejection = await decided('not-hired', 'en');
  assert.equal(heading(rejection.page)?.[1], 'Hur man överklagar');
  assert.match(heading(rejection.page)![2]!, /^Du kan överklaga beslutet hos förvaltningsrätten\./);
  assert.match(rejection.letter, /Hur man överklagar Du kan överklaga beslutet hos förvaltningsrätten\./);
  assert.equal(heading(rejection.englishPage)?.[1], 'How to appeal');
  assert.match(heading(rejection.englishPage)![2]!, /^You can appeal the decision to the administrative court\./);
  assert.match(rejection.englishLetter, /How to appeal You can appeal the decision to the administrative court\./);
});
