import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { repoRoot } from '../../../test/helpers/app.ts';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { loadConfig } from '../../kernel/config.ts';
import { tenantScope, type Database } from '../../kernel/db/index.ts';
import { SessionStore } from '../../kernel/http/index.ts';
import { loadTenants, type TenantRegistry } from '../../kernel/tenants.ts';
import { checkPassword, useRecoveryCode, verifyTotp } from './authentication.ts';
import { getAccountByUsername } from './accounts.ts';
import { totpCode } from './totp.ts';
import { addStaffCommands } from './index.ts';
import { StaffSecrets } from './secrets.ts';
import { tenantsFileWithStaffOidc } from './test-support.ts';

const tdb = await createTestDatabase();
after(() => tdb.drop());
const config = loadConfig({ MEDBORG_ENV: 'test', LOG_LEVEL: 'silent' }, repoRoot);
const tenants = loadTenants(config.tenantsFile);
// The CLI closes the database after each command; the tests keep theirs open.
const shared: Database = {
  dialect: tdb.db.dialect,
  query: (sql, params) => tdb.db.query(sql, params),
  transaction: (fn) => tdb.db.transaction(fn),
  session: (fn) => tdb.db.session(fn),
  ping: () => tdb.db.ping(),
  exec: (sql) => tdb.db.exec(sql),
  close: async () => undefined,
};

interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs `medborg staff …` in this process against the test database. */
async function cli(...args: string[]): Promise<Run> {
  return cliWith(tenants, ...args);
}

/** The same, with another tenants file (one where municipalities have their own identity provider). */
async function cliWith(tenants: TenantRegistry, ...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('medborg')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  addStaffCommands(program, {
    openRuntime: async () => ({ config, tenants, db: shared }),
    out: (l) => out.push(l + '\n'),
    err: (l) => err.push(l + '\n'),
    now: () => new Date('2026-11-23T10:00:00Z'),
  });
  let code = 0;
  try {
    await program.parseAsync(['staff', ...args], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    code = e.exitCode;
  }
  return { code, out: out.join(''), err: err.join('') };
}

const norrby = tenants.byId('norrby')!;
const ctx = {
  tdb: tenantScope(tdb.db, 'norrby'),
  tenant: norrby,
  secrets: new StaffSecrets(config.sessionSecret),
  now: () => new Date('2026-11-23T10:00:00Z'),
  endSessions: async () => undefined,
};

test(`staff create prints a generated password that signs in; list shows it (${tdb.dialect})`, async () => {
  const r = await cli('create', '--tenant', 'norrby', '--username', 'ulla', '--name', 'Ulla Ek', '--email', 'ulla@norrby.example', '--roles', 'admin,handler', '--departments', 'education');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^created staff account ulla in norrby \(id [0-9a-f-]{36}\)$/m);
  const password = r.out.match(/^password: (\S+)/m)![1]!;
  const signIn = await checkPassword(ctx, 'ulla', password);
  assert.equal(signIn.ok, true);

  const given = await cli('create', '--tenant', 'norrby', '--username', 'viktor', '--name', 'Viktor Ås', '--email', 'v@norrby.example', '--roles', 'handler', '--password', 'a given long password');
  assert.equal(given.code, 0, given.err);
  assert.doesNotMatch(given.out, /password:/);

  const json = await cli('list', '--tenant', 'norrby', '--json');
  assert.equal(json.code, 0);
  const list = JSON.parse(json.out) as { username: string; roles: string[]; departments: string[]; disabled: boolean; totpEnrolled: boolean; tenant: string }[];
  assert.deepEqual(
    list.map((a) => [a.tenant, a.username, a.roles, a.departments, a.disabled, a.totpEnrolled]),
    [
      ['norrby', 'ulla', ['admin', 'handler'], ['education'], false, false],
      ['norrby', 'viktor', ['handler'], [], false, false],
    ],
  );
  const table = await cli('list', '--tenant', 'norrby');
  assert.match(table.out, /^USERNAME\s+NAME\s+ROLES\s+DEPARTMENTS\s+STATUS\s+TOTP$/m);
  assert.match(table.out, /^ulla\s+Ulla Ek\s+admin,handler\s+education\s+active\s+not enrolled$/m);
  assert.match((await cli('list', '--tenant', 'sodera')).out, /no staff accounts in sodera/);
});

