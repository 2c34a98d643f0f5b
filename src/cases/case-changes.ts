/**
 * Every change to a case goes through here: lock the case, decide what changes, append the journal
 * entries, move the chain head, queue notifications — all in one transaction. A failure anywhere
 * leaves none of it (DESIGN: nothing acknowledged is ever lost; history is appended, never edited).
 */
import type { TenantScope, TenantQueryable } from '../kernel/db/index.ts';
import { AppError } from '../kernel/errors.ts';
import { chainEntries, insertEntries, type JournalInput } from '../archive/index.ts';
import { enqueue, type OutboxMessage } from '../notify/outbox.ts';
import { lockCase, updateCase, type Case, type CasePatch } from './cases.repository.ts';

export interface CaseChange {
  patch?: CasePatch;
  journal: Omit<JournalInput, 'recordedAt'>[];
  outbox?: OutboxMessage[];
}

/**
 * Runs decide(case, tx) with the case locked; applies what it returns. `decide` may also write
 * rows of its own through tx (an attachment's metadata, say) so they commit with the change.
 * `now` is this node's time, for what the change computes (deadlines, the outbox); the journal
 * entries and the case's updated_at take the database's time read under the lock (lockCase), so
 * a chain never runs backwards in time when nodes' clocks disagree.
 */
export async function changeCase<T = void>(
  tdb: TenantScope,
  caseId: string,
  now: Date,
  decide: (c: Case, tx: TenantQueryable) => Promise<CaseChange & { result?: T }> | (CaseChange & { result?: T }),
): Promise<{ case: Case; result: T | undefined }> {
  return tdb.transaction((tx) => changeCaseIn(tx, caseId, now, decide));
}

/**
 * changeCase within a transaction the caller runs, for a change that must commit with other writes
 * (a season's allocation: its bookings and every application's case at once).
 */
export async function changeCaseIn<T = void>(
  tx: TenantQueryable,
  caseId: string,
  now: Date,
  decide: (c: Case, tx: TenantQueryable) => Promise<CaseChange & { result?: T }> | (CaseChange & { result?: T }),
): Promise<{ case: Case; result: T | undefined }> {
  const locked = await lockCase(tx, caseId);
  if (!locked) throw new AppError('CASE_NOT_FOUND');
  const { case: current, at } = locked;
  const change = await decide(current, tx);
  const entries = chainEntries(tx.tenantId, caseId, { seq: current.journalSeq, hash: current.journalHead }, change.journal.map((j) => ({ ...j, recordedAt: at })));
  await insertEntries(tx, entries);
  const head = entries.at(-1) ?? { seq: current.journalSeq, hash: current.journalHead };
  await updateCase(tx, caseId, change.patch ?? {}, { seq: head.seq, hash: head.hash }, at);
  for (const m of change.outbox ?? []) await enqueue(tx, m, now);
  const patch = change.patch ?? {};
  return {
    case: {
      ...current,
      ...(patch.status !== undefined ? { status: patch.status, statusChangedAt: at } : {}),
      ...(patch.dueAt !== undefined ? { dueAt: patch.dueAt } : {}),
      ...(patch.assigneeId !== undefined ? { assigneeId: patch.assigneeId } : {}),
      ...(patch.decision !== undefined ? { decision: patch.decision } : {}),
      updatedAt: at,
      journalSeq: head.seq,
      journalHead: head.hash,
    },
    result: change.result,
  };
}
