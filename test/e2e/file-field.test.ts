/**
 * The file field in real headless Chromium, JavaScript off, in Swedish and English, on the parking
 * permit (catalogue/shared/parkeringstillstand.yaml): the certificate step sent empty (its errors
 * linked to the file inputs), an infected file refused by the scanner, a PDF uploaded with
 * "Upload" and listed with its remove button, the photo chosen, then check your answers naming
 * the files and the case sent. axe (WCAG 2.1 A and AA) runs on every page state; the harness fails
 * the journey on a CSP violation or script error. Screenshots at desktop and 375 px go to test-results/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { translate } from '../../src/kernel/i18n/index.ts';
import '../../src/forms/messages.ts';
import '../../src/identity/eid/test-idp/messages.ts';
import { EICAR } from '../../src/integrations/virus-scan/index.ts';
import { browserAndServer, runJourney, NORRBY, type Journey, type JourneyLocale } from './harness.ts';

const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' });

const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(3000, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(800, 1)]);
const INFECTED = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(EICAR, 'latin1'), Buffer.from('\n%%EOF\n')]);

const path = (j: Journey) => new URL(j.page.url()).pathname;

async function press(j: Journey, name: string, label: string, nth = 0): Promise<void> {
  await j.navigate(() => j.page.getByRole('button', { name, exact: true }).nth(nth).click(), label);
}

const PEOPLE = { sv: 'Anna Andersson', en: 'Karin Holm' };

async function fileJourney(j: Journey, locale: JourneyLocale): Promise<void> {
  const t = (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars);
  await j.visit('/services/parkeringstillstand/apply', { label: 'test e-ID sign-in' });
  await j.page.getByLabel(PEOPLE[locale], { exact: true }).check();
  await press(j, t('eid.testIdp.signIn'), 'first step');
  assert.match(path(j), /\/driving$/);
  await j.page.locator('[name="driver"][value="driver"]').check();
  await press(j, t('forms.continue'), 'mobility');
  await j.page.locator('[name="disability"]').fill('Svårt att gå');
  await j.page.locator('[name="walkingDistance"][value="under50"]').check();
  await j.page.locator('[name="needFrom.from"]').fill('2027-01-01');
  await j.page.locator('[name="needFrom.to"]').fill('2028-01-01');
  await press(j, t('forms.continue'), 'certificate step');
  assert.match(path(j), /\/certificate$/);

  // Empty: both questions' errors, each linking to its file input.
  await press(j, t('forms.continue'), 'certificate: error state');
  const links = await j.page.getByRole('alert').getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['#f-medicalCertificate', '#f-photo']);

  // An infected file: refused by the scanner, said for people.
  await j.page.locator('#f-medicalCertificate').setInputFiles({ name: 'intyg.pdf', mimeType: 'application/pdf', buffer: INFECTED });
  await press(j, t('forms.file.upload'), 'certificate: infected file refused');
  assert.ok((await j.page.getByRole('alert').innerText()).includes(locale === 'sv' ? 'virus' : 'virus'));

  // A good PDF with "Upload": listed with its remove button.
  await j.page.locator('#f-medicalCertificate').setInputFiles({ name: 'läkarintyg.pdf', mimeType: 'application/pdf', buffer: PDF });
  await press(j, t('forms.file.upload'), 'certificate: a file uploaded');
  assert.equal(await j.page.getByRole('button', { name: `${t('forms.file.remove')} läkarintyg.pdf` }).count(), 1);
  await j.screenshot(`file-field-${locale}-desktop`);
  await j.page.setViewportSize({ width: 375, height: 800 });
  await j.screenshot(`file-field-${locale}-375`);
  await j.page.setViewportSize({ width: 1280, height: 900 });

  // The photo, then on.
  await j.page.locator('#f-photo').setInputFiles({ name: 'foto.png', mimeType: 'image/png', buffer: PNG });
  await press(j, t('forms.continue'), 'contact step');
  assert.match(path(j), /\/contact$/);
  if (!(await j.page.locator('[name="email"]').inputValue())) await j.page.locator('[name="email"]').fill('anna@example.se');
  await press(j, t('forms.continue'), 'check your answers');
  assert.match(path(j), /\/check$/);
  const main = await j.page.locator('main').innerText();
  assert.ok(main.includes('läkarintyg.pdf') && main.includes('foto.png'), 'check your answers names the files');
  await press(j, t('forms.check.send'), 'confirmation');
  assert.match(path(j), /\/confirmation$/);
}

describe('the file field in the browser, JavaScript off', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`upload, refuse, list and send a medical certificate (${locale})`, async () => {
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `file field ${locale}` }, (j) => fileJourney(j, locale));
    });
  }
});
