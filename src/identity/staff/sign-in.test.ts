import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, NORRBY, SODERA } from '../../../test/helpers/app.ts';
import { tenantScope } from '../../kernel/db/index.ts';
import { MAX_FAILED_ATTEMPTS } from './authentication.ts';
import { totpCode } from './index.ts';
import { StaffSecrets } from './secrets.ts';
import { SIGN_IN_LIMITS } from './sign-in-routes.tsx';
import { Browser, makeStaff, nextStep, PASSWORD, SECRET, wrongCode, type Form } from './test-support.ts';

const t = await createTestApp();
after(() => t.close());
const db = t.tdb.db;

async function sessionsOf(subjectId: string): Promise<{ kind: string; data: Record<string, unknown> }[]> {
  const { rows } = await db.query<{ kind: string; data: Record<string, unknown> }>('SELECT kind, data FROM sessions WHERE subject_id = $1', [subjectId]);
  return rows;
}

test(`full sign-in with password and TOTP rotates the session at each step (${t.tdb.dialect})`, async () => {
  const { account } = await makeStaff(t, 'anna', { roles: ['handler', 'admin'], departments: ['education', 'city-services'] });
  const b = new Browser(t);
  const page = await b.get('/staff/sign-in');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Logga in som medarbetare/);
  const anonymous = b.session;
  assert.ok(anonymous, 'an anonymous session carries the CSRF token');

  const step1 = await b.submit('/staff/sign-in', { username: ' Anna ', password: PASSWORD });
  assert.equal(step1.statusCode, 303);
  assert.equal(step1.headers.location, '/staff/sign-in/code');
  const pending = b.session;
  assert.ok(pending && pending !== anonymous, 'the token changes after the password');
  assert.deepEqual((await sessionsOf(account.id)).map((s) => s.kind), ['staff_pending']);

  const step2 = await b.submit('/staff/sign-in/code', { code: totpCode(SECRET, t.clock.now()) });
  assert.equal(step2.statusCode, 303);
  assert.equal(step2.headers.location, '/staff');
  assert.ok(b.session && b.session !== pending, 'the token changes again after the second factor');
  const sessions = await sessionsOf(account.id);
  assert.deepEqual(sessions.map((s) => s.kind), ['staff'], 'the pending session is gone');
  assert.equal(sessions[0]!.data.displayName, account.displayName);

  const home = await b.get('/staff');
  assert.equal(home.statusCode, 200);
  assert.match(home.body, new RegExp(`Välkommen, ${account.displayName}`));
  assert.match(home.body, /Inloggad som/);
  assert.match(home.body, /Handläggare/);
  assert.match(home.body, /Administratör/);
  assert.match(home.body, /Utbildningsförvaltningen, Stadsmiljöförvaltningen/);
  assert.match(home.body, /href="\/staff\/admin\/accounts"/);

  // Signing out ends the session; /staff then sends you to sign-in.
  const out = await b.submit('/staff', {}, '/staff/sign-out');
  assert.equal(out.statusCode, 303);
  assert.equal(out.headers.location, '/staff/sign-in?signed-out=1');
  assert.deepEqual(await sessionsOf(account.id), []);
  const again = await b.get('/staff');
  assert.equal(again.statusCode, 303);
  assert.match(String(again.headers.location), /^\/staff\/sign-in\?back=%2Fstaff$/);
  assert.match((await b.get('/staff/sign-in?signed-out=1')).body, /Du är utloggad/);
});

test('signing out after the session has expired lands on the signed-out page, not on "the form has expired"', async () => {
  await makeStaff(t, 'idle-ida');
  nextStep(t);
  const b = new Browser(t);
  await b.signIn('idle-ida');
  const page = await b.get('/staff');
  assert.equal(page.statusCode, 200);
  // The member leaves the page open past the idle timeout, then presses "Sign out".
  t.clock.set(new Date(t.clock.now().getTime() + (t.config.sessionIdleMinutes + 1) * 60_000));
  const out = await b.post('/staff/sign-out', { _csrf: csrfFrom(page.body) });
  assert.equal(out.statusCode, 303);
  assert.equal(out.headers.location, '/staff/sign-in?signed-out=1');
  assert.doesNotMatch(out.body, /Formuläret har gått ut/);
  assert.match((await b.get('/staff/sign-in?signed-out=1')).body, /Du är utloggad/);
  // With no session at all (cookie gone too): the same.
  const stranger = await new Browser(t).post('/staff/sign-out', {});
  assert.equal(stranger.statusCode, 303);
  assert.equal(stranger.headers.location, '/staff/sign-in?signed-out=1');
});

