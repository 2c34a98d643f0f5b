import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { testDialect } from '../../test/helpers/db.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { enqueue } from '../notify/index.ts';
import { MIN_DATABASE_POOL_SIZE } from '../kernel/config.ts';
import { standardJobs, type Job } from './index.ts';

let t: TestApp;
let jobs: Map<string, Job>;
before(async () => {
  t = await createTestApp({ demo: true, now: '2026-11-23T10:00:00Z' });
  jobs = new Map(standardJobs(t.app).map((j) => [j.name, j]));
});
after(() => t?.close());

const at = (iso: string) => new Date(iso);

test(`the app runs seven jobs: the outbox every ~2 s, queue counts every 2 s, deadlines and reminders every 30 s, co-signing expiry every 5 min, drafts, sessions and sign-in attempt counters hourly (${testDialect})`, () => {
  assert.deepEqual(
    [...jobs.values()].map((j) => [j.name, j.intervalMs]),
    [
      ['outbox', 2_000],
      ['expire-co-signing', 300_000],
      ['compact-queue-counts', 2_000],
      ['deadlines', 30_000],
      ['purge-expired-drafts', 3_600_000],
      ['purge-expired-sessions', 3_600_000],
      ['purge-expired-attempt-counters', 3_600_000],
    ],
  );
});

test('the smallest pool allowed leaves every job a connection beside its lock, all at once', () => {
  // Each running job holds one connection for its lock and needs a second for its work.
  assert.ok(MIN_DATABASE_POOL_SIZE >= jobs.size + 1, `DATABASE_POOL_SIZE may be ${MIN_DATABASE_POOL_SIZE}, but ${jobs.size} jobs need ${jobs.size + 1}`);
});

test("the outbox job delivers queued e-mail to the tenant's dev mailbox in demo mode", async () => {
  const norrby = tenantScope(t.tdb.db, 'norrby');
  const id = await norrby.transaction((tx) => enqueue(tx, { kind: 'email', payload: { to: 'a@example.se', subject: 'Kvitto', text: 'Tack' } }, t.clock.now()));
  await jobs.get('outbox')!.runOnce();
  const { rows } = await norrby.query<{ subject: string }>('SELECT subject FROM dev_mailbox WHERE tenant_id = $1 AND id = $2', [id]);
  assert.deepEqual(rows, [{ subject: 'Kvitto' }]);
  const sent = await norrby.query<{ sent: boolean }>('SELECT sent_at IS NOT NULL AS sent FROM outbox WHERE tenant_id = $1 AND id = $2', [id]);
  assert.equal(sent.rows[0]!.sent, true);
});

test('draft purge deletes only expired unsent drafts, in every tenant', async () => {
  const now = t.clock.now();
  const drafts = [
    { tenant: 'norrby', name: 'expired', expires: '2026-11-23T09:59:59Z', submitted: false, gone: true },
    { tenant: 'sodera', name: 'expired elsewhere', expires: '2026-10-01T00:00:00Z', submitted: false, gone: true },
    { tenant: 'norrby', name: 'expired but sent', expires: '2026-11-01T00:00:00Z', submitted: true, gone: false },
    { tenant: 'norrby', name: 'still open', expires: '2026-11-23T10:00:01Z', submitted: false, gone: false },
    { tenant: 'sodera', name: 'open elsewhere', expires: '2026-12-23T00:00:00Z', submitted: false, gone: false },
  ].map((d) => ({ ...d, id: uuidv7() }));
  for (const d of drafts) {
    await tenantScope(t.tdb.db, d.tenant).query(
      `INSERT INTO drafts (tenant_id, id, service_id, owner_id, answers, created_at, updated_at, expires_at, submitted_case_id)
       VALUES ($1, $2, 'forskola', $3, '{}', $4, $4, $5, $6)`,
      [d.id, uuidv7(), at('2026-09-01T00:00:00Z'), at(d.expires), d.submitted ? uuidv7() : null],
    );
  }
  assert.equal(await jobs.get('purge-expired-drafts')!.runOnce(), 2);
  const { rows } = await t.tdb.db.query<{ id: string }>('SELECT id FROM drafts');
  const left = new Set(rows.map((r) => r.id));
  for (const d of drafts) assert.equal(!left.has(d.id), d.gone, `${d.name} ${d.gone ? 'deleted' : 'kept'}`);
  assert.equal(now.toISOString(), '2026-11-23T10:00:00.000Z');
});

