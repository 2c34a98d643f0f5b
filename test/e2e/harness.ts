/**
 * The browser-journey harness: the application on a real port, headless Chromium, and a journey
 * object that runs axe (WCAG 2.1 A and AA and axe's best practices, no rule disabled) on every page state it is asked to,
 * collects Content Security Policy violations, script errors and failed resource loads, drives
 * the keyboard, scans every URL requested or redirected to for personal identity numbers (decoding
 * JWTs and base64 within), and at the end fails the test with everything it found and lists the
 * URLs checked.
 *
 *   const server = await startServer({ demo: true });
 *   const browser = await launchBrowser();
 *   await runJourney(browser, { server, tenantHost: NORRBY, locale: 'sv', name: 'home' }, async (j) => {
 *     await j.visit('/');                       // navigates, then axe on the page
 *     await j.page.getByLabel('Namn').fill('…');
 *     await j.navigate(() => j.page.getByRole('button', { name: 'Fortsätt' }).click(), 'step 2 error state');
 *   });                                          // assertClean(); screenshot into test-results/ on failure
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import type { Catalogue } from '../../src/catalogue/index.ts';
import { loadConfig, type Config } from '../../src/kernel/config.ts';
import type { Clock } from '../../src/kernel/clock.ts';
import { loadTenants, type TenantRegistry } from '../../src/kernel/tenants.ts';
import { repoRoot } from '../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';
import { personalNumbersIn } from '../helpers/personal-numbers.ts';
import { maskPins } from '../../src/kernel/log.ts';
import { translate, type Locale } from '../../src/kernel/i18n/index.ts';
import { seedDemo } from '../../src/demo/index.ts';

export { launchBrowser, CHROMIUM_PATH, CHROMIUM_ARGS, ChromiumMissingError } from './chromium.ts';
import { launchBrowser } from './chromium.ts';
export { NORRBY, SODERA } from '../helpers/app.ts';

/** The texts of a language, as the pages say them (keys and placeholders as in the message files). */
export const tr = (locale: Locale) => (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars);
/** `s` as a regular expression that matches it literally. */
export const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An accessible name that is exactly `s` (surrounding white space aside). */
export const exact = (s: string) => new RegExp(`^\\s*${escapeRe(s)}\\s*$`);

/** The demo seed (staff accounts, cases in every state) in a test server's database, at its clock's time. */
export async function seedDemoData(server: TestServer): Promise<void> {
  await seedDemo({ config: server.config, tenants: server.tenants, db: server.tdb.db, catalogue: server.app.catalogue }, () => undefined, server.clock.now());
}

/**
 * The WCAG 2.1 A and AA rule sets and axe's best practices (landmarks, one main, heading order, a
 * page-level heading…: what a screen-reader user moves by); no rule is disabled anywhere.
 */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * The rules axe 4.13 tags WCAG 2.1 A/AA but marks experimental, which a tag selection leaves out.
 * We turn them on: label-content-name-mismatch is how axe tests 2.5.3 Label in Name (Level A),
 * and the others (orientation lock, paragraphs styled as headings, fake table captions, data
 * cells without headers) are WCAG failures too. Nothing is ever disabled.
 */
export const AXE_EXPERIMENTAL_WCAG_RULES = ['label-content-name-mismatch', 'css-orientation-lock', 'p-as-heading', 'table-fake-caption', 'td-has-header'];

export const RESULTS_DIR = path.join(repoRoot, 'test-results');

/** Tokens in URLs (the ID token in an e-ID sign-out URL carries a personal number) stay out of logs. */
function redactTokens(url: string): string {
  return url.replace(/([?&](?:id_token_hint|code|state|token)=)[^&#]*/g, '$1…');
}

// ---------------------------------------------------------------------------------------------
// The server

/** A clock that runs in real time from `start` and can be moved, e.g. past a session's idle limit. */
export interface MovableClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
}

export function movableClock(start?: Date | string): MovableClock {
  let offset = start === undefined ? 0 : new Date(start).getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    set(at) {
      offset = new Date(at).getTime() - Date.now();
    },
    advance(ms) {
      offset += ms;
    },
  };
}