test('a live staff session is not signed out by a request without its CSRF token', async () => {
  const { account } = await makeStaff(t, 'live-lena');
  nextStep(t);
  const b = new Browser(t);
  await b.signIn('live-lena');
  for (const form of [{}, { _csrf: 'forged-token' }] as Form[]) {
    const r = await b.post('/staff/sign-out', form);
    assert.equal(r.statusCode, 419);
    assert.match(r.body, /Formuläret har gått ut/);
  }
  assert.deepEqual((await sessionsOf(account.id)).map((s) => s.kind), ['staff']);
  assert.equal((await b.get('/staff')).statusCode, 200, 'still signed in');
  const out = await b.submit('/staff', {}, '/staff/sign-out');
  assert.equal(out.headers.location, '/staff/sign-in?signed-out=1');
  assert.deepEqual(await sessionsOf(account.id), []);
});

test('sign-in returns to the page that asked for it', async () => {
  await makeStaff(t, 'backer', { roles: ['admin'] });
  nextStep(t);
  const b = new Browser(t);
  const r = await b.get('/staff/admin/accounts');
  assert.equal(r.statusCode, 303);
  const signInUrl = String(r.headers.location);
  assert.equal(signInUrl, '/staff/sign-in?back=%2Fstaff%2Fadmin%2Faccounts');
  const page = await b.get(signInUrl);
  assert.match(page.body, /<input type="hidden" name="back" value="\/staff\/admin\/accounts"\/>/);
  // The page carries "back" in a hidden field, as a browser would send it.
  await b.submit(signInUrl, { username: 'backer', password: PASSWORD, back: '/staff/admin/accounts' }, '/staff/sign-in');
  const done = await b.submit('/staff/sign-in/code', { code: totpCode(SECRET, t.clock.now()) });
  assert.equal(done.headers.location, '/staff/admin/accounts');
  // An off-site "back" is ignored.
  const evil = await b.get('/staff/sign-in?back=//evil.example/');
  assert.equal(evil.headers.location, '/staff');
});

