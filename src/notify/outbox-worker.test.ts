import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { PostgresDatabase, tenantScope, type Database } from '../kernel/db/index.ts';
import { fixedClock } from '../kernel/clock.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { enqueue, OutboxWorker, DevMailboxTransport, backoffDelay, describeError, type MailTransport, type OutgoingEmail } from './index.ts';

const t = await createTestDatabase();
after(() => t.drop());
const db = t.db;
const norrby = tenantScope(db, 'norrby');
const sodera = tenantScope(db, 'sodera');

async function reset(): Promise<void> {
  await db.query('DELETE FROM outbox');
  await db.query('DELETE FROM dev_mailbox');
}

const mail = (n: number | string) => ({ kind: 'email' as const, payload: { to: `anna${n}@example.se`, subject: `Ämne ${n}: åäö`, text: `Hej!\nDitt ärende ${n} är mottaget.` } });

/** A transport that fails the first `failures` sends, then records deliveries. */
class ScriptedTransport implements MailTransport {
  readonly name = 'scripted';
  readonly delivered: OutgoingEmail[] = [];
  constructor(
    public failures = 0,
    private readonly error = () => new Error('connect ECONNREFUSED 10.0.0.1:587'),
  ) {}
  async send(m: OutgoingEmail): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw this.error();
    }
    this.delivered.push(m);
  }
  async close(): Promise<void> {}
}

interface OutboxRow {
  attempts: number;
  sent: boolean;
  last_error: string | null;
  available_at: Date;
  parked: boolean;
}

async function row(id: string): Promise<OutboxRow> {
  const { rows } = await norrby.query<OutboxRow>(
    `SELECT attempts, sent_at IS NOT NULL AS sent, last_error, available_at, available_at = 'infinity'::timestamptz AS parked
       FROM outbox WHERE tenant_id = $1 AND id = $2`,
    [id],
  );
  return rows[0]!;
}

test(`an e-mail enqueued in a transaction that rolls back is never sent (${t.dialect})`, async () => {
  await reset();
  const clock = fixedClock('2026-11-23T10:00:00Z');
  await assert.rejects(
    norrby.transaction(async (tx) => {
      await enqueue(tx, mail(1), clock.now());
      throw new Error('the change failed');
    }),
    /the change failed/,
  );
  const transport = new ScriptedTransport();
  const r = await new OutboxWorker({ db, transport, clock }).runOnce();
  assert.equal(r.claimed, 0);
  assert.equal(transport.delivered.length, 0);
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox');
  assert.equal(rows[0]!.n, 0);
});

test('enqueue + runOnce puts the message in the dev mailbox of its tenant and marks the row sent', async () => {
  await reset();
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const id = await norrby.transaction((tx) => enqueue(tx, mail('N'), clock.now()));
  const soderaId = await sodera.transaction((tx) => enqueue(tx, mail('S'), clock.now()));
  clock.set('2026-11-23T10:00:01Z');
  const worker = new OutboxWorker({ db, transport: new DevMailboxTransport(db, clock), clock });
  assert.deepEqual(await worker.runOnce(), { claimed: 2, sent: 2, failed: 0, gaveUp: 0 });

  const n = await norrby.query<{ id: string; to_address: string; subject: string; body: string; sent_at: Date }>(
    'SELECT id, to_address, subject, body, sent_at FROM dev_mailbox WHERE tenant_id = $1',
  );
  assert.equal(n.rows.length, 1);
  assert.equal(n.rows[0]!.id, id);
  assert.equal(n.rows[0]!.to_address, 'annaN@example.se');
  assert.equal(n.rows[0]!.subject, 'Ämne N: åäö');
  assert.equal(n.rows[0]!.body, 'Hej!\nDitt ärende N är mottaget.');
  assert.equal(new Date(n.rows[0]!.sent_at).toISOString(), '2026-11-23T10:00:01.000Z');
  const s = await sodera.query<{ id: string }>('SELECT id FROM dev_mailbox WHERE tenant_id = $1');
  assert.deepEqual(s.rows.map((r) => r.id), [soderaId]);

  const sent = await row(id);
  assert.equal(sent.sent, true);
  assert.equal(sent.attempts, 1);
  assert.equal(sent.last_error, null);
  // Nothing is left to do: a second run claims nothing and the mailbox does not grow.
  assert.equal((await worker.runOnce()).claimed, 0);
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM dev_mailbox');
  assert.equal(rows[0]!.n, 2);
});

