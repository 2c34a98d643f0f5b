/**
 * The resident's journey through "Apply for pre-school" in real headless Chromium, as issue 2
 * describes it: find the service (list and search), sign in with the built-in test e-ID, answer
 * every step — first empty or wrong, to see the error state — check the answers and change one,
 * send, fetch the PDF receipt, follow the case under My cases, send a message, withdraw, sign out.
 *
 * axe (WCAG 2.1 A and AA, no rule disabled) runs on every page state, the test e-ID pages
 * included, and the harness fails the test on any CSP violation. The journey runs in Swedish and
 * in English, once by keyboard alone and once with JavaScript off; a last test leaves a draft,
 * signs out, and continues it in a new browser.
 *
 * Each test signs in as a different test resident, so drafts and cases never collide.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { subjectLabel } from '../../src/catalogue/index.ts';
import type { ServiceDefinition } from '../../src/catalogue/types.ts';
import { addMonths, stockholmToday } from '../../src/forms/dates.ts';
import { fieldErrorMessage } from '../../src/forms/index.tsx';
import { formatDate, translate } from '../../src/kernel/i18n/index.ts';
import { browserAndServer, runJourney, NORRBY, SODERA, type FocusedElement, type Journey, type JourneyLocale } from './harness.ts';

const live = browserAndServer({ demo: true });

/** A test resident of the demo population register and what they answer. */
interface Applicant {
  host: string;
  locale: JourneyLocale;
  /** Name on the test e-ID page and in the header. */
  name: string;
  /** A child of theirs in the register, as the form lists it. */
  child: string;
  /** Three pre-schools as the form's lists show them ("Name (area)"). */
  preschools: [string, string, string];
  email: string;
  phone: string;
}

const ANNA: Applicant = {
  host: NORRBY,
  locale: 'sv',
  name: 'Anna Andersson',
  child: 'Elsa Andersson',
  preschools: ['Ekbackens förskola (Ekbacken)', 'Förskolan Solrosen (Centrum)', 'Hamnens förskola (Hamnen)'],
  email: 'anna.andersson@example.se',
  phone: '070-123 45 67',
};
const JOHAN: Applicant = {
  host: SODERA,
  locale: 'en',
  name: 'Johan Ek',
  child: 'Alva Ek',
  preschools: ['Förskolan Backsippan (Söderå centrum)', 'Förskolan Kotten (Skogsby)', 'Regnbågens förskola (Söderå centrum)'],
  email: 'johan.ek@example.se',
  phone: '073-555 12 34',
};
const ERIK: Applicant = {
  host: NORRBY,
  locale: 'en',
  name: 'Erik Berg',
  child: 'Maja Berg',
  preschools: ['Förskolan Myrstacken (Centrum)', 'Förskolan Ugglan (Ekbacken)', 'Fjällets förskola (Västra Norrby)'],
  email: 'erik.berg@example.se',
  phone: '070-987 65 43',
};
const FATIMA: Applicant = {
  host: SODERA,
  locale: 'sv',
  name: 'Fatima Said',
  child: 'Adam Said',
  preschools: ['Strandängens förskola (Strandängen)', 'Förskolan Backsippan (Söderå centrum)', 'Förskolan Kotten (Skogsby)'],
  email: 'fatima.said@example.se',
  phone: '076-111 22 33',
};
const KARIN: Applicant = {
  host: NORRBY,
  locale: 'sv',
  name: 'Karin Holm',
  child: 'Ella Holm',
  preschools: ['Förskolan Lingonet (Norrskogen)', 'Förskolan Ugglan (Ekbacken)', 'Hamnens förskola (Hamnen)'],
  email: 'karin.holm@example.se',
  phone: '070-222 33 44',
};

// ---------------------------------------------------------------------------------------------
// Texts: everything the journey looks for comes from the product's own messages and definition.

function textsFor(host: string, locale: JourneyLocale) {
  const tenant = live.server.tenants.forHost(host)!;
  const def: ServiceDefinition = live.server.app.catalogue.service(tenant.id, 'forskola')!;
  assert.ok(def, `forskola is not in ${tenant.id}'s catalogue`);
  const fields = new Map(def.form.steps.flatMap((s) => s.fields).map((f) => [f.id, f]));
  const label = (fieldId: string) => fields.get(fieldId)!.label[locale];
  const careHours = fields.get('careHours')!;
  return {
    t: (key: string, vars?: Record<string, string | number>) => translate(locale, key, vars),
    tenantName: tenant.name[locale],
    def,
    title: def.title[locale],
    label,
    /** The product's error message about a field, as the form shows it. */
    error: (key: string, id: string, vars?: Record<string, string | number>, shownAt?: string) => fieldErrorMessage(locale, key, fields.get(id)!, vars, fields.get(shownAt ?? id)!),
    stepTitle: (id: string) => def.form.steps.find((s) => s.id === id)!.title[locale],
    /** A step's h1: its only question's label, or its title when it asks several. */
    stepHeading: (id: string) => {
      const step = def.form.steps.find((s) => s.id === id)!;
      return (step.fields.length === 1 ? step.fields[0]!.label : step.title)[locale];
    },
    stateLabel: (id: string) => def.workflow.states.find((s) => s.id === id)!.label[locale],
    careHoursLabel: (value: string) => (careHours.kind === 'choice' ? careHours.choices.find((c) => c.value === value)!.label[locale] : value),
    date: (iso: string) => formatDate(`${iso}T12:00:00Z`, locale),
  };
}