test('first sign-in enrols TOTP: QR code and key, confirmation, ten recovery codes once', async () => {
  nextStep(t);
  const { account } = await makeStaff(t, 'bertil', { totp: false });
  const b = new Browser(t);
  const step1 = await b.submit('/staff/sign-in', { username: 'bertil', password: PASSWORD });
  assert.equal(step1.headers.location, '/staff/sign-in/enrol');
  assert.equal((await b.get('/staff/sign-in/code')).headers.location, '/staff/sign-in/enrol');

  const page = await b.get('/staff/sign-in/enrol');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Aktivera tvåstegsverifiering/);
  assert.match(page.body, /<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" width="240" height="240" alt="QR-kod som lägger till kontot bertil/);
  const secret = page.body.match(/data-testid="totp-secret">([A-Z2-7 ]+)</)![1]!.replace(/ /g, '');
  assert.equal(secret.length, 32);
  const reload = await b.get('/staff/sign-in/enrol');
  assert.match(reload.body, new RegExp(secret.replace(/(.{4})(?=.)/g, '$1 ')), 'a reload shows the same key');

  const wrongCode = totpCode(secret, new Date(t.clock.now().getTime() + 10 * 60_000));
  const wrong = await b.submit('/staff/sign-in/enrol', { code: wrongCode });
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.body, /Koden stämmer inte/);
  assert.match(wrong.body, /href="#code"/);
  const malformed = await b.submit('/staff/sign-in/enrol', { code: '12ab' });
  assert.equal(malformed.statusCode, 400);
  assert.match(malformed.body, /Koden ska vara sex siffror/);

  const ok = await b.submit('/staff/sign-in/enrol', { code: totpCode(secret, t.clock.now()) });
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /Spara dina återställningskoder/);
  const codes = [...ok.body.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  assert.match(ok.body, /href="\/staff"/);
  assert.equal((await b.get('/staff')).statusCode, 200, 'signed in after enrolment');

  const { rows } = await db.query<{ totp_enrolled_at: Date | null; totp_secret: string; n: number }>(
    `SELECT totp_enrolled_at, totp_secret, (SELECT count(*)::int FROM staff_recovery_codes r WHERE r.staff_id = a.id) AS n
       FROM staff_accounts a WHERE id = $1`,
    [account.id],
  );
  assert.ok(rows[0]!.totp_enrolled_at);
  assert.equal(rows[0]!.n, 10);
  assert.ok(!rows[0]!.totp_secret.includes(secret));

  // Next time: the code page, and the enrolment page is closed.
  await b.submit('/staff', {}, '/staff/sign-out');
  nextStep(t);
  const next = await b.submit('/staff/sign-in', { username: 'bertil', password: PASSWORD });
  assert.equal(next.headers.location, '/staff/sign-in/code');
  assert.equal((await b.get('/staff/sign-in/enrol')).headers.location, '/staff/sign-in/code');
  const done = await b.submit('/staff/sign-in/code', { code: totpCode(secret, t.clock.now()) });
  assert.equal(done.headers.location, '/staff');
  // One of the codes shown at enrolment works.
  await b.submit('/staff', {}, '/staff/sign-out');
  await b.submit('/staff/sign-in', { username: 'bertil', password: PASSWORD });
  const rec = await b.submit('/staff/sign-in/recovery', { recoveryCode: codes[3]!.toUpperCase() });
  assert.equal(rec.headers.location, '/staff');
});

test('a recovery code works once only', async () => {
  const { recoveryCodes, account } = await makeStaff(t, 'cecilia');
  assert.equal(recoveryCodes.length, 10);
  const b = new Browser(t);
  await b.submit('/staff/sign-in', { username: 'cecilia', password: PASSWORD });
  const page = await b.get('/staff/sign-in/code');
  assert.match(page.body, /href="\/staff\/sign-in\/recovery"/);
  const ok = await b.submit('/staff/sign-in/recovery', { recoveryCode: ` ${recoveryCodes[0]!.replace('-', ' ')} ` });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/staff');
  const home = await b.get('/staff');
  assert.match(home.body, /Återställningskoder kvar<\/dt><dd>9</);

  await b.submit('/staff', {}, '/staff/sign-out');
  await b.submit('/staff/sign-in', { username: 'cecilia', password: PASSWORD });
  const reused = await b.submit('/staff/sign-in/recovery', { recoveryCode: recoveryCodes[0]! });
  assert.equal(reused.statusCode, 401);
  assert.match(reused.body, /Återställningskoden stämmer inte eller har redan använts/);
  const empty = await b.submit('/staff/sign-in/recovery', { recoveryCode: '' });
  assert.match(empty.body, /Skriv en återställningskod/);
  const other = await b.submit('/staff/sign-in/recovery', { recoveryCode: recoveryCodes[1]! });
  assert.equal(other.headers.location, '/staff');

  const { rows } = await db.query<{ action: string; details: { left: number } }>(
    `SELECT action, details FROM staff_account_events WHERE staff_id = $1 AND action = 'recovery_code_used' ORDER BY created_at, id`,
    [account.id],
  );
  assert.equal(rows.length, 2);
});

