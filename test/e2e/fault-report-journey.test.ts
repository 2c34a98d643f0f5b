/**
 * The fault report (catalogue/shared/felanmalan.yaml) as anyone sends it, in real Chromium with
 * JavaScript off and only the keyboard, in Swedish and English: no sign-in, the place given by
 * address and coordinates (no tile server, so no map), the EICAR test file refused by the scanner
 * as a photo, a photo uploaded, the report sent ("anmälan", not "ansökan") — in Swedish without an
 * e-mail address, in English with one confirmed by code — and opened from another browser by the
 * private follow link alone. The streets team's handler marks it fixed; the follow link shows it,
 * and only a confirmed address gets the e-mail. axe (WCAG 2.1 A/AA) runs on every page state;
 * screenshots at 1280 and 375 px go to test-results/.
 *
 * Only choosing the files is not done by keyboard: a headless browser has no file dialog, so the
 * focused file input is given the file (what the dialog would do), and Tab + Enter send it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import '../../src/follow/messages.ts';
import { EICAR } from '../../src/integrations/virus-scan/index.ts';
import { browserAndServer, seedDemoData, tr, newJourney, runJourney, NORRBY, type Journey } from './harness.ts';
import { outboxCode, staffSignIn } from './demo-staff.ts';
import { bothWidths, press } from './keyboard.ts';

const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' }, async (server) => {
  // Demo staff accounts: the streets team's handler closes the report.
  await seedDemoData(server);
});

const path = (j: Journey) => new URL(j.page.url()).pathname;
const h1 = (j: Journey) => j.page.locator('main h1').innerText();
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(1200, 1)]);
const INFECTED = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(EICAR, 'latin1')]);

const WORDS = {
  sv: { firstCategory: 'Gatubelysning som är trasig eller lyser dagtid', describe: 'Beskriv felet', hurt: 'Ja', photoError: 'bilden på felet' },
  en: { firstCategory: 'A street light that is broken or on in daytime', describe: 'Describe the fault', hurt: 'Yes', photoError: 'the photo of the fault' },
};

async function anonymousReport(j: Journey, email: string | undefined): Promise<{ reference: string; followHref: string }> {
  const t = tr(j.locale);
  const w = WORDS[j.locale];
  await j.visit('/services/felanmalan', { label: 'the service page' });
  assert.ok((await j.page.locator('main').innerText()).includes(t('catalogue.service.noSignIn')), 'no sign-in needed');
  await press(j, t('catalogue.service.start'), 'the first question, without signing in');
  assert.match(path(j), /^\/apply\/[0-9a-f-]{36}\/what$/);

  // The category: Tab into the radio group (its first option), the arrow key moves to the next and chooses it.
  await j.tabTo(w.firstCategory);
  await j.page.keyboard.press('ArrowDown');
  assert.equal(await j.page.locator('[name="category"][value="pothole"]').isChecked(), true);
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
  await bothWidths(j, 'photo-virus');
  // The description is kept; the real photo goes up.
  assert.ok((await j.page.locator('[name="description"]').inputValue()).length > 0, 'the description is kept');
  await j.tabTo(t('forms.file.chooseMany'));
  await j.page.locator(':focus').setInputFiles({ name: 'lampa.png', mimeType: 'image/png', buffer: PNG });
  await press(j, t('forms.file.upload'), 'the photo uploaded');
  assert.equal(await j.page.getByRole('button', { name: `${t('forms.file.remove')} lampa.png` }).count(), 1);
  await bothWidths(j, 'photo-uploaded');
  // Could someone get hurt: Tab into the yes/no group, Space chooses "yes".
  await j.tabTo(new RegExp(`^${w.hurt}$`));
  await j.page.keyboard.press('Space');
  assert.equal(await j.page.locator('[name="urgent"][value="yes"]').isChecked(), true);
  await press(j, t('forms.continue'), 'do you want to hear when it is fixed');
  assert.match(path(j), /\/contact$/);
  if (email) {
    await j.tabTo(j.locale === 'sv' ? 'Vilken e-postadress vill du få besked till? (frivilligt)' : 'Which e-mail address should we tell you at? (optional)');
    await j.typeInFocused(email);
  }
  await press(j, t('forms.continue'), email ? 'check your answers, an address to confirm' : 'check your answers, no address given');
  assert.match(path(j), /\/check$/);
  if (email) {
    // Only a confirmed address is written to: the check page offers the code, by keyboard too.
    await press(j, t('forms.contact.verify'), 'which e-mail address');
    assert.equal(await h1(j), t('email.start.title'));
    assert.equal(await j.page.getByLabel(t('email.start.label'), { exact: true }).inputValue(), email, 'the address from the form is offered');
    await press(j, t('email.start.send'), 'enter the code');
    await j.tabTo(new RegExp(`^${t('email.code.label')}$`));
    await j.typeInFocused(await outboxCode(live.server, email));
    await press(j, t('email.code.check'), 'check your answers, the address confirmed');
    assert.ok((await j.page.locator('main').innerText()).includes(t('forms.contact.verified', { email })), 'we will write to the confirmed address');
  }
  const check = await j.page.locator('main').innerText();
  assert.ok(check.includes('Storgatan 12') && check.includes('lampa.png'), 'the place and the photo are on the check page');
  assert.ok(check.includes(t('forms.check.declaration.report')), 'the declaration speaks of a report');
  assert.doesNotMatch(check, j.locale === 'sv' ? /ansökan/i : /application/i);
  await bothWidths(j, 'check');
  await press(j, t('forms.check.send.report'), 'the report sent');
  assert.equal(await h1(j), t('forms.confirm.title.report'));
  const reference = (await j.page.locator('.mb-reference').innerText()).trim();
  assert.match(reference, /^FEL-\d{4}-\d+$/);
  const followHref = (await j.page.locator('a.mb-follow-link').getAttribute('href'))!;
  assert.match(followHref, /^\/follow\/[A-Za-z0-9_-]{43}$/);
  await bothWidths(j, 'confirmation');
  return { reference, followHref };
}

describe('felanmälan: anyone reports a fault with a place and a photo, keyboard only, JavaScript off', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`in ${locale === 'sv' ? 'Swedish' : 'English'}`, async () => {
      const t = tr(locale);
      // Swedish: no address at all; English: an address confirmed by code.
      const email = locale === 'en' ? 'reporter@example.se' : undefined;
      let sent = { reference: '', followHref: '' };
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `fault-report-${locale}` }, async (j) => {
        sent = await anonymousReport(j, email);
      });
      // The case was made, with the photo moved to it, routed to the lighting team, with no applicant party.
      const { rows } = await live.server.tdb.db.query<{ team: string | null; parties: number; files: number }>(
        `SELECT c.team,
                (SELECT count(*)::int FROM case_parties p WHERE p.case_id = c.id) AS parties,
                (SELECT count(*)::int FROM attachments a WHERE a.case_id = c.id) AS files
           FROM cases c WHERE c.tenant_id = 'norrby' AND c.reference = $1`,
        [sent.reference],
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.team, 'streets_team', 'routed by the category');
      assert.equal(rows[0]!.files, 1, 'the photo is on the case');
      assert.equal(rows[0]!.parties, email ? 1 : 0, 'nobody signed in: a party only for a confirmed address');
      // The streets team's handler marks it fixed, with a word to the reporter.
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `fault-handler-${locale}` }, async (j) => {
        await staffSignIn(j, live.server, 'stig');
        await j.visit('/staff/cases');
        await j.navigate(() => j.page.getByRole('link', { name: sent.reference }).click(), 'the report');
        const form = j.page.locator('form[action$="/actions/fix"]');
        await form.locator('textarea').fill(locale === 'sv' ? 'Hålet är lagat.' : 'The hole has been mended.');
        await j.navigate(() => form.getByRole('button').click(), 'marked as fixed');
      });
      // Another browser with only the link: the status, keyboard-reachable, no sign-in.
      const other = await newJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `fault-follow-${locale}` });
      try {
        await other.visit(sent.followHref, { label: 'the follow page' });
        assert.equal(await h1(other), t('follow.title', { reference: sent.reference }));
        const follow = await other.page.locator('main').innerText();
        assert.ok(follow.includes(locale === 'sv' ? 'Åtgärdad' : 'Fixed'), 'the follow link tells the reporter it is fixed');
        await bothWidths(other, 'follow');
        other.assertClean();
      } finally {
        await other.close();
      }
      // The e-mail that it is fixed goes to a confirmed address, and to nobody else.
      const { rows: mails } = await live.server.tdb.db.query<{ to: string; subject: string }>(
        "SELECT payload->>'to' AS to, payload->>'subject' AS subject FROM outbox WHERE tenant_id = 'norrby' AND payload->>'subject' LIKE '%' || $1 || '%'",
        [sent.reference],
      );
      const fixedMails = mails.filter((m) => /åtgärdad|fixed/.test(m.subject));
      assert.deepEqual(fixedMails.map((m) => m.to), email ? [email] : [], 'told by e-mail only at a confirmed address');
    });
  }
});
