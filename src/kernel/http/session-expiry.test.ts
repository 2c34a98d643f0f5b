/**
 * Sessions end after inactivity (SESSION_IDLE_MINUTES) and can be extended: the page tells the
 * script how long is really left (data-session-left) and, without the script, says the limit in
 * words; POST /session/extend pushes the end forward; a session left idle past its end is gone and
 * the resident signs in again.
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

const secondsLeftOf = (html: string) => Number(/data-session-left="(\d+)"/.exec(html)?.[1]);
const at_ = (seconds: number) => t.clock.set(new Date(Date.parse(START) + seconds * 1000));

test('a signed-in page states the idle limit for the script and, in a noscript notice, in words', async () => {
  at(0);
  const anna = await signInResident(t, NORRBY, ANNA);
  const page = await get(anna, '/my/cases');
  assert.equal(page.statusCode, 200);
  assert.equal(secondsLeftOf(page.body), 1200);
  assert.match(page.body, /<noscript><p class="mb-hint mb-session-notice">Du loggas ut efter 20 minuter utan aktivitet\./);
  // The warning the script shows, in the page's language, inert until the script uses it.
  assert.match(page.body, /<template id="mb-session-warning"[^>]* data-failed="Det gick inte att förlänga inloggningen, så du har loggats ut\./);
  assert.match(page.body, /<button type="button" class="ds-button" data-variant="primary" data-action="extend">Fortsätt vara inloggad<\/button>/);
  // …and its "Logga ut", which the script points at the page's own sign-out with the page's token.
  assert.match(page.body, / data-sign-out="\/sign-out"/);
  assert.match(page.body, /<form method="post" class="mb-inline-form" data-action="sign-out">.*>Logga ut<\/button><\/form><\/div><\/dialog><\/template>/);
  // Signed out, there is nothing to warn about.
  const anonymous = await t.app.inject({ url: '/services', headers: { host: NORRBY } });
  assert.doesNotMatch(anonymous.body, /data-session-left|mb-session-notice|mb-session-warning/);
});

test('the page gets the seconds really left: the end moves at most once a minute, so up to 59 s less than the limit', async () => {
  at_(0);
  const anna = await signInResident(t, NORRBY, ANNA);
  // Seen 30 s after sign-in: the end has not moved (it moves at most once a minute), 1170 s are left.
  at_(30);
  let page = await get(anna, '/my/cases');
  assert.equal(secondsLeftOf(page.body), 1200 - 30);
  at_(59);
  page = await get(anna, '/my/cases');
  assert.equal(secondsLeftOf(page.body), 1200 - 59, 'a minute less than the limit at most');
  // The noscript notice still states the limit (the whole minutes), not what is left of it.
  assert.match(page.body, /Du loggas ut efter 20 minuter utan aktivitet\./);
  // A minute after the last move the request moves the end: the whole limit again.
  at_(61);
  page = await get(anna, '/my/cases');
  assert.equal(secondsLeftOf(page.body), 1200);
  // And the session really does end when the page said: 1199 s later it answers, 1201 s later not.
  at_(61 + 1199);
  assert.equal((await get(anna, '/my/cases')).statusCode, 200);
  at_(61 + 1199 + 1201);
  assert.ok([302, 303].includes((await get(anna, '/my/cases')).statusCode));
});

test('in English the warning is in English', async () => {
  at(0);
  const erik = await signInResident(t, NORRBY, { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' }, 'en');
  const page = await get(erik, '/my/cases');
  assert.match(page.body, /<html lang="en"/);
  assert.match(page.body, /data-minutes="\{minutes\} minutes"/);
  assert.match(page.body, />Stay signed in<\/button>/);
  assert.match(page.body, /data-sign-in="\/sign-in\?back=%2Fmy%2Fcases"/);
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
  // What the script counts from (not the expiry time: the browser's clock may differ from the server's).
  assert.equal(JSON.parse(r.body).secondsLeft, 1200);
  // 37 minutes in is past the first end (20) but within the extended one (38).
  at(37);
  assert.equal((await get(anna, '/my/cases')).statusCode, 200);
  // Signing out ends it at once, whatever the clock says.
  const signedIn = (await get(anna, '/my/cases')).body;
  const out = await post(anna, '/sign-out', {}, signedIn);
  assert.equal(out.statusCode, 303);
  const again = await get(anna, '/my/cases');
  assert.ok([302, 303].includes(again.statusCode));
  // Extending a session that has ended is refused (no session, so no token matches: 419); any
  // refusal makes the script say that the user has been signed out.
  const late = await t.app.inject({ method: 'POST', url: '/session/extend', headers: { host: NORRBY, cookie: anna.jar.header(), accept: 'application/json', 'x-csrf-token': csrfOf(signedIn) } });
  assert.equal(late.statusCode, 419);
  assert.equal(JSON.parse(late.body).code, 'CSRF_INVALID');
});
