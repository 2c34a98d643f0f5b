/**
 * Anmäl störande buller (catalogue/shared/buller.yaml) in real Chromium, in Swedish and in English,
 * with JavaScript off and only the keyboard: a report by someone without e-ID (audience `email`: the address must be
 * confirmed by code before the report can be sent). What no other journey does by keyboard: check
 * boxes ticked with Space (where in the home, what times of day), a conditional question asked on the
 * step's follow-up page (what happened when you spoke to them, only after "yes"), the service's
 * required contact address confirmed from check your answers. Then the health protection team's
 * inspector starts an investigation and closes it; the reporter's follow link shows it closed.
 * axe (WCAG 2.1 A/AA) on every page state; screenshots at 1280 and 375 px go to test-results/.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import '../../src/follow/messages.ts';
import '../../src/catalogue/messages.ts';
import { browserAndServer, seedDemoData, exact, tr, newJourney, runJourney, NORRBY, type Journey } from './harness.ts';
import { outboxCode, staffSignIn } from './demo-staff.ts';
import { bothWidths, choose, press, tick, type } from './keyboard.ts';

const live = browserAndServer({ demo: true, now: '2026-11-23T10:00:00Z' }, async (server) => {
  await seedDemoData(server);
});

const path = (j: Journey) => new URL(j.page.url()).pathname;
const h1 = (j: Journey) => j.page.locator('main h1').innerText();
const button = (j: Journey, name: string) => j.page.getByRole('button', { name: exact(name) });

const EMAIL = 'stord@example.se';

/** The definition's own words the journey reads, as buller.yaml has them in each language. */
const WORDS = {
  sv: { bedroom: 'I sovrummet', night: 'Natt, 22–07', investigate: 'Inled utredning', resolved: 'Avslutad – bullret är åtgärdat', closedMail: 'Bulleranmälan {reference}: avslutad' },
  en: { bedroom: 'In the bedroom', night: 'Night, 22–07', investigate: 'Start an investigation', resolved: 'Closed – the noise has been dealt with', closedMail: 'Noise report {reference}: closed' },
} as const;

async function report(j: Journey): Promise<{ reference: string; followHref: string }> {
  const t = tr(j.locale);
  await j.visit('/services/buller', { label: 'the service page' });
  // e-ID or a confirmed address: both starts are offered; without e-ID the address is confirmed first.
  assert.ok((await j.page.locator('main').innerText()).includes(t('catalogue.service.signInOrEmail')), 'the page says how one starts');
  await bothWidths(j, 'service-page');
  await press(j, t('catalogue.service.startEmail'), 'which e-mail address');
  assert.equal(await h1(j), t('email.start.title'));
  await j.tabTo(new RegExp(`^${t('email.start.label')}`));
  await j.typeInFocused(EMAIL);
  await press(j, t('email.start.send'), 'enter the code');
  await j.tabTo(new RegExp(`^${t('email.code.label')}$`));
  await j.typeInFocused(await outboxCode(live.server, EMAIL));
  await press(j, t('email.code.check'), 'what is making the noise');
  assert.match(path(j), /^\/apply\/[0-9a-f-]{36}\/source$/);
  await choose(j, 'source', 'fan');
  await type(j, 'sourceName', 'Värmepumpen på granntomten');
  await press(j, t('forms.continue'), 'where does the noise come from');
  assert.match(path(j), /\/noise-place$/);

  await type(j, 'sourceLocation.address', 'Storgatan 14');
  await type(j, 'homeAddress.street', 'Storgatan 12');
  await type(j, 'homeAddress.postalCode', '123 45');
  await type(j, 'homeAddress.town', 'Norrby');
  await tick(j, 'disturbedWhere', 'bedroom');
  await tick(j, 'disturbedWhere', 'outdoors');
  await press(j, t('forms.continue'), 'when is the noise heard');
  assert.match(path(j), /\/when$/);

  await tick(j, 'timesOfDay', 'evening');
  await tick(j, 'timesOfDay', 'night');
  await choose(j, 'frequency', 'daily');
  await type(j, 'since', '2026-09-01');
  await type(j, 'description', 'Ett brummande ljud hela nätterna, jag vaknar flera gånger.');
  await press(j, t('forms.continue'), 'have you spoken to them');
  assert.match(path(j), /\/contacted$/);

  // "Yes": without JavaScript the question that depends on it comes on the step's follow-up page.
  await choose(j, 'spokenToSource', 'yes');
  await press(j, t('forms.continue'), 'what happened when you made contact (follow-up page)');
  assert.match(new URL(j.page.url()).search, /part=more/);
  await type(j, 'spokenResult', 'Grannen lovade att flytta pumpen men inget har hänt.');
  await bothWidths(j, 'follow-up-question');
  await press(j, t('forms.continue'), 'contact and visit');
  assert.match(path(j), /\/visit$/);

  await choose(j, 'visitAllowed', 'yes');
  await choose(j, 'shareName', 'no');
  await type(j, 'phone', '070-123 45 67');
  assert.equal(await j.page.locator('[name="email"]').inputValue(), EMAIL, 'the confirmed address is filled in');
  await press(j, t('forms.continue'), 'check your answers');
  assert.match(path(j), /\/check$/);
  const check = await j.page.locator('main').innerText();
  for (const s of ['Värmepumpen på granntomten', 'Storgatan 14', WORDS[j.locale].bedroom, WORDS[j.locale].night, 'Grannen lovade', '070-123 45 67']) assert.ok(check.includes(s), `check your answers shows ${s}`);
  assert.ok(check.includes(t('forms.contact.verified', { email: EMAIL })), 'we will write to the confirmed address');
  assert.ok(check.includes(t('forms.check.declaration.report')), 'the declaration speaks of a report');
  await bothWidths(j, 'check');
  await press(j, t('forms.check.send.report'), 'the report sent');
  assert.equal(await h1(j), t('forms.confirm.title.report'));
  const reference = (await j.page.locator('.mb-reference').innerText()).trim();
  assert.match(reference, /^BUL-\d{4}-\d+$/);
  const followHref = (await j.page.locator('a.mb-follow-link').getAttribute('href'))!;
  assert.match(followHref, /^\/follow\/[A-Za-z0-9_-]{43}$/);
  await bothWidths(j, 'confirmation');
  return { reference, followHref };
}