type Texts = ReturnType<typeof textsFor>;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (s: string) => new RegExp(`^${escapeRegExp(s)}$`, 'i');

// ---------------------------------------------------------------------------------------------
// Two ways of using the pages: with a pointer (clicks, fill, select), and by keyboard alone
// (Tab, Shift+Tab, Enter, Space, arrow keys and typing). The journey is written once for both.

interface Actor {
  readonly j: Journey;
  /** Follows a link or presses a button by its accessible name; the page it loads is checked with axe. */
  go(name: string, label: string): Promise<void>;
  /** Types into a text field or text area, replacing what it held. */
  fill(label: string, value: string): Promise<void>;
  /** Enters a date (YYYY-MM-DD) into a date field. */
  fillDate(label: string, iso: string): Promise<void>;
  /** Picks a radio button by its label. */
  choose(option: string): Promise<void>;
  /** Picks an option of a select by its text. */
  select(label: string, option: string): Promise<void>;
  /** Follows the error summary's link with this message; returns what then has focus. */
  followErrorLink(message: string): Promise<FocusedElement>;
}

function pointer(j: Journey): Actor {
  const page = j.page;
  // A form control by its label (the search form's landmark carries the same name as its box).
  const control = (label: string) => page.getByLabel(label, { exact: true }).and(page.locator('input, textarea, select'));
  return {
    j,
    async go(name, label) {
      const target = page.getByRole('link', { name, exact: true }).or(page.getByRole('button', { name, exact: true }));
      const count = await target.count();
      assert.ok(count > 0, `no link or button "${name}" on ${page.url()}`);
      if (count > 1) {
        // The same destination twice (the main menu and the breadcrumbs) is fine; two different ones are not.
        const hrefs = new Set(await target.evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? `button:${e.closest('form')?.getAttribute('action')}`)));
        assert.equal(hrefs.size, 1, `"${name}" leads to different places on ${page.url()}: ${[...hrefs].join(', ')}`);
      }
      await j.navigate(() => target.first().click(), label);
    },
    async fill(label, value) {
      await control(label).fill(value);
    },
    async fillDate(label, iso) {
      await control(label).fill(iso);
    },
    async choose(option) {
      await page.getByRole('radio', { name: option, exact: true }).check();
    },
    async select(label, option) {
      await control(label).selectOption({ label: option });
    },
    async followErrorLink(message) {
      await page.getByRole('alert').getByRole('link', { name: message, exact: true }).click();
      return j.focused();
    },
  };
}

