/**
 * A route's companion row comes back with the session in one statement (SessionCompanion): as JSON,
 * null when the SELECT finds nothing, not read at all without a live session, and tied to the tenant.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { tenantScope } from '../db/index.ts';
import { SessionStore, type SessionCompanion } from './session.ts';

const tdb = await createTestDatabase();
after(() => tdb.drop());
const store = new SessionStore(20 * 60_000);
const NOW = new Date('2026-11-23T10:00:00Z');
// Any one-row SELECT will do; the sessions table is the one the kernel owns.
const sessionRow = (id: string): SessionCompanion => ({
  sql: 'SELECT id, kind, data, expires_at FROM sessions WHERE tenant_id = $1 AND id = $4 AND expires_at > $3',
  params: [id],
});

test('findWith brings the companion row along with the session, in one statement', async () => {
  const norrby = tenantScope(tdb.db, 'norrby');
  const mine = await store.create(norrby, { kind: 'anonymous', locale: 'sv', data: { a: 1 } }, NOW);
  const other = await store.create(norrby, { kind: 'anonymous', locale: 'en' }, NOW);
  const statements: string[] = [];
  const query = tdb.db.query.bind(tdb.db);
  tdb.db.query = ((sql: string, params?: readonly unknown[]) => {
    statements.push(sql);
    return query(sql, params);
  }) as typeof tdb.db.query;
  let read;
  try {
    read = await store.findWith(norrby, mine.token, NOW, sessionRow(other.session.id));
  } finally {
    tdb.db.query = query;
  }
  assert.equal(statements.length, 1);
  assert.equal(read.session?.id, mine.session.id);
  assert.deepEqual(read.session?.data, { a: 1 });
  const row = read.companion as { id: string; kind: string; data: unknown; expires_at: string };
  assert.equal(row.id, other.session.id);
  assert.equal(row.kind, 'anonymous');
  assert.deepEqual(row.data, {});
  // Timestamps come as JSON strings; new Date() reads them back exactly.
  assert.equal(new Date(row.expires_at).getTime(), other.session.expiresAt.getTime());

  // Nothing found: null, the session still there.
  const none = await store.findWith(norrby, mine.token, NOW, sessionRow('no-such-id'));
  assert.equal(none.session?.id, mine.session.id);
  assert.equal(none.companion, null);
  // $3 is the session read's time: past the companion's expiry it is not found.
  const later = new Date(NOW.getTime() + 19 * 60_000);
  assert.equal((await store.findWith(norrby, mine.token, new Date(NOW.getTime() + 21 * 60_000), sessionRow(other.session.id))).session, undefined);
  assert.notEqual((await store.findWith(norrby, mine.token, later, sessionRow(other.session.id))).companion, null);
});

test('without a live session the companion is not read; another tenant sees neither', async () => {
  const norrby = tenantScope(tdb.db, 'norrby');
  const sodera = tenantScope(tdb.db, 'sodera');
  const mine = await store.create(norrby, { kind: 'anonymous', locale: 'sv' }, NOW);
  const theirs = await store.create(sodera, { kind: 'anonymous', locale: 'sv' }, NOW);
  assert.deepEqual(await store.findWith(norrby, 'not-a-token', NOW, sessionRow(mine.session.id)), {});
  assert.deepEqual(await store.findWith(sodera, mine.token, NOW, sessionRow(mine.session.id)), {});
  // $1 is the tenant: a row of another tenant is not a companion, even by its id.
  const read = await store.findWith(norrby, mine.token, NOW, sessionRow(theirs.session.id));
  assert.equal(read.session?.id, mine.session.id);
  assert.equal(read.companion, null);
});
