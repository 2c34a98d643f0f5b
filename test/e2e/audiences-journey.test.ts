/**
 * Audiences beyond e-ID in a real browser, in Swedish and English (ADR 0015): a tip sent without
 * signing in, with an e-mail address verified by code, then followed through the private link from
 * another browser; and a company's application by its signatory, who chooses the company, after a
 * refused number typed by hand. Every page axe-clean, no CSP violation.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot } from '../helpers/app.ts';
import { tenantsFileWithCatalogue } from '../helpers/test-catalogue.ts';
import { browserAndServer, exact, tr, newJourney, runJourney, NORRBY, type Journey } from './harness.ts';
import { outboxCode } from './demo-staff.ts';

const live = browserAndServer(() => ({ demo: true, env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(path.join(repoRoot, 'test/fixtures/catalogue-audiences')) } }));

const h1 = (j: Journey) => j.page.locator('main h1').innerText();
const button = (j: Journey, name: string) => j.page.getByRole('button', { name: exact(name) });

describe('anyone: a tip without signing in, followed by its private link', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`in ${locale === 'sv' ? 'Swedish' : 'English'}`, async () => {
      const t = tr(locale);
      const email = `tipper-${locale}@example.se`;
      let followHref = '';
      let reference = '';
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `anonymous-${locale}` }, async (j) => {
        await j.visit('/services/tip');
        await j.navigate(() => j.page.getByRole('link', { name: exact(t('catalogue.service.start')) }).click(), 'the first question, without signing in');
        assert.match(new URL(j.page.url()).pathname, /^\/apply\/[0-9a-f-]{36}\/what$/);
        await j.page.getByLabel(locale === 'sv' ? 'Vad vill du tipsa om?' : 'What is your tip?', { exact: true }).fill('Trasig bänk vid dammen');
        await j.navigate(() => button(j, t('forms.continue')).click(), 'check your answers, offering to confirm an address');
        assert.equal(await h1(j), t('forms.check.title'));
        await j.navigate(() => j.page.getByRole('link', { name: exact(t('forms.contact.verify')) }).click(), 'which e-mail address');
        assert.equal(await h1(j), t('email.start.title'));
        await j.page.getByLabel(t('email.start.label'), { exact: true }).fill('not an address');
        await j.navigate(() => button(j, t('email.start.send')).click(), 'which e-mail address, with an error');
        assert.ok((await j.page.locator('main').innerText()).includes(t('email.error.address')));
        await j.page.getByLabel(t('email.start.label'), { exact: true }).fill(email);
        await j.navigate(() => button(j, t('email.start.send')).click(), 'enter the code');
        assert.equal(await h1(j), t('email.code.title'));
        const code = await outboxCode(live.server, email);
        await j.page.getByLabel(t('email.code.label'), { exact: true }).fill(code === '000000' ? '111111' : '000000');
        await j.navigate(() => button(j, t('email.code.check')).click(), 'enter the code, with an error');
        assert.ok((await j.page.locator('main').innerText()).includes(t('email.error.wrong', { left: 4 })));
        await j.page.setViewportSize({ width: 375, height: 800 });
        await j.screenshot(`code-error-375-${locale}`);
        await j.page.setViewportSize({ width: 1280, height: 800 });
        await j.page.getByLabel(t('email.code.label'), { exact: true }).fill(code);
        await j.navigate(() => button(j, t('email.code.check')).click(), 'check your answers with the confirmed address');
        assert.ok((await j.page.locator('main').innerText()).includes(email));
        await j.navigate(() => button(j, t('forms.check.send.report')).click(), 'confirmation with the follow link');
        assert.equal(await h1(j), t('forms.confirm.title.report'));
        reference = (await j.page.locator('.mb-reference').innerText()).trim();
        followHref = (await j.page.locator('a.mb-follow-link').getAttribute('href'))!;
        assert.match(followHref, /^\/follow\/[A-Za-z0-9_-]{43}$/);
        await j.screenshot(`anonymous-confirmation-${locale}`);
      });
      // Someone else's browser, with only the link.
      const other = await newJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `follow-${locale}` });
      try {
        await other.visit(followHref, { label: 'the follow page' });
        assert.equal(await h1(other), t('follow.title', { reference }));
        await other.page.getByLabel(t('my.case.writeMessage'), { exact: true }).fill('Bänken står vid norra dammen.');
        await other.navigate(() => button(other, t('my.case.send')).click(), 'the follow page after a message');
        assert.ok((await other.page.locator('main').innerText()).includes(t('follow.sent')));
        await other.page.setViewportSize({ width: 375, height: 800 });
        await other.screenshot(`follow-375-${locale}`);
        await other.visit(`/follow/${'A'.repeat(43)}`, { status: 404, label: 'a guessed follow link' });
        other.assertClean();
      } finally {
        await other.close();
      }
    });
  }
});

describe('representative: a company applies through its signatory', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`in ${locale === 'sv' ? 'Swedish' : 'English'}`, async () => {
      const t = tr(locale);
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `company-${locale}` }, async (j) => {
        await j.visit(`/sign-in?back=${encodeURIComponent('/services/licence/apply')}`, { label: 'test e-ID: choose a person' });
        await j.page.getByLabel('Sara Lind', { exact: true }).check();
        await j.navigate(() => button(j, t('eid.testIdp.signIn')).click(), 'which organisation');
        assert.equal(new URL(j.page.url()).pathname, '/services/licence/organisation');
        assert.equal(await h1(j), t('forms.organisation.title'));
        // A company she may not sign for is refused, with the number kept.
        await j.page.getByLabel(t('forms.organisation.other'), { exact: true }).check();
        await j.page.getByLabel(t('forms.organisation.number'), { exact: true }).fill('556012-3456');
        await j.navigate(() => button(j, t('forms.continue')).click(), 'which organisation, not a signatory');
        assert.ok((await j.page.locator('main').innerText()).includes(t('forms.organisation.error.notSignatory', { name: 'Söderå Bygg AB' })));
        await j.screenshot(`organisation-error-${locale}`);
        await j.page.setViewportSize({ width: 375, height: 800 });
        await j.screenshot(`organisation-error-375-${locale}`);
        await j.page.setViewportSize({ width: 1280, height: 800 });
        await j.page.getByLabel('Norrby Krog & Kök AB', { exact: true }).check();
        await j.navigate(() => button(j, t('forms.continue')).click(), 'the first question for the company');
        assert.match(new URL(j.page.url()).pathname, /^\/apply\/[0-9a-f-]{36}\/venue$/);
        await j.page.getByLabel(locale === 'sv' ? 'Serveringsställets namn' : 'Name of the premises', { exact: true }).fill('Krogen vid torget');
        await j.navigate(() => button(j, t('forms.continue')).click(), 'check your answers');
        await j.navigate(() => button(j, t('forms.check.send')).click(), 'confirmation');
        assert.equal(await h1(j), t('forms.confirm.title'));
        await j.navigate(() => j.page.getByRole('link', { name: exact(t('forms.confirm.myCases')) }).click(), 'the company case');
        assert.ok((await j.page.locator('main').innerText()).includes('Krogen vid torget'));
        await j.screenshot(`company-case-${locale}`);
      });
    });
  }
});
