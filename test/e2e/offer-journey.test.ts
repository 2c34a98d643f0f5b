/**
 * An offered place in real Chromium (ADR 0046): the placement unit opens a free place on a
 * pre-school's queue page — a date that is not one answered with the reason and the typed values
 * kept, then the place offered, announced —, and the custodian first in line sees the offer on the
 * case page and accepts it by keyboard alone: no answer chosen is answered with the reason, then the
 * answer sent with e-ID, the acceptance announced and the case placed. Swedish with JavaScript off,
 * English with it on; axe (WCAG 2.1 A/AA and best practice) on every page state; screenshots at 1280
 * and 375 px.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/forms/messages.ts';
import '../../src/queues/offer-messages.ts';
import { signInResident, ANNA, ELSA, INES, JONAS } from '../helpers/sign-in.ts';
import { journey } from '../helpers/journey.ts';
import type { TestApp } from '../helpers/app.ts';
import { browserAndServer, tr, runJourney, NORRBY, type Journey } from './harness.ts';
import { bothWidths, chooseByLabel, press, select, type } from './keyboard.ts';
import { asStaff } from './staff-cookie.ts';

const live = browserAndServer({ demo: true, now: '2026-12-06T10:00:00Z' });
const h1 = (j: Journey) => j.page.locator('main h1').innerText();
/** A pre-school no demo application chose: the journey's child is first in its queue. */
const UNIT = 'nby-ugglan';

describe('forskola: a free place offered, and accepted with e-ID by keyboard', () => {
  for (const [locale, parent, child, who] of [
    ['sv', ANNA, ELSA, 'Anna Andersson'],
    ['en', JONAS, INES, 'Jonas Lund'],
  ] as const) {
    test(locale === 'sv' ? 'in Swedish, without JavaScript' : 'in English, with JavaScript', async () => {
      const t = tr(locale);
      const js = locale === 'en';
      const server = live.server as unknown as TestApp;
      // Applied a fortnight ago (a start date more than four months ahead asks for no reason).
      live.server.clock.set('2026-11-20T10:00:00Z');
      const { caseId } = await journey(server).applyForPreschool(await signInResident(server, NORRBY, parent), child, `offer-${locale}@example.se`, [UNIT]);
      live.server.clock.set('2026-12-06T10:00:00Z');

      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `offer-staff-${locale}` }, async (j) => {
        await asStaff(live.server, j, { username: 'placering', displayName: 'Pia Placering' }, locale);
        await j.visit(`/staff/queues/forskola/${UNIT}`, { label: 'the queue with its places' });
        assert.ok((await j.page.locator('#places').innerText()).includes(t('queue.places.caption')));
        await select(j, 'forGroup', 'older');
        await type(j, 'freeFrom', '15/1 2027');
        await press(j, t('queue.vacancy.submit'), 'error: not a date');
        assert.ok((await j.page.locator('.ds-error-summary').innerText()).includes(t('queue.vacancy.badDate')));
        assert.equal(await j.page.locator('input[name="freeFrom"]').inputValue(), '15/1 2027', 'what was typed is kept');
        await bothWidths(j, `offer-staff-error-${locale}`);
        await type(j, 'freeFrom', '2027-01-15');
        await press(j, t('queue.vacancy.submit'), 'the place offered');
        assert.ok((await j.page.locator('main [role="status"]').innerText()).includes(t('queue.vacancy.opened')), 'the offer is announced');
        assert.ok((await j.page.locator('#places').innerText()).includes(t('queue.vacancy.offered', { reference: '', date: '' }).split(' ')[0]!));
        await bothWidths(j, `offer-staff-offered-${locale}`);
      });

      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `offer-answer-${locale}` }, async (j) => {
        await j.visit(`/sign-in?back=${encodeURIComponent(`/my/cases/${caseId}`)}`, { label: 'test e-ID: choose a person' });
        await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, who);
        await press(j, t('eid.testIdp.signIn'), 'the case with its offer');
        const offer = await j.page.locator('#queue-offer').innerText();
        assert.ok(offer.includes(t('queue.offer.title')), offer);
        assert.ok(offer.includes('Förskolan Ugglan'), offer);
        await bothWidths(j, `offer-case-${locale}`);
        await press(j, t('queue.offer.question'), 'the question');
        assert.equal((await h1(j)).trim(), t('queue.offer.question'));
        await press(j, t('queue.offer.submit'), 'error: no answer');
        assert.ok((await j.page.locator('.ds-error-summary').innerText()).includes(t('queue.offer.choose')), 'the problem is summarised');
        await bothWidths(j, `offer-answer-error-${locale}`);
        await chooseByLabel(j, 'answer', t('queue.offer.accept'));
        await press(j, t('queue.offer.submit'), 'accepted');
        assert.equal(new URL(j.page.url()).pathname, `/my/cases/${caseId}`);
        assert.ok((await j.page.locator('main [role="status"]').innerText()).includes(t('queue.offer.acceptedNotice')), 'the acceptance is announced');
        assert.ok((await j.page.locator('#queue-offer').innerText()).includes(t('queue.offer.acceptedText', { unit: 'Förskolan Ugglan', start: '' }).split(' ')[0]!));
        await bothWidths(j, `offer-accepted-${locale}`);
      });
      const { rows } = await live.server.tdb.db.query<{ status: string }>("SELECT status FROM cases WHERE tenant_id = 'norrby' AND id = $1", [caseId]);
      assert.equal(rows[0]!.status, 'placed');
    });
  }
});
