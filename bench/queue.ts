/**
 * `npm run bench:queue` — a place in a queue (ADR 0043), on PostgreSQL: the position look-up a case
 * page makes (src/queues/queues.repository.ts placesOfCase: the number before it in the queue's
 * order, and the queue's length) in one queue of 100,000, while joins and withdrawals run beside it
 * at a steady rate. Prints one JSON line: the look-ups' p50/p99/max in milliseconds, how many ran,
 * and the joins and withdrawals per second actually achieved. Target: p99 under 10 ms at 100 joins
 * and 100 withdrawals a second.
 *
 *  1. Recreates the database (BENCH_QUEUE_DATABASE, default bench_queue; BENCH_ADMIN_URL names the
 *     server) and migrates it.
 *  2. Writes --size (100,000) places in one queue in one INSERT … SELECT: two priority groups, queue
 *     dates over two years, distances up to 10 km, arrival numbers — the keys the engine stores — then
 *     a second and third queue of a tenth of that (a case page reads every choice). VACUUM ANALYZE.
 *  3. For --seconds (70): --concurrency (4) clients look up random members' places back to back,
 *     while one client joins (the engine's joinStatement, three choices each) and withdraws (what a
 *     case ending does: its places deleted) --rate (100) applications a second each, and the queue
 *     counts' deltas are summed every --compact-every (2) seconds, as the app's job does; so the run
 *     sees the most deltas a look-up ever sums.
 * A figure, not a test: it exits non-zero only when a look-up finds no place where one was written.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { migrate, PostgresDatabase, tenantScope } from '../src/kernel/db/index.ts';
import { compactQueueCounts, joinStatement, placesOfCase, placesFor } from '../src/queues/index.ts';
import type { Queryable } from '../src/kernel/db/index.ts';
import { recreateDatabase } from './lib/database.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const SIZE = arg('size', 100_000);
const SECONDS = arg('seconds', 70);
const CONCURRENCY = arg('concurrency', 4);
const RATE = arg('rate', 100);
// As often as the app's job sums the queue counts' deltas (src/jobs/standard-jobs.ts).
const COMPACT_EVERY_S = arg('compact-every', 2);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_QUEUE_DATABASE ?? 'bench_queue';
const status = (s: string) => process.stderr.write(`${s}\n`);
const SERVICE = 'bench-queue';

const url = await recreateDatabase(ADMIN_URL, DB_NAME);
const db = new PostgresDatabase(url, CONCURRENCY + 4);
await migrate(db);
const tdb = tenantScope(db, 'norrby');

status(`seeding ${SIZE.toLocaleString('en')} places in one queue …`);
// The seed runs on a connection of its own, without the request timeouts.
const seeder = new pg.Client({ connectionString: url });
await seeder.connect();
const seed = (queue: string, n: number, offset: number) =>
  seeder.query(
    `INSERT INTO queue_entries (tenant_id, service_id, queue, case_id, rank, grp, queue_date, distance_m, tie, k1, k2, k3, joined_at)
     SELECT $1, $2, $3, gen_random_uuid(), 0, g, d, m, $5 + i, g, (d - date '1970-01-01'), m, now()
       FROM (SELECT i, (CASE WHEN i % 20 = 0 THEN 0 ELSE 1 END) AS g, date '2025-01-01' + (i % 730) AS d, (i * 7919) % 10000 AS m
               FROM generate_series(1, $4::int) i) s`,
    ['norrby', SERVICE, queue, n, offset],
  );
await seed('unit-a', SIZE, 0);
await seed('unit-b', Math.ceil(SIZE / 10), SIZE);
await seed('unit-c', Math.ceil(SIZE / 10), SIZE * 2);
// The seed's deltas summed, as the compact-queue-counts job does.
await compactQueueCounts(seeder as unknown as Queryable);
await seeder.query('VACUUM ANALYZE queue_entries');
await seeder.query('VACUUM ANALYZE queue_counts');
await seeder.query('VACUUM ANALYZE queue_span_counts');
await seeder.end();
const { rows: members } = await tdb.query<{ case_id: string }>("SELECT case_id FROM queue_entries WHERE tenant_id = $1 AND queue = 'unit-a'");
const ids = members.map((r) => r.case_id);
status(`${ids.length.toLocaleString('en')} in the measured queue`);

// Joins and withdrawals beside the look-ups: each second, RATE applications join three queues and RATE leave.
let joins = 0;
let withdrawals = 0;
let arrival = SIZE * 3;
const joined: string[] = [];
const def = { queue: { choices: 'units', order: ['groups', 'queueDate', 'distance'] as ('groups' | 'queueDate' | 'distance')[], groups: [{ id: 'g', label: { sv: 'G', en: 'G' }, when: { '==': [{ var: 'needs' }, 'yes'] } }] } };
const entries = new Map(['unit-a', 'unit-b', 'unit-c'].map((id, i) => [id, { id, name: id, position: { lat: 59.3 + i / 100, lon: 18.0 } }]));
let stop = false;
async function churn(): Promise<void> {
  const interval = 1000 / RATE;
  let next = performance.now();
  while (!stop) {
    next += interval;
    const caseId = randomUUID();
    const places = placesFor(def, { answers: { needs: Math.random() < 0.05 ? 'yes' : 'no' }, choices: ['unit-a', 'unit-b', 'unit-c'], entries: (id) => entries.get(id), home: { lat: 59.31, lon: 18.01 }, queueDate: '2026-12-06', today: '2026-12-06' });
    const s = joinStatement(SERVICE, caseId, places, ++arrival, new Date());
    await tdb.query(s.sql, s.params);
    joined.push(caseId);
    joins++;
    // A withdrawal: someone who joined before leaves (a case ending deletes its places).
    const leaving = joined.length > 50 ? joined.splice(Math.floor(Math.random() * joined.length), 1)[0]! : undefined;
    if (leaving) {
      await tdb.query('DELETE FROM queue_entries WHERE tenant_id = $1 AND case_id = $2', [leaving]);
      withdrawals++;
    }
    const wait = next - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}

const times: number[] = [];
let missing = 0;
async function lookups(until: number): Promise<void> {
  while (performance.now() < until) {
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    const t0 = performance.now();
    const places = await placesOfCase(tdb, id);
    times.push(performance.now() - t0);
    if (!places.length) missing++;
  }
}

// Warm the caches and the pool, then measure.
await Promise.all(Array.from({ length: CONCURRENCY }, () => lookups(performance.now() + 1000)));
times.length = 0;
status(`measuring for ${SECONDS} s: ${CONCURRENCY} clients looking up, ${RATE} joins and ${RATE} withdrawals a second beside them …`);
const started = performance.now();
const churning = churn();
let compactions = 0;
const compacting = setInterval(() => void compactQueueCounts(db).then(() => compactions++), COMPACT_EVERY_S * 1000);
await Promise.all(Array.from({ length: CONCURRENCY }, () => lookups(started + SECONDS * 1000)));
stop = true;
clearInterval(compacting);
await churning;
const { rows: deltas } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM queue_counts WHERE tenant_id = $1');
const { rows: spanRows } = await tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM queue_span_counts WHERE tenant_id = $1');
const elapsed = (performance.now() - started) / 1000;
const { rows: plan } = await db.query<{ 'QUERY PLAN': string }>(
  `EXPLAIN SELECT count(*) FROM queue_entries o WHERE o.tenant_id = 'norrby' AND o.service_id = '${SERVICE}' AND o.queue = 'unit-a' AND (o.k1, o.k2, o.k3, o.tie) < (1, 20000, 5000, 50000)`,
);
await db.close();

times.sort((a, b) => a - b);
const pct = (p: number) => Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2));
console.log(
  JSON.stringify({
    bench: 'queue',
    queue_size: SIZE,
    other_queues: 2,
    lookups: times.length,
    lookups_per_s: Math.round(times.length / elapsed),
    p50_ms: pct(0.5),
    p99_ms: pct(0.99),
    max_ms: Number(times.at(-1)!.toFixed(2)),
    joins_per_s: Number((joins / elapsed).toFixed(1)),
    withdrawals_per_s: Number((withdrawals / elapsed).toFixed(1)),
    target_p99_ms: 10,
    compactions,
    count_rows_at_end: deltas[0]!.n,
    span_rows_at_end: spanRows[0]!.n,
    count_plan: plan.map((r) => r['QUERY PLAN'].trim()).find((l) => /Scan/.test(l)),
  }),
);
if (missing) {
  status(`${missing} look-ups found no place`);
  process.exit(1);
}
