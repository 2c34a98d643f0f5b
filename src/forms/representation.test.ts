/**
 * Applying for someone one legally represents (ADR 0033), over HTTP on a real database, with the
 * demo representation register (src/integrations/representation-register/demo-data.yaml): Sara Lind
 * is Gösta Lindgren's god man, Erik Berg Margit Ström's förvaltare, Anna Andersson holds Birgitta
 * Dahl's power of attorney for elderly care until 2027-12-31, and Karin Holm's from her has ended.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createTestApp, csrfFrom, repoRoot, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { tenantsFileWithCatalogue } from '../../test/helpers/test-catalogue.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { DemoRepresentationRegister, type RepresentationRegister } from '../integrations/representation-register/index.ts';

// The demo register, with a switch that ends every representation (as the överförmyndare may while a draft waits).
const demo = new DemoRepresentationRegister();
let ended = false;
const representation: RepresentationRegister = { name: 'demo', representedBy: async (tenantId, pn) => (ended ? [] : demo.representedBy(tenantId, pn)) };

const t = await createTestApp({
  now: '2026-11-23T10:00:00Z',
  env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(path.join(repoRoot, 'test/fixtures/catalogue-representation')) },
  registers: { representation },
});
after(() => t.close());
const norrby = tenantScope(t.tdb.db, 'norrby');

const SARA = { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' };
const ERIK = { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' };
const KARIN = { personalNumber: '198502209862', givenName: 'Karin', familyName: 'Holm' };
const JONAS = { personalNumber: '198004129857', givenName: 'Jonas', familyName: 'Lund' };
const GOSTA = { personalNumber: '193805129875', givenName: 'Gösta', familyName: 'Lindgren' };
const MARGIT = '194109039828';
const BIRGITTA = '194502179916';

async function get(who: SignedIn, url: string) {
  const r = await t.app.inject({ url, headers: { host: who.host, cookie: who.jar.header() } });
  who.jar.store(r.headers['set-cookie']);
  return r;
}
async function post(who: SignedIn, url: string, form: Record<string, string>, page: string) {
  const body = new URLSearchParams({ ...form, _csrf: csrfFrom(page) });
  const r = await t.app.inject({ method: 'POST', url, headers: { host: who.host, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  who.jar.store(r.headers['set-cookie']);
  return r;
}
async function count(sql: string, params: unknown[]): Promise<number> {
  const { rows } = await norrby.query<{ n: number }>(sql, params);
  return rows[0]!.n;
}
const draftsOf = (who: SignedIn) => count('SELECT count(*)::int AS n FROM drafts WHERE tenant_id = $1 AND owner_id = $2', [who.residentId]);

/** Chooses whom the application is for and answers its one step; returns the draft id and the step page. */
async function startFor(who: SignedIn, service: string, personalNumber: string): Promise<{ draft: string; step: string }> {
  const start = await get(who, `/services/${service}/apply`);
  assert.equal(start.headers.location, `/services/${service}/on-behalf`);
  const page = await get(who, `/services/${service}/on-behalf`);
  const chosen = await post(who, `/services/${service}/on-behalf`, { for: personalNumber }, page.body);
  assert.equal(chosen.statusCode, 303);
  const m = /^\/apply\/([0-9a-f-]{36})\/home$/.exec(String(chosen.headers.location));
  assert.ok(m, String(chosen.headers.location));
  return { draft: m[1]!, step: (await get(who, `/apply/${m[1]}/home`)).body };
}

async function answerAndSubmit(who: SignedIn, draft: string, step: string, email: string) {
  const street = /name="address\.street"[^>]*value="([^"]*)"/.exec(step)?.[1] ?? '';
  const postalCode = /name="address\.postalCode"[^>]*value="([^"]*)"/.exec(step)?.[1] ?? '';
  const town = /name="address\.town"[^>]*value="([^"]*)"/.exec(step)?.[1] ?? '';
  const saved = await post(who, `/apply/${draft}/home`, { 'address.street': street, 'address.postalCode': postalCode, 'address.town': town, need: 'Hjälp med inköp', email }, step);
  assert.equal(saved.headers.location, `/apply/${draft}/check`);
  const check = await get(who, `/apply/${draft}/check`);
  const sent = await post(who, `/apply/${draft}/submit`, {}, check.body);
  return { check, sent };
}

async function caseOfDraft(draft: string) {
  const { rows } = await norrby.query<{ id: string; reference: string }>('SELECT id, reference FROM cases WHERE tenant_id = $1 AND draft_id = $2', [draft]);
  return rows[0];
}

const sara = await signInResident(t, NORRBY, SARA, 'sv');
const jonas = await signInResident(t, NORRBY, JONAS, 'sv');

