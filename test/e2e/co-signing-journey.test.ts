/**
 * Co-signing in real Chromium (ADR 0016), with axe (WCAG 2.1 A/AA) on every page state, in
 * Swedish and English: custodian A chooses a school for their child, custodian B signs in with the
 * test e-ID, finds the case waiting for their approval under My cases and approves it, and the
 * handler sees both custodians and who approved. The English run has a custodian with a
 * protected identity: her name never reaches the other custodian's pages.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServer, seedDemoData, tr, runJourney, NORRBY, type Journey } from './harness.ts';
import { staffSignIn } from './demo-staff.ts';

const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' }, async (server) => {
  // Demo staff accounts (and the seed's pre-school cases, which this journey does not touch).
  await seedDemoData(server);
});

const path = (j: Journey) => new URL(j.page.url()).pathname;
const button = (j: Journey, name: string) => j.page.getByRole('button', { name, exact: true });

async function signInAsResident(j: Journey, name: string): Promise<void> {
  const t = tr(j.locale);
  assert.match(path(j), /^\/test-idp\/interaction\//, `on the test e-ID page, not ${j.page.url()}`);
  await j.page.getByRole('radio', { name, exact: true }).check();
  await j.navigate(() => button(j, t('eid.testIdp.signIn')).click(), 'back from the test e-ID');
}

async function continueStep(j: Journey, label: string): Promise<void> {
  await j.navigate(() => button(j, tr(j.locale)('forms.continue')).click(), label);
}

/** Custodian A answers every step and sends; returns the case's reference and what the confirmation says. */
async function chooseSchool(j: Journey, who: { name: string; child: string; email: string }): Promise<{ reference: string; confirmation: string }> {
  const t = tr(j.locale);
  await j.visit('/services/skolval/apply', { label: 'apply → sign in' });
  await signInAsResident(j, who.name);
  assert.match(path(j), /\/child$/);
  await j.page.getByRole('radio', { name: new RegExp(`^${who.child}`) }).check();
  await continueStep(j, 'step schools');
  await j.page.locator('select[name="schools.0"]').selectOption({ index: 3 });
  await j.page.locator('input[name="sibling"][value="no"]').check();
  await continueStep(j, 'step extra');
  await continueStep(j, 'step contact');
  await j.page.locator('input[name="email"]').fill(who.email);
  await continueStep(j, 'check your answers');
  await j.navigate(() => button(j, t('forms.check.send')).click(), 'confirmation');
  const confirmation = await j.page.locator('main').innerText();
  const reference = /[A-Z]{3}-\d{4}-\d{6}/.exec(confirmation)![0];
  await j.screenshot('co-sign-confirmation');
  return { reference, confirmation };
}

/** Custodian B signs in, finds the case waiting for them, reads it and approves. */
async function approve(j: Journey, who: { name: string }, reference: string): Promise<string> {
  const t = tr(j.locale);
  await j.visit('/my/cases', { label: 'my cases → sign in' });
  await signInAsResident(j, who.name);
  assert.equal(path(j), '/my/cases');
  const row = j.page.locator('tr', { hasText: reference });
  assert.match(await row.innerText(), new RegExp(t('my.waitingForYourApproval')));
  await j.navigate(() => row.getByRole('link', { name: reference }).click(), 'the case, waiting for approval');
  assert.ok(await j.page.getByRole('heading', { name: t('cosign.ask.title') }).isVisible());
  await j.screenshot('co-sign-question');
  await j.page.setViewportSize({ width: 375, height: 800 });
  await j.screenshot('co-sign-question-375');
  await j.page.setViewportSize({ width: 1280, height: 800 });
  // No answer chosen: told so on the page.
  await j.navigate(() => button(j, t('cosign.ask.submit')).click(), 'no answer chosen');
  assert.ok((await j.page.locator('main').innerText()).includes(t('cosign.error.answer')));
  await j.page.getByRole('radio', { name: t('cosign.ask.approve'), exact: true }).check();
  await j.navigate(() => button(j, t('cosign.ask.submit')).click(), 'approved');
  const main = await j.page.locator('main').innerText();
  assert.ok(main.includes(t('cosign.done.approved')), 'told it is approved');
  return main;
}

const RUNS = [
  { locale: 'sv' as const, a: { name: 'Anna Andersson', child: 'Elsa Andersson', email: 'anna.skolval@example.se' }, b: { name: 'Mikael Andersson' }, secret: undefined },
  // Lova Nord has a protected identity: Per never sees her name, number or address.
  { locale: 'en' as const, a: { name: 'Per Nord', child: 'Sigge Nord', email: 'per.skolval@example.se' }, b: { name: 'Lova Nord' }, secret: ['Lova', '19841112', 'Box 1001'] },
];

describe('co-signing: one custodian applies, the other approves, the handler sees both', () => {
  for (const run of RUNS) {
    test(`${run.locale}: ${run.a.name} applies, ${run.b.name} approves`, async () => {
      const t = tr(run.locale);
      let reference = '';
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: run.locale, name: `co-sign applicant ${run.locale}` }, async (j) => {
        const sent = await chooseSchool(j, run.a);
        reference = sent.reference;
        assert.ok(sent.confirmation.includes(t('my.title')), 'the applicant is told how to ask the other custodian (My cases)');
        await j.visit('/my/cases');
        const row = await j.page.locator('tr', { hasText: reference }).innerText();
        assert.ok(row.includes(run.locale === 'sv' ? 'Väntar på den andra vårdnadshavaren' : 'Waiting for the other custodian'));
        for (const s of run.secret ?? []) assert.ok(!sent.confirmation.includes(s), `the applicant saw ${s}`);
      });
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: run.locale, name: `co-sign co-signer ${run.locale}` }, async (j) => {
        await approve(j, run.b, reference);
      });
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: run.locale, name: `co-sign applicant after ${run.locale}` }, async (j) => {
        await j.visit('/my/cases', { label: 'my cases → sign in' });
        await signInAsResident(j, run.a.name);
        await j.navigate(() => j.page.getByRole('link', { name: reference }).click(), 'the case, approved');
        const main = await j.page.locator('main').innerText();
        assert.ok(main.includes(t('event.co_sign_approved', { signer: run.locale === 'sv' ? 'den andra vårdnadshavaren' : 'the other custodian' })));
        for (const s of run.secret ?? []) assert.ok(!main.includes(s), `the applicant saw ${s}`);
      });
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: run.locale, name: `co-sign handler ${run.locale}` }, async (j) => {
        await staffSignIn(j, live.server, 'hanna');
        await j.visit('/staff/cases');
        await j.navigate(() => j.page.getByRole('link', { name: reference }).click(), 'the handler’s case page');
        const main = await j.page.locator('main').innerText();
        assert.ok(main.includes(run.a.name) && main.includes(run.b.name), 'the handler sees both custodians');
        assert.ok(main.includes(t('cosign.status.approved', { date: '' }).trim()), 'and who approved');
        await j.screenshot('co-sign-handler');
      });
    });
  }
});