test('wrong password, unknown user and wrong code get translated errors that do not say which part was wrong', async () => {
  await makeStaff(t, 'david');
  const b = new Browser(t, NORRBY, '10.1.0.1');
  const wrong = await b.submit('/staff/sign-in', { username: 'david', password: 'not the password at all' });
  const unknown = await b.submit('/staff/sign-in', { username: 'nobody-here', password: PASSWORD });
  for (const r of [wrong, unknown]) {
    assert.equal(r.statusCode, 401);
    assert.match(r.body, /Användarnamnet eller lösenordet stämmer inte, eller så är kontot tillfälligt spärrat/);
    assert.match(r.body, /href="#username"/);
    assert.doesNotMatch(r.body, /not the password at all/, 'the password is never echoed');
  }
  const summary = (html: string) => html.match(/<div class="ds-error-summary"[\s\S]*?<\/div>/)![0];
  assert.equal(summary(wrong.body), summary(unknown.body));
  assert.match(unknown.body, /value="nobody-here"/, 'the username is kept');

  const en = new Browser(t, NORRBY, '10.1.0.2', 'en');
  const enWrong = await en.submit('/staff/sign-in', { username: 'david', password: 'wrong wrong wrong' });
  assert.match(enWrong.body, /The username or password is not right/);
  const enEmpty = await en.submit('/staff/sign-in', { username: '', password: '' });
  assert.equal(enEmpty.statusCode, 400);
  assert.match(enEmpty.body, /Enter your username/);
  assert.match(enEmpty.body, /Enter your password/);

  await b.submit('/staff/sign-in', { username: 'david', password: PASSWORD });
  const badCode = totpCode(SECRET, new Date(t.clock.now().getTime() + 5 * 60_000));
  const wrongCode = await b.submit('/staff/sign-in/code', { code: badCode });
  assert.equal(wrongCode.statusCode, 401);
  assert.match(wrongCode.body, /Koden stämmer inte/);
  const letters = await b.submit('/staff/sign-in/code', { code: 'abcdef' });
  assert.match(letters.body, /Koden ska vara sex siffror/);
  const none = await b.submit('/staff/sign-in/code', { code: '' });
  assert.match(none.body, /Skriv koden från appen/);
});

test('a TOTP code is accepted once: reusing it is refused', async () => {
  nextStep(t);
  await makeStaff(t, 'erik');
  const code = totpCode(SECRET, t.clock.now());
  const b = new Browser(t);
  assert.equal(await b.signIn('erik'), '/staff');
  await b.submit('/staff', {}, '/staff/sign-out');
  await b.submit('/staff/sign-in', { username: 'erik', password: PASSWORD });
  const reused = await b.submit('/staff/sign-in/code', { code });
  assert.equal(reused.statusCode, 401);
  assert.match(reused.body, /Koden har redan använts/);
  // The previous step's code (inside the ±1 window) is refused too: it is older than the used one.
  const older = totpCode(SECRET, new Date(t.clock.now().getTime() - 30_000));
  assert.match((await b.submit('/staff/sign-in/code', { code: older })).body, /Koden har redan använts/);
  // The next step's code works.
  nextStep(t);
  const fresh = await b.submit('/staff/sign-in/code', { code: totpCode(SECRET, t.clock.now()) });
  assert.equal(fresh.headers.location, '/staff');
});

test('codes from one step either side are accepted (clock drift)', async () => {
  nextStep(t);
  await makeStaff(t, 'drift');
  const b = new Browser(t);
  await b.submit('/staff/sign-in', { username: 'drift', password: PASSWORD });
  const tooOld = totpCode(SECRET, new Date(t.clock.now().getTime() - 90_000));
  assert.equal((await b.submit('/staff/sign-in/code', { code: tooOld })).statusCode, 401);
  const late = totpCode(SECRET, new Date(t.clock.now().getTime() - 30_000));
  assert.equal((await b.submit('/staff/sign-in/code', { code: late })).headers.location, '/staff');
});

test('too many attempts per username give the translated 429 page', async () => {
  await makeStaff(t, 'fredrik');
  const b = new Browser(t, NORRBY, '10.2.0.1');
  for (let i = 0; i < 10; i++) {
    const r = await b.submit('/staff/sign-in', { username: 'fredrik', password: `wrong password ${i}` });
    assert.equal(r.statusCode, 401, `attempt ${i + 1}`);
  }
  const limited = await b.submit('/staff/sign-in', { username: 'FREDRIK', password: PASSWORD });
  assert.equal(limited.statusCode, 429);
  assert.match(limited.body, /För många försök/);
  assert.ok(Number(limited.headers['retry-after']) > 0);
  const en = new Browser(t, NORRBY, '10.2.0.2', 'en');
  const enLimited = await en.submit('/staff/sign-in', { username: 'fredrik', password: PASSWORD });
  assert.equal(enLimited.statusCode, 429, 'the limit follows the username to another IP');
  assert.match(enLimited.body, /Too many attempts/);
  // Another username from the first IP is not limited.
  await makeStaff(t, 'fredrika');
  nextStep(t);
  assert.equal(await b.signIn('fredrika'), '/staff');
});

