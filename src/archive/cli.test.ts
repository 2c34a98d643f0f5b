/**
 * `medborg archive verify` end to end: the real command, on the database of this pass, against
 * each kind of tampering it must find (an altered payload, an entry deleted from the middle or the
 * tail, a forged row, reordered entries, a payload altered with that row's own hash recomputed, in the
 * middle of the chain and at its end, a new entry's time moved back with the chain after it
 * recomputed). Each case is tampered in one way; one run of the command over them all must exit
 * non-zero and name each case and entry. An older entry's time going backwards is a warning, not a failure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliDatabase } from '../../test/helpers/cli-database.ts';
import type { TenantScope } from '../kernel/db/index.ts';
import { testDialect } from '../../test/helpers/db.ts';
import { minimalService } from '../../test/helpers/fixtures.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { createCase, changeCase, ensureReferenceSequences, residentApplicant } from '../cases/index.ts';
import { entryHash, genesisHash, readJournal, type JournalEntry } from './journal.ts';

const { withDb, run } = await cliDatabase('verify');

const verify = () => run(['archive', 'verify']);

/** The command's lines about one case; each must name its id and reference. */
function brokenLines(out: { stderr: string }, c: { id: string; reference: string }): string[] {
  const lines = out.stderr.split('\n').filter((l) => l.includes(c.id));
  for (const l of lines) assert.ok(l.startsWith('BROKEN norrby case') && l.includes(`(${c.reference})`), l);
  return lines;
}

/** Asserts a non-zero exit and a line naming the case and `entry`, whose problem matches `problem`. */
function assertBroken(out: ReturnType<typeof verify>, c: { id: string; reference: string }, entry: number, problem: RegExp): void {
  assert.equal(out.status, 1, out.stderr);
  assert.match(out.stdout, /^BROKEN: /m);
  const lines = brokenLines(out, c);
  assert.ok(lines.some((l) => l.includes(` entry ${entry}: `) && problem.test(l)), `no line for entry ${entry} matching ${problem}:\n${out.stderr}`);
}

const now = new Date('2026-11-23T10:00:00Z');
type Made = { id: string; reference: string };

/** A case with `n` journal entries (submitted, then notes). */
async function caseWith(tdb: TenantScope, n: number): Promise<Made> {
  const c = await tdb.transaction((tx) =>
    createCase(tx, { definition: minimalService(), parties: [residentApplicant({ id: uuidv7() })], answers: { name: 'Åke' }, locale: 'sv', draftId: null, email: undefined, siteUrl: 'http://x', now }),
  );
  for (let i = 2; i <= n; i++) {
    await changeCase(tdb, c.id, new Date(now.getTime() + i * 1000), () => ({ journal: [{ kind: 'note', actorKind: 'system', actorId: null, payload: { body: `note ${i}` } }] }));
  }
  return c;
}

/**
 * Rewrites entry `seq` with `change` and re-links the chain after it (each later entry's link and
 * hash recomputed, the case's head moved): every hash and link is valid, as a forger who rewrites
 * the rest of the chain leaves it. Only what the entry says can give it away.
 */
async function rewriteAndRelink(tdb: TenantScope, caseId: string, seq: number, change: (e: JournalEntry) => JournalEntry): Promise<void> {
  const entries = await readJournal(tdb, caseId);
  let prev: string | undefined;
  for (const e of entries.filter((x) => x.seq >= seq)) {
    const rewritten = e.seq === seq ? change(e) : { ...e, prevHash: prev! };
    const hash = entryHash('norrby', rewritten);
    await tdb.query('UPDATE journal SET recorded_at = $3, payload = $4::jsonb, prev_hash = $5, hash = $6 WHERE tenant_id = $1 AND case_id = $2 AND seq = $7', [
      caseId,
      rewritten.recordedAt,
      JSON.stringify(rewritten.payload),
      rewritten.prevHash,
      hash,
      e.seq,
    ]);
    prev = hash;
  }
  await tdb.query('UPDATE cases SET journal_head = $3 WHERE tenant_id = $1 AND id = $2', [caseId, prev]);
}

/**
 * A case whose journal was written before journal times came from the database (version 1): three
 * entries by nodes whose clocks disagreed, the third recorded a minute before the second.
 */
