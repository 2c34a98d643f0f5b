/**
 * Seasonal times in real Chromium (ADR 0041): Sara Lind applies for Norrby Krog & Kök AB's weekly
 * times in the autumn season — a time the hall is not open is answered, two times are added and one
 * removed, the questions, check your answers, sent — by keyboard; then, after the last day to apply,
 * Klara at the leisure office opens the season's schedule and allocates it, and Sara's case page
 * shows the times granted. Swedish with JavaScript off, English with it on; axe (WCAG 2.1 A/AA and
 * best practice) on every page state; screenshots at 1280 and 375 px.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import '../../src/booking/season-messages.ts';
import { LANG_COOKIE, SESSION_COOKIE } from '../../src/kernel/http/index.ts';
import { staffSession } from '../helpers/sign-in.ts';
import { browserAndServer, tr, runJourney, NORRBY, type Journey } from './harness.ts';
import { bothWidths, chooseByLabel, press, select, tick, type } from './keyboard.ts';

const live = browserAndServer({ demo: true, now: '2026-12-06T10:00:00Z' });
const path = (j: Journey) => new URL(j.page.url()).pathname;
const h1 = (j: Journey) => j.page.locator('main h1').innerText();

describe('sasongstider: an association applies for weekly times; staff allocate the season', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(locale === 'sv' ? 'in Swedish, without JavaScript' : 'in English, with JavaScript', async () => {
      const t = tr(locale);
      const js = locale === 'en';
      live.server.clock.set('2026-12-06T10:00:00Z');
      // Each language's run starts from a season nobody has applied for.
      const db = live.server.tdb.db;
      await db.query("DELETE FROM booking_claims WHERE tenant_id = 'norrby' AND booking_id IN (SELECT id FROM bookings WHERE tenant_id = 'norrby' AND service_id = 'sasongstider')");
      await db.query("DELETE FROM bookings WHERE tenant_id = 'norrby' AND service_id = 'sasongstider'");
      await db.query("DELETE FROM season_requests WHERE tenant_id = 'norrby'");
      await db.query("DELETE FROM booking_seasons WHERE tenant_id = 'norrby'");
      let casePath = '';
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `season-apply-${locale}` }, async (j) => {
        await j.visit(`/sign-in?back=${encodeURIComponent('/services/sasongstider/apply')}`, { label: 'test e-ID: choose a person' });
        await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, 'Sara Lind');
        await press(j, t('eid.testIdp.signIn'), 'which organisation');
        await chooseByLabel(j, (await j.page.getByLabel('Norrby Krog & Kök AB', { exact: true }).getAttribute('name'))!, 'Norrby Krog & Kök AB');
        await press(j, t('forms.continue'), 'the weekly times');
        assert.match(path(j), /\/weekly-times$/);
        assert.equal(await h1(j), t('season.step.title'));
        // Nothing added yet: continuing says so.
        await press(j, t('season.step.continue'), 'error: no time');
        assert.ok((await j.page.locator('.ds-error-summary').innerText()).includes(t('season.error.noTimes')));
        // A time the hall is closed.
        await select(j, 'resource', 'nby-norrbyhallen');
        await select(j, 'weekday', 'tue');
        await type(j, 'from', '14:00');
        await type(j, 'to', '15:30');
        await press(j, t('season.step.addButton'), 'error: closed then');
        assert.ok((await j.page.locator('.ds-error-summary').innerText()).includes('16:00–22:00'));
        assert.equal(await j.page.locator('[name="from"]').inputValue(), '14:00', 'the answer is kept');
        await type(j, 'from', '18:00');
        await type(j, 'to', '19:30');
        await press(j, t('season.step.addButton'), 'one time added');
        assert.ok((await j.page.locator('main [role="status"]').innerText()).length > 0, 'the addition is announced');
        await select(j, 'resource', 'nby-ekbackshallen');
        await select(j, 'weekday', 'sat');
        await type(j, 'from', '10:00');
        await type(j, 'to', '12:00');
        await press(j, t('season.step.addButton'), 'two times added');
        await bothWidths(j, 'season-times');
        // The second is removed again (its button names it).
        await j.tabTo(new RegExp(`^\\s*${t('season.step.remove')}.*Ekbackshallen`), { max: 80 });
        await j.pressEnter({ label: 'one time removed' });
        assert.equal(await j.page.locator('button[name="remove"]').count(), 1);
        await press(j, t('season.step.continue'), 'the activity');
        await type(j, 'sport', 'Korpfotboll');
        await chooseByLabel(j, 'activityFor', locale === 'sv' ? 'Vuxna' : 'Adults');
        await type(j, 'teams', '2');
        await type(j, 'participants', '30');
        await press(j, t('forms.continue'), 'the contact');
        await type(j, 'responsible', 'Sara Lind');
        await type(j, 'email', `sara-${locale}@example.se`);
        await type(j, 'phone', '070-123 45 67');
        await press(j, t('forms.continue'), 'check your answers');
        assert.ok((await j.page.locator('main').innerText()).includes(t('season.summary.title')));
        await bothWidths(j, 'season-check');
        await press(j, t('forms.check.send.booking'), 'sent');
        assert.ok((await j.page.locator('main').innerText()).includes(t('season.confirmation.title')));
        await bothWidths(j, 'season-confirmation');
        casePath = (await j.page.locator('a[href^="/my/cases/"]').last().getAttribute('href'))!;
      });
      // After the last day to apply, Klara allocates the season.
      live.server.clock.set('2027-04-01T08:00:00Z');
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `season-allocate-${locale}` }, async (j) => {
        const { rows } = await live.server.tdb.db.query<{ id: string; display_name: string }>("SELECT id, display_name FROM staff_accounts WHERE tenant_id = 'norrby' AND username = 'klara'");
        let klara = rows[0];
        if (!klara) {
          const { createStaffAccount } = await import('../../src/identity/staff/index.ts');
          const tenant = live.server.tenants.forHost(NORRBY)!;
          const { tenantScope } = await import('../../src/kernel/db/index.ts');
          const created = await createStaffAccount(tenantScope(live.server.tdb.db, 'norrby'), {
            tenant,
            sessionSecret: live.server.config.sessionSecret,
            username: 'klara',
            displayName: 'Klara Kulturhandläggare',
            email: 'klara@norrby.example',
            roles: ['handler'],
            departments: ['culture-and-leisure'],
            declaredRoles: live.server.app.catalogue.staffRoles('norrby'),
            password: 'correct horse battery staple',
            totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
            now: live.server.clock.now(),
          });
          klara = { id: created.account.id, display_name: 'Klara Kulturhandläggare' };
        }
        const session = await staffSession(live.server, `${NORRBY}:${live.server.port}`, klara.id, klara.display_name);
        const url = j.url('/');
        await j.context.addCookies([
          { name: SESSION_COOKIE, value: session.jar.cookies.get(SESSION_COOKIE)!, url },
          { name: LANG_COOKIE, value: locale, url },
        ]);
        await j.visit('/staff/bookings/seasons', { label: 'the seasons' });
        await j.navigate(() => j.page.getByRole('link', { name: locale === 'sv' ? 'Hösten 2027' : 'Autumn 2027', exact: true }).first().click(), 'the schedule');
        assert.ok((await j.page.locator('main').innerText()).includes('Norrby Krog'));
        await bothWidths(j, 'season-schedule');
        await tick(j, '#f-confirm');
        await press(j, t('season.staff.allocate'), 'allocated');
        assert.ok((await j.page.locator('main [role="status"], main .ds-alert').first().innerText()).length > 0);
        await bothWidths(j, 'season-allocated');
      });
      // Sara's case page says which times she got.
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `season-case-${locale}` }, async (j) => {
        await j.visit(`/sign-in?back=${encodeURIComponent(casePath)}`, { label: 'test e-ID: choose a person' });
        await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, 'Sara Lind');
        await press(j, t('eid.testIdp.signIn'), 'her case');
        const text = await j.page.locator('main').innerText();
        assert.ok(text.includes(t('season.case.outcome.given')), 'granted');
        await bothWidths(j, 'season-case');
      });
    });
  }
});
