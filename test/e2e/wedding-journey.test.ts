/**
 * Borgerlig vigsel (catalogue/shared/borgerlig-vigsel.yaml) in real Chromium, in Swedish and in
 * English, with JavaScript on (issue 10): a couple without a Swedish e-ID confirms an e-mail address
 * with a code, chooses the ceremony room and a Saturday time from the week table, gives their names,
 * witnesses and language, sends the booking without the certificate (it comes later), and reads it
 * by the private follow link: the room, the time, "Booked". The officiant free at the time is held
 * with the room. axe (WCAG 2.1 A/AA) on every page state; screenshots at 1280 and 375 px.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import '../../src/booking/messages.ts';
import '../../src/identity/email/messages.ts';
import '../../src/catalogue/messages.ts';
import { browserAndServer, tr, runJourney, newJourney, NORRBY, type Journey } from './harness.ts';
import { outboxCode } from './demo-staff.ts';
import { bothWidths, choose, press, type } from './keyboard.ts';

const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' });

const path = (j: Journey) => new URL(j.page.url()).pathname;
const h1 = (j: Journey) => j.page.locator('main h1').innerText();

/** A Saturday per language, both in February 2027, at 11:00 in Vigselrummet. */
const WHEN = {
  sv: { week: '2027-02-06', label: 'lördag 6 februari 11:00', time: 'lördag 6 februari 11:00–11:20', start: '2027-02-06T10:00:00.000Z', room: 'Vigselrummet, Norrby stadshus' },
  en: { week: '2027-02-13', label: 'Saturday 13 February 11:00', time: 'Saturday 13 February 11:00–11:20', start: '2027-02-13T10:00:00.000Z', room: 'The wedding room, Norrby City Hall' },
} as const;

async function book(j: Journey, email: string): Promise<string> {
  const t = tr(j.locale);
  const when = WHEN[j.locale];
  await j.visit('/services/borgerlig-vigsel', { label: 'the service page' });
  await bothWidths(j, 'service-page');
  await press(j, t('catalogue.service.startEmail'), 'which e-mail address');
  await j.tabTo(new RegExp(`^${t('email.start.label')}`));
  await j.typeInFocused(email);
  await press(j, t('email.start.send'), 'enter the code');
  await j.tabTo(new RegExp(`^${t('email.code.label')}$`));
  await j.typeInFocused(await outboxCode(live.server, email));
  await press(j, t('email.code.check'), 'what do you want to book');
  assert.match(path(j), /^\/apply\/[0-9a-f-]{36}\/time$/);
  assert.equal(await h1(j), t('booking.resources.title'));
  // The wedding's day first, then the room: its week opens on that day.
  await type(j, 'date', when.week);
  await press(j, t('booking.filter.apply'), 'the rooms that day');
  // The room by its name in the person's language (the register gives both).
  await press(j, when.room, "the room's week");
  await bothWidths(j, 'week');
  await j.page.getByLabel(when.time, { exact: true }).check();
  await press(j, t('forms.continue'), 'who is getting married');
  assert.match(path(j), /\/couple$/);
  await type(j, 'partnerOne', 'Alex Martin');
  await type(j, 'partnerTwo', 'Sam Moreau');
  await press(j, t('forms.continue'), 'witnesses');
  await type(j, 'witnessOne', 'Kim Berg');
  await type(j, 'witnessTwo', 'Robin Ek');
  await press(j, t('forms.continue'), 'language');
  await choose(j, 'language', 'fr');
  await press(j, t('forms.continue'), 'the certificate (later)');
  assert.match(path(j), /\/documents$/);
  await press(j, t('forms.continue'), 'how do we reach you');
  assert.equal(await j.page.locator('[name="email"]').inputValue(), email, 'the confirmed address is filled in');
  await press(j, t('forms.continue'), 'check your answers');
  const check = await j.page.locator('main').innerText();
  assert.ok(check.includes(when.time), `the time: ${when.time}`);
  for (const s of ['Alex Martin', 'Sam Moreau', 'Kim Berg', 'Robin Ek']) assert.ok(check.includes(s), s);
  await bothWidths(j, 'check');
  await press(j, t('forms.check.send.booking'), 'booked');
  assert.equal(await h1(j), t('forms.confirm.title.booking'));
  assert.ok((await j.page.locator('main').innerText()).includes(t('booking.confirmation.booked')));
  const follow = (await j.page.locator('a.mb-follow-link').getAttribute('href'))!;
  assert.match(follow, /^\/follow\/[A-Za-z0-9_-]{43}$/);
  await bothWidths(j, 'confirmation');
  return follow;
}

describe('borgerlig vigsel: a couple without e-ID books a ceremony and follows it by its link', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(locale === 'sv' ? 'in Swedish' : 'in English', async () => {
      const t = tr(locale);
      const email = `par-${locale}@example.com`;
      let follow = '';
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `wedding-${locale}` }, async (j) => {
        follow = await book(j, email);
      });
      const other = await newJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `wedding-follow-${locale}` });
      try {
        await other.visit(follow, { label: 'the follow page' });
        const text = await other.page.locator('main').innerText();
        assert.ok(text.includes(t('booking.case.title')), 'the booking is on the follow page');
        assert.ok(text.includes(WHEN[locale].time));
        assert.ok(text.includes(WHEN[locale].room), `the room: ${WHEN[locale].room}`);
        await bothWidths(other, 'follow');
        other.assertClean();
      } finally {
        await other.close();
      }
      const { rows } = await live.server.tdb.db.query<{ resource_id: string }>(
        `SELECT c.resource_id FROM booking_claims c JOIN bookings b ON b.id = c.booking_id WHERE b.tenant_id = 'norrby' AND b.starts_at = $1 AND c.active ORDER BY 1`,
        [WHEN[locale].start],
      );
      assert.equal(rows.length, 2, 'the room and an officiant');
      assert.equal(rows[0]!.resource_id, 'ceremony-rooms/nby-vigselrummet');
      assert.match(rows[1]!.resource_id, /^officiants\//);
    });
  }
});
