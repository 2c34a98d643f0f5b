/**
 * `npm run bench:floor` — the floor under bench:forms: what a form step's page and answer could
 * reach on this machine if Medborg did nothing but what every such request must (ADR 0019).
 *
 * A page must read the session and the draft from PostgreSQL (nodes keep no per-user state), and
 * an answer must write the draft durably. So the floor is Fastify and node-pg alone: a page reads
 * one row by primary key with a prepared statement and sends a fixed page of the step page's size;
 * an answer updates one row's JSON in one durable commit and redirects. Both are measured with
 * wrk against the same bare Fastify HTML route bench:forms uses, in the same run (bare, read,
 * write, bare), and printed as one JSON line with each one's ratio to the bare route and the CPU
 * each process spent per request. bench:forms' targets (a page at 25% of the bare route, an
 * answer at 10%) are printed beside them: a target above the floor's ratio cannot be reached by
 * any code that keeps its state in the database. The lean pair (bench/lib/servers.ts serveLean) adds
 * what every Medborg step must also do, with Medborg's own code: what a step could reach if nothing
 * else cost anything.
 *
 * Knobs: --duration seconds per measurement (10), --connections (32), --rows (256), --bytes the
 * page's size (12,000, bench:forms' step page); BENCH_LEAN_CPU_PROF=<dir> profiles the lean server and
 * BENCH_LEAN_WITHOUT=log,headers leaves those parts out of it;
 * BENCH_ADMIN_URL names the PostgreSQL server,
 * BENCH_FLOOR_DATABASE the database (bench_floor, recreated). A figure, not a test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { cpuBreakdown, cpuSnapshot } from './lib/cpu.ts';
import { recreateDatabase } from './lib/database.ts';
import type { WrkRequest, WrkResult } from './lib/forms-plan.ts';
import { startServerProcess, type RunningServer } from './lib/servers.ts';
import { measureWithWrk, wrkVersion } from './lib/wrk.ts';
import { randomUUID } from 'node:crypto';
import { hashToken } from '../src/kernel/http/session.ts';

const leanDraftId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
// The serving licence's premises step as bench:forms saves it (the kinds' examples).
const LEAN_ANSWERS = {
  hours: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, from: '08:00', to: '16:00' })),
  drinks: ['beer'], kitchen: 'yes', outdoor: 'yes', venueName: 'Exempeltext', seatsIndoor: 0,
  venueAddress: { town: 'Norrby', street: 'Storgatan 1', postalCode: '12345' },
};

const args = process.argv.slice(2);
const num = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(args[i + 1]);
};
const DURATION = num('duration', 10);
const CONNECTIONS = num('connections', 32);
const ROWS = num('rows', 256);
const BYTES = num('bytes', 12_000);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_FLOOR_DATABASE ?? 'bench_floor';
const status = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const wrk = wrkVersion();
  status(`bench:floor — ${os.cpus().length} CPUs, Node ${process.version}, ${wrk}`);
  const url = await recreateDatabase(ADMIN_URL, DB_NAME);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // The drafts table's shape where it matters: a text key, a JSON document, room for updates in place.
  await client.query('CREATE TABLE floor_rows (id text PRIMARY KEY, data jsonb NOT NULL) WITH (fillfactor = 75)');
  await client.query(`INSERT INTO floor_rows SELECT 'r' || g, jsonb_build_object('venueName', 'Krogen ' || g) FROM generate_series(1, $1) g`, [ROWS]);
  // The lean pair's tables (bench/lib/servers.ts serveLean): a session per row, each with its own draft
  // holding an answer of the serving licence's premises step's size (~550 bytes of JSON).
  await client.query(`CREATE TABLE lean_sessions (id text PRIMARY KEY, kind text NOT NULL, subject_id uuid NOT NULL, locale text NOT NULL,
      csrf_token text NOT NULL, data jsonb NOT NULL, last_seen_at timestamptz NOT NULL, expires_at timestamptz NOT NULL)`);
  await client.query(`CREATE TABLE lean_drafts (id uuid PRIMARY KEY, owner_id uuid NOT NULL, answers jsonb NOT NULL, completed_steps text[] NOT NULL,
      updated_at timestamptz NOT NULL, expires_at timestamptz NOT NULL) WITH (fillfactor = 75)`);
  for (let i = 1; i <= ROWS; i++) {
    const subject = randomUUID();
    await client.query(`INSERT INTO lean_sessions VALUES ($1, 'resident', $2, 'sv', $3, '{"displayName": "Test Person"}', now(), now() + interval '1 hour')`, [hashToken(`tok${i}`), subject, `csrf${i}`]);
    await client.query(`INSERT INTO lean_drafts VALUES ($1, $2, $3, '{premises}', now(), now() + interval '30 days')`, [leanDraftId(i), subject, JSON.stringify(LEAN_ANSWERS)]);
  }
  await client.query('ANALYZE');
  await client.end();

  const dir = await mkdtemp(path.join(os.tmpdir(), 'medborg-bench-floor-'));
  const servers: RunningServer[] = [];
  try {
    const bare = await startServerProcess('bare', { BENCH_BARE_HTML_BYTES: String(BYTES), BENCH_CPU_PROF: '' });
    servers.push(bare);
    const floor = await startServerProcess('floor', { BENCH_FLOOR_DATABASE_URL: url, BENCH_BARE_HTML_BYTES: String(BYTES), BENCH_CPU_PROF: '' });
    servers.push(floor);
    // BENCH_LEAN_CPU_PROF=<dir>: a V8 CPU profile of the lean server (bench/profile-summary.mjs reads it).
    const lean = await startServerProcess('floor', { BENCH_FLOOR_DATABASE_URL: url, BENCH_BARE_HTML_BYTES: String(BYTES), BENCH_CPU_PROF: process.env.BENCH_LEAN_CPU_PROF ?? '', BENCH_FLOOR_LEAN: '1' });
    servers.push(lean);
    const ids = Array.from({ length: ROWS }, (_, i) => `r${i + 1}`);
    const leanReads: WrkRequest[] = ids.map((_, i) => ({ method: 'GET', path: `/lean/${leanDraftId(i + 1)}`, headers: { cookie: `sid=tok${i + 1}` } }));
    const leanForm = 'venueName=Krogen+p%C3%A5+h%C3%B6rnet&kitchen=yes&outdoor=yes&seatsIndoor=40&street=Storgatan+1&postalCode=123+45&town=Norrby&drinks=beer';
    const leanWrites: WrkRequest[] = ids.map((_, i) => ({ method: 'POST', path: `/lean/${leanDraftId(i + 1)}`, headers: { cookie: `sid=tok${i + 1}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `${leanForm}&_csrf=csrf${i + 1}` }));
    const reads: WrkRequest[] = ids.map((id) => ({ method: 'GET', path: `/read/${id}`, headers: {} }));
    const writes: WrkRequest[] = ids.map((id) => ({ method: 'POST', path: `/write/${id}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'venueName=Krogen' }));
    const bareReq: WrkRequest[] = [{ method: 'GET', path: '/', headers: {} }];
    const load = { duration: DURATION, connections: CONNECTIONS, threads: 1, dir, status };
    const run = async (label: string, server: RunningServer, requests: WrkRequest[]) => {
      const before = cpuSnapshot();
      const result: WrkResult = await measureWithWrk(label, [server], requests, load);
      return { result, cpu: cpuBreakdown(before, cpuSnapshot(), server.pid, result.requests) };
    };
    await measureWithWrk('warm-bare', [bare], bareReq, { ...load, duration: Math.min(5, DURATION) });
    await measureWithWrk('warm-read', [floor], reads, { ...load, duration: Math.min(5, DURATION) });
    const bare1 = await run('bare', bare, bareReq);
    const read = await run('read', floor, reads);
    const write = await run('write', floor, writes);
    await measureWithWrk('warm-lean', [lean], leanReads, { ...load, duration: Math.min(5, DURATION) });
    const leanRead = await run('lean page', lean, leanReads);
    const leanWrite = await run('lean answer', lean, leanWrites);
    const bare2 = await run('bare', bare, bareReq);
    const bareRps = (bare1.result.perSecond + bare2.result.perSecond) / 2;
    const round = (x: number, d = 4) => +x.toFixed(d);
    console.log(
      JSON.stringify({
        benchmark: 'floor',
        page_bytes: BYTES,
        bare_rps: Math.round(bareRps),
        bare_rps_before_after: [Math.round(bare1.result.perSecond), Math.round(bare2.result.perSecond)],
        read_rps: Math.round(read.result.perSecond),
        write_rps: Math.round(write.result.perSecond),
        read_ratio_vs_bare: round(read.result.perSecond / bareRps),
        write_ratio_vs_bare: round(write.result.perSecond / bareRps),
        lean_page_rps: Math.round(leanRead.result.perSecond),
        lean_answer_rps: Math.round(leanWrite.result.perSecond),
        lean_page_ratio_vs_bare: round(leanRead.result.perSecond / bareRps),
        lean_answer_ratio_vs_bare: round(leanWrite.result.perSecond / bareRps),
        forms_targets: { page_ratio_vs_bare: 0.25, post_ratio_vs_bare: 0.1 },
        read_p50_ms: round(read.result.p50Ms, 2),
        write_p50_ms: round(write.result.p50Ms, 2),
        cpu_ms_per_bare: bare1.cpu,
        cpu_ms_per_read: read.cpu,
        cpu_ms_per_write: write.cpu,
        cpu_ms_per_lean_page: leanRead.cpu,
        cpu_ms_per_lean_answer: leanWrite.cpu,
        errors: bare1.result.errors + bare2.result.errors + read.result.errors + write.result.errors + leanRead.result.errors + leanWrite.result.errors,
        load_average_1m: +os.loadavg()[0]!.toFixed(1),
        connections: CONNECTIONS,
        rows: ROWS,
        duration_s: DURATION,
        client: wrk,
        node: process.version,
        cpus: os.cpus().length,
      }),
    );
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
