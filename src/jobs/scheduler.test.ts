import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { PostgresDatabase } from '../kernel/db/index.ts';
import { Scheduler, jobLockKey, type Job } from './index.ts';

const t = await createTestDatabase();
after(() => t.drop());

function gatedJob(name: string) {
  let release!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const started = new Promise<void>((r) => (entered = r));
  let runs = 0;
  const job: Job = {
    name,
    intervalMs: 60_000,
    async runOnce() {
      runs += 1;
      entered();
      await gate;
    },
  };
  return { job, release, started, runs: () => runs };
}

test(`a job runs under its advisory lock; another node skips it meanwhile (${t.dialect})`, async () => {
  const a = new Scheduler({ db: t.db });
  const held = gatedJob('test-locked');
  const running = a.runExclusive(held.job);
  await held.started;
  if (t.url) {
    // A second node (its own pool) finds the lock taken and skips; other jobs are not affected.
    const other = new PostgresDatabase(t.url, 2);
    try {
      const b = new Scheduler({ db: other });
      let ranB = 0;
      const sameJob: Job = { name: 'test-locked', intervalMs: 60_000, runOnce: async () => void (ranB += 1) };
      assert.equal(await b.runExclusive(sameJob), 'skipped');
      assert.equal(ranB, 0);
      assert.equal(await b.runExclusive({ ...sameJob, name: 'test-other' }), 'ran');
      held.release();
      assert.equal(await running, 'ran');
      // The unlock after the run released the lock: now the second node gets it.
      assert.equal(await b.runExclusive(sameJob), 'ran');
      assert.equal(ranB, 2);
    } finally {
      await other.close();
    }
  } else {
    // PGlite is one process's database: there is no other node to exclude, the job simply runs.
    held.release();
    assert.equal(await running, 'ran');
  }
  assert.equal(held.runs(), 1);
});

test('a failing run is logged and reported, not thrown', async () => {
  const errors: object[] = [];
  const s = new Scheduler({ db: t.db, log: { debug: () => undefined, error: (o) => errors.push(o) } });
  const outcome = await s.runExclusive({ name: 'test-fails', intervalMs: 1000, runOnce: async () => Promise.reject(new Error('boom')) });
  assert.equal(outcome, 'failed');
  assert.equal(errors.length, 1);
  assert.equal((errors[0] as { job: string }).job, 'test-fails');
});

test('started jobs run repeatedly, never overlap themselves, survive failures, and stop cleanly', async () => {
  let active = 0;
  let maxActive = 0;
  let runs = 0;
  let failures = 0;
  const slow: Job = {
    name: 'test-slow',
    intervalMs: 5,
    async runOnce() {
      active += 1;
      maxActive = Math.max(maxActive, active);
      runs += 1;
      await sleep(20);
      active -= 1;
    },
  };
  const flaky: Job = {
    name: 'test-flaky',
    intervalMs: 5,
    async runOnce() {
      failures += 1;
      throw new Error('always fails');
    },
  };
  const s = new Scheduler({ db: t.db, firstRunWithinMs: 5 }).add(slow).add(flaky).start();
  assert.throws(() => s.add(slow), /already registered/);
  // Wait on the counts, not a fixed time: timers fire late on a busy machine.
  for (const deadline = Date.now() + 10_000; (runs < 3 || failures < 3) && Date.now() < deadline; ) await sleep(10);
  await s.stop();
  const after = runs;
  assert.ok(runs >= 3, `slow job ran ${runs} times`);
  assert.ok(failures >= 3, `failing job kept being retried (${failures})`);
  assert.equal(maxActive, 1);
  assert.equal(active, 0, 'stop() waited for the run in progress');
  await sleep(50);
  assert.equal(runs, after, 'no run after stop()');
});

test('jitter spreads the interval by at most the given fraction', async () => {
  let calls = 0;
  const stamps: number[] = [];
  const random = () => [0, 1, 0.5][calls++ % 3]!;
  const s = new Scheduler({ db: t.db, jitter: 0.5, firstRunWithinMs: 0, random });
  s.add({ name: 'test-jitter', intervalMs: 40, runOnce: async () => void stamps.push(Date.now()) }).start();
  for (const deadline = Date.now() + 10_000; stamps.length < 4 && Date.now() < deadline; ) await sleep(10);
  await s.stop();
  assert.ok(stamps.length >= 4);
  // random() gives 1, 0.5, 0, …: delays of 60, 40 and 20 ms (40 ± 50%). A timer may fire late on a
  // busy machine but never early, so the lower bounds show the jitter was applied.
  const gaps = stamps.slice(1).map((s, i) => s - stamps[i]!);
  assert.ok(gaps[0]! >= 58, `first gap ${gaps[0]} (60 ms)`);
  assert.ok(gaps[1]! >= 38, `second gap ${gaps[1]} (40 ms)`);
  assert.ok(gaps[2]! >= 18, `third gap ${gaps[2]} (20 ms)`);
});

test('job lock keys are stable signed 32-bit integers, distinct per job', () => {
  const keys = ['outbox', 'purge-expired-drafts', 'purge-expired-sessions'].map(jobLockKey);
  assert.equal(new Set(keys).size, 3);
  for (const k of keys) assert.ok(Number.isInteger(k) && k >= -(2 ** 31) && k < 2 ** 31);
  assert.equal(jobLockKey('outbox'), jobLockKey('outbox'));
});
