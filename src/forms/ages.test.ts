/**
 * Ages (ADR 0030): who may apply by the age in their e-ID's personal number (`applicantAge`), the
 * applicant's facts in expressions (`$applicant.age`), and a child field's minimum and maximum age.
 * Unit tests of the counting, then HTTP tests on the shipped definitions that use them, each
 * checking the rows stored: a refused applicant leaves no draft answer and no case.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, ANNA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { birthDateOf, luhnCheckDigit } from '../integrations/population-register/index.ts';
import { APPLICANT_KEY } from '../expressions/index.ts';
import { ageCounted, applicantFacts, outsideAge, withApplicantFacts } from './ages.ts';
import { createDraft, saveAnswers } from './drafts.repository.ts';

// ---------------------------------------------------------------------------------------------
// Counting

test('an age is counted on the day (birthdays) or by the year turned', () => {
  assert.equal(ageCounted('2010-12-24', '2026-11-23'), 15, 'the birthday has not come yet');
  assert.equal(ageCounted('2010-12-24', '2026-12-24'), 16, 'on the birthday');
  assert.equal(ageCounted('2010-12-24', '2026-01-01', 'year'), 16, 'by year: the age turned this year, on 1 January too');
  assert.equal(ageCounted('2008-02-29', '2026-02-28'), 17, 'born on 29 February: 18 only on 1 March in a common year');
  assert.equal(ageCounted('2008-02-29', '2026-03-01'), 18);
});

test('outside an age rule: too young below the minimum, too old above the maximum, the bounds included', () => {
  const rule = { min: 15, max: 19, by: 'year' as const };
  assert.equal(outsideAge(rule, '2011-12-31', '2026-06-01'), undefined, 'turns 15 this year');
  assert.equal(outsideAge(rule, '2012-01-01', '2026-06-01'), 'tooYoung', 'turns 14 this year');
  assert.equal(outsideAge(rule, '2007-01-01', '2026-06-01'), undefined, 'turns 19 this year');
  assert.equal(outsideAge(rule, '2006-12-31', '2026-06-01'), 'tooOld', 'turns 20 this year');
  assert.equal(outsideAge({ min: 6 }, '2020-11-24', '2026-11-23'), 'tooYoung', 'by day: six tomorrow');
  assert.equal(outsideAge({ max: 12 }, '2013-11-23', '2026-11-23'), 'tooOld', 'by day: thirteen today');
});

test('the birth date of a personal number, and of a co-ordination number (day + 60)', () => {
  assert.equal(birthDateOf('198803149825'), '1988-03-14');
  // A co-ordination number for someone born 14 March 1988: the day written as 74.
  const nine = '880374982';
  const coordination = `19${nine}${luhnCheckDigit(nine)}`;
  assert.equal(birthDateOf(coordination), '1988-03-14');
  assert.deepEqual(applicantFacts(coordination, '2026-03-13'), { birthDate: '1988-03-14', age: 37, ageThisYear: 38 });
  assert.equal(birthDateOf('201003619819'), '2010-03-01', 'day 61 is the first');
});

test("the applicant's facts sit beside the answers for a resident; none without e-ID, and a posted one is never kept", () => {
  const answers = { school: 'Norrby gymnasium', [APPLICANT_KEY]: { birthDate: '1900-01-01', age: 126, ageThisYear: 126 } } as never;
  const withFacts = withApplicantFacts(answers, ANNA.personalNumber, '2026-11-23');
  assert.deepEqual(withFacts[APPLICANT_KEY], { birthDate: '1988-03-14', age: 38, ageThisYear: 38 });
  assert.equal(withFacts.school, 'Norrby gymnasium');
  assert.equal(APPLICANT_KEY in withApplicantFacts(answers, undefined, '2026-11-23'), false);
  assert.deepEqual((answers as Record<string, unknown>)[APPLICANT_KEY], { birthDate: '1900-01-01', age: 126, ageThisYear: 126 }, 'the answers given are not changed');
});

// ---------------------------------------------------------------------------------------------
// Through HTTP, on the shipped definitions

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const tdb = tenantScope(t.tdb.db, 'norrby');

/** Demo residents of Norrby (src/integrations/population-register/demo-data.yaml). */
const NOAH = { personalNumber: '201003159819', givenName: 'Noah', familyName: 'Strand' }; // 16
const JONAS = { personalNumber: '198004129857', givenName: 'Jonas', familyName: 'Lund' }; // Leo (9) and Ines (3)
const LEO = '201705199865';
const INES = '202303039941';

