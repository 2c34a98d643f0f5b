/**
 * The case's history from the reader's side (through HTTP): staff read who wrote and who took the
 * case by name — "Du" for themselves — with what the resident never sees marked internal; the
 * resident's own page keeps speaking to the resident.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, ANNA, HANNA, OLLE } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post, applyForPreschool } = journey(t);

const anna = await signInResident(t, NORRBY, ANNA);
const hanna = await signInStaff(t, NORRBY, HANNA);
const olof = await signInStaff(t, NORRBY, { username: 'olof', displayName: 'Olof Handläggare', roles: ['handler'], departments: ['education'] });

/** The history's entries, newest first: title, the internal label if any, and the text. */
function history(html: string): string[] {
  const section = html.slice(html.indexOf('id="hist-h"'));
  return [...section.matchAll(/<li[^>]*?( class="mb-timeline__internal")?><h3 class="mb-timeline__title">([^<]+)<\/h3>(?:<p class="mb-timeline__tag">([^<]+)<\/p>)?<p class="mb-timeline__meta">.*?<\/p>(?:<p class="mb-timeline__body">([^<]*)<\/p>)?/g)].map(
    (m) => [m[2], m[3], m[4]].filter(Boolean).join(' | ') + (m[1] ? ' [internal]' : ''),
  );
}

test('staff read the history from their side; the resident reads it from theirs', async () => {
  const { caseId } = await applyForPreschool(anna, '202205109826');
  const mine = await get(anna, `/my/cases/${caseId}`);
  assert.equal((await post(anna, `/my/cases/${caseId}/messages`, { body: 'Kan vi börja i augusti?' }, mine.body)).statusCode, 303);

  let page = await get(hanna, `/staff/cases/${caseId}`);
  assert.equal((await post(hanna, `/staff/cases/${caseId}/assign`, { assignee: hanna.staffId }, page.body)).statusCode, 303);
  page = await get(hanna, `/staff/cases/${caseId}`);
  assert.equal((await post(hanna, `/staff/cases/${caseId}/notes`, { body: 'Syskonförtur?' }, page.body)).statusCode, 303);
  assert.equal((await post(hanna, `/staff/cases/${caseId}/messages`, { body: 'Ja, det går bra.' }, page.body)).statusCode, 303);
  page = await get(hanna, `/staff/cases/${caseId}`);
  assert.equal((await post(hanna, `/staff/cases/${caseId}/assign`, { assignee: olof.staffId }, page.body)).statusCode, 303);

  const byHanna = history((await get(hanna, `/staff/cases/${caseId}`)).body);
  assert.deepEqual(byHanna.slice(0, 5), [
    'Du gav ärendet till Olof Handläggare',
    'Du skrev till den sökande | Ja, det går bra.',
    'Intern anteckning | Intern – syns inte för den sökande | Syskonförtur? [internal]',
    'Du tog ärendet',
    'Anna Andersson skrev | Kan vi börja i augusti?',
  ]);
  const byOlof = history((await get(olof, `/staff/cases/${caseId}`)).body);
  assert.deepEqual(byOlof.slice(0, 4), [
    'Hanna Handläggare gav ärendet till dig',
    'Hanna Handläggare skrev till den sökande | Ja, det går bra.',
    'Intern anteckning | Intern – syns inte för den sökande | Syskonförtur? [internal]',
    'Hanna Handläggare tog ärendet',
  ]);
  // The resident's page: their own words, no note, no name of staff.
  const resident = (await get(anna, `/my/cases/${caseId}`)).body;
  assert.match(resident, /Du skrev|You wrote/);
  assert.ok(!resident.includes('Syskonförtur') && !resident.includes('Hanna Handläggare') && !resident.includes('Olof'));
});

test('the case page: the application before the actions and the history, in two columns on a wide screen', async () => {
  // Olle: the case for Elsa above stays open, and a second open application for a child is refused (ADR 0022).
  const { caseId } = await applyForPreschool(anna, OLLE);
  const html = (await get(hanna, `/staff/cases/${caseId}`)).body;
  const at = (s: string) => html.indexOf(s);
  assert.ok(at('class="mb-case"') > 0);
  assert.ok(at('class="mb-case__application"') < at('id="ans-h"'));
  assert.ok(at('id="ans-h"') < at('class="mb-case__work"'), 'the application first (alone on a narrow screen)');
  assert.ok(at('class="mb-case__work"') < at('id="actions-h"') && at('id="actions-h"') < at('id="hist-h"'));
  assert.ok(!/ style="/.test(html), 'no inline style (the CSP forbids it)');
});
