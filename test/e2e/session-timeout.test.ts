/**
 * The session-timeout warning (WCAG 2.2.1 Timing Adjustable) in a real browser: enhance.js counts
 * from the seconds the server says are left, warns two minutes before the end with the time in
 * words in a modal dialog that keeps focus inside (Tab and Shift+Tab go round), extends the session
 * when asked or on Escape, signs out when asked, and — when the time has run out or extending fails —
 * says in an alert (announced, with focus) that the user has been signed out. axe on every state,
 * at desktop width and on a phone.
 *
 * The browser's timers run on Playwright's fake clock (fast-forwarded); the server's clock is the
 * harness's movable one, moved on its own to end the session behind the page's back.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { translate } from '../../src/kernel/i18n/index.ts';
import { signInResident, ANNA } from '../helpers/sign-in.ts';
import { SESSION_COOKIE } from '../../src/kernel/http/index.ts';
import { hashToken } from '../../src/kernel/http/session.ts';
import { browserAndServer, runJourney, NORRBY, type Journey, type JourneyLocale } from './harness.ts';

const live = browserAndServer({ demo: true, env: { SESSION_IDLE_MINUTES: '20' } });

/** A signed-in resident's session in the journey's browser (the e-ID sign-in is the other journeys' business). */
async function signedIn(j: Journey, locale: JourneyLocale): Promise<void> {
  const who = await signInResident(live.server, `${NORRBY}:${live.server.port}`, ANNA, locale);
  await j.context.addCookies([{ name: SESSION_COOKIE, value: who.jar.cookies.get(SESSION_COOKIE)!, url: j.url('/') }]);
}

const warning = (j: Journey) => j.page.getByRole('alertdialog');

async function sessionToken(j: Journey): Promise<string> {
  const token = (await j.context.cookies()).find((c) => c.name === SESSION_COOKIE)?.value;
  assert.ok(token, 'the browser has a session cookie');
  return token;
}

/** The session's row, found as the server finds it (by the SHA-256 of the cookie's token), if any. */
async function sessionRow(token: string): Promise<{ expires_at: Date } | undefined> {
  const { rows } = await live.server.tdb.db.query<{ expires_at: Date }>('SELECT expires_at FROM sessions WHERE id = $1', [hashToken(token)]);
  return rows[0];
}

async function sessionExpiry(j: Journey): Promise<number> {
  const row = await sessionRow(await sessionToken(j));
  assert.ok(row, 'the session is in the database');
  return new Date(row.expires_at).getTime();
}

