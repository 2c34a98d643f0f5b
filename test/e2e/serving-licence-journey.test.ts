/**
 * Serveringstillstånd (catalogue/shared/serveringstillstand.yaml) in real Chromium, Swedish and
 * English: a company applies through its signatory (audience representative, ADR 0015), with two
 * persons of significant influence (the repeating group, the second added with its button) and
 * the documents step (file questions, ADR 0017), pays the fee through the demo provider; then the
 * licensing officer takes the case, refers it to the police and records the police's reply with a
 * file (ADR 0014). The company's application runs with JavaScript off and only the keyboard: Tab
 * to each field, typing, arrow keys and Space for choices, Enter on buttons (only choosing a file
 * is not done by keys: a headless browser has no file dialog, so the focused input gets the file). axe (WCAG 2.1 A/AA) on every page state; screenshots at
 * 1280 and 375 px go to test-results/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import { browserAndServer, seedDemoData, exact, tr, runJourney, NORRBY, type Journey } from './harness.ts';
import { staffSignIn } from './demo-staff.ts';
import { bothWidths, choose, chooseByLabel, press, tabToField, tick, type } from './keyboard.ts';

const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' }, async (server) => {
  await seedDemoData(server);
});

const path = (j: Journey) => new URL(j.page.url()).pathname;
const button = (j: Journey, name: string) => j.page.getByRole('button', { name: exact(name) });
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(900, 1)]);

/** Tab to a file input; a headless browser has no file dialog, so the focused input is given the file. */
async function attach(j: Journey, id: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
  await tabToField(j, `#${id}`);
  await j.page.locator(':focus').setInputFiles(file);
}

async function apply(j: Journey, venue: string): Promise<string> {
  const t = tr(j.locale);
  const sv = j.locale === 'sv';
  await j.visit(`/sign-in?back=${encodeURIComponent('/services/serveringstillstand/apply')}`, { label: 'test e-ID: choose a person' });
  await chooseByLabel(j, await j.page.locator('input[type="radio"]').first().getAttribute('name') as string, 'Sara Lind');
  await press(j, t('eid.testIdp.signIn'), 'which organisation');
  assert.equal(path(j), '/services/serveringstillstand/organisation');
  await chooseByLabel(j, await j.page.getByLabel('Norrby Krog & Kök AB', { exact: true }).getAttribute('name') as string, 'Norrby Krog & Kök AB');
  await press(j, t('forms.continue'), 'which licence');
  assert.match(path(j), /\/licence$/);

  await choose(j, 'licenceType', 'permanent');
  await press(j, t('forms.continue'), 'the premises');
  assert.match(path(j), /\/premises$/);
  await type(j, 'venueName', venue);
  await type(j, 'venueAddress.street', 'Storgatan 3');
  await type(j, 'venueAddress.postalCode', '123 45');
  await type(j, 'venueAddress.town', 'Norrby');
  await type(j, 'seatsIndoor', '60');
  await choose(j, 'outdoor', 'no');
  await tick(j, '[name="drinks"][value="beer"]');
  await tick(j, '[name="drinks"][value="wine"]');
  for (const d of ['mon', 'tue', 'wed', 'thu', 'fri']) {
    await type(j, `hours.${d}.from`, '11:00');
    // Friday's normal hours run past midnight (the field is `overnight`).
    await type(j, `hours.${d}.to`, d === 'fri' ? '01:00' : '23:00');
  }
  await choose(j, 'kitchen', 'yes');
  await press(j, t('forms.continue'), 'persons with significant influence');
  assert.match(path(j), /\/influence$/);

  // The repeating group: the first person, then a second added by its button (answers kept).
  await type(j, 'persons.0.name', 'Sara Lind');
  await type(j, 'persons.0.personalNumber', '19791130-9842');
  await choose(j, 'persons.0.position', 'ceo');
  await press(j, t('forms.group.add', { item: 'person' }), 'a second person');
  assert.equal(await j.page.locator('[name="persons.0.name"]').inputValue(), 'Sara Lind', 'the first person is kept');
  await type(j, 'persons.1.name', 'Olle Berg');
  await type(j, 'persons.1.personalNumber', '19850315-0008');
  await choose(j, 'persons.1.position', 'owner');
  await bothWidths(j, 'influence');
  await press(j, t('forms.continue'), 'the documents');
  assert.match(path(j), /\/documents$/);

  // Sent empty: the three required questions say so; the optional menu does not.
  await press(j, t('forms.continue'), 'the documents: error state');
  const links = await j.page.getByRole('alert').getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['#f-lease', '#f-floorPlan', '#f-financing']);
  await bothWidths(j, 'documents-error');
  await attach(j, 'f-lease', { name: 'hyresavtal.pdf', mimeType: 'application/pdf', buffer: PDF });
  await attach(j, 'f-floorPlan', { name: 'planritning.png', mimeType: 'image/png', buffer: PNG });
  await attach(j, 'f-financing', { name: 'finansiering.pdf', mimeType: 'application/pdf', buffer: PDF });
  await press(j, t('forms.continue'), 'the declaration');
  assert.match(path(j), /\/declaration$/);
  await tick(j, '[name="truthful"]');
  await type(j, 'email', 'sara@krogen.example.se');
  await press(j, t('forms.continue'), 'check your answers, with the fee');
  assert.match(path(j), /\/check$/);
  const check = await j.page.locator('main').innerText();
  for (const s of [venue, 'Olle Berg', 'hyresavtal.pdf', 'planritning.png', 'finansiering.pdf']) assert.ok(check.includes(s), `check your answers shows ${s}`);
  assert.ok(check.includes(sv ? 'Fredag 11:00–01:00 (nästa dag)' : 'Friday 11:00–01:00 (next day)'), 'the hours past midnight are shown as the next day’s');
  assert.match(check, sv ? /10\s000\skr/ : /SEK\s10,000/);
  await bothWidths(j, 'check');

  await press(j, t('payments.fee.pay'), 'the demo payment provider');
  assert.match(path(j), /^\/test-pay\/DEMO-/);
  await chooseByLabel(j, await j.page.getByLabel(t('payments.demo.choice.succeedLate'), { exact: true }).getAttribute('name') as string, t('payments.demo.choice.succeedLate'));
  await press(j, t('payments.demo.continue'), 'confirmation after paying');
  assert.match(path(j), /\/confirmation$/);
  assert.equal(await j.page.locator('main h1').innerText(), t('forms.confirm.title'));
  const reference = (await j.page.locator('.mb-reference').innerText()).trim();
  assert.match(reference, /^SRV-\d{4}-\d+$/);
  await bothWidths(j, 'confirmation');
  return reference;
}

