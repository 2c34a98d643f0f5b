/**
 * A decided case as the resident reads it (issue 8, items 1, 4 and 11), in a real browser, in
 * Swedish, at desktop width and 375 px wide: My cases names each case's child; the case page shows
 * the decision — outcome, the offered pre-school and start date, the letter's text, the appeal —
 * and keeps the message form open for the period the definition gives; the message sent is
 * confirmed in a status region that has focus, and the page title starts with the confirmation.
 * Axe (WCAG 2.1 A/AA) on every page state, no CSP violation. Screenshots of the decided case at
 * both widths are saved in test-results/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tenantScope } from '../../src/kernel/db/index.ts';
import { recordSignIn } from '../../src/identity/eid/residents-repository.ts';
import { actionOfKind, childSubject, createCase, residentApplicant, runAction } from '../../src/cases/index.ts';
import { browserAndServer, exact, runJourney, tr, NORRBY, RESULTS_DIR, type Journey } from './harness.ts';

const START = '2026-11-23T10:00:00Z';
const decided = { id: '', reference: '' };

const live = browserAndServer({ demo: true, now: START }, async (server) => {
  const tdb = tenantScope(server.tdb.db, 'norrby');
  const def = server.app.catalogue.service('norrby', 'forskola')!;
  const anna = await recordSignIn(tdb, { personalNumber: '198803149825', givenName: 'Anna', familyName: 'Andersson', locale: 'sv' }, server.clock.now());
  const apply = (child: { personalNumber: string; name: string; birthDate: string }) =>
    tdb.transaction((tx) =>
      createCase(tx, {
        definition: def,
        parties: [residentApplicant({ id: anna, personalNumber: '198803149825', name: 'Anna Andersson' }), childSubject(child)],
        answers: { child: child.personalNumber, preschools: ['nby-ekbacken', 'nby-solrosen'], startDate: '2027-04-01', careHours: 'from15to30', specialNeeds: 'no' },
        locale: 'sv',
        draftId: null,
        email: undefined,
        siteUrl: server.origin(NORRBY),
        now: server.clock.now(),
      }),
    );
  await apply({ personalNumber: '202401229816', name: 'Olle Andersson', birthDate: '2024-01-22' });
  const elsa = await apply({ personalNumber: '202205109826', name: 'Elsa Andersson', birthDate: '2022-05-10' });
  Object.assign(decided, elsa);
  const now = server.clock.now();
  await runAction(
    tdb,
    def,
    elsa.id,
    actionOfKind(def, 'submitted', 'decide')!,
    { kind: 'staff', id: null },
    { decision: { type: 'offered', outcome: 'approved', values: { preschool: 'nby-ekbacken', startDate: '2027-04-01' }, decidedBy: 'Hugo Handläggare', decidedAt: now.toISOString() } },
    { email: undefined, siteUrl: server.origin(NORRBY) },
    now,
  );
});

async function signIn(j: Journey): Promise<void> {
  const t = tr('sv');
  await j.visit(`/sign-in?back=${encodeURIComponent('/my/cases')}`, { label: 'test e-ID' });
  await j.page.getByLabel('Anna Andersson', { exact: true }).check();
  await j.navigate(() => j.page.getByRole('button', { name: exact(t('eid.testIdp.signIn')) }).click(), 'my cases');
  assert.equal(new URL(j.page.url()).pathname, '/my/cases');
}

for (const width of [1280, 375]) {
  test(`the decided case in Swedish at ${width} px: the decision on the page, a message sent and announced`, async () => {
    const t = tr('sv');
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: `decided case ${width}`, viewport: { width, height: 900 } }, async (j) => {
      await signIn(j);
      const table = j.page.locator('main table');
      assert.equal(await table.locator('th').nth(2).innerText(), t('my.col.subject'));
      const rows = await table.locator('tbody tr').allInnerTexts();
      assert.ok(rows.some((r) => r.includes('Barn: Elsa Andersson')) && rows.some((r) => r.includes('Barn: Olle Andersson')), 'each case names its child');

      await j.navigate(() => j.page.getByRole('link', { name: decided.reference }).click(), 'decided case');
      assert.equal(await j.page.locator('main h1').innerText(), `Ansök om förskola för Elsa Andersson – ${decided.reference}`);
      const decision = j.page.getByRole('region', { name: t('my.case.decision.title') });
      const text = await decision.innerText();
      for (const part of ['Plats erbjuden', 'Ekbackens förskola', '1 april 2027', 'Elsa Andersson erbjuds en plats på Ekbackens förskola från och med 1 april 2027.', 'Laglighetsprövning', 'till och med 7 december 2026']) {
        assert.ok(text.includes(part), `the decision says "${part}"; it says: ${text}`);
      }
      await j.page.screenshot({ path: path.join(RESULTS_DIR, `decided-case-sv-${width}.png`), fullPage: true });

      await j.page.getByLabel(t('my.case.writeMessage'), { exact: true }).fill('Vi tackar ja till platsen.');
      await j.navigate(() => j.page.getByRole('button', { name: exact(t('my.case.send')) }).click(), 'decided case: message sent');
      const notice = j.page.getByRole('status');
      assert.equal((await notice.innerText()).trim(), t('my.case.messageSent'));
      assert.equal(await j.page.evaluate(() => document.activeElement?.id), 'notice', 'the confirmation has focus');
      assert.ok((await j.page.title()).startsWith('Ditt meddelande är skickat – '), 'the title starts with the confirmation');
      assert.ok((await j.page.getByRole('region', { name: t('my.case.messages') }).innerText()).includes('Vi tackar ja till platsen.'));
    });
  });
}
