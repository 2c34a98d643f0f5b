/**
 * The forms engine with the expression language (ADR 0009), through HTTP on a service that uses
 * it: the old disagreement (a question shown by a multiple-choice answer was never required by
 * the server), a default, a cross-field rule with its own message, computed values shown on
 * check your answers and stored with the case.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, NORRBY } from '../../test/helpers/app.ts';
import { expressionTenantsFile } from '../../test/helpers/expression-catalogue.ts';
import { signInResident, ANNA, ELSA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { tenantScope } from '../kernel/db/index.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z', env: { MEDBORG_TENANTS: expressionTenantsFile() } });
after(() => t.close());

async function get(who: SignedIn, url: string) {
  const r = await t.app.inject({ url, headers: { host: who.host, cookie: who.jar.header() } });
  who.jar.store(r.headers['set-cookie']);
  return r;
}

async function post(who: SignedIn, url: string, form: Record<string, string | string[]>) {
  const token = csrfFrom((await get(who, url.replace(/\/submit$/, '/check'))).body);
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...form, _csrf: token })) for (const x of [v].flat()) body.append(k, x);
  const r = await t.app.inject({ method: 'POST', url, headers: { host: who.host, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: body.toString() });
  who.jar.store(r.headers['set-cookie']);
  return r;
}

async function upToExtra(who: SignedIn): Promise<string> {
  const r = await get(who, '/services/forskola/apply');
  const draft = /\/apply\/([0-9a-f-]{36})\//.exec(String(r.headers.location))![1]!;
  const steps: [string, Record<string, string>][] = [
    ['child', { child: ELSA }],
    ['preschools', { 'preschools.0': 'nby-ekbacken', 'preschools.1': 'nby-solrosen' }],
    ['start', { startDate: '2027-04-01', earlyReason: '' }],
    ['hours', { careHours: 'over30' }],
    ['needs', { specialNeeds: 'no', specialNeedsDescription: '' }],
  ];
  for (const [step, form] of steps) {
    const res = await post(who, `/apply/${draft}/${step}`, form);
    assert.equal(res.statusCode, 303, `${step}: ${res.body.slice(0, 300)}`);
  }
  return draft;
}

test('a question shown by a multiple-choice answer is required by the server when the value is chosen', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draft = await upToExtra(anna);
  const page = await get(anna, `/apply/${draft}/extra`);
  assert.equal(page.statusCode, 200);
  // The browser gets the same condition, in JSON Logic, and today from the server.
  assert.match(page.body, /data-today="2026-11-23"/);
  // A default: a year after the start date given on an earlier step, until the person answers.
  assert.match(page.body, /name="endDate" type="text" value="2028-04-01"/);
  assert.ok(page.body.includes(`data-when="${JSON.stringify({ or: [{ has: [{ var: 'careTimes' }, 'evening'] }, { has: [{ var: 'careTimes' }, 'night'] }] }).replace(/"/g, '&quot;')}"`), 'legacy condition sent as JSON Logic');

  // Evening chosen (with day), the questions revealed by the browser: the reason is asked for, and missing.
  const asked = ['eveningReason', 'nightPlace'];
  let r = await post(anna, `/apply/${draft}/extra`, { careTimes: ['day', 'evening'], eveningReason: '', nightPlace: '', endDate: '', _asked: asked });
  assert.equal(r.statusCode, 400, 'the old evaluator never held on a list answer, so this was 303');
  assert.match(r.body, /href="#f-eveningReason"/);
  assert.doesNotMatch(r.body, /href="#f-nightPlace"/, 'night was not chosen');
  // Night chosen: JSON Logic's own "in" on the list holds too.
  r = await post(anna, `/apply/${draft}/extra`, { careTimes: ['night'], eveningReason: 'Skiftarbete', nightPlace: '', endDate: '', _asked: asked });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /href="#f-nightPlace"/);
  // Without JavaScript (nothing of the hidden questions sent): the one that applies is asked on the follow-up page.
  r = await post(anna, `/apply/${draft}/extra`, { careTimes: ['night'], endDate: '' });
  assert.equal(r.headers.location, `/apply/${draft}/extra?part=more`);
  const more = await get(anna, `/apply/${draft}/extra?part=more`);
  assert.match(more.body, /name="nightPlace"/);
  assert.match(more.body, /name="eveningReason"/, 'asked for evenings and nights');
  assert.doesNotMatch(more.body, /name="careTimes"/, 'only the questions that apply');
  // Only day: neither question applies.
  r = await post(anna, `/apply/${draft}/extra`, { careTimes: ['day'], eveningReason: '', nightPlace: '', endDate: '' });
  assert.equal(r.statusCode, 303, r.body.slice(0, 500));
  const tdb = tenantScope(t.tdb.db, 'norrby');
  const { rows } = await tdb.query<{ answers: Record<string, unknown> }>('SELECT answers FROM drafts WHERE tenant_id = $1 AND id = $2', [draft]);
  assert.deepEqual(rows[0]!.answers.careTimes, ['day']);
});

test('a rule shows its own message; computed values are shown and stored', async () => {
  const anna = await signInResident(t, NORRBY, ANNA);
  const draft = await upToExtra(anna);
  let r = await post(anna, `/apply/${draft}/extra`, { careTimes: ['day', 'evening'], eveningReason: 'Skiftarbete', nightPlace: '', endDate: '2027-03-01' });
  assert.equal(r.statusCode, 400);
  assert.match(r.body, /Slutdatumet måste vara efter startdatumet/);
  assert.match(r.body, /href="#f-endDate"/);
  // Left empty, the optional end date is no error: the rule is checked on an answer.
  r = await post(anna, `/apply/${draft}/extra`, { careTimes: ['day', 'evening'], eveningReason: 'Skiftarbete', nightPlace: '', endDate: '' });
  assert.equal(r.statusCode, 303);
  // Evening no longer ticked: the reason (still posted by the form, hidden) is kept in the draft
  // but neither stored with the case nor counted by a computed value.
  r = await post(anna, `/apply/${draft}/extra`, { careTimes: ['day'], eveningReason: 'Skiftarbete', nightPlace: '', endDate: '2028-01-31' });
  assert.equal(r.statusCode, 303);
  r = await post(anna, `/apply/${draft}/contact`, { email: 'anna@example.se', phone: '' });
  assert.equal(r.statusCode, 303);

  const check = await get(anna, `/apply/${draft}/check`);
  assert.match(check.body, /Beräknat utifrån dina svar/);
  assert.match(check.body, /Ungefärliga timmar per vecka/);
  assert.doesNotMatch(check.body, /timesCount/, 'a computed value without a label is not shown');

  r = await post(anna, `/apply/${draft}/submit`, {});
  assert.equal(r.statusCode, 303);
  const tdb = tenantScope(t.tdb.db, 'norrby');
  const { rows } = await tdb.query<{ answers: Record<string, unknown> }>(
    'SELECT c.answers FROM cases c JOIN drafts d ON d.tenant_id = c.tenant_id AND d.submitted_case_id = c.id WHERE c.tenant_id = $1 AND d.id = $2',
    [draft],
  );
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0]!.answers.$computed, { hoursGuess: 40, timesCount: 1, reasonGiven: false });
  assert.equal(rows[0]!.answers.endDate, '2028-01-31');
  assert.equal(rows[0]!.answers.eveningReason, undefined);
});
