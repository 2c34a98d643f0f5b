/**
 * The accessibility crawl: the pages the browser journeys visit, once more in English at desktop
 * width and in Swedish at phone width (375 px), each checked with axe (WCAG 2.1 A/AA and best
 * practices, as every journey is). A crawl, not the journeys again: it signs in by session (the
 * e-ID and staff sign-in are the journeys' business), goes to each page, and finds the pages of
 * one person's cases by following their links, so it keeps up with the pages as they change.
 *
 * Who: a visitor (public pages, the test e-ID's sign-in page, staff sign-in), Karin Holm (the demo
 * seed gives her a pre-school case with a decision), Hanna the case handler (the inbox, every
 * case's page and the pages its actions link to), the administrator and the security officer.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LANG_COOKIE, SESSION_COOKIE } from '../../src/kernel/http/index.ts';
import { signInResident, staffSession, type SignedIn } from '../helpers/sign-in.ts';
import { browserAndServer, runJourney, seedDemoData, tr, NORRBY, type Journey, type JourneyLocale } from './harness.ts';

const KARIN = { personalNumber: '198502209862', givenName: 'Karin', familyName: 'Holm' };
const VARIANTS: { name: string; locale: JourneyLocale; viewport: { width: number; height: number } }[] = [
  { name: 'English, desktop', locale: 'en', viewport: { width: 1280, height: 900 } },
  { name: 'Swedish, 375 px', locale: 'sv', viewport: { width: 375, height: 812 } },
];

const live = browserAndServer({ demo: true }, async (server) => {
  await seedDemoData(server);
});

async function useSession(j: Journey, who: SignedIn): Promise<void> {
  const url = j.url('/');
  await j.context.addCookies([
    { name: SESSION_COOKIE, value: who.jar.cookies.get(SESSION_COOKIE)!, url },
    { name: LANG_COOKIE, value: j.locale, url },
  ]);
}

async function staffSignedIn(j: Journey, username: string): Promise<void> {
  const { rows } = await live.server.tdb.db.query<{ id: string; display_name: string }>(
    "SELECT id, display_name FROM staff_accounts WHERE tenant_id = 'norrby' AND username = $1",
    [username],
  );
  assert.ok(rows[0], `the demo seed has ${username}`);
  await useSession(j, await staffSession(live.server, `${NORRBY}:${live.server.port}`, rows[0].id, rows[0].display_name));
}

/** The same-origin links on the page whose path matches `pattern`, without query or fragment, each once. */
async function linksOn(j: Journey, pattern: RegExp): Promise<string[]> {
  const hrefs = await j.page.locator('main a[href]').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  const paths = hrefs.map((h) => new URL(h)).filter((u) => u.origin === new URL(j.origin).origin).map((u) => u.pathname);
  return [...new Set(paths.filter((p) => pattern.test(p)))];
}

/** Visits every path once (axe on each), skipping the ones already seen in this journey. */
async function visitAll(j: Journey, paths: string[], seen: Set<string>): Promise<void> {
  for (const p of paths) {
    if (seen.has(p)) continue;
    seen.add(p);
    await j.visit(p);
  }
}

for (const [variantIndex, v] of VARIANTS.entries()) {
  describe(`axe crawl: ${v.name}`, () => {
    const opts = { tenantHost: NORRBY, locale: v.locale, viewport: v.viewport };
    const t = tr(v.locale);

    test('public pages, the test e-ID sign-in page and staff sign-in', async () => {
      await runJourney(live.browser, { ...opts, server: live.server, name: `crawl public ${v.name}` }, async (j) => {
        const seen = new Set<string>();
        await visitAll(j, ['/', '/services', '/services/forskola', '/accessibility', '/privacy', '/contact', '/staff/sign-in', '/dev/mailbox'], seen);
        await j.visit(`/services?q=${encodeURIComponent(v.locale === 'sv' ? 'förskola' : 'preschool')}`);
        // Every service page the catalogue lists, each in one of the two variants (alternately): the
        // pages share one template, which both variants check in full on the pre-school page above.
        await j.visit('/services');
        const servicePages = (await linksOn(j, /^\/services\/[\w-]+$/)).sort();
        assert.ok(servicePages.length > 10, 'the service list links every service');
        await visitAll(j, servicePages.filter((_, i) => i % VARIANTS.length === variantIndex), seen);
        // One life situation's list and one area's (the list's two ways in).
        await j.visit('/services?situation=growing-older');
        await j.visit('/services?area=culture-and-leisure');
        // Sign-in goes to the test e-ID's own page (and its error state).
        await j.visit('/sign-in?back=%2Fmy%2Fcases', { label: 'test e-ID sign-in' });
        assert.match(new URL(j.page.url()).pathname, /^\/test-idp\/interaction\//);
        await j.navigate(() => j.page.getByRole('button', { name: tr(v.locale)('eid.testIdp.signIn'), exact: true }).click(), 'test e-ID: error state');
      });
    });

    test('a resident: My cases, each case, a form step and its error state', async () => {
      await runJourney(live.browser, { ...opts, server: live.server, name: `crawl resident ${v.name}` }, async (j) => {
        await useSession(j, await signInResident(live.server, `${NORRBY}:${live.server.port}`, KARIN, v.locale));
        const seen = new Set<string>();
        await j.visit('/my/cases');
        const cases = await linksOn(j, /^\/my\/cases\/[0-9a-f-]{36}$/);
        assert.ok(cases.length > 0, 'Karin has cases from the demo seed');
        await visitAll(j, cases, seen);
        // The first step of an application, and its error state.
        await j.visit('/services/forskola');
        await j.navigate(() => j.page.getByRole('link', { name: t('catalogue.service.start'), exact: true }).or(j.page.getByRole('button', { name: t('catalogue.service.start'), exact: true })).first().click(), 'first step');
        assert.match(new URL(j.page.url()).pathname, /^\/apply\//);
        await j.navigate(() => j.page.getByRole('button', { name: t('forms.continue'), exact: true }).click(), 'first step: error state');
      });
    });

    test('staff: the inbox, every case, the pages its actions link to, administration and the audit log', async () => {
      await runJourney(live.browser, { ...opts, server: live.server, name: `crawl handler ${v.name}` }, async (j) => {
        await staffSignedIn(j, 'hanna');
        const seen = new Set<string>();
        await visitAll(j, ['/staff', '/staff/password', '/staff/cases'], seen);
        const cases = await linksOn(j, /^\/staff\/cases\/[0-9a-f-]{36}$/);
        assert.ok(cases.length > 0, 'the inbox lists the demo cases');
        for (const c of cases) {
          await visitAll(j, [c], seen);
          // Pages of the case's actions (decide, request a supplement …); not files or PDFs.
          await visitAll(j, (await linksOn(j, new RegExp(`^${c}/`))).filter((p) => !/\.pdf$|\/attachments\//.test(p)), seen);
        }
      });
      await runJourney(live.browser, { ...opts, server: live.server, name: `crawl admin ${v.name}` }, async (j) => {
        await staffSignedIn(j, 'admin');
        const seen = new Set<string>(['/staff/admin/accounts']);
        await j.visit('/staff/admin/accounts');
        await visitAll(j, (await linksOn(j, /^\/staff\/admin\/accounts\/[^/]+$/)).slice(0, 2), seen);
      });
      await runJourney(live.browser, { ...opts, server: live.server, name: `crawl audit ${v.name}` }, async (j) => {
        await staffSignedIn(j, 'sakerhet');
        await visitAll(j, ['/staff/audit', '/staff/audit/staff-accounts'], new Set());
      });
    });
  });
}
