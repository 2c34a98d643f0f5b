/**
 * Staff sign-in through the municipality's identity provider (STAFF_OIDC_*), over real HTTP
 * against a provider that checks the client, the code and PKCE: an enabled account whose
 * username the provider names gets a staff session; an unknown or disabled account, a sign-in
 * without a second factor, a replayed callback and a token signed by another key do not.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { NORRBY } from '../../../test/helpers/app.ts';
import { tenantScope } from '../../kernel/db/index.ts';
import { startFakeIdp } from '../eid/testing/fake-idp.ts';
import { listeningApp } from '../eid/testing/flows.ts';
import { createStaffAccount } from './index.ts';

const idp = await startFakeIdp();
const app = await listeningApp({ demo: false, env: { STAFF_OIDC_ISSUER: idp.issuer, STAFF_OIDC_CLIENT_ID: idp.clientId, STAFF_OIDC_CLIENT_SECRET: idp.clientSecret } });
after(async () => {
  await app.close();
  await idp.close();
});
const norrby = app.origin(NORRBY);
const tdb = tenantScope(app.tdb.db, 'norrby');
const account = await createStaffAccount(tdb, {
  tenant: app.tenants.byId('norrby')!,
  sessionSecret: app.config.sessionSecret,
  username: 'hanna',
  displayName: 'Hanna Handläggare',
  email: 'hanna@norrby.example',
  roles: ['handler'],
  departments: ['education'],
  password: 'correct horse battery staple',
  totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  now: app.clock.now(),
});
const sessionsOf = async (staffId: string) =>
  (await app.tdb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions WHERE tenant_id = 'norrby' AND kind = 'staff' AND subject_id = $1", [staffId])).rows[0]!.n;

test('the sign-in page offers the municipal account when it is configured', async () => {
  const page = await app.browser().go(`${norrby}/staff/sign-in`);
  assert.equal(page.status, 200);
  assert.match(page.body, /href="\/staff\/sign-in\/oidc"[^>]*>Logga in med kommunens konto</);
});

test('an enabled account named by the provider, with a second factor, gets a staff session', async () => {
  idp.behaviour = { extraClaims: { preferred_username: 'Hanna', amr: ['pwd', 'mfa'] } };
  const before = await sessionsOf(account.account.id);
  const b = app.browser();
  const home = await b.go(`${norrby}/staff/sign-in/oidc`);
  assert.equal(home.status, 200);
  assert.match(home.url, /\/staff$/);
  assert.match(home.body, /Inloggad som Hanna Handläggare/);
  assert.equal(idp.lastAuthorization?.get('code_challenge_method'), 'S256');
  assert.equal(idp.lastAuthorization?.get('scope'), 'openid profile email');
  assert.equal(await sessionsOf(account.account.id), before + 1);
});

test('refused: no second factor, an unknown username, a disabled account, another key; never a session', async () => {
  const cases: { behaviour: Parameters<typeof startFakeIdp>[0]; status: number; text: RegExp }[] = [
    { behaviour: { extraClaims: { preferred_username: 'hanna', amr: ['pwd'] } }, status: 403, text: /inte med tvåstegsverifiering/ },
    { behaviour: { extraClaims: { preferred_username: 'nobody', amr: ['mfa'] } }, status: 403, text: /inget aktivt konto/ },
    { behaviour: { extraClaims: { amr: ['mfa'] } }, status: 403, text: /inget aktivt konto/ },
    { behaviour: { signWithOtherKey: true, extraClaims: { preferred_username: 'hanna', amr: ['mfa'] } }, status: 400, text: /misslyckades/ },
  ];
  for (const c of cases) {
    idp.behaviour = c.behaviour ?? {};
    const before = await sessionsOf(account.account.id);
    const r = await app.browser().go(`${norrby}/staff/sign-in/oidc`);
    assert.equal(r.status, c.status, JSON.stringify(c.behaviour));
    assert.match(r.body, c.text);
    assert.doesNotMatch(r.body, /Inloggad som/);
    assert.equal(await sessionsOf(account.account.id), before, 'no staff session');
  }
  // Disabled: the same claims that signed in above are refused.
  await app.tdb.db.query("UPDATE staff_accounts SET disabled_at = now() WHERE tenant_id = 'norrby' AND id = $1", [account.account.id]);
  try {
    idp.behaviour = { extraClaims: { preferred_username: 'hanna', amr: ['mfa'] } };
    const r = await app.browser().go(`${norrby}/staff/sign-in/oidc`);
    assert.equal(r.status, 403);
    assert.match(r.body, /inget aktivt konto/);
  } finally {
    await app.tdb.db.query("UPDATE staff_accounts SET disabled_at = NULL WHERE tenant_id = 'norrby' AND id = $1", [account.account.id]);
  }
});

test('a callback is used once: replaying it, or one with a wrong state, signs nobody in', async () => {
  idp.behaviour = { extraClaims: { preferred_username: 'hanna', amr: ['mfa'] } };
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
  idp.behaviour = { extraClaims: { preferred_username: 'hanna', amr: ['mfa'] } };
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