async function oldCaseRunningBackwards(tdb: TenantScope): Promise<Made> {
  const c = await caseWith(tdb, 1);
  const times = ['2026-11-23T10:00:00Z', '2026-11-23T10:05:00Z', '2026-11-23T10:04:00Z'].map((x) => new Date(x));
  let prevHash = genesisHash('norrby', c.id);
  await tdb.query('DELETE FROM journal WHERE tenant_id = $1 AND case_id = $2', [c.id]);
  for (const [i, recordedAt] of times.entries()) {
    const e = { version: 1, caseId: c.id, seq: i + 1, kind: 'note' as const, actorKind: 'system' as const, actorId: null, payload: { body: `old ${i + 1}` }, recordedAt, prevHash };
    const hash = entryHash('norrby', e);
    await tdb.query(
      `INSERT INTO journal (tenant_id, case_id, seq, kind, actor_kind, actor_id, payload, recorded_at, prev_hash, hash) VALUES ($1, $2, $3, 'note', 'system', NULL, $4, $5, $6, $7)`,
      [c.id, e.seq, JSON.stringify(e.payload), recordedAt, prevHash, hash],
    );
    prevHash = hash;
  }
  await tdb.query('UPDATE cases SET journal_seq = 3, journal_head = $3 WHERE tenant_id = $1 AND id = $2', [c.id, prevHash]);
  return c;
}

const cases = await withDb(async (tdb, d) => {
  await ensureReferenceSequences(d, ['norrby', 'sodera']);
  return {
    altered: await caseWith(tdb, 2),
    middle: await caseWith(tdb, 4),
    tail: await caseWith(tdb, 3),
    forged: await caseWith(tdb, 2),
    reordered: await caseWith(tdb, 4),
    rehashedMiddle: await caseWith(tdb, 3),
    rehashedLast: await caseWith(tdb, 2),
    timeTampered: await caseWith(tdb, 3),
    oldBackwards: await oldCaseRunningBackwards(tdb),
  };
});

test(`archive verify exits 0 on an intact archive (${testDialect}), warning about an older entry's time going backwards`, () => {
  const intact = verify();
  assert.equal(intact.status, 0, intact.stderr);
  assert.match(intact.stdout, /^intact: 9 cases, 0 other chains, 26 journal entries checked in [\d.]+ s, 1 warning$/m);
  assert.equal(intact.stderr.includes('BROKEN'), false, intact.stderr);
  const c = cases.oldBackwards;
  assert.deepEqual(intact.stderr.trim().split('\n'), [
    `WARNING norrby case ${c.id} (${c.reference}) entry 3: entry 3 is recorded at 2026-11-23T10:04:00.000Z, before entry 2 (2026-11-23T10:05:00.000Z): written with the clock of the node that wrote it (version 1), which may have run behind`,
  ]);
});

/**
 * Each case tampered in its own way, all in one session, then one run of the command over them
 * all: every case must be named with its entry (one run per tampering cost a database opening and a
 * command each, several seconds a time on PGlite). Runs once, for the first test that asks.
 */
let tampered: Promise<ReturnType<typeof verify>> | undefined;
const afterTampering = () => (tampered ??= tamperAll());

async function tamperAll(): Promise<ReturnType<typeof verify>> {
  await withDb(async (tdb) => {
    // A new entry's time moved back, its hash and the chain after it recomputed.
    const timed = cases.timeTampered;
    const [first] = await readJournal(tdb, timed.id);
    await rewriteAndRelink(tdb, timed.id, 2, (e) => ({ ...e, recordedAt: new Date(first!.recordedAt.getTime() - 60_000) }));
    // A payload altered.
    await tdb.query(`UPDATE journal SET payload = '{"body":"changed"}' WHERE tenant_id = $1 AND case_id = $2 AND seq = 2`, [cases.altered.id]);
    // An entry deleted from the middle.
    await tdb.query('DELETE FROM journal WHERE tenant_id = $1 AND case_id = $2 AND seq = 2', [cases.middle.id]);
    // The tail entry deleted, the case's head still pointing at it.
    await tdb.query('DELETE FROM journal WHERE tenant_id = $1 AND case_id = $2 AND seq = 3', [cases.tail.id]);
    const { rows } = await tdb.query<{ journal_seq: number }>('SELECT journal_seq FROM cases WHERE tenant_id = $1 AND id = $2', [cases.tail.id]);
    assert.equal(rows[0]!.journal_seq, 3);
    // A forged row with a self-consistent hash, after the head.
    const forgedCase = cases.forged;
    const last = (await readJournal(tdb, forgedCase.id)).at(-1)!;
    const forged = { version: 2, caseId: forgedCase.id, seq: 3, kind: 'decided' as const, actorKind: 'staff' as const, actorId: null, payload: { decision: 'approved' }, recordedAt: new Date(last.recordedAt.getTime() + 1000), prevHash: last.hash };
    await tdb.query(
      `INSERT INTO journal (tenant_id, case_id, seq, kind, actor_kind, actor_id, payload, recorded_at, prev_hash, hash, version) VALUES ($1, $2, 3, 'decided', 'staff', NULL, $3, $4, $5, $6, 2)`,
      [forgedCase.id, JSON.stringify(forged.payload), forged.recordedAt, forged.prevHash, entryHash('norrby', forged)],
    );
    // A payload altered and that row's own hash recomputed, in the middle and at the end.
    await alterAndRehash(tdb, cases.rehashedMiddle.id, 2);
    await alterAndRehash(tdb, cases.rehashedLast.id, 2);
    // Entries 2 and 3 trade places (seq is part of the key: through a free value, in one transaction).
    await tdb.transaction(async (tx) => {
      await tx.query('UPDATE journal SET seq = -2 WHERE tenant_id = $1 AND case_id = $2 AND seq = 2', [cases.reordered.id]);
      await tx.query('UPDATE journal SET seq = 2 WHERE tenant_id = $1 AND case_id = $2 AND seq = 3', [cases.reordered.id]);
      await tx.query('UPDATE journal SET seq = 3 WHERE tenant_id = $1 AND case_id = $2 AND seq = -2', [cases.reordered.id]);
    });
  });
  return verify();
}

