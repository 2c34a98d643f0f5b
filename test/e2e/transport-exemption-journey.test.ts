/**
 * Dispens för tung, lång eller bred transport (catalogue/shared/dispens-tung-trafik.yaml) in real
 * Chromium, in English and in Swedish, with JavaScript off and only the keyboard: a company's signatory applies for
 * it (audience representative, ADR 0015). What no other journey does by keyboard: check boxes ticked
 * with Space (what the transport exceeds), an optional repeating group (one trailer), numbers with units in each language's notation (27.5 and 27,5), a date range refused by the step's
 * own rule (five days' notice) and then corrected from the error summary, and a fee worked out from
 * an answer (SEK 800 for a single transport) paid through the demo provider. axe (WCAG 2.1 A/AA) on
 * every page state; screenshots at 1280 and 375 px go to test-results/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import { browserAndServer, tr, runJourney, NORRBY, type Journey } from './harness.ts';
import { bothWidths, choose, chooseByLabel, press, tick, type } from './keyboard.ts';

const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' });

const path = (j: Journey) => new URL(j.page.url()).pathname;

/** What the journey types and reads that differs by language: decimals, the step rule's message (dispens-tung-trafik.yaml), dates and the fee as shown. */
const WORDS = {
  en: { plate: 'KRG 001', length: '27.5', width: '3.2', height: '4.1', tooSoon: 'Apply at least five days before the transport', period: '1 December 2026 – 2 December 2026', fee: /SEK\s800\b/ },
  sv: { plate: 'KRG 002', length: '27,5', width: '3,2', height: '4,1', tooSoon: 'Ansök minst fem dagar före transporten', period: '1 december 2026 – 2 december 2026', fee: /\b800\skr\b/ },
} as const;

