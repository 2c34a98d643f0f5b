/**
 * Regenerates docs/screenshots/: the demo on a fresh embedded database (a temporary data folder,
 * removed afterwards), walked in Swedish by a resident (Anna applies for pre-school; Karin's seeded
 * case has a decision) and a case handler (Hanna), at desktop (1280 px) and phone (375 px) width.
 *
 *   npm run screenshots                     # every picture, both widths
 *   npm run screenshots -- --port 3199      # another port (default: a free one)
 *   npm run screenshots -- --out /tmp/shots # somewhere else than docs/screenshots/
 *
 * The walk finds its way by what the pages say (the Swedish texts of the message files) and fills
 * a form step from its controls, whatever questions the definition has, so a changed page or form
 * changes the pictures, not the script. A picture the walk cannot reach is reported and the others
 * are still taken; the exit code is 1 when any is missing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../test/e2e/chromium.ts';
import { translate } from '../src/kernel/i18n/index.ts';
// The app's modules register their texts (defineMessages) when loaded: the walk reads them all.
import '../src/app.ts';
import { totpCode } from '../src/identity/staff/index.ts';
import { DEMO_PASSWORD, DEMO_STAFF } from '../src/demo/accounts.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const t = (key: string, vars?: Record<string, string | number>) => translate('sv', key, vars);
const WIDTHS = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'phone', viewport: { width: 375, height: 812 } },
] as const;
const APPLICANT = 'Anna Andersson';
/** The resident whose seeded pre-school case has a decision (src/demo/seed.ts). */
const DECIDED = 'Karin Holm';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `medborg serve --demo` on its own data folder; resolves once it answers /healthz. */
async function startDemo(port: number, dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, 'bin/medborg.js'), 'serve', '--demo'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), MEDBORG_DATA_DIR: dataDir, LOG_LEVEL: 'warn', MEDBORG_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // The first start migrates and seeds a new database: about 45 s on a quiet machine, much longer on a busy one.
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the demo stopped with exit code ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('the demo did not answer within 10 minutes');
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

class Shooter {
  readonly missing: string[] = [];
  readonly taken: string[] = [];
  constructor(
    readonly out: string,
    readonly width: string,
  ) {}

  async shot(page: Page, name: string): Promise<void> {
    const file = path.join(this.out, `${name}-${this.width}.png`);
    // Fonts first: a picture taken before the interface font arrives shows the fallback.
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: file, fullPage: true });
    this.taken.push(path.relative(root, file));
    console.log(`  ${path.relative(root, file)}  ${new URL(page.url()).pathname}`);
  }

  /** Runs one part of the walk; a failure is reported and the walk goes on without its pictures. */
  async part(names: string[], body: () => Promise<void>): Promise<void> {
    const before = this.taken.length;
    try {
      await body();
    } catch (err) {
      console.error(`  could not take ${names.join(', ')} (${this.width}): ${(err as Error).message.split('\n')[0]}`);
    }
    const taken = new Set(this.taken.slice(before).map((f) => path.basename(f).replace(`-${this.width}.png`, '')));
    for (const n of names) if (!taken.has(n)) this.missing.push(`${n}-${this.width}`);
  }
}

const exactly = (s: string) => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/** Clicks the button or link of that name in the page's main content (not the header's), and waits for the next page. */
async function clickAndWait(page: Page, name: string | RegExp): Promise<void> {
  const pattern = typeof name === 'string' ? exactly(name) : name;
  const scope = (await page.locator('main').count()) > 0 ? page.locator('main') : page.locator('body');
  const target = scope.getByRole('button', { name: pattern }).or(scope.getByRole('link', { name: pattern })).first();
  await Promise.all([page.waitForEvent('framenavigated'), target.click()]);
  await page.waitForLoadState('load');
}

/** A date a few months ahead, as the form expects it (yyyy-mm-dd). */
function dateAhead(months: number): { iso: string; day: string; month: string; year: string } {
  const d = new Date();
  d.setUTCMonth(d.getUTCMonth() + months, 1);
  const year = String(d.getUTCFullYear());
  const month = String(d.getUTCMonth() + 1).padStart(2, '0');
  return { iso: `${year}-${month}-01`, day: '1', month: String(Number(month)), year };
}

