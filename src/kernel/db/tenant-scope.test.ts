/** The tenant guard: which SQL shapes count as bound to the tenant in $1, and which do not. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertTenantScoped, MissingTenantError, tenantScope } from './tenant-scope.ts';
import { combineWrites, combineWritesIf } from './write-together.ts';
import { insertPartiesStatement } from '../../cases/parties.ts';
import type { Database } from './types.ts';
import { insertEntriesStatement } from '../../archive/journal.ts';
import { NEXT_CASE_NUMBER } from '../../cases/reference.ts';

const refused = (sql: string) => assert.throws(() => assertTenantScoped(sql), MissingTenantError, sql);
const accepted = (sql: string) => assert.doesNotThrow(() => assertTenantScoped(sql), sql);

test('reads filtered on tenant_id = $1 pass', () => {
  accepted('SELECT * FROM cases WHERE tenant_id = $1');
  accepted('SELECT * FROM cases WHERE $1 = tenant_id AND id = $2');
  accepted('SELECT c.id FROM cases c WHERE c.tenant_id = $1 AND c.id = $2');
  accepted('SELECT * FROM public.cases WHERE cases.tenant_id = $1');
  accepted('SELECT * FROM cases WHERE tenant_id = $1::text');
  accepted('SELECT * FROM cases WHERE (status = $3 AND tenant_id = $1) AND id = $2 FOR UPDATE');
  accepted("SELECT * FROM cases WHERE created_at BETWEEN $2 AND $3 AND tenant_id = $1 AND note = 'it''s -- no comment'");
  accepted('SELECT count(*) FILTER (WHERE assignee_id = $2)::int AS mine FROM cases WHERE tenant_id = $1 AND status <> ALL($3::text[])');
  accepted('SELECT * FROM "cases" WHERE "tenant_id" = $1');
});

test('joins and subqueries pass when each table is tied to $1, directly or through another', () => {
  // The audit list: LEFT JOINs tied to the filtered table.
  accepted(`SELECT a.id, s.display_name, c.reference FROM audit_log a
      LEFT JOIN staff_accounts s ON s.tenant_id = a.tenant_id AND s.id = a.staff_id
      LEFT JOIN cases c ON c.tenant_id = a.tenant_id AND c.id = a.case_id
      WHERE a.tenant_id = $1 AND c.reference = $2 ORDER BY a.at DESC LIMIT $3`);
  accepted('SELECT * FROM cases c JOIN journal j ON j.tenant_id = c.tenant_id AND j.case_id = c.id WHERE c.tenant_id = $1');
  // A correlated subquery (archive verify's orphan rows).
  accepted(`SELECT j.case_id, count(*)::int AS n FROM journal j
      WHERE j.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.tenant_id = j.tenant_id AND c.id = j.case_id)
      GROUP BY j.case_id`);
  accepted('SELECT r.given_name, (SELECT count(*)::int FROM sessions s WHERE s.tenant_id = $1 AND s.subject_id = r.id) AS n FROM residents r WHERE r.tenant_id = $1');
  accepted('SELECT (SELECT count(*)::int FROM cases WHERE tenant_id = $1) AS cases, (SELECT count(*)::int FROM journal WHERE tenant_id = $1) AS journal');
  accepted('SELECT id FROM dev_mailbox WHERE tenant_id = $1 AND (sent_at, id) < (SELECT sent_at, id FROM dev_mailbox WHERE tenant_id = $1 AND id = $3)');
  accepted('WITH open AS (SELECT id FROM cases WHERE tenant_id = $1) SELECT * FROM open');
  accepted('SELECT id FROM cases WHERE tenant_id = $1 UNION ALL SELECT case_id FROM journal WHERE tenant_id = $1');
});

test('a table-less statement passes when it hands the tenant to a function by name', () => {
  accepted(`SELECT ${NEXT_CASE_NUMBER} AS n`);
  accepted(`SELECT id, CASE WHEN submitted_case_id IS NULL THEN ${NEXT_CASE_NUMBER} END AS case_number FROM drafts WHERE tenant_id = $1 AND id = $2`);
});

test('writes pass: INSERT with tenant_id and $1 first, UPDATE and DELETE filtered', () => {
  accepted("INSERT INTO sessions (tenant_id, id, kind) VALUES ($1, $2, 'anonymous')");
  accepted('INSERT INTO journal (tenant_id, case_id, seq) VALUES ($1, $2, 1), ($1, $3, 2)');
  accepted('INSERT INTO staff_recovery_codes (tenant_id, staff_id, code_hash, created_at) SELECT $1, $2, h, $4 FROM unnest($3::text[]) AS h');
  accepted('INSERT INTO documents (tenant_id, id) VALUES ($1, $2) ON CONFLICT (tenant_id, id) DO NOTHING');
  accepted(`INSERT INTO residents (tenant_id, id, personal_number, given_name) VALUES ($1, $2, $3, $4)
      ON CONFLICT (tenant_id, personal_number) DO UPDATE SET given_name = EXCLUDED.given_name RETURNING id`);
  accepted('INSERT INTO cases (tenant_id, id) SELECT $1, id FROM drafts WHERE tenant_id = $1 AND id = $2');
  accepted('UPDATE cases SET status = $2 WHERE tenant_id = $1 AND id = $3 RETURNING id');
  accepted('UPDATE outbox o SET attempts = o.attempts + 1 WHERE o.tenant_id = $1 AND o.id = $2');
  accepted('DELETE FROM sessions WHERE tenant_id = $1 AND id = $2');
  accepted('DELETE FROM journal j USING cases c WHERE j.tenant_id = $1 AND c.tenant_id = j.tenant_id AND c.id = j.case_id');
});

test('the statements the code builds pass: multi-row journal inserts and combined writes', () => {
  const entry = { version: 2, caseId: 'c', seq: 1, kind: 'note' as const, actorKind: 'system' as const, actorId: null, payload: {}, recordedAt: new Date(0), prevHash: 'p', hash: 'h' };
  accepted(insertEntriesStatement([entry, { ...entry, seq: 2 }, { ...entry, seq: 3 }]).sql);
  const insert = { sql: 'INSERT INTO outbox (tenant_id, id, kind) VALUES ($1, $2, $3)', params: ['o', 'email'] };
  const update = { sql: 'UPDATE drafts SET submitted_case_id = $2 WHERE tenant_id = $1 AND id = $3', params: ['c', 'd'] };
  accepted(combineWrites([insert, insert, update]).sql);
  accepted(combineWritesIf(update, [insert, insert]).sql);
  // A case's parties: several typed rows, each part of the guarded UNION ALL selecting $1 first.
  const party = { id: 'p', role: 'applicant', kind: 'resident', residentId: null, personalNumber: null, email: null, emailVerifiedAt: null, organisationNumber: null, identifier: null, name: null, details: {}, actingFor: null, status: null, statusAt: null, dueAt: null, statusReason: null } as const;
  accepted(combineWritesIf(update, [insertPartiesStatement('c', [party, { ...party, id: 'q', role: 'subject' }], new Date(0))]).sql);
});

test('the loose shapes the old guard let through are refused', () => {
  refused('SELECT tenant_id, * FROM cases WHERE $1 IS NOT NULL');
  refused('SELECT * FROM cases WHERE tenant_id = $2');
  refused('SELECT * FROM cases WHERE tenant_id = $10');
  refused('SELECT * FROM cases WHERE tenant_id <> $1');
  refused('SELECT * FROM cases WHERE tenant_id IS NOT NULL AND $1 IS NOT NULL');
  // (tenant_id = $1) IS NOT NULL is true for every row.
  refused('SELECT * FROM cases WHERE tenant_id = $1 IS NOT NULL');
  refused('SELECT * FROM cases WHERE tenant_id = $1 OR true');
  refused('SELECT * FROM cases WHERE id = $2 OR tenant_id = $1');
  refused('SELECT * FROM cases WHERE NOT (tenant_id = $1)');
  refused('SELECT * FROM cases WHERE CASE WHEN false AND tenant_id = $1 AND true THEN true ELSE true END');
  refused('SELECT * FROM cases');
  refused('SELECT $1');
  refused("SELECT nextval('case_ref_sodera')");
});

test('comments and quoted text never count', () => {
  refused('SELECT * FROM cases -- tenant_id = $1\nWHERE $1 IS NOT NULL');
  refused('SELECT * FROM cases WHERE /* tenant_id = $1 AND */ $1 IS NOT NULL');
  refused('SELECT * FROM cases WHERE /* nested /* tenant_id = $1 */ still a comment */ $1 IS NOT NULL');
  refused("SELECT * FROM cases WHERE note = 'tenant_id = $1' AND $1 IS NOT NULL");
  refused("SELECT * FROM cases WHERE note = E'\\' tenant_id = $1' AND $1 IS NOT NULL");
  refused('SELECT * FROM cases WHERE note = $$ tenant_id = $1 $$ AND $1 IS NOT NULL');
});

