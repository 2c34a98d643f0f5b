import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, SODERA } from '../../../test/helpers/app.ts';
import { tenantScope } from '../../kernel/db/index.ts';
import { listAccounts } from './repository.ts';
import { Browser, makeStaff, nextStep, PASSWORD, SECRET } from './test-support.ts';

const t = await createTestApp();
after(() => t.close());
const db = t.tdb.db;

const { account: adminAccount } = await makeStaff(t, 'admin', { roles: ['admin', 'handler'], departments: ['education'] });
const admin = new Browser(t);
await admin.signIn('admin');

const LIST = '/staff/admin/accounts';

async function eventsOf(id: string): Promise<{ action: string; actor: string; actor_id: string | null; details: Record<string, unknown> }[]> {
  const { rows } = await db.query<{ action: string; actor: string; actor_id: string | null; details: Record<string, unknown> }>(
    'SELECT action, actor, actor_id, details FROM staff_account_events WHERE staff_id = $1 ORDER BY created_at, id',
    [id],
  );
  return rows;
}

async function accountId(username: string, tenant = 'norrby'): Promise<string> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM staff_accounts WHERE tenant_id = $1 AND username = $2', [tenant, username]);
  return rows[0]!.id;
}

test(`create an account on the web: errors linked to fields with values kept, then a generated password shown once (${t.tdb.dialect})`, async () => {
  const form = await admin.get(`${LIST}/new`);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /Skapa medarbetarkonto/);
  assert.match(form.body, /Utbildningsförvaltningen/);
  assert.match(form.body, /Stadsmiljöförvaltningen/);

  const empty = await admin.submit(`${LIST}/new`, { username: '', displayName: '', email: '' }, LIST);
  assert.equal(empty.statusCode, 400);
  for (const [field, text] of [
    ['username', 'Skriv ett användarnamn'],
    ['displayName', 'Skriv namnet'],
    ['email', 'Skriv e-postadressen'],
  ]) {
    assert.match(empty.body, new RegExp(`<a href="#${field}">${text}</a>`));
    assert.match(empty.body, new RegExp(`id="${field}-error"`));
  }

  const bad = await admin.submit(
    `${LIST}/new`,
    { username: 'Ny Person', displayName: 'Nora Nyberg', email: 'not-an-email', roles: ['handler', 'superuser'], departments: ['education', 'finance'], password: 'short' },
    LIST,
  );
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /Användarnamnet får bara innehålla små bokstäver/);
  assert.match(bad.body, /Skriv e-postadressen i rätt format/);
  assert.match(bad.body, /Okänd roll: superuser/);
  assert.match(bad.body, /Okänd förvaltning: finance/);
  assert.match(bad.body, /<a href="#password">Lösenordet måste vara minst 12 tecken<\/a>/);
  assert.match(bad.body, /value="Ny Person"/, 'answers are kept');
  assert.match(bad.body, /value="Nora Nyberg"/);
  assert.match(bad.body, /value="not-an-email"/);
  assert.match(bad.body, /id="departments" name="departments" value="education" checked/);
  assert.doesNotMatch(bad.body, /value="short"/, 'passwords are not echoed');

  const taken = await admin.submit(`${LIST}/new`, { username: 'admin', displayName: 'X', email: 'x@example.org', roles: 'handler' }, LIST);
  assert.match(taken.body, /<a href="#username">Det finns redan ett konto med det användarnamnet<\/a>/);

  const ok = await admin.submit(
    `${LIST}/new`,
    { username: 'nora.nyberg', displayName: 'Nora Nyberg', email: 'nora@norrby.example', roles: ['handler', 'security_officer'], departments: 'education' },
    LIST,
  );
  assert.equal(ok.statusCode, 200);
  assert.match(ok.body, /Kontot är skapat/);
  const password = ok.body.match(/data-testid="generated-password">([a-z0-9-]+)</)![1]!;
  assert.match(password, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);

  const id = await accountId('nora.nyberg');
  const { rows } = await db.query<{ roles: string[]; departments: string[]; password_must_change: boolean; totp_secret: string | null }>(
    'SELECT roles, departments, password_must_change, totp_secret FROM staff_accounts WHERE id = $1',
    [id],
  );
  assert.deepEqual(rows[0]!.roles, ['handler', 'security_officer']);
  assert.deepEqual(rows[0]!.departments, ['education']);
  assert.equal(rows[0]!.password_must_change, true);
  assert.equal(rows[0]!.totp_secret, null);
  const history = await eventsOf(id);
  assert.deepEqual(history.map((e) => [e.action, e.actor, e.actor_id]), [['created', 'admin', adminAccount.id]]);

  // The new person signs in with it: enrolment first, then their own password.
  const nora = new Browser(t);
  const first = await nora.submit('/staff/sign-in', { username: 'nora.nyberg', password });
  assert.equal(first.headers.location, '/staff/sign-in/enrol');

  // The list shows the account, with its state.
  const list = await admin.get(LIST);
  assert.match(list.body, new RegExp(`<a class="ds-link" href="${LIST}/${id}">Nora Nyberg</a>`));
  assert.match(list.body, /Tvåstegsverifiering ej aktiverad/);
});

