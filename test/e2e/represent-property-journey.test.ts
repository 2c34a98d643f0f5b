/**
 * Two pages of the engine that no other journey visits, in a real browser, in Swedish and English,
 * every page state axe-clean with no CSP violation:
 * - applying for someone one represents (ADR 0033): Sara Lind, god man for Gösta Lindgren in the
 *   demo representation register, starts home help and is asked whom it is for; sending no choice
 *   gives the error state, choosing Gösta starts his application;
 * - the property question read from the property register (ADR 0035): Anna Andersson (in Swedish)
 *   and Mikael Andersson (in English), who own Norrby Eken 1:23 together, apply for a heat-pump
 *   licence and are offered that property with its address; sending no choice gives the error
 *   state, choosing it goes on to the next step.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServer, exact, runJourney, tr, NORRBY, type Journey } from './harness.ts';

const live = browserAndServer({ demo: true });

const h1 = (j: Journey) => j.page.locator('main h1').innerText();
const button = (j: Journey, name: string) => j.page.getByRole('button', { name: exact(name) });
const mainText = (j: Journey) => j.page.locator('main').innerText();

async function signInAs(j: Journey, name: string, back: string, label: string): Promise<void> {
  const t = tr(j.locale);
  await j.visit(`/sign-in?back=${encodeURIComponent(back)}`, { label: 'test e-ID: choose a person' });
  await j.page.getByLabel(name, { exact: true }).check();
  await j.navigate(() => button(j, t('eid.testIdp.signIn')).click(), label);
}

describe('a god man applies for the person she represents', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`in ${locale === 'sv' ? 'Swedish' : 'English'}`, async () => {
      const t = tr(locale);
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `represent-${locale}` }, async (j) => {
        await signInAs(j, 'Sara Lind', '/services/hemtjanst/apply', 'whom the application is for');
        assert.equal(new URL(j.page.url()).pathname, '/services/hemtjanst/on-behalf');
        assert.equal(await h1(j), t('forms.representation.title'));
        assert.ok((await mainText(j)).includes('Gösta Lindgren'), 'the person she represents is offered by name');
        await j.navigate(() => button(j, t('forms.continue')).click(), 'whom the application is for, nothing chosen');
        assert.ok((await mainText(j)).includes(t('forms.representation.error.choose')), 'the error says what to do');
        await j.page.getByLabel('Gösta Lindgren', { exact: true }).check();
        await j.navigate(() => button(j, t('forms.continue')).click(), "the first question of Gösta's application");
        assert.match(new URL(j.page.url()).pathname, /^\/apply\/[0-9a-f-]{36}\/[\w-]+$/);
      });
    });
  }
});

describe('a property question offers the properties the applicant owns', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(`in ${locale === 'sv' ? 'Swedish' : 'English'}`, async () => {
      const t = tr(locale);
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `property-${locale}` }, async (j) => {
        // One owner per language: a second start by the same person would resume the first one's draft.
        await signInAs(j, locale === 'sv' ? 'Anna Andersson' : 'Mikael Andersson', '/services/varmepump/apply', 'the property question');
        assert.match(new URL(j.page.url()).pathname, /^\/apply\/[0-9a-f-]{36}\/property$/);
        assert.ok((await mainText(j)).includes('Storgatan 12'), "the register's address of the property is shown");
        await j.navigate(() => button(j, t('forms.continue')).click(), 'the property question, nothing chosen');
        assert.ok((await mainText(j)).includes(t('forms.error.property.choose', { label: locale === 'sv' ? 'fastigheten' : 'the property' })), 'the error names the question');
        await j.page.getByLabel('Norrby Eken 1:23', { exact: true }).check();
        await j.page.getByLabel(locale === 'sv' ? 'Kommunalt vatten' : 'Municipal water', { exact: true }).check();
        await j.navigate(() => button(j, t('forms.continue')).click(), 'the next step');
        assert.match(new URL(j.page.url()).pathname, /^\/apply\/[0-9a-f-]{36}\/installation$/);
      });
    });
  }
});
