import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { minimalService } from '../../test/helpers/fixtures.ts';
import { tenantScope } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { createCase, changeCase, ensureReferenceSequences, residentApplicant } from '../cases/index.ts';
import { verifyArchive, entryHash, readJournal, canonicalJson, chainEntries, checkChain, checkTimes } from './index.ts';

const t = await createTestDatabase();
after(() => t.drop());
const tdb = tenantScope(t.db, 'norrby');
const def = minimalService();
const TENANTS = ['norrby', 'sodera'];

before(() => ensureReferenceSequences(t.db, TENANTS));

/** A case with `n` journal entries (submitted + notes). */
async function caseWith(n: number): Promise<{ id: string; reference: string }> {
  const now = new Date('2026-11-23T10:00:00Z');
  const created = await tdb.transaction((tx) =>
    createCase(tx, { definition: def, parties: [residentApplicant({ id: uuidv7() })], answers: { name: 'Åsa' }, locale: 'sv', draftId: null, email: undefined, siteUrl: 'http://x', now }),
  );
  for (let i = 2; i <= n; i++) {
    await changeCase(tdb, created.id, new Date(now.getTime() + i * 1000), () => ({
      journal: [{ kind: 'note', actorKind: 'staff', actorId: uuidv7(), payload: { text: `note ${i}` } }],
    }));
  }
  return created;
}

async function verify() {
  return verifyArchive(t.db, TENANTS);
}

function problemsFor(report: Awaited<ReturnType<typeof verify>>, caseId: string) {
  return report.problems.filter((p) => p.caseId === caseId);
}

test(`an intact journal verifies (${t.dialect})`, async () => {
  const c = await caseWith(4);
  const entries = await readJournal(tdb, c.id);
  assert.deepEqual(entries.map((e) => e.seq), [1, 2, 3, 4]);
  assert.deepEqual(entries.map((e) => e.kind), ['submitted', 'note', 'note', 'note']);
  const report = await verify();
  assert.deepEqual(report.problems, []);
  assert.ok(report.cases >= 1 && report.entries >= 4);
});

test('an altered payload is found, naming the case and entry', async () => {
  const c = await caseWith(3);
  await tdb.query(`UPDATE journal SET payload = '{"text":"rewritten"}'::jsonb WHERE tenant_id = $1 AND case_id = $2 AND seq = 2`, [c.id]);
  const p = problemsFor(await verify(), c.id);
  assert.ok(p.some((x) => x.seq === 2 && /altered/.test(x.problem)), JSON.stringify(p));
  assert.equal(p[0]!.reference, c.reference);
});

test("an altered payload is found even when that row's own hash is recomputed", async () => {
  const c = await caseWith(3);
  const [e2] = (await readJournal(tdb, c.id)).filter((e) => e.seq === 2);
  const forged = { ...e2!, payload: { text: 'rewritten' } };
  await tdb.query(`UPDATE journal SET payload = $3::jsonb, hash = $4 WHERE tenant_id = $1 AND case_id = $2 AND seq = 2`, [c.id, JSON.stringify(forged.payload), entryHash('norrby', forged)]);
  const p = problemsFor(await verify(), c.id);
  assert.ok(p.some((x) => x.seq === 3 && /does not link/.test(x.problem)), JSON.stringify(p));
  assert.ok(p.some((x) => x.seq === 2 && /altered, its hash recomputed/.test(x.problem)), JSON.stringify(p));
  // Entry 1 is untouched and not blamed.
  assert.ok(!p.some((x) => x.seq === 1), JSON.stringify(p));
});

test('the last entry altered with its hash recomputed is found by the case head', async () => {
  const c = await caseWith(2);
  const [e2] = (await readJournal(tdb, c.id)).filter((e) => e.seq === 2);
  const forged = { ...e2!, payload: { text: 'rewritten' } };
  await tdb.query(`UPDATE journal SET payload = $3::jsonb, hash = $4 WHERE tenant_id = $1 AND case_id = $2 AND seq = 2`, [c.id, JSON.stringify(forged.payload), entryHash('norrby', forged)]);
  const p = problemsFor(await verify(), c.id);
  assert.ok(p.some((x) => x.seq === 2 && /chain head/.test(x.problem)), JSON.stringify(p));
});

