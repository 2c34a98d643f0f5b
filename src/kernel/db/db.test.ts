import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { migrate, tenantScope, MissingTenantError } from './index.ts';
import { splitStatements } from './migrate.ts';

const t = await createTestDatabase();
after(() => t.drop());

test(`migrations are applied and re-running is a no-op (${t.dialect})`, async () => {
  const again = await migrate(t.db);
  assert.deepEqual(again.applied, []);
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
  assert.ok(rows[0]!.n >= 1);
});

test('concurrent migrate calls serialise on the advisory lock', async () => {
  const results = await Promise.all([migrate(t.db), migrate(t.db), migrate(t.db)]);
  for (const r of results) assert.deepEqual(r.applied, []);
});

test('a tenant-scoped query without the tenant throws', async () => {
  const a = tenantScope(t.db, 'norrby');
  await assert.rejects(a.query('SELECT * FROM sessions'), MissingTenantError);
  await assert.rejects(a.query('SELECT * FROM sessions WHERE id = $1'), MissingTenantError);
  assert.throws(() => tenantScope(t.db, ''), MissingTenantError);
  assert.throws(() => tenantScope(t.db, "x'; DROP TABLE sessions; --"), MissingTenantError);
  const ok = await a.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE tenant_id = $1');
  assert.equal(ok.rows[0]!.n, 0);
});

test('tenant scopes see only their own rows', async () => {
  const a = tenantScope(t.db, 'norrby');
  const b = tenantScope(t.db, 'sodera');
  const insert = `INSERT INTO sessions (tenant_id, id, kind, csrf_token, expires_at) VALUES ($1, $2, 'anonymous', 'x', now() + interval '1 hour')`;
  await a.query(insert, ['s1']);
  await b.query(insert, ['s2']);
  const count = `SELECT id FROM sessions WHERE tenant_id = $1`;
  assert.deepEqual((await a.query<{ id: string }>(count)).rows.map((r) => r.id), ['s1']);
  assert.deepEqual((await b.query<{ id: string }>(count)).rows.map((r) => r.id), ['s2']);
});

test('a failing transaction leaves nothing behind', async () => {
  const a = tenantScope(t.db, 'norrby');
  await assert.rejects(
    a.transaction(async (tx) => {
      await tx.query(`INSERT INTO sessions (tenant_id, id, kind, csrf_token, expires_at) VALUES ($1, 'gone', 'anonymous', 'x', now())`);
      throw new Error('boom');
    }),
    /boom/,
  );
  const { rows } = await a.query(`SELECT 1 FROM sessions WHERE tenant_id = $1 AND id = 'gone'`);
  assert.equal(rows.length, 0);
});

test('int8 reads as a number on both databases', async () => {
  const { rows } = await t.db.query<{ n: number }>('SELECT 42::int8 AS n');
  assert.strictEqual(rows[0]!.n, 42);
});

test('splitStatements keeps dollar-quoted bodies whole', () => {
  const parts = splitStatements(`CREATE TABLE a (x int);\n-- note;\nCREATE FUNCTION f() RETURNS int AS $$\nBEGIN\n  RETURN 1;\nEND;\n$$ LANGUAGE plpgsql;\nSELECT 1;`);
  assert.equal(parts.length, 3);
  assert.match(parts[1]!, /RETURN 1;\nEND;/);
});
