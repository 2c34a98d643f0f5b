/**
 * A representative's service where the municipality has no business register (ADR 0015): caught
 * by `catalogue check` when the tenants file says so, and a translated page (503), not a crash,
 * when no register answers at run time.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createTestApp, NORRBY, repoRoot } from '../../test/helpers/app.ts';
import { signInResident } from '../../test/helpers/sign-in.ts';
import { tenantsFileWithCatalogue } from '../../test/helpers/test-catalogue.ts';
import { loadTenants } from '../kernel/tenants.ts';
import { formatProblem, readCatalogue } from '../catalogue/index.ts';

const FIXTURES = path.join(repoRoot, 'test/fixtures/catalogue-audiences');
const SARA = { personalNumber: '197911309842', givenName: 'Sara', familyName: 'Lind' };

test('catalogue check: audience representative in a municipality whose tenants file has no business register', () => {
  const tenants = loadTenants(tenantsFileWithCatalogue(FIXTURES, { norrby: { registers: { business: 'none' } } }));
  const messages = readCatalogue(tenants).problems.map(formatProblem);
  assert.ok(
    messages.some((m) => m.includes('licence.yaml') && m.includes('/audience') && m.includes('needs the business register')),
    messages.join('\n'),
  );
  assert.ok(!messages.some((m) => m.includes('tip.yaml')), 'a service for anyone needs no business register');
});

test('no business register at run time: the organisation page says so, in both languages, with status 503', async () => {
  const t = await createTestApp({ env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(FIXTURES), BUSINESS_REGISTER: 'none' } });
  after(() => t.close());
  for (const locale of ['sv', 'en'] as const) {
    const sara = await signInResident(t, NORRBY, SARA, locale);
    const r = await t.app.inject({ url: '/services/licence/organisation', headers: { host: NORRBY, cookie: sara.jar.header() } });
    assert.equal(r.statusCode, 503);
    assert.match(r.body, locale === 'sv' ? /Kommunen kan inte hämta uppgifter om företag och föreningar/ : /The municipality cannot fetch details of companies and associations/);
    assert.doesNotMatch(r.body, /<form method="post" action="\/services\/licence\/organisation"/);
  }
});