test('a failing transport records the attempt and backs off exponentially; a later run delivers', async () => {
  await reset();
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const id = await norrby.transaction((tx) => enqueue(tx, mail(2), clock.now()));
  const transport = new ScriptedTransport(2);
  const worker = new OutboxWorker({ db, transport, clock, baseDelayMs: 30_000 });

  assert.deepEqual(await worker.runOnce(), { claimed: 1, sent: 0, failed: 1, gaveUp: 0 });
  let r = await row(id);
  assert.equal(r.attempts, 1);
  assert.equal(r.sent, false);
  assert.match(r.last_error!, /ECONNREFUSED/);
  assert.equal(new Date(r.available_at).toISOString(), '2026-11-23T10:00:30.000Z');

  // Not due yet: nothing happens before the backoff has passed.
  clock.set('2026-11-23T10:00:29Z');
  assert.equal((await worker.runOnce()).claimed, 0);

  clock.set('2026-11-23T10:00:30Z');
  assert.equal((await worker.runOnce()).failed, 1);
  r = await row(id);
  assert.equal(r.attempts, 2);
  assert.equal(new Date(r.available_at).toISOString(), '2026-11-23T10:01:30.000Z', 'the second delay is twice the first');

  clock.set('2026-11-23T10:01:30Z');
  assert.equal((await worker.runOnce()).sent, 1);
  r = await row(id);
  assert.equal(r.sent, true);
  assert.equal(r.attempts, 3);
  assert.equal(transport.delivered.length, 1);
  assert.equal(transport.delivered[0]!.id, id);
});

test('after maxAttempts the row is parked with its last error, visible and never retried', async () => {
  await reset();
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const id = await norrby.transaction((tx) => enqueue(tx, mail(3), clock.now()));
  const transport = new ScriptedTransport(100);
  const warnings: object[] = [];
  const errors: object[] = [];
  const log = { debug: () => undefined, warn: (o: object) => warnings.push(o), error: (o: object) => errors.push(o) };
  const worker = new OutboxWorker({ db, transport, clock, maxAttempts: 3, baseDelayMs: 1_000, log });
  for (let i = 0; i < 3; i++) {
    await worker.runOnce();
    clock.set(new Date(clock.now().getTime() + 3_600_000));
  }
  const r = await row(id);
  assert.equal(r.attempts, 3);
  assert.equal(r.sent, false);
  assert.equal(r.parked, true);
  assert.match(r.last_error!, /^gave up after 3 attempts: .*ECONNREFUSED/);
  assert.equal(warnings.length, 2);
  assert.equal(errors.length, 1);
  clock.set('2030-01-01T00:00:00Z');
  assert.equal((await worker.runOnce()).claimed, 0);
  // An operator can requeue it.
  await norrby.query(`UPDATE outbox SET available_at = $3, attempts = 0 WHERE tenant_id = $1 AND id = $2`, [id, clock.now()]);
  transport.failures = 0;
  assert.equal((await worker.runOnce()).sent, 1);
});

test('errors are stored and logged without identity numbers, addresses or the message body', async () => {
  await reset();
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const secretBody = 'Beslut om förskoleplats för barnet med personnummer 20230101-9808.';
  const id = await norrby.transaction((tx) =>
    enqueue(tx, { kind: 'email', payload: { to: 'förälder@example.se', subject: 'Beslut', text: secretBody } }, clock.now()),
  );
  const transport = new ScriptedTransport(1, () => Object.assign(new Error('550 5.1.1 <förälder@example.se>: recipient 198001019802 rejected'), { code: 'EENVELOPE' }));
  const logged: string[] = [];
  const log = { debug: () => undefined, warn: (o: object, m: string) => logged.push(JSON.stringify(o) + m), error: (o: object, m: string) => logged.push(JSON.stringify(o) + m) };
  await new OutboxWorker({ db, transport, clock, log }).runOnce();
  const r = await row(id);
  assert.match(r.last_error!, /^EENVELOPE: 550 5\.1\.1 <\[address\]>: recipient \[personnummer\] rejected$/);
  assert.equal(logged.length, 1);
  for (const text of [r.last_error!, logged[0]!]) {
    assert.doesNotMatch(text, /198001019802|20230101-9808|förälder@|förskoleplats/);
  }
  assert.match(logged[0]!, new RegExp(id));
});

