import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { migrate, readMigrations, tenantScope, MissingTenantError, PgliteDatabase, PostgresDatabase, LONG_WORK_TIMEOUTS, type Database } from './index.ts';
import { splitStatements } from './migrate.ts';

const t = await createTestDatabase();
after(() => t.drop());

test(`migrations are applied and re-running is a no-op (${t.dialect})`, async () => {
  const again = await migrate(t.db);
  assert.deepEqual(again.applied, []);
  const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
  assert.ok(rows[0]!.n >= 1);
});

/**
 * A fresh, empty database and `n` handles on it. PostgreSQL: a new database on the server of
 * TEST_DATABASE_URL and one pool per handle, as several nodes starting at once have. PGlite: one
 * in-memory instance (it is one process's database), shared by the handles.
 */
async function emptyDatabase(n: number): Promise<{ handles: Database[]; drop(): Promise<void> }> {
  if (t.dialect === 'pglite') {
    const db = await PgliteDatabase.open();
    return { handles: Array.from({ length: n }, () => db), drop: () => db.close() };
  }
  const admin = process.env.TEST_DATABASE_URL!;
  const name = `medborg_t_migrate_${randomBytes(6).toString('hex')}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const handles = Array.from({ length: n }, () => new PostgresDatabase(u.toString(), 2, { timeouts: LONG_WORK_TIMEOUTS }));
  return {
    handles,
    async drop() {
      await Promise.all(handles.map((h) => h.close()));
      await run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

test(`concurrent migrate calls on an empty database apply each migration exactly once (${t.dialect})`, { timeout: 60_000 }, async () => {
  const expected = (await readMigrations()).map((m) => m.version);
  assert.ok(expected.length >= 1);
  const fresh = await emptyDatabase(3);
  try {
    const results = await Promise.allSettled(fresh.handles.map((db) => migrate(db)));
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason));
    assert.deepEqual(failed, [], 'no migrate call failed');
    const applied = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.applied.map((m) => m.version) : []));
    assert.deepEqual(applied.toSorted((a, b) => a - b), expected, 'the calls together applied every migration once');
    for (const r of results) if (r.status === 'fulfilled') assert.equal(r.value.current, expected.at(-1));
    const { rows } = await fresh.handles[0]!.query<{ version: number; n: number }>(
      'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version',
    );
    assert.deepEqual(rows, expected.map((version) => ({ version, n: 1 })));
  } finally {
    await fresh.drop();
  }
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
