/**
 * The fault report (catalogue/shared/felanmalan.yaml) as anyone sends it, in real Chromium with
 * JavaScript off and only the keyboard, in Swedish and English: no sign-in, the place given by
 * address and coordinates (no tile server, so no map), the EICAR test file refused by the scanner
 * as a photo, a photo uploaded, no e-mail address, the report sent ("anmälan", not "ansökan") and
 * then opened from another browser by the private follow link alone. axe (WCAG 2.1 A/AA) runs on
 * every page state; screenshots at 1280 and 375 px go to test-results/.
 *
 * Only choosing the files is not done by keyboard: a headless browser has no file dialog, so the
 * focused file input is given the file (what the dialog would do), and Tab + Enter send it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { translate, type Locale } from '../../src/kernel/i18n/index.ts';
import '../../src/forms/messages.ts';
import '../../src/follow/messages.ts';
import { EICAR } from '../../src/integrations/virus-scan/index.ts';
import { launchBrowser, newJourney, runJourney, startServer, NORRBY, type Journey, type TestServer } from './harness.ts';

let server: TestServer;
let browser: Browser;

before(async () => {
  browser = await launchBrowser();
  server = await startServer({ demo: true, now: '2026-11-23T10:00:00Z' });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const tr = (locale: Locale) => (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars);
const path = (j: Journey) => new URL(j.page.url()).pathname;
const h1 = (j: Journey) => j.page.locator('main h1').innerText();
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1200, 1)]);
const INFECTED = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(EICAR, 'latin1')]);

const WORDS = {
  sv: { lighting: 'Gatubelysning som är trasig eller lyser dagtid', describe: 'Beskriv felet', hurt: 'Ja', photoError: 'bilden på felet' },
  en: { lighting: 'A street light that is broken or on in daytime', describe: 'Describe the fault', hurt: 'Yes', photoError: 'the photo of the fault' },
};

async function both(j: Journey, name: string): Promise<void> {
  await j.screenshot(`${name}-1280`);
  await j.page.setViewportSize({ width: 375, height: 800 });
  await j.screenshot(`${name}-375`);
  await j.page.setViewportSize({ width: 1280, height: 900 });
}

/** Tab to the button or link named `name` and press Enter: a new page. */
async function press(j: Journey, name: string, label: string): Promise<void> {
  await j.tabTo(new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`));
  await j.pressEnter({ label });
}

async function anonymousReport(j: Journey): Promise<{ reference: string; followHref: string }> {
  const t = tr(j.locale);
  const w = WORDS[j.locale];
  await j.visit('/services/felanmalan', { label: 'the service page' });
  assert.ok((await j.page.locator('main').innerText()).includes(t('catalogue.service.noSignIn')), 'no sign-in needed');
  await press(j, t('catalogue.service.start'), 'the first question, without signing in');
  assert.match(path(j), /^\/apply\/[0-9a-f-]{36}\/what$/);

  // The category: Tab into the radio group (its first option), Space chooses it.
  await j.tabTo(w.lighting);
  await j.page.keyboard.press('Space');
  assert.equal(await j.page.locator('[name="category"][value="lighting"]').isChecked(), true);
  await press(j, t('forms.continue'), 'where is the fault');
  assert.match(path(j), /\/fault-place$/);
  assert.equal(await j.page.locator('[data-location-map], .leaflet-container').count(), 0, 'no map without a tile server');
  await j.tabTo(t('forms.location.address'));
  await j.typeInFocused('Storgatan 12');
  await j.tabTo(t('forms.location.lat'));
  await j.typeInFocused(j.locale === 'sv' ? '62,3908' : '62.3908');
  await j.tabTo(t('forms.location.lng'));
  await j.typeInFocused(j.locale === 'sv' ? '17,3069' : '17.3069');
  await press(j, t('forms.continue'), 'describe the fault');
  assert.match(path(j), /\/fault-details$/);

  await j.tabTo(w.describe);
  await j.typeInFocused(j.locale === 'sv' ? 'Lampan vid busshållplatsen lyser inte.' : 'The lamp by the bus stop is out.');
  // The infected photo: chosen in the focused input, sent with the Upload button, refused.
  await j.tabTo(t('forms.file.chooseMany'));
  await j.page.locator(':focus').setInputFiles({ name: 'lampa.jpg', mimeType: 'image/jpeg', buffer: INFECTED });
  await press(j, t('forms.file.upload'), 'the photo: refused by the scanner');
  const alert = await j.page.getByRole('alert').innerText();
  assert.ok(alert.includes(t('forms.error.fileVirus', { label: w.photoError })), alert);
  assert.equal(await j.page.locator('.mb-file-list').count(), 0, 'nothing kept of the infected file');
  await both(j, 'photo-virus');
  // The description is kept; the real photo goes up.
  assert.ok((await j.page.locator('[name="description"]').inputValue()).length > 0, 'the description is kept');
  await j.tabTo(t('forms.file.chooseMany'));
  await j.page.locator(':focus').setInputFiles({ name: 'lampa.png', mimeType: 'image/png', buffer: PNG });
  await press(j, t('forms.file.upload'), 'the photo uploaded');
  assert.equal(await j.page.getByRole('button', { name: `${t('forms.file.remove')} lampa.png` }).count(), 1);
  await both(j, 'photo-uploaded');
  // Could someone get hurt: Tab into the yes/no group, Space chooses "yes".
  await j.tabTo(new RegExp(`^${w.hurt}$`));
  await j.page.keyboard.press('Space');
  assert.equal(await j.page.locator('[name="urgent"][value="yes"]').isChecked(), true);
  await press(j, t('forms.continue'), 'do you want to hear when it is fixed');
  assert.match(path(j), /\/contact$/);
  await press(j, t('forms.continue'), 'check your answers, no address given');
  assert.match(path(j), /\/check$/);
  const check = await j.page.locator('main').innerText();
  assert.ok(check.includes('Storgatan 12') && check.includes('lampa.png'), 'the place and the photo are on the check page');
  assert.ok(check.includes(t('forms.check.declaration.report')), 'the declaration speaks of a report');
  assert.doesNotMatch(check, j.locale === 'sv' ? /ansökan/i : /application/i);
  await both(j, 'check');
  await press(j, t('forms.check.send.report'), 'the report sent');
  assert.equal(await h1(j), t('forms.confirm.title.report'));
  const reference = (await j.page.locator('.mb-reference').innerText()).trim();
  assert.match(reference, /^FEL-\d{4}-\d+$/);
  const followHref = (await j.page.locator('a.mb-follow-link').getAttribute('href'))!;
  assert.match(followHref, /^\/follow\/[A-Za-z0-9_-]{43}$/);
  await both(j, 'confirmation');
  return { reference, followHref };
}

describe('felanmälan: anyone reports a fault with a place and a photo, keyboard only, JavaScript off', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`in ${locale === 'sv' ? 'Swedish' : 'English'}`, async () => {
      const t = tr(locale);
      let sent = { reference: '', followHref: '' };
      await runJourney(browser, { server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `fault-report-${locale}` }, async (j) => {
        sent = await anonymousReport(j);
      });
      // The case was made, with the photo moved to it, routed to the lighting team, with no applicant party.
      const { rows } = await server.tdb.db.query<{ team: string | null; parties: number; files: number }>(
        `SELECT c.team,
                (SELECT count(*)::int FROM case_parties p WHERE p.case_id = c.id) AS parties,
                (SELECT count(*)::int FROM attachments a WHERE a.case_id = c.id) AS files
           FROM cases c WHERE c.tenant_id = 'norrby' AND c.reference = $1`,
        [sent.reference],
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.team, 'lighting_team', 'routed by the category');
      assert.equal(rows[0]!.files, 1, 'the photo is on the case');
      assert.equal(rows[0]!.parties, 0, 'nobody signed in, no verified address: no party');
      // Another browser with only the link: the status, keyboard-reachable, no sign-in.
      const other = await newJourney(browser, { server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `fault-follow-${locale}` });
      try {
        await other.visit(sent.followHref, { label: 'the follow page' });
        assert.equal(await h1(other), t('follow.title', { reference: sent.reference }));
        assert.ok((await other.page.locator('main').innerText()).includes(locale === 'sv' ? 'Mottagen' : 'Received'), 'the status is shown');
        await both(other, 'follow');
        other.assertClean();
      } finally {
        await other.close();
      }
    });
  }
});