test('a god man chooses the person they represent: the case is theirs, the god man its representative; the register prefills their address; the journal says who acted and how', async () => {
  const page = await get(sara, '/services/care/on-behalf');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Vem gäller ansökan\?/);
  assert.match(page.body, /value="self"[^>]*>[\s\S]*Mig själv/);
  assert.match(page.body, new RegExp(`value="${GOSTA.personalNumber}"[^>]*>[\\s\\S]*Gösta Lindgren[\\s\\S]*Du är god man\\.`));
  const { draft, step } = await startFor(sara, 'care', GOSTA.personalNumber);
  // Gösta's registered address, not Sara's.
  assert.match(step, /name="address\.street"[^>]*value="Tallvägen 4"/);
  const { check, sent } = await answerAndSubmit(sara, draft, step, 'sara@example.se');
  assert.match(check.body, /Du ansöker för Gösta Lindgren som god man\./);
  assert.equal(sent.headers.location, `/apply/${draft}/confirmation`);
  const made = (await caseOfDraft(draft))!;

  const { rows: parties } = await norrby.query<{ id: string; role: string; resident_id: string | null; personal_number: string; name: string; acting_for: string | null; details: Record<string, unknown> }>(
    'SELECT id, role, resident_id, personal_number, name, acting_for, details FROM case_parties WHERE tenant_id = $1 AND case_id = $2 ORDER BY role',
    [made.id],
  );
  const applicant = parties.find((p) => p.role === 'applicant')!;
  const rep = parties.find((p) => p.role === 'representative')!;
  assert.deepEqual([applicant.personal_number, applicant.name, applicant.resident_id], [GOSTA.personalNumber, 'Gösta Lindgren', null]);
  assert.deepEqual([rep.resident_id, rep.personal_number, rep.acting_for, rep.details], [sara.residentId, SARA.personalNumber, applicant.id, { capacity: 'godman' }]);

  const { rows: journal } = await norrby.query<{ actor_kind: string; actor_id: string; payload: { actedAs?: Record<string, unknown> } }>(
    "SELECT actor_kind, actor_id, payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'submitted'",
    [made.id],
  );
  assert.equal(journal[0]!.actor_kind, 'resident');
  assert.equal(journal[0]!.actor_id, sara.residentId);
  assert.deepEqual(journal[0]!.payload.actedAs, { party: rep.id, role: 'representative', for: applicant.id, capacity: 'godman' });

  // Sara follows it under My cases, reads it and writes a message, recorded in her capacity.
  assert.match((await get(sara, '/my/cases')).body, new RegExp(made.reference));
  const mine = await get(sara, `/my/cases/${made.id}`);
  assert.equal(mine.statusCode, 200);
  const wrote = await post(sara, `/my/cases/${made.id}/messages`, { body: 'Gösta vill helst ha hjälp på förmiddagen.' }, mine.body);
  assert.equal(wrote.statusCode, 303);
  const { rows: messages } = await norrby.query<{ payload: { actedAs?: { capacity?: string } } }>("SELECT payload FROM journal WHERE tenant_id = $1 AND case_id = $2 AND kind = 'message'", [made.id]);
  assert.equal(messages[0]!.payload.actedAs?.capacity, 'godman');

  // Gösta himself, once signed in, reads his own case as its applicant.
  const gosta = await signInResident(t, NORRBY, GOSTA, 'sv');
  assert.equal((await get(gosta, `/my/cases/${made.id}`)).statusCode, 200);
  // Nobody else sees it: not in their list, and the page is "not found".
  assert.equal((await get(jonas, `/my/cases/${made.id}`)).statusCode, 404);
  assert.doesNotMatch((await get(jonas, '/my/cases')).body, new RegExp(made.reference));
});

test('the decision letter is addressed to the represented person c/o the representative, in both languages; the decision e-mail goes to the representative', async () => {
  const erik = await signInResident(t, NORRBY, ERIK, 'en');
  const page = await get(erik, '/services/care/on-behalf');
  assert.match(page.body, /You are their administrator \(förvaltare\)\./);
  const { draft, step } = await startFor(erik, 'care', MARGIT);
  const { check } = await answerAndSubmit(erik, draft, step, 'erik@example.se');
  assert.match(check.body, /You are applying for Margit Ström as their administrator \(förvaltare\)\./);
  const made = (await caseOfDraft(draft))!;
  const handler = await signInStaff(t, NORRBY, { username: 'sigrid', displayName: 'Sigrid Socialsekreterare', roles: ['handler'], departments: ['social-services'] });
  const form = await get(handler, `/staff/cases/${made.id}/actions/decide?type=granted`);
  assert.equal(form.statusCode, 200);
  const checked = await post(handler, `/staff/cases/${made.id}/actions/decide`, { type: 'granted', step: 'check' }, form.body);
  assert.equal(checked.statusCode, 303);
  const confirm = await get(handler, String(checked.headers.location));
  // The Swedish letter, and the English one (the language Erik applied in), each with the address of Erik, who reads Margit's post.
  assert.match(confirm.body, /<article class="mb-letter" lang="sv"[\s\S]*Margit Ström[\s\S]*c\/o Erik Berg, förvaltare[\s\S]*Björkvägen 3 lgh 1102/);
  assert.match(confirm.body, /<article class="mb-letter" lang="en"[\s\S]*Margit Ström[\s\S]*c\/o Erik Berg, administrator \(förvaltare\)[\s\S]*Björkvägen 3 lgh 1102/);
  const decided = await post(handler, `/staff/cases/${made.id}/actions/decide`, { type: 'granted', step: 'send' }, confirm.body);
  assert.equal(decided.statusCode, 303);
  assert.equal(await count("SELECT count(*)::int AS n FROM cases WHERE tenant_id = $1 AND id = $2 AND status = 'decided'", [made.id]), 1);
  assert.ok((await count("SELECT count(*)::int AS n FROM outbox WHERE tenant_id = $1 AND payload->>'to' = 'erik@example.se'", [])) >= 2, 'the receipt and the decision');
  // Erik reads the decision on his case page.
  assert.match((await get(erik, `/my/cases/${made.id}`)).body, /Granted/);
});