test('every table must be tied, in joins, subqueries, WITH parts and set operations', () => {
  refused('SELECT * FROM cases a, cases b WHERE a.tenant_id = $1');
  refused('SELECT * FROM cases a JOIN cases b ON b.id = a.id WHERE a.tenant_id = $1');
  // A LEFT JOIN's ON does not filter the left table; a RIGHT JOIN keeps every right row.
  refused('SELECT * FROM cases c LEFT JOIN journal j ON c.tenant_id = $1 AND j.tenant_id = c.tenant_id');
  refused('SELECT * FROM cases c RIGHT JOIN journal j ON j.tenant_id = c.tenant_id WHERE c.tenant_id = $1');
  refused('SELECT * FROM cases WHERE tenant_id = $1 AND id IN (SELECT case_id FROM journal)');
  refused('SELECT * FROM cases c WHERE c.tenant_id = $1 AND EXISTS (SELECT 1 FROM journal j WHERE j.case_id = c.id)');
  refused('SELECT (SELECT count(*) FROM cases) AS n FROM drafts WHERE tenant_id = $1');
  refused('WITH x AS (SELECT * FROM cases) SELECT * FROM x');
  refused('WITH x AS (DELETE FROM cases RETURNING id) SELECT * FROM drafts WHERE tenant_id = $1');
  refused('SELECT id FROM cases WHERE tenant_id = $1 UNION SELECT id FROM cases');
  refused('SELECT * FROM (SELECT * FROM cases) x WHERE x.tenant_id = $1');
});

