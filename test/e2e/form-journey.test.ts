/**
 * The form journey's guards in a real browser, in Swedish (issue 8, items 3–7): a resident who
 * cannot apply is told why on the service page and at the start; a second application for a child
 * with an open one is refused on check your answers (pre-school: `subject.duplicates: refuse`, ADR
 * 0022), with a link to the open one; a session that ends while a step is
 * open says so and "Sign in again" (the real test e-ID) returns to the same step with what was
 * typed filled in — with JavaScript and without, and going back afterwards never lands on "signing
 * in took too long"; "Save and continue later" confirms with the deletion date and "Continue"
 * opens the first unanswered step. axe on every page state; screenshots at desktop and 375 px.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signInResident, ANNA } from '../helpers/sign-in.ts';
import { SESSION_COOKIE } from '../../src/kernel/http/index.ts';
import { tenantScope } from '../../src/kernel/db/index.ts';
import { createDraft } from '../../src/forms/drafts.repository.ts';
import { matterWords } from '../../src/cases/index.ts';
import { browserAndServer, runJourney, tr, exact, NORRBY, type Journey } from './harness.ts';

const live = browserAndServer({ demo: true, env: { SESSION_IDLE_MINUTES: '20' } });

const t = tr('sv');
const PHONE = { width: 375, height: 812 };
const SARA = { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' };
const ERIK = { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' };
const STEPS = ['child', 'preschools', 'start', 'hours', 'needs', 'contact'];

/** A resident's session in the journey's browser (the e-ID sign-in itself is the expiry journey's). */
async function signedIn(j: Journey, who: typeof SARA): Promise<string> {
  const s = await signInResident(live.server, `${NORRBY}:${live.server.port}`, who, 'sv');
  await j.context.addCookies([{ name: SESSION_COOKIE, value: s.jar.cookies.get(SESSION_COOKIE)!, url: j.url('/') }]);
  return s.residentId;
}

async function h1(j: Journey): Promise<string> {
  assert.equal(await j.page.locator('h1').count(), 1, `one h1 on ${j.page.url()}`);
  return (await j.page.locator('h1').innerText()).trim();
}

const path = (j: Journey) => new URL(j.page.url()).pathname;

async function click(j: Journey, name: string, label: string): Promise<void> {
  const target = j.page.getByRole('link', { name, exact: true }).or(j.page.getByRole('button', { name, exact: true }));
  await j.navigate(() => target.first().click(), label);
}

/** Desktop and phone screenshots of the page as it is now (test-results/). */
async function shots(j: Journey, name: string): Promise<void> {
  await j.screenshot(`${name}-desktop`);
  await j.page.setViewportSize(PHONE);
  await j.screenshot(`${name}-375`);
  await j.page.setViewportSize({ width: 1280, height: 900 });
}

