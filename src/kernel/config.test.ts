import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from './config.ts';

test('defaults to the embedded database and development', () => {
  const c = loadConfig({}, '/srv/medborg');
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.dataDir, '/srv/medborg/.medborg');
  assert.equal(c.env, 'development');
  assert.equal(c.oidc.pinClaim, 'https://id.oidc.se/claim/personalIdentityNumber');
});

test('a bad value names the variable', () => {
  const cases: [Record<string, string>, string][] = [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ BASE_URL: 'not a url' }, 'BASE_URL'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{ MEDBORG_ENV: 'staging' }, 'MEDBORG_ENV'],
    [{ MEDBORG_ENV: 'production' }, 'SESSION_SECRET'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET'],
    [{ SMTP_PORT: '-1' }, 'SMTP_PORT'],
    [{ TRUST_PROXY: 'yes please' }, 'TRUST_PROXY'],
  ];
  for (const [env, variable] of cases) {
    assert.throws(() => loadConfig(env), (e: unknown) => e instanceof ConfigError && e.variable === variable && e.message.includes(variable));
  }
});

test('reads OIDC claim mapping and assurance level', () => {
  const c = loadConfig({ OIDC_PIN_CLAIM: 'ssn', OIDC_ACR: 'http://id.elegnamnden.se/loa/1.0/loa3', BASE_URL: 'https://e.example.se/' });
  assert.equal(c.oidc.pinClaim, 'ssn');
  assert.equal(c.oidc.acr, 'http://id.elegnamnden.se/loa/1.0/loa3');
  assert.equal(c.baseUrl, 'https://e.example.se');
});

test('X-Forwarded-For is believed only from the proxies TRUST_PROXY names', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
  assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
  assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8,::1' }).trustProxy, '10.0.0.0/8,::1');
});