test('writes are refused unless they keep to the tenant', () => {
  refused('INSERT INTO sessions (id, tenant_id) VALUES ($2, $1)');
  refused('INSERT INTO sessions VALUES ($1, $2)');
  refused("INSERT INTO sessions (tenant_id, id) VALUES ($1, $2), ('sodera', $3)");
  refused("INSERT INTO sessions (tenant_id, id) SELECT 'sodera', $2");
  refused("INSERT INTO sessions (tenant_id, id) SELECT $1, $2 UNION SELECT 'sodera', $2");
  refused('INSERT INTO cases (tenant_id, id) SELECT $1, id FROM drafts');
  refused('INSERT INTO sessions (tenant_id, id) DEFAULT VALUES');
  refused('INSERT INTO residents (tenant_id, id) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET given_name = EXCLUDED.given_name');
  refused('INSERT INTO residents (tenant_id, id) VALUES ($1, $2) ON CONFLICT ON CONSTRAINT residents_pkey DO UPDATE SET given_name = EXCLUDED.given_name');
  refused("UPDATE cases SET tenant_id = 'sodera' WHERE tenant_id = $1");
  refused("UPDATE cases SET (status, tenant_id) = ('x', 'sodera') WHERE tenant_id = $1");
  refused('UPDATE cases SET status = $2 WHERE id = $3');
  refused('UPDATE cases c SET status = $2 FROM journal j WHERE c.tenant_id = $1 AND j.case_id = c.id');
  refused('DELETE FROM sessions WHERE id = $2');
  refused('DELETE FROM sessions WHERE tenant_id = $1 OR id = $2');
  refused('DELETE FROM journal j USING cases c WHERE j.tenant_id = $1 AND c.id = j.case_id');
  refused('TRUNCATE cases');
  refused('SELECT 1 FROM cases WHERE tenant_id = $1; DELETE FROM cases WHERE tenant_id = $1');
  refused('SELECT * INTO copy FROM cases WHERE tenant_id = $1');
});

test('tenantScope checks every query and sends the tenant as $1', async () => {
  const sent: { sql: string; params: readonly unknown[] }[] = [];
  const fake: Database = {
    dialect: 'pglite',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      sent.push({ sql, params });
      return { rows: [] as R[], rowCount: 0 };
    },
    transaction: (fn) => fn(fake),
    session: (fn) => fn(fake),
    ping: async () => undefined,
    exec: async () => undefined,
    close: async () => undefined,
  };
  const q = tenantScope(fake, 'norrby');
  await q.query('SELECT * FROM cases WHERE tenant_id = $1 AND id = $2', ['c1']);
  await q.transaction((tx) => tx.query('DELETE FROM sessions WHERE tenant_id = $1'));
  await assert.rejects(q.query('SELECT tenant_id, * FROM cases WHERE $1 IS NOT NULL'), MissingTenantError);
  await assert.rejects(q.transaction((tx) => tx.query('DELETE FROM sessions')), MissingTenantError);
  assert.deepEqual(sent, [
    { sql: 'SELECT * FROM cases WHERE tenant_id = $1 AND id = $2', params: ['norrby', 'c1'] },
    { sql: 'DELETE FROM sessions WHERE tenant_id = $1', params: ['norrby'] },
  ]);
  assert.throws(() => tenantScope(fake, ''), MissingTenantError);
  assert.throws(() => tenantScope(fake, "x'; DROP TABLE sessions; --"), MissingTenantError);
});
