/**
 * A register is asked only by services that use it: a service without a child field works with no
 * population register configured, and a configured one is not called while its form is filled in.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, NORRBY, type TestApp } from '../../test/helpers/app.ts';
import { signInResident, ANNA, type SignedIn } from '../../test/helpers/sign-in.ts';
import { ENGINE_CATALOGUE, tenantsFileWithCatalogue } from '../../test/helpers/test-catalogue.ts';
import { DemoPopulationRegister, type RegisteredPerson } from '../integrations/population-register/index.ts';

/** The real demo register, counting the questions it is asked. */
class CountingRegister extends DemoPopulationRegister {
  calls = 0;
  override async lookup(tenantId: string, personalNumber: string): Promise<RegisteredPerson | undefined> {
    this.calls++;
    return super.lookup(tenantId, personalNumber);
  }
}

async function apply(t: TestApp, who: SignedIn): Promise<{ status: number; location: string; body: string }> {
  const get = async (url: string) => {
    const r = await t.app.inject({ url, headers: { host: who.host, cookie: who.jar.header() } });
    who.jar.store(r.headers['set-cookie']);
    return r;
  };
  const post = async (url: string, form: Record<string, string>, page: string) => {
    const r = await t.app.inject({
      method: 'POST',
      url,
      headers: { host: who.host, cookie: who.jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...form, _csrf: csrfFrom(page) }).toString(),
    });
    who.jar.store(r.headers['set-cookie']);
    return r;
  };
  const start = await get('/services/plain/apply');
  assert.equal(start.statusCode, 303, start.body.slice(0, 300));
  const step = String(start.headers.location);
  const page = await get(step);
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  const saved = await post(step, { comment: 'Bra park.', email: 'anna@example.se' }, page.body);
  assert.equal(saved.statusCode, 303);
  const check = await get(String(saved.headers.location));
  assert.equal(check.statusCode, 200);
  const draftId = step.split('/')[2]!;
  const sent = await post(`/apply/${draftId}/submit`, {}, check.body);
  return { status: sent.statusCode, location: String(sent.headers.location), body: sent.body };
}

test('with no population register configured, a service without a child field is filled in and submitted', async () => {
  const t = await createTestApp({ demo: false, env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(ENGINE_CATALOGUE) } });
  after(() => t.close());
  const anna = await signInResident(t, NORRBY, ANNA);
  const sent = await apply(t, anna);
  assert.equal(sent.status, 303, sent.body.slice(0, 300));
  assert.match(sent.location, /\/confirmation$/);
  const { rows } = await t.tdb.db.query<{ service_id: string; answers: { comment: string }; subjects: number }>(
    `SELECT service_id, answers, (SELECT count(*)::int FROM case_parties p WHERE p.tenant_id = c.tenant_id AND p.case_id = c.id AND p.role = 'subject') AS subjects
       FROM cases c WHERE tenant_id = 'norrby'`,
  );
  // No subject party: the service names none, and no register was asked for one.
  assert.deepEqual(rows.map((r) => [r.service_id, r.answers.comment, r.subjects]), [['plain', 'Bra park.', 0]]);
  // The register really is missing: a page that needs it says so.
  await assert.rejects(t.app.populationRegister.lookup('norrby', ANNA.personalNumber), /POPULATION_REGISTER|population register/);
});

test('a population register that does not answer in time gives the translated 503 page, and the process goes on', async () => {
  class Hanging extends DemoPopulationRegister {
    override lookup(): Promise<RegisteredPerson | undefined> {
      return new Promise(() => undefined);
    }
  }
  const t = await createTestApp({ env: { REGISTER_TIMEOUT_MS: '200' }, registers: { population: new Hanging() } });
  after(() => t.close());
  const anna = await signInResident(t, NORRBY, ANNA);
  // The start asks the register whether Anna has a child the service is for (eligibility, before any draft).
  const started = Date.now();
  const child = await t.app.inject({ url: '/services/forskola/apply', headers: { host: NORRBY, cookie: anna.jar.header() } });
  assert.ok(Date.now() - started < 2000);
  assert.equal(child.statusCode, 503);
  assert.match(child.body, /Uppgifter från folkbokföringen går inte att hämta just nu/);
  assert.equal((await t.app.inject({ url: '/', headers: { host: NORRBY } })).statusCode, 200, 'the next request is served');
});

test('a configured population register is not called by a service that does not need it, and is by one that does', async () => {
  const register = new CountingRegister();
  const t = await createTestApp({ env: { MEDBORG_TENANTS: tenantsFileWithCatalogue(ENGINE_CATALOGUE) }, registers: { population: register } });
  after(() => t.close());
  const anna = await signInResident(t, NORRBY, ANNA);
  const sent = await apply(t, anna);
  assert.equal(sent.status, 303);
  assert.equal(register.calls, 0, 'no step, check or submit of a service without a child field asks the register');
  // The same instance answers where a register is needed (the case page's address, the pre-school form).
  const forskola = await createTestApp({ registers: { population: register } });
  after(() => forskola.close());
  const anna2 = await signInResident(forskola, NORRBY, ANNA);
  const start = await forskola.app.inject({ url: '/services/forskola/apply', headers: { host: NORRBY, cookie: anna2.jar.header() } });
  const child = await forskola.app.inject({ url: String(start.headers.location), headers: { host: NORRBY, cookie: anna2.jar.header() } });
  assert.equal(child.statusCode, 200);
  assert.match(child.body, /Elsa Andersson/);
  assert.ok(register.calls >= 1, 'the child step asks the register');
});