/**
 * Answers every visible, unanswered control of the page's main form: the first choice of a radio
 * group or a checkbox group, a different option in each select of one ranked question, a date four
 * months ahead (one date input, or day/month/year inputs), a number, an e-mail address, a phone
 * number or a short text. File inputs are left alone.
 */
/** Fills the visible questions with plausible answers; `nth` picks which option of a radio group (each width applies for another child: a second application for the same child is refused). */
async function fillVisible(page: Page, nth = 0): Promise<void> {
  const date = dateAhead(4);
  // tsx names the function's inner arrow functions with a helper (__name) the page does not have.
  await page.evaluate('window.__name = window.__name || ((f) => f)');
  await page.locator('main form').last().evaluate((form, [date, nth]) => {
    const visible = (el: Element) => (el as HTMLElement).offsetParent !== null && !(el as HTMLElement).closest('[hidden]');
    const fire = (el: Element) => {
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    };
    const groups = new Set<string>();
    const selectsSeen = new Map<string, number>();
    for (const el of Array.from((form as HTMLFormElement).elements)) {
      if (!visible(el) || (el as HTMLInputElement).disabled) continue;
      if (el instanceof HTMLInputElement) {
        const { type, name } = el;
        if (type === 'hidden' || type === 'submit' || type === 'button' || type === 'file') continue;
        if (type === 'radio' || type === 'checkbox') {
          if (groups.has(name)) continue;
          groups.add(name);
          const all = Array.from(form.querySelectorAll<HTMLInputElement>(`input[name="${CSS.escape(name)}"]`));
          if (!all.some((i) => i.checked)) {
            const pick = all[type === 'radio' ? nth % all.length : 0]!;
            pick.checked = true;
            fire(pick);
          }
          continue;
        }
        if (el.value) continue;
        const label = (el.labels?.[0]?.textContent ?? '').toLowerCase();
        if (type === 'date') el.value = date.iso;
        else if (/\.day$|day\b|dag/.test(name + ' ' + label)) el.value = date.day;
        else if (/\.month$|month|månad/.test(name + ' ' + label)) el.value = date.month;
        else if (/\.year$|year|år\b/.test(name + ' ' + label)) el.value = date.year;
        else if (type === 'email') el.value = 'anna.andersson@example.se';
        else if (type === 'tel') el.value = '070-123 45 67';
        else if (type === 'number' || el.inputMode === 'numeric' || el.inputMode === 'decimal') el.value = '40';
        else if (/datum|date|åååå/i.test(label + ' ' + (el.getAttribute('aria-describedby') ?? ''))) el.value = date.iso;
        else el.value = 'Solrosen';
        fire(el);
      } else if (el instanceof HTMLSelectElement) {
        const base = el.name.replace(/\.\d+$/, '');
        const n = selectsSeen.get(base) ?? 0;
        selectsSeen.set(base, n + 1);
        if (el.value) continue;
        const options = Array.from(el.options).filter((o) => o.value);
        const pick = options[n % Math.max(options.length, 1)];
        if (pick) {
          el.value = pick.value;
          fire(el);
        }
      } else if (el instanceof HTMLTextAreaElement) {
        if (el.value) continue;
        el.value = 'Vi behöver plats eftersom jag börjar arbeta igen.';
        fire(el);
      }
    }
  }, [date, nth] as const);
}

