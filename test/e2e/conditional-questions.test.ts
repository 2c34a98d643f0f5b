/**
 * Conditional questions in a real browser (issue 8, item 8; ADR 0026), in Swedish and English, with
 * JavaScript on and off: the pre-school application's "why earlier" (a date condition) and its
 * description of special needs (a yes/no condition). With JavaScript a question is revealed under
 * the answer it depends on, and hidden (never announced, never sent) until then; without, it is
 * asked on the step's follow-up page. An answer whose condition no longer holds is dropped: it is
 * not on check your answers and not in the draft. axe runs on every page state.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signInResident } from '../helpers/sign-in.ts';
import { SESSION_COOKIE } from '../../src/kernel/http/index.ts';
import { tenantScope } from '../../src/kernel/db/index.ts';
import { createDraft } from '../../src/forms/drafts.repository.ts';
import { addMonths, stockholmToday } from '../../src/forms/dates.ts';
import { fieldErrorMessage } from '../../src/forms/index.tsx';
import type { Field } from '../../src/catalogue/types.ts';
import { browserAndServer, runJourney, tr, NORRBY, type Journey, type JourneyLocale } from './harness.ts';

const live = browserAndServer({ demo: true });

const ERIK = { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' };

async function h1(j: Journey): Promise<string> {
  assert.equal(await j.page.locator('h1').count(), 1, `one h1 on ${j.page.url()}`);
  return (await j.page.locator('h1').innerText()).trim();
}

async function press(j: Journey, name: string, label: string): Promise<void> {
  await j.navigate(() => j.page.getByRole('button', { name, exact: true }).first().click(), label);
}

/** The error summary's messages, in order. */
async function summary(j: Journey): Promise<string[]> {
  return (await j.page.locator('[data-module="error-summary"] li').allInnerTexts()).map((s) => s.trim());
}

