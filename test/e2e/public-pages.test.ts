/**
 * The pages every tenant's site has — home, accessibility statement, privacy notice, contact and
 * a 404 — in a real browser: for both municipalities in Swedish and English, axe-clean (WCAG 2.1
 * A and AA) and without CSP violations; once with JavaScript off; once by keyboard alone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { translate } from '../../src/kernel/i18n/index.ts';
import { browserAndServer, runJourney, NORRBY, SODERA, type Journey, type JourneyLocale } from './harness.ts';

const PAGES = ['/', '/accessibility', '/privacy', '/contact'];
const MISSING = '/no-such-page';

const live = browserAndServer({ demo: true });

function tenantName(host: string, locale: JourneyLocale): string {
  return live.server.tenants.forHost(host)!.name[locale];
}

/** The page is in the journey's language and names the municipality it belongs to. */
async function assertFrame(j: Journey, host: string, locale: JourneyLocale): Promise<void> {
  assert.equal(await j.page.locator('html').getAttribute('lang'), locale, `lang on ${j.page.url()}`);
  assert.match(await j.page.title(), new RegExp(tenantName(host, locale)), `title on ${j.page.url()}`);
  assert.equal(await j.page.locator('h1').count(), 1, `one h1 on ${j.page.url()}`);
  assert.ok(await j.page.locator('main#main h1').isVisible(), `visible h1 in main on ${j.page.url()}`);
}

async function visitAll(j: Journey, host: string, locale: JourneyLocale): Promise<void> {
  for (const p of PAGES) {
    await j.visit(p);
    await assertFrame(j, host, locale);
  }
  await j.visit(MISSING, { status: 404, label: '404 page' });
  await assertFrame(j, host, locale);
  assert.equal(await j.page.locator('h1').innerText(), translate(locale, 'error.title.404'));
}

describe('public pages in the browser', () => {
  for (const host of [NORRBY, SODERA]) {
    for (const locale of ['sv', 'en'] as const) {
      test(`${host} in ${locale}: every public page is axe-clean with no CSP violation`, async () => {
        await runJourney(live.browser, { server: live.server, tenantHost: host, locale }, (j) => visitAll(j, host, locale));
      });
    }
  }

  for (const [host, locale] of [[NORRBY, 'sv'], [SODERA, 'en']] as const) {
    test(`${host} in ${locale} with JavaScript off: pages work and the language switch works`, async () => {
      await runJourney(live.browser, { server: live.server, tenantHost: host, locale, javaScriptEnabled: false }, async (j) => {
        await visitAll(j, host, locale);
        const other = locale === 'sv' ? 'en' : 'sv';
        await j.visit('/privacy');
        await j.navigate(() => j.page.getByRole('link', { name: translate(locale, 'layout.language') }).click(), 'after language switch');
        assert.equal(new URL(j.page.url()).pathname, '/privacy', 'the switch returns to the same page');
        await assertFrame(j, host, other);
        // The choice sticks (a cookie), also over the browser's Accept-Language.
        await j.visit('/contact');
        await assertFrame(j, host, other);
      });
    });
  }

  test('a language-switch link with a hostile return path keeps Chromium on the site', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: 'hostile back in Chromium' }, async (j) => {
      // Nothing may leave the site; were it to, the request is recorded and then refused.
      const site = new URL(j.origin).host;
      await j.context.route((u) => u.host !== site, (route) => route.abort());
      // As written in a link: Chromium drops tab, CR and LF from a URL, so a Location of
      // "/\t/evil.example/" would be "//evil.example/", another site.
      for (const back of ['/%09/evil.example/', '%2F%09%2Fevil.example%2F', '/%0A/evil.example/', '/%0D/evil.example/', '/%5Cevil.example/', '/.//evil.example/', '/%2e%2e//evil.example/']) {
        // Not visit(): an off-site redirect fails the navigation, and what it tried is the finding.
        await j.page.goto(j.url(`/language?to=en&back=${back}`), { waitUntil: 'load' }).catch(() => undefined);
        const offSite = [...j.visitedUrls].filter((u) => new URL(u).host !== site);
        assert.deepEqual(offSite, [], `back=${back}: no request leaves the site`);
        const landed = new URL(j.page.url());
        assert.equal(landed.host + landed.pathname, `${site}/`, `back=${back}: the home page`);
        await j.check(`language switch, back=${back}`);
      }
    });
  });

  for (const [host, locale] of [[NORRBY, 'sv'], [SODERA, 'en']] as const) {
    test(`${host} in ${locale} by keyboard alone: skip link and language switch`, async () => {
      await runJourney(live.browser, { server: live.server, tenantHost: host, locale }, async (j) => {
        await j.visit('/');
        // The first Tab reaches the skip link, which becomes visible when focused.
        const skip = await j.tabTo(translate(locale, 'layout.skipToContent'), { max: 1 });
        assert.equal(skip.href, '#main');
        assert.ok(skip.inViewport, 'the focused skip link is visible');
        await j.check('home with the skip link focused');
        await j.page.keyboard.press('Enter');
        // Ask the page, not page.url(): Playwright learns of a same-document navigation from an
        // event that can arrive after the key press returns, so page.url() may still lack the hash.
        await j.page.waitForFunction(() => location.hash === '#main', undefined, { timeout: 5000 }).catch(() => undefined);
        assert.equal(await j.page.evaluate(() => location.hash), '#main');
        assert.ok(await j.focusWithin('main#main'), 'Enter on the skip link moves focus to main');
        // The next Tab continues inside the main content, past the header.
        await j.page.keyboard.press('Tab');
        assert.ok(await j.focusWithin('main#main'), 'Tab after the skip link stays in main');

        const other = locale === 'sv' ? 'en' : 'sv';
        await j.visit('/contact');
        const sw = await j.tabTo(translate(locale, 'layout.language'));
        assert.ok(sw.inViewport, 'the focused language switch is visible');
        await j.pressEnter({ label: 'contact after language switch by keyboard' });
        assert.equal(new URL(j.page.url()).pathname, '/contact');
        await assertFrame(j, host, other);
        // And back again.
        await j.tabTo(translate(other, 'layout.language'));
        await j.pressEnter({ label: 'contact after switching back by keyboard' });
        await assertFrame(j, host, locale);
      });
    });
  }
});
