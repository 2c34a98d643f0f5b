/**
 * The journey around the steps (issue 8): the question as the page's heading, who cannot apply
 * (told before any draft), an open case for the same subject (warned, or refused — exactly one case
 * when many are sent at once), resuming at the first unanswered step, the saved page, answers that
 * fail validation never shown as accepted, and a session that ended while a step was open.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CookieJar, createTestApp, csrfFrom, repoRoot, NORRBY, type TestApp } from '../../test/helpers/app.ts';
import { signInResident, ANNA, ELSA, OLLE, type SignedIn } from '../../test/helpers/sign-in.ts';
import { loadCatalogue } from '../catalogue/index.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { createDraft, draftExpiry } from './drafts.repository.ts';

const NOW = '2026-11-23T10:00:00Z';
const SARA = { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' }; // no children
const PER = { personalNumber: '198209249823', givenName: 'Per', familyName: 'Nord' }; // Sigge, born 2019: too old for pre-school
const ANSWERS = { child: ELSA, preschools: ['nby-ekbacken'], startDate: '2027-04-01', careHours: 'from15to30', specialNeeds: 'no', email: 'anna@example.se' };

/**
 * The demo catalogue, with Norrby's pre-school only warning of a second open case for the same
 * child (the default of a service with a subject) rather than refusing it as shipped (ADR 0022).
 */
function warningCatalogue() {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-duplicates-'));
  for (const p of ['tenants.yaml', 'catalogue', 'branding']) cpSync(path.join(repoRoot, p), path.join(dir, p), { recursive: true });
  const services = path.join(dir, 'catalogue/norrby/services.yaml');
  writeFileSync(services, readFileSync(services, 'utf8').replace(/^ {2}forskola:\n/m, '  forskola:\n    subject: { duplicates: warn }\n'));
  return loadCatalogue(loadTenants(path.join(dir, 'tenants.yaml')), { baseDir: dir });
}

// t: pre-school warns; r: the shipped catalogue, where it refuses.
const t = await createTestApp({ now: NOW, catalogue: warningCatalogue() });
const r = await createTestApp({ now: NOW });
after(async () => {
  await t.close();
  await r.close();
});

function client(app: TestApp) {
  async function get(who: SignedIn, url: string) {
    const res = await app.app.inject({ url, headers: { host: who.host, cookie: who.jar.header() } });
    who.jar.store(res.headers['set-cookie']);
    return res;
  }
  async function post(who: SignedIn, url: string, form: Record<string, string | string[]>, page: string) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...form, _csrf: csrfFrom(page) })) for (const x of [v].flat()) body.append(k, x);
    const res = await app.app.inject({ method: 'POST', url, headers: { host: who.host, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
    who.jar.store(res.headers['set-cookie']);
    return res;
  }
  const rows = <T>(sql: string, params: unknown[] = []) => app.tdb.db.query(sql, params).then((x) => x.rows as T[]);
  return { get, post, rows };
}

const h1 = (html: string) => (html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/g) ?? []).map((h) => h.replace(/<[^>]+>/g, '').trim());