test('an entry deleted from the middle is found', async () => {
  const c = await caseWith(4);
  await tdb.query('DELETE FROM journal WHERE tenant_id = $1 AND case_id = $2 AND seq = 2', [c.id]);
  const p = problemsFor(await verify(), c.id);
  assert.ok(p.some((x) => x.seq === 3 && /missing/.test(x.problem)), JSON.stringify(p));
});

test('entries deleted from the tail are found', async () => {
  const c = await caseWith(4);
  await tdb.query('DELETE FROM journal WHERE tenant_id = $1 AND case_id = $2 AND seq >= 3', [c.id]);
  const p = problemsFor(await verify(), c.id);
  assert.ok(p.some((x) => x.seq === 3 && /tail/.test(x.problem)), JSON.stringify(p));
});

test('reordered entries are found', async () => {
  const c = await caseWith(4);
  // Swap the contents of entries 2 and 3 (each keeps its own hash, so each row is self-consistent).
  await tdb.transaction(async (tx) => {
    await tx.query('UPDATE journal SET seq = -2 WHERE tenant_id = $1 AND case_id = $2 AND seq = 2', [c.id]);
    await tx.query('UPDATE journal SET seq = 2 WHERE tenant_id = $1 AND case_id = $2 AND seq = 3', [c.id]);
    await tx.query('UPDATE journal SET seq = 3 WHERE tenant_id = $1 AND case_id = $2 AND seq = -2', [c.id]);
  });
  const p = problemsFor(await verify(), c.id);
  assert.ok(p.some((x) => /does not link|out of order|altered/.test(x.problem)), JSON.stringify(p));
});

test('a forged row appended with a valid-looking hash is found', async () => {
  const c = await caseWith(2);
  const [last] = (await readJournal(tdb, c.id)).slice(-1);
  const forged = { version: 1, caseId: c.id, seq: 3, kind: 'decided' as const, actorKind: 'staff' as const, actorId: null, payload: { decision: 'approved' }, recordedAt: new Date('2026-11-24T00:00:00Z'), prevHash: last!.hash };
  await tdb.query(
    `INSERT INTO journal (tenant_id, case_id, seq, kind, actor_kind, actor_id, payload, recorded_at, prev_hash, hash) VALUES ($1, $2, 3, 'decided', 'staff', NULL, $3, $4, $5, $6)`,
    [c.id, JSON.stringify(forged.payload), forged.recordedAt, forged.prevHash, entryHash('norrby', forged)],
  );
  const p = problemsFor(await verify(), c.id);
  assert.ok(p.some((x) => x.seq === 3 && /forged/.test(x.problem)), JSON.stringify(p));
});

test('journal rows for a case that does not exist are found', async () => {
  const ghost = uuidv7();
  await tdb.query(
    `INSERT INTO journal (tenant_id, case_id, seq, kind, actor_kind, actor_id, payload, recorded_at, prev_hash, hash) VALUES ($1, $2, 1, 'submitted', 'resident', NULL, '{}', now(), 'x', 'y')`,
    [ghost],
  );
  const p = problemsFor(await verify(), ghost);
  assert.ok(p.some((x) => /does not exist/.test(x.problem)), JSON.stringify(p));
});

test('a change committed after a batch of case heads is read is not reported as forged', async () => {
  const a = await caseWith(2);
  const b = await caseWith(3);
  const mine = new Set([a.id, b.id]);
  const changes: Promise<unknown>[] = [];
  // After a batch's heads are read and before it is checked, each case of ours gains an entry.
  // PostgreSQL: the change commits right then. PGlite: it is queued as a concurrent request
  // would be, and runs as soon as the verifier leaves the database free (the wait is bounded, so
  // a verifier that held the database for the whole batch would not hang here).
  const report = await verifyArchive(t.db, TENANTS, undefined, {
    batchSize: 1,
    afterBatchRead: async (ids) => {
      for (const id of ids.filter((x) => mine.has(x))) {
        const change = changeCase(tdb, id, new Date('2026-11-26T00:00:00Z'), () => ({ journal: [{ kind: 'note', actorKind: 'system', actorId: null, payload: { text: 'meanwhile' } }] }));
        changes.push(change);
        if (t.dialect === 'postgres') await change;
        else await Promise.race([change, new Promise((r) => setTimeout(r, 1000))]);
      }
    },
  });
  assert.deepEqual(report.problems.filter((p) => mine.has(p.caseId)), []);
  // The changes were made, and the archive is intact with them.
  await Promise.all(changes);
  assert.equal(changes.length, 2);
  assert.deepEqual((await readJournal(tdb, b.id)).map((e) => e.seq), [1, 2, 3, 4]);
  assert.deepEqual((await verify()).problems.filter((p) => mine.has(p.caseId)), []);
});

