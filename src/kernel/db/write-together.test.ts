/** Several writes in one round trip: all of them happen, with their own parameters, or none does. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { combineWrites, combineWritesIf, tenantScope, writeTogether, writeTogetherIf, MissingTenantError, type Prelude, type Statement } from './index.ts';

const t = await createTestDatabase();
after(() => t.drop());
const norrby = tenantScope(t.db, 'norrby');

const resident = (id: string, pin: string, name: string): Statement => ({
  sql: 'INSERT INTO residents (tenant_id, id, personal_number, given_name, family_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
  params: [id, pin, name, 'Test', new Date('2026-11-23T10:00:00Z')],
});
const session = (id: string, subject: string): Statement => ({
  sql: "INSERT INTO sessions (tenant_id, id, kind, subject_id, csrf_token, expires_at) VALUES ($1, $2, 'resident', $3, $4, $5)",
  params: [id, subject, `csrf-${id}`, new Date('2026-11-23T11:00:00Z')],
});
const A = '01900000-0000-7000-8000-00000000000a';
const B = '01900000-0000-7000-8000-00000000000b';

test('parameters are renumbered after the previous statements’; $1 stays the tenant', () => {
  const c = combineWrites([resident(A, '1', 'A'), session('s1', A), { sql: 'UPDATE residents SET email = $3, phone = $3 WHERE tenant_id = $1 AND id = $2', params: [A, 'x@example.se'] }]);
  assert.match(c.sql, /^WITH w1 AS \(INSERT INTO residents .*VALUES \(\$1, \$2, \$3, \$4, \$5, \$6\)\), w2 AS \(INSERT INTO sessions .*VALUES \(\$1, \$7, 'resident', \$8, \$9, \$10\)\) UPDATE residents SET email = \$12, phone = \$12 WHERE tenant_id = \$1 AND id = \$11$/s);
  assert.equal(c.params.length, 5 + 4 + 2);
  assert.throws(() => combineWrites([resident(A, '1', 'A'), { sql: 'SELECT 1 FROM residents WHERE tenant_id = $1', params: [] }]), /INSERT, UPDATE or DELETE/);
  assert.throws(() => combineWrites([resident(A, '1', 'A'), { sql: 'DELETE FROM residents WHERE tenant_id = $1 RETURNING id', params: [] }]), /RETURNING/);
  assert.throws(() => combineWrites([resident(A, '1', 'A'), { sql: 'DELETE FROM residents WHERE tenant_id = $1 AND id = $3', params: [A] }]), /uses \$3 but has 1/);
});

test(`the writes all land, in one statement (${t.dialect})`, async () => {
  await writeTogether(norrby, [resident(A, '191212121212', 'Alma'), session('s-a', A), resident(B, '191212121213', 'Bo')]);
  const { rows } = await norrby.query<{ given_name: string; sessions: number }>(
    'SELECT r.given_name, (SELECT count(*)::int FROM sessions s WHERE s.tenant_id = $1 AND s.subject_id = r.id) AS sessions FROM residents r WHERE r.tenant_id = $1 ORDER BY r.given_name',
  );
  assert.deepEqual(rows, [
    { given_name: 'Alma', sessions: 1 },
    { given_name: 'Bo', sessions: 0 },
  ]);
});

test(`one failing part stores none of them (${t.dialect})`, async () => {
  const C = '01900000-0000-7000-8000-00000000000c';
  // The third part repeats Alma's personal number: a unique violation.
  await assert.rejects(writeTogether(norrby, [resident(C, '191212121299', 'Cilla'), session('s-c', C), resident('01900000-0000-7000-8000-00000000000d', '191212121212', 'Dup')]));
  const { rows } = await norrby.query<{ n: number }>('SELECT count(*)::int AS n FROM residents WHERE tenant_id = $1 AND id = $2', [C]);
  assert.equal(rows[0]!.n, 0);
  const s = await norrby.query<{ n: number }>("SELECT count(*)::int AS n FROM sessions WHERE tenant_id = $1 AND id = 's-c'");
  assert.equal(s.rows[0]!.n, 0);
});

test('the tenant guard still applies to the combined statement', async () => {
  await assert.rejects(writeTogether(norrby, [{ sql: "DELETE FROM sessions WHERE id = 'x'", params: [] }]), MissingTenantError);
});

test(`a guarded INSERT of several rows writes all of them when the guard holds and none when it does not (${t.dialect})`, async () => {
  const E = '01900000-0000-7000-8000-00000000000e';
  const F = '01900000-0000-7000-8000-00000000000f';
  const G = '01900000-0000-7000-8000-000000000010';
  const H = '01900000-0000-7000-8000-000000000011';
  // Text with the characters the row parser must skip inside quotes: parentheses, a comma, a doubled quote.
  const two = (a: string, b: string): Statement => ({
    sql: "INSERT INTO residents (tenant_id, id, personal_number, given_name, family_name, created_at) VALUES ($1, $2::uuid, $3, 'Eva (it''s, me)', $4, $5::timestamptz), ($1, $6::uuid, $7, 'Frans', $4, $5::timestamptz)",
    params: [a, `1912${a.slice(-4)}`, 'Test', new Date('2026-11-23T10:00:00Z'), b, `1913${b.slice(-4)}`],
  });
  const guard = (name: string): Statement => ({ sql: 'UPDATE residents SET email = $3 WHERE tenant_id = $1 AND given_name = $2', params: [name, 'guard@example.se'] });
  assert.equal(await writeTogetherIf(norrby, guard('Alma'), [two(E, F)]), true);
  assert.equal(await writeTogetherIf(norrby, guard('Nobody'), [two(G, H)]), false);
  const { rows } = await norrby.query<{ id: string; given_name: string }>('SELECT id, given_name FROM residents WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id', [[E, F, G, H]]);
  assert.deepEqual(rows, [
    { id: E, given_name: "Eva (it's, me)" },
    { id: F, given_name: 'Frans' },
  ]);
  assert.throws(() => combineWritesIf(guard('Alma'), [{ sql: `${two(E, F).sql} ON CONFLICT DO NOTHING`, params: two(E, F).params }]), /INSERT … VALUES/);
  assert.throws(() => combineWritesIf(guard('Alma'), [{ sql: 'INSERT INTO residents (tenant_id, id) SELECT $1, $2', params: [E] }]), /INSERT … VALUES/);
});

test(`a prelude runs before the guard, which must also meet its gate; a closed gate writes nothing and throws its refusal (${t.dialect})`, async () => {
  const I = '01900000-0000-7000-8000-000000000012';
  const J = '01900000-0000-7000-8000-000000000013';
  // The prelude writes Bo's row (as a booking takes its resource's lock) only when no resident has the name yet.
  const prelude = (name: string): Prelude => ({
    sql: `taken AS MATERIALIZED (SELECT EXISTS (SELECT 1 FROM residents WHERE tenant_id = $1 AND given_name = $2) AS yes),
          marked AS (UPDATE residents SET phone = $3 WHERE tenant_id = $1 AND given_name = 'Bo' AND NOT (SELECT yes FROM taken) RETURNING id)`,
    params: [name, `before ${name}`],
    gate: 'EXISTS (SELECT 1 FROM marked)',
    refused: () => new Error(`${name} is taken`),
  });
  const guard: Statement = { sql: 'UPDATE residents SET email = $3 WHERE tenant_id = $1 AND given_name = $2', params: ['Alma', 'prelude@example.se'] };
  const one = (id: string, name: string): Statement => ({
    sql: 'INSERT INTO residents (tenant_id, id, personal_number, given_name, family_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    params: [id, `1914${id.slice(-4)}`, name, 'Test', new Date('2026-11-23T10:00:00Z')],
  });
  const c = combineWritesIf(guard, [one(I, 'Ida')], prelude('Ida'));
  assert.match(c.sql, /^WITH taken AS MATERIALIZED .*, guarded AS \(UPDATE residents SET email = \$5 WHERE tenant_id = \$1 AND given_name = \$4 AND \(EXISTS \(SELECT 1 FROM marked\)\) RETURNING 1\), w1 AS \(INSERT INTO residents .* SELECT \$1, \$6, .* WHERE EXISTS \(SELECT 1 FROM guarded\)\) SELECT count\(\*\)::int AS n, NOT \(EXISTS \(SELECT 1 FROM marked\)\) AS refused FROM guarded$/s);
  assert.equal(await writeTogetherIf(norrby, guard, [one(I, 'Ida')], prelude('Ida')), true);
  // Ida exists now: the gate is closed, so neither the guard nor the insert writes.
  await assert.rejects(writeTogetherIf(norrby, { ...guard, params: ['Alma', 'closed@example.se'] }, [one(J, 'Ida')], prelude('Ida')), /Ida is taken/);
  // The gate open and the guard matching nothing: nothing inserted, no refusal.
  assert.equal(await writeTogetherIf(norrby, { ...guard, params: ['Nobody', 'x@example.se'] }, [one(J, 'Jon')], prelude('Jon')), false);
  const { rows } = await norrby.query<{ given_name: string; email: string | null; phone: string | null }>(
    "SELECT given_name, email, phone FROM residents WHERE tenant_id = $1 AND (id = ANY($2::uuid[]) OR given_name IN ('Alma', 'Bo')) ORDER BY given_name",
    [[I, J]],
  );
  assert.deepEqual(rows, [
    { given_name: 'Alma', email: 'prelude@example.se', phone: null },
    { given_name: 'Bo', email: null, phone: 'before Jon' },
    { given_name: 'Ida', email: null, phone: null },
  ]);
  assert.throws(() => combineWritesIf(guard, [], { ...prelude('Ida'), gate: 'EXISTS (SELECT 1 FROM marked WHERE id = $2)' }), /gate takes no parameters/);
});