test('bad input: clear messages and exit code 1, nothing created', async () => {
  const base = ['--username', 'xavier', '--name', 'Xavier', '--email', 'x@norrby.example', '--roles', 'handler'];
  const unknownTenant = await cli('create', '--tenant', 'nowhere', ...base);
  assert.equal(unknownTenant.code, 1);
  assert.match(unknownTenant.err, /error: unknown tenant "nowhere" \(tenants: norrby, sodera\)/);

  const unknownDept = await cli('create', '--tenant', 'norrby', ...base, '--departments', 'education,finance');
  assert.equal(unknownDept.code, 1);
  assert.match(unknownDept.err, /error: Unknown department: finance\. Departments: education, city-services/);

  const unknownRole = await cli('create', '--tenant', 'norrby', ...base.slice(0, 6), '--roles', 'handler,boss');
  assert.equal(unknownRole.code, 1);
  assert.match(unknownRole.err, /error: Unknown role: boss/);

  const weak = await cli('create', '--tenant', 'norrby', ...base, '--password', 'short');
  assert.match(weak.err, /error: The password must be at least 12 characters/);

  const badSecret = await cli('create', '--tenant', 'norrby', ...base, '--totp-secret', 'not-base32!');
  assert.match(badSecret.err, /error: The TOTP secret must be base32/);

  const dup = await cli('create', '--tenant', 'norrby', '--username', 'ULLA', '--name', 'Another', '--email', 'a@norrby.example', '--roles', 'handler');
  assert.equal(dup.code, 1);
  assert.match(dup.err, /error: There is already an account with that username/);

  const missing = await cli('create', '--tenant', 'norrby', '--username', 'yngve');
  assert.notEqual(missing.code, 0);
  assert.match(missing.err, /required option '--name <name>' not specified/);

  const noSuchUser = await cli('disable', '--tenant', 'norrby', '--username', 'nobody');
  assert.equal(noSuchUser.code, 1);
  assert.match(noSuchUser.err, /error: No staff account "nobody" in norrby/);

  const { rows } = await tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM staff_accounts WHERE username IN ('xavier', 'yngve')`);
  assert.equal(rows[0]!.n, 0);
});

test('disable ends sessions at once; enable, set-roles, set-departments, reset-totp, reset-password', async () => {
  const r = await cli('create', '--tenant', 'norrby', '--username', 'zara', '--name', 'Zara Öberg', '--email', 'z@norrby.example', '--roles', 'handler', '--totp-secret', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^recovery codes: ([a-z2-9]{5}-[a-z2-9]{5} ?){10}$/m);
  const id = r.out.match(/\(id ([0-9a-f-]{36})\)/)![1]!;
  const store = new SessionStore(60_000);
  await store.create(ctx.tdb, { kind: 'staff', subjectId: id, locale: 'sv', data: { displayName: 'Zara' } }, new Date());
  const sessions = async () => (await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE subject_id = $1', [id])).rows[0]!.n;
  assert.equal(await sessions(), 1);

  const disable = await cli('disable', '--tenant', 'norrby', '--username', 'zara');
  assert.equal(disable.code, 0);
  assert.match(disable.out, /disabled zara; their sessions have ended/);
  assert.equal(await sessions(), 0);
  assert.match((await cli('disable', '--tenant', 'norrby', '--username', 'zara')).out, /zara is already disabled/);
  assert.equal((await checkPassword(ctx, 'zara', 'anything at all')).ok, false);
  assert.match((await cli('enable', '--tenant', 'norrby', '--username', 'zara')).out, /enabled zara/);

  const roles = await cli('set-roles', '--tenant', 'norrby', '--username', 'zara', '--roles', 'security_officer,handler');
  assert.match(roles.out, /zara: roles handler, security_officer/);
  const badRoles = await cli('set-roles', '--tenant', 'norrby', '--username', 'zara', '--roles', 'root');
  assert.equal(badRoles.code, 1);
  const depts = await cli('set-departments', '--tenant', 'norrby', '--username', 'zara', '--departments', 'city-services,education');
  assert.match(depts.out, /zara: departments education, city-services/);
  const noDepts = await cli('set-departments', '--tenant', 'norrby', '--username', 'zara', '--departments', '');
  assert.match(noDepts.out, /zara: departments \(none\)/);
  const badDept = await cli('set-departments', '--tenant', 'sodera', '--username', 'zara', '--departments', 'education');
  assert.match(badDept.err, /No staff account "zara" in sodera/);

  await store.create(ctx.tdb, { kind: 'staff', subjectId: id, locale: 'sv' }, new Date());
  const totp = await cli('reset-totp', '--tenant', 'norrby', '--username', 'zara');
  assert.match(totp.out, /reset two-step verification of zara/);
  assert.equal(await sessions(), 0);
  const { rows } = await tdb.db.query<{ totp_secret: string | null }>('SELECT totp_secret FROM staff_accounts WHERE id = $1', [id]);
  assert.equal(rows[0]!.totp_secret, null);

  const pw = await cli('reset-password', '--tenant', 'norrby', '--username', 'zara');
  const password = pw.out.match(/^password: (\S+)/m)![1]!;
  assert.equal((await checkPassword(ctx, 'zara', password)).ok, true);
  const weak = await cli('reset-password', '--tenant', 'norrby', '--username', 'zara', '--password', 'zara-zara-zara');
  assert.match(weak.err, /The password must not contain the username/);

  const history = await tdb.db.query<{ action: string; actor: string; actor_id: string | null }>(
    'SELECT action, actor, actor_id FROM staff_account_events WHERE staff_id = $1 ORDER BY created_at, id',
    [id],
  );
  assert.deepEqual(
    history.rows.map((e) => e.action),
    ['created', 'disabled', 'enabled', 'updated', 'updated', 'updated', 'totp_reset', 'password_reset'],
  );
  for (const e of history.rows) {
    assert.equal(e.actor_id, null);
    assert.match(e.actor, /^cli/);
  }
});

test('enrol-totp sets a new secret, prints it and its otpauth:// URI once, and journals it', async () => {
  const r = await cli('create', '--tenant', 'norrby', '--username', 'ylva', '--name', 'Ylva Åberg', '--email', 'y@norrby.example', '--roles', 'handler');
  assert.equal(r.code, 0, r.err);
  const id = r.out.match(/\(id ([0-9a-f-]{36})\)/)![1]!;
  const store = new SessionStore(60_000);
  await store.create(ctx.tdb, { kind: 'staff', subjectId: id, locale: 'sv' }, new Date());
  const sessions = async () => (await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE subject_id = $1', [id])).rows[0]!.n;

  const enrol = await cli('enrol-totp', '--tenant', 'norrby', '--username', 'YLVA');
  assert.equal(enrol.code, 0, enrol.err);
  assert.match(enrol.out, /^enrolled a new TOTP secret for ylva; .*their sessions have ended$/m);
  const secret = enrol.out.match(/^secret: ([A-Z2-7 ]+?) {2}\(shown once/m)![1]!.replace(/ /g, '');
  assert.equal(secret.length, 32, '160 bits in base32');
  const uri = new URL(enrol.out.match(/^otpauth URI: (otpauth:\/\/\S+)$/m)![1]!);
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.host, 'totp');
  assert.equal(uri.searchParams.get('secret'), secret);
  assert.equal(uri.searchParams.get('issuer'), 'Norrby kommun');
  assert.match(decodeURIComponent(uri.pathname), /ylva$/);
  const codes = enrol.out.match(/^recovery codes: (.+)$/m)![1]!.split(' ');
  assert.equal(codes.length, 10);
  assert.equal(await sessions(), 0, 'a new second factor ends the sessions');

  // The printed secret is the enrolled one: its code signs in, and a recovery code works.
  const account = await getAccountByUsername(ctx, 'ylva');
  assert.ok(account.totpEnrolledAt);
  assert.equal(await verifyTotp(ctx, account, totpCode(secret, ctx.now())), 'ok');
  assert.equal(await useRecoveryCode(ctx, account, codes[0]!), 'ok');

  // Enrolling again replaces the secret and the recovery codes (a given secret: demo and test accounts).
  const again = await cli('enrol-totp', '--tenant', 'norrby', '--username', 'ylva', '--totp-secret', 'jbswy3dpehpk3pxpjbswy3dpehpk3pxp');
  assert.equal(again.code, 0, again.err);
  assert.match(again.out, /^secret: JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP {2}\(shown once/m);
  const replaced = await getAccountByUsername(ctx, 'ylva');
  const later = new Date(ctx.now().getTime() + 60_000);
  const at = { ...ctx, now: () => later };
  assert.equal(await verifyTotp(at, replaced, totpCode(secret, later)), 'wrong', 'the old secret no longer works');
  assert.equal(await useRecoveryCode(at, replaced, codes[1]!), 'wrong', 'nor do the old recovery codes');
  assert.equal(await verifyTotp(at, replaced, totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', later)), 'ok');

  const bad = await cli('enrol-totp', '--tenant', 'norrby', '--username', 'ylva', '--totp-secret', 'not-base32!');
  assert.equal(bad.code, 1);
  assert.match(bad.err, /error: The TOTP secret must be base32/);
  const nobody = await cli('enrol-totp', '--tenant', 'norrby', '--username', 'nobody');
  assert.equal(nobody.code, 1);
  assert.match(nobody.err, /error: No staff account "nobody" in norrby/);

  const history = await tdb.db.query<{ action: string; actor: string; actor_id: string | null; details: Record<string, unknown> }>(
    'SELECT action, actor, actor_id, details FROM staff_account_events WHERE staff_id = $1 ORDER BY created_at, id',
    [id],
  );
  assert.deepEqual(
    history.rows.map((e) => e.action),
    ['created', 'totp_enrolled', 'recovery_code_used', 'totp_enrolled'],
  );
  for (const e of history.rows.filter((x) => x.action === 'totp_enrolled')) {
    assert.equal(e.actor_id, null);
    assert.match(e.actor, /^cli/);
    assert.deepEqual(e.details, { byAdministrator: true });
    assert.ok(!JSON.stringify(e.details).includes(secret), 'the secret is not in the history');
  }
});

test('bind-oidc binds an account to a subject at its own municipality\'s provider, unbind-oidc removes it; both journaled', async () => {
  const file = tenantsFileWithStaffOidc({ norrby: { issuer: 'https://login.norrby.example', clientId: 'medborg-staff' } });
  const withOidc = loadTenants(file.file);
  file.remove();
  const r = await cli('create', '--tenant', 'norrby', '--username', 'xena', '--name', 'Xena Ek', '--email', 'x@norrby.example', '--roles', 'handler');
  const id = r.out.match(/\(id ([0-9a-f-]{36})\)/)![1]!;
  const store = new SessionStore(60_000);
  const sessions = async () => (await tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE subject_id = $1', [id])).rows[0]!.n;
  const bindings = async () =>
    (await tdb.db.query<{ tenant_id: string; issuer: string; subject: string }>('SELECT tenant_id, issuer, subject FROM staff_oidc_identities WHERE staff_id = $1', [id])).rows;

  const bind = await cliWith(withOidc, 'bind-oidc', '--tenant', 'norrby', '--username', 'xena', '--subject', '  AAAbbb-123  ');
  assert.equal(bind.code, 0, bind.err);
  assert.match(bind.out, /^bound xena in norrby to subject AAAbbb-123 at https:\/\/login\.norrby\.example$/m);
  assert.deepEqual(await bindings(), [{ tenant_id: 'norrby', issuer: 'https://login.norrby.example', subject: 'AAAbbb-123' }]);

  // Bound already; a subject another account has; no subject; a municipality without a provider.
  const again = await cliWith(withOidc, 'bind-oidc', '--tenant', 'norrby', '--username', 'xena', '--subject', 'other');
  assert.equal(again.code, 1);
  assert.match(again.err, /error: The account is already linked to an identity\. Remove the link first\./);
  await cli('create', '--tenant', 'norrby', '--username', 'yngve', '--name', 'Yngve Ek', '--email', 'y@norrby.example', '--roles', 'handler');
  const taken = await cliWith(withOidc, 'bind-oidc', '--tenant', 'norrby', '--username', 'yngve', '--subject', 'AAAbbb-123');
  assert.equal(taken.code, 1);
  assert.match(taken.err, /error: The identity is already linked to another account/);
  const blank = await cliWith(withOidc, 'bind-oidc', '--tenant', 'norrby', '--username', 'yngve', '--subject', ' ');
  assert.match(blank.err, /error: Enter the account’s identity \(sub\)/);
  await cli('create', '--tenant', 'sodera', '--username', 'xena', '--name', 'Xena Å', '--email', 'x@sodera.example', '--roles', 'handler');
  const none = await cliWith(withOidc, 'bind-oidc', '--tenant', 'sodera', '--username', 'xena', '--subject', 'AAAbbb-123');
  assert.equal(none.code, 1);
  assert.match(none.err, /error: The municipality has no sign-in service of its own for staff/);
  const shipped = await cli('bind-oidc', '--tenant', 'norrby', '--username', 'yngve', '--subject', 'zzz');
  assert.equal(shipped.code, 1);
  assert.match(shipped.err, /error: The municipality has no sign-in service of its own for staff/);

  await store.create(ctx.tdb, { kind: 'staff', subjectId: id, locale: 'sv' }, new Date());
  const unbind = await cliWith(withOidc, 'unbind-oidc', '--tenant', 'norrby', '--username', 'xena');
  assert.equal(unbind.code, 0, unbind.err);
  assert.match(unbind.out, /unbound xena in norrby; their sessions have ended/);
  assert.equal(await sessions(), 0);
  assert.deepEqual(await bindings(), []);
  assert.match((await cliWith(withOidc, 'unbind-oidc', '--tenant', 'norrby', '--username', 'xena')).out, /xena is not bound to an identity/);

  const history = await tdb.db.query<{ action: string; actor: string; details: Record<string, unknown> }>(
    'SELECT action, actor, details FROM staff_account_events WHERE staff_id = $1 ORDER BY created_at, id',
    [id],
  );
  assert.deepEqual(
    history.rows.map((e) => [e.action, e.details]),
    [
      ['created', { username: 'xena', roles: ['handler'], departments: [] }],
      ['oidc_bound', { issuer: 'https://login.norrby.example', subject: 'AAAbbb-123' }],
      ['oidc_unbound', { issuer: 'https://login.norrby.example', subject: 'AAAbbb-123' }],
    ],
  );
  for (const e of history.rows) assert.match(e.actor, /^cli/);
});

test('`medborg staff` through bin/medborg.js: exit codes and messages', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'medborg-staff-cli-'));
  try {
    const env = { ...process.env, MEDBORG_ENV: 'test', LOG_LEVEL: 'silent', MEDBORG_DATA_DIR: dataDir, DATABASE_URL: tdb.url ?? '' };
    const run = (...args: string[]) => spawnSync(process.execPath, ['bin/medborg.js', 'staff', ...args], { cwd: repoRoot, env, encoding: 'utf8' });
    const help = run('--help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /reset-totp/);
    assert.match(help.stdout, /enrol-totp/);
    const missing = run('disable', '--tenant', 'norrby');
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /required option '--username <username>' not specified/);
    // A TOTP secret on the command line is for demo and test accounts: refused in production, before any database.
    const prod = spawnSync(process.execPath, ['bin/medborg.js', 'staff', 'create', '--tenant', 'norrby', '--username', 'p', '--name', 'P', '--email', 'p@norrby.example', '--roles', 'handler', '--totp-secret', 'JBSWY3DPEHPK3PXP'], {
      cwd: repoRoot,
      env: { ...env, MEDBORG_ENV: 'production' },
      encoding: 'utf8',
    });
    assert.equal(prod.status, 1);
    assert.match(prod.stderr, /^error: --totp-secret is refused in production/m);
    const prodEnrol = spawnSync(process.execPath, ['bin/medborg.js', 'staff', 'enrol-totp', '--tenant', 'norrby', '--username', 'p', '--totp-secret', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'], {
      cwd: repoRoot,
      env: { ...env, MEDBORG_ENV: 'production' },
      encoding: 'utf8',
    });
    assert.equal(prodEnrol.status, 1);
    assert.match(prodEnrol.stderr, /^error: --totp-secret is refused in production; leave it out and a secret is generated/m);
    assert.deepEqual(readdirSync(dataDir), [], 'no database was opened');
    // A fresh process on a fresh embedded database spends its time in initdb; the rest runs on PostgreSQL.
    if (!tdb.url) return;
    const tenant = run('list', '--tenant', 'nowhere');
    assert.equal(tenant.status, 1);
    assert.match(tenant.stderr, /^error: unknown tenant "nowhere" \(tenants: norrby, sodera\)$/m);
    assert.doesNotMatch(tenant.stderr, /at .*\.ts:\d+/, 'no stack trace');
    const ok = run('create', '--tenant', 'sodera', '--username', 'bin-user', '--name', 'Bin User', '--email', 'b@sodera.example', '--roles', 'handler', '--departments', 'education');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /created staff account bin-user in sodera/);
    const dup = run('create', '--tenant', 'sodera', '--username', 'bin-user', '--name', 'Bin User', '--email', 'b@sodera.example', '--roles', 'handler');
    assert.equal(dup.status, 1);
    assert.match(dup.stderr, /^error: There is already an account with that username$/m);
    const dept = run('set-departments', '--tenant', 'sodera', '--username', 'bin-user', '--departments', 'harbour');
    assert.equal(dept.status, 1);
    assert.match(dept.stderr, /Unknown department: harbour\. Departments: education, city-services/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