test('change name, e-mail, roles and departments; the history says who changed what', async () => {
  const { account } = await makeStaff(t, 'olle', { roles: ['handler'], departments: ['education'] });
  const url = `${LIST}/${account.id}`;
  const page = await admin.get(url);
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Uppgifter och behörighet/);

  const invalid = await admin.submit(url, { displayName: '', email: 'olle@', roles: ['handler'], departments: ['nowhere'] });
  assert.equal(invalid.statusCode, 400);
  assert.match(invalid.body, /<a href="#displayName">Skriv namnet<\/a>/);
  assert.match(invalid.body, /<a href="#email">/);
  assert.match(invalid.body, /<a href="#departments">Okänd förvaltning: nowhere/);
  assert.match(invalid.body, /value="olle@"/);

  const saved = await admin.submit(url, { displayName: 'Olle Olsson', email: 'olle@norrby.example', roles: ['handler', 'admin'], departments: ['education', 'city-services'] });
  assert.equal(saved.statusCode, 303);
  assert.equal(saved.headers.location, `${url}?done=saved`);
  const after = await admin.get(`${url}?done=saved`);
  assert.match(after.body, /Ändringarna är sparade/);
  assert.match(after.body, /Roller: Handläggare → Administratör, Handläggare/);
  assert.match(after.body, /Förvaltningar: Utbildningsförvaltningen → Utbildningsförvaltningen, Stadsmiljöförvaltningen/);
  assert.match(after.body, /<td>admin<\/td>/);
  const history = await eventsOf(account.id);
  assert.equal(history.at(-1)!.action, 'updated');
  assert.deepEqual(history.at(-1)!.details.roles, { from: ['handler'], to: ['admin', 'handler'] });

  const same = await admin.submit(url, { displayName: 'Olle Olsson', email: 'olle@norrby.example', roles: ['handler', 'admin'], departments: ['education', 'city-services'] });
  assert.equal(same.headers.location, `${url}?done=unchanged`);

  // A role taken away takes effect on the next request.
  const olle = new Browser(t);
  nextStep(t);
  await olle.signIn('olle');
  assert.equal((await olle.get(LIST)).statusCode, 200);
  await admin.submit(url, { displayName: 'Olle Olsson', email: 'olle@norrby.example', roles: 'handler', departments: 'education' });
  assert.equal((await olle.get(LIST)).statusCode, 403);
});

test('an administrator cannot change their own roles (not even grant themselves the security officer\'s), disable themselves, or reset their own password here', async () => {
  const url = `${LIST}/${adminAccount.id}`;
  const rolesOf = async () => (await db.query<{ roles: string[] }>('SELECT roles FROM staff_accounts WHERE id = $1', [adminAccount.id])).rows[0]!.roles;
  const eventsBefore = (await eventsOf(adminAccount.id)).length;
  // Their own page shows their roles but offers no choice of them.
  const own = await admin.get(url);
  assert.doesNotMatch(own.body, /name="roles"/);
  assert.match(own.body, /Dina egna roller ändras av en annan administratör/);
  assert.match(own.body, /name="departments"/, 'the rest of the form is there');
  // A form sent anyway is refused, whether it adds a role or takes one away.
  for (const roles of [['admin', 'handler', 'security_officer'], ['admin', 'security_officer'], ['handler']]) {
    const r = await admin.submit(url, { displayName: 'Admin', email: 'admin@example.org', roles, departments: 'education' });
    assert.equal(r.statusCode, 400, roles.join());
    assert.match(r.body, /<a href="#roles">Du kan inte ändra dina egna roller\. Be en annan administratör\.<\/a>/);
    assert.deepEqual(await rolesOf(), ['admin', 'handler']);
  }
  assert.equal((await eventsOf(adminAccount.id)).length, eventsBefore, 'nothing changed, nothing journaled');
  // Their own name and departments they may change: the form without roles leaves the roles as they are.
  const saved = await admin.submit(url, { displayName: 'Admin', email: 'admin@example.org', departments: ['education', 'city-services'] });
  assert.equal(saved.statusCode, 303);
  assert.deepEqual(await rolesOf(), ['admin', 'handler']);
  await admin.submit(url, { displayName: 'Test Person 1', email: 'admin@example.org', departments: 'education' });
  const d = await admin.submit(url, {}, `${url}/disable`);
  assert.equal(d.statusCode, 400);
  assert.match(d.body, /<a href="#account-actions">Du kan inte stänga av ditt eget konto<\/a>/);
  const p = await admin.submit(url, {}, `${url}/reset-password`);
  assert.equal(p.statusCode, 400);
  assert.match(p.body, /Byt ditt eget lösenord/);
  assert.equal((await admin.get('/staff')).statusCode, 200, 'still signed in');
});