test('too many attempts from one IP give the translated 429 page', async () => {
  const b = new Browser(t, NORRBY, '10.3.0.1');
  let status = 0;
  let i = 0;
  for (; i < 70 && status !== 429; i++) {
    const r = await b.submit('/staff/sign-in', { username: `spray-${i}`, password: 'Summer2026!!' });
    status = r.statusCode;
    if (status === 429) assert.match(r.body, /För många försök/);
  }
  assert.equal(status, 429);
  assert.equal(i, 61, 'the 61st attempt in the window is refused');
});

test('ten wrong codes lock the account; the lock holds for the right password too', async () => {
  const { account } = await makeStaff(t, 'gustav');
  const b = new Browser(t, NORRBY, '10.4.0.1');
  await b.submit('/staff/sign-in', { username: 'gustav', password: PASSWORD });
  for (let i = 0; i < 10; i++) {
    const code = String((Number(totpCode(SECRET, t.clock.now())) + 1 + i) % 1_000_000).padStart(6, '0');
    const r = await b.submit('/staff/sign-in/code', { code });
    assert.equal(r.statusCode, 401, `attempt ${i + 1}`);
  }
  const locked = await b.get('/staff/sign-in/code');
  assert.equal(locked.headers.location, '/staff/sign-in?locked=1');
  assert.deepEqual(await sessionsOf(account.id), []);
  assert.match((await b.get('/staff/sign-in?locked=1')).body, /Kontot är spärrat i 15 minuter/);
  const retry = await b.submit('/staff/sign-in', { username: 'gustav', password: PASSWORD });
  assert.equal(retry.statusCode, 401);
  assert.match(retry.body, /tillfälligt spärrat/);
  const { rows } = await db.query<{ action: string }>(`SELECT action FROM staff_account_events WHERE staff_id = $1 AND action = 'locked'`, [account.id]);
  assert.equal(rows.length, 1);
  // After the lock time, the account works again.
  t.clock.set(new Date(t.clock.now().getTime() + 16 * 60_000));
  const b2 = new Browser(t, NORRBY, '10.4.0.2');
  assert.equal(await b2.signIn('gustav'), '/staff');
});

async function lockOf(id: string): Promise<{ failed_attempts: number; locked_until: Date | null; lock_events: number }> {
  const { rows } = await db.query<{ failed_attempts: number; locked_until: Date | null; lock_events: number }>(
    `SELECT failed_attempts, locked_until,
       (SELECT count(*)::int FROM staff_account_events e WHERE e.staff_id = a.id AND e.action = 'locked') AS lock_events
     FROM staff_accounts a WHERE id = $1`,
    [id],
  );
  return rows[0]!;
}