async function get(who: SignedIn, url: string) {
  const r = await t.app.inject({ url, headers: { host: who.host, cookie: who.jar.header() } });
  who.jar.store(r.headers['set-cookie']);
  return r;
}

/** Posts a form with the session's CSRF token, read from `tokenPage`. */
async function post(who: SignedIn, url: string, form: Record<string, string>, tokenPage: string) {
  const token = csrfFrom((await get(who, tokenPage)).body);
  const body = new URLSearchParams({ ...form, _csrf: token });
  const r = await t.app.inject({ method: 'POST', url, headers: { host: who.host, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  who.jar.store(r.headers['set-cookie']);
  return r;
}

async function draftOf(draftId: string) {
  const { rows } = await tdb.query<{ answers: Record<string, unknown> }>('SELECT answers FROM drafts WHERE tenant_id = $1 AND id = $2', [draftId]);
  return rows[0]!.answers;
}
async function stepDone(draftId: string, stepId: string): Promise<boolean> {
  const { rows } = await tdb.query<{ completed_steps: string[] }>('SELECT completed_steps FROM drafts WHERE tenant_id = $1 AND id = $2', [draftId]);
  return rows[0]!.completed_steps.includes(stepId);
}
async function casesOf(residentId: string, serviceId: string): Promise<number> {
  const { rows } = await tdb.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM cases c JOIN case_parties p ON p.tenant_id = c.tenant_id AND p.case_id = c.id
      WHERE c.tenant_id = $1 AND c.service_id = $2 AND p.resident_id = $3`,
    [serviceId, residentId],
  );
  return rows[0]!.n;
}
async function draftsOf(residentId: string, serviceId: string): Promise<number> {
  const { rows } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM drafts WHERE tenant_id = $1 AND owner_id = $2 AND service_id = $3', [residentId, serviceId]);
  return rows[0]!.n;
}

test('someone outside the applicant ages is told why on the service page and at the start, in Swedish and English, and no draft is made', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const page = await get(anna, '/services/sommarjobb');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Du kan inte använda den här e-tjänsten/);
  assert.match(page.body, /E-tjänsten är för dig som fyller 15–19 år i år\. Enligt ditt personnummer fyller du 38 år i år\./);
  assert.doesNotMatch(page.body, /href="\/services\/sommarjobb\/apply"/, 'no start button');
  const start = await get(anna, '/services/sommarjobb/apply');
  assert.equal(start.statusCode, 403);
  assert.match(start.body, /fyller du 38 år i år/);
  assert.match(start.body, /Åldern räknas från födelsedatumet i ditt personnummer/);
  assert.equal(await draftsOf(anna.residentId, 'sommarjobb'), 0);

  const annaEn = await signInResident(t, NORRBY, ANNA, 'en');
  const en = await get(annaEn, '/services/sommarjobb/apply');
  assert.equal(en.statusCode, 403);
  assert.match(en.body, /The service is for people who turn 15 to 19 this year\. According to your personal identity number you turn 38 this year\./);
});

test('a direct post of a step or the submission by someone outside the ages is refused: nothing saved, no case', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  // A draft made before the age rule (or forged): the owner is Anna, the service restricted.
  const draft = await createDraft(tdb, anna.residentId, 'sommarjobb', {}, t.clock.now(), 30, 1);
  const step = await post(anna, `/apply/${draft.id}/about-you`, { school: 'Norrby skola', schoolYear: 'upper1' }, '/my/cases');
  assert.equal(step.statusCode, 403);
  assert.match(step.body, /fyller du 38 år i år/);
  assert.deepEqual(await draftOf(draft.id), {}, 'the posted answers were not saved');
  const submit = await post(anna, `/apply/${draft.id}/submit`, {}, '/my/cases');
  assert.equal(submit.statusCode, 403);
  assert.equal(await casesOf(anna.residentId, 'sommarjobb'), 0, 'no case was made');
  assert.equal((await get(anna, `/apply/${draft.id}/check`)).statusCode, 403);
});

test("a young applicant starts, and a question whose condition reads $applicant.age is asked of them; the facts are never stored in the draft", async () => {
  const noah = await signInResident(t, NORRBY, NOAH);
  const start = await get(noah, '/services/sommarjobb/apply');
  assert.equal(start.statusCode, 303);
  const m = /^\/apply\/([0-9a-f-]{36})\/about-you$/.exec(String(start.headers.location));
  assert.ok(m, String(start.headers.location));
  const draftId = m[1]!;
  const page = await get(noah, `/apply/${draftId}/about-you`);
  assert.match(page.body, /name="custodianNumber"/, 'under 18: the custodian is asked');
  const missing = await post(noah, `/apply/${draftId}/about-you`, { school: 'Norrby skola', schoolYear: 'upper1' }, `/apply/${draftId}/about-you`);
  assert.equal(missing.statusCode, 400, 'the custodian question is required when it is asked');
  assert.match(missing.body, /din vårdnadshavares personnummer/);
  const ok = await post(noah, `/apply/${draftId}/about-you`, { custodianNumber: '19860611-9819', school: 'Norrby skola', schoolYear: 'upper1' }, `/apply/${draftId}/about-you`);
  assert.equal(ok.statusCode, 303);
  const stored = await draftOf(draftId);
  assert.equal(stored.custodianNumber, '198606119819');
  assert.equal(APPLICANT_KEY in stored, false, 'the facts are read from the e-ID on every request, not kept');
});

test("a step whose condition reads the applicant's age is skipped for an adult and asked of a pupil under 18", async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const noah = await signInResident(t, NORRBY, NOAH);
  for (const [who, next] of [
    [anna, 'contact'],
    [noah, 'custodian'],
  ] as const) {
    const draft = await createDraft(tdb, who.residentId, 'ledighet-gymnasium', {}, t.clock.now(), 30, 1);
    for (const step of ['school', 'leave', 'courses']) await saveAnswers(tdb, draft.id, {}, step, true, t.clock.now(), 30);
    const r = await get(who, `/apply/${draft.id}`);
    assert.equal(r.statusCode, 303);
    assert.match(String(r.headers.location), new RegExp(`^/apply/${draft.id}/${next}\\?`), `${who === anna ? 'Anna (38)' : 'Noah (16)'}: ${r.headers.location}`);
  }
});

test('a child field with a minimum age: no child inside it is told why; a child outside it is not offered and is refused by name', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const page = await get(anna, '/services/fritidshem');
  assert.match(page.body, /Enligt folkbokföringen har du inget barn som fyller 6–13 år i år\./);
  assert.equal((await get(anna, '/services/fritidshem/apply')).statusCode, 403);
  assert.equal(await draftsOf(anna.residentId, 'fritidshem'), 0);

  const jonas = await signInResident(t, NORRBY, JONAS);
  const start = await get(jonas, '/services/fritidshem/apply');
  assert.equal(start.statusCode, 303);
  const draftId = /^\/apply\/([0-9a-f-]{36})\/child$/.exec(String(start.headers.location))![1]!;
  const step = await get(jonas, `/apply/${draftId}/child`);
  assert.match(step.body, new RegExp(`value="${LEO}"`), 'Leo (9) is offered');
  assert.doesNotMatch(step.body, new RegExp(`value="${INES}"`), 'Ines (3) is not');
  const refused = await post(jonas, `/apply/${draftId}/child`, { child: INES }, `/apply/${draftId}/child`);
  assert.equal(refused.statusCode, 400);
  assert.match(refused.body, /Ines Lund är för ung för den här ansökan\. Barnet måste fylla minst 6 år i år\./);
  assert.equal(await stepDone(draftId, 'child'), false, 'the step is not done with a refused child');
  const chosen = await post(jonas, `/apply/${draftId}/child`, { child: LEO }, `/apply/${draftId}/child`);
  assert.equal(chosen.statusCode, 303);
  assert.equal((await draftOf(draftId)).child, LEO);
  assert.equal(await stepDone(draftId, 'child'), true);

  const jonasEn = await signInResident(t, NORRBY, JONAS, 'en');
  const en = await post(jonasEn, `/apply/${draftId}/child`, { child: INES }, `/apply/${draftId}/child`);
  assert.match(en.body, /Ines Lund is too young for this application\. The child must turn at least 6 this year\./);
});