test('a forged post naming someone the resident does not represent is refused with 403, and nothing is stored', async () => {
  const before = await draftsOf(jonas);
  // Jonas represents nobody: he is not asked, and his post naming Gösta is refused.
  assert.match(String((await get(jonas, '/services/care/apply')).headers.location), /^\/apply\/[0-9a-f-]{36}\/home$/);
  const own = await draftsOf(jonas);
  assert.equal(own, before + 1, 'his own draft');
  // The page offers him only himself; a post naming Gösta anyway is forged.
  const offered = await get(jonas, '/services/care/on-behalf');
  assert.doesNotMatch(offered.body, new RegExp(`value="${GOSTA.personalNumber}"`));
  const forged = await post(jonas, '/services/care/on-behalf', { for: GOSTA.personalNumber }, offered.body);
  assert.equal(forged.statusCode, 403);
  assert.match(forged.body, /Du kan inte ansöka för den personen/);
  assert.equal(await draftsOf(jonas), own);
  // Sara, god man for Gösta, cannot name Margit (Erik's) either.
  const page = await get(sara, '/services/care/on-behalf');
  const saraDrafts = await draftsOf(sara);
  const other = await post(sara, '/services/care/on-behalf', { for: MARGIT }, page.body);
  assert.equal(other.statusCode, 403);
  assert.equal(await draftsOf(sara), saraDrafts);
  // Choosing nobody is a question to answer, not a refusal.
  const none = await post(sara, '/services/care/on-behalf', {}, page.body);
  assert.equal(none.statusCode, 400);
  assert.match(none.body, /Välj vem ansökan gäller/);
});

test('an ended power of attorney, or one that does not cover the service, cannot be chosen; the page says why', async () => {
  const karin = await signInResident(t, NORRBY, KARIN, 'sv');
  assert.equal((await get(karin, '/services/care/apply')).headers.location, '/services/care/on-behalf');
  const page = await get(karin, '/services/care/on-behalf');
  assert.doesNotMatch(page.body, new RegExp(`value="${BIRGITTA}"`));
  assert.match(page.body, /Birgitta Dahl: ditt uppdrag som ombud med fullmakt gällde till och med 30 juni 2026\./);
  const before = await draftsOf(karin);
  const refused = await post(karin, '/services/care/on-behalf', { for: BIRGITTA }, page.body);
  assert.equal(refused.statusCode, 403);
  assert.equal(await draftsOf(karin), before);
  // Anna's power of attorney covers elderly care, not transport.
  const anna = await signInResident(t, NORRBY, ANNA, 'sv');
  assert.match((await get(anna, '/services/care/on-behalf')).body, new RegExp(`value="${BIRGITTA}"[\\s\\S]*Du är ombud med fullmakt till och med 31 december 2027\\.`));
  const transport = await get(anna, '/services/transport/on-behalf');
  assert.doesNotMatch(transport.body, new RegExp(`value="${BIRGITTA}"`));
  assert.match(transport.body, /Birgitta Dahl: din fullmakt gäller inte den här sortens ärenden\./);
  assert.equal((await post(anna, '/services/transport/on-behalf', { for: BIRGITTA }, transport.body)).statusCode, 403);
  // Applying for oneself stays open to all of them.
  assert.match(String((await post(karin, '/services/care/on-behalf', { for: 'self' }, page.body)).headers.location), /^\/apply\/[0-9a-f-]{36}\/home$/);
});

test('a representation that ends while the draft waits is checked again at submission: refused, no case', async () => {
  const anna = await signInResident(t, NORRBY, ANNA, 'sv');
  const { draft, step } = await startFor(anna, 'care', BIRGITTA);
  assert.match(step, /name="address\.street"[^>]*value="Ringvägen 9"/);
  ended = true;
  try {
    const { sent } = await answerAndSubmit(anna, draft, step, 'anna@example.se');
    assert.equal(sent.statusCode, 403);
    assert.match(sent.body, /Du kan inte längre skicka ansökan för Birgitta Dahl/);
    assert.equal(await caseOfDraft(draft), undefined);
  } finally {
    ended = false;
  }
  // With the power of attorney back in the register, the same draft is sent.
  const check = await get(anna, `/apply/${draft}/check`);
  assert.equal((await post(anna, `/apply/${draft}/submit`, {}, check.body)).headers.location, `/apply/${draft}/confirmation`);
  assert.ok(await caseOfDraft(draft));
});