describe('the session-timeout warning', () => {
  test('sv: the warning comes two minutes before the end the server gave, extends, and says so when extending fails', async () => {
    const t = (key: string, vars?: Record<string, string | number>) => translate('sv', key, vars);
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: 'session timeout sv' }, async (j) => {
      await signedIn(j, 'sv');
      await j.page.clock.install();
      // 30 s after sign-in the server has not moved the end (it does so at most once a minute):
      // the page is told 1170 s, and the warning must come 120 s before that, not before 1200.
      live.server.clock.advance(30_000);
      await j.visit('/my/cases');
      // (The server's clock runs on in real time too, so a few seconds less may be left.)
      const left = Number(await j.page.locator('body').getAttribute('data-session-left'));
      assert.ok(left <= 1170 && left > 1150, `the page is told what is left (${left} s), not the 1200 s limit`);
      // The page's clock also runs on in real time while axe checks the page: hence the margins.
      await j.page.clock.fastForward((left - 120 - 30) * 1000);
      assert.equal(await warning(j).count(), 0, 'no warning long before two minutes are left');
      // Had the script counted from the limit, the warning would come at 1200 - 120 = 1080 s, not by now.
      await j.page.clock.fastForward(31_000);
      await warning(j).waitFor({ timeout: 2000 });
      assert.equal(await warning(j).getByRole('heading').innerText(), t('layout.session.warningTitle'));
      assert.ok((await warning(j).innerText()).includes(t('layout.session.warningBody', { time: t('layout.session.minutes', { minutes: 2 }) })), 'says two minutes are left');
      const extend = warning(j).getByRole('button', { name: t('layout.session.extend'), exact: true });
      assert.ok(await extend.evaluate((el) => el === document.activeElement), 'the button has focus');
      await j.check('session warning');

      // Stay signed in: the server moves the end; the warning goes and comes back 18 minutes on.
      const extended = j.page.waitForResponse((r) => r.url().endsWith('/session/extend'));
      await j.page.keyboard.press('Enter');
      assert.equal((await extended).status(), 200);
      await warning(j).waitFor({ state: 'detached' });
      await j.page.clock.fastForward((1200 - 119) * 1000);
      await warning(j).waitFor();

      // Meanwhile the session ended on the server (idle past its end as the server counts it).
      live.server.clock.advance(21 * 60_000);
      const refused = j.page.waitForResponse((r) => r.url().endsWith('/session/extend'));
      await warning(j).getByRole('button', { name: t('layout.session.extend'), exact: true }).click();
      assert.ok((await refused).status() >= 400);
      const alert = j.page.getByRole('alert');
      await alert.waitFor();
      assert.equal(await warning(j).count(), 0, 'the warning is gone');
      assert.equal(await alert.getByRole('heading').innerText(), t('layout.session.endedTitle'));
      assert.ok((await alert.innerText()).includes(t('layout.session.extendFailed')), 'says the session could not be extended');
      assert.ok(await j.focusWithin('[role=alert]'), 'the alert has focus');
      assert.equal(await alert.getByRole('link', { name: t('layout.session.signInAgain'), exact: true }).getAttribute('href'), `/sign-in?back=${encodeURIComponent('/my/cases')}`);
      await j.check('session could not be extended');
      // The refused extension is this step's point, not a broken resource: take it off the harness's list.
      const expected = j.resourceErrors.findIndex((e) => /^419 POST \S+\/session\/extend /.test(e));
      assert.ok(expected >= 0, 'the refused extension was seen');
      j.resourceErrors.splice(expected, 1);
    });
  });

  test('sv, phone: focus stays in the warning, Escape extends, and "Logga ut" signs out', async () => {
    const t = (key: string, vars?: Record<string, string | number>) => translate('sv', key, vars);
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: 'session timeout keyboard', viewport: { width: 375, height: 740 } }, async (j) => {
      await signedIn(j, 'sv');
      await j.page.clock.install();
      await j.visit('/my/cases');
      const left = Number(await j.page.locator('body').getAttribute('data-session-left'));
      await j.page.clock.fastForward((left - 119) * 1000);
      await warning(j).waitFor();
      const extend = warning(j).getByRole('button', { name: t('layout.session.extend'), exact: true });
      const signOut = warning(j).getByRole('button', { name: t('layout.signOut'), exact: true });
      assert.ok(await extend.evaluate((el) => el === document.activeElement), 'the button has focus');
      // The dialog fits the phone's screen, its buttons whole.
      const box = (await warning(j).boundingBox())!;
      assert.ok(box.x >= 0 && box.x + box.width <= 375 && box.y >= 0 && box.y + box.height <= 740, `the dialog fits a 375 x 740 screen: ${JSON.stringify(box)}`);
      await j.check('session warning on a phone');
      // Tab and Shift+Tab go round the dialog's two buttons, never to the page behind it.
      for (const [key, expected] of [['Tab', t('layout.signOut')], ['Tab', t('layout.session.extend')], ['Shift+Tab', t('layout.signOut')], ['Shift+Tab', t('layout.session.extend')]] as const) {
        await j.page.keyboard.press(key);
        assert.ok(await j.focusWithin('[role=alertdialog]'), `after ${key} focus is still in the dialog (on ${JSON.stringify(await j.focused())})`);
        assert.equal((await j.focused()).name, expected, `${key} moves to "${expected}"`);
      }

      // Escape extends the session, as "Fortsätt vara inloggad" does: the server moves the end.
      const before = await sessionExpiry(j);
      live.server.clock.advance(90_000);
      const extended = j.page.waitForResponse((r) => r.url().endsWith('/session/extend'));
      await j.page.keyboard.press('Escape');
      assert.equal((await extended).status(), 200);
      await warning(j).waitFor({ state: 'detached' });
      assert.ok((await sessionExpiry(j)) > before, 'Escape extended the session in the database');

      // Next time, "Logga ut" ends the session there and then.
      await j.page.clock.fastForward((1200 - 119) * 1000);
      await warning(j).waitFor();
      const token = await sessionToken(j);
      await j.navigate(() => signOut.click(), 'signed out from the warning');
      assert.equal(await sessionRow(token), undefined, 'the session is gone from the database');
      // As the header's "Logga ut" does (this session was not made by an e-ID sign-in, so no e-ID question).
      assert.equal(new URL(j.page.url()).pathname, '/signed-out');
      assert.ok(await j.page.locator('header').getByRole('link', { name: t('layout.signIn'), exact: true }).isVisible(), 'the header offers to sign in');
    });
  });

  test('en: left alone, the time runs out and the page says the user has been signed out', async () => {
    const t = (key: string, vars?: Record<string, string | number>) => translate('en', key, vars);
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'en', name: 'session timeout en' }, async (j) => {
      await signedIn(j, 'en');
      await j.page.clock.install();
      await j.visit('/my/cases');
      const left = Number(await j.page.locator('body').getAttribute('data-session-left'));
      assert.ok(left <= 1200 && left > 1180, `${left} s left`);
      await j.page.clock.fastForward((left - 119) * 1000);
      await warning(j).waitFor();
      assert.ok((await warning(j).innerText()).includes(t('layout.session.warningBody', { time: t('layout.session.minutes', { minutes: 2 }) })));
      await j.page.clock.fastForward(120_000);
      const alert = j.page.getByRole('alert');
      await alert.waitFor();
      assert.ok((await alert.innerText()).includes(t('layout.session.ended')));
      assert.ok(await j.focusWithin('[role=alert]'), 'the alert has focus');
      await j.check('session ended');
    });
  });
});
