import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, ConfigError } from './config.ts';
import { loadTenants } from './tenants.ts';

const PRODUCTION = { MEDBORG_ENV: 'production', SESSION_SECRET: 'a-production-secret-of-at-least-32-chars' };

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
    [{ BASE_URL: 'postgres://db/medborg' }, 'BASE_URL'],
    [{ DATABASE_URL: 'https://db.example/medborg' }, 'DATABASE_URL'],
    [{ OIDC_ISSUER: 'https://idp.example' }, 'OIDC_CLIENT_ID'],
    [{ OIDC_CLIENT_ID: 'medborg' }, 'OIDC_ISSUER'],
    [{ OIDC_CLIENT_SECRET: 'secret' }, 'OIDC_ISSUER'],
    [{ OIDC_ISSUER: 'idp.example', OIDC_CLIENT_ID: 'medborg' }, 'OIDC_ISSUER'],
    [{ SMTP_SECURE: 'ture' }, 'SMTP_SECURE'],
    [{ SMTP_SECURE: 'on' }, 'SMTP_SECURE'],
    [PRODUCTION, 'BASE_URL'],
    [{ ...PRODUCTION, BASE_URL: 'http://e.norrby.se' }, 'BASE_URL'],
    [{ DATABASE_POOL_SIZE: '4' }, 'DATABASE_POOL_SIZE'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL'],
    [{ SMTP_USER: 'medborg' }, 'SMTP_PASSWORD'],
    [{ SMTP_PASSWORD: 'secret' }, 'SMTP_USER'],
    [{ SMTP_FROM: 'Medborg' }, 'SMTP_FROM'],
    [{ OIDC_ACR: 'loa3' }, 'OIDC_ACR'],
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

test('OIDC issuer and client id are accepted together', () => {
  const c = loadConfig({ OIDC_ISSUER: 'https://idp.example/', OIDC_CLIENT_ID: 'medborg', OIDC_CLIENT_SECRET: 's' });
  assert.equal(c.oidc.issuer, 'https://idp.example');
  assert.equal(c.oidc.clientId, 'medborg');
  assert.equal(loadConfig({}).oidc.issuer, undefined);
});

test('the installation-wide STAFF_OIDC_* variables are refused, pointing to the tenants file', () => {
  assert.equal('staffOidc' in loadConfig({}), false);
  const named = (variable: string) => (e: unknown) => e instanceof ConfigError && e.variable === variable && /tenants file.*staffOidc/.test(e.message);
  assert.throws(() => loadConfig({ STAFF_OIDC_ISSUER: 'https://login.norrby.example', STAFF_OIDC_CLIENT_ID: 'medborg-staff' }), named('STAFF_OIDC_CLIENT_ID'));
  assert.throws(() => loadConfig({ STAFF_OIDC_REQUIRE_MFA: 'false' }), named('STAFF_OIDC_REQUIRE_MFA'));
  assert.throws(() => loadConfig({ STAFF_OIDC_USERNAME_CLAIM: 'upn' }), /STAFF_OIDC_USERNAME_CLAIM/);
  // Set but empty counts as unset, as for every other variable.
  assert.doesNotThrow(() => loadConfig({ STAFF_OIDC_ISSUER: '' }));
});

test('SMTP_SECURE reads true/false, 1/0 and yes/no; unset follows the port', () => {
  for (const v of ['true', 'TRUE', '1', 'yes']) assert.equal(loadConfig({ SMTP_SECURE: v }).smtp.secure, true, v);
  for (const v of ['false', 'False', '0', 'no']) assert.equal(loadConfig({ SMTP_SECURE: v, SMTP_PORT: '465' }).smtp.secure, false, v);
  assert.equal(loadConfig({ SMTP_PORT: '465' }).smtp.secure, true);
  assert.equal(loadConfig({}).smtp.secure, false);
  assert.throws(() => loadConfig({ SMTP_SECURE: 'ture' }), /SMTP_SECURE: expected true or false.*"ture"/);
});

test('production needs an https BASE_URL, also behind a proxy that terminates TLS', () => {
  assert.throws(() => loadConfig(PRODUCTION), /BASE_URL: must be set to the public https:\/\/ URL in production/);
  assert.throws(() => loadConfig({ ...PRODUCTION, BASE_URL: 'http://e.norrby.se' }), /BASE_URL: must be an https:\/\/ URL in production/);
  const c = loadConfig({ ...PRODUCTION, BASE_URL: 'https://e.norrby.se/', TRUST_PROXY: '1' });
  assert.equal(c.env, 'production');
  assert.equal(c.baseUrl, 'https://e.norrby.se');
  // Development and test may use plain http (localhost).
  assert.equal(loadConfig({ MEDBORG_ENV: 'test' }).baseUrl, 'http://localhost:3000');
});

test('DATABASE_POOL_SIZE leaves the job scheduler a connection beside each lock it holds', () => {
  assert.equal(loadConfig({}).databasePoolSize, 16);
  assert.equal(loadConfig({ DATABASE_POOL_SIZE: '8' }).databasePoolSize, 8);
  for (const size of ['1', '2', '3', '4', '5', '6', '7']) {
    assert.throws(
      () => loadConfig({ DATABASE_POOL_SIZE: size }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'DATABASE_POOL_SIZE' && e.message.includes(`DATABASE_POOL_SIZE: must be at least 8, got ${size}`),
      size,
    );
  }
});

test("LOG_LEVEL is one of pino's levels or silent", () => {
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']) assert.equal(loadConfig({ LOG_LEVEL: level }).logLevel, level);
  assert.equal(loadConfig({}).logLevel, 'info');
  assert.equal(loadConfig({ MEDBORG_ENV: 'test' }).logLevel, 'silent');
  assert.throws(() => loadConfig({ LOG_LEVEL: 'INFO' }), /LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent, got "INFO"/);
});

test('SMTP: user and password together, SMTP_FROM one valid address', () => {
  const c = loadConfig({ SMTP_HOST: 'smtp.example', SMTP_USER: 'medborg', SMTP_PASSWORD: 'secret', SMTP_FROM: 'Norrby kommun <no-reply@e.norrby.se>' });
  assert.deepEqual([c.smtp.user, c.smtp.password, c.smtp.from], ['medborg', 'secret', 'Norrby kommun <no-reply@e.norrby.se>']);
  assert.equal(loadConfig({ SMTP_FROM: 'no-reply@e.norrby.se' }).smtp.from, 'no-reply@e.norrby.se');
  assert.equal(loadConfig({}).smtp.from, 'Medborg <no-reply@medborg.localhost>');
  assert.throws(() => loadConfig({ SMTP_USER: 'medborg' }), /SMTP_PASSWORD: must be set when SMTP_USER is set/);
  assert.throws(() => loadConfig({ SMTP_PASSWORD: 'secret' }), /SMTP_USER: must be set when SMTP_PASSWORD is set/);
  for (const from of ['Medborg', 'no-reply@', 'a@b', 'Norrby <no-reply@e.norrby.se', 'a@e.norrby.se, b@e.norrby.se', 'no reply@e.norrby.se']) {
    assert.throws(() => loadConfig({ SMTP_FROM: from }), (e: unknown) => e instanceof ConfigError && e.variable === 'SMTP_FROM' && e.message.includes(`got "${from}"`), from);
  }
});

test('production: an https e-ID issuer and a real sender address', () => {
  const prod = { ...PRODUCTION, BASE_URL: 'https://e.norrby.se' };
  assert.throws(
    () => loadConfig({ ...prod, OIDC_ISSUER: 'http://idp.example', OIDC_CLIENT_ID: 'medborg' }),
    /Configuration error in OIDC_ISSUER: must be an https:\/\/ URL in production, got "http:\/\/idp\.example"/,
  );
  assert.equal(loadConfig({ ...prod, OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'medborg' }).oidc.issuer, 'https://idp.example');
  // Development may use the demo's or a local provider over plain HTTP.
  assert.equal(loadConfig({ OIDC_ISSUER: 'http://localhost:4000', OIDC_CLIENT_ID: 'medborg' }).oidc.issuer, 'http://localhost:4000');

  // The development sender (.localhost) is never used in production: unset, it is no-reply at BASE_URL's host.
  assert.equal(loadConfig(prod).smtp.from, 'Medborg <no-reply@e.norrby.se>');
  assert.equal(loadConfig({ ...prod, SMTP_FROM: 'Norrby kommun <e-tjanster@norrby.se>' }).smtp.from, 'Norrby kommun <e-tjanster@norrby.se>');
  for (const from of ['Medborg <no-reply@medborg.localhost>', 'no-reply@norrby.localhost']) {
    assert.throws(() => loadConfig({ ...prod, SMTP_FROM: from }), (e: unknown) => e instanceof ConfigError && e.variable === 'SMTP_FROM' && /real mail domain in production/.test(e.message), from);
  }
  assert.throws(() => loadConfig({ ...prod, SMTP_FROM: 'not an address' }), (e: unknown) => e instanceof ConfigError && e.variable === 'SMTP_FROM');
});

/** Writes a tenants file into a fresh folder and loads it; returns the error it throws. */
function tenantsError(yaml: string | undefined): { error: unknown; file: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-tenants-'));
  const file = path.join(dir, 'tenants.yaml');
  try {
    if (yaml !== undefined) writeFileSync(file, yaml);
    loadTenants(file);
    return { error: undefined, file };
  } catch (error) {
    return { error, file };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tenant(extra = ''): string {
  return `tenants:
  - id: testby
    code: TST
    name: { sv: Testby kommun, en: Testby Municipality }
    hosts: [testby.localhost]
    catalogue: catalogue/testby
    departments: [{ id: education, name: { sv: Utbildning, en: Education } }]
    contact: { email: a@testby.example, phone: '1', address: Gatan 1 }
${extra}`;
}

test('a missing or bad tenants file names MEDBORG_TENANTS and the file', () => {
  const cases: [string | undefined, RegExp][] = [
    [undefined, /no such tenants file/],
    ['tenants: [unclosed', /not valid YAML/],
    ['tenants: []', /\/tenants must NOT have fewer than 1 items/],
    [tenant('    colour: red'), /\/tenants\/0 must NOT have additional properties/],
  ];
  for (const [yaml, reason] of cases) {
    const { error, file } = tenantsError(yaml);
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.variable, 'MEDBORG_TENANTS');
    assert.ok(error.message.startsWith(`Configuration error in MEDBORG_TENANTS: ${file}: `), error.message);
    assert.match(error.message, reason);
  }
});

test("a tenant's eid.issuer must be an absolute http(s) URL", () => {
  for (const issuer of ['idp.example', 'urn:idp:example', 'ftp://idp.example', '/oidc']) {
    const { error, file } = tenantsError(tenant(`    eid: { issuer: '${issuer}', clientId: medborg }`));
    assert.ok(error instanceof ConfigError, `${issuer}: ${String(error)}`);
    assert.equal(error.variable, 'MEDBORG_TENANTS');
    assert.ok(error.message.includes(file), error.message);
    assert.ok(error.message.includes(`/tenants/0/eid/issuer must be an absolute http(s) URL, got "${issuer}"`), error.message);
  }
  for (const issuer of ['https://idp.example/oidc', 'http://localhost:4000']) {
    assert.equal(tenantsError(tenant(`    eid: { issuer: '${issuer}', clientId: medborg }`)).error, undefined, issuer);
  }
});

test('database timeouts: short for requests, long for migrations and archive verify, each variable checked', () => {
  const c = loadConfig({});
  assert.deepEqual(c.databaseTimeouts, { connectMs: 2_000, statementMs: 5_000, idleInTransactionMs: 5_000, healthMs: 1_000 });
  assert.deepEqual(c.databaseLongTimeouts, { connectMs: 10_000, statementMs: 1_800_000, idleInTransactionMs: 60_000, healthMs: 1_000 });
  const set = loadConfig({
    DATABASE_CONNECT_TIMEOUT_MS: '1500',
    DATABASE_STATEMENT_TIMEOUT_MS: '3000',
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '4000',
    DATABASE_HEALTH_TIMEOUT_MS: '800',
    DATABASE_LONG_STATEMENT_TIMEOUT_MS: '7200000',
  });
  assert.deepEqual(set.databaseTimeouts, { connectMs: 1_500, statementMs: 3_000, idleInTransactionMs: 4_000, healthMs: 800 });
  assert.equal(set.databaseLongTimeouts.statementMs, 7_200_000);
  for (const [variable, value] of [
    ['DATABASE_STATEMENT_TIMEOUT_MS', '0'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '2s'],
    ['DATABASE_HEALTH_TIMEOUT_MS', '999999'],
  ] as const) {
    assert.throws(() => loadConfig({ [variable]: value }), (e: unknown) => e instanceof ConfigError && e.variable === variable, `${variable}=${value}`);
  }
});

test('the map tiles (ADR 0020): none by default; a template with {z}/{x}/{y} and its attribution together; https in production', () => {
  assert.equal(loadConfig({}, '/srv').map, undefined);
  const c = loadConfig({ MAP_TILE_URL: 'https://{s}.tile.example.org/{z}/{x}/{y}.png', MAP_ATTRIBUTION: '© Example' }, '/srv');
  assert.deepEqual(c.map, { tileUrl: 'https://{s}.tile.example.org/{z}/{x}/{y}.png', attribution: '© Example', imgOrigin: 'https://*.tile.example.org' });
  const bad: [Record<string, string>, string][] = [
    [{ MAP_TILE_URL: 'https://tiles.example/{z}/{x}.png', MAP_ATTRIBUTION: 'x' }, 'MAP_TILE_URL'],
    [{ MAP_TILE_URL: 'ftp://tiles.example/{z}/{x}/{y}.png', MAP_ATTRIBUTION: 'x' }, 'MAP_TILE_URL'],
    [{ MAP_TILE_URL: 'https://tiles.example/{z}/{x}/{y}.png' }, 'MAP_ATTRIBUTION'],
    [{ MAP_ATTRIBUTION: '© Example' }, 'MAP_ATTRIBUTION'],
    [{ ...PRODUCTION, BASE_URL: 'https://e.norrby.se', MAP_TILE_URL: 'http://tiles.example/{z}/{x}/{y}.png', MAP_ATTRIBUTION: 'x' }, 'MAP_TILE_URL'],
  ];
  for (const [env, name] of bad) assert.throws(() => loadConfig(env, '/srv'), (e: unknown) => e instanceof ConfigError && e.message.includes(name), JSON.stringify(env));
});
