/**
 * The location field without map tiles (as on this machine: the field is its inputs) and the
 * reference to an earlier case, in real headless Chromium, Swedish and English, with JavaScript on
 * (the enhancement must not break anything when there is no map) and the error states: the fault
 * report through to its receipt page, and the change of hours that refers to the resident's decided
 * pre-school placement, whose case page then shows the link. axe (WCAG 2.1 A and AA) runs on every
 * page state; the harness fails on any CSP violation or script error. Screenshots at desktop width
 * and 375 px are kept in the results folder.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { translate } from '../../src/kernel/i18n/index.ts';
import '../../src/forms/messages.ts';
import '../../src/forms/kinds/location-messages.ts';
import '../../src/identity/eid/test-idp/messages.ts';
import { tenantScope } from '../../src/kernel/db/index.ts';
import { createCase, residentApplicant } from '../../src/cases/index.ts';
import { browserAndServer, runJourney, NORRBY, type Journey, type JourneyLocale } from './harness.ts';

const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' });

const path = (j: Journey) => new URL(j.page.url()).pathname;
const PEOPLE = {
  sv: { name: 'Anna Andersson', pnr: '198803149825' },
  en: { name: 'Karin Holm', pnr: '198502209862' },
};

async function press(j: Journey, name: string, label: string): Promise<void> {
  const button = j.page.getByRole('button', { name, exact: true });
  assert.equal(await button.count(), 1, `one button "${name}" on ${j.page.url()}`);
  await j.navigate(() => button.click(), label);
}

async function signIn(j: Journey, locale: JourneyLocale, service: string) {
  const t = (key: string) => translate(locale, key);
  // Signing in first: the fault report is open to anyone, and would not ask for e-ID itself.
  await j.visit(`/sign-in?back=${encodeURIComponent(`/services/${service}/apply`)}`, { label: 'test e-ID sign-in' });
  await j.page.getByLabel(PEOPLE[locale].name, { exact: true }).check();
  await press(j, t('eid.testIdp.signIn'), `${service}: first step`);
}

async function errorLinks(j: Journey): Promise<string[]> {
  const summary = j.page.getByRole('alert');
  assert.equal(await summary.count(), 1, `an error summary on ${j.page.url()}`);
  return summary.getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
}

async function reportJourney(j: Journey, locale: JourneyLocale) {
  const t = (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars);
  await signIn(j, locale, 'felanmalan');
  assert.match(path(j), /\/what$/);
  await j.page.locator('[name="category"][value="lighting"]').check();
  await press(j, t('forms.continue'), 'category chosen');
  assert.match(path(j), /\/fault-place$/);
  assert.equal(await j.page.locator('[data-tiles]').count(), 0, 'no map without a tile server');

  await press(j, t('forms.continue'), 'where: error state (nothing given)');
  assert.deepEqual(await errorLinks(j), ['#f-location']);
  await j.page.locator('[name="location.lat"]').fill('55,5');
  await j.page.locator('[name="location.lng"]').fill('13,2');
  await press(j, t('forms.continue'), 'where: error state (outside the municipality)');
  assert.deepEqual(await errorLinks(j), ['#f-location-lat']);
  assert.ok((await j.page.locator('main').innerText()).includes(t('forms.error.location.outside')));
  await j.screenshot('where-error-desktop');
  await j.page.setViewportSize({ width: 375, height: 800 });
  await j.screenshot('where-error-375');
  await j.page.setViewportSize({ width: 1280, height: 900 });

  await j.page.locator('[name="location.address"]').fill('Storgatan 12');
  await j.page.locator('[name="location.description"]').fill(locale === 'sv' ? 'Vid busshållplatsen' : 'By the bus stop');
  await j.page.locator('[name="location.lat"]').fill(locale === 'sv' ? '62,3908' : '62.3908');
  await j.page.locator('[name="location.lng"]').fill(locale === 'sv' ? '17,3069' : '17.3069');
  await press(j, t('forms.continue'), 'where: answered');
  await j.page.locator('[name="description"]').fill('Lampan lyser inte');
  await j.page.locator('[name="urgent"][value="no"]').check();
  await press(j, t('forms.continue'), 'details answered');
  await press(j, t('forms.continue'), 'contact (e-mail optional)');
  assert.match(path(j), /\/check$/);
  const check = await j.page.locator('main').innerText();
  assert.ok(check.includes('Storgatan 12'), 'check your answers shows the address');
  assert.ok(check.includes(locale === 'sv' ? '62,3908, 17,3069' : '62.3908, 17.3069'), 'and the coordinates');
  await j.screenshot('check-desktop');
  await press(j, t('forms.check.send.report'), 'submitted');
  assert.match(path(j), /\/confirmation$/);
}

async function changeJourney(j: Journey, locale: JourneyLocale) {
  const t = (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars);
  // The resident's decided placement, made before the journey (the pre-school journey is tested elsewhere).
  const tdb = tenantScope(live.server.tdb.db, 'norrby');
  await signIn(j, locale, 'andrad-omsorgstid');
  const { rows } = await tdb.query<{ id: string }>('SELECT id FROM residents WHERE tenant_id = $1 AND personal_number = $2', [PEOPLE[locale].pnr]);
  const forskola = live.server.app.catalogue.service('norrby', 'forskola')!;
  const placement = await tdb.transaction((tx) =>
    createCase(tx, { definition: forskola, parties: [residentApplicant({ id: rows[0]!.id })], answers: {}, locale, draftId: null, email: undefined, siteUrl: live.server.baseUrl, now: live.server.clock.now() }),
  );
  await tdb.query("UPDATE cases SET status = 'decided' WHERE tenant_id = $1 AND id = $2", [placement.id]);
  await j.visit(new URL(j.page.url()).pathname, { label: 'placement: the decided placement offered' });
  assert.match(path(j), /\/placement$/);
  await press(j, t('forms.continue'), 'placement: error state');
  assert.deepEqual(await errorLinks(j), ['#f-placement']);
  await j.page.locator(`[name="placement"][value="${placement.reference}"]`).check();
  await press(j, t('forms.continue'), 'placement chosen');
  await j.page.locator('[name="schedule.mon.from"]').fill('08:00');
  await j.page.locator('[name="schedule.mon.to"]').fill('16:00');
  await j.page.locator('[name="from"]').fill('2027-01-11');
  await press(j, t('forms.continue'), 'schedule answered');
  await j.page.locator('[name="changeReason"][value="work"]').check();
  await press(j, t('forms.continue'), 'reason answered');
  assert.ok((await j.page.locator('main').innerText()).includes(placement.reference), 'check your answers names the placement');
  await press(j, t('forms.check.send.errand'), 'submitted');
  assert.match(path(j), /\/confirmation$/);
  await j.visit(`/my/cases/${placement.id}`, { label: 'the placement case shows the link' });
  const link = j.page.locator('main a[href^="/my/cases/"]').filter({ hasText: /^OMS-/ });
  assert.equal(await link.count(), 1, 'a link to the change of hours');
  await j.navigate(() => link.click(), 'the change of hours, linked back');
  assert.equal(await j.page.locator(`main a[href="/my/cases/${placement.id}"]`).count(), 1);
  await j.screenshot('linked-case-desktop');
}

describe('location and case reference in the browser', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`a fault report by address and coordinates, no tiles (${locale})`, async () => {
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `location ${locale}` }, (j) => reportJourney(j, locale));
    });
    test(`a change of hours referring to a decided placement, linked both ways (${locale})`, async () => {
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `case reference ${locale}` }, (j) => changeJourney(j, locale));
    });
  }
});