test('session purge deletes expired sessions of every tenant and keeps live ones', async () => {
  const insert = `INSERT INTO sessions (tenant_id, id, kind, csrf_token, expires_at) VALUES ($1, $2, 'anonymous', 'x', $3)`;
  await tenantScope(t.tdb.db, 'norrby').query(insert, ['old-n', at('2026-11-23T09:00:00Z')]);
  await tenantScope(t.tdb.db, 'sodera').query(insert, ['old-s', at('2026-11-22T09:00:00Z')]);
  await tenantScope(t.tdb.db, 'norrby').query(insert, ['live-n', at('2026-11-23T10:20:00Z')]);
  await tenantScope(t.tdb.db, 'sodera').query(insert, ['live-s', at('2026-11-23T10:01:00Z')]);
  assert.equal(await jobs.get('purge-expired-sessions')!.runOnce(), 2);
  const { rows } = await t.tdb.db.query<{ id: string }>('SELECT id FROM sessions ORDER BY id');
  assert.deepEqual(rows.map((r) => r.id), ['live-n', 'live-s']);
});

test('attempt-counter purge deletes counters whose window has ended, in every tenant, and keeps running ones', async () => {
  const insert = `INSERT INTO attempt_counters (tenant_id, key, window_start, expires_at, attempts) VALUES ($1, $2, $3, $4, 3)`;
  const start = at('2026-11-23T09:00:00Z');
  await tenantScope(t.tdb.db, 'norrby').query(insert, ['ended-n', start, at('2026-11-23T09:15:00Z')]);
  await tenantScope(t.tdb.db, 'sodera').query(insert, ['ended-s', start, at('2026-11-23T09:59:59Z')]);
  await tenantScope(t.tdb.db, 'norrby').query(insert, ['running-n', start, at('2026-11-23T10:05:00Z')]);
  await tenantScope(t.tdb.db, 'sodera').query(insert, ['running-s', start, at('2026-11-23T10:00:01Z')]);
  assert.equal(await jobs.get('purge-expired-attempt-counters')!.runOnce(), 2);
  const { rows } = await t.tdb.db.query<{ key: string }>('SELECT key FROM attempt_counters ORDER BY key');
  assert.deepEqual(rows.map((r) => r.key), ['running-n', 'running-s']);
});

test("the draft purge takes a gone draft's unpaid payments (they hold its answers) after a day's grace, and keeps paid ones and those of live drafts", async () => {
  const norrby = tenantScope(t.tdb.db, 'norrby');
  const liveDraft = uuidv7();
  await norrby.query(
    `INSERT INTO drafts (tenant_id, id, service_id, owner_id, answers, created_at, updated_at, expires_at) VALUES ($1, $2, 'forskola', $3, '{}', $4, $4, $5)`,
    [liveDraft, uuidv7(), at('2026-11-20T00:00:00Z'), at('2026-12-20T00:00:00Z')],
  );
  const payments = [
    { name: 'failed, draft gone', draft: uuidv7(), status: 'failed', updated: '2026-11-20T00:00:00Z', gone: true },
    { name: 'never finished, draft gone', draft: uuidv7(), status: 'created', updated: '2026-11-21T00:00:00Z', gone: true },
    { name: 'cancelled within the grace day', draft: uuidv7(), status: 'cancelled', updated: '2026-11-23T09:00:00Z', gone: false },
    { name: 'paid, draft gone', draft: uuidv7(), status: 'paid', updated: '2026-11-01T00:00:00Z', gone: false },
    { name: 'failed, draft still open', draft: liveDraft, status: 'failed', updated: '2026-11-01T00:00:00Z', gone: false },
  ].map((p) => ({ ...p, id: uuidv7() }));
  for (const p of payments) {
    await norrby.query(
      `INSERT INTO payments (tenant_id, id, purpose, purpose_id, payer_id, service_id, provider, provider_ref, amount_ore, currency, description, status, context, created_at, updated_at)
       VALUES ($1, $2, 'draft', $3, $4, 'forskola', 'demo', $5, 100, 'SEK', '{}', $6, '{"answers":{"name":"x"}}', $7, $7)`,
      [p.id, p.draft, uuidv7(), `ref-${p.id}`, p.status, at(p.updated)],
    );
  }
  assert.equal(await jobs.get('purge-expired-drafts')!.runOnce(), 2);
  const { rows } = await norrby.query<{ id: string }>('SELECT id FROM payments WHERE tenant_id = $1');
  const left = new Set(rows.map((r) => r.id));
  for (const p of payments) assert.equal(!left.has(p.id), p.gone, `${p.name} ${p.gone ? 'deleted' : 'kept'}`);
});