export interface TestServer {
  app: FastifyInstance;
  tdb: TestDatabase;
  config: Config;
  tenants: TenantRegistry;
  clock: MovableClock;
  port: number;
  /** BASE_URL as the app sees it: http://localhost:<port>. */
  baseUrl: string;
  /** The origin a tenant's host name reaches the server at, e.g. http://norrby.localhost:<port>. */
  origin(tenantHost: string): string;
  close(): Promise<void>;
}

export interface ServerOptions {
  demo?: boolean;
  now?: Date | string;
  env?: Record<string, string>;
  logStream?: NodeJS.WritableStream;
  catalogue?: Catalogue;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * A browser and the application for one test file: started before its tests (then `setup`, e.g.
 * seeding) and closed after them. Read `.browser` and `.server` inside the tests. The browser
 * starts first: without Chromium the file fails at once, saying how to install it. `opts` may be a
 * function, called in the hook: for options known only once the file's own earlier `before` has
 * run (a port, a folder), or whose making writes files or loads a catalogue.
 */
export function browserAndServer(
  opts: ServerOptions | (() => ServerOptions) = {},
  setup?: (server: TestServer) => Promise<void>,
): { readonly browser: Browser; readonly server: TestServer } {
  const live = {} as { browser: Browser; server: TestServer };
  before(async () => {
    live.browser = await launchBrowser();
    live.server = await startServer(typeof opts === 'function' ? opts() : opts);
    await setup?.(live.server);
  });
  after(async () => {
    await live.browser?.close();
    await live.server?.close();
  });
  return live;
}

/**
 * The application on a fresh test database, listening on 127.0.0.1. The port is chosen before the
 * app is built because BASE_URL must name it: the built-in e-ID provider's issuer and the
 * relying party's redirect URI are derived from BASE_URL, and the browser follows them.
 */
export async function startServer(opts: ServerOptions = {}): Promise<TestServer> {
  const tdb = await createTestDatabase();
  const clock = movableClock(opts.now);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseUrl = `http://localhost:${port}`;
    const config = loadConfig(
      { MEDBORG_ENV: 'test', LOG_LEVEL: opts.logStream ? 'info' : 'silent', PORT: String(port), BASE_URL: baseUrl, ...opts.env },
      repoRoot,
    );
    let app: Awaited<ReturnType<typeof buildApp>>;
    let tenants: ReturnType<typeof loadTenants>;
    try {
      tenants = loadTenants(config.tenantsFile);
      app = await buildApp({ config, db: tdb.db, tenants, demo: opts.demo ?? true, clock, logStream: opts.logStream, ...(opts.catalogue ? { catalogue: opts.catalogue } : {}) });
    } catch (err) {
      // A catalogue or configuration that does not load fails the file; the database must not
      // outlive it, or its open handle keeps the test process, and the whole pass, waiting.
      await tdb.drop();
      throw err;
    }
    try {
      await app.listen({ port, host: '127.0.0.1' });
    } catch (err) {
      await app.close();
      // Another process took the port between the probe and listen(): try another one.
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
      await tdb.drop();
      throw err;
    }
    return {
      app,
      tdb,
      config,
      tenants,
      clock,
      port,
      baseUrl,
      origin: (tenantHost) => `http://${tenantHost}:${port}`,
      async close() {
        await app.close();
        await tdb.drop();
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Journeys

export type JourneyLocale = 'sv' | 'en';

export interface JourneyOptions {
  locale: JourneyLocale;
  /** false: the page's scripts never run (the journey must work without JavaScript). */
  javaScriptEnabled?: boolean;
  /** With server: the tenant's host name, e.g. NORRBY. */
  tenantHost?: string;
  server?: TestServer;
  /** Instead of server + tenantHost: the origin relative URLs resolve against. */
  origin?: string;
  /** Names the journey in the report and in screenshot file names. */
  name?: string;
  viewport?: { width: number; height: number };
}

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  helpUrl: string;
  url: string;
  label: string;
  nodes: { target: string; html: string; summary: string }[];
}

export interface CheckedState {
  url: string;
  label: string;
  violations: number;
}

export interface FocusedElement {
  tag: string;
  /** Accessible name as far as a simple computation goes: aria-labelledby, aria-label, text, value, title. */
  name: string;
  text: string;
  id: string;
  href: string | null;
  /** Whether the element's box lies (at least partly) inside the viewport: a focus one can see. */
  inViewport: boolean;
}

const ACCEPT_LANGUAGE: Record<JourneyLocale, string> = { sv: 'sv-SE,sv;q=0.9', en: 'en-GB,en;q=0.9' };
const BROWSER_LOCALE: Record<JourneyLocale, string> = { sv: 'sv-SE', en: 'en-GB' };

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'journey';
}

/** One person's visit: a browser context with its own cookies, language and JavaScript setting. */
export class Journey {
  readonly checked: CheckedState[] = [];
  readonly axeFindings: AxeFinding[] = [];
  readonly cspViolations: string[] = [];
  readonly pageErrors: string[] = [];
  readonly resourceErrors: string[] = [];
  /** Every URL the journey's browser requested or was redirected to (Location headers included). */
  readonly visitedUrls = new Set<string>();
  private inspector: { context: BrowserContext; page: Page } | undefined;
  /** Whether the list of checked URLs has been printed. */
  reported = false;

  constructor(
    readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly origin: string,
    readonly options: JourneyOptions & { name: string; javaScriptEnabled: boolean },
  ) {
    page.on('console', (msg) => {
      // Chromium reports every CSP violation (inline script or style, a blocked source, a form
      // action) as a console error, with or without JavaScript enabled, and injects nothing.
      if (/Content[ -]Security[ -]Policy/i.test(msg.text())) {
        const loc = msg.location();
        this.cspViolations.push(`${msg.text()} (at ${loc.url || page.url()}${loc.lineNumber ? `:${loc.lineNumber}` : ''})`);
      }
    });
    page.on('pageerror', (err) => this.pageErrors.push(`${err.message} (on ${page.url()})`));
    // Browser history and access logs keep URLs: assertClean scans each one for identity numbers.
    // On the context, so a redirect hop, a popup or a form post to another origin is seen too.
    context.on('request', (req) => this.visitedUrls.add(req.url()));
    context.on('response', (res) => {
      const location = res.headers()['location'];
      if (location) this.visitedUrls.add(new URL(location, res.url()).href);
    });
    page.on('response', (res) => {
      const req = res.request();
      if (req.isNavigationRequest() && req.frame() === page.mainFrame()) {
        this.checkPolicyHeader(res);
        return;
      }
      // The document's own status is the journey's business (visit() checks it); a stylesheet,
      // script or image that fails would leave a page that passes axe but looks broken.
      if (res.status() >= 400) {
        this.resourceErrors.push(`${res.status()} ${req.method()} ${res.url()} (${req.resourceType()}, on ${page.url()})`);
      }
    });
    page.on('requestfailed', (req) => {
      const failure = req.failure()?.errorText ?? 'failed';
      // A request cancelled because the page navigated away is not an error.
      if (failure.includes('ERR_ABORTED')) return;
      this.resourceErrors.push(`${failure} ${req.method()} ${req.url()} (${req.resourceType()}, on ${page.url()})`);
    });
  }

  /**
   * "No CSP violation" means something only while the page has a policy that forbids inline
   * script: a page served without one is reported too.
   */
  private checkPolicyHeader(res: Response): void {
    if (res.status() >= 300 && res.status() < 400) return;
    if (!(res.headers()['content-type'] ?? '').startsWith('text/html')) return;
    const policy = res.headers()['content-security-policy'] ?? '';
    const scriptSrc = /(?:^|;)\s*script-src\s([^;]*)/.exec(policy)?.[1] ?? /(?:^|;)\s*default-src\s([^;]*)/.exec(policy)?.[1];
    if (!scriptSrc) this.cspViolations.push(`${res.url()} has no Content-Security-Policy restricting scripts`);
    else if (scriptSrc.includes("'unsafe-inline'")) this.cspViolations.push(`${res.url()} allows 'unsafe-inline' scripts`);
  }

  get locale(): JourneyLocale {
    return this.options.locale;
  }

  /** An absolute URL on this journey's origin. */
  url(pathOrUrl: string): string {
    return new URL(pathOrUrl, this.origin + '/').href;
  }

  /**
   * Goes to a URL (relative to the tenant's origin), fails on an unexpected status (by default
   * anything 400 or above), then runs axe on the page.
   */
  async visit(pathOrUrl: string, opts: { label?: string; status?: number } = {}): Promise<Response> {
    const res = await this.page.goto(this.url(pathOrUrl), { waitUntil: 'load' });
    assert.ok(res, `no response for ${pathOrUrl}`);
    if (opts.status !== undefined) {
      assert.equal(res.status(), opts.status, `${this.page.url()} answered ${res.status()}, expected ${opts.status}`);
    } else {
      assert.ok(res.status() < 400, `${this.page.url()} answered ${res.status()}`);
    }
    await this.check(opts.label ?? pathLabel(this.page.url()));
    return res;
  }

  /**
   * Runs an action that navigates (a click, Enter on a link, a form submit), waits for the new
   * page to load, then runs axe on it.
   */
  async navigate(action: () => Promise<unknown>, label?: string): Promise<void> {
    const navigated = this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame(), timeout: 10_000 });
    try {
      await action();
    } catch (err) {
      // The action's own error is the one worth reading, not the waiter's "target closed" when
      // the test then tears the page down.
      navigated.catch(() => undefined);
      throw err;
    }
    await navigated;
    await this.afterNavigation(label);
  }

