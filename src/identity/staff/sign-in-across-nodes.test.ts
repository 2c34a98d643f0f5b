/**
 * Sign-in limits with two server processes on one PostgreSQL database, as behind a load balancer:
 * the attempts of one burst are split between the two nodes, and the limits must hold for the sum.
 * The servers are real child processes (bench/lib/servers.ts), each with its own connection pool.
 */
import { test, before, after } from 'node:test';
import { MIN_DATABASE_POOL_SIZE } from '../../kernel/config.ts';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServerProcess, type RunningServer } from '../../../bench/lib/servers.ts';
import { createTestApp, csrfFrom, type TestApp } from '../../../test/helpers/app.ts';
import { testDialect } from '../../../test/helpers/db.ts';
import { TestBrowser, type Page } from '../eid/testing/browser.ts';
import { MAX_FAILED_ATTEMPTS } from './authentication.ts';
import { SIGN_IN_LIMITS } from './sign-in-routes.tsx';
import { makeStaff, PASSWORD, wrongCode } from './test-support.ts';

const skip = testDialect === 'postgres' ? false : 'two processes share one database only on PostgreSQL (a PGlite folder belongs to one process)';

let t: TestApp | undefined;
let servers: RunningServer[] = [];
let dataDir: string | undefined;

before(async () => {
  if (skip) return;
  // The children keep real time, so the accounts are made at real time too.
  t = await createTestApp({ now: new Date().toISOString() });
  dataDir = mkdtempSync(path.join(tmpdir(), 'medborg-nodes-'));
  const env = {
    DATABASE_URL: t.tdb.url!,
    DATABASE_POOL_SIZE: String(MIN_DATABASE_POOL_SIZE),
    MEDBORG_ENV: 'test',
    LOG_LEVEL: 'silent',
    MEDBORG_DATA_DIR: dataDir,
    // The TOTP secrets are encrypted under a key derived from it.
    SESSION_SECRET: t.config.sessionSecret,
    // The browsers' X-Forwarded-For gives each its own address.
    TRUST_PROXY: '127.0.0.1',
  };
  servers = await Promise.all([startServerProcess('medborg', env), startServerProcess('medborg', env)]);
});

after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await t?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Node i % 2's address for norrby. */
const on = (i: number, p: string) => `http://norrby.localhost:${servers[i % 2]!.port}${p}`;

test('60 wrong codes for one pending sign-in, split between two nodes: ten are checked, the rest are refused', { skip }, async () => {
  const { account } = await makeStaff(t!, 'nils');
  const b = new TestBrowser(servers[0]!.port);
  const form = await b.request(on(0, '/staff/sign-in'));
  const step1 = await b.request(on(0, '/staff/sign-in'), { form: { _csrf: csrfFrom(form.body), username: 'nils', password: PASSWORD, back: '/staff' } });
  assert.equal(step1.headers.location, '/staff/sign-in/code');
  // The other node reads the pending session the first one wrote.
  const csrf = csrfFrom((await b.request(on(1, '/staff/sign-in/code'))).body);

  const now = new Date();
  const responses: Page[] = await Promise.all(Array.from({ length: 60 }, (_, i) => b.request(on(i, '/staff/sign-in/code'), { form: { _csrf: csrf, code: wrongCode(now, i) } })));
  const wrong = responses.filter((r) => r.status === 401 && /Koden stämmer inte/.test(r.body)).length;
  const locked = responses.filter((r) => r.status === 303 && r.headers.location === '/staff/sign-in?locked=1').length;
  const expired = responses.filter((r) => r.status === 419).length;
  assert.equal(wrong, MAX_FAILED_ATTEMPTS, 'codes checked');
  assert.equal(locked + expired, 60 - MAX_FAILED_ATTEMPTS, 'codes refused unchecked');
  const { rows } = await t!.tdb.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM staff_account_events WHERE staff_id = $1 AND action = 'locked'`, [account.id]);
  assert.equal(rows[0]!.n, 1, 'one lock');
});

test('30 wrong passwords for one username, split between two nodes: the per-username limit of them are checked', { skip }, async () => {
  await makeStaff(t!, 'nora');
  const b = new TestBrowser(servers[0]!.port);
  // One anonymous session (and its CSRF token) is valid on both nodes.
  const csrf = csrfFrom((await b.request(on(0, '/staff/sign-in'))).body);
  const responses = await Promise.all(
    Array.from({ length: 30 }, (_, i) => b.request(on(i, '/staff/sign-in'), { form: { _csrf: csrf, username: 'nora', password: `wrong password ${i}`, back: '/staff' } })),
  );
  const checked = responses.filter((r) => r.status === 401 && /Användarnamnet eller lösenordet stämmer inte/.test(r.body)).length;
  const limited = responses.filter((r) => r.status === 429 && Number(r.headers['retry-after']) > 0).length;
  assert.equal(checked, SIGN_IN_LIMITS.perUsername.max, 'passwords checked');
  assert.equal(limited, 30 - SIGN_IN_LIMITS.perUsername.max, 'passwords refused unchecked');
  // Sequentially too, each node refuses once the two together have used the limit up.
  for (const i of [0, 1]) assert.equal((await b.request(on(i, '/staff/sign-in'), { form: { _csrf: csrf, username: 'nora', password: PASSWORD } })).status, 429);
});
