/** Error pages say what went wrong in the visitor's language: the generic text, or the specific error's own. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { repoRoot, NORRBY } from '../../../test/helpers/app.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { fixedClock } from '../clock.ts';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { buildAssets } from '../html/assets.ts';
import { loadTenants } from '../tenants.ts';
import { httpKernelPlugin } from './index.ts';

const tdb = await createTestDatabase();
const config = loadConfig({ MEDBORG_ENV: 'test', LOG_LEVEL: 'silent' }, repoRoot);
const tenants = loadTenants(config.tenantsFile);
const app = Fastify();
await app.register(httpKernelPlugin, { config, db: tdb.db, tenants, assets: buildAssets(tenants.all), clock: fixedClock('2026-11-23T10:00:00Z'), demo: false });
app.get('/register-down', async () => {
  throw new AppError('POPULATION_REGISTER_UNAVAILABLE');
});
app.get('/conflict', async () => {
  throw new AppError('CASE_ACTION_NOT_ALLOWED');
});
app.get('/crash', async () => {
  throw new Error('secret internals at /srv/medborg/x.ts:12');
});
await app.ready();
after(async () => {
  await app.close();
  await tdb.drop();
});

const get = (url: string, lang = 'sv') => app.inject({ url, headers: { host: NORRBY, 'accept-language': lang } });

test('an unavailable register gives a translated 503 page that names the register', async () => {
  const sv = await get('/register-down');
  assert.equal(sv.statusCode, 503);
  assert.match(sv.body, /<h1[^>]*>Tjänsten är inte tillgänglig just nu<\/h1>/);
  assert.match(sv.body, /Uppgifter från folkbokföringen går inte att hämta just nu/);
  const en = await get('/register-down', 'en');
  assert.match(en.body, /<h1[^>]*>The service is not available right now<\/h1>/);
  assert.match(en.body, /Details from the population register cannot be fetched right now/);
});

test('a specific conflict explains itself; an unexpected error shows a reference and no internals', async () => {
  const conflict = await get('/conflict', 'en');
  assert.equal(conflict.statusCode, 409);
  assert.match(conflict.body, /That cannot be done with the case in its current state/);
  const crash = await get('/crash');
  assert.equal(crash.statusCode, 500);
  assert.match(crash.body, /Något gick fel hos oss/);
  assert.doesNotMatch(crash.body, /secret internals|x\.ts/);
  assert.match(crash.body, /Felreferens: \S+<\/p>/, 'a reference to quote to support');
});
