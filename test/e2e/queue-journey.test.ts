/**
 * A place in the queue in real Chromium (ADR 0043): a custodian applies for pre-school with two
 * choices, and the case page shows the child's place in each queue ("Nummer 4 av 4"), the queue
 * date and how the queue is ordered; the choices are changed by keyboard — a repeated choice answered
 * with the reason and the choices kept, then saved, the confirmation announced and the places moved;
 * then the pre-school placement unit reads the queue in order. Swedish with JavaScript off, English
 * with it on; axe (WCAG 2.1 A/AA and best practice) on every page state; screenshots at 1280 and 375 px.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import '../../src/queues/messages.ts';
import { signInResident, ELLA, ERIK, INES, JONAS, KARIN, MAJA } from '../helpers/sign-in.ts';
import { journey } from '../helpers/journey.ts';
import type { TestApp } from '../helpers/app.ts';
import { browserAndServer, tr, runJourney, NORRBY, type Journey } from './harness.ts';
import { bothWidths, chooseByLabel, press, select, type } from './keyboard.ts';
import { asStaff } from './staff-cookie.ts';

const live = browserAndServer({ demo: true, now: '2026-12-06T10:00:00Z' });
const path = (j: Journey) => new URL(j.page.url()).pathname;
const h1 = (j: Journey) => j.page.locator('main h1').innerText();

/** Three children who applied a year ago (for Ekbacken and Solrosen) stand before anyone applying today. */
async function earlierApplicants(): Promise<void> {
  const t = live.server as unknown as TestApp;
  const { applyForPreschool } = journey(t);
  live.server.clock.set('2025-12-01T10:00:00Z');
  for (const [parent, child] of [[ERIK, MAJA], [JONAS, INES], [KARIN, ELLA]] as const) await applyForPreschool(await signInResident(t, NORRBY, parent), child);
  live.server.clock.set('2026-12-06T10:00:00Z');
}

describe('forskola: the place in each queue, changing choices, the queue for staff', () => {
  for (const [locale, who, child] of [
    ['sv', 'Anna Andersson', 'Elsa Andersson'],
    ['en', 'Karin Holm', 'Nils Holm'],
  ] as const) {
    test(locale === 'sv' ? 'in Swedish, without JavaScript' : 'in English, with JavaScript', async () => {
      const t = tr(locale);
      const js = locale === 'en';
      const db = live.server.tdb.db;
      if (locale === 'sv') await earlierApplicants();
      let casePath = '';
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `queue-apply-${locale}` }, async (j) => {
        await j.visit(`/sign-in?back=${encodeURIComponent('/services/forskola/apply')}`, { label: 'test e-ID: choose a person' });
        await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, who);
        await press(j, t('eid.testIdp.signIn'), 'which child');
        await chooseByLabel(j, 'child', child);
        await press(j, t('forms.continue'), 'the pre-schools');
        await select(j, 'preschools.0', 'nby-solrosen');
        await select(j, 'preschools.1', 'nby-hamnen');
        await press(j, t('forms.continue'), 'the start date');
        await type(j, 'startDate', '2027-06-01');
        await press(j, t('forms.continue'), 'the hours');
        await chooseByLabel(j, 'careHours', locale === 'sv' ? '15–30 timmar' : '15–30 hours');
        await press(j, t('forms.continue'), 'special support');
        await chooseByLabel(j, 'specialNeeds', locale === 'sv' ? 'Nej' : 'No');
        await press(j, t('forms.continue'), 'the contact details');
        await type(j, 'email', `queue-${locale}@example.se`);
        await press(j, t('forms.continue'), 'check your answers');
        await press(j, t('forms.check.send', { matter: locale === 'sv' ? 'ansökan' : 'application' }), 'sent');
        casePath = (await j.page.locator('a[href^="/my/cases/"]').last().getAttribute('href'))!;
        await j.visit(casePath, { label: 'the case with its places' });
        const section = await j.page.locator('#queue').innerText();
        assert.ok(section.includes(t('queue.case.title')), 'the places are shown');
        // Solrosen: three applied a year ago; Hamnen: nobody else.
        assert.ok(section.includes(t('queue.case.position', { position: '4', total: '4' })), section);
        assert.ok(section.includes(t('queue.case.position', { position: '1', total: '1' })), section);
        assert.ok(section.includes(t('queue.case.ahead.many', { count: '3' })), section);
        assert.ok(section.includes(t('queue.case.days.none')), section);
        await bothWidths(j, `queue-case-${locale}`);
        // Change the choices by keyboard: Hamnen first, then Solrosen; a repeat first.
        await press(j, t('queue.case.change'), 'the choices');
        assert.equal((await h1(j)).trim(), t('queue.choices.title'));
        await select(j, 'preschools.0', 'nby-hamnen');
        await select(j, 'preschools.1', 'nby-hamnen');
        await press(j, t('queue.choices.submit'), 'error: the same twice');
        assert.ok((await j.page.locator('.ds-error-summary').innerText()).length > 0, 'the problem is summarised');
        assert.equal(await j.page.locator('select[name="preschools.0"]').inputValue(), 'nby-hamnen', 'the choices are kept');
        await bothWidths(j, `queue-choices-error-${locale}`);
        await select(j, 'preschools.1', 'nby-solrosen');
        await press(j, t('queue.choices.submit'), 'saved');
        assert.equal(path(j), casePath);
        assert.ok((await j.page.locator('main [role="status"]').innerText()).includes(t('queue.choices.saved')), 'the change is announced');
        const after = await j.page.locator('#queue').innerText();
        assert.ok(after.indexOf('Hamn') < after.indexOf('Solros'), 'Hamnen is now the first choice');
        assert.ok(after.includes(t('queue.case.position', { position: '4', total: '4' })), 'the queue date was kept: still fourth at Solrosen');
        await bothWidths(j, `queue-changed-${locale}`);
      });
      // The placement unit reads Solrosen's queue in order.
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `queue-staff-${locale}` }, async (j) => {
        await asStaff(live.server, j, { username: 'placering', displayName: 'Pia Placering' }, locale);
        await j.visit('/staff/queues', { label: 'the queues' });
        assert.ok((await j.page.locator('main').innerText()).includes('Förskolan Solrosen'));
        await bothWidths(j, `queue-staff-list-${locale}`);
        await j.navigate(() => j.page.getByRole('link', { name: 'Förskolan Solrosen', exact: true }).click(), 'Solrosen in order');
        // The queue's own table (the pre-school's places follow it, ADR 0046).
        const queueTable = j.page.locator('main table:has(#queue-caption)');
        const rowsText = await queueTable.locator('tbody').innerText();
        assert.ok(rowsText.includes(child), `${child} is in the queue`);
        assert.equal(await queueTable.locator('tbody tr').count(), 4);
        await bothWidths(j, `queue-staff-queue-${locale}`);
      });
      // The run's application ends (decided elsewhere), so the next run's child meets the same three.
      await db.query("UPDATE cases SET status = 'withdrawn' WHERE tenant_id = 'norrby' AND id = $1", [casePath.split('/').pop()]);
    });
  }
});