test('disable and enable on the web: sessions end at once, and both are in the history', async () => {
  nextStep(t);
  const { account } = await makeStaff(t, 'petra');
  const petra = new Browser(t);
  await petra.signIn('petra');
  const url = `${LIST}/${account.id}`;
  const r = await admin.submit(url, {}, `${url}/disable`);
  assert.equal(r.headers.location, `${url}?done=disabled`);
  const page = await admin.get(`${url}?done=disabled`);
  assert.match(page.body, /Kontot är avstängt och personen är utloggad/);
  assert.match(page.body, /Aktivera kontot/);
  assert.equal((await petra.get('/staff')).statusCode, 303);

  const e = await admin.submit(url, {}, `${url}/enable`);
  assert.equal(e.headers.location, `${url}?done=enabled`);
  nextStep(t);
  assert.equal(await petra.signIn('petra'), '/staff');
  assert.deepEqual(
    (await eventsOf(account.id)).map((x) => x.action),
    ['created', 'disabled', 'enabled'],
  );
});

test('reset TOTP: sessions end, next sign-in enrols again, old recovery codes stop working', async () => {
  nextStep(t);
  const { account, recoveryCodes } = await makeStaff(t, 'rut');
  const rut = new Browser(t);
  await rut.signIn('rut');
  const url = `${LIST}/${account.id}`;
  const r = await admin.submit(url, {}, `${url}/reset-totp`);
  assert.equal(r.headers.location, `${url}?done=totpReset`);
  assert.equal((await rut.get('/staff')).statusCode, 303);
  const { rows } = await db.query<{ totp_secret: string | null; n: number }>(
    'SELECT totp_secret, (SELECT count(*)::int FROM staff_recovery_codes WHERE staff_id = $1) AS n FROM staff_accounts WHERE id = $1',
    [account.id],
  );
  assert.equal(rows[0]!.totp_secret, null);
  assert.equal(rows[0]!.n, 0);
  const again = await rut.submit('/staff/sign-in', { username: 'rut', password: PASSWORD });
  assert.equal(again.headers.location, '/staff/sign-in/enrol');
  assert.equal((await rut.get('/staff/sign-in/recovery')).headers.location, '/staff/sign-in/enrol');
  const enrol = await rut.get('/staff/sign-in/enrol');
  const secret = enrol.body.match(/data-testid="totp-secret">([A-Z2-7 ]+)</)![1]!.replace(/ /g, '');
  assert.notEqual(secret, SECRET, 'a new secret');
  assert.ok(recoveryCodes.length > 0);
});

test('reset password: a generated one is shown once; the owner is signed out and must change it', async () => {
  nextStep(t);
  const { account } = await makeStaff(t, 'sven');
  const sven = new Browser(t);
  await sven.signIn('sven');
  const url = `${LIST}/${account.id}`;
  const short = await admin.submit(url, { password: 'tiny' }, `${url}/reset-password`);
  assert.equal(short.statusCode, 400);
  assert.match(short.body, /<a href="#newPassword">Lösenordet måste vara minst 12 tecken<\/a>/);

  const r = await admin.submit(url, { password: '' }, `${url}/reset-password`);
  assert.equal(r.statusCode, 200);
  const password = r.body.match(/data-testid="generated-password">([a-z0-9-]+)</)![1]!;
  assert.equal((await sven.get('/staff')).statusCode, 303, 'signed out');
  nextStep(t);
  assert.equal(await sven.signIn('sven', SECRET, password), '/staff/password');

  const chosen = await admin.submit(url, { password: 'an admin chosen passphrase' }, `${url}/reset-password`);
  assert.equal(chosen.headers.location, `${url}?done=passwordReset`);
  nextStep(t);
  assert.equal(await new Browser(t).signIn('sven', SECRET, 'an admin chosen passphrase'), '/staff/password');
  assert.deepEqual(
    (await eventsOf(account.id)).map((x) => x.action),
    ['created', 'password_reset', 'password_reset'],
  );
});

