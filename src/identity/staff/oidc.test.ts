/**
 * Staff sign-in through a municipality's own identity provider (tenants.yaml: staffOidc), over
 * real HTTP against a provider that checks the client, the code and PKCE. Two municipalities use
 * one provider: an identity signs in only where an administrator bound its issuer and subject to
 * an enabled account. A username or display name the provider sends matches nothing; an identity
 * bound at Norrby is a stranger at Söderå; no second factor, a disabled account, a replayed
 * callback and a token signed by another key sign nobody in.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY, SODERA } from '../../../test/helpers/app.ts';
import { tenantScope } from '../../kernel/db/index.ts';
import { startFakeIdp } from '../eid/testing/fake-idp.ts';
import { listeningApp } from '../eid/testing/flows.ts';
import { bindOidcIdentity, type StaffContext } from './accounts.ts';
import { StaffSecrets } from './secrets.ts';
import { Browser, makeStaff, nextStep, tenantsFileWithStaffOidc } from './test-support.ts';

const idp = await startFakeIdp();
// One provider for both municipalities (a shared Entra ID, say); Söderå does not demand a second factor.
const tenantsFile = tenantsFileWithStaffOidc({
  norrby: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret },
  sodera: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, requireMfa: false },
});
const app = await listeningApp({ demo: false, env: { MEDBORG_TENANTS: tenantsFile.file } });
after(async () => {
  await app.close();
  await idp.close();
  tenantsFile.remove();
});
const norrby = app.origin(NORRBY);
const sodera = app.origin(SODERA);

const contextOf = (tenant: string): StaffContext => ({
  tdb: tenantScope(app.tdb.db, tenant),
  tenant: app.tenants.byId(tenant)!,
  secrets: new StaffSecrets(app.config.sessionSecret),
  now: () => app.clock.now(),
  endSessions: async () => undefined,
});
const cli = { id: null, label: 'cli:test' };

// The same usernames in both municipalities, as in the demo: Norrby's Hanna and Söderå's Henrik, and each one's admin.
const hanna = (await makeStaff(app, 'hanna', { tenant: 'norrby' })).account;
const henrik = (await makeStaff(app, 'hanna', { tenant: 'sodera' })).account;
const norrbyAdmin = (await makeStaff(app, 'admin', { tenant: 'norrby', roles: ['admin'] })).account;
const soderaAdmin = (await makeStaff(app, 'admin', { tenant: 'sodera', roles: ['admin'] })).account;
// Hanna's identity at the provider is bound at Norrby only; Henrik has his own identity, bound at Söderå.
await bindOidcIdentity(contextOf('norrby'), hanna.id, 'entra-hanna-0001', cli);
await bindOidcIdentity(contextOf('sodera'), henrik.id, 'entra-henrik-0002', cli);

const sessionsOf = async (tenant: string, staffId: string) =>
  (await app.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions WHERE tenant_id = $1 AND kind = 'staff' AND subject_id = $2", [tenant, staffId])).rows[0]!.n;
const everySession = async () => (await app.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions WHERE kind = 'staff'")).rows[0]!.n;

test('the sign-in page offers the municipal account where the municipality has configured one', async () => {
  for (const origin of [norrby, sodera]) {
    const page = await app.browser().go(`${origin}/staff/sign-in`);
    assert.equal(page.status, 200);
    assert.match(page.body, /href="\/staff\/sign-in\/oidc"[^>]*>Logga in med kommunens konto</);
  }
});

test('a bound identity with a second factor signs in as its own account, at its own municipality', async () => {
  idp.behaviour = { extraClaims: { sub: 'entra-hanna-0001', preferred_username: 'someone-else', amr: ['pwd', 'mfa'] } };
  const before = await sessionsOf('norrby', hanna.id);
  const home = await app.browser().go(`${norrby}/staff/sign-in/oidc`);
  assert.equal(home.status, 200);
  assert.match(home.url, /\/staff$/);
  assert.match(home.body, /Inloggad som Test Person/);
  assert.equal(idp.lastAuthorization?.get('code_challenge_method'), 'S256');
  assert.equal(idp.lastAuthorization?.get('scope'), 'openid profile email');
  assert.equal(await sessionsOf('norrby', hanna.id), before + 1);
});

test("an identity bound at Norrby is refused at Söderå, though Söderå has an account with the same username", async () => {
  idp.behaviour = { extraClaims: { sub: 'entra-hanna-0001', preferred_username: 'hanna', name: 'Hanna Handläggare', amr: ['mfa'] } };
  const before = await everySession();
  const r = await app.browser().go(`${sodera}/staff/sign-in/oidc`);
  assert.equal(r.status, 403);
  assert.match(r.body, /inte kopplat till något aktivt medarbetarkonto i Söderå kommun/);
  assert.doesNotMatch(r.body, /Inloggad som/);
  assert.equal(await sessionsOf('sodera', henrik.id), 0);
  assert.equal(await everySession(), before, 'no staff session anywhere');
  // Söderå's own binding works there, without a second factor since Söderå does not demand one…
  idp.behaviour = { extraClaims: { sub: 'entra-henrik-0002', amr: ['pwd'] } };
  const ok = await app.browser().go(`${sodera}/staff/sign-in/oidc`);
  assert.equal(ok.status, 200);
  assert.match(ok.url, /\/staff$/);
  assert.equal(await sessionsOf('sodera', henrik.id), 1);
  // …and is refused at Norrby, the other way round.
  idp.behaviour = { extraClaims: { sub: 'entra-henrik-0002', amr: ['mfa'] } };
  const no = await app.browser().go(`${norrby}/staff/sign-in/oidc`);
  assert.equal(no.status, 403);
  assert.match(no.body, /inte kopplat till något aktivt medarbetarkonto i Norrby kommun/);
});

test('an unbound identity is refused whatever username it carries: no account is matched by name, none is created', async () => {
  const accounts = async () => (await app.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_accounts')).rows[0]!.n;
  const bindings = async () => (await app.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_oidc_identities')).rows[0]!.n;
  const [accountsBefore, bindingsBefore, sessionsBefore] = [await accounts(), await bindings(), await everySession()];
  for (const claims of [
    { preferred_username: 'hanna', amr: ['mfa'] },
    { preferred_username: 'admin', upn: 'admin', email: 'admin@norrby.example', amr: ['mfa'] },
    { preferred_username: 'nobody', amr: ['mfa'] },
    { amr: ['mfa'] },
  ]) {
    idp.behaviour = { extraClaims: { sub: 'entra-stranger-9999', ...claims } };
    for (const origin of [norrby, sodera]) {
      const r = await app.browser().go(`${origin}/staff/sign-in/oidc`);
      assert.equal(r.status, 403, `${origin} ${JSON.stringify(claims)}`);
      assert.match(r.body, /inte kopplat till något aktivt medarbetarkonto/);
      assert.doesNotMatch(r.body, /Inloggad som/);
    }
  }
  // A subject that is another account's username (or id) is still only a subject.
  idp.behaviour = { extraClaims: { sub: 'admin', amr: ['mfa'] } };
  assert.equal((await app.browser().go(`${norrby}/staff/sign-in/oidc`)).status, 403);
  idp.behaviour = { extraClaims: { sub: norrbyAdmin.id, amr: ['mfa'] } };
  assert.equal((await app.browser().go(`${norrby}/staff/sign-in/oidc`)).status, 403);
  assert.equal(await accounts(), accountsBefore, 'no account created');
  assert.equal(await bindings(), bindingsBefore, 'no binding made at sign-in');
  assert.equal(await everySession(), sessionsBefore, 'no staff session');
  assert.equal(await sessionsOf('norrby', norrbyAdmin.id), 0);
  assert.equal(await sessionsOf('sodera', soderaAdmin.id), 0);
});

test("an administrator binds an account on its page; the identity then signs in there, and no more once unbound", async () => {
  const olof = (await makeStaff(app, 'olof', { tenant: 'norrby' })).account;
  const admin = new Browser(app);
  await admin.signIn('admin');
  const url = `/staff/admin/accounts/${olof.id}`;
  const page = await admin.get(url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Inte kopplat/);
  assert.ok(page.body.includes(`Personen kan sedan logga in med sitt kommunkonto hos ${idp.issuer}.`), 'the issuer is the municipality\'s own');

  idp.behaviour = { extraClaims: { sub: 'entra-olof-0003', preferred_username: 'olof', amr: ['mfa'] } };
  assert.equal((await app.browser().go(`${norrby}/staff/sign-in/oidc`)).status, 403, 'not before the binding');

  const empty = await admin.submit(url, { subject: '  ' }, `${url}/bind-oidc`);
  assert.equal(empty.statusCode, 400);
  assert.match(empty.body, /<a href="#oidcSubject">Skriv kontots identitet \(sub\) hos inloggningstjänsten<\/a>/);
  const taken = await admin.submit(url, { subject: 'entra-hanna-0001' }, `${url}/bind-oidc`);
  assert.equal(taken.statusCode, 400);
  assert.match(taken.body, /Identiteten är redan kopplad till ett annat konto/);
  assert.match(taken.body, /value="entra-hanna-0001"/, 'what was typed is kept');

  const bound = await admin.submit(url, { subject: 'entra-olof-0003' }, `${url}/bind-oidc`);
  assert.equal(bound.statusCode, 303);
  assert.equal(bound.headers.location, `${url}?done=oidcBound`);
  const after = await admin.get(`${url}?done=oidcBound`);
  assert.match(after.body, /Kontot är kopplat till identiteten/);
  assert.match(after.body, /Kopplat till entra-olof-0003/);
  assert.ok(after.body.includes(`Kopplades till identiteten entra-olof-0003 hos ${idp.issuer}`), 'the history says so');
  assert.match(after.body, /Ta bort kopplingen/);

  const home = await app.browser().go(`${norrby}/staff/sign-in/oidc`);
  assert.equal(home.status, 200);
  assert.match(home.url, /\/staff$/);
  assert.equal(await sessionsOf('norrby', olof.id), 1);

  const unbound = await admin.submit(url, {}, `${url}/unbind-oidc`);
  assert.equal(unbound.headers.location, `${url}?done=oidcUnbound`);
  assert.equal(await sessionsOf('norrby', olof.id), 0, 'the sessions end with the binding');
  assert.equal((await app.browser().go(`${norrby}/staff/sign-in/oidc`)).status, 403);
  const { rows } = await app.tdb.db.query<{ action: string; actor_id: string }>(
    "SELECT action, actor_id FROM staff_account_events WHERE tenant_id = 'norrby' AND staff_id = $1 AND action LIKE 'oidc%' ORDER BY created_at, id",
    [olof.id],
  );
  assert.deepEqual(rows, [
    { action: 'oidc_bound', actor_id: norrbyAdmin.id },
    { action: 'oidc_unbound', actor_id: norrbyAdmin.id },
  ]);
});

test('hostile subjects: markup is kept as text, too long, line breaks or a repeated field are refused', async () => {
  const { account } = await makeStaff(app, 'vera', { tenant: 'norrby' });
  const admin = new Browser(app);
  nextStep(app);
  await admin.signIn('admin');
  const url = `/staff/admin/accounts/${account.id}`;
  for (const [subject, text] of [
    ['x'.repeat(256), /Identiteten får vara högst 255 tecken/],
    ['entra\nvera', /Identiteten får vara högst 255 tecken, utan radbrytningar/],
    [['a', 'b'], /Skriv kontots identitet/],
  ] as const) {
    const r = await admin.submit(url, { subject: subject as string | string[] }, `${url}/bind-oidc`);
    assert.equal(r.statusCode, 400, JSON.stringify(subject).slice(0, 40));
    assert.match(r.body, text);
  }
  const xss = '<script>alert(1)</script>';
  assert.equal((await admin.submit(url, { subject: xss }, `${url}/bind-oidc`)).statusCode, 303);
  const page = await admin.get(url);
  assert.doesNotMatch(page.body, /<script>alert/);
  assert.match(page.body, /Kopplat till &lt;script>alert\(1\)&lt;\/script>/);
  const { rows } = await app.tdb.db.query<{ subject: string }>("SELECT subject FROM staff_oidc_identities WHERE tenant_id = 'norrby' AND staff_id = $1", [account.id]);
  assert.deepEqual(rows, [{ subject: xss }], 'stored as typed');
});

test('refused: no second factor where one is demanded, a disabled account, another key; never a session', async () => {
  const cases: { behaviour: Parameters<typeof startFakeIdp>[0]; status: number; text: RegExp }[] = [
    { behaviour: { extraClaims: { sub: 'entra-hanna-0001', amr: ['pwd'] } }, status: 403, text: /inte med tvåstegsverifiering/ },
    { behaviour: { extraClaims: { sub: 'entra-hanna-0001' } }, status: 403, text: /inte med tvåstegsverifiering/ },
    { behaviour: { signWithOtherKey: true, extraClaims: { sub: 'entra-hanna-0001', amr: ['mfa'] } }, status: 400, text: /misslyckades/ },
  ];
  for (const c of cases) {
    idp.behaviour = c.behaviour ?? {};
    const before = await sessionsOf('norrby', hanna.id);
    const r = await app.browser().go(`${norrby}/staff/sign-in/oidc`);
    assert.equal(r.status, c.status, JSON.stringify(c.behaviour));
    assert.match(r.body, c.text);
    assert.doesNotMatch(r.body, /Inloggad som/);
    assert.equal(await sessionsOf('norrby', hanna.id), before, 'no staff session');
  }
  // Disabled: the same identity that signed in above is refused.
  await app.tdb.db.query("UPDATE staff_accounts SET disabled_at = now() WHERE tenant_id = 'norrby' AND id = $1", [hanna.id]);
  try {
    idp.behaviour = { extraClaims: { sub: 'entra-hanna-0001', amr: ['mfa'] } };
    const r = await app.browser().go(`${norrby}/staff/sign-in/oidc`);
    assert.equal(r.status, 403);
    assert.match(r.body, /inte kopplat till något aktivt medarbetarkonto/);
  } finally {
    await app.tdb.db.query("UPDATE staff_accounts SET disabled_at = NULL WHERE tenant_id = 'norrby' AND id = $1", [hanna.id]);
  }
});

test('a callback is used once: replaying it, or one with a wrong state, signs nobody in', async () => {
  idp.behaviour = { extraClaims: { sub: 'entra-hanna-0001', amr: ['mfa'] } };
  const b = app.browser();
  const callback = (await b.go(`${norrby}/staff/sign-in/oidc`, { stopBefore: (u) => u.pathname === '/staff/sign-in/oidc/callback' })).url;
  const tampered = new URL(callback);
  tampered.searchParams.set('state', 'not-the-state');
  const wrong = await b.go(tampered.href);
  assert.equal(wrong.status, 400);
  // The pending sign-in was used up by the wrong attempt: the genuine callback no longer works either.
  const replay = await b.go(callback);
  assert.equal(replay.status, 400);
  assert.doesNotMatch(replay.body, /Inloggad som/);
});

test('sign-in attempts through the provider are rate limited per client address, with the translated page', async () => {
  idp.behaviour = { extraClaims: { sub: 'entra-hanna-0001', amr: ['mfa'] } };
  const b = app.browser();
  const { SIGN_IN_LIMITS } = await import('./sign-in-routes.tsx');
  for (let i = 0; i < SIGN_IN_LIMITS.perIp.max; i++) {
    const r = await b.go(`${norrby}/staff/sign-in/oidc`, { stopBefore: () => true });
    assert.equal(r.status, 0, `attempt ${i + 1} is sent on to the provider`);
  }
  const limited = await b.go(`${norrby}/staff/sign-in/oidc`, { stopBefore: () => true });
  assert.equal(limited.status, 429);
  assert.ok(limited.headers['retry-after']);
  // Another address is not affected.
  const other = await app.browser().go(`${norrby}/staff/sign-in/oidc`, { stopBefore: () => true });
  assert.equal(other.status, 0);
});

test('a municipality without its own provider offers no such sign-in (there is no installation-wide one)', async () => {
  const plain = await createTestApp({ demo: false });
  try {
    const page = await plain.app.inject({ url: '/staff/sign-in', headers: { host: NORRBY } });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /\/staff\/sign-in\/oidc/);
    for (const url of ['/staff/sign-in/oidc', '/staff/sign-in/oidc/callback?code=x&state=y']) {
      assert.equal((await plain.app.inject({ url, headers: { host: NORRBY } })).statusCode, 404, url);
    }
  } finally {
    await plain.close();
  }
});