test('a step with one question has the question as its h1, whatever its kind; a step with several has its title and each label', async () => {
  const { get } = client(t);
  const anna = await signInResident(t, NORRBY, ANNA);
  const start = await get(anna, '/services/forskola/apply');
  const draft = String(start.headers.location).split('/')[2]!;
  // Radios: the legend is the h1 (the question, not the step's noun "Omsorgstid").
  const hours = await get(anna, `/apply/${draft}/hours`);
  assert.deepEqual(h1(hours.body), ['Hur många timmar i veckan behöver barnet förskola?']);
  assert.match(hours.body, /<legend class="ds-label"><h1[^>]*>Hur många timmar/);
  assert.match(hours.body, /<title>Hur många timmar i veckan behöver barnet förskola\? – Ansök om förskola/);
  // A ranked choice's fieldset: its legend, the question.
  assert.deepEqual(h1((await get(anna, `/apply/${draft}/preschools`)).body), ['Vilka förskolor vill du ha?']);
  // Two questions (one revealed under the other, ADR 0026): the step's title is the h1, and each field keeps its label.
  const needs = await get(anna, `/apply/${draft}/needs`);
  assert.deepEqual(h1(needs.body), ['Behov av särskilt stöd']);
  assert.match(needs.body, /<legend class="ds-label">Har barnet behov av särskilt stöd\?<\/legend>/);
  // A text box alone on its page: its label inside the h1 (GOV.UK's pattern), still the input's label.
  const report = await t.app.inject({ url: '/services/felanmalan/apply', headers: { host: NORRBY } });
  const jar: SignedIn = { jar: new CookieJar(), host: NORRBY, residentId: '' };
  jar.jar.store(report.headers['set-cookie']);
  const reportDraft = String(report.headers.location).split('/')[2]!;
  const contact = await get(jar, `/apply/${reportDraft}/contact`);
  assert.match(contact.body, /<h1 class="ds-heading mb-legend-h1" data-size="lg"><label class="ds-label" for="f-email">Vilken e-postadress vill du få besked till\? \(frivilligt\)<\/label><\/h1>/);
  assert.equal(h1(contact.body).length, 1);
});

test('who cannot apply is told why on the service page and at the start, and no draft is made', async () => {
  const { get, rows } = client(t);
  const sara = await signInResident(t, NORRBY, SARA);
  const page = await get(sara, '/services/forskola');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Du kan inte använda den här e-tjänsten/);
  assert.match(page.body, /Enligt folkbokföringen är du inte vårdnadshavare för något barn/);
  assert.ok(!page.body.includes('href="/services/forskola/apply"'), 'no start button for someone who cannot apply');
  const start = await get(sara, '/services/forskola/apply');
  assert.equal(start.statusCode, 403);
  assert.match(start.body, /Vad du kan göra/);
  assert.match(start.body, /Kontakta Skatteverket/);
  assert.match(start.body, /href="\/contact"/);

  // A child too old: the reason names the age limit from the definition.
  const per = await signInResident(t, NORRBY, PER);
  const perStart = await get(per, '/services/forskola/apply');
  assert.equal(perStart.statusCode, 403);
  assert.match(perStart.body, /inget barn som är 5 år eller yngre/);
  // Per can still choose a school for Sigge (its own age limit).
  assert.equal((await get(per, '/services/skolval')).body.includes('href="/services/skolval/apply"'), true);

  const drafts = await rows<{ owner_id: string }>(`SELECT owner_id FROM drafts WHERE tenant_id = 'norrby' AND owner_id = ANY($1::uuid[])`, [[sara.residentId, per.residentId]]);
  assert.deepEqual(drafts, [], 'no draft for those who cannot apply');

  // Someone who can: the start button, no notice.
  const anna = await signInResident(t, NORRBY, ANNA);
  const annaPage = await get(anna, '/services/forskola');
  assert.ok(annaPage.body.includes('href="/services/forskola/apply"'));
  assert.ok(!annaPage.body.includes('Du kan inte använda'));
  // Not signed in: nothing is known, the page offers the start (sign-in follows).
  const anonymous = await t.app.inject({ url: '/services/forskola', headers: { host: NORRBY } });
  assert.ok(anonymous.body.includes('href="/services/forskola/apply"'));
});

