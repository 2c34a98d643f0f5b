/** The staff home page tells a handler how much work waits, and links to exactly those cases. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../test/helpers/app.ts';
import { signInResident, signInStaff, staffSession, ANNA, HANNA } from '../../test/helpers/sign-in.ts';
import { journey } from '../../test/helpers/journey.ts';

const t = await createTestApp({ now: '2026-11-23T10:00:00Z' });
after(() => t.close());
const { get, post, applyForPreschool } = journey(t);

const anna = await signInResident(t, NORRBY, ANNA, 'en');
const handler = await signInStaff(t, NORRBY, HANNA);
const officer = await signInStaff(t, NORRBY, { username: 'sam', displayName: 'Sam Säkerhet', roles: ['security_officer'], departments: [] });

const figures = (html: string) => {
  const section = /<section aria-labelledby="staff-inbox">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
  return [...section.matchAll(/<a class="ds-link" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1]!.replace(/&amp;/g, '&'), m[2]!]);
};

test('the handler sees open, own, unassigned and overdue counts linked to the filtered inbox', async () => {
  assert.deepEqual(figures((await get(handler, '/staff')).body), [
    ['/staff/cases', 'Öppna ärenden: 0'],
    ['/staff/cases?assignee=me', 'Tilldelade dig: 0'],
    ['/staff/cases?assignee=none', 'Ej tilldelade: 0'],
    ['/staff/cases?overdue=1', 'Försenade: 0'],
  ]);
  const first = await applyForPreschool(anna, '202205109826', 'anna@example.se');
  await applyForPreschool(anna, '202401229816', 'anna@example.se');
  const page = await get(handler, `/staff/cases/${first.caseId}`);
  assert.equal((await post(handler, `/staff/cases/${first.caseId}/assign`, { assignee: handler.staffId }, page.body)).statusCode, 303);

  assert.deepEqual(
    figures((await get(handler, '/staff')).body).map(([, label]) => label),
    ['Öppna ärenden: 2', 'Tilldelade dig: 1', 'Ej tilldelade: 1', 'Försenade: 0'],
  );
  // Past every deadline the definition sets, both are overdue.
  t.clock.set('2027-06-01T10:00:00Z');
  const again = await staffSession(t, NORRBY, handler.staffId, 'Hanna Handläggare');
  const later = figures((await get(again, '/staff')).body).map(([, label]) => label);
  assert.equal(later[3], 'Försenade: 2');
  // Each link shows what its figure counted.
  const overdue = await get(again, '/staff/cases?overdue=1');
  assert.ok(overdue.body.includes(first.reference));
});

test('staff without a department get no inbox section, the security officer a link to the audit log', async () => {
  const home = (await get(await staffSession(t, NORRBY, officer.staffId, 'Sam Säkerhet'), '/staff')).body;
  assert.ok(!home.includes('staff-inbox'));
  assert.match(home, /href="\/staff\/audit"/);
  const handlerHome = (await get(await staffSession(t, NORRBY, handler.staffId, 'Hanna Handläggare'), '/staff')).body;
  assert.ok(handlerHome.includes('staff-inbox') && !handlerHome.includes('href="/staff/audit"'));
});