  /** After a navigation the test caused itself: waits for the page to load and runs axe on it. */
  async afterNavigation(label?: string): Promise<void> {
    await this.page.waitForLoadState('load');
    await this.check(label ?? pathLabel(this.page.url()));
  }

  /**
   * Runs axe on the page as it is now (e.g. a step's error state after a submit) and records the
   * URL and label. With JavaScript off, axe cannot run inside the page (it needs timers, and
   * Chromium stops when a script waits on one there), so it runs on an exact copy of the page's
   * DOM in a second page whose own scripts are blocked: the same markup, styles and URL.
   */
  async check(label: string): Promise<void> {
    const url = this.page.url();
    const target = this.options.javaScriptEnabled ? this.page : await this.snapshotPage();
    const results = await new AxeBuilder({ page: target })
      // options() replaces every option set before it, so it comes before withTags(). Only violations
      // are read: resultTypes leaves out the nodes of the rules that passed (a quarter to a third of a
      // check's time on our pages, measured), not any rule, nor any violation.
      .options({ rules: Object.fromEntries(AXE_EXPERIMENTAL_WCAG_RULES.map((id) => [id, { enabled: true }])), resultTypes: ['violations'] })
      .withTags(AXE_TAGS)
      // Legacy mode runs axe.run() inside the page; the default mode opens an extra blank page in
      // the journey's context to merge results, which we do not want in a user's journey.
      .setLegacyMode(true)
      .analyze();
    for (const v of results.violations) {
      this.axeFindings.push({
        rule: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        helpUrl: v.helpUrl,
        url,
        label,
        nodes: v.nodes.map((n) => ({
          target: n.target.map(String).join(' '),
          html: n.html.slice(0, 300),
          summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 400),
        })),
      });
    }
    this.checked.push({ url, label: this.options.javaScriptEnabled ? label : `${label} (JavaScript off)`, violations: results.violations.length });
  }

  private async snapshotPage(): Promise<Page> {
    if (!this.inspector) {
      const context = await this.browser.newContext({
        javaScriptEnabled: true,
        locale: BROWSER_LOCALE[this.locale],
        viewport: this.page.viewportSize(),
      });
      this.inspector = { context, page: await context.newPage() };
    }
    const { page } = this.inspector;
    const url = this.page.url();
    const documentUrl = url.split('#')[0];
    // <noscript> content is rendered when scripting is off; keep it rendered in the copy.
    const html = (await this.page.content()).replace(/<(\/?)noscript\b/gi, '<$1div');
    await page.unrouteAll();
    await page.route(
      (u) => u.href.split('#')[0] === documentUrl,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await page.route('**/*', (route) => (route.request().resourceType() === 'script' ? route.abort() : route.fallback()));
    await page.goto(url, { waitUntil: 'load' });
    return page;
  }

  // -------------------------------------------------------------------------------------------
  // Keyboard

  /** What has focus now. */
  async focused(): Promise<FocusedElement> {
    return this.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return { tag: 'body', name: '', text: '', id: '', href: null, inViewport: true };
      const byIds = (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .map((id) => (id ? document.getElementById(id)?.textContent ?? '' : ''))
        .join(' ')
        .trim();
      const text = (el.innerText ?? el.textContent ?? '').replace(/\s+/g, ' ').trim();
      const value = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : '';
      const labels = 'labels' in el && el.labels ? [...(el.labels as NodeListOf<HTMLLabelElement>)].map((l) => l.textContent ?? '').join(' ') : '';
      const name = (byIds || el.getAttribute('aria-label') || labels || text || value || el.getAttribute('title') || '').replace(/\s+/g, ' ').trim();
      const r = el.getBoundingClientRect();
      const inViewport = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
      return { tag: el.tagName.toLowerCase(), name, text, id: el.id, href: el.getAttribute('href'), inViewport };
    });
  }

  /** Whether the focused element is, or is inside, the element `selector` matches. */
  async focusWithin(selector: string): Promise<boolean> {
    return this.page.evaluate((sel) => Boolean(document.activeElement?.closest(sel)), selector);
  }

  /**
   * Presses Tab until the focused element's accessible name or visible text contains `text`
   * (a string, case-insensitive, or a pattern); fails after `max` presses, listing what got focus.
   */
  async tabTo(text: string | RegExp, opts: { max?: number; shift?: boolean } = {}): Promise<FocusedElement> {
    const max = opts.max ?? 40;
    const matches = (s: string) => (typeof text === 'string' ? s.toLowerCase().includes(text.toLowerCase()) : text.test(s));
    const seen: string[] = [];
    for (let i = 0; i < max; i++) {
      await this.page.keyboard.press(opts.shift ? 'Shift+Tab' : 'Tab');
      const f = await this.focused();
      if (matches(f.name) || matches(f.text)) return f;
      seen.push(`${f.tag}${f.id ? '#' + f.id : ''} "${f.name}"`);
    }
    assert.fail(`Tab did not reach "${String(text)}" in ${max} presses on ${this.page.url()}; focus went to:\n  ${seen.join('\n  ')}`);
  }

  /**
   * Presses Enter on the focused element. By default it expects a navigation and checks the new
   * page with axe; `{ navigates: false }` only presses (e.g. in a text field without a form submit).
   */
  async pressEnter(opts: { navigates?: boolean; label?: string } = {}): Promise<void> {
    if (opts.navigates === false) {
      await this.page.keyboard.press('Enter');
      return;
    }
    await this.navigate(() => this.page.keyboard.press('Enter'), opts.label);
  }

  /** Types into whatever has focus, key by key, as a person would. */
  async typeInFocused(text: string): Promise<void> {
    await this.page.keyboard.type(text);
  }

  // -------------------------------------------------------------------------------------------
  // The end

  /** Saves a full-page screenshot into test-results/ and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${slug(this.options.name)}-${slug(name)}-${Date.now()}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** The list of page states checked, for the test's output. */
  report(): string {
    const lines = this.checked.map((c) => `  ${c.violations ? 'FAIL' : 'ok  '} ${redactTokens(c.url)}  [${redactTokens(c.label)}]`);
    return `Journey "${this.options.name}" (${this.locale}, JavaScript ${this.options.javaScriptEnabled ? 'on' : 'off'}) checked ${this.checked.length} page states with axe:\n${lines.join('\n')}`;
  }

  /**
   * Prints the URLs checked, then fails listing every axe violation (rule, impact, selectors,
   * URL), every CSP violation, script error and failed resource load, and every URL that carries a
   * personal identity number (masked in the report).
   */
  assertClean(): void {
    console.log(this.report());
    this.reported = true;
    const problems: string[] = [];
    for (const f of this.axeFindings) {
      problems.push(
        `axe ${f.rule} (${f.impact}) on ${f.url} [${f.label}]: ${f.help} — ${f.helpUrl}\n` +
          f.nodes.map((n) => `      at ${n.target}\n        ${n.html}\n        ${n.summary}`).join('\n'),
      );
    }
    for (const c of this.cspViolations) problems.push(`CSP violation: ${c}`);
    for (const e of this.pageErrors) problems.push(`script error: ${e}`);
    for (const r of this.resourceErrors) problems.push(`resource failed: ${r}`);
    for (const url of this.visitedUrls) {
      const [where] = personalNumbersIn(url);
      if (where) problems.push(`personal identity number in a URL: ${maskPins(redactTokens(url)).slice(0, 200)} (${where})`);
    }
    if (problems.length) {
      assert.fail(`Journey "${this.options.name}" found ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
    }
  }

  async close(): Promise<void> {
    await this.inspector?.context.close();
    await this.context.close();
  }
}

function pathLabel(url: string): string {
  const u = new URL(url);
  return u.pathname + u.search;
}

/** Opens a journey: a fresh context (empty cookies) in the given language, with or without JavaScript. */
export async function newJourney(browser: Browser, opts: JourneyOptions): Promise<Journey> {
  const origin = opts.origin ?? (opts.server && opts.tenantHost ? opts.server.origin(opts.tenantHost) : undefined);
  if (!origin) throw new Error('newJourney needs either origin, or server and tenantHost');
  const javaScriptEnabled = opts.javaScriptEnabled ?? true;
  const context = await browser.newContext({
    javaScriptEnabled,
    // The context's locale sets navigator.language and Chromium's Accept-Language; the explicit
    // header makes the server's negotiation independent of how Chromium formats it.
    locale: BROWSER_LOCALE[opts.locale],
    extraHTTPHeaders: { 'Accept-Language': ACCEPT_LANGUAGE[opts.locale] },
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    timezoneId: 'Europe/Stockholm',
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const name = opts.name ?? `${opts.tenantHost ?? new URL(origin).hostname} ${opts.locale}${javaScriptEnabled ? '' : ' no-js'}`;
  return new Journey(browser, context, page, origin, { ...opts, name, javaScriptEnabled });
}

/**
 * Runs a journey from start to end: on any failure (a step, or assertClean) saves a screenshot
 * of the page into test-results/ and names it in the error; always closes the context.
 */
export async function runJourney(browser: Browser, opts: JourneyOptions, body: (j: Journey) => Promise<void>): Promise<Journey> {
  const j = await newJourney(browser, opts);
  try {
    await body(j);
    j.assertClean();
    return j;
  } catch (err) {
    let shot = '';
    try {
      shot = await j.screenshot('failure');
    } catch {
      // The page may be gone (browser crash); the error says what went wrong anyway.
    }
    if (shot) {
      console.log(`Journey "${j.options.name}" failed on ${j.page.url()}; screenshot: ${path.relative(repoRoot, shot)}`);
      if (err instanceof Error) err.message += `\nScreenshot: ${path.relative(repoRoot, shot)}`;
    }
    if (!j.reported) console.log(j.report());
    throw err;
  } finally {
    await j.close();
  }
}