test('the account list is paginated by key (username), not by offset', async () => {
  for (let i = 0; i < 30; i++) await makeStaff(t, `page-${String(i).padStart(2, '0')}`, { totp: false });
  const first = await admin.get(LIST);
  const rows = (html: string) => [...html.matchAll(/<td>([a-z0-9.-]+)<\/td>/g)].map((m) => m[1]!);
  const page1 = rows(first.body);
  assert.equal(page1.length, 25);
  assert.deepEqual(page1, [...page1].sort());
  const next = first.body.match(/href="(\/staff\/admin\/accounts\?after=[^"]+)" rel="next"/)![1]!;
  assert.equal(next, `${LIST}?after=${encodeURIComponent(page1.at(-1)!)}`);
  assert.doesNotMatch(first.body, /rel="prev"/);
  const second = await admin.get(next);
  const page2 = rows(second.body);
  assert.ok(page2.length > 0);
  assert.ok(page2[0]! > page1.at(-1)!);
  assert.match(second.body, /rel="prev"/);
  const prev = second.body.match(/href="(\/staff\/admin\/accounts\?before=[^"]+)" rel="prev"/)![1]!;
  assert.deepEqual(rows((await admin.get(prev)).body), page1);

  const scope = tenantScope(db, 'norrby');
  const all: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await listAccounts(scope, { after, limit: 7 });
    all.push(...page.accounts.map((a) => a.username));
    if (!page.next) break;
    after = page.next;
  }
  assert.deepEqual(all, [...all].sort());
  assert.equal(new Set(all).size, all.length);
  assert.ok(all.includes('page-29') && all.includes('admin'));
});

test("another municipality's account is not found; English pages; no CSRF token, no change", async () => {
  const { account: other } = await makeStaff(t, 'tore', { tenant: 'sodera' });
  for (const url of [`${LIST}/${other.id}`, `${LIST}/not-a-uuid`]) {
    const r = await admin.get(url);
    assert.equal(r.statusCode, 404, url);
    assert.doesNotMatch(r.body, /tore/);
  }
  const post = await admin.submit(LIST, {}, `${LIST}/${other.id}/disable`);
  assert.equal(post.statusCode, 404);
  const { rows } = await db.query<{ disabled_at: Date | null }>('SELECT disabled_at FROM staff_accounts WHERE id = $1', [other.id]);
  assert.equal(rows[0]!.disabled_at, null);
  // Södera's list does not show Norrby's admin, and Norrby's admin session is not valid there.
  assert.equal((await t.app.inject({ url: LIST, headers: { host: SODERA, cookie: admin.jar.header() } })).statusCode, 303);

  const en = new Browser(t, undefined, undefined, 'en');
  nextStep(t);
  await makeStaff(t, 'english-admin', { roles: ['admin'] });
  await en.signIn('english-admin');
  const list = await en.get(LIST);
  assert.match(list.body, /<html lang="en"/);
  assert.match(list.body, /Staff accounts/);
  const acct = await en.get(`${LIST}/${adminAccount.id}`);
  assert.match(acct.body, /Details and access/);
  assert.match(acct.body, /Reset two-step verification/);
  const bad = await en.submit(`${LIST}/new`, { username: '' }, LIST);
  assert.match(bad.body, /There is a problem/);
  assert.match(bad.body, /Enter a username/);

  const id = await accountId('tore', 'sodera');
  const forged = await admin.post(`${LIST}/${id}/disable`, { _csrf: 'forged' });
  assert.equal(forged.statusCode, 419);
});

