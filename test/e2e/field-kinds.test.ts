/**
 * The new field kinds in real headless Chromium, on the test-only service that asks them all
 * (test/fixtures/field-kinds/alla-falt.yaml), in Swedish and in English with JavaScript off: each
 * step first sent empty (the error state, its summary linked to inputs that exist and are
 * described by their errors), then answered; the repeating group's "add another" and "remove"
 * as plain submit buttons; check your answers listing each item. axe (WCAG 2.1 A and AA) runs on
 * every page state, and the harness fails the journey on any CSP violation or script error.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { translate } from '../../src/kernel/i18n/index.ts';
import '../../src/forms/messages.ts';
import '../../src/identity/eid/test-idp/messages.ts';
import { catalogueWithFieldKinds, FIELD_KINDS_SERVICE } from '../helpers/field-kinds.ts';
import { browserAndServer, runJourney, NORRBY, type Journey, type JourneyLocale } from './harness.ts';

const live = browserAndServer(() => ({ demo: true, now: '2026-11-23T10:00:00Z', catalogue: catalogueWithFieldKinds() }));

const path = (j: Journey) => new URL(j.page.url()).pathname;

async function press(j: Journey, name: string, label: string): Promise<void> {
  const button = j.page.getByRole('button', { name, exact: true });
  assert.equal(await button.count(), 1, `one button "${name}" on ${j.page.url()}`);
  await j.navigate(() => button.click(), label);
}

async function fill(j: Journey, values: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(values)) await j.page.locator(`[name="${name}"]`).fill(value);
}

/** The error state: one summary, each link to an input that exists and whose error describes it. */
async function assertErrors(j: Journey, count: number): Promise<void> {
  const summary = j.page.getByRole('alert');
  assert.equal(await summary.count(), 1, `an error summary on ${j.page.url()}`);
  const links = await summary.getByRole('link').evaluateAll((as) => as.map((a) => ({ text: a.textContent?.trim() ?? '', href: a.getAttribute('href') ?? '' })));
  assert.equal(links.length, count, `${count} errors on ${j.page.url()}: ${links.map((l) => l.text).join(' / ')}`);
  for (const l of links) {
    const field = j.page.locator(l.href);
    assert.equal(await field.count(), 1, `error link target ${l.href} exists`);
    // The input's own description, or its group's (a fieldset around it).
    const described = await field.evaluate((el) => {
      const ids: string[] = [];
      for (let e: Element | null = el; e; e = e.parentElement) ids.push(...(e.getAttribute('aria-describedby') ?? '').split(/\s+/));
      return ids
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .join(' | ');
    });
    assert.ok(described.includes(l.text), `${l.href} is described by "${l.text}" (got "${described}")`);
  }
}

/** A test resident of the demo register: each journey its own, so their drafts never meet. */
const PEOPLE = {
  sv: { name: 'Anna Andersson', child: 'Elsa Andersson', street: 'Storgatan 12' },
  en: { name: 'Karin Holm', child: 'Nils Holm', street: 'Skolgränd 8' },
};

async function kindsJourney(j: Journey, locale: JourneyLocale): Promise<void> {
  const who = PEOPLE[locale];
  const t = (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars);
  await j.visit(`/services/${FIELD_KINDS_SERVICE}/apply`, { label: 'test e-ID sign-in' });
  await j.page.getByLabel(who.name, { exact: true }).check();
  await press(j, t('eid.testIdp.signIn'), 'step amounts');
  assert.match(path(j), /\/amounts$/);

  const steps: [string, number, Record<string, string>][] = [
    ['amounts', 2, { hours: '40', area: '12,5', income: '25 000,50' }],
    ['dates', 3, { happened: '2026-11-01', 'period.from': '2027-01-01', 'period.to': '2027-02-01', arrival: '07:30' }],
    ['schedule', 1, { 'careTimes.mon.from': '07:30', 'careTimes.mon.to': '16:00' }],
    ['choices', 2, {}],
    ['identity', 2, { otherParent: '19121212-1212', employer: '556016-0680' }],
  ];
  for (const [step, errors, values] of steps) {
    if (errors > 0) {
      await press(j, t('forms.continue'), `${step}: error state`);
      await assertErrors(j, errors);
    }
    await fill(j, values);
    if (step === 'choices') {
      await j.page.locator('[name="preschool"]').selectOption('nby-ekbacken');
      await j.page.getByLabel(who.child, { exact: true }).check();
    }
    if (step === 'identity') assert.equal(await j.page.locator('[name="address.street"]').inputValue(), who.street, 'the address starts from the register');
    await press(j, t('forms.continue'), `${step}: answered`);
  }

  // The repeating group: the first item sent empty, then answered; add a second, then remove it.
  assert.match(path(j), /\/people$/);
  await press(j, t('forms.continue'), 'people: error state');
  await assertErrors(j, 3);
  await fill(j, { 'people.0.name': 'Bo Andersson', 'people.0.pnr': '19121212-1212' });
  await j.page.locator('[name="people.0.livesHere"][value="yes"]').check();
  await press(j, t('forms.group.add', { item: 'person' }), 'people: a second item added');
  assert.equal(await j.page.locator('[name="people.0.name"]').inputValue(), 'Bo Andersson', 'the first item is kept');
  assert.equal(await j.page.locator('[name="people.1.name"]').count(), 1, 'a second item to fill in');
  // Enter in a text box sends the step (the default button), never "Remove person 1".
  await j.page.locator('[name="people.1.name"]').fill('Cia');
  await j.navigate(() => j.page.locator('[name="people.1.name"]').press('Enter'), 'people: Enter in the second item, error state');
  assert.equal(await j.page.locator('[name="people.0.name"]').inputValue(), 'Bo Andersson', 'Enter removed nothing');
  assert.equal(await j.page.locator('[name="people.1.name"]').inputValue(), 'Cia');
  await assertErrors(j, 2);
  await press(j, t('forms.group.remove', { item: 'person 2' }), 'people: the second item removed');
  assert.equal(await j.page.locator('[name="people.1.name"]').count(), 0, 'the second item is gone');
  await press(j, t('forms.continue'), 'people: answered');

  await press(j, t('forms.continue'), 'consent: error state');
  await assertErrors(j, 1);
  await j.page.locator('[name="truth"]').check();
  await press(j, t('forms.continue'), 'check your answers');
  assert.match(path(j), /\/check$/);
  const main = await j.page.locator('main').innerText();
  for (const shown of ['Bo Andersson', who.street, '556016-0680', '19121212-1212']) assert.ok(main.includes(shown), `check your answers shows ${shown}`);
  assert.ok(main.includes(`Person 1`), 'each item is listed');
}

describe('field kinds in the browser, JavaScript off', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`every new kind, its error state and the repeating group (${locale})`, async () => {
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `field kinds ${locale}` }, (j) => kindsJourney(j, locale));
    });
  }
});