describe('buller: a noise report without e-ID, keyboard only, JavaScript off, closed by an inspector', () => {
  for (const locale of ['sv', 'en'] as const) test(locale === 'sv' ? 'in Swedish' : 'in English', async () => {
    const t = tr(locale);
    const words = WORDS[locale];
    let sent = { reference: '', followHref: '' };
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `noise-report-${locale}` }, async (j) => {
      sent = await report(j);
    });
    const { rows } = await live.server.tdb.db.query<{ team: string | null; kind: string }>(
      "SELECT c.team, p.kind FROM cases c JOIN case_parties p ON p.case_id = c.id AND p.role = 'applicant' WHERE c.tenant_id = 'norrby' AND c.reference = $1",
      [sent.reference],
    );
    assert.deepEqual(rows, [{ team: 'health_protection_team', kind: 'email' }], 'a fan goes to health protection; the confirmed address is the reporter');

    // The inspector starts an investigation, then closes it: the noise has been dealt with.
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, name: `noise-inspector-${locale}` }, async (j) => {
      await staffSignIn(j, live.server, 'berit');
      await j.visit('/staff/cases');
      await j.navigate(() => j.page.getByRole('link', { name: sent.reference }).click(), 'the report');
      await j.navigate(() => button(j, words.investigate).click(), 'investigation started');
      const close = j.page.locator('form[action$="/actions/closeResolved"]');
      await close.locator('textarea').fill('Fastighetsägaren har bytt till en tystare värmepump.');
      await j.navigate(() => close.getByRole('button').click(), 'closed: dealt with');
      assert.ok((await j.page.locator('main').innerText()).includes(words.resolved));
      await bothWidths(j, 'closed');
    });

    // The reporter's follow link, in a fresh browser without JavaScript: closed, with the inspector's word.
    const other = await newJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: false, name: `noise-follow-${locale}` });
    try {
      await other.visit(sent.followHref, { label: 'the follow page' });
      assert.equal(await h1(other), t('follow.title', { reference: sent.reference }));
      const follow = await other.page.locator('main').innerText();
      assert.ok(follow.includes(words.resolved), 'the follow link says it is closed');
      await bothWidths(other, 'follow');
      other.assertClean();
    } finally {
      await other.close();
    }
    const { rows: mails } = await live.server.tdb.db.query<{ to: string }>(
      "SELECT payload->>'to' AS to FROM outbox WHERE tenant_id = 'norrby' AND payload->>'subject' = $1",
      [words.closedMail.replace('{reference}', sent.reference)],
    );
    assert.deepEqual(mails.map((m) => m.to), [EMAIL], 'the confirmed address is told it is closed, in the language it reported in');
  });
});
