/**
 * The database goes away and comes back (hardening items 9 and 10): backends terminated (a restart,
 * a failover, a pooler restart) and a stalled connection, through a TCP proxy between Medborg and
 * PostgreSQL. What might crash runs in a child process, so a crash shows as a dead process. PGlite
 * runs in-process with no connection to lose or stall: those tests are PostgreSQL's.
 */
import { test, after } from 'node:test';
import { MIN_DATABASE_POOL_SIZE } from '../src/kernel/config.ts';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { createTestApp, csrfFrom, repoRoot, NORRBY } from './helpers/app.ts';
import { testDialect } from './helpers/db.ts';
import { startTcpProxy } from './helpers/tcp-proxy.ts';
import { startChild } from './helpers/fault-children.ts';
import { createTestDatabase } from './helpers/db.ts';
import { ANNA } from './helpers/sign-in.ts';
import { isConnectionFault, PostgresDatabase, tenantScope } from '../src/kernel/db/index.ts';
import { SESSION_COOKIE } from '../src/kernel/http/index.ts';
import { SessionStore } from '../src/kernel/http/session.ts';
import { recordSignIn } from '../src/identity/eid/residents-repository.ts';
import { createDraft, findDraft } from '../src/forms/drafts.repository.ts';
import { tenantsFileWarningOfDuplicates } from './helpers/test-catalogue.ts';

const pgOnly = testDialect === 'postgres' ? {} : { skip: 'PostgreSQL only: PGlite runs in-process, with no connection to lose or stall' };

test('connection faults are told apart from errors in the statement', () => {
  for (const fault of [
    Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    Object.assign(new Error('terminating connection due to idle-in-transaction timeout'), { code: '25P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    new Error('Connection terminated unexpectedly'),
    new Error('Query read timeout'),
    new Error('timeout exceeded when trying to connect'),
    new Error('Client has encountered a connection error and is not queryable'),
    new Error('wrapped', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
  ]) {
    assert.ok(isConnectionFault(fault), fault.message);
  }
  for (const bug of [Object.assign(new Error('duplicate key'), { code: '23505' }), Object.assign(new Error('syntax error'), { code: '42601' }), new Error('boom')]) {
    assert.equal(isConnectionFault(bug), false, bug.message);
  }
});

test('every pooled connection carries the configured timeouts; /healthz has its own', pgOnly, async () => {
  const t = await createTestDatabase();
  const timeouts = { connectMs: 1_500, statementMs: 2_500, idleInTransactionMs: 3_500, healthMs: 700 };
  const db = new PostgresDatabase(t.url!, 2, { timeouts });
  try {
    const { rows } = await db.query<{ statement: string; idle: string }>(
      "SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle",
    );
    assert.deepEqual(rows[0], { statement: '2500ms', idle: '3500ms' });
    const inTx = await db.transaction((tx) => tx.query<{ s: string }>("SELECT current_setting('statement_timeout') AS s"));
    assert.equal(inTx.rows[0]!.s, '2500ms');
    assert.equal(db.pool.options.connectionTimeoutMillis, 1_500);
    // The client's own backstop for a network that swallows the server's answer.
    assert.equal((db.pool.options as { query_timeout?: number }).query_timeout, 3_500);
    await db.ping();
  } finally {
    await db.close();
    await t.drop();
  }
});

/** The first backend (other than this one) of the database whose query matches, once it exists. */
async function backendOf(admin: pg.Client, like: string): Promise<number> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(50)) {
    const { rows } = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE $1',
      [like],
    );
    if (rows[0]) return rows[0].pid;
  }
  throw new Error(`no backend running ${like}`);
}

async function terminate(admin: pg.Client, pid: number): Promise<void> {
  await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  for (let gone = false; !gone; await sleep(20)) {
    gone = (await admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).rowCount === 0;
  }
}

test('a backend terminated while its transaction waits on other work: the process stays up, the transaction fails, the pool recovers', pgOnly, async () => {
  const t = await createTestDatabase();
  const admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  try {
    const child = startChild('idle-transaction', { DATABASE_URL: t.url! });
    const { pid } = await child.line<{ pid: number }>('pid');
    await terminate(admin, pid);
    child.proc.stdin!.write('go\n');
    const result = await child.line<{ failed: boolean; fault: boolean; recovered: boolean }>('recovered');
    assert.deepEqual(result, { failed: true, fault: true, recovered: true });
    const { code, stderr } = await child.exited;
    assert.equal(code, 0, stderr);
  } finally {
    await admin.end();
    await t.drop();
  }
});