test('archive verify reports nothing while cases change under it (PostgreSQL: real concurrency)', { skip: t.dialect !== 'postgres' && 'PGlite runs one query at a time' }, async () => {
  const ours = await Promise.all(Array.from({ length: 8 }, () => caseWith(1)));
  const mine = new Set(ours.map((c) => c.id));
  let stop = false;
  let writes = 0;
  const writer = async (c: { id: string }) => {
    while (!stop) {
      await changeCase(tdb, c.id, new Date(), () => ({ journal: [{ kind: 'note', actorKind: 'system', actorId: null, payload: { text: 'busy' } }] }));
      writes++;
    }
  };
  const writers = ours.map(writer);
  try {
    for (let run = 0; run < 15; run++) {
      const report = await verifyArchive(t.db, TENANTS, undefined, { batchSize: 2 });
      assert.deepEqual(report.problems.filter((p) => mine.has(p.caseId)), [], `run ${run}`);
    }
  } finally {
    stop = true;
    await Promise.all(writers);
  }
  assert.ok(writes > 15, `only ${writes} changes ran during verification`);
});

test('a failure after the journal insert leaves neither the change nor the entry', async () => {
  const c = await caseWith(1);
  // The journal entry is inserted, then the case update fails (an assignee id that is no uuid).
  await assert.rejects(
    changeCase(tdb, c.id, new Date('2026-11-25T00:00:00Z'), () => ({
      patch: { status: 'in_progress', assigneeId: 'not-a-uuid' },
      journal: [{ kind: 'assigned', actorKind: 'staff', actorId: null, payload: { to: 'not-a-uuid' } }],
    })),
  );
  const entries = await readJournal(tdb, c.id);
  assert.deepEqual(entries.map((e) => e.seq), [1]);
  const { rows } = await tdb.query<{ status: string; journal_seq: number }>('SELECT status, journal_seq FROM cases WHERE tenant_id = $1 AND id = $2', [c.id]);
  assert.deepEqual(rows[0], { status: 'submitted', journal_seq: 1 });
});

test('a chain is ordered in time whatever the nodes\' clocks say: changes from two nodes an hour apart, at once', async () => {
  // PostgreSQL: the changes race for the case's row lock, as requests on two nodes do. PGlite runs
  // them one at a time; the nodes' clocks still disagree.
  const c = await caseWith(1);
  const nodeClocks = [0, -3_600_000, +3_600_000]; // one node on time, one an hour behind, one an hour ahead
  await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      changeCase(tdb, c.id, new Date(Date.now() + nodeClocks[i % 3]!), () => ({ journal: [{ kind: 'note', actorKind: 'staff', actorId: null, payload: { text: `node ${i % 3}` } }] })),
    ),
  );
  const entries = await readJournal(tdb, c.id);
  assert.equal(entries.length, 25);
  for (let i = 1; i < entries.length; i++) {
    assert.ok(entries[i]!.recordedAt >= entries[i - 1]!.recordedAt, `entry ${entries[i]!.seq} (${entries[i]!.recordedAt.toISOString()}) is before entry ${entries[i - 1]!.seq} (${entries[i - 1]!.recordedAt.toISOString()})`);
  }
  assert.deepEqual(new Set(entries.map((e) => e.version)), new Set([2]), 'written in the current version');
  // Nor ahead by an hour: the time is the database's, not the node's that ran ahead.
  const { rows } = await t.db.query<{ now: Date }>('SELECT clock_timestamp() AS now');
  assert.ok(entries.at(-1)!.recordedAt <= new Date(rows[0]!.now), 'no entry carries the clock of the node an hour ahead');
  const report = await verify();
  assert.deepEqual([...report.problems, ...report.warnings].filter((p) => p.caseId === c.id), []);
});

