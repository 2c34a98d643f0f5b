/**
 * The archive journal: every change to a case is appended as an entry in the same transaction as
 * the change. Entries are chained per case: each carries the SHA-256 of its content and of the
 * previous entry, and the case row holds the chain's head. Chaining per case (not one global
 * chain) means writers on different cases never wait for each other (docs/adr/0004-journal.md).
 */
import { createHash } from 'node:crypto';
import type { Statement, TenantQueryable } from '../kernel/db/index.ts';
import { canonicalJson } from './canonical-json.ts';

export type ActorKind = 'resident' | 'staff' | 'system';

export type JournalKind =
  | 'submitted'
  | 'assigned'
  | 'status_changed'
  | 'note'
  | 'message'
  | 'supplement_requested'
  | 'supplement_received'
  | 'attachment_added'
  | 'withdrawn'
  | 'decided';

export interface JournalInput {
  kind: JournalKind;
  actorKind: ActorKind;
  actorId: string | null;
  payload: Record<string, unknown>;
  recordedAt: Date;
}

export interface JournalEntry extends JournalInput {
  caseId: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The value before the first entry: binds a chain to its tenant and case, so entries cannot be moved. */
export function genesisHash(tenantId: string, caseId: string): string {
  return createHash('sha256').update(`medborg-journal-v1:${tenantId}:${caseId}`).digest('hex');
}

export function entryHash(tenantId: string, e: Omit<JournalEntry, 'hash'>): string {
  const content = canonicalJson({
    v: 1,
    tenant: tenantId,
    case: e.caseId,
    seq: e.seq,
    kind: e.kind,
    actorKind: e.actorKind,
    actorId: e.actorId,
    payload: e.payload,
    recordedAt: e.recordedAt.toISOString(),
    prev: e.prevHash,
  });
  return createHash('sha256').update(content).digest('hex');
}

/** Builds the next entries of a chain (pure: no I/O). */
export function chainEntries(tenantId: string, caseId: string, head: ChainHead | undefined, inputs: JournalInput[]): JournalEntry[] {
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? genesisHash(tenantId, caseId);
  return inputs.map((input) => {
    seq += 1;
    const partial = { ...input, caseId, seq, prevHash: prev };
    const hash = entryHash(tenantId, partial);
    prev = hash;
    return { ...partial, hash };
  });
}

/**
 * Inserts entries built by chainEntries. Call inside the transaction that makes the change, with
 * the case row locked (FOR UPDATE) and then move the case's head to the last entry.
 */
export async function insertEntries(q: TenantQueryable, entries: JournalEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const { sql, params } = insertEntriesStatement(entries);
  await q.query(sql, params);
}

/** The INSERT of insertEntries, for writing together with the change (kernel/db writeTogether). */
export function insertEntriesStatement(entries: JournalEntry[]): Statement {
  const values: unknown[] = [];
  const tuples = entries.map((e, i) => {
    const o = i * 9;
    values.push(e.caseId, e.seq, e.kind, e.actorKind, e.actorId, JSON.stringify(e.payload), e.recordedAt, e.prevHash, e.hash);
    return `($1, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8}, $${o + 9}, $${o + 10})`;
  });
  return {
    sql: `INSERT INTO journal (tenant_id, case_id, seq, kind, actor_kind, actor_id, payload, recorded_at, prev_hash, hash) VALUES ${tuples.join(', ')}`,
    params: values,
  };
}

export interface JournalRow {
  case_id: string;
  seq: number;
  kind: JournalKind;
  actor_kind: ActorKind;
  actor_id: string | null;
  payload: Record<string, unknown>;
  recorded_at: Date;
  prev_hash: string;
  hash: string;
}

export const toEntry = (r: JournalRow): JournalEntry => ({
  caseId: r.case_id,
  seq: r.seq,
  kind: r.kind,
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  payload: r.payload,
  recordedAt: new Date(r.recorded_at),
  prevHash: r.prev_hash,
  hash: r.hash,
});

export const JOURNAL_COLUMNS = 'case_id, seq, kind, actor_kind, actor_id, payload, recorded_at, prev_hash, hash';

/** A case's entries in order (the case history). */
export async function readJournal(q: TenantQueryable, caseId: string): Promise<JournalEntry[]> {
  const { rows } = await q.query<JournalRow>(`SELECT ${JOURNAL_COLUMNS} FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq`, [caseId]);
  return rows.map(toEntry);
}