test("a job's lock connection terminated while the job works elsewhere: the process stays up, the run fails, the next one runs", pgOnly, async () => {
  const t = await createTestDatabase();
  const admin = new pg.Client({ connectionString: t.url });
  await admin.connect();
  try {
    const child = startChild('idle-job', { DATABASE_URL: t.url! });
    await child.line('started');
    // No transaction is open across the job's own work: the lock connection is merely idle.
    const { rows } = await admin.query<{ state: string }>("SELECT state FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_try_advisory%'");
    assert.deepEqual(rows.map((r) => r.state), ['idle']);
    await terminate(admin, await backendOf(admin, 'SELECT pg_try_advisory%'));
    child.proc.stdin!.write('go\n');
    const result = await child.line<{ first: string; second: string; runs: number }>('first');
    assert.deepEqual(result, { first: 'failed', second: 'ran', runs: 2 });
    const { code, stderr } = await child.exited;
    assert.equal(code, 0, stderr);
  } finally {
    await admin.end();
    await t.drop();
  }
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

function request(port: number, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers, agent: false, timeout: 30_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, ms: Date.now() - started }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer in 30 s')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

test('under a submit load, backends terminated repeatedly and the connection stalled: the server survives, /healthz reports it and recovers, every acknowledged submission is stored once, the archive is intact', { ...pgOnly, timeout: 180_000 }, async () => {
  // 42 pre-school applications for one child: the catalogue warns of a second open one instead of refusing it.
  const tenantsFile = tenantsFileWarningOfDuplicates('norrby', 'forskola');
  const t = await createTestApp({ now: new Date().toISOString(), env: { MEDBORG_TENANTS: tenantsFile } });
  const files = mkdtempSync(path.join(tmpdir(), 'medborg-faults-'));
  const direct = t.tdb.url!;
  const target = new URL(direct);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const admin = new pg.Client({ connectionString: direct });
  await admin.connect();
  const child = startChild('server', {
    DATABASE_URL: `${proxy.url(direct)}?application_name=medborg_fault_server`,
    // The smallest pool allowed: the jobs and the load share it.
    DATABASE_POOL_SIZE: String(MIN_DATABASE_POOL_SIZE),
    DATABASE_CONNECT_TIMEOUT_MS: '1000',
    DATABASE_STATEMENT_TIMEOUT_MS: '2000',
    MEDBORG_ENV: 'test',
    LOG_LEVEL: 'error',
    MEDBORG_DATA_DIR: files,
    MEDBORG_BLOB_DIR: path.join(files, 'blobs'),
    MEDBORG_TENANTS: tenantsFile,
  });
  after(async () => {
    child.proc.kill('SIGKILL');
    await proxy.close();
    await admin.end().catch(() => undefined);
    await t.close();
    rmSync(files, { recursive: true, force: true });
  });

  // Complete drafts of the pre-school application, each with its own signed-in session: one filled
  // in over HTTP, the rest copies of its answers (as bench/submit.ts prepares them).
  const tdb = tenantScope(t.tdb.db, 'norrby');
  const now = new Date();
  const residentId = await recordSignIn(tdb, { ...ANNA, locale: 'sv' }, now);
  const sessions = new SessionStore(60 * 60_000);
  const first = await sessions.create(tdb, { kind: 'resident', subjectId: residentId, locale: 'sv', data: { displayName: 'Anna Andersson' } }, now);
  const cookie = `${SESSION_COOKIE}=${first.token}`;
  const get = (url: string) => t.app.inject({ url, headers: { host: NORRBY, cookie } });
  const begun = await get('/services/forskola/apply');
  const draftId = /\/apply\/([0-9a-f-]{36})\//.exec(String(begun.headers.location))![1]!;
  const start = new Date(now.getTime() + 160 * 86_400_000).toISOString().slice(0, 10);
  for (const [step, form] of [
    ['child', { child: '202205109826' }],
    ['preschools', { 'preschools.0': 'nby-ekbacken', 'preschools.1': 'nby-solrosen' }],
    ['start', { startDate: start, earlyReason: '' }],
    ['hours', { careHours: 'from15to30' }],
    ['needs', { specialNeeds: 'no', specialNeedsDescription: '' }],
    ['contact', { email: 'anna@example.se', phone: '070-123 45 67' }],
  ] as const) {
    const page = await get(`/apply/${draftId}/${step}`);
    const r = await t.app.inject({
      method: 'POST',
      url: `/apply/${draftId}/${step}`,
      headers: { host: NORRBY, cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...form, _csrf: csrfFrom(page.body) }).toString(),
    });
    assert.equal(r.statusCode, 303, `${step}: ${r.body.slice(0, 300)}`);
  }
  const template = (await findDraft(tdb, draftId, residentId, now))!;
  const N = 42;
  const drafts: { id: string; headers: Record<string, string>; body: string }[] = [];
  for (let i = 0; i < N; i++) {
    const d = await createDraft(tdb, residentId, 'forskola', template.answers, now, 30);
    await tdb.query('UPDATE drafts SET completed_steps = $3 WHERE tenant_id = $1 AND id = $2', [d.id, template.completedSteps]);
    const s = await sessions.create(tdb, { kind: 'resident', subjectId: residentId, locale: 'sv', data: { displayName: 'Anna Andersson' } }, now);
    drafts.push({ id: d.id, headers: { host: NORRBY, cookie: `${SESSION_COOKIE}=${s.token}`, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(s.session.csrfToken)}` });
  }

  const port = await child.port;
  const acknowledged = new Set<string>();
  const answers: number[] = [];
  async function submit(d: (typeof drafts)[number]): Promise<void> {
    let r: Answer;
    try {
      r = await request(port, { method: 'POST', path: `/apply/${d.id}/submit`, headers: d.headers, body: d.body });
    } catch (err) {
      answers.push(0);
      // A dropped connection is what a crashed server looks like: say which it was.
      const exit = child.proc.exitCode ?? child.proc.signalCode;
      const logged = JSON.stringify(child.lines.slice(-5)).slice(-3000);
      if (exit !== null) throw new Error(`the server process died (${exit}): ${(await child.exited).stderr.slice(-3000)} ${logged}`, { cause: err });
      throw new Error(`no answer from a running server; its last log lines: ${logged}`, { cause: err });
    }
    answers.push(r.status);
    if (r.status === 303 && String(r.headers.location).endsWith('/confirmation')) acknowledged.add(d.id);
    else assert.equal(r.status, 503, `a submission answered ${r.status}: ${r.body.slice(0, 300)}`);
  }
  const killServerBackends = () =>
    admin.query("SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = 'medborg_fault_server'");

  // 1. Backends terminated again and again while submissions come in (the jobs' connections too).
  let terminated = 0;
  for (let round = 0; round < 6; round++) {
    const batch = drafts.slice(round * 6, round * 6 + 6);
    const load = Promise.all(batch.map(submit));
    await sleep(round % 2 === 0 ? 0 : 30);
    terminated += (await killServerBackends()).rows[0]!.n;
    await load;
  }
  assert.ok(terminated > 0, 'some backends were terminated');

  // 2. The connection stalls: nothing forwarded, nothing closed. Submissions are in flight.
  proxy.hold();
  const stalled = Promise.all(drafts.slice(36, 42).map(submit));
  const health = await request(port, { path: '/healthz' });
  assert.equal(health.status, 503);
  assert.equal(JSON.parse(health.body).status, 'unavailable');
  // "Within about a second" (DATABASE_HEALTH_TIMEOUT_MS): without a timeout it would wait for the stall to end.
  assert.ok(health.ms < 5_000, `/healthz answered after ${health.ms} ms of a stall`);
  const page = await request(port, { path: '/my/cases', headers: { host: NORRBY, cookie: drafts[0]!.headers.cookie! } });
  assert.equal(page.status, 503);
  assert.equal(page.headers['retry-after'], '5');
  assert.match(page.body, /Tjänsten är inte tillgänglig just nu/);
  assert.match(page.body, /Försök igen om en liten stund/);
  await stalled;
  // The stall ends with the connections cut, as a failover would end it.
  proxy.cut();
  proxy.pass();

  // 3. It recovers by itself.
  let healthy = false;
  for (const deadline = Date.now() + 30_000; !healthy && Date.now() < deadline; await sleep(100)) {
    healthy = (await request(port, { path: '/healthz' })).status === 200;
  }
  assert.ok(healthy, '/healthz answers 200 again');
  assert.equal(child.proc.exitCode, null, 'the server process is still running');

  // What was not acknowledged may be sent again (submit is idempotent); now every one goes through.
  const unacknowledged = drafts.filter((d) => !acknowledged.has(d.id));
  const ackedDuringFaults = new Set(acknowledged);
  await Promise.all(unacknowledged.map(submit));
  assert.equal(acknowledged.size, N, `after recovery every submission is acknowledged (answers: ${answers.join(',')})`);
  assert.ok(ackedDuringFaults.size > 0 && unacknowledged.length > 0, `the faults were felt: ${ackedDuringFaults.size} acknowledged during them, ${unacknowledged.length} not`);

  // Every acknowledged submission is stored exactly once, with its journal entry.
  const { rows } = await admin.query<{ draft_id: string; cases: number; journal: number }>(
    `SELECT c.draft_id, count(*)::int AS cases,
            (SELECT count(*)::int FROM journal j WHERE j.tenant_id = c.tenant_id AND j.case_id = c.id) AS journal
       FROM cases c WHERE c.tenant_id = 'norrby' AND c.draft_id = ANY($1::uuid[]) GROUP BY c.tenant_id, c.id, c.draft_id`,
    [drafts.map((d) => d.id)],
  );
  assert.equal(rows.length, N, 'one case per draft');
  for (const r of rows) assert.deepEqual({ cases: r.cases, journal: r.journal }, { cases: 1, journal: 1 }, `draft ${r.draft_id}`);

  // archive verify, as an operator runs it (long-work timeouts, straight to PostgreSQL).
  const verify = spawnSync(process.execPath, [path.join(repoRoot, 'bin/medborg.js'), 'archive', 'verify'], {
    env: { ...process.env, DATABASE_URL: direct, LOG_LEVEL: 'silent', MEDBORG_ENV: 'test', MEDBORG_DATA_DIR: files },
    encoding: 'utf8',
  });
  assert.equal(verify.status, 0, verify.stderr);
  assert.match(verify.stdout, /^intact: \d+ cases/m);

  // The server stops cleanly: nothing it held is left broken.
  child.proc.kill('SIGTERM');
  assert.equal((await child.exited).code, 0);
});