// The two tests below send their attempts all at once. On PostgreSQL they run on several
// connections in parallel, which is where a limit read in one statement and counted in another
// lets every attempt through; PGlite runs one statement at a time, and they pass there too.
test(`60 wrong codes at once for one pending sign-in: ten are checked, the rest find the account locked (${t.tdb.dialect})`, async () => {
  nextStep(t);
  const { account } = await makeStaff(t, 'olof');
  const b = new Browser(t, NORRBY, '10.5.0.1');
  await b.submit('/staff/sign-in', { username: 'olof', password: PASSWORD });
  const csrf = csrfFrom((await b.get('/staff/sign-in/code')).body);
  const responses = await Promise.all(Array.from({ length: 60 }, (_, i) => b.post('/staff/sign-in/code', { _csrf: csrf, code: wrongCode(t.clock.now(), i) })));
  const wrong = responses.filter((r) => r.statusCode === 401 && /Koden stämmer inte/.test(r.body)).length;
  const locked = responses.filter((r) => r.statusCode === 303 && r.headers.location === '/staff/sign-in?locked=1').length;
  // A request read after a locked answer ended the session finds no session: "the form has expired".
  const expired = responses.filter((r) => r.statusCode === 419).length;
  assert.equal(wrong, MAX_FAILED_ATTEMPTS, 'codes checked');
  assert.equal(locked + expired, 60 - MAX_FAILED_ATTEMPTS, 'codes refused unchecked');
  const lock = await lockOf(account.id);
  assert.equal(lock.lock_events, 1, 'one lock');
  assert.equal(lock.locked_until?.getTime(), t.clock.now().getTime() + 15 * 60_000);
  assert.deepEqual(await sessionsOf(account.id), []);
});

test(`30 wrong passwords at once for one username: the per-username limit of them are checked, the rest get 429 (${t.tdb.dialect})`, async () => {
  await makeStaff(t, 'petra');
  const b = new Browser(t, NORRBY, '10.6.0.1');
  const csrf = csrfFrom((await b.get('/staff/sign-in')).body);
  const responses = await Promise.all(
    Array.from({ length: 30 }, (_, i) => b.post('/staff/sign-in', { _csrf: csrf, username: i % 2 ? 'petra' : ' PETRA', password: `wrong password ${i}` })),
  );
  const checked = responses.filter((r) => r.statusCode === 401 && /Användarnamnet eller lösenordet stämmer inte/.test(r.body)).length;
  const limited = responses.filter((r) => r.statusCode === 429 && /För många försök/.test(r.body) && Number(r.headers['retry-after']) > 0).length;
  assert.equal(checked, SIGN_IN_LIMITS.perUsername.max, 'passwords checked');
  assert.equal(limited, 30 - SIGN_IN_LIMITS.perUsername.max, 'passwords refused unchecked');
  // The right password now waits for the window too.
  assert.equal((await b.submit('/staff/sign-in', { username: 'petra', password: PASSWORD })).statusCode, 429);
});

test('a right code as the tenth attempt still signs in and clears the count; a right password does not use up the per-username limit', async () => {
  nextStep(t);
  const { account } = await makeStaff(t, 'rut');
  const b = new Browser(t, NORRBY, '10.7.0.1');
  for (let i = 0; i < SIGN_IN_LIMITS.perUsername.max - 1; i++) {
    assert.equal((await b.submit('/staff/sign-in', { username: 'rut', password: `wrong password ${i}` })).statusCode, 401);
  }
  assert.equal((await b.submit('/staff/sign-in', { username: 'rut', password: PASSWORD })).headers.location, '/staff/sign-in/code');
  // Nine failed passwords counted toward the lock; the right password did not.
  assert.equal((await lockOf(account.id)).failed_attempts, MAX_FAILED_ATTEMPTS - 1);
  const done = await b.submit('/staff/sign-in/code', { code: totpCode(SECRET, t.clock.now()) });
  assert.equal(done.headers.location, '/staff');
  assert.deepEqual(await lockOf(account.id), { failed_attempts: 0, locked_until: null, lock_events: 0 });
  // The right password was given back to the per-username limit: one more try is allowed.
  await b.submit('/staff', {}, '/staff/sign-out');
  assert.equal((await b.submit('/staff/sign-in', { username: 'rut', password: 'one more wrong one' })).statusCode, 401);
  assert.equal((await b.submit('/staff/sign-in', { username: 'rut', password: 'and another' })).statusCode, 429);
});

