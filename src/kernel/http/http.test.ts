import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createTestApp, NORRBY, SODERA, CookieJar } from '../../../test/helpers/app.ts';
import { LANG_COOKIE, SESSION_COOKIE } from './index.ts';

const t = await createTestApp();
after(() => t.close());
const { app } = t;

test('/healthz answers 200 with JSON when the database answers', async () => {
  const r = await app.inject({ url: '/healthz', headers: { host: 'anything.example' } });
  assert.equal(r.statusCode, 200);
  assert.equal(r.json().status, 'ok');
});

test('the tenant comes from the host name', async () => {
  const a = await app.inject({ url: '/', headers: { host: NORRBY } });
  const b = await app.inject({ url: '/', headers: { host: `${SODERA}:3000` } });
  assert.match(a.body, /Norrby kommun/);
  assert.doesNotMatch(a.body, /Söderå/);
  assert.match(b.body, /Söderå kommun/);
  const none = await app.inject({ url: '/', headers: { host: 'elsewhere.example' } });
  assert.equal(none.statusCode, 404);
  assert.match(none.body, /Okänd kommun/);
});

test('Swedish by default, English by Accept-Language or the language switch', async () => {
  const sv = await app.inject({ url: '/', headers: { host: NORRBY } });
  assert.match(sv.body, /<html lang="sv"/);
  const en = await app.inject({ url: '/', headers: { host: NORRBY, 'accept-language': 'en-GB,en;q=0.9' } });
  assert.match(en.body, /<html lang="en"/);
  const sw = await app.inject({ url: '/language?to=en&back=/privacy', headers: { host: NORRBY } });
  assert.equal(sw.statusCode, 303);
  assert.equal(sw.headers.location, '/privacy');
  const jar = new CookieJar();
  jar.store(sw.headers['set-cookie']);
  const after = await app.inject({ url: '/privacy', headers: { host: NORRBY, cookie: jar.header() } });
  assert.match(after.body, /<html lang="en"/);
  assert.match(after.body, /How we handle personal data/);
});

test('the language switch does not redirect off the site', async () => {
  for (const back of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
    const r = await app.inject({ url: `/language?to=sv&back=${encodeURIComponent(back)}`, headers: { host: NORRBY } });
    assert.equal(r.headers.location, '/');
  }
});

test('security headers: CSP without unsafe-inline script, no framing, nosniff', async () => {
  const r = await app.inject({ url: '/', headers: { host: NORRBY } });
  const csp = String(r.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['strict-transport-security'], undefined, 'no HSTS without TLS');
});

test('with an https BASE_URL: HSTS, upgrade-insecure-requests and Secure cookies', async () => {
  // As behind a proxy that terminates TLS: the app itself is reached over plain HTTP (inject).
  const tls = await createTestApp({ env: { BASE_URL: 'https://e.norrby.example' } });
  try {
    const home = await tls.app.inject({ url: '/', headers: { host: NORRBY } });
    assert.equal(home.headers['strict-transport-security'], 'max-age=31536000; includeSubDomains');
    assert.match(String(home.headers['content-security-policy']), /upgrade-insecure-requests/);
    const signIn = await tls.app.inject({ url: '/staff/sign-in', headers: { host: NORRBY } });
    assert.equal(signIn.statusCode, 200);
    const lang = await tls.app.inject({ url: '/language?to=en&back=/', headers: { host: NORRBY } });
    const cookies = [signIn.headers['set-cookie'] ?? [], lang.headers['set-cookie'] ?? []].flat();
    for (const name of [SESSION_COOKIE, LANG_COOKIE]) {
      const cookie = cookies.find((c) => c.startsWith(`${name}=`));
      assert.ok(cookie, `${name} is set: ${cookies.join(' | ')}`);
      const attributes = cookie.split(';').map((a) => a.trim().toLowerCase());
      assert.ok(attributes.includes('secure'), `${name} is Secure: ${cookie}`);
      assert.ok(attributes.includes('httponly'), `${name} is HttpOnly: ${cookie}`);
    }
  } finally {
    await tls.close();
  }
  // And without TLS (the app above): the same cookie is not Secure, or a browser would drop it.
  const plain = await app.inject({ url: '/staff/sign-in', headers: { host: NORRBY } });
  const sid = [plain.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  assert.ok(sid);
  assert.doesNotMatch(sid, /;\s*secure/i);
});

test('translated 404 page without a stack trace', async () => {
  const sv = await app.inject({ url: '/no/such/page', headers: { host: NORRBY } });
  assert.equal(sv.statusCode, 404);
  assert.match(sv.body, /Sidan kunde inte hittas/);
  const en = await app.inject({ url: '/no/such/page', headers: { host: NORRBY, 'accept-language': 'en' } });
  assert.match(en.body, /Page not found/);
  assert.doesNotMatch(en.body, /at .*\.ts:\d+/);
});

test('a POST without a valid CSRF token gets the translated expired-form page', async () => {
  const r = await app.inject({ method: 'POST', url: '/session/extend', headers: { host: NORRBY }, payload: { _csrf: 'forged' } });
  assert.equal(r.statusCode, 419);
  assert.match(r.body, /Formuläret har gått ut/);
});

test('accessibility statement and privacy notice per tenant, in both languages', async () => {
  for (const host of [NORRBY, SODERA]) {
    for (const lang of ['sv', 'en']) {
      for (const url of ['/accessibility', '/privacy', '/contact']) {
        const r = await app.inject({ url, headers: { host, 'accept-language': lang } });
        assert.equal(r.statusCode, 200, `${host} ${url} ${lang}`);
        assert.match(r.body, new RegExp(`<html lang="${lang}"`));
      }
    }
  }
  const p = await app.inject({ url: '/privacy', headers: { host: SODERA } });
  assert.match(p.body, /Söderå kommun är personuppgiftsansvarig/);
  assert.match(p.body, /nödvändiga kakor/);
});

test('assets are served with a content hash and long cache', async () => {
  const home = await app.inject({ url: '/', headers: { host: NORRBY } });
  const css = home.body.match(/href="(\/assets\/medborg\.[0-9a-f]+\.css)"/)![1]!;
  const r = await app.inject({ url: css, headers: { host: NORRBY } });
  assert.equal(r.statusCode, 200);
  assert.match(String(r.headers['cache-control']), /immutable/);
  assert.match(r.body, /\.ds-button/);
});

test("what Node's parser refuses before any route (an address of 100 KB, bytes that are not HTTP) is answered with a page in both languages, not JSON", async () => {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const port = new URL(address).port;
  const raw = (request: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(request));
      let answer = '';
      socket.on('data', (d) => (answer += d.toString('utf8')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
  const long = await raw(`GET /services/boka-idrottshall/book?q=${'x'.repeat(100_000)} HTTP/1.1\r\nHost: ${NORRBY}\r\n\r\n`);
  assert.match(long, /^HTTP\/1\.1 431 /);
  assert.match(long, /Content-Type: text\/html; charset=utf-8/);
  assert.match(long, /<h1>Adressen är för lång<\/h1>/);
  assert.match(long, /<section lang="en"><h1>The address is too long<\/h1>/);
  assert.doesNotMatch(long, /"statusCode"/);
  const garbage = await raw('\x16\x03\x01 not http at all\r\n\r\n');
  assert.match(garbage, /^HTTP\/1\.1 400 /);
  assert.match(garbage, /Begäran kunde inte tolkas/);
});
