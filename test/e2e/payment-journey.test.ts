/**
 * A service with a fee, in a real browser, in Swedish and English: sign in, answer, check your
 * answers with the fee, pay at the demo provider and have it fail (back to check your answers,
 * answers kept, the reason said), pay again with the callback coming only later (the return
 * creates the case), and see the payment on the case page. Every page axe-clean, no CSP violation.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_CATALOGUE, tenantsFileWithCatalogue } from '../helpers/test-catalogue.ts';
import { browserAndServer, exact, tr, runJourney, NORRBY, type Journey } from './harness.ts';

const live = browserAndServer(() => ({ demo: true, env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(ENGINE_CATALOGUE) } }));

const h1 = (j: Journey) => j.page.locator('main h1').innerText();
const button = (j: Journey, name: string) => j.page.getByRole('button', { name: exact(name) });

async function signIn(j: Journey): Promise<void> {
  const t = tr(j.locale);
  await j.visit(`/sign-in?back=${encodeURIComponent('/services/permit/apply')}`, { label: 'test e-ID: choose a person' });
  await j.page.getByLabel('Anna Andersson', { exact: true }).check();
  await j.navigate(() => button(j, t('eid.testIdp.signIn')).click(), 'the first step after e-ID sign-in');
  assert.match(new URL(j.page.url()).pathname, /^\/apply\/[0-9a-f-]{36}\/event$/);
}

async function pay(j: Journey, choice: 'fail' | 'succeedLate'): Promise<void> {
  const t = tr(j.locale);
  await j.navigate(() => button(j, t('payments.fee.pay')).click(), 'the demo payment provider');
  assert.match(new URL(j.page.url()).pathname, /^\/test-pay\/DEMO-/);
  assert.equal(await h1(j), t('payments.demo.title'));
  assert.match(await j.page.locator('main').innerText(), j.locale === 'sv' ? /1\s500\skr/ : /SEK\s1,500/);
  await j.page.getByLabel(t(`payments.demo.choice.${choice}`), { exact: true }).check();
  await j.navigate(() => button(j, t('payments.demo.continue')).click(), choice === 'fail' ? 'check your answers after a failed payment' : 'confirmation after paying');
}

describe('a service with a fee, paid through the demo provider', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`in ${locale === 'sv' ? 'Swedish' : 'English'}: fail, keep the answers, pay, see the payment on the case`, async () => {
      const t = tr(locale);
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `payment-${locale}` }, async (j) => {
        await signIn(j);
        const name = locale === 'sv' ? 'Sommarfest i parken' : 'Summer party in the park';
        await j.page.getByLabel(locale === 'sv' ? 'Evenemangets namn' : 'Name of the event', { exact: true }).fill(name);
        await j.page.getByLabel(locale === 'sv' ? '500 besökare eller fler' : '500 visitors or more', { exact: true }).check();
        await j.page.getByLabel(locale === 'sv' ? 'E-postadress' : 'E-mail address', { exact: true }).fill('anna@example.se');
        await j.navigate(() => button(j, t('forms.continue')).click(), 'check your answers with the fee');
        assert.equal(await h1(j), t('forms.check.title'));
        const check = await j.page.locator('main').innerText();
        assert.match(check, locale === 'sv' ? /1\s500\skr/ : /SEK\s1,500/);

        await pay(j, 'fail');
        assert.match(new URL(j.page.url()).pathname, /\/check$/);
        assert.ok((await j.page.locator('main').innerText()).includes(t('payments.notice.failed')), 'the failure is explained');
        assert.ok((await j.page.locator('main').innerText()).includes(name), 'the answers are kept');

        await pay(j, 'succeedLate');
        assert.match(new URL(j.page.url()).pathname, /\/confirmation$/);
        assert.equal(await h1(j), t('forms.confirm.title'));
        await j.navigate(() => j.page.getByRole('link', { name: exact(t('forms.confirm.myCases')) }).click(), 'the case with its payment');
        const page = await j.page.locator('main').innerText();
        assert.ok(page.includes(t('payments.receipt.title')), 'the payment is on the case page');
        assert.match(page, /DEMO-/);
      });
    });
  }
});
