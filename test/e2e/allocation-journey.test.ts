/**
 * An allocation round in real Chromium (ADR 0044), on the school choice: Hanna at the admissions unit
 * opens a round for it (her list offers one per service she handles, each button naming its service),
 * freezes it — by keyboard, the confirmation asked for first — previews and publishes it, and reads
 * the round's public page; Anna then reads on her case pages the result and why (Fjällskolan's last
 * admitted child's priority group and lottery number beside her own) and, for the child placed
 * nowhere, what happens now. Swedish with JavaScript off, English with it on: each language's run
 * brings its own applications and round (the service has one unpublished round at a time, so the
 * second opens after the first is published). Four children with a sibling at Fjällskolan fill its
 * four places, so who is placed where does not hang on the lottery. axe (WCAG 2.1 A/AA and best
 * practice) on every page state; screenshots at 1280 and 375 px.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import '../../src/allocation/round-messages.ts';
import { LANG_COOKIE, SESSION_COOKIE } from '../../src/kernel/http/index.ts';
import { staffSession } from '../helpers/sign-in.ts';
import { browserAndServer, escapeRe, tr, runJourney, NORRBY } from './harness.ts';
import { bothWidths, chooseByLabel, press, tick } from './keyboard.ts';

const live = browserAndServer({ demo: true, now: '2027-03-01T09:00:00Z' });

const FJALL = 'nby-fjallskolan';
const CENTRUM = 'nby-centrumskolan';

describe('skolval: staff freeze, preview and publish a round; a family reads the result and why', () => {
  for (const locale of ['sv', 'en'] as const) {
    test(locale === 'sv' ? 'in Swedish, without JavaScript' : 'in English, with JavaScript', async () => {
      const t = tr(locale);
      const js = locale === 'en';
      const { tenantScope } = await import('../../src/kernel/db/index.ts');
      const { createCase, residentApplicant } = await import('../../src/cases/index.ts');
      const { recordSignIn } = await import('../../src/identity/eid/residents-repository.ts');
      const { createStaffAccount } = await import('../../src/identity/staff/index.ts');
      const db = live.server.tdb.db;
      const norrby = tenantScope(db, 'norrby');
      const now = live.server.clock.now();
      const def = live.server.app.catalogue.service('norrby', 'skolval')!;
      const service = def.title[locale];
      const sibling = def.allocation!.priorities![0]!.label[locale];
      const people = {
        anna: { personalNumber: '198803149825', givenName: 'Anna', familyName: 'Andersson' },
        karin: { personalNumber: '198502209862', givenName: 'Karin', familyName: 'Holm' },
      };
      const ids = { anna: await recordSignIn(norrby, { ...people.anna, locale }, now), karin: await recordSignIn(norrby, { ...people.karin, locale }, now) };
      const apply = (who: 'anna' | 'karin', schools: string[], siblingAt?: string) =>
        norrby.transaction((tx) =>
          createCase(tx, {
            definition: def,
            parties: [residentApplicant({ id: ids[who], personalNumber: people[who].personalNumber, name: `${people[who].givenName} ${people[who].familyName}` })],
            answers: { schools, sibling: siblingAt ? 'yes' : 'no', ...(siblingAt ? { siblingSchool: siblingAt } : {}), email: `${who}@example.se` },
            locale,
            draftId: null,
            email: undefined,
            siteUrl: 'http://norrby.localhost',
            now,
            status: def.allocation!.from[0]!,
          }),
        );
      // Four with a sibling at Fjällskolan take its four places; Anna's two children want it without one.
      for (let i = 0; i < 4; i++) await apply('karin', [FJALL], FJALL);
      const second = await apply('anna', [FJALL, CENTRUM]);
      const nowhere = await apply('anna', [FJALL]);

      let roundPath = '';
      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `allocation-staff-${locale}` }, async (j) => {
        const { rows } = await db.query<{ id: string }>("SELECT id FROM staff_accounts WHERE tenant_id = 'norrby' AND username = 'hanna-alloc'");
        let hanna = rows[0]?.id;
        if (!hanna) {
          const created = await createStaffAccount(norrby, {
            tenant: live.server.tenants.forHost(NORRBY)!,
            sessionSecret: live.server.config.sessionSecret,
            username: 'hanna-alloc',
            displayName: 'Hanna Handläggare',
            email: 'hanna-alloc@norrby.example',
            roles: ['handler'],
            departments: ['education'],
            declaredRoles: live.server.app.catalogue.staffRoles('norrby'),
            password: 'correct horse battery staple',
            totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
            now,
          });
          hanna = created.account.id;
        }
        const session = await staffSession(live.server, `${NORRBY}:${live.server.port}`, hanna, 'Hanna Handläggare');
        const url = j.url('/');
        await j.context.addCookies([
          { name: SESSION_COOKIE, value: session.jar.cookies.get(SESSION_COOKIE)!, url },
          { name: LANG_COOKIE, value: locale, url },
        ]);
        await j.visit('/staff/allocation', { label: 'the rounds' });
        // Hanna handles more than one service with rounds: the button she wants names the school choice.
        await press(j, `${t('allocation.staff.open')} ${t('allocation.staff.openFor', { service })}`, 'a round opened');
        roundPath = new URL(j.page.url()).pathname;
        const main = () => j.page.locator('main').innerText();
        assert.ok((await main()).includes(t('allocation.round.opened')));
        assert.ok((await j.page.locator('main h1').innerText()).includes(service), 'the round of the school choice');
        assert.ok((await main()).includes(t('allocation.round.takes', { count: 6 })));
        await bothWidths(j, 'allocation-open');
        // Freezing without the confirmation is answered first.
        await press(j, t('allocation.round.freeze'), 'error: confirm');
        assert.ok((await j.page.locator('.ds-error-summary').innerText()).includes(t('allocation.error.confirmFreeze')));
        await tick(j, '#f-confirm');
        await press(j, t('allocation.round.freeze'), 'frozen, with the preview');
        assert.equal(new URL(j.page.url()).pathname, roundPath, 'back on the round');
        assert.ok((await main()).includes(t('allocation.round.frozen')));
        assert.ok((await main()).includes(t('allocation.round.preview')));
        assert.ok((await main()).includes(t('allocation.round.counts', { applications: 6, placed: 5, none: 1 })));
        await bothWidths(j, 'allocation-preview');
        await tick(j, '#p-confirm');
        await press(j, t('allocation.round.publish'), 'published');
        assert.ok((await j.page.locator('main [role="status"]').innerText()).includes(t('allocation.round.published')));
        assert.ok((await main()).includes(t('allocation.round.result')));
        await bothWidths(j, 'allocation-published');
        await press(j, t('allocation.round.publicPage'), "the round's public page");
        const pub = await main();
        assert.ok(pub.includes(t('allocation.public.title', { service })));
        assert.doesNotMatch(pub, /Anna|Karin|SKV-/, 'no name and no case');
      });

      await runJourney(live.browser, { server: live.server, tenantHost: NORRBY, locale, javaScriptEnabled: js, name: `allocation-case-${locale}` }, async (j) => {
        await j.visit(`/sign-in?back=${encodeURIComponent(`/my/cases/${second.id}`)}`, { label: 'test e-ID: choose a person' });
        await chooseByLabel(j, (await j.page.locator('input[type="radio"]').first().getAttribute('name'))!, 'Anna Andersson');
        await press(j, t('eid.testIdp.signIn'), 'the case placed at its second choice');
        const section = () => j.page.locator('section[aria-labelledby="allocation-h"]').innerText();
        let text = await section();
        assert.ok(text.includes(t('allocation.case.title')), 'the result');
        assert.ok(text.includes(t('allocation.case.placed', { school: 'Centrumskolan' })), text);
        assert.ok(text.includes(t('allocation.case.placedChoice', { rank: 2 })), text);
        assert.ok(text.includes(t('allocation.case.whyTitle')), text);
        // Why not Fjällskolan: its last admitted child's priority group and lottery number beside hers.
        const standing = (group: string) => t('allocation.case.groupLottery', { group, lottery: 'LOTTERY' });
        const why = new RegExp(escapeRe(`Fjällskolan: ${t('allocation.case.whyAt', { cutoff: standing(sibling), own: standing(t('allocation.group.rest')) })}`).replace(/LOTTERY/g, '(\\d+)'));
        assert.match(text, why);
        await bothWidths(j, 'allocation-case-why');
        // Her other child got no place: the section says what happens now.
        await j.visit(`/my/cases/${nowhere.id}`, { label: 'the case placed nowhere' });
        text = await section();
        assert.ok(text.includes(t('allocation.case.notPlaced')), text);
        assert.ok(text.includes(t('allocation.case.whyNoneTitle')), text);
        assert.match(text, why);
        assert.ok(text.includes(t('allocation.case.whatNext')), text);
        assert.ok(text.includes(def.allocation!.whatNext[locale]), text);
        await bothWidths(j, 'allocation-case-nowhere');
      });
    });
  }
});
