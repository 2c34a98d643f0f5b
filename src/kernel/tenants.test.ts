import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, type Config } from './config.ts';
import { loadTenants, TenantsFileError, type TenantsCheckConfig } from './tenants.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>';

function entry(id: string, extra = '', hosts = `[${id}.localhost]`): string {
  return `  - id: ${id}
    code: ${id.slice(0, 3).toUpperCase()}
    name: { sv: ${id} kommun, en: ${id} Municipality }
    hosts: ${hosts}
    catalogue: catalogue/${id}
    departments: [{ id: education, name: { sv: Utbildning, en: Education } }]
    contact: { email: a@${id}.example, phone: '1', address: Gatan 1 }
${extra}`;
}

/** Writes the tenants file (and any other files) into a fresh folder and loads it. */
function load(tenants: string[], files: Record<string, string | Buffer> = {}, config?: TenantsCheckConfig): { error: unknown; file: string; ok: boolean } {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-tenants-'));
  const file = path.join(dir, 'tenants.yaml');
  try {
    writeFileSync(file, `tenants:\n${tenants.join('')}`);
    for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
    loadTenants(file, config);
    return { error: undefined, file, ok: true };
  } catch (error) {
    return { error, file, ok: false };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The error is a TenantsFileError of MEDBORG_TENANTS naming the file, and says `reason`. */
function assertFileError(r: { error: unknown; file: string }, reason: string): void {
  assert.ok(r.error instanceof TenantsFileError, String(r.error));
  assert.ok(r.error instanceof ConfigError);
  assert.equal(r.error.variable, 'MEDBORG_TENANTS');
  assert.ok(r.error.message.startsWith(`Configuration error in MEDBORG_TENANTS: ${r.file}: `), r.error.message);
  assert.ok(r.error.message.includes(reason), `${r.error.message}\n  does not say: ${reason}`);
}

test('a host listed under two tenants names the file, the host and both tenants', () => {
  const r = load([entry('norrby', '', '[norrby.localhost, shared.example]'), entry('sodera', '', '[sodera.localhost, Shared.Example]')]);
  assertFileError(r, 'host "shared.example" is listed under both tenant "norrby" and tenant "sodera"');
  // The same host twice under one tenant is harmless.
  assert.equal(load([entry('norrby', '', '[norrby.localhost, norrby.localhost]')]).ok, true);
});

test('an empty hosts list names the file and the tenant', () => {
  assertFileError(load([entry('norrby'), entry('sodera', '', '[]')]), '/tenants/1/hosts of tenant "sodera" lists no host name');
  assertFileError(load([entry('norrby', '', '[]')]), '/tenants/0/hosts of tenant "norrby" lists no host name');
});

test("a tenant's logo must exist and be an SVG or PNG image", () => {
  assert.equal(load([entry('norrby', '    logo: logo.svg\n'), entry('sodera', '    logo: logo.png\n')], { 'logo.svg': SVG, 'logo.png': PNG }).ok, true);
  const missing = load([entry('norrby', '    logo: branding/none.svg\n')]);
  assertFileError(missing, '/tenants/0/logo of tenant "norrby": no such file "');
  assert.ok((missing.error as Error).message.includes(path.join('branding', 'none.svg')));
  assertFileError(load([entry('norrby', '    logo: logo.gif\n')], { 'logo.gif': 'GIF89a' }), '/tenants/0/logo of tenant "norrby": must be an .svg or .png file, got "');
  assertFileError(load([entry('norrby', '    logo: logo.png\n')], { 'logo.png': SVG }), 'is not a PNG image');
  assertFileError(load([entry('norrby', '    logo: logo.svg\n')], { 'logo.svg': PNG }), 'is not an SVG image');
});

test('production: every tenant has an e-ID client with an https issuer', () => {
  const prod = (issuer?: string): TenantsCheckConfig => ({ env: 'production' satisfies Config['env'], oidc: { issuer } });
  const withEid = (issuer: string) => `    eid: { issuer: '${issuer}', clientId: medborg }\n`;

  assertFileError(load([entry('norrby', withEid('https://idp.norrby.se')), entry('sodera')], {}, prod()), 'tenant "sodera" has no e-ID client');
  assertFileError(
    load([entry('norrby', withEid('http://idp.norrby.se'))], {}, prod()),
    '/tenants/0/eid/issuer of tenant "norrby" must be an https:// URL in production, got "http://idp.norrby.se"',
  );
  assert.equal(load([entry('norrby', withEid('https://idp.norrby.se')), entry('sodera')], {}, prod('https://broker.example')).ok, true, 'OIDC_ISSUER serves the tenant without its own');
  // Outside production (and without a config: tools that only read the catalogue) neither is demanded.
  assert.equal(load([entry('norrby', withEid('http://localhost:4000')), entry('sodera')], {}, { env: 'development', oidc: { issuer: undefined } }).ok, true);
  assert.equal(load([entry('norrby', withEid('http://localhost:4000')), entry('sodera')]).ok, true);
});

test("a tenant's own staff identity provider: issuer, client, MFA demanded unless the file says otherwise", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'medborg-tenants-'));
  const file = path.join(dir, 'tenants.yaml');
  try {
    writeFileSync(
      file,
      `tenants:\n${entry('norrby', "    staffOidc: { issuer: 'https://login.norrby.se', clientId: medborg-staff, clientSecret: s3cret }\n")}${entry('sodera', "    staffOidc: { issuer: 'https://login.sodera.se', clientId: m, requireMfa: false }\n")}${entry('ekby')}`,
    );
    const r = loadTenants(file);
    assert.deepEqual(r.byId('norrby')!.staffOidc, { issuer: 'https://login.norrby.se', clientId: 'medborg-staff', clientSecret: 's3cret', requireMfa: true });
    assert.deepEqual(r.byId('sodera')!.staffOidc, { issuer: 'https://login.sodera.se', clientId: 'm', requireMfa: false });
    assert.equal(r.byId('ekby')!.staffOidc, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const prod: TenantsCheckConfig = { env: 'production', oidc: { issuer: 'https://broker.example' } };
  assertFileError(load([entry('norrby', "    staffOidc: { issuer: 'ldap://x', clientId: m }\n")]), '/tenants/0/staffOidc/issuer must be an absolute http(s) URL, got "ldap://x"');
  assertFileError(
    load([entry('norrby', "    staffOidc: { issuer: 'http://login.norrby.se', clientId: m }\n")], {}, prod),
    '/tenants/0/staffOidc/issuer of tenant "norrby" must be an https:// URL in production',
  );
  assertFileError(load([entry('norrby', "    staffOidc: { issuer: 'https://login.norrby.se' }\n")]), "/tenants/0/staffOidc must have required property 'clientId'");
  assertFileError(load([entry('norrby', "    staffOidc: { issuer: 'https://login.norrby.se', clientId: m, usernameClaim: upn }\n")]), 'must NOT have additional properties');
});

test('the shipped tenants file passes every check', () => {
  const file = path.resolve(import.meta.dirname, '../../tenants.yaml');
  const registry = loadTenants(file, { env: 'development', oidc: { issuer: undefined } });
  assert.deepEqual(
    registry.all.map((t) => t.id),
    ['norrby', 'sodera'],
  );
});