test('a disabled account cannot sign in, and its open session ends at once', async () => {
  nextStep(t);
  const { account } = await makeStaff(t, 'helena');
  await makeStaff(t, 'boss', { roles: ['admin'] });
  const user = new Browser(t);
  assert.equal(await user.signIn('helena'), '/staff');
  assert.equal((await user.get('/staff')).statusCode, 200);

  const admin = new Browser(t);
  await admin.signIn('boss');
  const r = await admin.submit(`/staff/admin/accounts/${account.id}`, {}, `/staff/admin/accounts/${account.id}/disable`);
  assert.equal(r.statusCode, 303);
  assert.deepEqual(await sessionsOf(account.id), []);

  const after = await user.get('/staff');
  assert.equal(after.statusCode, 303);
  assert.match(String(after.headers.location), /^\/staff\/sign-in/);
  nextStep(t);
  const again = await user.submit('/staff/sign-in', { username: 'helena', password: PASSWORD });
  assert.equal(again.statusCode, 401);
  assert.match(again.body, /Kontot är avstängt/);
  // A wrong password on a disabled account says nothing about it being disabled.
  const guess = await user.submit('/staff/sign-in', { username: 'helena', password: 'some other password' });
  assert.doesNotMatch(guess.body, /avstängt/);
});

test('a pending sign-in of an account disabled meanwhile goes back to the start', async () => {
  const { account } = await makeStaff(t, 'ingrid');
  const b = new Browser(t);
  await b.submit('/staff/sign-in', { username: 'ingrid', password: PASSWORD });
  await db.query(`UPDATE staff_accounts SET disabled_at = now() WHERE id = $1`, [account.id]);
  const r = await b.get('/staff/sign-in/code');
  assert.equal(r.headers.location, '/staff/sign-in');
});

test("staff of one municipality cannot sign in on another's host", async () => {
  nextStep(t);
  await makeStaff(t, 'johan', { tenant: 'norrby' });
  const sodera = new Browser(t, SODERA);
  const r = await sodera.submit('/staff/sign-in', { username: 'johan', password: PASSWORD });
  assert.equal(r.statusCode, 401);
  assert.match(r.body, /Användarnamnet eller lösenordet stämmer inte/);
  // Nor does a Norrby session cookie open Södera's staff pages.
  const norrby = new Browser(t, NORRBY);
  await norrby.signIn('johan');
  const cookie = norrby.jar.header();
  const cross = await t.app.inject({ url: '/staff', headers: { host: SODERA, cookie } });
  assert.equal(cross.statusCode, 303);
  // The same username may exist in both municipalities, each with its own password.
  await makeStaff(t, 'johan', { tenant: 'sodera' });
  assert.equal(await new Browser(t, SODERA).signIn('johan'), '/staff');
});

test('staff pages: anonymous and resident visitors are sent to staff sign-in, a handler gets 403 on admin pages', async () => {
  const anon = await t.app.inject({ url: '/staff/admin/accounts', headers: { host: NORRBY } });
  assert.equal(anon.statusCode, 303);
  assert.match(String(anon.headers.location), /^\/staff\/sign-in\?back=/);

  const { token } = await t.app.sessions.store.create(
    tenantScope(db, 'norrby'),
    { kind: 'resident', subjectId: '01900000-0000-7000-8000-000000000001', locale: 'sv', data: { displayName: 'Resident' } },
    t.clock.now(),
  );
  for (const url of ['/staff', '/staff/admin/accounts', '/staff/admin/accounts/new', '/staff/password']) {
    const r = await t.app.inject({ url, headers: { host: NORRBY, cookie: `mb_sid=${token}` } });
    assert.equal(r.statusCode, 303, url);
    assert.match(String(r.headers.location), /^\/staff\/sign-in/);
  }

  nextStep(t);
  await makeStaff(t, 'karin', { roles: ['handler'] });
  const handler = new Browser(t);
  await handler.signIn('karin');
  for (const url of ['/staff/admin/accounts', '/staff/admin/accounts/new']) {
    const r = await handler.get(url);
    assert.equal(r.statusCode, 403, url);
    assert.match(r.body, /Du har inte behörighet till sidan/);
  }
  const post = await handler.submit('/staff', { username: 'x' }, '/staff/admin/accounts');
  assert.equal(post.statusCode, 403);
  assert.doesNotMatch((await handler.get('/staff')).body, /href="\/staff\/admin\/accounts"/);
});