/** Rewrites entry `seq`'s payload and recomputes that row's own hash, so the row alone looks intact. */
async function alterAndRehash(tdb: TenantScope, caseId: string, seq: number): Promise<void> {
  const entry = (await readJournal(tdb, caseId)).find((e) => e.seq === seq)!;
  const altered = { ...entry, payload: { body: 'rewritten' } };
  const hash = entryHash('norrby', altered);
  await tdb.query('UPDATE journal SET payload = $3::jsonb, hash = $4 WHERE tenant_id = $1 AND case_id = $2 AND seq = $5', [caseId, JSON.stringify(altered.payload), hash, seq]);
  // The row is self-consistent now: only the chain can tell.
  const after = (await readJournal(tdb, caseId)).find((e) => e.seq === seq)!;
  assert.equal(entryHash('norrby', after), after.hash);
}

test("a new entry's time moved back, its hash and the chain after it recomputed: exit 1, naming the case and entry", async () => {
  const out = await afterTampering();
  const c = cases.timeTampered;
  assertBroken(out, c, 2, /: entry 2 is recorded at \S+, before entry 1 \(\S+\): its time is the database's, never earlier than the entry before \(altered or forged\)$/);
  assert.equal(brokenLines(out, c).length, 1, 'every hash and link is valid: only the time gives it away');
});

test('an altered payload: exit 1, naming the case and entry', async () => {
  assertBroken(await afterTampering(), cases.altered, 2, /entry 2 content does not match its hash \(altered\)/);
});

test('an entry deleted from the middle: exit 1, naming the case and the missing entry', async () => {
  const out = await afterTampering();
  assertBroken(out, cases.middle, 3, /: entry 2 missing before entry 3$/);
  assertBroken(out, cases.middle, 3, /entry 3 does not link/);
});

test("the tail entry deleted, the case's head still pointing at it: exit 1, \"entry 3 missing\"", async () => {
  const out = await afterTampering();
  const c = cases.tail;
  assertBroken(out, c, 3, /: entry 3 missing at the tail$/);
  assert.ok(!brokenLines(out, c).some((l) => l.includes('3–3')), out.stderr);
});

test('a forged row with a self-consistent hash, not in the chain: exit 1, naming the case and entry', async () => {
  assertBroken(await afterTampering(), cases.forged, 3, /: entry 3 after the case's recorded head is not part of its chain \(forged\)$/);
});

test("a payload in the middle altered, that row's hash recomputed: exit 1, naming the case and the entry", async () => {
  const out = await afterTampering();
  const c = cases.rehashedMiddle;
  assertBroken(out, c, 2, /entry 2 is not the entry that entry 3 was chained to \(altered, its hash recomputed\)$/);
  assertBroken(out, c, 3, /entry 3 does not link to the entry before it/);
  assert.ok(!brokenLines(out, c).some((l) => l.includes(' entry 1: ')), out.stderr);
});

test("the last payload altered, that row's hash recomputed: exit 1, naming the case and the entry", async () => {
  const out = await afterTampering();
  const c = cases.rehashedLast;
  assertBroken(out, c, 2, /: entry 2 is not the chain head the case recorded \(altered or forged\)$/);
  assert.ok(!brokenLines(out, c).some((l) => l.includes(' entry 1: ')), out.stderr);
});

test('two entries swapped: exit 1, naming the case and the entries', async () => {
  const out = await afterTampering();
  const c = cases.reordered;
  assertBroken(out, c, 2, /entry 2 does not link to the entry before it/);
  assertBroken(out, c, 3, /entry 3 (does not link|content does not match)/);
  // One run names every broken case, and only those.
  for (const other of [cases.altered, cases.middle, cases.tail, cases.forged, cases.rehashedMiddle, cases.rehashedLast, cases.timeTampered]) assert.ok(brokenLines(out, other).length > 0, out.stderr);
  assert.ok(!out.stderr.split('\n').some((l) => l.startsWith('BROKEN') && l.includes(cases.oldBackwards.id)), out.stderr);
});
