import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY, SODERA } from '../../../test/helpers/app.ts';
import { hashToken } from '../../kernel/http/session.ts';
import { loadDemoRegisterData } from '../../integrations/population-register/index.ts';
import { formFields, type TestBrowser } from './testing/browser.ts';
import { startFakeIdp } from './testing/fake-idp.ts';
import { listeningApp, signIn, signInUpToCallback, type ListeningApp } from './testing/flows.ts';
import { personalNumbersIn } from '../../../test/helpers/personal-numbers.ts';
import { ANNA } from '../../../test/helpers/sign-in.ts';

const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';

async function residentCount(app: ListeningApp, tenant: string, personalNumber: string): Promise<number> {
  const { rows } = await app.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM residents WHERE tenant_id = $1 AND personal_number = $2', [tenant, personalNumber]);
  return rows[0]!.n;
}

/** The session row behind a browser's cookie on host: its data, and a way to overwrite it. */
async function sessionData(app: ListeningApp, b: TestBrowser, host: string) {
  const id = hashToken(b.cookie(host, 'mb_sid')!);
  const { rows } = await app.tdb.db.query<{ data: Record<string, unknown>; kind: string }>('SELECT data, kind FROM sessions WHERE id = $1', [id]);
  return {
    data: rows[0]!.data,
    kind: rows[0]!.kind,
    write: (data: Record<string, unknown>) => app.tdb.db.query('UPDATE sessions SET data = $2 WHERE id = $1', [id, JSON.stringify(data)]),
  };
}

