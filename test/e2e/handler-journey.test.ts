/**
 * The case handler's journey in a real browser (issue 2, journey steps 5 and 6): staff sign-in
 * with password and TOTP (and their error states), the department inbox with its filters and
 * key-based pages, a case assigned, noted, sent back for a supplement that the resident uploads
 * through My cases (after signing in at the test e-ID), decided from the decision template with
 * the letter PDF in the case, the e-mail in the dev mailbox; then staff administration and the
 * security officer's audit log with its CSV export. In Swedish and English, axe (WCAG 2.1 A/AA)
 * on every page state, no CSP violation; the journey once with JavaScript off (handler and resident:
 * supplement, decision, the e-mail) and once by keyboard alone (supplement and decision).
 *
 * One server for the file. Its data is the demo seed (staff, residents, sample cases in every
 * state) plus older cases enough for a second inbox page, some of them overdue; each journey's
 * own case is applied for over HTTP through the real forms. Tests run in order and share it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { translate, type Locale } from '../../src/kernel/i18n/index.ts';
import { tenantScope } from '../../src/kernel/db/index.ts';
import { totpCode } from '../../src/identity/staff/index.ts';
import { recordSignIn } from '../../src/identity/eid/residents-repository.ts';
import { childSubject, createCase, residentApplicant } from '../../src/cases/index.ts';
import { createOutboxWorker } from '../../src/notify/index.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../../src/demo/accounts.ts';
import { journey as httpJourney } from '../helpers/journey.ts';
import { signInResident, ANNA } from '../helpers/sign-in.ts';
import { readPdf } from '../helpers/pdf.ts';
import { stockholmToday } from '../../src/forms/dates.ts';
import { browserAndServer, escapeRe, seedDemoData, exact, tr, newJourney, NORRBY, type Journey, type JourneyOptions } from './harness.ts';

/** A fixed start (the server's clock runs on from it), so date rules such as "four months ahead" hold on any day. */
const START = '2026-11-23T10:00:00Z';
const FILLER_CASES = 28;

let blobDir: string;

interface JourneyCase {
  id: string;
  reference: string;
  child: string;
  email: string;
}
/** The cases the journeys work on, made in before(). */
const cases = {} as { sv: JourneyCase; en: JourneyCase; noJs: JourneyCase; keyboard: Omit<JourneyCase, 'email'> };

const staffAccount = (username: string) => DEMO_STAFF.find((s) => s.tenant === 'norrby' && s.username === username)!;

/** A 1×1 PNG: a real image, as the supplement upload accepts. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

before(() => {
  blobDir = mkdtempSync(path.join(os.tmpdir(), 'medborg-handler-e2e-'));
});

const live = browserAndServer(() => ({ demo: true, now: START, env: { MEDBORG_BLOB_DIR: blobDir } }), async (server) => {
  const norrby = server.tenants.forHost(NORRBY)!;
  const tdb = tenantScope(server.tdb.db, norrby.id);
  const def = server.app.catalogue.service(norrby.id, 'forskola')!;

  // The demo seed first: the staff accounts of DEMO_STAFF and sample cases in every workflow state.
  await seedDemoData(server);

  // Older applications (the inbox lists newest first): enough for a second page, and the ones
  // older than the five-day deadline of "received" are overdue. The newest is received now, after
  // every seeded case, so the keyboard journey finds it near the top however much the seed grows.
  const applicant = await recordSignIn(tdb, { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind', locale: 'sv' }, server.clock.now());
  let keyboardCase: { id: string; reference: string } | undefined;
  for (let i = FILLER_CASES; i >= 1; i--) {
    const now = new Date(server.clock.now().getTime() - (i - 1) * 24 * 3600_000);
    const child = `2023010${(i % 9) + 1}${String(1000 + i)}`;
    const created = await tdb.transaction((tx) =>
      createCase(tx, {
        definition: def,
        parties: [residentApplicant({ id: applicant, personalNumber: '197911309842', name: 'Sara Lind' }), childSubject({ personalNumber: child, name: `Testbarn ${i}`, birthDate: '2023-01-01' })],
        answers: { child, preschools: ['nby-solrosen', 'nby-ekbacken'], startDate: '2027-05-01', careHours: 'from15to30', specialNeeds: 'no' },
        locale: 'sv',
        draftId: null,
        email: undefined,
        siteUrl: server.origin(NORRBY),
        now,
      }),
    );
    if (i === 1) keyboardCase = created;
  }
  // Sara Lind's newest application (Testbarn 1): the keyboard journey's; she gave no e-mail address.
  cases.keyboard = { ...keyboardCase!, child: 'Testbarn 1' };

  const { rows } = await tdb.query<{ id: string; reference: string }>(
    "SELECT id, reference FROM cases c WHERE tenant_id = $1 AND status = 'submitted' AND id IN (SELECT case_id FROM case_parties WHERE tenant_id = $1 AND role = 'subject' AND personal_number = '202104039835')",
  );
  // Karin Holm's received application for Nils: the JavaScript-off journey's (the seed gives her an e-mail address).
  cases.noJs = { ...rows[0]!, child: 'Nils', email: 'karin@example.se' };

  // Each full journey's case: Anna Andersson applies through the real forms, once in each language.
  const host = `${NORRBY}:${server.port}`;
  const forms = httpJourney(server);
  for (const [locale, child, name] of [
    ['sv', '202205109826', 'Elsa'],
    ['en', '202401229816', 'Olle'],
  ] as const) {
    const email = `anna.${locale}@example.se`;
    const anna = await signInResident(server, host, ANNA, locale);
    const { caseId, reference } = await forms.applyForPreschool(anna, child, email);
    cases[locale] = { id: caseId, reference, child: name, email };
  }
});

after(() => {
  if (blobDir) rmSync(blobDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * Several people's journeys at once (a handler and a resident): on failure a screenshot of each,
 * at the end every journey's axe, CSP and script findings, and every context closed.
 */