test('the password is stored as argon2id and the TOTP secret is encrypted, bound to its account', async () => {
  const { account } = await makeStaff(t, 'lars');
  const { rows } = await db.query<{ password_hash: string; totp_secret: string }>('SELECT password_hash, totp_secret FROM staff_accounts WHERE id = $1', [
    account.id,
  ]);
  const row = rows[0]!;
  assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
  assert.ok(!row.password_hash.includes(PASSWORD));
  assert.ok(!row.totp_secret.includes(SECRET));
  assert.ok(!row.totp_secret.toUpperCase().includes(SECRET.slice(0, 8)));
  assert.ok(!row.totp_secret.includes(Buffer.from(SECRET).toString('base64url').slice(0, 12)));
  assert.match(row.totp_secret, /^v1\./);
  const secrets = new StaffSecrets(t.config.sessionSecret);
  assert.equal(secrets.decryptTotpSecret('norrby', account.id, row.totp_secret), SECRET);
  // Copied to another account or tenant, or read under another key, it does not decrypt.
  assert.throws(() => secrets.decryptTotpSecret('norrby', '01900000-0000-7000-8000-000000000002', row.totp_secret));
  assert.throws(() => secrets.decryptTotpSecret('sodera', account.id, row.totp_secret));
  assert.throws(() => new StaffSecrets('x'.repeat(40)).decryptTotpSecret('norrby', account.id, row.totp_secret));
  const codes = await db.query<{ code_hash: string }>('SELECT code_hash FROM staff_recovery_codes WHERE staff_id = $1', [account.id]);
  assert.equal(codes.rows.length, 10);
  for (const c of codes.rows) assert.match(c.code_hash, /^[0-9a-f]{64}$/);
});

test('a password chosen by an administrator must be changed at sign-in; the change ends other sessions', async () => {
  nextStep(t);
  const { account } = await makeStaff(t, 'maja', { mustChangePassword: true });
  const other = new Browser(t);
  const b = new Browser(t);
  assert.equal(await b.signIn('maja'), '/staff/password');
  nextStep(t);
  await other.signIn('maja');
  assert.equal((await b.get('/staff')).headers.location, '/staff/password');
  const page = await b.get('/staff/password');
  assert.match(page.body, /Ditt lösenord valdes av en administratör/);

  const short = await b.submit('/staff/password', { currentPassword: PASSWORD, newPassword: 'short', confirmPassword: 'short' });
  assert.equal(short.statusCode, 400);
  assert.match(short.body, /<a href="#newPassword">Lösenordet måste vara minst 12 tecken<\/a>/);
  const mismatch = await b.submit('/staff/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase', confirmPassword: 'a brand new passphrase!' });
  assert.match(mismatch.body, /<a href="#confirmPassword">Lösenorden är inte likadana<\/a>/);
  const wrongCurrent = await b.submit('/staff/password', { currentPassword: 'nope', newPassword: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' });
  assert.match(wrongCurrent.body, /<a href="#currentPassword">Det nuvarande lösenordet stämmer inte<\/a>/);
  const withName = await b.submit('/staff/password', { currentPassword: PASSWORD, newPassword: 'maja maja maja maja', confirmPassword: 'maja maja maja maja' });
  assert.match(withName.body, /Lösenordet får inte innehålla användarnamnet/);

  const before = b.session;
  const ok = await b.submit('/staff/password', { currentPassword: PASSWORD, newPassword: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/staff?password-changed=1');
  assert.notEqual(b.session, before);
  assert.match((await b.get('/staff?password-changed=1')).body, /Lösenordet är bytt/);
  assert.equal((await other.get('/staff')).statusCode, 303, 'the other browser was signed out');
  assert.equal((await sessionsOf(account.id)).length, 1);

  nextStep(t);
  assert.equal(await new Browser(t).signIn('maja', SECRET, 'a brand new passphrase'), '/staff');
});

test('a POST without the CSRF token is refused', async () => {
  const b = new Browser(t);
  await b.get('/staff/sign-in');
  const r = await b.post('/staff/sign-in', { username: 'anna', password: PASSWORD });
  assert.equal(r.statusCode, 419);
  assert.match(r.body, /Formuläret har gått ut/);
});