async function journey(j: Journey, locale: JourneyLocale): Promise<void> {
  const t = tr(locale);
  const js = j.options.javaScriptEnabled;
  const server = live.server;
  const s = await signInResident(server, `${NORRBY}:${server.port}`, ERIK, locale);
  await j.context.addCookies([{ name: SESSION_COOKIE, value: s.jar.cookies.get(SESSION_COOKIE)!, url: j.url('/') }]);
  const def = server.app.catalogue.service('norrby', 'forskola')!;
  const fields = new Map<string, Field>(def.form.steps.flatMap((st) => st.fields).map((f) => [f.id, f]));
  const label = (id: string) => fields.get(id)!.label[locale];
  const today = stockholmToday(server.clock.now());
  const tdb = tenantScope(server.tdb.db, 'norrby');
  const { id: draft } = await createDraft(tdb, s.residentId, 'forskola', { child: '202309159842', preschools: ['nby-ugglan'] }, server.clock.now(), server.config.draftRetentionDays);
  await tdb.query(`UPDATE drafts SET completed_steps = '{child,preschools}' WHERE tenant_id = $1 AND id = $2`, [draft]);
  const stored = async () => (await tdb.query<{ answers: Record<string, unknown> }>('SELECT answers FROM drafts WHERE tenant_id = $1 AND id = $2', [draft])).rows[0]!.answers;

  // The start date: the reason is asked only for a date less than four months ahead.
  await j.visit(`/apply/${draft}/start`, { label: 'start: no date yet' });
  const reason = j.page.locator('#f-earlyReason');
  assert.equal(await reason.isVisible(), false, 'the reason is not on the page before it applies');
  assert.equal(await j.page.getByText(/Lämna tomt|Leave it empty/).count(), 0, 'no hint saying when to leave it empty');
  await j.page.getByLabel(label('startDate'), { exact: true }).fill(addMonths(today, 1));
  const needReason = fieldErrorMessage(locale, 'forms.error.dateTooEarlyReason', fields.get('startDate')!, { min: addMonths(today, 4) }, fields.get('earlyReason')!);
  if (js) {
    await reason.waitFor({ state: 'visible' });
    assert.equal(await reason.getAttribute('aria-required'), 'true', 'required once it applies');
    await j.check('start: an early date reveals the reason');
    // A later date hides it again, and an early one reveals it: focus stays in the date.
    await j.page.getByLabel(label('startDate'), { exact: true }).fill(addMonths(today, 6));
    await reason.waitFor({ state: 'hidden' });
    await j.page.getByLabel(label('startDate'), { exact: true }).fill(addMonths(today, 1));
    await reason.waitFor({ state: 'visible' });
    assert.equal(await j.page.evaluate(() => document.activeElement?.id), 'f-startDate', 'focus stays where the person types');
    await press(j, t('forms.continue'), 'start: error state, the reason missing');
    assert.deepEqual(await summary(j), [needReason]);
    assert.ok(await reason.isVisible(), 'revealed again after the refused post');
  } else {
    assert.equal(await reason.isVisible(), false, 'without JavaScript nothing appears on the page');
    await press(j, t('forms.continue'), 'start: the follow-up page');
    assert.equal(new URL(j.page.url()).search, '?part=more');
    assert.equal(await h1(j), label('earlyReason'), 'the follow-up page asks the one question that applies, as its heading');
    assert.equal(await j.page.getByLabel(label('startDate'), { exact: true }).count(), 0, 'the date is not asked again');
    await press(j, t('forms.continue'), 'start, follow-up page: error state');
    assert.deepEqual(await summary(j), [needReason]);
  }
  await j.page.getByLabel(label('earlyReason')).fill(locale === 'sv' ? 'Nytt arbete.' : 'A new job.');
  await press(j, t('forms.continue'), 'hours');
  assert.match(j.page.url(), /\/hours$/);
  const hours = fields.get('careHours')!;
  assert.ok(hours.kind === 'choice');
  await j.page.getByLabel(hours.choices[0]!.label[locale], { exact: true }).check();
  await press(j, t('forms.continue'), 'needs');

  // Special support: the description follows a "yes".
  const description = j.page.locator('#f-specialNeedsDescription');
  assert.equal(await description.isVisible(), false);
  const yes = j.page.getByRole('radio', { name: t('forms.yes'), exact: true });
  const no = j.page.getByRole('radio', { name: t('forms.no'), exact: true });
  await yes.check();
  const describe = fieldErrorMessage(locale, 'forms.error.required', fields.get('specialNeedsDescription')!);
  if (js) {
    await description.waitFor({ state: 'visible' });
    assert.equal(await yes.getAttribute('aria-controls'), 'c-specialNeedsDescription');
    assert.equal(await no.getAttribute('aria-controls'), null);
    await j.check('needs: "yes" reveals the description');
    await no.check();
    await description.waitFor({ state: 'hidden' });
    await yes.check();
    await press(j, t('forms.continue'), 'needs: error state, not described');
    assert.deepEqual(await summary(j), [describe]);
  } else {
    await press(j, t('forms.continue'), 'needs: the follow-up page');
    assert.equal(await h1(j), label('specialNeedsDescription'));
    await press(j, t('forms.continue'), 'needs, follow-up page: error state');
    assert.deepEqual(await summary(j), [describe]);
  }
  await j.page.getByLabel(label('specialNeedsDescription')).fill(locale === 'sv' ? 'Allergi.' : 'An allergy.');
  await press(j, t('forms.continue'), 'contact');
  assert.equal((await stored()).specialNeedsDescription, locale === 'sv' ? 'Allergi.' : 'An allergy.');

  // The answer changed to "no": the description no longer applies, is dropped, and is not shown.
  await j.visit(`/apply/${draft}/needs`, { label: 'needs again' });
  await j.page.getByRole('radio', { name: t('forms.no'), exact: true }).check();
  await press(j, t('forms.continue'), 'contact, after "no"');
  assert.match(j.page.url(), /\/contact$/, 'no follow-up page after "no"');
  assert.equal((await stored()).specialNeedsDescription, undefined, 'the description that no longer applies is dropped from the draft');
  await j.page.getByLabel(label('email'), { exact: true }).fill('erik.berg@example.se');
  await press(j, t('forms.continue'), 'check your answers');
  const rows = await j.page.locator('.mb-summary dt').allInnerTexts();
  assert.ok(rows.includes(label('earlyReason')), 'the reason, which applies, is shown');
  assert.ok(!rows.includes(label('specialNeedsDescription')), 'the description, which no longer applies, is not');
  // Changing the revealed question from check your answers: its step's follow-up page.
  const change = j.page.locator(`a[href*="/start?part=more&return=check"]`);
  assert.equal(await change.count(), 1, 'the reason is changed on its follow-up page');
}

describe('conditional questions: revealed with JavaScript, a follow-up page without', () => {
  for (const locale of ['sv', 'en'] as const) {
    for (const javaScriptEnabled of [true, false]) {
      // Swedish without JavaScript on a phone: the follow-up page is where a narrow screen matters most.
      const phone = locale === 'sv' && !javaScriptEnabled;
      test(`${locale}, JavaScript ${javaScriptEnabled ? 'on' : 'off'}${phone ? ', 375 px' : ''}`, async () => {
        const viewport = phone ? { width: 375, height: 812 } : undefined;
        await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled, viewport, name: `conditional ${locale}${javaScriptEnabled ? '' : ' no-js'}${phone ? ' 375' : ''}` }, (j) => journey(j, locale));
      });
    }
  }
});
