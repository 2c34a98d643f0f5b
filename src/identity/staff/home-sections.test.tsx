import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { repoRoot, NORRBY } from '../../../test/helpers/app.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { fixedClock } from '../../kernel/clock.ts';
import { loadConfig } from '../../kernel/config.ts';
import { buildAssets } from '../../kernel/html/assets.ts';
import { httpKernelPlugin } from '../../kernel/http/index.ts';
import { loadTenants } from '../../kernel/tenants.ts';
import { requireStaff, staffPlugin, type StaffHomeSection } from './index.ts';
import { Browser, makeStaff } from './test-support.ts';

// The staff home page is where other modules (the case inbox) show their part: they hand the
// plugin a section; the page renders it for the signed-in member. And their own routes use
// requireStaff with a role and a department.
const tdb = await createTestDatabase();
const config = loadConfig({ MEDBORG_ENV: 'test', LOG_LEVEL: 'silent' }, repoRoot);
const tenants = loadTenants(config.tenantsFile);
const clock = fixedClock('2026-11-23T10:00:00Z');
const app = Fastify();
await app.register(httpKernelPlugin, { config, db: tdb.db, tenants, assets: buildAssets(tenants.all), clock, demo: false });
const inbox: StaffHomeSection = (_req, staff) =>
  staff.roles.includes('handler') ? (
    <section aria-labelledby="inbox">
      <h2 id="inbox">Inbox of {staff.departments.join(', ')}</h2>
    </section>
  ) : null;
await app.register(staffPlugin, { homeSections: [inbox] });
app.get('/city-services-only', async (req, reply) => {
  const staff = await requireStaff(req, reply, { role: 'handler', department: 'city-services' });
  if (!staff) return reply;
  return reply.send({ ok: staff.username });
});
await app.ready();
after(async () => {
  await app.close();
  await tdb.drop();
});
const t = { app, tdb, config, tenants, clock, close: async () => undefined };

test(`other modules' sections appear on the staff home page (${tdb.dialect})`, async () => {
  await makeStaff(t, 'handler', { roles: ['handler'], departments: ['education'] });
  await makeStaff(t, 'officer', { roles: ['security_officer'], departments: [] });
  const h = new Browser(t, NORRBY);
  await h.signIn('handler');
  assert.match((await h.get('/staff')).body, /<h2 id="inbox">Inbox of education<\/h2>/);
  const forbidden = await h.get('/city-services-only');
  assert.equal(forbidden.statusCode, 403, 'a handler of another department');

  clock.set('2026-11-23T10:00:30Z');
  const o = new Browser(t, NORRBY);
  await o.signIn('officer');
  const page = await o.get('/staff');
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /Inbox/);
  assert.match(page.body, /Säkerhetsansvarig/);
  assert.equal((await o.get('/city-services-only')).statusCode, 403);
  assert.equal((await new Browser(t, NORRBY).get('/city-services-only')).statusCode, 303);

  clock.set('2026-11-23T10:01:00Z');
  await makeStaff(t, 'street', { roles: ['handler'], departments: ['city-services'] });
  const s = new Browser(t, NORRBY);
  await s.signIn('street');
  const ok = await s.get('/city-services-only');
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(ok.json(), { ok: 'street' });
});
