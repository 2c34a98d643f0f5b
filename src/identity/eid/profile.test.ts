import { test, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, csrfFrom, NORRBY, SODERA, type TestApp } from '../../../test/helpers/app.ts';
import { tenantScope } from '../../kernel/db/index.ts';
import { getResident, updateContact, validateContact } from './index.ts';
import { recordSignIn } from './residents-repository.ts';
import { ANNA } from '../../../test/helpers/sign-in.ts';

/** A resident signed in without the e-ID round trip (eid.test.ts covers that): their cookie. */
async function signedIn(t: TestApp, tenant: string, who: { personalNumber: string; givenName: string; familyName: string }) {
  const tdb = tenantScope(t.tdb.db, tenant);
  const id = await recordSignIn(tdb, { ...who, locale: 'sv' }, t.clock.now());
  const { token } = await t.app.sessions.store.create(tdb, { kind: 'resident', subjectId: id, locale: 'sv', data: { displayName: `${who.givenName} ${who.familyName}` } }, t.clock.now());
  return { id, tdb, cookie: `mb_sid=${token}` };
}

describe('your contact details (demo register)', async () => {
  const t = await createTestApp();
  after(() => t.close());
  const { app } = t;

  test('without a session the page sends you to sign in and back', async () => {
    const r = await app.inject({ url: '/my/profile', headers: { host: NORRBY } });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/sign-in?back=%2Fmy%2Fprofile');
  });

  test('shows the name, the masked identity number and the registered address', async () => {
    const { cookie } = await signedIn(t, 'norrby', ANNA);
    const r = await app.inject({ url: '/my/profile', headers: { host: NORRBY, cookie } });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /<h1[^>]*>Dina kontaktuppgifter<\/h1>/);
    assert.match(r.body, /Inloggad som Anna Andersson/);
    assert.match(r.body, /19880314-\*\*\*\*/);
    assert.doesNotMatch(r.body, /198803149825|9825/);
    assert.match(r.body, /Storgatan 12<br\/>123 45 Norrby/);
    assert.match(r.body, /<label class="ds-label" for="email">E-postadress<\/label>/);
    const en = await app.inject({ url: '/my/profile', headers: { host: NORRBY, cookie, 'accept-language': 'en' } });
    assert.match(en.body, /Your contact details/);
  });

  test('bad input gets translated errors and keeps what was typed', async () => {
    const { cookie } = await signedIn(t, 'norrby', ANNA);
    const page = await app.inject({ url: '/my/profile', headers: { host: NORRBY, cookie } });
    const r = await app.inject({
      method: 'POST',
      url: '/my/profile',
      headers: { host: NORRBY, cookie },
      payload: { _csrf: csrfFrom(page.body), email: 'anna.example.se', phone: '12<script>' },
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /class="ds-error-summary"/);
    assert.match(r.body, /<a href="#email">Skriv e-postadressen i rätt format/);
    assert.match(r.body, /<a href="#phone">Skriv telefonnumret med 7–15 siffror/);
    assert.match(r.body, /id="email" name="email" type="email" value="anna.example.se"/);
    assert.match(r.body, /value="12&lt;script>"/);
    assert.doesNotMatch(r.body, /12<script>/);
    assert.match(r.body, /aria-invalid="true"/);
    const missing = await app.inject({ method: 'POST', url: '/my/profile', headers: { host: NORRBY, cookie }, payload: { _csrf: csrfFrom(page.body), email: ' ', phone: '' } });
    assert.match(missing.body, /Skriv din e-postadress/);
  });

  test('good input is saved, remembered, and shown', async () => {
    const { cookie, id, tdb } = await signedIn(t, 'norrby', ANNA);
    const page = await app.inject({ url: '/my/profile', headers: { host: NORRBY, cookie } });
    const r = await app.inject({
      method: 'POST',
      url: '/my/profile',
      headers: { host: NORRBY, cookie },
      payload: { _csrf: csrfFrom(page.body), email: ' anna@example.se ', phone: '070-123 45 67' },
    });
    assert.equal(r.statusCode, 303);
    assert.equal(r.headers.location, '/my/profile?saved=1');
    const resident = await getResident(tdb, id);
    assert.equal(resident?.email, 'anna@example.se');
    assert.equal(resident?.phone, '070-123 45 67');
    const after = await app.inject({ url: '/my/profile?saved=1', headers: { host: NORRBY, cookie } });
    assert.match(after.body, /Dina kontaktuppgifter är sparade/);
    assert.match(after.body, /value="anna@example.se"/);
  });

  test('a post without the CSRF token is refused', async () => {
    const { cookie } = await signedIn(t, 'norrby', ANNA);
    const r = await app.inject({ method: 'POST', url: '/my/profile', headers: { host: NORRBY, cookie }, payload: { email: 'x@example.se' } });
    assert.equal(r.statusCode, 419);
  });

  test('a resident of one tenant is unknown in the other', async () => {
    const { cookie, id } = await signedIn(t, 'sodera', { personalNumber: '198708089837', givenName: 'Johan', familyName: 'Ek' });
    assert.equal((await app.inject({ url: '/my/profile', headers: { host: SODERA, cookie } })).statusCode, 200);
    assert.equal((await app.inject({ url: '/my/profile', headers: { host: NORRBY, cookie } })).statusCode, 303);
    assert.equal(await getResident(tenantScope(t.tdb.db, 'norrby'), id), undefined);
    await assert.rejects(updateContact(tenantScope(t.tdb.db, 'norrby'), id, { email: 'x@example.se', phone: null }));
  });

  test('updateContact and validateContact for other modules', async () => {
    const { id, tdb } = await signedIn(t, 'norrby', { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg' });
    await updateContact(tdb, id, { email: 'erik@example.se', phone: '  ' });
    const r = await getResident(tdb, id);
    assert.deepEqual([r?.email, r?.phone, r?.name], ['erik@example.se', null, 'Erik Berg']);
    assert.deepEqual(validateContact({ email: 'a@b.se', phone: '+46 70 123 45 67' }), { value: { email: 'a@b.se', phone: '+46 70 123 45 67' } });
    assert.deepEqual(validateContact({ email: 'a@b', phone: '123' }), { errors: { email: 'eid.profile.error.emailInvalid', phone: 'eid.profile.error.phoneInvalid' } });
  });
});

describe('your contact details without a population register', async () => {
  const t = await createTestApp({ demo: false });
  after(() => t.close());

  test('the page says the register cannot be asked, and still lets you edit contact details', async () => {
    const { cookie } = await signedIn(t, 'norrby', ANNA);
    const r = await t.app.inject({ url: '/my/profile', headers: { host: NORRBY, cookie } });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /Uppgifter från folkbokföringen går inte att hämta just nu/);
    assert.match(r.body, /name="email"/);
  });
});