async function withJourneys(opts: JourneyOptions[], body: (...js: Journey[]) => Promise<void>): Promise<void> {
  const js: Journey[] = [];
  try {
    for (const o of opts) js.push(await newJourney(live.browser, { server: live.server, tenantHost: NORRBY, ...o }));
    try {
      await body(...js);
    } catch (err) {
      for (const j of js) {
        try {
          const shot = await j.screenshot('failure');
          console.log(`Journey "${j.options.name}" was on ${j.page.url()}; screenshot: ${shot}`);
        } catch {
          // The page may be gone; the error says what went wrong.
        }
        if (!j.reported) console.log(j.report());
      }
      throw err;
    }
    const failures: string[] = [];
    for (const j of js) {
      try {
        j.assertClean();
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
    if (failures.length) assert.fail(failures.join('\n'));
  } finally {
    for (const j of js) await j.close();
  }
}

const h1 = (j: Journey) => j.page.locator('main h1').innerText();
const errorSummary = (j: Journey) => j.page.locator('[data-module="error-summary"]');
const button = (j: Journey, name: string) => j.page.getByRole('button', { name: exact(name) });
const link = (j: Journey, name: string | RegExp) => j.page.getByRole('link', { name: typeof name === 'string' ? exact(name) : name });

async function assertErrors(j: Journey, ...messages: string[]): Promise<void> {
  const text = await errorSummary(j).innerText();
  for (const m of messages) assert.ok(text.includes(m), `error summary on ${j.page.url()} says "${m}"; it says: ${text}`);
}

/** The code the account's authenticator shows now, in a time step not used before (a code is accepted once). */
function freshCode(username: string): string {
  live.server.clock.advance(30_000);
  return totpCode(staffAccount(username).totpSecret, live.server.clock.now());
}

/** A six-digit code that is wrong at this moment and in the steps either side. */
function wrongCode(username: string): string {
  const secret = staffAccount(username).totpSecret;
  const now = live.server.clock.now().getTime();
  const valid = new Set([-30_000, 0, 30_000].map((d) => totpCode(secret, new Date(now + d))));
  for (let n = 123456; ; n++) if (!valid.has(String(n))) return String(n);
}

/**
 * Staff sign-in with password and one-time code; with `errors`, a wrong password and a wrong code
 * first. Every page on the way is checked with axe, in every journey that signs in.
 */
async function staffSignIn(j: Journey, username: string, opts: { errors?: boolean } = {}): Promise<void> {
  const t = tr(j.locale);
  await j.visit('/staff/sign-in');
  assert.equal(await h1(j), t('staff.signIn.title'));
  const user = j.page.getByLabel(t('staff.signIn.username'), { exact: true });
  const password = j.page.getByLabel(t('staff.signIn.password'), { exact: true });
  if (opts.errors) {
    await user.fill(username);
    await password.fill('not-the-password');
    await j.navigate(() => button(j, t('staff.signIn.submit')).click(), 'staff sign-in: wrong password');
    await assertErrors(j, t('staff.signIn.failed'));
    assert.equal(await user.inputValue(), username, 'the username is kept');
    assert.equal(await password.inputValue(), '', 'the password is not sent back');
  }
  await user.fill(username);
  await password.fill(DEMO_PASSWORD);
  await j.navigate(() => button(j, t('staff.signIn.submit')).click(), 'staff sign-in: one-time code');
  assert.equal(new URL(j.page.url()).pathname, '/staff/sign-in/code');
  assert.equal(await h1(j), t('staff.code.title'));
  const code = j.page.getByLabel(t('staff.code.label'), { exact: true });
  if (opts.errors) {
    await code.fill(wrongCode(username));
    await j.navigate(() => button(j, t('staff.code.submit')).click(), 'staff sign-in: wrong one-time code');
    await assertErrors(j, t('staff.error.codeWrong'));
  }
  await code.fill(freshCode(username));
  await j.navigate(() => button(j, t('staff.code.submit')).click(), 'staff home');
  assert.equal(new URL(j.page.url()).pathname, '/staff');
  assert.equal(await h1(j), t('staff.home.welcome', { name: staffAccount(username).displayName }));
}

/**
 * The resident signs in through the test e-ID provider's pages, choosing a test person (after one
 * empty try unless `emptyTry: false`).
 */
async function residentSignIn(j: Journey, person: string, opts: { emptyTry?: boolean } = {}): Promise<void> {
  const t = tr(j.locale);
  await j.visit(`/sign-in?back=${encodeURIComponent('/my/cases')}`, { label: 'test e-ID: choose a person' });
  assert.equal(await j.page.locator('h1').innerText(), t('eid.testIdp.loginTitle'));
  if (opts.emptyTry ?? true) {
    await j.navigate(() => button(j, t('eid.testIdp.signIn')).click(), 'test e-ID: no person chosen');
    assert.ok(await j.page.getByRole('alert').isVisible(), 'the test e-ID says to choose a person');
  }
  await j.page.getByLabel(person, { exact: true }).check();
  await j.navigate(() => button(j, t('eid.testIdp.signIn')).click(), 'my cases after e-ID sign-in');
  assert.equal(new URL(j.page.url()).pathname, '/my/cases');
  assert.equal(await h1(j), t('my.title'));
}

/**
 * The resident opens the case from My cases, reads the request and sends the supplement: with
 * `wrongFileFirst`, a text file named .pdf first (refused, the text kept), then a real PNG.
 */
async function supplementSteps(j: Journey, c: { reference: string }, request: string, text: string, opts: { wrongFileFirst: boolean }): Promise<void> {
  const t = tr(j.locale);
  await j.navigate(() => link(j, c.reference).click(), 'my case: supplement asked for');
  assert.equal(await j.page.locator('blockquote').innerText(), request);
  await j.page.getByLabel(t('my.case.supplementText'), { exact: true }).fill(text);
  const files = j.page.getByLabel(t('my.case.supplementFiles'), { exact: true });
  if (opts.wrongFileFirst) {
    await files.setInputFiles({ name: 'intyg.pdf', mimeType: 'application/pdf', buffer: Buffer.from('This is not a PDF, only text.\n') });
    await j.navigate(() => button(j, t('my.case.supplementSend')).click(), 'my case: file of the wrong type');
    await assertErrors(j, t('my.case.error.fileType'));
    assert.ok((await describedBy(files)).includes(t('my.case.error.fileType')), 'the file field is described by its error');
    assert.equal(await j.page.getByLabel(t('my.case.supplementText'), { exact: true }).inputValue(), text, 'the text is kept');
  }
  await files.setInputFiles({ name: 'intyg.png', mimeType: 'image/png', buffer: PNG });
  await j.navigate(() => button(j, t('my.case.supplementSend')).click(), 'my case: supplement sent');
  assert.ok((await j.page.locator('main').innerText()).includes(t('my.case.supplementSent')));
}

/** The handler opens the case again: the supplement's text is in the history and its file opens. */
async function supplementArrived(j: Journey, c: { id: string }, text: string): Promise<void> {
  await j.visit(`/staff/cases/${c.id}`, { label: 'case with the supplement' });
  assert.ok((await j.page.locator('main').innerText()).includes(text), 'the supplement text is in the history');
  const file = j.page.locator('main').getByRole('link', { name: 'intyg.png' }).first();
  assert.deepEqual(await fetchLink(j, file, 'image/png'), PNG);
}

/**
 * The decision e-mail, sent by the outbox job, in the demo mailbox (linked from the demo banner);
 * its link leads to the resident's case, which shows the decision and the letter in their language.
 */
async function mailboxSteps(j: Journey, c: JourneyCase, locale: Locale): Promise<void> {
  const t = tr(j.locale);
  await createOutboxWorker(live.server.app).drain();
  await j.navigate(() => link(j, t('layout.demoMailbox')).click(), 'dev mailbox');
  const subject = translate(locale, 'cases.mail.decision.subject', { reference: c.reference });
  const mail = j.page.locator('main table tbody tr').filter({ hasText: c.email }).filter({ hasText: subject });
  assert.equal(await mail.count(), 1, 'one decision e-mail to the applicant');
  await j.navigate(() => mail.getByRole('link').click(), 'dev mailbox: the decision e-mail');
  const caseUrl = `${live.server.origin(NORRBY)}/my/cases/${c.id}`;
  assert.ok((await j.page.locator('main').innerText()).includes(caseUrl), 'the e-mail links to the case');

  await j.navigate(() => j.page.getByRole('link', { name: caseUrl }).click(), 'my case: decided');
  assert.equal(j.page.url(), caseUrl);
  assert.ok((await j.page.locator('main').innerText()).includes(t('event.decided', { decision: locale === 'sv' ? 'Plats erbjuden' : 'Place offered' })));
  const letter = link(j, t('my.case.letter', { language: t(`lang.${locale}`) }));
  const pdf = await readPdf(await fetchLink(j, letter, 'application/pdf'));
  assert.equal(pdf.lang?.slice(0, 2), locale, "the letter is in the resident's language");
}

/** The text of the elements a control's aria-describedby names: its hint and error as a screen reader reads them. */
function describedBy(control: Locator): Promise<string> {
  return control.evaluate((el) =>
    (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .map((id) => (id ? (document.getElementById(id)?.textContent ?? '') : ''))
      .join(' '),
  );
}

/**
 * By keyboard: Tab to the radio group `option` belongs to, then the arrow keys (which check the
 * radio they move to) until `option` has focus, then Space.
 */
async function chooseRadioByKeyboard(j: Journey, option: string): Promise<void> {
  // (No named function inside evaluate(): tsx would wrap it in a helper the page does not have.)
  const group = await j.page.evaluate((opt) => {
    const radios = [...document.querySelectorAll<HTMLInputElement>('input[type=radio]')].map((r) => ({
      group: r.name,
      label: [...(r.labels ?? [])].map((l) => l.textContent?.trim() ?? '').join(' '),
    }));
    const target = radios.find((r) => r.label === opt);
    return radios.filter((r) => r.group === target?.group).map((r) => r.label);
  }, option);
  assert.ok(group.length > 0, `no radio labelled "${option}" on ${j.page.url()}`);
  await j.tabTo(new RegExp(`^(${group.map(escapeRe).join('|')})$`));
  for (let i = 0; i <= group.length; i++) {
    if ((await j.focused()).name === option) {
      await j.page.keyboard.press('Space');
      assert.ok(await j.page.evaluate(() => (document.activeElement as HTMLInputElement).checked), `"${option}" is checked`);
      return;
    }
    await j.page.keyboard.press('ArrowDown');
  }
  assert.fail(`the arrow keys did not reach "${option}" on ${j.page.url()}`);
}

/** References in the inbox table, top to bottom. */
const inboxReferences = (j: Journey) => j.page.locator('main table tbody tr td:first-child a').allInnerTexts();

/** The value a summary-list row shows (the <dd> after the <dt> with `key`). */
async function summaryValue(j: Journey, key: string): Promise<string> {
  return j.page.locator('main dl').first().locator(`dt:text-is("${key}") + dd`).innerText();
}

/**
 * Fetches a link's target with the journey's cookies, as the browser would download it; fails
 * unless it answers 200 with `type`. (Over Node's HTTP to the loopback port with the tenant's
 * Host header: Node does not resolve *.localhost names, so Playwright's request API cannot.)
 */
async function fetchLink(j: Journey, target: Locator, type: string): Promise<Buffer> {
  const href = await target.getAttribute('href');
  assert.ok(href, 'the link has an href');
  const url = new URL(j.url(href));
  const cookie = (await j.context.cookies(url.href)).map((c) => `${c.name}=${c.value}`).join('; ');
  const res = await new Promise<{ status: number; type: string; body: Buffer }>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: live.server.port, path: url.pathname + url.search, headers: { host: url.host, cookie } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => resolve({ status: r.statusCode ?? 0, type: String(r.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
  });
  assert.equal(res.status, 200, `GET ${href}`);
  assert.equal(res.type.split(';')[0], type, `content type of ${href}`);
  return res.body;
}

// ---------------------------------------------------------------------------------------------
// The handler part on its own

/**
 * The inbox's search and sorting (issue 8): the child's name in lower case and part of it finds the
 * case, every row found names it; the reference in lower case finds only it; a column heading sorts
 * by it (aria-sort, the URL says so), again the other way, and the next page goes on in that order.
 */
async function searchAndSortSteps(j: Journey, reference: string, child: string): Promise<void> {
  const t = tr(j.locale);
  const search = j.page.getByRole('searchbox', { name: t('inbox.search') });
  const part = child.slice(0, 3).toLowerCase();
  await search.fill(part);
  await j.navigate(() => button(j, t('inbox.apply')).click(), 'inbox: search by part of a name');
  assert.equal(new URL(j.page.url()).searchParams.get('q'), part);
  assert.ok((await inboxReferences(j)).includes(reference), 'found by part of the child\'s name');
  for (const row of await j.page.locator('main table tbody tr').all()) {
    const people = `${await row.locator('td').nth(2).innerText()} ${await row.locator('td').nth(3).innerText()}`;
    assert.ok(people.toLowerCase().includes(part), `every row found names "${part}": ${people}`);
  }
  await search.fill(reference.toLowerCase());
  await j.navigate(() => button(j, t('inbox.apply')).click(), 'inbox: search by reference');
  assert.deepEqual(await inboxReferences(j), [reference]);
  await search.fill('');
  await j.navigate(() => button(j, t('inbox.apply')).click(), 'inbox: search cleared');

  const header = (name: string) => j.page.locator('main table thead th').filter({ hasText: name });
  await j.navigate(() => header(t('inbox.col.reference')).getByRole('link').click(), 'inbox sorted by reference');
  assert.equal(await header(t('inbox.col.reference')).getAttribute('aria-sort'), 'ascending');
  const first = await inboxReferences(j);
  assert.deepEqual(first, [...first].sort(), 'references in ascending order');
  await j.navigate(() => link(j, t('inbox.next')).click(), 'inbox sorted by reference, next page');
  const second = await inboxReferences(j);
  assert.ok(second.length > 0 && second.every((r) => r > first.at(-1)!), 'the next page goes on in the same order');
  await j.navigate(() => header(t('inbox.col.due')).getByRole('link').click(), 'inbox sorted by due date');
  assert.equal(new URL(j.page.url()).searchParams.get('sort'), 'due');
  assert.equal(await header(t('inbox.col.due')).getAttribute('aria-sort'), 'ascending');
  assert.equal(await header(t('inbox.col.reference')).getAttribute('aria-sort'), null);
  await j.navigate(() => header(t('inbox.col.due')).getByRole('link').click(), 'inbox sorted by due date, latest first');
  assert.equal(await header(t('inbox.col.due')).getAttribute('aria-sort'), 'descending');
}

/** Staff home → inbox with every filter, the next page and back; the case is found. */
async function inboxSteps(j: Journey, reference: string, opts: { pages: boolean; child?: string }): Promise<void> {
  const t = tr(j.locale);
  // The home page's inbox figures link to the inbox.
  await j.navigate(() => link(j, new RegExp(`^${escapeRe(t('inbox.home.open', { n: '' }))}\\d+$`)).click(), 'inbox');
  assert.equal(new URL(j.page.url()).pathname, '/staff/cases');
  assert.equal(await h1(j), t('inbox.title'));
  assert.ok((await inboxReferences(j)).includes(reference), 'the new case is in the inbox');

  // Service, status and assignee: the received, unassigned pre-school applications.
  await j.page.getByLabel(t('inbox.service'), { exact: true }).selectOption('forskola');
  await j.page.getByLabel(t('inbox.status'), { exact: true }).selectOption('forskola:submitted');
  await j.page.getByLabel(t('inbox.assignee'), { exact: true }).selectOption('none');
  await j.navigate(() => button(j, t('inbox.apply')).click(), 'inbox: pre-school, received, unassigned');
  const q = new URL(j.page.url()).searchParams;
  assert.deepEqual([q.get('service'), q.get('status'), q.get('assignee')], ['forskola', 'forskola:submitted', 'none']);
  assert.ok((await inboxReferences(j)).includes(reference), 'the new case matches the filter');
  const rows = j.page.locator('main table tbody tr');
  for (const row of await rows.all()) {
    assert.equal((await row.locator('td').nth(4).innerText()).trim(), j.locale === 'sv' ? 'Inkommen' : 'Received');
    assert.equal((await row.locator('td').nth(6).innerText()).trim(), t('case.unassigned'));
  }
  // The filter is kept in the form.
  assert.equal(await j.page.getByLabel(t('inbox.status'), { exact: true }).inputValue(), 'forskola:submitted');

  // Overdue: only cases past their deadline, each marked; the new case is not one.
  await j.page.getByLabel(t('inbox.status'), { exact: true }).selectOption('open');
  await j.page.getByLabel(t('inbox.assignee'), { exact: true }).selectOption('');
  await j.page.getByRole('checkbox', { name: t('inbox.overdue') }).check();
  await j.navigate(() => button(j, t('inbox.apply')).click(), 'inbox: overdue only');
  const overdue = await inboxReferences(j);
  assert.ok(overdue.length > 0, 'some cases are overdue');
  assert.ok(!overdue.includes(reference), 'the new case is not overdue');
  assert.equal(await j.page.locator('main table tbody tr').filter({ hasText: t('inbox.overdueTag') }).count(), await j.page.locator('main table tbody tr').count(), 'every row is marked overdue');

  if (opts.pages) {
    // Pages by key: the next page continues where the first ended, and links back.
    await j.visit('/staff/cases', { label: 'inbox, first page' });
    const first = await inboxReferences(j);
    assert.equal(first.length, 25);
    await j.navigate(() => link(j, t('inbox.next')).click(), 'inbox, next page');
    assert.ok(new URL(j.page.url()).searchParams.get('after'), 'the next page is addressed by key');
    const second = await inboxReferences(j);
    assert.ok(second.length > 0, 'the second page has cases');
    assert.deepEqual(second.filter((r) => first.includes(r)), [], 'no case on both pages');
    await j.navigate(() => link(j, t('inbox.first')).click(), 'inbox, back to the first page');
    assert.deepEqual(await inboxReferences(j), first);
    if (opts.child) {
      await searchAndSortSteps(j, reference, opts.child);
      await j.visit('/staff/cases', { label: 'inbox' });
    }
  } else {
    await j.visit('/staff/cases', { label: 'inbox' });
  }
  await j.navigate(() => link(j, reference).click(), 'case');
  assert.ok((await h1(j)).startsWith(reference));
}

/** On the case page: assign to oneself, write a note (after an empty one), ask for a supplement. */
async function caseSteps(j: Journey, handler: string, note: string, request: string): Promise<void> {
  const t = tr(j.locale);
  const name = staffAccount(handler).displayName;
  assert.equal((await summaryValue(j, t('case.assignee'))).trim(), t('case.unassigned'));
  await j.page.getByLabel(t('case.assignTo'), { exact: true }).selectOption({ label: name });
  await j.navigate(() => button(j, t('case.assign')).click(), 'case assigned');
  assert.ok((await j.page.locator('main').innerText()).includes(t('case.done.assigned')));
  assert.equal((await summaryValue(j, t('case.assignee'))).trim(), name);

  await j.navigate(() => button(j, t('case.addNote')).click(), 'case: empty note refused');
  await assertErrors(j, t('case.error.textRequired'));
  await j.page.getByRole('textbox', { name: t('case.note'), exact: true }).fill(note);
  await j.navigate(() => button(j, t('case.addNote')).click(), 'case: note saved');
  assert.ok((await j.page.locator('main').innerText()).includes(t('case.done.note')));
  assert.ok((await j.page.locator('main').innerText()).includes(note), 'the note is in the history');

  await j.page.getByRole('textbox', { name: t('case.supplement'), exact: true }).fill(request);
  await j.navigate(() => button(j, t('case.requestSupplement')).click(), 'case: supplement requested');
  assert.ok((await j.page.locator('main').innerText()).includes(t('case.done.supplement')));
}

/** From the case page: the decision template (after its error states), then the letter in the case. */
async function decideSteps(j: Journey, c: { reference: string; child: string }, locale: Locale): Promise<void> {
  const t = tr(j.locale);
  await j.navigate(() => link(j, t('case.decide')).click(), 'decision: choose the kind');
  await j.navigate(() => button(j, t('case.chooseType')).click(), 'decision: no kind chosen');
  await assertErrors(j, t('case.error.chooseType'));
  await j.page.getByLabel(j.locale === 'sv' ? 'Plats erbjuden' : 'Place offered', { exact: true }).check();
  await j.navigate(() => button(j, t('case.chooseType')).click(), 'decision: place offered');
  const preschool = j.locale === 'sv' ? 'Förskola' : 'Pre-school';
  const startDate = j.locale === 'sv' ? 'Startdatum' : 'Start date';
  // Prefilled with what the application asked for: the first choice and the start date.
  const unit = j.page.getByLabel(preschool, { exact: true });
  assert.equal(await unit.inputValue(), await unit.locator('optgroup').first().locator('option').first().getAttribute('value'), 'the first choice');
  assert.match(await j.page.getByLabel(startDate, { exact: true }).inputValue(), /^\d{4}-\d{2}-\d{2}$/, 'the start date asked for');
  await j.page.getByLabel(preschool, { exact: true }).selectOption('');
  await j.page.getByLabel(startDate, { exact: true }).fill('');
  await j.navigate(() => button(j, t('case.decision.continue')).click(), 'decision: fields missing');
  await assertErrors(j, j.locale === 'sv' ? 'Välj förskola' : 'Select a pre-school', j.locale === 'sv' ? 'Ange startdatum' : 'Enter the start date');
  await j.page.getByLabel(preschool, { exact: true }).selectOption('nby-ekbacken');
  await j.page.getByLabel(startDate, { exact: true }).fill('2027-04-01');
  await j.navigate(() => button(j, t('case.decision.continue')).click(), 'decision: check and send');
  assert.equal(await j.page.locator('main h1').innerText(), `${t('case.check.title')} – ${c.reference}`);
  assert.ok((await j.page.locator('main article.mb-letter').first().innerText()).includes('Ekbackens förskola'), 'the letter as it will be sent');
  await j.navigate(() => button(j, t('case.confirmDecision')).click(), 'case decided');
  assert.ok((await j.page.locator('main').innerText()).includes(t('case.done.decided')));
  // The letter is in the case, in Swedish always and also in the applicant's language, named by its
  // decision (a case may have several, ADR 0034).
  const languages = locale === 'sv' ? ['sv'] : ['sv', 'en'];
  for (const l of languages) {
    const letter = link(j, t('case.decisionLetter', { decision: locale === 'sv' ? 'Plats erbjuden' : 'Place offered', language: t(`lang.${l}`) }));
    const pdf = await readPdf(await fetchLink(j, letter, 'application/pdf'));
    assert.ok(pdf.text.includes(c.reference), `the ${l} letter names the case`);
    assert.ok(pdf.text.includes('Ekbackens förskola'), `the ${l} letter names the pre-school`);
    assert.ok(pdf.text.includes(c.child), `the ${l} letter names the child`);
  }
}

// ---------------------------------------------------------------------------------------------

describe('the case handler in the browser', () => {
  for (const [locale, handler] of [
    ['sv', 'hanna'],
    ['en', 'olof'],
  ] as const) {
    test(`${locale}: handler and resident from a new application to the decision, axe-clean`, async () => {
      const c = cases[locale];
      const t = tr(locale);
      const note = locale === 'sv' ? 'Syskon på Ekbacken – kontrollera förtur.' : 'Sibling at Ekbacken – check priority.';
      const request = locale === 'sv' ? 'Skicka ett intyg om din arbetstid.' : 'Please send a certificate of your working hours.';
      await withJourneys(
        [
          { locale, name: `handler ${handler} (${locale})` },
          { locale, name: `resident Anna (${locale})` },
        ],
        async (staff, resident) => {
          // 1–3: sign-in (with its error states), the inbox, the case.
          await staffSignIn(staff, handler, { errors: true });
          await inboxSteps(staff, c.reference, { pages: locale === 'sv', child: c.child });
          if (locale === 'sv') {
            // The staff pages switch language like every other page, and stay where they are.
            const here = staff.page.url();
            await staff.navigate(() => link(staff, t('layout.language')).click(), 'case in English');
            assert.equal(staff.page.url(), here);
            assert.equal(await staff.page.locator('html').getAttribute('lang'), 'en');
            await staff.navigate(() => link(staff, translate('en', 'layout.language')).click(), 'case in Swedish again');
            assert.equal(await staff.page.locator('html').getAttribute('lang'), 'sv');
          }
          await caseSteps(staff, handler, note, request);

          // 4: the resident sees the request and sends the supplement (a text file named .pdf first).
          await residentSignIn(resident, 'Anna Andersson');
          const text = locale === 'sv' ? 'Här är intyget från min arbetsgivare.' : 'Here is the certificate from my employer.';
          await supplementSteps(resident, c, request, text, { wrongFileFirst: true });

          // 5: the handler sees it arrive, opens the file, decides; the letter is in the case.
          await supplementArrived(staff, c, text);
          await decideSteps(staff, c, locale);

          // 6–7: the e-mail in the demo mailbox; following its link, the case with the decision and the letter.
          await mailboxSteps(resident, c, locale);
        },
      );
    });
  }

  test('sv with JavaScript off: handler and resident from the inbox through the supplement to the decision and the e-mail', async () => {
    const t = tr('sv');
    const c = cases.noJs;
    const request = 'Skicka ett intyg om studier.';
    const text = 'Här är intyget från högskolan.';
    await withJourneys(
      [
        { locale: 'sv', javaScriptEnabled: false, name: 'handler hanna no-js' },
        { locale: 'sv', javaScriptEnabled: false, name: 'resident Karin no-js' },
      ],
      async (j, resident) => {
        await staffSignIn(j, 'hanna', { errors: true });
        await j.navigate(() => link(j, new RegExp(`^${escapeRe(t('inbox.home.mine', { n: '' }))}\\d+$`)).click(), 'inbox: mine');
        assert.equal(new URL(j.page.url()).searchParams.get('assignee'), 'me');
        // The filter form is a plain GET form.
        await j.page.getByLabel(t('inbox.assignee'), { exact: true }).selectOption('none');
        await j.page.getByLabel(t('inbox.status'), { exact: true }).selectOption('forskola:submitted');
        await j.navigate(() => button(j, t('inbox.apply')).click(), 'inbox: received, unassigned');
        assert.ok((await inboxReferences(j)).includes(c.reference));
        await j.navigate(() => link(j, c.reference).click(), 'case');
        await caseSteps(j, 'hanna', 'Kontrollera adressen.', request);

        // The resident, without scripts too: the upload is a plain multipart form, its error state included.
        // (The test e-ID's own error state without scripts is in the resident's journey.)
        await residentSignIn(resident, 'Karin Holm', { emptyTry: false });
        await supplementSteps(resident, c, request, text, { wrongFileFirst: true });

        await supplementArrived(j, c, text);
        await decideSteps(j, c, 'sv');
        await mailboxSteps(resident, c, 'sv');
      },
    );
  });

  test('sv by keyboard alone: handler and resident from the inbox through the supplement to the decision', async () => {
    const t = tr('sv');
    const c = cases.keyboard;
    const request = 'Skicka läkarintyget som nämns i ansökan.';
    const text = 'Läkarintyget finns i bilagan.';
    await withJourneys(
      [
        { locale: 'sv', name: 'handler olof keyboard' },
        { locale: 'sv', name: 'resident Sara keyboard' },
      ],
      async (j, resident) => {
        await j.visit('/staff/sign-in');
        await j.tabTo(t('staff.signIn.username'));
        await j.typeInFocused('olof');
        await j.tabTo(t('staff.signIn.password'), { max: 1 });
        await j.typeInFocused(DEMO_PASSWORD);
        await j.pressEnter({ label: 'one-time code (keyboard)' });
        assert.equal(new URL(j.page.url()).pathname, '/staff/sign-in/code');
        const field = await j.tabTo(t('staff.code.label'));
        assert.ok(field.inViewport);
        await j.typeInFocused(freshCode('olof'));
        await j.pressEnter({ label: 'staff home (keyboard)' });
        assert.equal(new URL(j.page.url()).pathname, '/staff');

        await j.tabTo(new RegExp(`^${escapeRe(t('inbox.home.open', { n: '' }))}\\d+$`));
        await j.pressEnter({ label: 'inbox (keyboard)' });
        const row = await j.tabTo(c.reference, { max: 80 });
        assert.ok(row.inViewport, 'the focused case link is scrolled into view');
        await j.pressEnter({ label: 'case (keyboard)' });
        assert.ok((await h1(j)).startsWith(c.reference));

        // The assignee list: type-ahead picks the name, Tab to the button, Enter.
        await j.tabTo(t('case.assignTo'));
        await j.page.keyboard.type('Olof');
        assert.equal(await j.page.getByLabel(t('case.assignTo'), { exact: true }).locator('option:checked').innerText(), 'Olof Östlund');
        await j.tabTo(exact(t('case.assign')), { max: 1 });
        await j.pressEnter({ label: 'case assigned (keyboard)' });
        assert.equal((await summaryValue(j, t('case.assignee'))).trim(), 'Olof Östlund');

        await j.tabTo(t('case.note'));
        await j.typeInFocused('Ring vårdnadshavaren.');
        await j.tabTo(t('case.addNote'), { max: 1 });
        await j.pressEnter({ label: 'note saved (keyboard)' });
        assert.ok((await j.page.locator('main').innerText()).includes('Ring vårdnadshavaren.'));

        await j.tabTo(exact(t('case.supplement')));
        await j.typeInFocused(request);
        await j.tabTo(exact(t('case.requestSupplement')), { max: 1 });
        await j.pressEnter({ label: 'supplement requested (keyboard)' });
        assert.ok((await j.page.locator('main').innerText()).includes(t('case.done.supplement')));

        // The resident, by keyboard too: the test e-ID, My cases, the case, the supplement.
        await resident.visit(`/sign-in?back=${encodeURIComponent('/my/cases')}`, { label: 'test e-ID: choose a person (keyboard)' });
        await chooseRadioByKeyboard(resident, 'Sara Lind');
        await resident.tabTo(exact(t('eid.testIdp.signIn')), { max: 20 });
        await resident.pressEnter({ label: 'my cases after e-ID sign-in (keyboard)' });
        assert.equal(new URL(resident.page.url()).pathname, '/my/cases');
        await resident.tabTo(c.reference, { max: 60 });
        await resident.pressEnter({ label: 'my case: supplement asked for (keyboard)' });
        assert.equal(await resident.page.locator('blockquote').innerText(), request);
        await resident.tabTo(exact(t('my.case.supplementText')));
        await resident.typeInFocused(text);
        // The file input is reached by Tab; choosing the file happens in the operating system's
        // file dialog, which a browser test cannot drive, so the file is set on the focused input.
        const files = await resident.tabTo(exact(t('my.case.supplementFiles')), { max: 2 });
        assert.equal(files.tag, 'input');
        await resident.page.locator(':focus').setInputFiles({ name: 'intyg.png', mimeType: 'image/png', buffer: PNG });
        await resident.tabTo(exact(t('my.case.supplementSend')), { max: 2 });
        await resident.pressEnter({ label: 'my case: supplement sent (keyboard)' });
        assert.ok((await resident.page.locator('main').innerText()).includes(t('my.case.supplementSent')));

        // The handler decides by keyboard: the kind (radio buttons, arrow keys), the pre-school, the date, then check and send.
        await j.visit(`/staff/cases/${c.id}`, { label: 'case with the supplement (keyboard)' });
        assert.ok((await j.page.locator('main').innerText()).includes(text), 'the supplement text is in the history');
        await j.tabTo(exact(t('case.decide')), { max: 60 });
        await j.pressEnter({ label: 'decision: choose the kind (keyboard)' });
        await chooseRadioByKeyboard(j, 'Plats erbjuden');
        await j.tabTo(exact(t('case.chooseType')), { max: 5 });
        await j.pressEnter({ label: 'decision: place offered (keyboard)' });
        // The pre-school list starts at the applicant's first choice; the arrow key moves to their second.
        const unit = await j.tabTo(exact('Förskola'), { max: 40 });
        assert.equal(unit.tag, 'select');
        assert.equal(await j.page.evaluate(() => (document.activeElement as HTMLSelectElement).value), 'nby-solrosen');
        await j.page.keyboard.press('ArrowDown');
        assert.equal(await j.page.evaluate(() => (document.activeElement as HTMLSelectElement).value), 'nby-ekbacken');
        const date = await j.tabTo(exact('Startdatum'), { max: 5 });
        assert.equal(date.tag, 'input');
        await j.page.keyboard.press('ControlOrMeta+a');
        await j.typeInFocused('2027-04-01');
        await j.tabTo(exact(t('case.decision.continue')), { max: 10 });
        await j.pressEnter({ label: 'decision: check and send (keyboard)' });
        await j.tabTo(exact(t('case.confirmDecision')), { max: 60 });
        await j.pressEnter({ label: 'case decided (keyboard)' });
        assert.ok((await j.page.locator('main').innerText()).includes(t('case.done.decided')));
      },
    );
  });

  for (const locale of ['sv', 'en'] as const) {
    test(`${locale}: the administrator creates an account, gives it access, disables it and resets its TOTP`, async () => {
      const t = tr(locale);
      const username = `vikarie.${locale}`;
      const display = locale === 'sv' ? 'Vera Vikarie' : 'Victor Temp';
      await withJourneys([{ locale, name: `administrator (${locale})` }], async (j) => {
        await staffSignIn(j, 'admin');
        await j.navigate(() => link(j, t('staff.home.admin')).click(), 'staff accounts');
        assert.equal(await h1(j), t('staff.admin.title'));
        await j.navigate(() => link(j, t('staff.admin.create')).click(), 'new account');
        // Nothing filled in, and a username that cannot be one.
        await j.page.getByLabel(t('staff.field.username'), { exact: true }).fill('Bad Name!');
        await j.navigate(() => button(j, t('staff.admin.create')).click(), 'new account: validation errors');
        await assertErrors(j, t('staff.error.usernameFormat'), t('staff.error.displayNameRequired'), t('staff.error.emailRequired'));
        assert.equal(await j.page.getByLabel(t('staff.field.username'), { exact: true }).inputValue(), 'Bad Name!', 'answers are kept');

        await j.page.getByLabel(t('staff.field.username'), { exact: true }).fill(username);
        await j.page.getByLabel(t('staff.field.displayName'), { exact: true }).fill(display);
        await j.page.getByLabel(t('staff.field.email'), { exact: true }).fill(`${username}@norrby.example`);
        await j.page.getByRole('checkbox', { name: t('staff.role.handler'), exact: true }).check();
        await j.page.getByRole('checkbox', { name: locale === 'sv' ? 'Utbildningsförvaltningen' : 'Education Department' }).check();
        await j.navigate(() => button(j, t('staff.admin.create')).click(), 'account created');
        assert.equal(await h1(j), t('staff.admin.created.title'));
        assert.ok((await j.page.getByTestId('generated-password').innerText()).length >= 12, 'a generated start password is shown once');
        await j.navigate(() => link(j, t('staff.admin.toAccount')).click(), 'the new account');
        assert.equal(await h1(j), display);

        // Another department and role.
        await j.page.getByRole('checkbox', { name: locale === 'sv' ? 'Stadsmiljöförvaltningen' : 'City Services Department' }).check();
        await j.page.getByRole('checkbox', { name: t('staff.role.security_officer'), exact: true }).check();
        await j.navigate(() => button(j, t('staff.account.save')).click(), 'account: access saved');
        assert.ok((await j.page.locator('main').innerText()).includes(t('staff.done.saved')));
        // A validation error on the account page: no e-mail.
        await j.page.getByLabel(t('staff.field.email'), { exact: true }).fill('');
        await j.navigate(() => button(j, t('staff.account.save')).click(), 'account: validation error');
        await assertErrors(j, t('staff.error.emailRequired'));

        // The account's actions are forms of their own: the half-edited details do not matter to them.
        await j.navigate(() => button(j, t('staff.account.disable')).click(), 'account disabled');
        assert.ok((await j.page.locator('main').innerText()).includes(t('staff.done.disabled')));
        assert.ok((await j.page.locator('main').innerText()).includes(t('staff.admin.status.disabled')));
        await j.navigate(() => button(j, t('staff.account.resetTotp')).click(), 'account: TOTP reset');
        assert.ok((await j.page.locator('main').innerText()).includes(t('staff.done.totpReset')));
        await j.navigate(() => link(j, t('staff.admin.title')).click(), 'staff accounts with the new one');
        assert.ok((await j.page.locator('main table').innerText()).includes(display));
      });
    });
  }

  test('the security officer sees the handlers\' case views in the audit log, exports it, in sv and en', async () => {
    const c = cases.sv;
    await withJourneys([{ locale: 'sv', name: 'security officer' }], async (j) => {
      let t = tr('sv');
      await staffSignIn(j, 'sakerhet');
      await j.navigate(() => link(j, t('staff.home.audit')).click(), 'audit log');
      assert.equal(await h1(j), t('audit.title'));
      await j.page.getByLabel(t('audit.filterCase'), { exact: true }).fill(c.reference);
      await j.navigate(() => button(j, t('inbox.apply')).click(), 'audit log for one case');
      const rows = j.page.locator('main table tbody tr');
      const views = () => rows.filter({ hasText: 'Hanna Handläggare' }).filter({ hasText: t('audit.action.case.view') }).count();
      assert.ok((await views()) >= 3, "the handler's views of the case are listed");
      assert.equal(await rows.filter({ hasNotText: c.reference }).count(), 0, 'only that case');
      assert.ok((await rows.filter({ hasText: t('audit.action.document.view') }).count()) >= 1, 'the letter read is listed');

      // Exporting asks for a reason: without one, the page says so and nothing is exported.
      await j.navigate(() => button(j, t('audit.export')).click(), 'audit export without a reason');
      assert.ok((await j.page.locator('.ds-error-summary').innerText()).includes(t('audit.error.reasonRequired')));
      await j.page.getByLabel(t('audit.reason'), { exact: true }).fill('Begäran om registerutdrag 2026-17');
      const [download] = await Promise.all([j.page.waitForEvent('download'), button(j, t('audit.export')).click()]);
      assert.match(download.suggestedFilename(), /^audit-norrby-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = readFileSync((await download.path())!, 'utf8');
      const lines = csv.replace(/^\ufeff/, '').trim().split('\r\n');
      assert.equal(lines[0], 'at,staff_id,staff_name,action,object_type,object_id,case_reference,reason,request_id');
      assert.ok(lines.some((l) => l.includes('"Hanna Handläggare","case.view"') && l.includes(`"${c.reference}"`)), 'the CSV has the case views');
      await j.check('audit log after the export');
      // The export itself is in the log, with its reason (it reads the log, not a case: unfiltered).
      await j.visit('/staff/audit');
      assert.ok((await rows.filter({ hasText: t('audit.action.audit.export') }).filter({ hasText: 'Begäran om registerutdrag 2026-17' }).count()) >= 1, 'the export and its reason are in the log');
      // Every change to staff accounts (roles, resets, bindings) is the security officer's to review too.
      await j.navigate(() => link(j, t('audit.staffAccounts.link')).click(), 'changes to staff accounts');
      assert.equal(await h1(j), t('audit.staffAccounts.title'));
      assert.ok((await rows.filter({ hasText: t('staff.event.created') }).count()) >= 1, 'the demo accounts’ creation is listed');
      // By member of staff and days: only Hanna's reads, of these days; a date that is not one is said at its field.
      const today = stockholmToday(live.server.clock.now());
      await j.visit('/staff/audit');
      await j.page.getByLabel(t('audit.filterStaff'), { exact: true }).selectOption({ label: 'Hanna Handläggare' });
      await j.page.getByLabel(t('audit.filterFrom'), { exact: true }).fill('2026-13-01');
      await j.navigate(() => button(j, t('inbox.apply')).click(), 'audit log: a date that is not one');
      assert.ok((await j.page.locator('.ds-error-summary').innerText()).includes(t('audit.error.date', { example: '2026-11-01' })));
      await j.page.getByLabel(t('audit.filterFrom'), { exact: true }).fill(stockholmToday(new Date(live.server.clock.now().getTime() - 2 * 86_400_000)));
      await j.page.getByLabel(t('audit.filterTo'), { exact: true }).fill(today);
      await j.navigate(() => button(j, t('inbox.apply')).click(), 'audit log: one member of staff, these days');
      assert.ok((await rows.count()) > 0);
      assert.equal(await rows.filter({ hasNotText: 'Hanna Handläggare' }).count(), 0, "only Hanna's reads");
      await j.visit(`/staff/audit?case=${encodeURIComponent(c.reference.toLowerCase())}`);
      assert.equal(await rows.filter({ hasNotText: c.reference }).count(), 0, 'a reference in lower case finds the case');
      assert.ok((await views()) >= 3);
      await j.visit(`/staff/audit?case=${encodeURIComponent(c.reference)}`);

      // The same log in English, through the language switch, with the filter kept.
      await j.navigate(() => link(j, t('layout.language')).click(), 'audit log in English');
      t = tr('en');
      assert.equal(await h1(j), t('audit.title'));
      assert.equal(new URL(j.page.url()).searchParams.get('case'), c.reference);
      assert.ok((await views()) >= 3, 'the views are listed in English too');
    });
  });
});