test('a malformed e-mail is parked at once; rows of other kinds are left for their own worker', async () => {
  await reset();
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const webhook = uuidv7();
  const bad = uuidv7();
  await norrby.query(`INSERT INTO outbox (tenant_id, id, kind, payload, created_at, available_at) VALUES ($1, $2, 'webhook', '{}', $3, $3)`, [webhook, clock.now()]);
  await norrby.query(`INSERT INTO outbox (tenant_id, id, kind, payload, created_at, available_at) VALUES ($1, $2, 'email', '{"to": 5}', $3, $3)`, [bad, clock.now()]);
  const transport = new ScriptedTransport();
  assert.deepEqual(await new OutboxWorker({ db, transport, clock }).runOnce(), { claimed: 1, sent: 0, failed: 0, gaveUp: 1 });
  assert.equal(transport.delivered.length, 0);
  assert.match((await row(bad)).last_error!, /^gave up after 1 attempt: malformed e-mail payload/);
  assert.equal((await row(bad)).parked, true);
  const untouched = await row(webhook);
  assert.equal(untouched.attempts, 0);
  assert.equal(untouched.last_error, null);
  assert.equal(untouched.parked, false);
});

test('a claimed row is leased: another worker does not take it while it is being sent', async () => {
  await reset();
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const id = await norrby.transaction((tx) => enqueue(tx, mail(4), clock.now()));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow: MailTransport = { name: 'slow', send: () => gate, close: async () => undefined };
  const first = new OutboxWorker({ db, transport: slow, clock, leaseMs: 60_000 }).runOnce();
  await sleep(50);
  const other = new ScriptedTransport();
  assert.equal((await new OutboxWorker({ db, transport: other, clock }).runOnce()).claimed, 0);
  release();
  assert.equal((await first).sent, 1);
  assert.equal((await row(id)).sent, true);
  assert.equal(other.delivered.length, 0);
});

test('two workers running at once never send one message twice (50 messages)', async () => {
  await reset();
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const ids = new Set<string>();
  await norrby.transaction(async (tx) => {
    for (let i = 0; i < 25; i++) ids.add(await enqueue(tx, mail(i), clock.now()));
  });
  await sodera.transaction(async (tx) => {
    for (let i = 25; i < 50; i++) ids.add(await enqueue(tx, mail(i), clock.now()));
  });
  // On PostgreSQL each worker gets its own pool, as two server processes would.
  const extra: Database[] = [];
  const dbA = t.url ? new PostgresDatabase(t.url, 4) : db;
  const dbB = t.url ? new PostgresDatabase(t.url, 4) : db;
  if (t.url) extra.push(dbA, dbB);
  try {
    const deliveries = new Map<string, number>();
    const counting = (name: string): MailTransport => ({
      name,
      async send(m) {
        deliveries.set(m.id, (deliveries.get(m.id) ?? 0) + 1);
        await sleep(Math.random() * 4);
      },
      close: async () => undefined,
    });
    const a = new OutboxWorker({ db: dbA, transport: counting('a'), clock, batchSize: 3 });
    const b = new OutboxWorker({ db: dbB, transport: counting('b'), clock, batchSize: 3 });
    // Two drains per worker, interleaving their claims as much as the database allows.
    const results = await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
    assert.equal(results.reduce((n, r) => n + r.sent, 0), 50);
    assert.equal(deliveries.size, 50);
    assert.deepEqual([...deliveries.keys()].sort(), [...ids].sort());
    for (const [id, n] of deliveries) assert.equal(n, 1, `message ${id} was sent ${n} times`);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NOT NULL AND attempts = 1');
    assert.equal(rows[0]!.n, 50);
  } finally {
    for (const d of extra) await d.close();
  }
});

test('backoffDelay doubles from the base and stops at the cap', () => {
  assert.deepEqual([1, 2, 3, 4, 10].map((n) => backoffDelay(n, 30_000, 3_600_000)), [30_000, 60_000, 120_000, 240_000, 3_600_000]);
});

test('describeError is one bounded line', () => {
  const d = describeError(new Error(`line one\nline two ${'x'.repeat(1000)}`));
  assert.ok(!d.includes('\n'));
  assert.equal(d.length, 500);
  assert.equal(describeError('plain string'), 'plain string');
});