test('role grants, resets and bindings are visible to the security officer, with who did what to whom; not to the administrator', async () => {
  nextStep(t);
  const { account: target } = await makeStaff(t, 'greta', { roles: ['handler'] });
  const { account: officerAccount } = await makeStaff(t, 'sakerhet', { roles: ['security_officer'], departments: [] });
  const url = `${LIST}/${target.id}`;
  // The administrator makes greta a security officer, then resets her password and second factor
  // (the clock moves on between them, so the order is the time's, not the ids').
  nextStep(t);
  assert.equal((await admin.submit(url, { displayName: 'Greta Grant', email: 'greta@example.org', roles: ['handler', 'security_officer'], departments: 'education' })).statusCode, 303);
  nextStep(t);
  assert.equal((await admin.submit(url, { password: 'an admin chosen passphrase' }, `${url}/reset-password`)).statusCode, 303);
  nextStep(t);
  assert.equal((await admin.submit(url, {}, `${url}/reset-totp`)).statusCode, 303);

  const officer = new Browser(t);
  nextStep(t);
  await officer.signIn('sakerhet');
  const audit = await officer.get('/staff/audit');
  assert.match(audit.body, /href="\/staff\/audit\/staff-accounts">Ändringar av medarbetarkonton</);
  const page = await officer.get('/staff/audit/staff-accounts');
  assert.equal(page.statusCode, 200);
  const rows = [...page.body.matchAll(/<tr><td>[^<]*<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((m) => [m[1]!, m[2]!, m[3]!]);
  // Newest first: who (the administrator's username), whom, what.
  assert.deepEqual(rows[0], ['admin', 'Greta Grant (greta)', 'Tvåstegsverifieringen återställdes']);
  assert.deepEqual(rows[1], ['admin', 'Greta Grant (greta)', 'Lösenordet återställdes']);
  assert.deepEqual(rows[2]!.slice(0, 2), ['admin', 'Greta Grant (greta)']);
  assert.match(rows[2]![2]!, /^Uppgifter ändrades\..*Roller: Handläggare → Handläggare, Säkerhetsansvarig/);
  assert.deepEqual(rows[3], ['Systemet', `${officerAccount.displayName} (sakerhet)`, 'Kontot skapades']);

  // The same in English.
  const en = await officer.get('/language?to=en&back=/staff/audit/staff-accounts');
  assert.equal(en.statusCode, 303);
  const english = await officer.get('/staff/audit/staff-accounts');
  assert.match(english.body, /Changes to staff accounts/);
  assert.match(english.body, /Roles: Case handler → Case handler, Security officer/);
  await officer.get('/language?to=sv&back=/staff');

  // The administrator (and a handler) cannot read it: the review is someone else's.
  assert.equal((await admin.get('/staff/audit/staff-accounts')).statusCode, 403);
  const handler = new Browser(t);
  nextStep(t);
  await handler.signIn('petra');
  assert.equal((await handler.get('/staff/audit/staff-accounts')).statusCode, 403);
});

test('a case-working account created without a department is warned about, where it is created, shown and listed; the header names each person\'s roles', async () => {
  const created = await admin.submit(`${LIST}/new`, { username: 'utan.forvaltning', displayName: 'Ulf Utan', email: 'ulf@norrby.example', roles: 'handler' }, LIST);
  assert.equal(created.statusCode, 200);
  assert.match(created.body, /Ulf Utan har ingen förvaltning/);
  assert.match(created.body, /ser inga alls/);
  const id = await accountId('utan.forvaltning');
  const { rows } = await db.query<{ departments: string[] }>('SELECT departments FROM staff_accounts WHERE id = $1', [id]);
  assert.deepEqual(rows[0]!.departments, [], 'created as asked: a warning, not a refusal');
  assert.match((await admin.get(`${LIST}/${id}`)).body, /Ulf Utan har ingen förvaltning/);
  assert.match((await admin.get(`${LIST}?after=ut`)).body, /Ingen förvaltning/);
  // Given a department, the warning goes; an administrator or security officer needs none.
  const page = await admin.get(`${LIST}/${id}`);
  const saved = await admin.post(`${LIST}/${id}`, { _csrf: page.body.match(/name="_csrf" value="([^"]+)"/)![1]!, displayName: 'Ulf Utan', email: 'ulf@norrby.example', roles: 'handler', departments: 'education' });
  assert.equal(saved.statusCode, 303);
  assert.doesNotMatch((await admin.get(`${LIST}/${id}`)).body, /har ingen förvaltning/);
  const officer = await admin.submit(`${LIST}/new`, { username: 'sakerhet', displayName: 'Siv Säker', email: 'siv@norrby.example', roles: 'security_officer' }, LIST);
  assert.doesNotMatch(officer.body, /har ingen förvaltning/);

  // The header's link to the staff pages names the signed-in person's roles, built-in first.
  const nav = (html: string) => html.match(/<a href="\/staff"[^>]*>([^<]+)<\/a>/)![1];
  assert.equal(nav((await admin.get('/staff')).body), 'Administratör, Handläggare');
  await makeStaff(t, 'ingrid', { roles: ['security_officer'], departments: [] });
  const ingrid = new Browser(t, undefined, undefined, 'en');
  await ingrid.signIn('ingrid');
  assert.equal(nav((await ingrid.get('/staff')).body), 'Security officer');
  // A role changed by an administrator shows on the owner's next page (read with the session).
  await db.query("UPDATE staff_accounts SET roles = '{handler}' WHERE tenant_id = 'norrby' AND username = 'ingrid'");
  assert.equal(nav((await ingrid.get('/staff')).body), 'Case handler');
});
