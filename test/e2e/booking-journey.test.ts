/**
 * Boka idrottshall eller plan (catalogue/shared/boka-idrottshall.yaml) in real Chromium, in Swedish
 * and in English, with JavaScript off and only the keyboard (issue 10): the service page's free
 * times, the resources filtered by kind, a pitch's week as a table, a free time's link through the
 * test e-ID and "whom for" to the time step with that time chosen, the questions, check your answers
 * with the time, place and price, paying at the demo provider while the time is held, the
 * confirmation with the calendar file, the booking on its case page, and cancelling it. axe (WCAG 2.1 A/AA) on every page state; screenshots at 1280 and 375 px
 * go to test-results/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import '../../src/booking/messages.ts';
import '../../src/catalogue/messages.ts';
import '../../src/payments/messages.ts';
import { browserAndServer, tr, runJourney, NORRBY, type Journey } from './harness.ts';
import { bothWidths, choose, chooseByLabel, press, tabToField, type } from './keyboard.ts';

// Monday 23 November 2026, 11:00 in Stockholm.
const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' });

const path = (j: Journey) => new URL(j.page.url()).pathname;
const h1 = (j: Journey) => j.page.locator('main h1').innerText();

/** What differs by language: the kind's name in the filter, the day booked, the price as shown. */
const WORDS = {
  sv: { pitch: 'Fotbollsplan', day: 'tisdag 1 december', slot: 'Boka tisdag 1 december 17:45', time: 'tisdag 1 december 17:45–19:15', price: /600\skr/ },
  en: { pitch: 'Football pitch', day: 'Wednesday 2 December', slot: 'Book Wednesday 2 December 17:45', time: 'Wednesday 2 December 17:45–19:15', price: /SEK\s600/ },
} as const;

