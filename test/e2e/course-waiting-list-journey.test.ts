/**
 * A course's waiting list in real Chromium (issue 10): Norrbybadet's adult swimming course has six
 * places and five are taken. Erik signs up and gets the last place; Anna signs up and is put on the
 * waiting list, which her case page says. Erik gives up his place; Anna moves up at once — her case
 * page says "Booked" and she has an e-mail saying she has a place. Swedish with JavaScript off, and
 * English with it on; axe (WCAG 2.1 A/AA) on every page state; screenshots at 1280 and 375 px.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import '../../src/booking/messages.ts';
import '../../src/catalogue/messages.ts';
import { browserAndServer, tr, runJourney, NORRBY, type Journey } from './harness.ts';
import { bothWidths, chooseByLabel, press, type } from './keyboard.ts';
import { tenantScope } from '../../src/kernel/db/index.ts';
import { enrol, instantOf, setCapacity } from '../../src/booking/index.ts';

const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' });
const path = (j: Journey) => new URL(j.page.url()).pathname;
const h1 = (j: Journey) => j.page.locator('main h1').innerText();
const COURSE = 'swimming-courses/nby-vuxensim';
const START = instantOf('2027-01-23', '09:00');

/** Five of the six places taken by others (enrolled through the engine, as earlier sign-ups would be). */
async function fillFive(): Promise<void> {
  const tdb = tenantScope(live.server.tdb.db, 'norrby');
  const now = new Date('2026-11-20T10:00:00Z');
  await tdb.transaction(async (tx) => {
    await setCapacity(tx, COURSE, START, 6, now);
    for (let i = 0; i < 5; i++) await enrol(tx, { serviceId: 'simkurs', resourceId: COURSE, startsAt: START, endsAt: instantOf('2027-01-23', '10:00') }, now);
  });
}

/** Signs up `name` for the course from the service page; returns the case page's path. */
async function signUp(j: Journey, name: string, email: string): Promise<string> {
  const t = tr(j.locale);
  await j.visit(`/sign-in?back=${encodeURIComponent('/services/simkurs/apply')}`, { label: 'test e-ID: choose a person' });
  await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, name);
  await press(j, t('eid.testIdp.signIn'), 'which course');
  assert.equal(await h1(j), t('booking.resources.title'));
  // The course by its name in the person's language (the register gives both).
  await press(j, j.locale === 'sv' ? 'Lär dig simma – vuxna, lördagar från 23 januari' : 'Learn to swim – adults, Saturdays from 23 January', 'the course');
  // The week of the course's start (the list opened this week's).
  await j.visit(`${path(j)}?resource=nby-vuxensim&week=2027-01-23`, { label: "the course's week" });
  await bothWidths(j, `course-${name.split(' ')[0]}`);
  await j.page.getByLabel(j.locale === 'sv' ? 'lördag 23 januari 09:00–10:00' : 'Saturday 23 January 09:00–10:00', { exact: true }).check();
  await press(j, t('forms.continue'), 'who will swim');
  await type(j, 'swimmerName', name);
  await j.page.getByLabel(t('forms.no'), { exact: true }).check();
  await press(j, t('forms.continue'), 'how do we reach you');
  await type(j, 'email', email);
  await press(j, t('forms.continue'), 'check your answers');
  await press(j, t('forms.check.send.booking'), 'sent');
  await bothWidths(j, `confirmation-${name.split(' ')[0]}`);
  const text = await j.page.locator('main').innerText();
  const caseLink = await j.page.locator('a[href^="/my/cases/"]').last().getAttribute('href');
  return `${text.includes(t('booking.confirmation.waiting')) ? 'waiting' : 'booked'} ${caseLink}`;
}

describe('simkurs: the last place, then the waiting list, and moving up when a place is given up', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(locale === 'sv' ? 'in Swedish, without JavaScript' : 'in English, with JavaScript', async () => {
      const t = tr(locale);
      await live.server.tdb.db.query("DELETE FROM booking_enrolments WHERE tenant_id = 'norrby'");
      await live.server.tdb.db.query("DELETE FROM booking_seats WHERE tenant_id = 'norrby'");
      await live.server.tdb.db.query("DELETE FROM bookings WHERE tenant_id = 'norrby' AND service_id = 'simkurs'");
      await fillFive();
      const js = locale === 'en';
      let erik = '';
      let anna = '';
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `course-erik-${locale}` }, async (j) => {
        erik = await signUp(j, 'Erik Berg', 'erik@example.se');
      });
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `course-anna-${locale}` }, async (j) => {
        anna = await signUp(j, 'Anna Andersson', 'anna@example.se');
      });
      assert.match(erik, /^booked /, 'Erik gets the last place');
      assert.match(anna, /^waiting /, 'Anna is put on the waiting list');
      const annaCase = anna.split(' ')[1]!;
      // Erik gives up his place.
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `course-leave-${locale}` }, async (j) => {
        await j.visit(`/sign-in?back=${encodeURIComponent(erik.split(' ')[1]!)}`, { label: 'test e-ID: choose a person' });
        await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, 'Erik Berg');
        await press(j, t('eid.testIdp.signIn'), 'his case');
        await press(j, t('booking.case.cancel'), 'give up the place?');
        await press(j, t('booking.cancel.confirm'), 'given up');
        assert.ok((await j.page.locator('main [role="status"]').innerText()).includes(t('booking.cancel.done')));
      });
      // Anna has moved up: her case page says so, and she was e-mailed.
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `course-moved-up-${locale}` }, async (j) => {
        await j.visit(`/sign-in?back=${encodeURIComponent(annaCase)}`, { label: 'test e-ID: choose a person' });
        await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, 'Anna Andersson');
        await press(j, t('eid.testIdp.signIn'), 'her case');
        const text = await j.page.locator('main').innerText();
        assert.ok(text.includes(t('booking.status.booked')), 'Booked');
        assert.ok(!text.includes(t('booking.status.waiting')));
        await bothWidths(j, 'moved-up');
      });
      const { rows } = await live.server.tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE tenant_id = 'norrby' AND payload->>'to' = 'anna@example.se' AND payload->>'subject' LIKE $1`, [
        locale === 'sv' ? 'Du har fått en plats%' : 'You have a place%',
      ]);
      assert.equal(rows[0]!.n, 1, 'Anna is told she has a place');
    });
  }
});
