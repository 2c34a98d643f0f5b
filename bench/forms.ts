/**
 * `npm run bench:forms` — how fast Medborg shows a form step and takes an answer to it, against a
 * bare Fastify HTML route of the same size measured in the same run, on PostgreSQL.
 *
 *  1. Recreates the database (BENCH_FORMS_DATABASE, default bench_forms) and migrates it.
 *  2. Picks the step: the serving-licence service's step with the most fields, or, where no tenant
 *     offers it yet, the enabled service step with the most fields (by definition data); --tenant,
 *     --service, --step choose another. It prints which.
 *  3. Starts --nodes Medborg processes (1; interchangeable: all state in PostgreSQL) and as many bare
 *     Fastify processes, makes --sessions signed-in residents (256), each with its own session and
 *     its own draft of the service, and posts each draft a valid answer to the step once (the
 *     field kinds' own examples) — the saved draft every page then shows, and the warm-up.
 *  4. Measures with wrk (C, one event loop; `apt-get install -y wrk` if missing), one wrk per node,
 *     each thread sending its own sessions in turn: (a) GET of the step, (b) POST of the valid
 *     answer with each session's CSRF token (303 expected, anything else counts as an error),
 *     (c) the bare route, before and after the two (their mean is the baseline).
 *  5. Prints one JSON line: pages/s, posts/s, p50/p99 of each, and each rate's ratio to the bare
 *     route's. Targets (issue 7): a page ≥ 25% of bare, a post ≥ 10%.
 *
 * Knobs: --duration seconds per measurement (15), --connections per node (32), --threads wrk
 * threads per node (1), --sessions (256), --nodes (1); BENCH_ADMIN_URL names the server,
 * BENCH_LOG_LEVEL the server's log level (info, production's default), BENCH_CPU_PROF=<dir> writes
 * a V8 CPU profile of the (first) Medborg node. A figure, not a test: it exits non-zero only when a
 * request fails.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCatalogue, versionOf } from '../src/catalogue/index.ts';
import { loadConfig } from '../src/kernel/config.ts';
import { migrate, PostgresDatabase, tenantScope } from '../src/kernel/db/index.ts';
import { SESSION_COOKIE } from '../src/kernel/http/index.ts';
import { SessionStore } from '../src/kernel/http/session.ts';
import { loadTenants } from '../src/kernel/tenants.ts';
import { recordSignIn } from '../src/identity/eid/residents-repository.ts';
import { createDraft } from '../src/forms/drafts.repository.ts';
import { stockholmToday } from '../src/forms/dates.ts';
import { cpuBreakdown, cpuSnapshot } from './lib/cpu.ts';
import { recreateDatabase } from './lib/database.ts';
import { runLoad, type LoadRequest } from './lib/load.ts';
import { startServerProcess, type RunningServer } from './lib/servers.ts';
import { chooseStep, encodeForm, testPersonalNumber, validAnswer, type WrkRequest, type WrkResult } from './lib/forms-plan.ts';
import { measureWithWrk, wrkVersion } from './lib/wrk.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const num = (name: string, fallback: number) => Number(opt(name) ?? fallback);
const DURATION = num('duration', 15);
const CONNECTIONS = num('connections', 32);
const THREADS = num('threads', 1);
const SESSIONS = num('sessions', 256);
const NODES = num('nodes', 1);
const POOL = Number(process.env.BENCH_POOL_SIZE ?? 8);
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_FORMS_DATABASE ?? 'bench_forms';
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';

const status = (line: string) => process.stderr.write(`${line}\n`);

const measure = (label: string, servers: RunningServer[], requests: WrkRequest[], dir: string): Promise<WrkResult> =>
  measureWithWrk(label, servers, requests, { duration: DURATION, connections: CONNECTIONS, threads: THREADS, dir, status });

async function main(): Promise<void> {
  const wrk = wrkVersion();
  const tenants = loadTenants(path.join(root, 'tenants.yaml'));
  const catalogue = loadCatalogue(tenants);
  const choice = chooseStep(catalogue, tenants.all.map((t) => t.id), { tenant: opt('tenant'), service: opt('service'), step: opt('step') });
  const tenant = tenants.all.find((t) => t.id === choice.tenant)!;
  const host = tenant.hosts[0]!;
  status(`bench:forms — ${os.cpus().length} CPUs, Node ${process.version}, ${wrk}`);
  status(`step: ${choice.tenant}/${choice.service.id}/${choice.step.id} (${choice.fields} fields${choice.service.id === 'serveringstillstand' ? '' : '; the serving-licence service is not in the catalogue yet, so the enabled step with the most fields'})`);

  const url = await recreateDatabase(ADMIN_URL, DB_NAME);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'medborg-bench-forms-'));
  const servers: RunningServer[] = [];
  try {
    const db = new PostgresDatabase(url, 8);
    await migrate(db);
    const env = { DATABASE_URL: url, DATABASE_POOL_SIZE: String(POOL), LOG_LEVEL, MEDBORG_DATA_DIR: dataDir, MEDBORG_ENV: 'development' };
    status(`starting ${NODES} Medborg node(s) and ${NODES} bare Fastify process(es)`);
    // Each node stores the definitions at start-up (idempotent): started one after the other.
    const nodes: RunningServer[] = [];
    for (let n = 0; n < NODES; n++) {
      const prof: Record<string, string> = n === 0 ? {} : { BENCH_CPU_PROF: '' };
      nodes.push(await startServerProcess('medborg', { ...env, ...prof }));
    }
    servers.push(...nodes);

    // Residents, sessions and drafts, as many residents signed in at once would have.
    const config = loadConfig({ DATABASE_URL: url, MEDBORG_DATA_DIR: dataDir }, root);
    const tdb = tenantScope(db, tenant.id);
    const sessions = new SessionStore(60 * 60_000);
    const now = new Date();
    const today = stockholmToday(now);
    const form = validAnswer(choice.service, choice.step, { today, children: [], register: (id) => catalogue.register(tenant.id, id) });
    const stepPath = (draftId: string) => `/apply/${draftId}/${choice.step.id}`;
    const gets: WrkRequest[] = [];
    const posts: WrkRequest[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const residentId = await recordSignIn(tdb, { personalNumber: testPersonalNumber(i), givenName: 'Test', familyName: `Person ${i}`, locale: 'sv' }, now);
      const draft = await createDraft(tdb, residentId, choice.service.id, {}, now, config.draftRetentionDays, versionOf(choice.service));
      const { token, session } = await sessions.create(tdb, { kind: 'resident', subjectId: residentId, locale: 'sv', data: { displayName: `Test Person ${i}` } }, now);
      const headers = { host, cookie: `${SESSION_COOKIE}=${token}` };
      gets.push({ method: 'GET', path: stepPath(draft.id), headers });
      posts.push({ method: 'POST', path: stepPath(draft.id), headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: encodeForm({ ...form, _csrf: session.csrfToken }) });
    }
    await db.close();
    status(`  ${SESSIONS} residents, sessions and drafts`);

    // Every draft saved once with a valid answer (it must be: 303 to the next step, not to the step's
    // follow-up page, ADR 0026), then every page shown once.
    const warmPost = await runLoad({ port: nodes[0]!.port, concurrency: 8, requests: posts as LoadRequest[], ok: (s, loc) => s === 303 && !!loc && !new URL(loc, 'http://x').pathname.endsWith(`/${choice.step.id}`) });
    if (warmPost.errors) throw new Error(`the answer is not accepted: ${warmPost.firstError} (form: ${JSON.stringify(form)})`);
    const warmGet = await runLoad({ port: nodes[0]!.port, concurrency: 8, requests: gets as LoadRequest[], ok: (s) => s === 200 });
    if (warmGet.errors) throw new Error(`the step is not shown: ${warmGet.firstError}`);
    // Statistics, as autovacuum would gather within its minute on a live database: without them the
    // planner may take the drafts' owner index for the answer's `id =` (it scanned every draft).
    const stats = new PostgresDatabase(url, 1);
    await stats.pool.query('ANALYZE');
    await stats.close();
    const pageBytes = await fetch(`http://127.0.0.1:${nodes[0]!.port}${gets[0]!.path}`, { headers: gets[0]!.headers }).then(async (r) => Buffer.byteLength(await r.text()));
    status(`  the step's page is ${pageBytes.toLocaleString('en')} bytes; the bare route answers as many`);
    const bares: RunningServer[] = [];
    for (let n = 0; n < NODES; n++) bares.push(await startServerProcess('bare', { BENCH_BARE_HTML_BYTES: String(pageBytes), BENCH_CPU_PROF: '' }));
    servers.push(...bares);
    const bareReq: WrkRequest[] = [{ method: 'GET', path: '/', headers: {} }];

    // A short warm-up of each at full load (JIT), then bare, page, post, bare.
    const dir = dataDir;
    await measure('warm-bare', bares, bareReq, dir);
    await measure('warm-page', nodes, gets, dir);
    let bareCpu = cpuSnapshot();
    const bare1 = await measure('bare', bares, bareReq, dir);
    const bare1Cpu = NODES === 1 ? cpuBreakdown(bareCpu, cpuSnapshot(), bares[0]!.pid, bare1.requests) : undefined;
    // Monotonic microseconds, the clock of V8's CPU profiles: bench/profile-summary.mjs takes them as a window.
    const micros = () => Number(process.hrtime.bigint() / 1000n);
    const windows: Record<string, string> = {};
    let cpu = cpuSnapshot();
    let t0 = micros();
    const page = await measure('page', nodes, gets, dir);
    windows.page = `${t0}-${micros()}`;
    const pageCpu = NODES === 1 ? cpuBreakdown(cpu, cpuSnapshot(), nodes[0]!.pid, page.requests) : undefined;
    cpu = cpuSnapshot();
    t0 = micros();
    const post = await measure('post', nodes, posts, dir);
    windows.post = `${t0}-${micros()}`;
    const postCpu = NODES === 1 ? cpuBreakdown(cpu, cpuSnapshot(), nodes[0]!.pid, post.requests) : undefined;
    bareCpu = cpuSnapshot();
    const bare2 = await measure('bare', bares, bareReq, dir);
    const bare2Cpu = NODES === 1 ? cpuBreakdown(bareCpu, cpuSnapshot(), bares[0]!.pid, bare2.requests) : undefined;
    // The server's own CPU per request, from /proc: unlike the rates, it hardly moves when other work
    // crowds the cores, so its ratio is the steadier figure on a busy machine (PostgreSQL's is not in it).
    const bareServerMs = bare1Cpu && bare2Cpu ? (bare1Cpu.server_ms + bare2Cpu.server_ms) / 2 : undefined;
    const bareRps = (bare1.perSecond + bare2.perSecond) / 2;

    const round = (x: number, d = 2) => +x.toFixed(d);
    const result = {
      benchmark: 'forms',
      step: `${choice.tenant}/${choice.service.id}/${choice.step.id}`,
      fields: choice.fields,
      page_bytes: pageBytes,
      pages_per_s: Math.round(page.perSecond),
      page_p50_ms: round(page.p50Ms),
      page_p99_ms: round(page.p99Ms),
      posts_per_s: Math.round(post.perSecond),
      post_p50_ms: round(post.p50Ms),
      post_p99_ms: round(post.p99Ms),
      bare_rps: Math.round(bareRps),
      bare_rps_before_after: [Math.round(bare1.perSecond), Math.round(bare2.perSecond)],
      bare_p50_ms: round((bare1.p50Ms + bare2.p50Ms) / 2),
      bare_p99_ms: round(Math.max(bare1.p99Ms, bare2.p99Ms)),
      page_ratio_vs_bare: round(page.perSecond / bareRps, 4),
      post_ratio_vs_bare: round(post.perSecond / bareRps, 4),
      target: { page_ratio_vs_bare: 0.25, post_ratio_vs_bare: 0.1 },
      errors: page.errors + post.errors + bare1.errors + bare2.errors,
      ...(pageCpu && postCpu && bareServerMs
        ? {
            cpu_ms_per_page: pageCpu,
            cpu_ms_per_post: postCpu,
            bare_server_cpu_ms: round(bareServerMs, 3),
            page_server_cpu_ratio_vs_bare: round(bareServerMs / pageCpu.server_ms, 4),
            post_server_cpu_ratio_vs_bare: round(bareServerMs / postCpu.server_ms, 4),
          }
        : {}),
      ...(process.env.BENCH_CPU_PROF ? { profile_windows_us: windows } : {}),
      // Other work on the machine while measuring (the rates fall with it; read them beside it).
      load_average_1m: +os.loadavg()[0]!.toFixed(1),
      nodes: NODES,
      connections_per_node: CONNECTIONS,
      wrk_threads_per_node: THREADS,
      sessions: SESSIONS,
      duration_s: DURATION,
      db_pool: POOL,
      log_level: LOG_LEVEL,
      client: wrk,
      node: process.version,
      cpus: os.cpus().length,
    };
    console.log(JSON.stringify(result));
    if (result.errors) {
      status(`FAILED: ${result.errors} requests failed or had an unexpected status`);
      process.exitCode = 1;
    }
  } finally {
    for (const s of servers) await s.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