async function book(j: Journey): Promise<void> {
  const t = tr(j.locale);
  const words = WORDS[j.locale];
  await j.visit('/services/boka-idrottshall', { label: 'the service page' });
  await press(j, t('catalogue.service.seeTimes'), 'what do you want to book');
  assert.equal(await h1(j), t('booking.resources.title'));
  // Only pitches, on the day: a select changed by the keyboard, then "Show".
  await tabToField(j, '[name="kind"]');
  for (let i = 0; i < 6 && (await j.page.locator('[name="kind"]').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)) !== words.pitch; i++) await j.page.keyboard.press('ArrowDown');
  await type(j, 'date', j.locale === 'sv' ? '2026-12-01' : '2026-12-02');
  await press(j, t('booking.filter.apply'), 'the pitches');
  assert.ok((await j.page.locator('main [role="status"]').innerText()).includes(t('booking.resources.count', { count: '2', total: '6' })));
  await bothWidths(j, 'resources');
  await press(j, 'Hamnens konstgräsplan', 'the pitch\'s week');
  assert.equal(await j.page.locator('main caption').count(), 1, 'the week is a table with its caption');
  await bothWidths(j, 'week');
  // A free time is a link: through the test e-ID and "for whom" to the booking's time step.
  await press(j, words.slot, 'test e-ID: choose a person');
  await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, j.locale === 'sv' ? 'Erik Berg' : 'Karin Holm');
  await press(j, t('eid.testIdp.signIn'), 'for whom');
  assert.equal(path(j), '/services/boka-idrottshall/organisation');
  await chooseByLabel(j, 'organisation', t('forms.organisation.self'));
  await press(j, t('forms.continue'), 'which time');
  assert.match(path(j), /^\/apply\/[0-9a-f-]{36}\/time$/);
  assert.equal(await h1(j), t('booking.week.title'));
  assert.equal(await j.page.locator('input[name="slot"]:checked').count(), 1, 'the linked time is chosen');
  await bothWidths(j, 'time-step');
  await press(j, t('forms.continue'), 'what for');
  assert.match(path(j), /\/purpose$/);

  await choose(j, 'activity', 'training');
  await type(j, 'participants', '14');
  await press(j, t('forms.continue'), 'how do we reach you');
  await type(j, 'email', 'erik.berg@example.se');
  await type(j, 'phone', '070-123 45 67');
  await press(j, t('forms.continue'), 'check your answers');
  assert.match(path(j), /\/check$/);
  const check = await j.page.locator('main').innerText();
  assert.ok(check.includes(t('booking.summary.title')), 'time and place come first');
  assert.ok(check.includes(words.time), `the time: ${words.time}`);
  assert.match(check, words.price);
  await bothWidths(j, 'check');
  // The pitch costs money: the time is held while the payment is made at the (demo) provider.
  await press(j, t('forms.check.send.booking'), 'the demo payment provider');
  assert.match(path(j), /^\/test-pay\/DEMO-/);
  await chooseByLabel(j, (await j.page.getByLabel(t('payments.demo.choice.succeed'), { exact: true }).getAttribute('name'))!, t('payments.demo.choice.succeed'));
  await press(j, t('payments.demo.continue'), 'booked');
  assert.equal(await h1(j), t('forms.confirm.title.booking'));
  const confirmation = await j.page.locator('main').innerText();
  assert.ok(confirmation.includes(t('booking.confirmation.booked')));
  assert.ok(confirmation.includes(words.time));
  const ics = await j.page.locator('a[href$="/booking.ics"]').getAttribute('href');
  assert.ok(ics, 'the confirmation links the calendar file');
  // The file as the browser would download it: its session cookie, to the server by its address.
  const url = new URL(ics!, j.page.url());
  const cookie = (await j.page.context().cookies(url.origin)).map((c) => `${c.name}=${c.value}`).join('; ');
  const file = await fetch(`http://127.0.0.1:${url.port}${url.pathname}`, { headers: { host: url.host, cookie } });
  assert.equal(file.headers.get('content-type'), 'text/calendar; charset=utf-8');
  assert.match(await file.text(), /BEGIN:VEVENT[\s\S]*SUMMARY:Hamnens konstgräsplan/);
  await bothWidths(j, 'confirmation');

  // My cases: the booking named by its place and time in the list, then its page, and cancelling it (more than a day before).
  await j.visit('/my/cases', { label: 'my cases' });
  const row = j.page.locator('main tr', { has: j.page.locator(`a[href="${ics!.replace('/booking.ics', '')}"]`) });
  assert.ok((await row.innerText()).includes(`Hamnens konstgräsplan, ${words.time}`), 'the list says what was booked');
  await bothWidths(j, 'my-cases');
  await j.visit(ics!.replace('/booking.ics', ''), { label: 'the case page' });
  assert.ok((await j.page.locator('main').innerText()).includes(t('booking.case.title')));
  await bothWidths(j, 'case');
  await press(j, t('booking.case.cancel'), 'do you want to cancel');
  assert.equal(await h1(j), t('booking.cancel.title'));
  await press(j, t('booking.cancel.confirm'), 'cancelled');
  assert.ok((await j.page.locator('main [role="status"]').innerText()).includes(t('booking.cancel.done')));
  await bothWidths(j, 'cancelled');
}

describe('boka-idrottshall: a resident books a pitch by keyboard alone without JavaScript, and cancels', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(locale === 'sv' ? 'in Swedish' : 'in English', async () => {
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `booking-${locale}` }, (j) => book(j));
      const { rows } = await live.server.tdb.db.query<{ status: string; active: boolean }>(
        `SELECT b.status, c.active FROM bookings b JOIN booking_claims c ON c.booking_id = b.id WHERE b.tenant_id = 'norrby' AND b.starts_at = $1`,
        [locale === 'sv' ? '2026-12-01T16:45:00Z' : '2026-12-02T16:45:00Z'],
      );
      assert.deepEqual(rows, [{ status: 'cancelled', active: false }], 'booked, then cancelled: the time is free again');
    });
  }
});