test('an open case for the same child is warned about on check your answers, with a link to it; sending is still possible', async () => {
  const { get, post, rows } = client(t);
  const who = await signInResident(t, NORRBY, { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' });
  const tdb = tenantScope(t.tdb.db, 'norrby');
  const answers = { ...ANSWERS, child: '202309159842' };
  const send = async () => {
    const { id } = await createDraft(tdb, who.residentId, 'forskola', answers, t.clock.now(), t.config.draftRetentionDays);
    await tdb.query(`UPDATE drafts SET completed_steps = $3 WHERE tenant_id = $1 AND id = $2`, [id, ['child', 'preschools', 'start', 'hours', 'needs', 'contact']]);
    const check = await get(who, `/apply/${id}/check`);
    assert.equal(check.statusCode, 200);
    const res = await post(who, `/apply/${id}/submit`, {}, check.body);
    assert.equal(res.headers.location, `/apply/${id}/confirmation`);
    return { id, body: check.body };
  };
  const sent = await send();
  const first = sent.body;
  assert.ok(!first.includes('Det finns redan en öppen ansökan'));
  const { body: second } = await send();
  const own = `FROM cases c JOIN case_parties p ON p.tenant_id = c.tenant_id AND p.case_id = c.id WHERE c.tenant_id = 'norrby' AND p.role = 'applicant' AND p.resident_id = $1`;
  const [open] = await rows<{ id: string; reference: string }>(`SELECT c.id, c.reference ${own} AND c.draft_id = $2`, [who.residentId, sent.id]);
  assert.match(second, /Det finns redan en öppen ansökan för Maja Berg/);
  assert.ok(second.includes(`href="/my/cases/${open!.id}"`), 'links to the open case');
  assert.ok(second.includes(`Öppna ärende ${open!.reference}`));
  const cases = await rows(`SELECT 1 ${own}`, [who.residentId]);
  assert.equal(cases.length, 2, 'warn: the second is sent');
});

test('refuse: the subject question says so, and of many concurrent submissions for one child exactly one becomes a case', async () => {
  const { get, post, rows } = client(r);
  const anna = await signInResident(r, NORRBY, ANNA);
  const tdb = tenantScope(r.tdb.db, 'norrby');
  const N = 12;
  const drafts: string[] = [];
  for (let i = 0; i < N; i++) drafts.push((await createDraft(tdb, anna.residentId, 'forskola', ANSWERS, r.clock.now(), r.config.draftRetentionDays)).id);
  // One token for all: the session's.
  const page = (await get(anna, `/apply/${drafts[0]}/child`)).body;
  const results = await Promise.all(drafts.map((d) => post(anna, `/apply/${d}/submit`, {}, page)));
  const locations = results.map((x) => String(x.headers.location));
  const sent = drafts.filter((d, i) => locations[i] === `/apply/${d}/confirmation`);
  assert.equal(sent.length, 1, locations.join('\n'));
  for (const [i, d] of drafts.entries()) if (d !== sent[0]) assert.equal(locations[i], `/apply/${d}/child?validate=1`);
  const cases = await rows<{ id: string; draft_id: string }>(`SELECT id, draft_id FROM cases WHERE tenant_id = 'norrby' AND service_id = 'forskola'`);
  assert.deepEqual(cases.map((c) => c.draft_id), sent);
  const claims = await rows<{ case_id: string; subject_key: string }>(`SELECT case_id, subject_key FROM subject_claims WHERE tenant_id = 'norrby'`);
  assert.deepEqual(claims.map((c) => c.case_id), [cases[0]!.id]);
  assert.ok(!claims[0]!.subject_key.includes(ELSA), 'the subject is kept hashed');
  const unsent = await rows(`SELECT 1 FROM drafts WHERE tenant_id = 'norrby' AND owner_id = $1 AND submitted_case_id IS NULL`, [anna.residentId]);
  assert.equal(unsent.length, N - 1);

  // The refused draft's subject question says why, naming the case.
  const [ref] = await rows<{ reference: string }>(`SELECT reference FROM cases WHERE tenant_id = 'norrby' AND id = $1`, [cases[0]!.id]);
  const other = drafts.find((d) => d !== sent[0])!;
  const step = await get(anna, `/apply/${other}/child?validate=1`);
  assert.equal(step.statusCode, 400);
  assert.match(step.body, new RegExp(`Det finns redan en öppen ansökan för Elsa Andersson \\(${ref!.reference}\\)`));
  assert.match(step.body, /href="#f-child"/);
  // Choosing the child again on its step is refused too, and the step stays unfinished.
  const again = await post(anna, `/apply/${other}/child`, { child: ELSA }, step.body);
  assert.equal(again.statusCode, 400);
  const [d] = await rows<{ completed_steps: string[] }>(`SELECT completed_steps FROM drafts WHERE tenant_id = 'norrby' AND id = $1`, [other]);
  assert.ok(!d!.completed_steps.includes('child'));

  // Once the case is closed (withdrawn), its claim is released by the next submission.
  await tdb.query(`UPDATE cases SET status = 'withdrawn' WHERE tenant_id = $1 AND id = $2`, [cases[0]!.id]);
  const next = await post(anna, `/apply/${other}/submit`, {}, page);
  assert.equal(next.headers.location, `/apply/${other}/confirmation`);
  const after = await rows<{ case_id: string }>(`SELECT case_id FROM subject_claims WHERE tenant_id = 'norrby'`);
  assert.equal(after.length, 1);
  assert.notEqual(after[0]!.case_id, cases[0]!.id);
});

test('as shipped, a second pre-school application for a child with an open one is refused at the child question in Swedish and English, storing nothing; a sibling’s goes through', async () => {
  const { get, post, rows } = client(r);
  const anna = await signInResident(r, NORRBY, ANNA);
  // Elsa's application (sent in the test above) is open; its reference is named to Anna, a party of it.
  const [open] = await rows<{ id: string; reference: string }>(
    `SELECT c.id, c.reference FROM cases c JOIN case_parties p ON p.tenant_id = c.tenant_id AND p.case_id = c.id
      WHERE c.tenant_id = 'norrby' AND c.service_id = 'forskola' AND c.status = 'submitted' AND p.role = 'subject' AND p.personal_number = $1`,
    [ELSA],
  );
  assert.ok(open, 'an open application for Elsa');
  const counts = async () => (await rows<{ cases: number; claims: number }>(`SELECT (SELECT count(*)::int FROM cases WHERE tenant_id = 'norrby') AS cases, (SELECT count(*)::int FROM subject_claims WHERE tenant_id = 'norrby') AS claims`))[0]!;
  const before = await counts();
  const start = await get(anna, '/services/forskola/apply');
  const draft = String(start.headers.location).split('/')[2]!;
  const page = (await get(anna, `/apply/${draft}/child`)).body;

  let res = await post(anna, `/apply/${draft}/child`, { child: ELSA }, page);
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Det finns ett problem/);
  assert.ok(res.body.includes(`Det finns redan en öppen ansökan för Elsa Andersson (${open.reference}). Välj en annan eller vänta tills den är avslutad.`), 'Swedish: why, naming the open case');
  assert.match(res.body, /<a href="#f-child">/, 'the summary links to the question');
  anna.jar.cookies.set('mb_lang', 'en');
  try {
    res = await post(anna, `/apply/${draft}/child`, { child: ELSA }, page);
    assert.equal(res.statusCode, 400);
    assert.ok(res.body.includes(`There is already an open application for Elsa Andersson (${open.reference}). Choose another or wait until it is closed.`), 'English: the same');
  } finally {
    anna.jar.cookies.delete('mb_lang');
  }
  // Nothing is stored: the step is not finished, and there is no new case or claim.
  const [d] = await rows<{ completed_steps: string[] }>(`SELECT completed_steps FROM drafts WHERE tenant_id = 'norrby' AND id = $1`, [draft]);
  assert.ok(!d!.completed_steps.includes('child'));
  assert.deepEqual(await counts(), before);
  // The other custodian is refused too, without the reference of a case he is no party of.
  const mikael = await signInResident(r, NORRBY, { personalNumber: '198606119819', givenName: 'Mikael', familyName: 'Andersson' });
  const his = String((await get(mikael, '/services/forskola/apply')).headers.location).split('/')[2]!;
  res = await post(mikael, `/apply/${his}/child`, { child: ELSA }, (await get(mikael, `/apply/${his}/child`)).body);
  assert.equal(res.statusCode, 400);
  assert.ok(res.body.includes('Det finns redan en öppen ansökan för Elsa Andersson. Välj en annan eller vänta tills den är avslutad.'));
  assert.ok(!res.body.includes(open.reference), 'the reference is for the parties of the case');

  // Her brother Olle, on the same draft: the step is accepted, and the application sent.
  res = await post(anna, `/apply/${draft}/child`, { child: OLLE }, page);
  assert.equal(res.headers.location, `/apply/${draft}/preschools`);
  for (const [step, form] of [
    ['preschools', { 'preschools.0': 'nby-ekbacken' }],
    ['start', { startDate: '2027-04-01' }],
    ['hours', { careHours: 'from15to30' }],
    ['needs', { specialNeeds: 'no' }],
    ['contact', { email: 'anna@example.se' }],
  ] as const) assert.equal((await post(anna, `/apply/${draft}/${step}`, form, page)).statusCode, 303, step);
  res = await post(anna, `/apply/${draft}/submit`, {}, page);
  assert.equal(res.headers.location, `/apply/${draft}/confirmation`);
  const [made] = await rows<{ status: string; child: string }>(
    `SELECT c.status, p.personal_number AS child FROM cases c JOIN case_parties p ON p.tenant_id = c.tenant_id AND p.case_id = c.id AND p.role = 'subject' WHERE c.tenant_id = 'norrby' AND c.draft_id = $1`,
    [draft],
  );
  assert.deepEqual(made, { status: 'submitted', child: OLLE });
  assert.deepEqual(await counts(), { cases: before.cases + 1, claims: before.claims + 1 });
});

test('continue opens the first unanswered step; save and continue later confirms with the deletion date', async () => {
  const { get, post } = client(t);
  const karin = await signInResident(t, NORRBY, { personalNumber: '198502209862', givenName: 'Karin', familyName: 'Holm' });
  const { id: draft } = await createDraft(tenantScope(t.tdb.db, 'norrby'), karin.residentId, 'forskola', {}, t.clock.now(), t.config.draftRetentionDays);
  const child = await get(karin, `/apply/${draft}/child`);
  let res = await post(karin, `/apply/${draft}/child`, { child: '202302119868' }, child.body);
  assert.equal(res.headers.location, `/apply/${draft}/preschools`);
  // Save and continue later: a page that says how to come back and the day it is deleted.
  res = await post(karin, `/apply/${draft}/preschools`, { 'preschools.0': 'nby-ekbacken', action: 'save' }, child.body);
  assert.equal(res.headers.location, `/apply/${draft}/saved`);
  const saved = await get(karin, `/apply/${draft}/saved`);
  assert.equal(saved.statusCode, 200);
  assert.deepEqual(h1(saved.body), ['Ansökan är sparad']);
  assert.match(saved.body, /Mina ärenden/);
  // The draft's expiry as saved: the retention from now, rounded up to midnight (drafts.repository.ts).
  const deleted = draftExpiry(new Date(NOW), t.config.draftRetentionDays);
  const date = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', dateStyle: 'long' }).format(deleted);
  assert.ok(saved.body.includes(`tas den bort ${date}`), date);
  // My cases' "Continue" and the saved page's link: the first unanswered step, saying so.
  res = await get(karin, `/apply/${draft}`);
  assert.equal(res.headers.location, `/apply/${draft}/start?moved=resumed`);
  const resumed = await get(karin, String(res.headers.location));
  assert.match(resumed.body, /Du fortsätter där du slutade/);
  // Check your answers is never shown with steps left: the first one left is, saying why.
  res = await get(karin, `/apply/${draft}/check`);
  assert.equal(res.headers.location, `/apply/${draft}/start?moved=unfinished`);
  assert.match((await get(karin, String(res.headers.location))).body, /Svara på frågorna på den här sidan först/);
});

test('a repeated choice is refused at the second select, is never shown as accepted, and a later valid step does not move on silently', async () => {
  const { get, post } = client(t);
  const johan = await signInResident(t, NORRBY, { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' });
  const { id: draft } = await createDraft(tenantScope(t.tdb.db, 'norrby'), johan.residentId, 'forskola', {}, t.clock.now(), t.config.draftRetentionDays);
  const page = (await get(johan, `/apply/${draft}/child`)).body;
  await post(johan, `/apply/${draft}/child`, { child: '202212019901' }, page);
  // 1: Ekbacken, 2: (none), 3: Ekbacken — the page closes the ranking up and marks the second select.
  const res = await post(johan, `/apply/${draft}/preschools`, { 'preschools.0': 'nby-ekbacken', 'preschools.1': '', 'preschools.2': 'nby-ekbacken' }, page);
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /href="#f-preschools-1"/);
  assert.match(res.body, /<select class="ds-input" id="f-preschools-1" name="preschools.1" aria-invalid="true" aria-describedby="f-preschools-1-error">/);
  assert.match(res.body, /<select class="ds-input" id="f-preschools" name="preschools.0">/, 'the first select is not marked');
  // The start step answered: the next unfinished one is the refused ranking, and the page says why.
  const moved = await post(johan, `/apply/${draft}/start`, { startDate: '2027-04-01' }, page);
  assert.equal(moved.headers.location, `/apply/${draft}/preschools?moved=unfinished`);
  // With every other step done, check your answers shows the ranking as not accepted, never "1. Ekbacken 2. Ekbacken".
  for (const [step, form] of [['hours', { careHours: 'upTo15' }], ['needs', { specialNeeds: 'no' }], ['contact', { email: 'johan@example.se' }]] as const) await post(johan, `/apply/${draft}/${step}`, form, page);
  await tenantScope(t.tdb.db, 'norrby').query(`UPDATE drafts SET completed_steps = array_append(completed_steps, 'preschools') WHERE tenant_id = $1 AND id = $2`, [draft]);
  const check = await get(johan, `/apply/${draft}/check`);
  assert.equal(check.statusCode, 200);
  assert.match(check.body, /Inte godkänt: Du har valt samma förskola mer än en gång/);
  assert.ok(!/1\. Ekbackens förskola\n2\. Ekbackens förskola/.test(check.body));
});

test('after the session ends, a posted step says so, keeps its answers for after sign-in and offers "Sign in again" to the same step', async () => {
  const { get, post, rows } = client(t);
  const who = await signInResident(t, NORRBY, { personalNumber: '199205059885', givenName: 'Fatima', familyName: 'Said' });
  const { id: draft } = await createDraft(tenantScope(t.tdb.db, 'norrby'), who.residentId, 'forskola', {}, t.clock.now(), t.config.draftRetentionDays);
  const page = (await get(who, `/apply/${draft}/preschools`)).body;
  t.clock.set(new Date(new Date(NOW).getTime() + (t.config.sessionIdleMinutes + 1) * 60_000));
  try {
    const res = await post(who, `/apply/${draft}/preschools`, { 'preschools.0': 'sod-backsippan', 'preschools.1': '', evil: 'x' }, page);
    assert.equal(res.statusCode, 419);
    assert.match(res.body, /Du har blivit utloggad/);
    assert.match(res.body, /Det du skrev på sidan du skickade har vi också sparat/);
    assert.ok(res.body.includes(`href="/sign-in?back=${encodeURIComponent(`/apply/${draft}/preschools`)}"`));
    // Kept in the new anonymous session, the step's own names only; nothing written to the draft.
    const [s] = await rows<{ kind: string; data: Record<string, unknown> }>(`SELECT kind, data FROM sessions WHERE tenant_id = 'norrby' ORDER BY created_at DESC LIMIT 1`);
    assert.equal(s!.kind, 'anonymous');
    assert.deepEqual(s!.data.keptThroughSignIn, { path: `/apply/${draft}/preschools`, form: { 'preschools.0': 'sod-backsippan', 'preschools.1': '' } });
    const [d] = await rows<{ answers: Record<string, unknown> }>(`SELECT answers FROM drafts WHERE tenant_id = 'norrby' AND id = $1`, [draft]);
    assert.deepEqual(d!.answers, {});
    // A page opened after the session ended says so too, with the way back to it.
    const gone = await signInResident(t, NORRBY, { personalNumber: '199205059885', givenName: 'Fatima', familyName: 'Said' });
    t.clock.set(new Date(new Date(NOW).getTime() + 2 * (t.config.sessionIdleMinutes + 1) * 60_000));
    const opened = await get(gone, `/apply/${draft}/check`);
    assert.equal(opened.statusCode, 401);
    assert.match(opened.body, /Du har blivit utloggad/);
    assert.ok(opened.body.includes(`href="/sign-in?back=${encodeURIComponent(`/apply/${draft}/check`)}"`));
  } finally {
    t.clock.set(NOW);
  }
});

test('after the session ends on a follow-up page (ADR 0026), "Sign in again" returns to it, with only its questions kept', async () => {
  const { get, post, rows } = client(t);
  const who = await signInResident(t, NORRBY, { personalNumber: '199205059885', givenName: 'Fatima', familyName: 'Said' });
  const { id: draft } = await createDraft(tenantScope(t.tdb.db, 'norrby'), who.residentId, 'forskola', { startDate: '2027-01-10' }, t.clock.now(), t.config.draftRetentionDays);
  const page = (await get(who, `/apply/${draft}/start?part=more`)).body;
  assert.match(page, /name="earlyReason"/);
  t.clock.set(new Date(new Date(NOW).getTime() + (t.config.sessionIdleMinutes + 1) * 60_000));
  try {
    const res = await post(who, `/apply/${draft}/start?part=more`, { earlyReason: 'Nytt jobb.' }, page);
    assert.equal(res.statusCode, 419);
    assert.ok(res.body.includes(`href="/sign-in?back=${encodeURIComponent(`/apply/${draft}/start?part=more`)}"`));
    const [s] = await rows<{ data: Record<string, unknown> }>(`SELECT data FROM sessions WHERE tenant_id = 'norrby' AND data->'keptThroughSignIn'->>'path' LIKE $1`, [`/apply/${draft}/%`]);
    assert.deepEqual(s!.data.keptThroughSignIn, { path: `/apply/${draft}/start?part=more`, form: { earlyReason: 'Nytt jobb.' } });
  } finally {
    t.clock.set(NOW);
  }
});

test("a definition's own error message is shown in the summary and at the question, in both languages; the messages issue 8 quoted are gone", async () => {
  const { get, post } = client(t);
  for (const locale of ['sv', 'en'] as const) {
    const who = await signInResident(t, NORRBY, { personalNumber: '199205059885', givenName: 'Fatima', familyName: 'Said' }, locale);
    const { id: draft } = await createDraft(tenantScope(t.tdb.db, 'norrby'), who.residentId, 'forskola', {}, t.clock.now(), t.config.draftRetentionDays);
    const own = locale === 'sv' ? 'Välj minst en förskola' : 'Select at least one pre-school';
    let r = await post(who, `/apply/${draft}/preschools`, {}, (await get(who, `/apply/${draft}/preschools`)).body);
    assert.equal(r.statusCode, 400);
    assert.ok(r.body.includes(`<a href="#f-preschools">${own}</a>`), `${locale}: in the summary`);
    assert.match(r.body, new RegExp(`<p class="ds-validation-message"[^>]*id="f-preschools-error">${own}</p>`), `${locale}: at the question`);
    assert.doesNotMatch(r.body, /Välj minst 1 för förskolor i turordning|Select at least 1 for/);
    r = await post(who, `/apply/${draft}/start`, { startDate: '' }, (await get(who, `/apply/${draft}/start`)).body);
    const date = locale === 'sv' ? 'Ange önskat startdatum' : 'Enter the date you would like your child to start';
    assert.ok(r.body.includes(`<a href="#f-startDate">${date}</a>`), `${locale}: the start date's own message`);
    assert.doesNotMatch(r.body, /Enter start date you would like|Fyll i önskat startdatum/);
  }
});