async function referToPolice(j: Journey, reference: string): Promise<void> {
  const sv = j.locale === 'sv';
  const t = tr(j.locale);
  await staffSignIn(j, live.server, 'stig');
  await j.visit('/staff/cases');
  await j.navigate(() => j.page.getByRole('link', { name: reference }).click(), 'the case');
  const main = await j.page.locator('main').innerText();
  for (const s of ['Norrby Krog & Kök AB', 'Sara Lind', 'Olle Berg', 'hyresavtal.pdf']) assert.ok(main.includes(s), `the handler sees ${s}`);
  // Take it (assign moves it to investigation), then the referral and the reply.
  await j.page.locator('select[name="assignee"]').selectOption({ label: 'Stig Stadsmiljö' });
  await j.navigate(() => j.page.locator('form[action$="/actions/assign"] button').click(), 'assigned, under investigation');
  const police = sv ? 'Polismyndigheten' : 'the Swedish Police Authority';
  await j.page.getByLabel(t('case.text.refer', { party: police }), { exact: true }).fill(sv ? 'Yttra er om de personer som har betydande inflytande.' : 'Please give an opinion on the persons with significant influence.');
  await j.navigate(() => button(j, sv ? 'Skicka remiss till polisen' : 'Refer to the police').click(), 'referred to the police');
  assert.ok((await j.page.locator('main').innerText()).includes(sv ? 'Remiss till Polismyndigheten' : 'Referred to the police'), 'the staff status says referred');
  await bothWidths(j, 'referred');
  await j.page.getByLabel(t('case.text.referralReply', { party: police }), { exact: true }).fill(sv ? 'Polisen har inget att invända.' : 'The police have no objection.');
  await j.page.locator('input[name="files"]').setInputFiles({ name: 'yttrande.pdf', mimeType: 'application/pdf', buffer: PDF });
  await j.navigate(() => button(j, sv ? 'Registrera polisens yttrande' : "Record the police's opinion").click(), 'the reply recorded');
  const after = await j.page.locator('main').innerText();
  assert.ok(after.includes(sv ? 'Polisen har inget att invända.' : 'The police have no objection.'), 'the reply is on the case');
  assert.ok(after.includes('yttrande.pdf'), 'and its file');
  assert.ok(after.includes(sv ? 'Under utredning' : 'Under investigation'), 'back under investigation');
  await bothWidths(j, 'reply-recorded');
}

describe('serveringstillstånd: a company applies through its signatory, the police are consulted', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`in ${locale === 'sv' ? 'Swedish' : 'English'}`, async () => {
      const venue = locale === 'sv' ? 'Krogen vid torget' : 'The Square Tavern';
      let reference = '';
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `serving-licence-${locale}` }, async (j) => {
        reference = await apply(j, venue);
      });
      // The company is the applicant, the signatory its representative.
      const { rows } = await live.server.tdb.db.query<{ role: string; kind: string }>(
        "SELECT p.role, p.kind FROM case_parties p JOIN cases c ON c.id = p.case_id AND c.tenant_id = p.tenant_id WHERE c.tenant_id = 'norrby' AND c.reference = $1 ORDER BY p.role",
        [reference],
      );
      assert.deepEqual(rows.map((r) => `${r.role}:${r.kind}`).filter((x) => /^(applicant|representative):/.test(x)).sort(), ['applicant:organisation', 'representative:resident']);
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `serving-licence-handler-${locale}` }, async (j) => {
        await referToPolice(j, reference);
      });
    });
  }
});