async function signInAtTestIdp(page: Page, person: string): Promise<void> {
  await page.waitForURL(/\/test-idp\//, { timeout: 20_000 });
  await page.getByLabel(person, { exact: false }).first().check();
  await clickAndWait(page, t('eid.testIdp.signIn'));
}

/** The 30-second code window each staff account last signed in with (kernel TOTP refuses a code twice). */
const usedCodeWindows = new Map<string, number>();

async function signInStaff(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/staff/sign-in`);
  await page.getByLabel(t('staff.signIn.username'), { exact: true }).fill(username);
  await page.getByLabel(t('staff.signIn.password'), { exact: true }).fill(DEMO_PASSWORD);
  await clickAndWait(page, t('staff.signIn.submit'));
  const account = DEMO_STAFF.find((a) => a.tenant === 'norrby' && a.username === username)!;
  // A one-time code is taken once: the second width's sign-in waits for the next 30-second code
  // instead of meeting the replay guard with the one the first width used.
  const window = Math.floor(Date.now() / 30_000);
  if (usedCodeWindows.get(username) === window) await new Promise((r) => setTimeout(r, (window + 1) * 30_000 - Date.now() + 500));
  usedCodeWindows.set(username, Math.floor(Date.now() / 30_000));
  await page.getByLabel(t('staff.code.label'), { exact: true }).fill(totpCode(account.totpSecret, new Date()));
  await clickAndWait(page, t('staff.code.submit'));
}

async function walk(browser: Browser, base: string, out: string, width: (typeof WIDTHS)[number]): Promise<Shooter> {
  const s = new Shooter(out, width.name);
  const newPage = async () => {
    const context = await browser.newContext({
      viewport: width.viewport,
      locale: 'sv-SE',
      extraHTTPHeaders: { 'Accept-Language': 'sv-SE,sv;q=0.9' },
      timezoneId: 'Europe/Stockholm',
    });
    context.setDefaultTimeout(15_000);
    return context.newPage();
  };

  // The public list (life situations, then areas) and a link service's handover page.
  const visitor = await newPage();
  await s.part(['service-list', 'link-service'], async () => {
    await visitor.goto(`${base}/services`);
    await s.shot(visitor, 'service-list');
    await visitor.goto(`${base}/services/bibliotek-lan`);
    await s.shot(visitor, 'link-service');
  });

  // A service restricted by the applicant's age (summer jobs, 15–19 this year), seen by an adult (ADR 0030).
  const adult = await newPage();
  await s.part(['age-refused'], async () => {
    await adult.goto(`${base}/sign-in?back=${encodeURIComponent('/services/sommarjobb')}`);
    await signInAtTestIdp(adult, APPLICANT);
    await adult.waitForURL(/\/services\/sommarjobb$/);
    await s.shot(adult, 'age-refused');
  });

  // The resident: service page, the first question, its error state, check your answers, confirmation.
  const resident = await newPage();
  let reference = '';
  await s.part(['service-page', 'question-step', 'error-state', 'check-answers', 'confirmation'], async () => {
    await resident.goto(`${base}/services/forskola`);
    await s.shot(resident, 'service-page');
    await clickAndWait(resident, t('catalogue.service.start'));
    await signInAtTestIdp(resident, APPLICANT);
    await resident.waitForURL(/\/apply\//);
    await s.shot(resident, 'question-step');
    await clickAndWait(resident, t('forms.continue'));
    await resident.getByRole('alert').first().waitFor();
    await s.shot(resident, 'error-state');
    for (let i = 0; i < 30 && !/\/check$/.test(new URL(resident.url()).pathname); i++) {
      await fillVisible(resident, WIDTHS.indexOf(width));
      await clickAndWait(resident, t('forms.continue'));
    }
    if (!/\/check$/.test(new URL(resident.url()).pathname)) throw new Error(`the form did not reach check your answers (stuck on ${resident.url()})`);
    await s.shot(resident, 'check-answers');
    const declaration = resident.getByRole('checkbox');
    if ((await declaration.count()) > 0) await declaration.first().check();
    await clickAndWait(resident, t('forms.check.send'));
    reference = (await resident.locator('.mb-reference').first().innerText().catch(() => '')).trim();
    await s.shot(resident, 'confirmation');
  });
  await resident.context().close();

  // A decided case: Karin's seeded pre-school case has an offer.
  const decided = await newPage();
  await s.part(['decided-case'], async () => {
    await decided.goto(`${base}/my/cases`);
    await signInAtTestIdp(decided, DECIDED);
    await decided.waitForURL(/\/my\/cases/);
    const links = decided.locator('main table a[href^="/my/cases/"]');
    const n = await links.count();
    for (let i = 0; i < n; i++) {
      const row = links.nth(i).locator('xpath=ancestor::tr');
      if (/erbjud|beviljad|beslut/i.test(await row.innerText())) {
        await clickAndWait(decided, exactly(await links.nth(i).innerText()));
        await s.shot(decided, 'decided-case');
        return;
      }
    }
    throw new Error(`${DECIDED} has no decided case on My cases`);
  });
  await decided.context().close();

  // The handler: inbox, the case just sent, its decision form and the "check and send" page.
  const staff = await newPage();
  await s.part(['inbox', 'handler-case', 'decide', 'decide-check'], async () => {
    await signInStaff(staff, base, 'hanna');
    await staff.goto(`${base}/staff/cases`);
    await s.shot(staff, 'inbox');
    const link = reference ? staff.getByRole('link', { name: reference, exact: true }) : staff.locator('main table a[href^="/staff/cases/"]');
    await clickAndWait(staff, exactly(await link.first().innerText()));
    await s.shot(staff, 'handler-case');
    const decide = staff.locator('main').getByRole('link', { name: /beslut/i }).or(staff.locator('main').getByRole('button', { name: /beslut/i }));
    if ((await decide.count()) === 0) {
      // A case must be taken before it is decided: take it, then look again.
      await clickAndWait(staff, /ta ärendet|tilldela mig/i);
    }
    await Promise.all([staff.waitForLoadState('load'), decide.first().click()]);
    await staff.waitForLoadState('load');
    // The first kind of decision, then its form: prefilled from the application, the letter previewed.
    const kinds = staff.locator('main input[type="radio"][name="type"]');
    if ((await kinds.count()) > 0) {
      await kinds.first().check();
      await clickAndWait(staff, exactly(t('case.chooseType')));
    }
    await s.shot(staff, 'decide');
    // "Check and send": the decision's values, who gets it, the letter as it will be sent.
    await clickAndWait(staff, exactly(t('case.decision.continue')));
    await s.shot(staff, 'decide-check');
  });
  await staff.context().close();

  // Booking: a sports hall's free times this week, as anyone sees them (issue 10).
  const booker = await newPage();
  await s.part(['booking-week'], async () => {
    await booker.goto(`${base}/services/boka-idrottshall/book?resource=nby-norrbyhallen`);
    await s.shot(booker, 'booking-week');
  });
  await booker.context().close();

  // Seasonal allocation: the demo's three associations' weekly times with the proposal and its conflicts (ADR 0041).
  const leisure = await newPage();
  await s.part(['season-schedule'], async () => {
    await signInStaff(leisure, base, 'klara');
    await leisure.goto(`${base}/staff/bookings/seasons`);
    await leisure.locator('main table a[href^="/staff/bookings/seasons/"]').first().waitFor();
    // The season the demo seeded applications for: the first with applications.
    const rows = leisure.locator('main table tbody tr');
    for (let i = 0; i < (await rows.count()); i++) {
      const cells = rows.nth(i).locator('td');
      if (Number(await cells.nth(1).innerText()) > 0) {
        await clickAndWait(leisure, exactly(await rows.nth(i).locator('a').innerText()));
        break;
      }
    }
    await s.shot(leisure, 'season-schedule');
  });
  await leisure.context().close();
  return s;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, out: { type: 'string', default: path.join(root, 'docs/screenshots') } },
  });
  const port = values.port ? Number(values.port) : await freePort();
  const out = path.resolve(values.out!);
  mkdirSync(out, { recursive: true });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'medborg-screenshots-'));
  console.log(`Starting the demo on a fresh database (${dataDir}), port ${port}; the first start takes a while…`);
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const missing: string[] = [];
  try {
    server = await startDemo(port, dataDir);
    browser = await launchBrowser();
    for (const width of WIDTHS) {
      console.log(`${width.name} (${width.viewport.width} px):`);
      missing.push(...(await walk(browser, `http://norrby.localhost:${port}`, out, width)).missing);
    }
  } finally {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (missing.length) {
    console.error(`Missing: ${missing.join(', ')}`);
    process.exit(1);
  }
  console.log(`Written to ${path.relative(root, out) || '.'}. Look at every picture before committing them.`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