describe('with the built-in test e-ID provider', async () => {
  const app = await listeningApp();
  after(() => app.close());
  const norrby = app.origin(NORRBY);
  const sodera = app.origin(SODERA);

  test('discovery answers over HTTP and speaks the Swedish OIDC profile', async () => {
    const r = await fetch(`${app.base}/test-idp/.well-known/openid-configuration`);
    assert.equal(r.status, 200);
    const d = (await r.json()) as Record<string, string[] | string>;
    assert.equal(d.issuer, `${app.base}/test-idp`);
    assert.ok((d.claims_supported as string[]).includes('https://id.oidc.se/claim/personalIdentityNumber'));
    assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(d.acr_values_supported, [LOA3]);
    assert.equal(d.end_session_endpoint, `${app.base}/test-idp/session/end`);
  });

  test('the full code flow signs the resident in: session, header name, resident row', async () => {
    const b = app.browser();
    const start = await b.request(`${norrby}/sign-in?back=${encodeURIComponent('/my/profile')}`);
    assert.equal(start.status, 303);
    const auth = new URL(start.headers.location!);
    assert.equal(auth.origin + auth.pathname, `${app.base}/test-idp/auth`);
    assert.equal(auth.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(auth.searchParams.get('state') && auth.searchParams.get('nonce') && auth.searchParams.get('code_challenge'));
    const anonymous = b.cookie('norrby.localhost', 'mb_sid');
    assert.ok(anonymous, 'an anonymous session holds state and nonce');

    const login = await b.go(start.headers.location!);
    assert.equal(login.status, 200);
    assert.match(login.body, /<html lang="sv"/);
    assert.match(login.body, /<h1>Logga in med test-e-legitimation<\/h1>/);
    assert.match(login.body, /<legend>Välj testperson<\/legend>/);
    assert.match(login.body, /Avbryt inloggningen/);
    assert.doesNotMatch(login.body, /<script|style=/);
    const csp = String(login.headers['content-security-policy']);
    assert.match(csp, /form-action 'self' .*http:\/\/sodera\.localhost:\d+/);
    assert.doesNotMatch(csp, /unsafe-inline/);

    const page = await signIn(b, norrby, 'Anna Andersson');
    assert.equal(page.status, 200);
    assert.equal(page.url, `${norrby}/my/profile`);
    assert.match(page.body, /Inloggad som Anna Andersson/);
    assert.match(page.body, /19880314-\*\*\*\*/);
    assert.doesNotMatch(page.body, /9825/);
    assert.notEqual(b.cookie('norrby.localhost', 'mb_sid'), anonymous, 'the session is rotated at sign-in');
    const s = await sessionData(app, b, 'norrby.localhost');
    assert.equal(s.kind, 'resident');
    assert.equal(s.data.displayName, 'Anna Andersson');
    assert.equal(await residentCount(app, 'norrby', ANNA.personalNumber), 1);
    assert.equal(await residentCount(app, 'sodera', ANNA.personalNumber), 0);
    // The sign-out form may be redirected on to the provider's end-session endpoint.
    assert.ok(String(page.headers['content-security-policy']).includes(`form-action 'self' ${app.base}`));

    // A second sign-in finds the same resident.
    const again = app.browser();
    assert.equal((await signIn(again, norrby, 'Anna Andersson', '/')).status, 200);
    assert.equal(await residentCount(app, 'norrby', ANNA.personalNumber), 1);
    assert.equal(again.visited.at(-1), `${norrby}/`);
  });

  test('the provider demands PKCE and a registered redirect URI', async () => {
    const b = app.browser();
    const params = new URLSearchParams({ client_id: 'medborg-norrby', response_type: 'code', scope: 'openid', state: 's', redirect_uri: `${norrby}/sign-in/callback` });
    const noPkce = await b.request(`${app.base}/test-idp/auth?${params}`);
    assert.equal(noPkce.status, 303);
    const back = new URL(noPkce.headers.location!);
    assert.equal(back.origin + back.pathname, `${norrby}/sign-in/callback`);
    assert.equal(back.searchParams.get('error'), 'invalid_request');
    assert.match(back.searchParams.get('error_description') ?? '', /PKCE/);
    params.set('redirect_uri', 'http://evil.example/callback');
    const foreign = await b.request(`${app.base}/test-idp/auth?${params}`);
    assert.equal(foreign.status, 400);
    assert.match(foreign.body, /<html lang="sv"/);
    assert.match(foreign.body, /Felkod: invalid_redirect_uri/);
  });

  test('the back path must be on this site', async () => {
    for (const back of ['https://evil.example/', '//evil.example/x']) {
      const b = app.browser();
      const cb = await signInUpToCallback(b, norrby, 'Anna Andersson', back);
      const r = await b.request(cb);
      assert.equal(r.status, 303);
      assert.equal(r.headers.location, '/');
    }
  });

  test('a wrong state is refused, and the right one still works', async () => {
    const b = app.browser();
    const cb = await signInUpToCallback(b, norrby, 'Karin Holm');
    const forged = new URL(cb);
    forged.searchParams.set('state', 'forged-state-value');
    const r = await b.go(forged.href);
    assert.equal(r.status, 400);
    assert.match(r.body, /Inloggningen misslyckades/);
    assert.match(r.body, /Inget konto har skapats/);
    assert.equal(await residentCount(app, 'norrby', '198502209862'), 0);
    assert.equal((await sessionData(app, b, 'norrby.localhost')).kind, 'anonymous');
    assert.equal((await b.go(cb)).status, 200);
    assert.equal(await residentCount(app, 'norrby', '198502209862'), 1);
  });

  test('a callback without a sign-in under way is refused', async () => {
    const b = app.browser();
    const r = await b.go(`${norrby}/sign-in/callback?code=abc&state=def`);
    assert.equal(r.status, 400);
    assert.match(r.body, /Inloggningen tog för lång tid/);
  });

  test('a wrong nonce is refused (the stored nonce tampered)', async () => {
    const b = app.browser();
    const cb = await signInUpToCallback(b, norrby, 'Sara Lind');
    const s = await sessionData(app, b, 'norrby.localhost');
    const pending = s.data.eidPending as Record<string, { nonce: string }>;
    const state = new URL(cb).searchParams.get('state')!;
    pending[state]!.nonce = 'tampered-nonce';
    await s.write({ ...s.data, eidPending: pending });
    const r = await b.go(cb);
    assert.equal(r.status, 400);
    assert.match(r.body, /Inloggningen misslyckades/);
    assert.equal(await residentCount(app, 'norrby', '197911309842'), 0);
    assert.match(app.logs(), /"detail":"[^\n]*nonce[^\n]*"msg":"e-ID sign-in refused"/);
  });

  test('a replayed authorization code is refused by the provider', async () => {
    const b1 = app.browser();
    const cb = await signInUpToCallback(b1, norrby, 'Erik Berg');
    const snapshot = (await sessionData(app, b1, 'norrby.localhost')).data;
    assert.equal((await b1.go(cb)).status, 200);
    // A second browser carries the same state, nonce and verifier: only the code is spent.
    const b2 = app.browser();
    await b2.request(`${norrby}/sign-in?back=%2F`);
    await (await sessionData(app, b2, 'norrby.localhost')).write(snapshot);
    const r = await b2.go(cb);
    assert.equal(r.status, 400);
    assert.match(r.body, /Inloggningen misslyckades/);
    assert.match(app.logs(), /"detail":"[^\n]*invalid_grant[^\n]*"msg":"e-ID sign-in refused"/);
    assert.equal((await sessionData(app, b2, 'norrby.localhost')).kind, 'anonymous');
  });

  test('cancelling at the provider comes back as a translated page, signed out', async () => {
    const b = app.browser();
    const login = await b.go(`${norrby}/sign-in?back=%2Fmy%2Fprofile`);
    const abort = formFields(login.body, 1);
    const r = await b.go(new URL(abort.action, login.url).href, { form: abort.fields });
    assert.equal(r.status, 200);
    assert.match(r.body, /Du avbröt inloggningen/);
    assert.match(r.body, /href="\/sign-in\?back=%2Fmy%2Fprofile"/);
  });

  test('the provider page asks again when no person is chosen, and speaks English when asked', async () => {
    const b = app.browser();
    const login = await b.go(`${norrby}/sign-in?back=%2F`, {});
    const { action, fields } = formFields(login.body, 0);
    const again = await b.request(new URL(action, login.url).href, { form: fields });
    assert.equal(again.status, 400);
    assert.match(again.body, /role="alert"/);
    assert.match(again.body, /Välj vilken testperson du vill logga in som/);
    const en = await b.request(`${login.url}?lang=en`);
    assert.match(en.body, /<html lang="en"/);
    assert.match(en.body, /Sign in with the test e-ID/);
  });

  test('signing out ends our session and the provider’s (RP-initiated logout), with no identity number in any URL', async () => {
    const b = app.browser();
    const profile = await signIn(b, norrby, 'Anna Andersson');
    const signedIn = await sessionData(app, b, 'norrby.localhost');
    assert.equal(signedIn.kind, 'resident');
    const csrf = formFields(profile.body, 0).fields._csrf!;
    const out = await b.request(`${norrby}/sign-out`, { form: { _csrf: csrf } });
    assert.equal(out.status, 303);
    const end = new URL(out.headers.location!);
    assert.equal(end.origin + end.pathname, `${app.base}/test-idp/session/end`);
    // The provider is told which client, not who: an ID token as id_token_hint would put the
    // identity number into the URL, browser history and access logs.
    assert.equal(end.searchParams.get('id_token_hint'), null);
    assert.equal(end.searchParams.get('client_id'), 'medborg-norrby');
    assert.equal(end.searchParams.get('post_logout_redirect_uri'), `${norrby}/signed-out`);
    assert.deepEqual(personalNumbersIn(end.href), []);
    assert.ok(!JSON.stringify(signedIn.data).includes('eyJ'), 'the session kept no ID token (it carries the identity number)');
    assert.equal(b.cookie('norrby.localhost', 'mb_sid'), undefined, 'our session cookie is cleared');

    const confirm = await b.go(out.headers.location!);
    assert.equal(confirm.status, 200);
    assert.match(confirm.body, /Logga ut från test-e-legitimationen\?/);
    const { action, fields } = formFields(confirm.body, 0);
    const done = await b.go(new URL(action, confirm.url).href, { form: { ...fields, logout: 'yes' } });
    assert.equal(done.url, `${norrby}/signed-out`);
    assert.equal(done.status, 200);
    assert.match(done.body, /Du är utloggad/);

    const after = await b.request(`${norrby}/my/profile`);
    assert.equal(after.status, 303);
    assert.equal(after.headers.location, '/sign-in?back=%2Fmy%2Fprofile');
    // The provider forgot the person too: signing in asks again.
    const login = await b.go(`${norrby}/sign-in?back=%2F`);
    assert.match(login.body, /name="person"/);
    // Every URL of the whole journey, redirects included: sign-in, callback, sign-out, provider.
    assert.ok(b.visited.some((u) => u.includes('/sign-in/callback')) && b.visited.some((u) => u.includes('/session/end')), b.visited.join('\n'));
    assert.deepEqual(b.visited.flatMap(personalNumbersIn), []);
  });

  test('a sign-out form without the CSRF token is refused', async () => {
    const b = app.browser();
    await signIn(b, norrby, 'Anna Andersson');
    const r = await b.request(`${norrby}/sign-out`, { form: { _csrf: 'forged' } });
    assert.equal(r.status, 419);
    assert.equal((await b.request(`${norrby}/my/profile`)).status, 200);
  });

  test('tenant B’s session cookie does not work on tenant A', async () => {
    const b = app.browser();
    const page = await signIn(b, sodera, 'Johan Ek');
    assert.equal(page.status, 200);
    assert.match(page.body, /Inloggad som Johan Ek/);
    assert.equal(await residentCount(app, 'sodera', '198708089837'), 1);
    const token = b.cookie('sodera.localhost', 'mb_sid')!;
    b.setCookie('norrby.localhost', 'mb_sid', token);
    const r = await b.request(`${norrby}/my/profile`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/sign-in?back=%2Fmy%2Fprofile');
    assert.equal(await residentCount(app, 'norrby', '198708089837'), 0);
  });

  test('the sign-in rate limit answers with the translated 429 page', async () => {
    const b = app.browser();
    let last;
    for (let i = 0; i < 21; i++) last = await b.request(`${norrby}/sign-in?back=%2F`);
    assert.equal(last!.status, 429);
    assert.match(last!.body, /För många försök/);
    // Another client address is not affected.
    assert.equal((await app.browser().request(`${norrby}/sign-in?back=%2F`)).status, 303);
  });

  test('the logs of all these sign-ins hold no personal identity number', () => {
    let logs = app.logs();
    assert.match(logs, /resident signed in with e-ID/);
    // Tokens would hide a number in base64: decode anything that looks like a JWT.
    for (const jwt of logs.match(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g) ?? []) logs += Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8');
    for (const p of loadDemoRegisterData()) {
      for (const pin of [p.personalNumber, ...p.children.map((c) => c.personalNumber)]) {
        for (const form of [pin, pin.slice(2), `${pin.slice(0, 8)}-${pin.slice(8)}`, `${pin.slice(2, 8)}-${pin.slice(8)}`]) {
          assert.ok(!logs.includes(form), `a personal identity number (${form.slice(0, 8)}…) is in the logs`);
        }
      }
    }
  });
});

describe('with an external e-ID provider (OIDC_* settings)', async () => {
  const idp = await startFakeIdp();
  const app = await listeningApp({ demo: false, env: { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, OIDC_ACR: LOA3 } });
  after(async () => {
    await app.close();
    await idp.close();
  });
  const norrby = app.origin(NORRBY);
  const SARA = '197911309842';

  test('a correctly signed ID token signs in (the control case) and acr_values is asked for', async () => {
    idp.behaviour = {};
    const r = await app.browser().go(`${norrby}/sign-in?back=%2Fmy%2Fprofile`);
    assert.equal(r.status, 200);
    assert.match(r.body, /Inloggad som Sara Lind/);
    assert.equal(idp.lastAuthorization?.get('acr_values'), LOA3);
    assert.equal(await residentCount(app, 'norrby', SARA), 1);
  });

  test('an ID token signed by another key is refused', async () => {
    idp.behaviour = { signWithOtherKey: true, personalNumber: '199007029813' };
    const r = await app.browser().go(`${norrby}/sign-in?back=%2Fmy%2Fprofile`);
    assert.equal(r.status, 400);
    assert.match(r.body, /Inloggningen misslyckades/);
    assert.equal(await residentCount(app, 'norrby', '199007029813'), 0);
    assert.match(app.logs(), /"detail":"[^\n]*signature[^\n]*"msg":"e-ID sign-in refused"/);
  });

  test('a sign-in that carries no identity number is refused, no account created', async () => {
    idp.behaviour = { omitPin: true };
    const before = await app.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM residents');
    const r = await app.browser().go(`${norrby}/sign-in?back=%2Fmy%2Fprofile`);
    assert.equal(r.status, 403);
    assert.match(r.body, /Inloggningen saknade personnummer/);
    const afterCount = await app.tdb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM residents');
    assert.equal(afterCount.rows[0]!.n, before.rows[0]!.n);
  });

  test('an identity number with a wrong check digit is refused', async () => {
    idp.behaviour = { personalNumber: '199007029814' };
    const r = await app.browser().go(`${norrby}/sign-in?back=%2F`);
    assert.equal(r.status, 403);
    assert.match(r.body, /Inloggningen saknade personnummer/);
  });

  test('a lower assurance level than OIDC_ACR demands is refused', async () => {
    idp.behaviour = { acr: 'http://id.elegnamnden.se/loa/1.0/loa2', personalNumber: '199205059885' };
    const r = await app.browser().go(`${norrby}/sign-in?back=%2F`);
    assert.equal(r.status, 403);
    assert.match(r.body, /E-legitimationen räcker inte för tjänsten/);
    assert.equal(await residentCount(app, 'norrby', '199205059885'), 0);
  });

  test('with demo off, the test provider is not mounted', async () => {
    const r = await fetch(`${app.base}/test-idp/.well-known/openid-configuration`);
    assert.equal(r.status, 404);
  });
});

describe('with demo off and no e-ID configured', async () => {
  const t = await createTestApp({ demo: false });
  after(() => t.close());

  test('/test-idp answers 404', async () => {
    for (const url of ['/test-idp/.well-known/openid-configuration', '/test-idp/jwks', '/test-idp/auth', '/test-idp/interaction/x']) {
      const r = await t.app.inject({ url, headers: { host: NORRBY } });
      assert.equal(r.statusCode, 404, url);
    }
  });

  test('sign-in explains that no e-ID is set up', async () => {
    const r = await t.app.inject({ url: '/sign-in?back=%2F', headers: { host: NORRBY } });
    assert.equal(r.statusCode, 503);
    assert.match(r.body, /Inloggning med e-legitimation finns inte här/);
  });
});
