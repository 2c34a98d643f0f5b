/**
 * The expression language in a real browser (ADR 0009): every row of src/expressions/cases.json
 * evaluated by the bundle a running app serves (the script its pages load, under the CSP), with
 * the same results as on the server; and a step whose questions appear and disappear with a
 * multiple-choice answer, decided in the browser by the same conditions the server checks.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import table from '../../src/expressions/cases.json' with { type: 'json' };
import { evaluate, type Expression } from '../../src/expressions/index.ts';
import { SESSION_COOKIE } from '../../src/kernel/http/index.ts';
import { csrfFrom } from '../helpers/app.ts';
import { expressionTenantsFile } from '../helpers/expression-catalogue.ts';
import { signInResident, ANNA, type SignedIn } from '../helpers/sign-in.ts';
import { browserAndServer, runJourney, NORRBY } from './harness.ts';

const live = browserAndServer(() => ({ demo: true, now: '2026-11-23T10:00:00Z', env: { MEDBORG_TENANTS: expressionTenantsFile() } }));

const DEFAULT_TODAY = '2026-11-23';
type Row = { name: string; expression: unknown; data: unknown; today?: string; expected: unknown };

describe('the expression language in the browser', () => {
  test('every row of the table gives the same result in Chromium, from the served bundle, as on the server', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: 'expressions table' }, async (j) => {
      await j.visit('/');
      const src = await j.page.locator('script[src^="/assets/expressions."]').getAttribute('src');
      assert.match(String(src), /^\/assets\/expressions\.[0-9a-f]{12}\.js$/, 'the page loads the hashed bundle');
      const rows = table.cases as Row[];
      const results = await j.page.evaluate(
        ({ rows, today }) => {
          const ev = (window as unknown as { medborgExpressions: { evaluate: (e: unknown, d: unknown, c: { today: string }) => unknown } }).medborgExpressions;
          return rows.map((r) => {
            try {
              return { value: ev.evaluate(r.expression, r.data, { today: r.today ?? today }) };
            } catch (e) {
              return { error: String(e) };
            }
          });
        },
        { rows, today: DEFAULT_TODAY },
      );
      assert.equal(results.length, rows.length);
      rows.forEach((row, i) => {
        const server = evaluate(row.expression as Expression, row.data as Record<string, unknown>, { today: row.today ?? DEFAULT_TODAY });
        // JSON round trip: what crosses page.evaluate is JSON (undefined would be dropped).
        assert.deepEqual(results[i], { value: row.expected }, `browser, ${row.name}`);
        assert.deepEqual(server, row.expected, `server, ${row.name}`);
      });
    });
  });

  test('a question shown by a multiple-choice answer appears when the value is ticked, and the server asks for it', async () => {
    const host = `${NORRBY}:${live.server.port}`;
    const anna = await signInResident(live.server, host, ANNA, 'sv');
    const draft = await fillUpToExtra(anna);
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: 'expressions conditional questions' }, async (j) => {
      await j.context.addCookies([{ name: SESSION_COOKIE, value: anna.jar.cookies.get(SESSION_COOKIE)!, url: j.url('/') }]);
      await j.visit(`/apply/${draft}/extra`);
      const reason = j.page.getByLabel('Varför kväll eller natt?');
      const night = j.page.getByLabel('Var sover barnet?');
      assert.equal(await reason.isVisible(), false, 'hidden while neither evening nor night is ticked');
      assert.equal(await night.isVisible(), false);
      await j.page.getByLabel('Dag', { exact: true }).check();
      assert.equal(await reason.isVisible(), false, 'day alone asks nothing more');
      await j.page.getByLabel('Kväll', { exact: true }).check();
      await reason.waitFor({ state: 'visible', timeout: 2000 });
      assert.equal(await night.isVisible(), false, 'night is not ticked');
      await j.check('evening ticked');
      await j.page.getByLabel('Natt', { exact: true }).check();
      await night.waitFor({ state: 'visible', timeout: 2000 });
      await j.page.getByLabel('Natt', { exact: true }).uncheck();
      await night.waitFor({ state: 'hidden', timeout: 2000 });
      // Sent without the reason: the server (the same condition) asks for it, and the browser
      // keeps it shown on the page with the error.
      await j.navigate(() => j.page.getByRole('button', { name: 'Fortsätt', exact: true }).click(), 'evening without a reason');
      assert.ok(await j.page.locator('[data-module="error-summary"] a[href="#f-eveningReason"]').isVisible(), 'the error names the reason');
      assert.equal(await reason.isVisible(), true);
      assert.equal(await night.isVisible(), false);
    });
  });
});

/** The steps before the one under test, posted as the resident (the form engine's own tests cover them). */
async function fillUpToExtra(who: SignedIn): Promise<string> {
  const inject = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>) => {
    const r = await live.server.app.inject({
      method,
      url,
      headers: { host: who.host, cookie: who.jar.header(), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      payload: form ? new URLSearchParams(form).toString() : undefined,
    });
    who.jar.store(r.headers['set-cookie']);
    return r;
  };
  const start = await inject('GET', '/services/forskola/apply');
  const draft = /\/apply\/([0-9a-f-]{36})\//.exec(String(start.headers.location))![1]!;
  const steps: [string, Record<string, string>][] = [
    ['child', { child: '202205109826' }],
    ['preschools', { 'preschools.0': 'nby-ekbacken', 'preschools.1': 'nby-solrosen' }],
    ['start', { startDate: '2027-04-01', earlyReason: '' }],
    ['hours', { careHours: 'over30' }],
    ['needs', { specialNeeds: 'no', specialNeedsDescription: '' }],
  ];
  for (const [step, form] of steps) {
    const token = csrfFrom((await inject('GET', `/apply/${draft}/${step}`)).body);
    const r = await inject('POST', `/apply/${draft}/${step}`, { ...form, _csrf: token });
    assert.equal(r.statusCode, 303, `${step}: ${r.body.slice(0, 300)}`);
  }
  return draft;
}
