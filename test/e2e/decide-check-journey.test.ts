/**
 * Deciding with a check step (issue 8, item 17; ADR 0027), in a real browser, in Swedish and English,
 * at 1280 and 375 px: the decision form prefilled from the application, a pre-school the applicant did
 * not ask for chosen from the whole register, the error state naming the fields in words, the letter's
 * preview updating as a field changes (a polite status says so), "check and send" with the letter as it
 * will be sent, "Ändra" back to the form with the values kept, and the decided case. Swedish at 375 px
 * runs with JavaScript off: the "Förhandsgranska" button is the preview step. Axe on every page state.
 * Screenshots of the form and the check page at both widths are saved in test-results/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { tenantScope } from '../../src/kernel/db/index.ts';
import { recordSignIn } from '../../src/identity/eid/residents-repository.ts';
import { childSubject, createCase, residentApplicant } from '../../src/cases/index.ts';
import { browserAndServer, exact, runJourney, seedDemoData, tr, NORRBY, RESULTS_DIR, type Journey } from './harness.ts';
import { staffSignIn } from './demo-staff.ts';

const START = '2026-11-23T10:00:00Z';
const cases: { id: string; reference: string }[] = [];

const live = browserAndServer({ demo: true, now: START }, async (server) => {
  await seedDemoData(server);
  const tdb = tenantScope(server.tdb.db, 'norrby');
  const def = server.app.catalogue.service('norrby', 'forskola')!;
  const applicant = await recordSignIn(tdb, { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind', locale: 'sv' }, server.clock.now());
  for (let i = 0; i < 4; i++) {
    const child = `2023020${i + 1}1234`;
    cases.push(
      await tdb.transaction((tx) =>
        createCase(tx, {
          definition: def,
          parties: [residentApplicant({ id: applicant, personalNumber: '197911309842', name: 'Sara Lind' }), childSubject({ personalNumber: child, name: `Ebba ${i + 1}`, birthDate: '2023-02-01' })],
          answers: { child, preschools: ['nby-solrosen', 'nby-ekbacken'], startDate: '2027-05-01', careHours: 'from15to30', specialNeeds: 'no' },
          locale: 'sv',
          draftId: null,
          email: undefined,
          siteUrl: server.origin(NORRBY),
          now: server.clock.now(),
        }),
      ),
    );
  }
});

const button = (j: Journey, name: string) => j.page.locator('main').getByRole('button', { name: exact(name) });

const runs = [
  { locale: 'sv', width: 1280, js: true },
  { locale: 'sv', width: 375, js: false },
  { locale: 'en', width: 1280, js: true },
  { locale: 'en', width: 375, js: true },
] as const;

runs.forEach((run, i) => {
  test(`${run.locale} at ${run.width} px, JavaScript ${run.js ? 'on' : 'off'}: prefilled form, errors in words, preview, check and send, decided`, async () => {
    const t = tr(run.locale);
    const sv = run.locale === 'sv';
    const c = cases[i]!;
    const name = `decide-${run.locale}-${run.width}`;
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: run.locale, name, viewport: { width: run.width, height: 900 }, javaScriptEnabled: run.js }, async (j) => {
      await staffSignIn(j, live.server, 'hanna');
      await j.visit(`/staff/cases/${c.id}/actions/decide`, { label: 'decision: choose the kind' });
      await j.page.getByLabel(sv ? 'Plats erbjuden' : 'Place offered', { exact: true }).check();
      await j.navigate(() => button(j, t('case.chooseType')).click(), 'decision form (prefilled)');
      const unit = j.page.getByLabel(sv ? 'Förskola' : 'Pre-school', { exact: true });
      const date = j.page.getByLabel(sv ? 'Startdatum' : 'Start date', { exact: true });
      // What the application asked for: the first choice and the start date.
      assert.equal(await unit.inputValue(), 'nby-solrosen');
      assert.equal(await date.inputValue(), '2027-05-01');
      const chosen = await unit.locator('optgroup').first().locator('option').allInnerTexts();
      assert.deepEqual(chosen, sv ? ['Förskolan Solrosen (1:a hand)', 'Ekbackens förskola (2:a hand)'] : ['Förskolan Solrosen (1st choice)', 'Ekbackens förskola (2nd choice)']);
      const letter = j.page.locator('main [data-decision-letter]');
      assert.ok((await letter.innerText()).includes('Förskolan Solrosen'), 'the preview reads with the prefilled values');
      await j.page.screenshot({ path: path.join(RESULTS_DIR, `${name}-form.png`), fullPage: true });

      // Nothing given: the errors name the fields in words.
      await unit.selectOption('');
      await date.fill('');
      await j.navigate(() => button(j, t('case.decision.continue')).click(), 'decision form: errors');
      const summary = await j.page.locator('[data-module="error-summary"]').innerText();
      for (const m of sv ? ['Välj förskola', 'Ange startdatum'] : ['Select a pre-school', 'Enter the start date']) assert.ok(summary.includes(m), `the summary says "${m}": ${summary}`);

      // A pre-school the applicant did not ask for; the preview follows.
      await unit.selectOption('nby-hamnen');
      await date.fill('2027-06-01');
      if (run.js) {
        await j.page.waitForFunction(() => document.querySelector('[data-decision-letter]')?.textContent?.includes('Hamnens förskola') ?? false);
        assert.equal(await j.page.locator('[data-decision-status]').getAttribute('role'), 'status');
        await j.page.waitForFunction(() => (document.querySelector('[data-decision-status]')?.textContent ?? '') !== '');
        assert.equal(await button(j, t('case.decision.preview')).isVisible(), false, 'with scripts the preview needs no button');
        await j.check('decision form: preview updated');
      } else {
        await j.navigate(() => button(j, t('case.decision.preview')).click(), 'decision form: preview step');
      }
      assert.ok((await letter.innerText()).includes('Hamnens förskola'), 'the preview names the pre-school chosen');

      await j.navigate(() => button(j, t('case.decision.continue')).click(), 'check and send');
      assert.equal(await j.page.locator('main h1').innerText(), `${t('case.check.title')} – ${c.reference}`);
      const main = await j.page.locator('main').innerText();
      for (const part of ['Hamnens förskola', 'Sara Lind', sv ? '1 juni 2027' : '1 June 2027', 'Ebba']) assert.ok(main.includes(part), `the check page says "${part}"`);
      await j.page.screenshot({ path: path.join(RESULTS_DIR, `${name}-check.png`), fullPage: true });

      // "Ändra" goes back to the form at the field, the values kept; continuing comes back.
      await j.navigate(() => j.page.locator('main').getByRole('link', { name: `${t('forms.check.change')} ${sv ? 'Startdatum' : 'Start date'}` }).click(), 'decision form: change the date');
      assert.equal(await date.inputValue(), '2027-06-01');
      assert.equal(await unit.inputValue(), 'nby-hamnen');
      await j.navigate(() => button(j, t('case.decision.continue')).click(), 'check and send again');

      await j.navigate(() => button(j, t('case.confirmDecision')).click(), 'decided');
      assert.equal(new URL(j.page.url()).search, '?done=decided');
      assert.ok((await j.page.locator('main').innerText()).includes(t('case.done.decided')));
    });
  });
});