describe('the form journey: who can apply, duplicates, expiry, saving and resuming', () => {
  test('sv: a resident with no child is told why on the service page and at the start', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: 'eligibility refused' }, async (j) => {
      const sara = await signedIn(j, SARA);
      await j.visit('/services/forskola', { label: 'service page: cannot apply' });
      const notice = j.page.locator('.ds-alert');
      assert.equal((await notice.getByRole('heading').innerText()).trim(), t('forms.ineligible.title'));
      assert.ok((await notice.innerText()).includes(t('forms.ineligible.noChildren')));
      assert.equal(await j.page.getByRole('link', { name: t('catalogue.service.start'), exact: true }).count(), 0, 'no start button');
      await shots(j, 'service-page-ineligible');
      // A bookmark to the start says the same, on a page of its own, before any draft.
      await j.visit('/services/forskola/apply', { status: 403, label: 'start: cannot apply' });
      assert.equal(await h1(j), t('forms.ineligible.title'));
      assert.ok(await j.page.getByText(t('forms.ineligible.register'), { exact: true }).isVisible());
      await shots(j, 'cannot-apply');
      await click(j, t('forms.ineligible.contact', { tenant: live.server.tenants.forHost(NORRBY)!.name.sv }), 'contact page');
      assert.equal(path(j), '/contact');
      const { rows } = await live.server.tdb.db.query(`SELECT 1 FROM drafts WHERE tenant_id = 'norrby' AND owner_id = $1`, [sara]);
      assert.equal(rows.length, 0, 'no draft was made');
    });
  });

  test('sv: a second application for a child with an open one is refused, with a link to the open one', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: 'duplicate refused' }, async (j) => {
      const erik = await signedIn(j, ERIK);
      const tdb = tenantScope(live.server.tdb.db, 'norrby');
      const answers = { child: '202309159842', preschools: ['nby-ugglan'], startDate: '2027-06-01', careHours: 'upTo15', specialNeeds: 'no', email: 'erik.berg@example.se' };
      const complete = async () => {
        const { id } = await createDraft(tdb, erik, 'forskola', answers, live.server.clock.now(), live.server.config.draftRetentionDays);
        await tdb.query('UPDATE drafts SET completed_steps = $3 WHERE tenant_id = $1 AND id = $2', [id, STEPS]);
        return id;
      };
      await j.visit(`/apply/${await complete()}/check`, { label: 'check: no other application' });
      assert.equal(await j.page.getByText(/Det finns redan en öppen ansökan/).count(), 0);
      await click(j, t('forms.check.send'), 'confirmation');
      const reference = (await j.page.locator('.mb-reference').innerText()).trim();
      await j.visit(`/apply/${await complete()}/check`, { label: 'check: the open application refuses a second' });
      const title = t('forms.duplicate.title', { matter: matterWords(undefined, 'sv').matter, subject: 'Maja Berg' });
      assert.ok(await j.page.getByRole('heading', { name: title, exact: true }).isVisible());
      assert.ok(await j.page.getByText(t('forms.duplicate.refuse'), { exact: true }).isVisible(), 'says a new one cannot be sent');
      await shots(j, 'duplicate-refused');
      await click(j, t('forms.duplicate.open', { reference }), 'the open case');
      assert.match(path(j), /^\/my\/cases\/[0-9a-f-]{36}$/);
      assert.ok((await h1(j)).includes(reference));
    });
  });

  // A person each: the draft of one run would be resumed by the other.
  for (const [javaScriptEnabled, who, child] of [
    [true, 'Karin Holm', 'Ella Holm'],
    [false, 'Mikael Andersson', 'Olle Andersson'],
  ] as const) {
    test(`sv: after the session ends, "Sign in again" returns to the same step with the answers (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', javaScriptEnabled, name: `expiry ${javaScriptEnabled ? 'js' : 'no-js'}` }, async (j) => {
        const signIn = async (label: string) => {
          assert.match(path(j), /^\/test-idp\/interaction\//);
          await j.page.getByRole('radio', { name: who, exact: true }).check();
          await click(j, t('eid.testIdp.signIn'), label);
        };
        const callbacks: string[] = [];
        j.page.on('request', (req) => {
          if (req.isNavigationRequest() && new URL(req.url()).pathname === '/sign-in/callback') callbacks.push(req.url());
        });
        await j.visit('/services/forskola');
        await click(j, t('catalogue.service.start'), 'test e-ID');
        await signIn('step child');
        await j.page.getByRole('radio', { name: child, exact: true }).check();
        await click(j, t('forms.continue'), 'step preschools');
        const step = path(j);
        assert.match(step, /\/preschools$/);
        await j.page.getByLabel(t('forms.choiceFirst'), { exact: true }).selectOption({ label: 'Förskolan Lingonet (Norrskogen)' });
        // Away from the computer past the idle limit: the server ends the session.
        live.server.clock.advance(21 * 60_000);
        await click(j, t('forms.continue'), 'session ended');
        assert.equal(path(j), step, 'the page answers at the step posted to');
        assert.equal(await h1(j), t('forms.ended.title'));
        assert.ok(await j.page.getByText(t('forms.ended.kept'), { exact: true }).isVisible());
        if (javaScriptEnabled) await shots(j, 'session-ended');
        await click(j, t('forms.ended.signIn'), 'test e-ID again');
        // The test e-ID remembers its own sign-in for a while and may not ask again.
        if (path(j).startsWith('/test-idp/')) await signIn('the same step, answers filled in');
        assert.equal(path(j), step);
        assert.ok(await j.page.getByText(t('forms.ended.restored'), { exact: true }).isVisible(), 'says the answers were restored');
        assert.equal(await j.page.locator('#f-preschools option:checked').innerText(), 'Förskolan Lingonet (Norrskogen)', 'what was typed is there');
        await click(j, t('forms.continue'), 'step start');
        assert.match(path(j), /\/start$/);
        // Back: the step again, not "signing in took too long".
        await j.page.goBack({ waitUntil: 'load' });
        await j.afterNavigation('back to the step');
        assert.equal(path(j), step);
        // The e-ID's callback, opened again from the history: where it went, not an expired sign-in.
        assert.ok(callbacks.length > 0, 'the sign-in came back through the callback');
        await j.visit(callbacks.at(-1)!, { label: 'the callback again' });
        assert.equal(path(j), step);
        assert.notEqual(await h1(j), t('eid.expired.title'));
      });
    });
  }

  test('sv: save and continue later, then continue at the first unanswered step (keyboard only)', async () => {
    await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale: 'sv', name: 'save and resume' }, async (j) => {
      await signedIn(j, ANNA);
      await j.visit('/services/forskola/apply', { label: 'step child' });
      await j.tabTo(exact('Elsa Andersson'));
      await j.page.keyboard.press('Space');
      await j.tabTo(exact(t('forms.continue')));
      await j.pressEnter({ label: 'step preschools' });
      await j.tabTo(exact(t('forms.saveAndExit')));
      await j.pressEnter({ label: 'saved' });
      assert.match(path(j), /\/saved$/);
      assert.equal(await h1(j), t('forms.saved.title', { matter: 'ansökan', TheMatter: 'Ansökan' }));
      assert.ok(await j.page.getByText(/tas den bort \d+ \w+ \d{4}/).isVisible(), 'the deletion date');
      await shots(j, 'saved');
      await j.tabTo(exact(t('forms.saved.myCases')));
      await j.pressEnter({ label: 'my cases' });
      await j.tabTo(exact(t('my.continue', { service: 'Ansök om förskola' })));
      await j.pressEnter({ label: 'resumed at the first unanswered step' });
      assert.match(path(j), /\/preschools$/);
      assert.equal(await h1(j), 'Vilka förskolor vill du ha?');
      assert.ok(await j.page.getByText(t('forms.moved.resumed'), { exact: true }).isVisible());
      await shots(j, 'resumed');
    });
  });
});