function keyboard(j: Journey): Actor {
  const page = j.page;
  const keys = page.keyboard;
  /** Moves focus forward (Tab, wrapping round the page) to the element whose name matches, unless it has focus already. */
  async function focusOn(name: RegExp): Promise<FocusedElement> {
    const now = await j.focused();
    if (name.test(now.name) || name.test(now.text)) return now;
    const f = await j.tabTo(name, { max: 120 });
    assert.ok(f.inViewport, `focused "${f.name}" is scrolled into view on ${page.url()}`);
    return f;
  }
  return {
    j,
    async go(name, label) {
      await focusOn(exactly(name));
      await j.pressEnter({ label });
    },
    async fill(label, value) {
      await focusOn(exactly(label));
      await keys.press('Control+A');
      await keys.press('Backspace');
      await j.typeInFocused(value);
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).value), value, `typed into ${label}`);
    },
    async fillDate(label, iso) {
      const f = await focusOn(exactly(label));
      assert.equal(f.tag, 'input');
      // A text box (no browser date control, whose parts come in the browser's locale's order):
      // the date is typed as the hint shows it.
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).type), 'text', `${label} is a text box`);
      await keys.press('Control+A');
      await keys.press('Backspace');
      await j.typeInFocused(iso);
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).value), iso, `typed the date into ${label}`);
    },
    async choose(option) {
      // The labels of the radios in the group the option belongs to (to know when Tab reached it).
      const group = await page.evaluate((opt) => {
        const radios = [...document.querySelectorAll<HTMLInputElement>('input[type=radio]')];
        const target = radios.find((r) => [...(r.labels ?? [])].some((l) => l.textContent?.trim() === opt));
        return radios.filter((r) => r.name === target?.name).map((r) => [...(r.labels ?? [])].map((l) => l.textContent?.trim()).join(' '));
      }, option);
      assert.ok(group.length > 0, `no radio labelled "${option}" on ${page.url()}`);
      await focusOn(new RegExp(`^(${group.map(escapeRegExp).join('|')})$`, 'i'));
      for (let i = 0; i <= group.length; i++) {
        const f = await j.focused();
        if (f.name === option) {
          await keys.press('Space');
          assert.ok(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked), `Space checked "${option}"`);
          return;
        }
        await keys.press('ArrowDown');
      }
      assert.fail(`arrow keys did not reach "${option}" on ${page.url()}`);
    },
    async select(label, option) {
      await focusOn(exactly(label));
      const { index, target } = await page.evaluate((opt) => {
        const s = document.activeElement as HTMLSelectElement;
        return { index: s.selectedIndex, target: [...s.options].findIndex((o) => o.text === opt) };
      }, option);
      assert.ok(target >= 0, `no option "${option}" in ${label}`);
      // A closed select changes its value with the arrow keys.
      for (let i = index; i !== target; i += target > index ? 1 : -1) await keys.press(target > index ? 'ArrowDown' : 'ArrowUp');
      assert.equal(await page.evaluate(() => (document.activeElement as HTMLSelectElement).selectedOptions[0]?.text), option, `selected in ${label}`);
    },
    async followErrorLink(message) {
      await focusOn(exactly(message));
      await j.pressEnter({ navigates: false });
      return j.focused();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Checks

function path(j: Journey): string {
  return new URL(j.page.url()).pathname;
}

async function h1(j: Journey): Promise<string> {
  assert.equal(await j.page.locator('h1').count(), 1, `one h1 on ${j.page.url()}`);
  return (await j.page.locator('h1').innerText()).trim();
}

/** The "check your answers" rows (and any key–value list) as label → shown answer. */
async function summaryRows(j: Journey): Promise<Map<string, string>> {
  const rows = await j.page.locator('.mb-summary__row').evaluateAll((els) =>
    els.map((el) => [el.querySelector('dt')?.textContent?.trim() ?? '', (el.querySelector('dd') as HTMLElement | null)?.innerText.trim() ?? '']),
  );
  return new Map(rows as [string, string][]);
}

/**
 * An error state: a summary titled as the product titles it, listing exactly these messages,
 * each linking to a field on the page that is marked invalid; with JavaScript the summary has
 * focus, so a screen reader announces it.
 */
async function assertErrorState(j: Journey, title: string, messages: string[], opts: { focusWithoutScript?: boolean } = {}): Promise<void> {
  const summary = j.page.getByRole('alert');
  assert.equal(await summary.count(), 1, `one error summary on ${j.page.url()}`);
  assert.equal((await summary.getByRole('heading').innerText()).trim(), title);
  const links = await summary.getByRole('link').evaluateAll((as) => as.map((a) => ({ text: a.textContent?.trim() ?? '', href: a.getAttribute('href') ?? '' })));
  assert.deepEqual(
    links.map((l) => l.text),
    messages,
    `error messages on ${j.page.url()}`,
  );
  for (const l of links) {
    assert.match(l.href, /^#[\w-]+$/, `error link "${l.text}" points into the page`);
    const field = j.page.locator(l.href);
    assert.equal(await field.count(), 1, `error link target ${l.href} exists`);
    // The message is also next to the field, and the field (or its group) refers to it.
    const described = await field.evaluate((el) => {
      const own = el.getAttribute('aria-describedby') ?? '';
      const group = el.closest('fieldset')?.getAttribute('aria-describedby') ?? '';
      return `${own} ${group}`
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
        .join(' | ');
    });
    assert.ok(described.includes(l.text), `${l.href} is described by its error "${l.text}" (got "${described}")`);
  }
  assert.ok((await j.page.title()).startsWith(`${title}: `), `the page title tells of the error: ${await j.page.title()}`);
  if (j.options.javaScriptEnabled || opts.focusWithoutScript) {
    assert.ok(await j.focusWithin('[role=alert]'), `the error summary has focus on ${j.page.url()}`);
  }
}

/** Follows an error summary link and checks that focus lands on the field it names. */
async function followError(a: Actor, message: string, fieldId: string): Promise<void> {
  const f = await a.followErrorLink(message);
  assert.equal(f.id, fieldId, `"${message}" moves focus to #${fieldId}`);
  assert.ok(f.inViewport, `#${fieldId} is visible after following "${message}"`);
}

async function inputValue(j: Journey, id: string): Promise<string> {
  return j.page.locator(`#${id}`).inputValue();
}

async function selectedText(j: Journey, id: string): Promise<string> {
  return j.page.locator(`#${id}`).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text ?? '');
}

/**
 * GETs a URL of the journey's site with the browser's cookies. Over node:http to the loopback
 * port with the tenant's Host header, because Node does not resolve *.localhost names.
 */
async function fetchAs(j: Journey, pathname: string, opts: { withCookies?: boolean } = {}): Promise<{ status: number; contentType: string; body: Buffer }> {
  const url = new URL(j.url(pathname));
  const cookie = opts.withCookies === false ? '' : (await j.context.cookies(url.href)).map((c) => `${c.name}=${c.value}`).join('; ');
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: live.server.port, path: url.pathname + url.search, headers: { host: url.host, ...(cookie ? { cookie } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

async function assertSignedInAs(j: Journey, x: Texts, name: string): Promise<void> {
  assert.ok(await j.page.locator('header').getByText(x.t('layout.signedInAs', { name }), { exact: true }).isVisible(), `header names ${name} on ${j.page.url()}`);
}

// ---------------------------------------------------------------------------------------------
// The journey's parts

/** Home → service list → search → the service page. */
async function findService(a: Actor, x: Texts): Promise<void> {
  const { j } = a;
  await j.visit('/');
  assert.equal(await h1(j), x.t('home.title', { tenant: x.tenantName }));
  await a.go(x.t('home.allServices'), 'service list');
  assert.equal(path(j), '/services');
  assert.equal(await h1(j), x.t('catalogue.list.title'));
  assert.ok(await j.page.getByRole('link', { name: x.title, exact: true }).isVisible(), `"${x.title}" in the service list`);

  // The header's search box (the list has none of its own), then the results page.
  const query = j.locale === 'sv' ? 'förskola' : 'pre-school';
  await a.fill(x.t('search.box.label'), query);
  await a.go(x.t('search.box.submit'), `search "${query}"`);
  assert.equal(path(j), '/search');
  assert.equal(new URL(j.page.url()).searchParams.get('q'), query);
  // More than one service speaks of pre-school (changing care hours, school choice): the count said is the count shown.
  const found = await j.page.locator('ol.mb-search-results > li').count();
  assert.ok(found >= 1);
  const said = found === 1 ? x.t('search.count.one') : x.t('search.count.many', { count: String(found) });
  assert.match(await j.page.locator('#search-count').innerText(), new RegExp(`^${said} `), `the search says what it found: ${said}`);
  assert.equal(await j.page.locator('#q').inputValue(), query, 'the search box keeps the query');
  assert.equal(await j.page.locator('ol.mb-search-results > li h3 a').first().innerText(), x.title, 'the service first');

  await a.go(x.title, 'service page');
  assert.equal(path(j), '/services/forskola');
  assert.equal(await h1(j), x.title);
  // What it needs, how long it takes and who decides.
  const facts = await summaryRows(j);
  assert.equal(facts.get(x.t('catalogue.service.duration')), x.def.duration[j.locale]);
  assert.equal(facts.get(x.t('catalogue.service.decidedBy')), x.def.decidedBy[j.locale]);
  for (const need of x.def.needs) assert.ok(await j.page.getByText(need[j.locale], { exact: true }).isVisible(), `needs: ${need[j.locale]}`);
}

/** On the test e-ID's sign-in page: optionally its error state first, then sign in as `who`. */
async function signInAtTestIdp(a: Actor, x: Texts, who: Applicant, label: string, opts: { errorState?: boolean } = {}): Promise<void> {
  const { j } = a;
  assert.match(path(j), /^\/test-idp\/interaction\/[\w-]+$/, `on the test e-ID page, not ${j.page.url()}`);
  assert.equal(await j.page.locator('html').getAttribute('lang'), j.locale, 'the e-ID page speaks the language of the service');
  assert.equal(await h1(j), x.t('eid.testIdp.loginTitle'));
  if (opts.errorState) {
    await a.go(x.t('eid.testIdp.signIn'), 'test e-ID: error state');
    // The provider's pages have no script: autofocus moves focus to the summary, scripts or not.
    await assertErrorState(j, x.t('eid.testIdp.errorSummary'), [x.t('eid.testIdp.errorChoose')], { focusWithoutScript: true });
    await followError(a, x.t('eid.testIdp.errorChoose'), 'person');
  }
  await a.choose(who.name);
  await a.go(x.t('eid.testIdp.signIn'), label);
  assert.ok(!path(j).startsWith('/test-idp'), `back from the e-ID at ${j.page.url()}`);
  await assertSignedInAs(j, x, who.name);
}

/** Every step of the form, each first sent empty or wrong; ends on "check your answers". Returns the draft id. */
async function answerEveryStep(a: Actor, x: Texts, who: Applicant, today: string): Promise<{ draftId: string; early: string; reason: string; needs: string }> {
  const { j } = a;
  const t = x.t;
  const summaryTitle = t('forms.error.summaryTitle');
  const total = x.def.form.steps.length;
  const stepPath = (id: string) => new RegExp(`^/apply/[0-9a-f-]{36}/${id}$`);
  const onStep = async (id: string, n: number) => {
    assert.match(path(j), stepPath(id));
    assert.equal(await h1(j), x.stepHeading(id));
    assert.ok(await j.page.getByText(t('forms.stepOf', { n, total }), { exact: false }).isVisible(), `step ${n} of ${total}`);
  };

  // 1. The child, from the population register.
  await onStep('child', 1);
  const draftId = path(j).split('/')[2]!;
  await a.go(t('forms.continue'), 'step child: error state');
  await assertErrorState(j, summaryTitle, [x.error('forms.error.choose', 'child')]);
  await followError(a, x.error('forms.error.choose', 'child'), 'f-child');
  await a.choose(who.child);
  await a.go(t('forms.continue'), 'step preschools');

  // 2. Up to five pre-schools in ranked order.
  await onStep('preschools', 2);
  const choice = (n: number) => (n === 1 ? t('forms.choiceFirst') : t('forms.choiceN', { n }));
  await a.go(t('forms.continue'), 'step preschools: error state (none chosen)');
  const rankedMin = x.error('forms.error.rankedMinOne', 'preschools', { min: 1 });
  assert.equal(rankedMin, j.locale === 'sv' ? 'Välj minst en förskola' : 'Select at least one pre-school', "the definition's own message (issue 8, item 10)");
  await assertErrorState(j, summaryTitle, [rankedMin]);
  await followError(a, rankedMin, 'f-preschools');
  await a.select(choice(1), who.preschools[0]);
  await a.select(choice(2), who.preschools[0]);
  await a.go(t('forms.continue'), 'step preschools: error state (the same one twice)');
  const duplicate = x.error('forms.error.rankedDuplicate', 'preschools');
  await assertErrorState(j, summaryTitle, [duplicate]);
  assert.equal(await selectedText(j, 'f-preschools'), who.preschools[0], 'choice 1 is kept');
  assert.equal(await selectedText(j, 'f-preschools-1'), who.preschools[0], 'choice 2 is kept as chosen');
  // The second select is the one marked: the error links to it.
  assert.equal(await j.page.locator('#f-preschools-1').getAttribute('aria-invalid'), 'true');
  assert.equal(await j.page.locator('#f-preschools').getAttribute('aria-invalid'), null);
  await followError(a, duplicate, 'f-preschools-1');
  await a.select(choice(2), who.preschools[1]);
  await a.select(choice(3), who.preschools[2]);
  await a.go(t('forms.continue'), 'step start');

  // 3. The start date: less than four months ahead needs a reason.
  await onStep('start', 3);
  await a.go(t('forms.continue'), 'step start: error state (no date)');
  const dateRequired = x.error('forms.error.required', 'startDate');
  await assertErrorState(j, summaryTitle, [dateRequired]);
  await followError(a, dateRequired, 'f-startDate');
  const early = addMonths(today, 1);
  // The reason is asked only for an early date (ADR 0026): with JavaScript it is revealed under the
  // date once the date is early; without, it is asked on the step's follow-up page.
  const reasonBox = j.page.locator('#f-earlyReason');
  assert.equal(await reasonBox.isVisible(), false, 'no reason asked before a date is given');
  await a.fillDate(x.label('startDate'), early);
  assert.equal(await reasonBox.isVisible(), j.options.javaScriptEnabled, 'the reason is revealed under an early date only with JavaScript');
  const needReason = x.error('forms.error.dateTooEarlyReason', 'startDate', { min: addMonths(today, 4) }, 'earlyReason');
  if (j.options.javaScriptEnabled) {
    await a.go(t('forms.continue'), 'step start: error state (earlier than four months, no reason)');
    await assertErrorState(j, summaryTitle, [needReason]);
    assert.equal(await inputValue(j, 'f-startDate'), early, 'the date typed is kept');
  } else {
    await a.go(t('forms.continue'), 'step start: the follow-up page asks the reason');
    assert.equal(new URL(j.page.url()).searchParams.get('part'), 'more');
    assert.equal(await h1(j), x.label('earlyReason'), 'the follow-up page asks one question, as its heading');
    await a.go(t('forms.continue'), 'step start, follow-up page: error state (no reason)');
    await assertErrorState(j, summaryTitle, [needReason]);
  }
  await followError(a, needReason, 'f-earlyReason');
  const reason = j.locale === 'sv' ? 'Jag börjar ett nytt arbete i nästa månad.' : 'I start a new job next month.';
  await a.fill(x.label('earlyReason'), reason);
  await a.go(t('forms.continue'), 'step hours');

  // 4. Hours of care.
  await onStep('hours', 4);
  await a.go(t('forms.continue'), 'step hours: error state');
  const chooseHours = x.error('forms.error.choose', 'careHours');
  await assertErrorState(j, summaryTitle, [chooseHours]);
  await followError(a, chooseHours, 'f-careHours');
  await a.choose(x.careHoursLabel('from15to30'));
  await a.go(t('forms.continue'), 'step needs');

  // 5. Special support, and the question that follows a "yes".
  await onStep('needs', 5);
  const description = j.page.locator('#f-specialNeedsDescription');
  // The description waits for a "yes": revealed under it with JavaScript, on the follow-up page without.
  assert.equal(await description.isVisible(), false, 'the description is asked only after "yes"');
  await a.go(t('forms.continue'), 'step needs: error state (not answered)');
  const chooseNeeds = x.error('forms.error.choose', 'specialNeeds');
  await assertErrorState(j, summaryTitle, [chooseNeeds]);
  await followError(a, chooseNeeds, 'f-specialNeeds');
  await a.choose(t('forms.no'));
  assert.equal(await description.isVisible(), false, 'no description after "no"');
  await a.choose(t('forms.yes'));
  const describe = x.error('forms.error.required', 'specialNeedsDescription');
  if (j.options.javaScriptEnabled) {
    assert.ok(await description.isVisible(), 'the description is revealed after "yes"');
    assert.equal(await j.page.getByRole('radio', { name: t('forms.yes'), exact: true }).getAttribute('aria-controls'), 'c-specialNeedsDescription', '"yes" controls the revealed question');
    assert.equal(await j.page.getByRole('radio', { name: t('forms.no'), exact: true }).getAttribute('aria-controls'), null, '"no" reveals nothing');
    await a.go(t('forms.continue'), 'step needs: error state (yes, not described)');
    await assertErrorState(j, summaryTitle, [describe]);
    assert.ok(await j.page.getByRole('radio', { name: t('forms.yes'), exact: true }).isChecked(), '"yes" is kept');
  } else {
    assert.equal(await description.isVisible(), false, 'without JavaScript nothing appears on the page');
    await a.go(t('forms.continue'), 'step needs: the follow-up page asks the description');
    assert.equal(await h1(j), x.label('specialNeedsDescription'));
    await a.go(t('forms.continue'), 'step needs, follow-up page: error state (not described)');
    await assertErrorState(j, summaryTitle, [describe]);
  }
  await followError(a, describe, 'f-specialNeedsDescription');
  const needs = j.locale === 'sv' ? 'Allergi mot nötter.' : 'Allergic to nuts.';
  await a.fill(x.label('specialNeedsDescription'), needs);
  await a.go(t('forms.continue'), 'step contact');

  // 6. Contact details: empty (the phone number is optional), then in the wrong format, then right.
  await onStep('contact', 6);
  await a.go(t('forms.continue'), 'step contact: error state (empty)');
  await assertErrorState(j, summaryTitle, [x.error('forms.error.required', 'email')]);
  await a.fill(x.label('email'), 'not-an-address@');
  await a.fill(x.label('phone'), 'call me');
  await a.go(t('forms.continue'), 'step contact: error state (wrong format)');
  await assertErrorState(j, summaryTitle, [t('forms.error.email'), t('forms.error.phone')]);
  assert.equal(await inputValue(j, 'f-email'), 'not-an-address@', 'the e-mail typed is kept');
  assert.equal(await inputValue(j, 'f-phone'), 'call me', 'the phone typed is kept');
  await followError(a, t('forms.error.email'), 'f-email');
  await a.fill(x.label('email'), who.email);
  await a.fill(x.label('phone'), who.phone);
  await a.go(t('forms.continue'), 'check your answers');
  assert.equal(path(j), `/apply/${draftId}/check`);
  return { draftId, early, reason, needs };
}

/** Check your answers, change the start date, send, the confirmation and its PDF receipt. */
async function checkChangeAndSend(a: Actor, x: Texts, who: Applicant, today: string, answered: { draftId: string; early: string; reason: string; needs: string }): Promise<{ reference: string; caseId: string }> {
  const { j } = a;
  const t = x.t;
  assert.equal(await h1(j), t('forms.check.title'));
  let rows = await summaryRows(j);
  assert.match(rows.get(x.label('child')) ?? '', new RegExp(`^${escapeRegExp(who.child)} \\(`));
  assert.equal(rows.get(x.label('preschools')), who.preschools.map((p, i) => `${i + 1}. ${p.replace(/ \(.*\)$/, '')}`).join('\n'));
  assert.equal(rows.get(x.label('startDate')), x.date(answered.early));
  assert.equal(rows.get(x.label('earlyReason')), answered.reason);
  assert.equal(rows.get(x.label('careHours')), x.careHoursLabel('from15to30'));
  assert.equal(rows.get(x.label('specialNeeds')), t('forms.yes'));
  assert.equal(rows.get(x.label('specialNeedsDescription')), answered.needs);
  assert.equal(rows.get(x.label('email')), who.email);
  assert.equal(rows.get(x.label('phone')), who.phone);

  // Change one answer: a later start date, which no longer needs a reason.
  await a.go(t('forms.check.changeField', { label: x.label('startDate') }), 'change the start date');
  assert.equal(path(j), `/apply/${answered.draftId}/start`);
  assert.equal(new URL(j.page.url()).searchParams.get('return'), 'check');
  assert.equal(await j.page.getByRole('link', { name: t('forms.back'), exact: true }).getAttribute('href'), `/apply/${answered.draftId}/check`, 'back goes to the check page');
  assert.equal(await inputValue(j, 'f-startDate'), answered.early, 'the answer to change is shown');
  const later = addMonths(today, 5);
  await a.fillDate(x.label('startDate'), later);
  await a.go(t('forms.continue'), 'check your answers after the change');
  assert.equal(path(j), `/apply/${answered.draftId}/check`);
  rows = await summaryRows(j);
  assert.equal(rows.get(x.label('startDate')), x.date(later), 'the changed date is shown');
  assert.ok(!rows.has(x.label('earlyReason')), 'the reason is not asked for a date four months ahead');

  await a.go(t('forms.check.send'), 'confirmation');
  assert.equal(path(j), `/apply/${answered.draftId}/confirmation`);
  assert.equal(await h1(j), t('forms.confirm.title'));
  const reference = (await j.page.locator('.mb-reference').innerText()).trim();
  assert.match(reference, /^FSK-\d{4}-\d{6}$/);
  assert.ok(await j.page.getByText(t('forms.confirm.email', { email: who.email }), { exact: true }).isVisible(), 'says where the confirmation went');
  assert.ok(await j.page.getByText(x.def.whatHappensNext[j.locale], { exact: true }).isVisible(), 'says what happens next');

  const receipt = j.page.getByRole('link', { name: t('forms.confirm.receipt'), exact: true });
  const href = (await receipt.getAttribute('href'))!;
  const caseId = /^\/my\/cases\/([0-9a-f-]{36})\/receipt\.pdf$/.exec(href)?.[1];
  assert.ok(caseId, `receipt link ${href}`);
  // Fetched with the browser's cookies; without them it is not given out.
  const pdf = await fetchAs(j, href);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.contentType, 'application/pdf');
  assert.equal(pdf.body.subarray(0, 5).toString('latin1'), '%PDF-');
  const anonymous = await fetchAs(j, href, { withCookies: false });
  assert.notEqual(anonymous.status, 200, 'the receipt needs the applicant signed in');
  return { reference, caseId };
}

/** My cases lists the case; open it; its status and history; a message (empty first). */
async function followTheCase(a: Actor, x: Texts, who: Applicant, sent: { reference: string; caseId: string }): Promise<void> {
  const { j } = a;
  const t = x.t;
  await a.go(t('layout.myCases'), 'my cases');
  assert.equal(path(j), '/my/cases');
  assert.equal(await h1(j), t('my.title'));
  assert.equal(await j.page.getByText(t('my.drafts'), { exact: true }).count(), 0, 'the sent application is no longer a draft');
  const row = j.page.getByRole('row').filter({ has: j.page.getByRole('link', { name: sent.reference, exact: true }) });
  assert.equal(await row.count(), 1, `${sent.reference} is listed`);
  const cells = await row.getByRole('cell').allInnerTexts();
  // Each case names its child, so a parent of several tells them apart (issue 8).
  const about = `${subjectLabel(x.def, j.locale)}: ${who.child}`;
  assert.deepEqual(cells.slice(0, 4).map((c) => c.trim()), [sent.reference, x.title, about, x.stateLabel('submitted')]);

  await a.go(sent.reference, 'case page');
  assert.equal(path(j), `/my/cases/${sent.caseId}`);
  assert.equal(await h1(j), t('my.case.titleAbout', { service: x.title, name: who.child, reference: sent.reference }));
  assert.equal((await j.page.locator('main .ds-tag').first().innerText()).trim(), x.stateLabel('submitted'));
  const timeline = j.page.locator('section[aria-labelledby="hist-h"] .mb-timeline');
  assert.ok(await timeline.getByText(t('event.submitted'), { exact: true }).isVisible(), 'the history starts with the application');

  await a.go(t('my.case.send'), 'case page: message error state');
  await assertErrorState(j, t('forms.error.summaryTitle'), [t('my.case.error.messageRequired')]);
  await followError(a, t('my.case.error.messageRequired'), 'f-message');
  const message = j.locale === 'sv' ? 'Hej! Kan vi besöka förskolan innan start?' : 'Hello! Can we visit the pre-school before the start?';
  await a.fill(t('my.case.writeMessage'), message);
  await a.go(t('my.case.send'), 'case page: message sent');
  assert.equal(path(j), `/my/cases/${sent.caseId}`);
  // Announced: a status region with focus, and the page title starts with it.
  assert.equal((await j.page.getByRole('status').innerText()).trim(), t('my.case.messageSent'));
  if (j.options.javaScriptEnabled) assert.equal(await j.page.evaluate(() => document.activeElement?.id), 'notice', 'the confirmation has focus');
  assert.ok((await j.page.title()).startsWith(t('my.case.messageSent').replace(/\.$/, '')), 'the title starts with the confirmation');
  const entry = timeline.locator('li').filter({ hasText: t('event.message.from_resident') });
  assert.equal(await entry.count(), 1, 'the message is in the history');
  assert.equal((await entry.locator('.mb-timeline__body').innerText()).trim(), message);
  // And in the conversation, under Messages.
  const conversation = j.page.locator('section[aria-labelledby="msg-h"] .mb-timeline li');
  assert.equal(await conversation.count(), 1, 'the message is under Messages');
  assert.equal((await conversation.locator('.mb-timeline__body').innerText()).trim(), message);
}

async function withdraw(a: Actor, x: Texts, sent: { reference: string; caseId: string }): Promise<void> {
  const { j } = a;
  const t = x.t;
  await a.go(t('my.case.withdraw'), 'withdraw: are you sure');
  assert.equal(path(j), `/my/cases/${sent.caseId}/actions/withdraw`);
  assert.equal(await h1(j), t('my.case.withdrawTitle'));
  await a.go(t('my.case.withdrawConfirm'), 'case page: withdrawn');
  assert.equal(path(j), `/my/cases/${sent.caseId}`);
  assert.ok(await j.page.getByText(t('my.case.withdrawn'), { exact: true }).isVisible(), 'says it is withdrawn');
  assert.equal((await j.page.locator('main .ds-tag').first().innerText()).trim(), x.stateLabel('withdrawn'));
  assert.ok(await j.page.locator('section[aria-labelledby="hist-h"] .mb-timeline').getByText(t('event.withdrawn'), { exact: true }).isVisible(), 'the history shows the withdrawal');
  assert.equal(await j.page.getByRole('link', { name: t('my.case.withdraw'), exact: true }).count(), 0, 'no second withdrawal');
  await a.go(t('layout.myCases'), 'my cases after withdrawing');
  const row = j.page.getByRole('row').filter({ has: j.page.getByRole('link', { name: sent.reference, exact: true }) });
  assert.equal((await row.getByRole('cell').nth(3).innerText()).trim(), x.stateLabel('withdrawn'));
}

/** Signs out of Medborg and, at the test e-ID's question, of the e-ID too. */
async function signOut(a: Actor, x: Texts): Promise<void> {
  const { j } = a;
  const t = x.t;
  await a.go(t('layout.signOut'), 'test e-ID: sign out too?');
  assert.match(path(j), /^\/test-idp\//);
  assert.equal(await j.page.locator('html').getAttribute('lang'), j.locale);
  assert.equal(await h1(j), t('eid.testIdp.logoutTitle'));
  await a.go(t('eid.testIdp.logoutYes'), 'signed out');
  assert.equal(path(j), '/signed-out');
  assert.equal(await h1(j), t('eid.signedOut.title'));
  assert.ok(await j.page.locator('header').getByRole('link', { name: t('layout.signIn'), exact: true }).isVisible(), 'the header offers to sign in');
}

/** The whole journey for one applicant. */
async function residentJourney(a: Actor, who: Applicant, opts: { withdraw: boolean }): Promise<void> {
  const x = textsFor(who.host, who.locale);
  const today = stockholmToday(live.server.clock.now());
  await findService(a, x);
  await a.go(x.t('catalogue.service.start'), 'test e-ID sign-in');
  await signInAtTestIdp(a, x, who, 'step child', { errorState: true });
  const answered = await answerEveryStep(a, x, who, today);
  const sent = await checkChangeAndSend(a, x, who, today, answered);
  await followTheCase(a, x, who, sent);
  if (opts.withdraw) await withdraw(a, x, sent);
  await signOut(a, x);
  // Signed out means signed out: My cases asks for the e-ID again.
  await a.j.visit('/my/cases', { label: 'my cases after signing out: the test e-ID asks again' });
  assert.match(path(a.j), /^\/test-idp\/interaction\//);
}

// ---------------------------------------------------------------------------------------------

describe('the resident applies for pre-school in the browser', () => {
  test('in Swedish (Norrby, Anna Andersson): find, sign in, every step with its error state, change, send, My cases, message, sign out', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: ANNA.host, locale: 'sv', name: 'resident sv' }, (j) => residentJourney(pointer(j), ANNA, { withdraw: false }));
  });

  test('in English (Söderå, Johan Ek): the same journey, and the application is withdrawn', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: JOHAN.host, locale: 'en', name: 'resident en' }, (j) => residentJourney(pointer(j), JOHAN, { withdraw: true }));
  });

  test('by keyboard alone (Norrby in English, Erik Berg): Tab, Enter, Space, arrow keys and typing, no clicks', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: ERIK.host, locale: 'en', name: 'resident keyboard' }, (j) => residentJourney(keyboard(j), ERIK, { withdraw: true }));
  });

  test('with JavaScript off (Söderå in Swedish, Fatima Said): the whole journey works without scripts, the withdrawal too', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: FATIMA.host, locale: 'sv', javaScriptEnabled: false, name: 'resident no-js' }, (j) =>
      residentJourney(pointer(j), FATIMA, { withdraw: true }),
    );
  });

  test('a draft resumes after signing out, in a new browser, with the answers kept (Norrby, Karin Holm)', async () => {
    const x = textsFor(KARIN.host, KARIN.locale);
    const t = x.t;
    const today = stockholmToday(live.server.clock.now());
    const start = addMonths(today, 6);
    let draftId = '';
    await runJourney(live.browser, { server: live.server, tenantHost: KARIN.host, locale: KARIN.locale, name: 'draft: first visit' }, async (j) => {
      const a = pointer(j);
      await j.visit('/services/forskola');
      await a.go(t('catalogue.service.start'), 'test e-ID sign-in');
      await signInAtTestIdp(a, x, KARIN, 'step child');
      draftId = path(j).split('/')[2]!;
      await a.choose(KARIN.child);
      await a.go(t('forms.continue'), 'step preschools');
      await a.select(t('forms.choiceFirst'), KARIN.preschools[0]);
      await a.select(t('forms.choiceN', { n: 2 }), KARIN.preschools[1]);
      await a.go(t('forms.continue'), 'step start');
      await a.fillDate(x.label('startDate'), start);
      await a.go(t('forms.saveAndExit'), 'the draft saved');
      assert.equal(path(j), `/apply/${draftId}/saved`);
      assert.equal(await h1(j), t('forms.saved.title', { matter: 'ansökan', TheMatter: 'Ansökan' }));
      await a.go(t('forms.saved.myCases'), 'my cases with the draft');
      assert.equal(path(j), '/my/cases');
      assert.ok(await j.page.getByRole('link', { name: t('my.continue', { service: x.title }), exact: true }).isVisible(), 'the draft is listed');
      await signOut(a, x);
    });

    await runJourney(live.browser, { server: live.server, tenantHost: KARIN.host, locale: KARIN.locale, name: 'draft: new browser' }, async (j) => {
      const a = pointer(j);
      await j.visit('/my/cases', { label: 'my cases, signed out: to the test e-ID' });
      await signInAtTestIdp(a, x, KARIN, 'my cases with the draft, signed in again');
      assert.equal(path(j), '/my/cases');
      // "Continue" opens the first unanswered step (not check your answers with "Not answered" rows).
      await a.go(t('my.continue', { service: x.title }), 'the first unanswered step of the resumed draft');
      assert.equal(path(j), `/apply/${draftId}/hours`, 'the same draft, where it stopped');
      assert.ok(await j.page.getByText(t('forms.moved.resumed'), { exact: true }).isVisible(), 'it says where the person continues');

      // Starting the service again continues the draft where it stopped, answers in place.
      await j.visit('/services/forskola');
      await a.go(t('catalogue.service.start'), 'step hours of the resumed draft');
      assert.equal(path(j), `/apply/${draftId}/hours`);
      await a.go(t('forms.back'), 'step start of the resumed draft');
      assert.equal(await inputValue(j, 'f-startDate'), start);
      await a.go(t('forms.back'), 'step preschools of the resumed draft');
      assert.equal(await selectedText(j, 'f-preschools'), KARIN.preschools[0]);
      assert.equal(await selectedText(j, 'f-preschools-1'), KARIN.preschools[1]);
      await a.go(t('forms.back'), 'step child of the resumed draft');
      assert.ok(await j.page.getByRole('radio', { name: KARIN.child, exact: true }).isChecked(), 'the child is kept');
    });
  });
});

