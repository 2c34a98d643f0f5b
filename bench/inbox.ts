/**
 * `npm run bench:inbox` — the handler's inbox query (src/cases/inbox.repository.ts) on 100,000
 * cases, on PostgreSQL: every order (received, due, reference, state) both ways, the next page of
 * each, the "open" filter, one department's state, overdue, and a search by reference, by name and
 * for a name nobody has (which reads the most). Prints one JSON line of milliseconds per query
 * (median of --runs, 7) and the plan's top node for each, so a missing index shows as a Seq Scan.
 *
 *  1. Recreates the database (BENCH_INBOX_DATABASE, default bench_inbox; BENCH_ADMIN_URL names the
 *     server), migrates it and stores the demo catalogue's definitions (the "open" filter reads them).
 *  2. Writes BENCH_EXISTING_CASES (100,000) cases of the demo tenant norrby in one INSERT … SELECT
 *     (spread over two years, four services and departments, states, assignees, due dates or none),
 *     each with an applicant and a subject party; a few with a protected identity. ANALYZE.
 *  3. Times each query as the inbox route sends it. A figure, not a test: it exits non-zero only when
 *     a query returns nothing where rows were written.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadCatalogue } from '../src/catalogue/index.ts';
import { storeDefinitionVersions } from '../src/catalogue/versions.ts';
import { migrate, PostgresDatabase, tenantScope } from '../src/kernel/db/index.ts';
import { loadTenants } from '../src/kernel/tenants.ts';
import { inbox, type InboxFilter } from '../src/cases/inbox.repository.ts';
import { INBOX_SORTS, type InboxSort } from '../src/cases/inbox-sort.ts';
import { recreateDatabase } from './lib/database.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 7) || 7;
const CASES = Number(process.env.BENCH_EXISTING_CASES ?? 100_000);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_INBOX_DATABASE ?? 'bench_inbox';
const status = (s: string) => process.stderr.write(`${s}\n`);

// Cases spread like a municipality's: four services in two departments, mostly closed, a quarter
// unassigned, one in ten without a due date, names from a small list (searches find many).
const SEED = `
WITH s AS (
  SELECT n,
         (ARRAY['forskola','grundskola','felanmalan','serveringstillstand'])[1 + n % 4] AS service_id,
         (ARRAY['education','education','city-services','city-services'])[1 + n % 4] AS department,
         (ARRAY['submitted','in_progress','decided','decided','decided','closed','withdrawn','supplement_requested'])[1 + (n / 7) % 8] AS status,
         timestamptz '2025-01-01' + make_interval(mins => n * (2 * 365 * 24 * 60 / $2::int)) AS created_at
    FROM generate_series(1, $2::int) AS n
)
INSERT INTO cases (tenant_id, id, reference, service_id, service_version, department, answers, locale, status, status_changed_at,
                   due_at, assignee_id, created_at, updated_at, journal_seq, journal_head)
SELECT $1, md5('case' || n)::uuid, upper(left(service_id, 3)) || '-' || extract(year FROM created_at) || '-' || lpad(n::text, 6, '0'),
       service_id, 1, department, '{}'::jsonb, 'sv', status, created_at,
       CASE WHEN n % 10 = 0 THEN NULL ELSE created_at + interval '30 days' END,
       CASE WHEN n % 4 = 0 THEN NULL ELSE md5('staff' || n % 12)::uuid END,
       created_at, created_at, 1, repeat('0', 64)
  FROM s`;

const PARTIES = `
INSERT INTO case_parties (tenant_id, case_id, id, role, kind, resident_id, personal_number, name, details, created_at)
SELECT $1, c.id, md5('applicant' || c.reference)::uuid, 'applicant', 'resident', md5('resident' || abs(hashtext(c.reference)) % 20000)::uuid, NULL,
       (ARRAY['Anna','Erik','Sara','Olof','Maria','Johan','Lova','Per','Åsa','Björn'])[1 + abs(hashtext(c.reference)) % 10] || ' ' ||
       (ARRAY['Andersson','Holm','Lind','Nord','Berg','Öberg','Ek','Sjöberg'])[1 + abs(hashtext(c.reference || 'x')) % 8],
       CASE WHEN abs(hashtext(c.reference)) % 500 = 0 THEN '{"protected": true}'::jsonb ELSE '{}'::jsonb END, c.created_at
  FROM cases c WHERE c.tenant_id = $1
UNION ALL
SELECT $1, c.id, md5('subject' || c.reference)::uuid, 'subject', 'child', NULL, '2022' || lpad((abs(hashtext(c.reference)) % 100000000)::text, 8, '0'),
       (ARRAY['Ella','Vera','Sigge','Alva','Nils','Ebbe'])[1 + abs(hashtext(c.reference || 's')) % 6] || ' ' ||
       (ARRAY['Andersson','Holm','Lind','Nord','Berg','Öberg','Ek','Sjöberg'])[1 + abs(hashtext(c.reference || 'x')) % 8],
       '{}'::jsonb, c.created_at
  FROM cases c WHERE c.tenant_id = $1 AND c.service_id IN ('forskola', 'grundskola')`;

async function main(): Promise<void> {
  const url = await recreateDatabase(ADMIN_URL, DB_NAME);
  const db = new PostgresDatabase(url, 4);
  try {
    await migrate(db);
    const tenants = loadTenants(path.join(root, 'tenants.yaml'));
    await storeDefinitionVersions(db, tenants.all, loadCatalogue(tenants));
    status(`writing ${CASES} cases`);
    // One long statement each, beyond a request's statement timeout: on a connection of its own.
    const seed = new pg.Client({ connectionString: url });
    await seed.connect();
    await seed.query(SEED, ['norrby', CASES]);
    await seed.query(PARTIES, ['norrby']);
    await seed.query('ANALYZE');
    await seed.end();
    const tdb = tenantScope(db, 'norrby');
    const viewer = '00000000-0000-7000-8000-000000000001';
    const base: InboxFilter = { departments: ['education'], serviceIds: ['forskola', 'grundskola'], viewerId: viewer, now: new Date('2026-06-01T00:00:00Z'), limit: 25 };

    const queries: [string, InboxFilter][] = [];
    for (const key of INBOX_SORTS) for (const dir of ['asc', 'desc'] as const) queries.push([`all_${key}_${dir}`, { ...base, sort: { key, dir } satisfies InboxSort }]);
    queries.push(['open_received_desc', { ...base, status: 'open' }]);
    queries.push(['state_received_desc', { ...base, status: 'forskola:submitted' }]);
    queries.push(['overdue_due_asc', { ...base, status: 'open', overdue: true, sort: { key: 'due', dir: 'asc' } }]);
    queries.push(['mine_open', { ...base, status: 'open', assignee: viewer }]);
    queries.push(['search_reference', { ...base, search: 'for-2025-00001' }]);
    queries.push(['search_name', { ...base, search: 'sigge' }]);
    queries.push(['search_name_none', { ...base, search: 'zyxwvut' }]);
    queries.push(['search_name_open_due', { ...base, status: 'open', search: 'åsa', sort: { key: 'due', dir: 'asc' } }]);

    const ms: Record<string, number> = {};
    const plans: Record<string, string> = {};
    // The pool's client sees the statements the route sends: its plan, through EXPLAIN of the same text.
    const explain = new pg.Client({ connectionString: url });
    await explain.connect();
    for (const [name, filter] of queries) {
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = process.hrtime.bigint();
        const first = await inbox(tdb, filter);
        // The next page too: the cursor's range is what paging by key has to keep cheap.
        if (first.next) await inbox(tdb, { ...filter, after: first.next });
        times.push(Number(process.hrtime.bigint() - t0) / 1e6 / (first.next ? 2 : 1));
        rows = first.cases.length;
      }
      if (rows === 0 && name !== 'search_name_none' && name !== 'mine_open') throw new Error(`${name}: no rows`);
      times.sort((a, b) => a - b);
      ms[name] = Math.round(times[Math.floor(times.length / 2)]! * 10) / 10;
      plans[name] = await topPlanNodes(explain, tdb, filter);
      status(`  ${name}: ${ms[name]} ms (${rows} rows) ${plans[name]}`);
    }
    await explain.end();
    process.stdout.write(`${JSON.stringify({ cases: CASES, runs: RUNS, ms_per_query: ms, plans })}\n`);
  } finally {
    await db.close();
  }
}

/** The scans of the inbox query's plan (Index Scan using …, Seq Scan on …), to see which index it used. */
async function topPlanNodes(client: pg.Client, tdb: ReturnType<typeof tenantScope>, filter: InboxFilter): Promise<string> {
  let captured: { sql: string; params: unknown[] } | undefined;
  const spy = { ...tdb, tenantId: tdb.tenantId, query: async (sql: string, params: unknown[] = []) => ((captured = { sql, params }), { rows: [], rowCount: 0 }) };
  await inbox(spy as unknown as typeof tdb, filter);
  const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${captured!.sql}`, [tdb.tenantId, ...captured!.params]);
  return [...new Set(rows.map((r) => r['QUERY PLAN']).flatMap((l) => /((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?(?: using| on) \S+)/.exec(l)?.[1] ?? []))].join('; ');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
