/**
 * Sessions end after inactivity (SESSION_IDLE_MINUTES) and can be extended: the page tells the
 * script when (data-session-idle) and, without the script, says it in words; POST /session/extend
 * pushes the end forward; a session left idle past its end is gone and the resident signs in again.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../../test/helpers/app.ts';
import { signInResident, ANNA } from '../../../test/helpers/sign-in.ts';
import { journey } from '../../../test/helpers/journey.ts';

const START = '2026-11-23T10:00:00Z';
const t = await createTestApp({ now: START, env: { SESSION_IDLE_MINUTES: '20' } });
after(() => t.close());
const { get, post } = journey(t);
const at = (minutes: number) => t.clock.set(new Date(Date.parse(START) + minutes * 60_000));
const csrfOf = (html: string) => /data-csrf="([^"]+)"/.exec(html)![1]!;

test('a signed-in page states the idle limit for the script and, in a noscript notice, in words', async () => {
  at(0);
  const anna = await signInResident(t, NORRBY, ANNA);
  const page = await get(anna, '/my/cases');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /data-session-idle="1200"/);
  assert.match(page.body, /<noscript><p class="mb-hint mb-session-notice">Du loggas ut efter 20 minuter utan aktivitet\./);
  // Signed out, there is nothing to warn about.
  const anonymous = await t.app.inject({ url: '/services', headers: { host: NORRBY } });
  assert.doesNotMatch(anonymous.body, /data-session-idle|mb-session-notice/);
});

test('idle past the limit: the session is gone and My cases asks for sign-in again', async () => {
  at(0);
  const anna = await signInResident(t, NORRBY, ANNA);
  assert.equal((await get(anna, '/my/cases')).statusCode, 200);
  at(19);
  assert.equal((await get(anna, '/my/cases')).statusCode, 200, 'within the limit');
  // 19 minutes in, that request pushed the end to 39; 40 is past it.
  at(40);
  const r = await get(anna, '/my/cases');
  assert.ok([302, 303].includes(r.statusCode), `expected a redirect to sign-in, got ${r.statusCode}`);
  assert.match(String(r.headers.location), /sign-in/);
});

test('POST /session/extend moves the end forward by the idle limit; without the form token it is refused', async () => {
  at(0);
  const anna = await signInResident(t, NORRBY, ANNA);
  const page = (await get(anna, '/my/cases')).body;
  at(18);
  const forged = await t.app.inject({ method: 'POST', url: '/session/extend', headers: { host: NORRBY, cookie: anna.jar.header(), 'x-csrf-token': 'forged' } });
  assert.notEqual(forged.statusCode, 200);
  const r = await t.app.inject({ method: 'POST', url: '/session/extend', headers: { host: NORRBY, cookie: anna.jar.header(), 'x-csrf-token': csrfOf(page) } });
  assert.equal(r.statusCode, 200);
  assert.equal(JSON.parse(r.body).expiresAt, new Date(Date.parse(START) + (18 + 20) * 60_000).toISOString());
  // 37 minutes in is past the first end (20) but within the extended one (38).
  at(37);
  assert.equal((await get(anna, '/my/cases')).statusCode, 200);
  // Signing out ends it at once, whatever the clock says.
  const signedIn = (await get(anna, '/my/cases')).body;
  const out = await post(anna, '/sign-out', {}, signedIn);
  assert.equal(out.statusCode, 303);
  const again = await get(anna, '/my/cases');
  assert.ok([302, 303].includes(again.statusCode));
});