test('an entry is never recorded before its chain head, even when the head is ahead of the database\'s clock', async () => {
  // The head written by a node whose clock ran ahead before journal times came from the database
  // (the case's updated_at is its chain head's time): the next entry does not step back from it.
  const c = await caseWith(1);
  const ahead = new Date(Date.now() + 3_600_000);
  const [first] = await readJournal(tdb, c.id);
  const old = { ...first!, version: 1, recordedAt: ahead };
  const hash = entryHash('norrby', old);
  await tdb.query('UPDATE journal SET version = 1, recorded_at = $3, hash = $4 WHERE tenant_id = $1 AND case_id = $2', [c.id, ahead, hash]);
  await tdb.query('UPDATE cases SET updated_at = $3, journal_head = $4 WHERE tenant_id = $1 AND id = $2', [c.id, ahead, hash]);
  await changeCase(tdb, c.id, new Date(), () => ({ journal: [{ kind: 'note', actorKind: 'system', actorId: null, payload: { text: 'after' } }] }));
  const [, second] = await readJournal(tdb, c.id);
  assert.equal(second!.recordedAt.toISOString(), ahead.toISOString());
  const { rows } = await tdb.query<{ updated_at: Date }>('SELECT updated_at FROM cases WHERE tenant_id = $1 AND id = $2', [c.id]);
  assert.equal(new Date(rows[0]!.updated_at).toISOString(), ahead.toISOString(), 'the case keeps its head\'s time');
  const report = await verify();
  assert.deepEqual([...report.problems, ...report.warnings].filter((p) => p.caseId === c.id), []);
});

test('verify fails a new entry recorded before the one before it, and only warns about an older one', () => {
  const caseId = uuidv7();
  const at = (m: number) => new Date(Date.UTC(2026, 10, 23, 10, m));
  const input = (m: number) => ({ kind: 'note' as const, actorKind: 'system' as const, actorId: null, payload: {}, recordedAt: at(m) });
  const head = { id: caseId, reference: 'FSK-2026-000001' };
  const backwards = chainEntries('norrby', caseId, undefined, [input(0), input(5), input(4)]);
  assert.deepEqual(checkChain('norrby', { ...head, journalSeq: 3, journalHead: backwards[2]!.hash }, backwards), [], 'every hash and link holds');
  const fresh = checkTimes('norrby', head, backwards);
  assert.deepEqual(fresh.warnings, []);
  assert.deepEqual(fresh.problems.map((p) => [p.seq, p.problem]), [
    [3, "entry 3 is recorded at 2026-11-23T10:04:00.000Z, before entry 2 (2026-11-23T10:05:00.000Z): its time is the database's, never earlier than the entry before (altered or forged)"],
  ]);
  const old = checkTimes('norrby', head, backwards.map((e) => ({ ...e, version: 1 })));
  assert.deepEqual(old.problems, []);
  assert.deepEqual(old.warnings.map((p) => p.seq), [3]);
  assert.deepEqual(checkTimes('norrby', head, chainEntries('norrby', caseId, undefined, [input(0), input(0), input(7)])), { problems: [], warnings: [] }, 'equal times are in order');
});

test('canonical JSON ignores key order', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 'å' }] }), canonicalJson({ a: [{ c: 'å', d: 2 }], b: 1 }));
});

test('missing entries are named as one entry or as a range', () => {
  const caseId = uuidv7();
  const input = { kind: 'note' as const, actorKind: 'system' as const, actorId: null, payload: {}, recordedAt: new Date('2026-11-23T10:00:00Z') };
  const chain = chainEntries('norrby', caseId, undefined, Array.from({ length: 6 }, () => input));
  const head = { id: caseId, reference: 'FSK-2026-000001', journalSeq: 6, journalHead: chain.at(-1)!.hash };
  const problems = (kept: number[]) => checkChain('norrby', head, chain.filter((e) => kept.includes(e.seq))).map((p) => p.problem);
  assert.deepEqual(checkChain('norrby', head, chain), []);
  assert.ok(problems([1, 3, 4, 5, 6]).includes('entry 2 missing before entry 3'));
  assert.ok(problems([1, 4, 5, 6]).includes('entries 2–3 missing before entry 4'));
  assert.ok(problems([1, 2, 3, 4, 5]).includes('entry 6 missing at the tail'));
  assert.ok(problems([1, 2, 3, 4]).includes('entries 5–6 missing at the tail'));
  const shorter = { ...head, journalSeq: 4, journalHead: chain[3]!.hash };
  assert.deepEqual(checkChain('norrby', shorter, chain.slice(0, 5)).map((p) => p.problem), ["entry 5 after the case's recorded head is not part of its chain (forged)"]);
  assert.deepEqual(checkChain('norrby', shorter, chain).map((p) => p.problem), ["entries 5–6 after the case's recorded head are not part of its chain (forged)"]);
});
