import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { tenantScope } from '../db/index.ts';
import { countAttempt, type AttemptLimit } from './attempt-limit.ts';

const tdb = await createTestDatabase();
after(() => tdb.drop());
const norrby = tenantScope(tdb.db, 'norrby');
const sodera = tenantScope(tdb.db, 'sodera');
const limit: AttemptLimit = { name: 'test', max: 3, windowMs: 60_000 };
const t0 = new Date('2026-11-23T10:00:00Z');
const plus = (ms: number) => new Date(t0.getTime() + ms);

async function stored(key: string): Promise<number | undefined> {
  const { rows } = await norrby.query<{ attempts: number }>('SELECT attempts FROM attempt_counters WHERE tenant_id = $1 AND key = $2', [key]);
  return rows[0]?.attempts;
}

test(`max attempts per window are allowed, then refused with the seconds left; a new window starts afresh (${tdb.dialect})`, async () => {
  for (let i = 0; i < 3; i++) assert.equal((await countAttempt(norrby, limit, 'a', plus(i * 1000))).allowed, true, `attempt ${i + 1}`);
  const refused = await countAttempt(norrby, limit, 'a', plus(20_000));
  assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 40 });
  assert.equal(await stored('test:a'), 3, 'a refused attempt is not counted');
  // Another key, another limit's name and another tenant each count on their own.
  assert.equal((await countAttempt(norrby, limit, 'b', plus(20_000))).allowed, true);
  assert.equal((await countAttempt(norrby, { ...limit, name: 'other' }, 'a', plus(20_000))).allowed, true);
  assert.equal((await countAttempt(sodera, limit, 'a', plus(20_000))).allowed, true);
  // The window ends 60 s after its first attempt.
  assert.equal((await countAttempt(norrby, limit, 'a', plus(59_999))).allowed, false);
  assert.equal((await countAttempt(norrby, limit, 'a', plus(60_000))).allowed, true);
  assert.equal(await stored('test:a'), 1);
});

test('a refunded attempt is given back in its own window only', async () => {
  const first = await countAttempt(norrby, limit, 'r', t0);
  const second = await countAttempt(norrby, limit, 'r', t0);
  assert.ok(first.allowed && second.allowed);
  await second.refund();
  assert.equal(await stored('test:r'), 1);
  // A refund after the window moved on leaves the new window alone.
  assert.equal((await countAttempt(norrby, limit, 'r', plus(60_000))).allowed, true);
  await first.refund();
  assert.equal(await stored('test:r'), 1);
});

test(`concurrent attempts on one key: exactly max are allowed, whatever the number at once (${tdb.dialect})`, async () => {
  // On PostgreSQL the 40 statements run on 12 connections at once; PGlite runs them one by one.
  const many: AttemptLimit = { name: 'burst', max: 10, windowMs: 60_000 };
  const verdicts = await Promise.all(Array.from({ length: 40 }, () => countAttempt(norrby, many, 'x', t0)));
  assert.equal(verdicts.filter((v) => v.allowed).length, 10);
  assert.equal(await stored('burst:x'), 10);
});

test('a long key is cut to what the column holds rather than refused', async () => {
  const verdict = await countAttempt(norrby, limit, 'u'.repeat(1000), t0);
  assert.equal(verdict.allowed, true);
  const { rows } = await norrby.query<{ n: number }>("SELECT length(key) AS n FROM attempt_counters WHERE tenant_id = $1 AND key LIKE 'test:uuu%'");
  assert.deepEqual(rows, [{ n: 300 }]);
});
