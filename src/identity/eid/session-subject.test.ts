/**
 * A resident session brings the resident's row along in the session read (one round trip fewer on
 * every signed-in request): the row read that way is the resident, it is tied to the session's
 * tenant and kind, and a request never sees an earlier request's copy.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, NORRBY } from '../../../test/helpers/app.ts';
import { tenantScope } from '../../kernel/db/index.ts';
import { getResident, updateContact } from './index.ts';
import { recordSignIn, residentFromSubject } from './residents-repository.ts';
import { ANNA } from '../../../test/helpers/sign-in.ts';

const t = await createTestApp();
after(() => t.close());
const norrby = tenantScope(t.tdb.db, 'norrby');
const sodera = tenantScope(t.tdb.db, 'sodera');
const store = t.app.sessions.store;
const now = () => t.clock.now();
const anna = await recordSignIn(norrby, { ...ANNA, locale: 'sv' }, now());
await updateContact(norrby, anna, { email: 'anna@example.se', phone: '070-123 45 67' });

test('the session read carries the resident, exactly as the residents table has it', async () => {
  const { token } = await store.create(norrby, { kind: 'resident', subjectId: anna, locale: 'sv' }, now());
  const found = await store.find(norrby, token, now());
  assert.ok(found?.subject, 'the subject came with the session');
  assert.deepEqual(residentFromSubject(found.subject), await getResident(norrby, anna));
});

test("no subject from another tenant, for another kind of session, or for a resident who is gone", async () => {
  // A Söderå session naming Norrby's resident (no such row in Söderå).
  const other = await store.create(sodera, { kind: 'resident', subjectId: anna, locale: 'sv' }, now());
  const inSodera = await store.find(sodera, other.token, now());
  assert.ok(inSodera);
  assert.equal(inSodera.subject, undefined);
  // A staff session whose subject id happens to be a resident's.
  const staff = await store.create(norrby, { kind: 'staff', subjectId: anna, locale: 'sv' }, now());
  assert.equal((await store.find(norrby, staff.token, now()))?.subject, undefined);
  // A resident removed while signed in: the session has no subject, and the pages ask to sign in.
  const gone = await recordSignIn(norrby, { personalNumber: '199007029813', givenName: 'Erik', familyName: 'Berg', locale: 'sv' }, now());
  const s = await store.create(norrby, { kind: 'resident', subjectId: gone, locale: 'sv' }, now());
  await norrby.query('DELETE FROM residents WHERE tenant_id = $1 AND id = $2', [gone]);
  assert.equal((await store.find(norrby, s.token, now()))?.subject, undefined);
  const page = await t.app.inject({ url: '/my/profile', headers: { host: NORRBY, cookie: `mb_sid=${s.token}` } });
  assert.equal(page.statusCode, 303);
  assert.equal(page.headers.location, '/sign-in?back=%2Fmy%2Fprofile');
});

test('each request reads the resident afresh: a change made elsewhere shows on the next page', async () => {
  const { token } = await store.create(norrby, { kind: 'resident', subjectId: anna, locale: 'sv', data: { displayName: 'Anna Andersson' } }, now());
  const cookie = `mb_sid=${token}`;
  const before = await t.app.inject({ url: '/my/profile', headers: { host: NORRBY, cookie } });
  assert.match(before.body, /value="anna@example.se"/);
  await updateContact(norrby, anna, { email: 'anna.andersson@example.se', phone: null });
  const after = await t.app.inject({ url: '/my/profile', headers: { host: NORRBY, cookie } });
  assert.match(after.body, /value="anna.andersson@example.se"/);
});