async function apply(j: Journey): Promise<string> {
  const t = tr(j.locale);
  const words = WORDS[j.locale];
  await j.visit(`/sign-in?back=${encodeURIComponent('/services/dispens-tung-trafik/apply')}`, { label: 'test e-ID: choose a person' });
  await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, 'Sara Lind');
  await press(j, t('eid.testIdp.signIn'), 'which organisation');
  assert.equal(path(j), '/services/dispens-tung-trafik/organisation');
  await chooseByLabel(j, (await j.page.getByLabel('Norrby Krog & Kök AB', { exact: true }).getAttribute('name'))!, 'Norrby Krog & Kök AB');
  await press(j, t('forms.continue'), 'what are you applying for');
  assert.match(path(j), /\/transport$/);

  await tick(j, 'exceeds', 'length');
  await tick(j, 'exceeds', 'width');
  await type(j, 'load', 'Concrete beam, 24 metres');
  await choose(j, 'indivisible', 'yes');
  await press(j, t('forms.continue'), 'the vehicles');
  assert.match(path(j), /\/vehicle-details$/);

  // A vehicle of its own per language: the same open transport twice would be a duplicate.
  await type(j, 'towingVehicle', words.plate);
  // The optional group shows one trailer to fill in (left all empty it would be left out).
  await type(j, 'trailers.0.trailerPlate', 'DEF 45G');
  await choose(j, 'trailers.0.trailerType', 'semi');
  await bothWidths(j, 'trailer');
  await press(j, t('forms.continue'), 'dimensions and weight');
  assert.match(path(j), /\/dimensions$/);
  assert.equal(await j.page.locator('[name="axleLoad"]').count(), 0, 'no axle load asked: the weight is not exceeded');

  await type(j, 'length', words.length);
  await type(j, 'width', words.width);
  await type(j, 'height', words.height);
  await type(j, 'grossWeight', '48');
  await press(j, t('forms.continue'), 'the route');
  assert.match(path(j), /\/route$/);

  await type(j, 'routeStart', 'Hamnvägen 2');
  await type(j, 'routeEnd', 'Industrivägen 4');
  await type(j, 'routeDescription', 'Hamnvägen – Kajgatan – Storgatan – Industrivägen 4');
  await press(j, t('forms.continue'), 'when will the transport run');
  assert.match(path(j), /\/when$/);

  // Two days ahead: the step's rule refuses it; the summary's link leads back to the first day.
  await choose(j, 'frequency', 'single');
  await type(j, 'period.from', '2026-11-25');
  await type(j, 'period.to', '2026-11-26');
  await choose(j, 'timeOfDay', 'night');
  await choose(j, 'escort', 'yes');
  await press(j, t('forms.continue'), 'when: too soon, the error state');
  const summary = j.page.getByRole('alert');
  assert.ok((await summary.innerText()).includes(words.tooSoon), await summary.innerText());
  await bothWidths(j, 'period-error');
  await j.tabTo(words.tooSoon);
  await j.pressEnter({ navigates: false });
  assert.equal(await j.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name), 'period.from', 'the error link moves focus to the first day');
  await j.page.keyboard.press('ControlOrMeta+A');
  await j.typeInFocused('2026-12-01');
  await type(j, 'period.to', '2026-12-02');
  assert.equal(await j.page.locator('[name="timeOfDay"][value="night"]').isChecked(), true, 'the other answers are kept');
  await press(j, t('forms.continue'), 'contact during the transport');
  assert.match(path(j), /\/contact$/);

  await type(j, 'contactName', 'Sara Lind');
  await type(j, 'contactPhone', '070-765 43 21');
  await type(j, 'email', 'sara@krogen.example.se');
  await press(j, t('forms.continue'), 'check your answers, with the fee');
  assert.match(path(j), /\/check$/);
  const check = await j.page.locator('main').innerText();
  assert.ok(check.includes(t('forms.check.actingFor', { name: 'Norrby Krog & Kök AB', number: '556677-8899' })), 'it says whom she sends it for');
  for (const s of [words.plate, 'DEF 45G', 'Concrete beam, 24 metres', words.period, 'Industrivägen 4']) assert.ok(check.includes(s), `check your answers shows ${s}`);
  assert.match(check, words.fee);
  await bothWidths(j, 'check');

  await press(j, t('payments.fee.pay'), 'the demo payment provider');
  assert.match(path(j), /^\/test-pay\/DEMO-/);
  await chooseByLabel(j, (await j.page.getByLabel(t('payments.demo.choice.succeed'), { exact: true }).getAttribute('name'))!, t('payments.demo.choice.succeed'));
  await press(j, t('payments.demo.continue'), 'confirmation after paying');
  assert.match(path(j), /\/confirmation$/);
  assert.equal(await j.page.locator('main h1').innerText(), t('forms.confirm.title'));
  const reference = (await j.page.locator('.mb-reference').innerText()).trim();
  assert.match(reference, /^DTT-\d{4}-\d+$/);
  await bothWidths(j, 'confirmation');
  return reference;
}

describe('dispens för tung transport: a company applies through its signatory, keyboard only, JavaScript off', () => {
  for (const locale of ['en', 'sv'] as const) test(locale === 'en' ? 'in English' : 'in Swedish', async () => {
    let reference = '';
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `transport-exemption-${locale}` }, async (j) => {
      reference = await apply(j);
    });
    // The company applies, its signatory represents it, the towing vehicle is the subject; the fee was paid.
    const { rows } = await live.server.tdb.db.query<{ role: string; kind: string; identifier: string | null }>(
      "SELECT p.role, p.kind, p.identifier FROM case_parties p JOIN cases c ON c.id = p.case_id AND c.tenant_id = p.tenant_id WHERE c.tenant_id = 'norrby' AND c.reference = $1 ORDER BY p.role",
      [reference],
    );
    assert.deepEqual(rows.map((r) => `${r.role}:${r.kind}${r.identifier ? `:${r.identifier}` : ''}`).sort(), ['applicant:organisation', 'representative:resident', `subject:vehicle:${WORDS[locale].plate}`]);
  });
});
