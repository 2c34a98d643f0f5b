/**
 * The archive journal: every change to a case is appended as an entry in the same transaction as
 * the change. Entries are chained per case: each carries the SHA-256 of its content and of the
 * previous entry, and the case row holds the chain's head. Chaining per case (not one global
 * chain) means writers on different cases never wait for each other (docs/adr/0004-journal.md).
 *
 * An entry's time comes from the database's clock, read under the case's row lock and never
 * earlier than the entry before it, so a chain is ordered in time whatever the nodes' clocks say
 * (entries of version 2; version 1 entries, written before, took the writing node's clock).
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
  | 'decided'
  // eng-flow: workflow actions as data (ADR 0014)
  | 'referred'
  | 'referral_replied'
  | 'closed'
  | 'decision_proposed'
  | 'decision_returned'
  // --- payments (eng-reg) ---
  | 'payment_refunded'
  | 'payment_refund_failed'
  // --- end eng-reg ---
  // co-signing (ADR 0016): a co-signer's answer, or the request expiring
  | 'co_sign_requested'
  | 'co_sign_approved'
  | 'co_sign_rejected'
  | 'co_sign_expired'
  // bookings (ADR 0038): a booking ended by its booker or the municipality, and the booker reminded before it (ADR 0040)
  | 'booking_cancelled'
  | 'booking_reminded'
  // seasonal allocation (ADR 0041): what the season's allocation gave an application
  | 'season_allocated'
  // queues (ADR 0043): the applicant changed the choices they queue for (the queue date kept)
  | 'queue_choices_changed'
  // offers (ADR 0046): a place offered to the application, and its answer or lapse
  | 'queue_offer_made'
  | 'queue_offer_accepted'
  | 'queue_offer_declined'
  | 'queue_offer_expired'
  // renewal (ADR 0047): a place renewed for another period, the applicant reminded when it may be, or the application left for want of it
  | 'queue_renewed'
  | 'queue_renewal_lapsed'
  | 'queue_renewal_reminded'
  // allocation rounds (ADR 0044): what a published round gave an application, and why
  | 'allocation_result'
  // a round's own chain (ADR 0045): its frozen inputs and seed, then its published result
  | 'round_frozen'
  | 'round_published';

export interface JournalInput {
  kind: JournalKind;
  actorKind: ActorKind;
  actorId: string | null;
  payload: Record<string, unknown>;
  recordedAt: Date;
}

/**
 * The version new entries are written in: 2, whose time is the database's, not before the
 * previous entry's. 1: the writing node's time (entries written before migration 0007).
 */
export const JOURNAL_VERSION = 2;

/**
 * SQL for the time of a new chain's first entry: the database's clock, in milliseconds as an
 * entry's hash holds them. Later entries take it under the case's lock (cases' lockCase).
 */
export const JOURNAL_CLOCK = "date_trunc('milliseconds', clock_timestamp())";

export interface JournalEntry extends JournalInput {
  /** Part of the hashed content: which rules the entry was written by (JOURNAL_VERSION). */
  version: number;
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
    v: e.version,
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

/**
 * Builds the next entries of a chain (pure: no I/O), in the current version: the caller gives
 * them the database's time read under the case's lock (see cases' lockCase).
 */
export function chainEntries(tenantId: string, caseId: string, head: ChainHead | undefined, inputs: JournalInput[]): JournalEntry[] {
  let seq = head?.seq ?? 0;
  let prev = head?.hash ?? genesisHash(tenantId, caseId);
  return inputs.map((input) => {
    seq += 1;
    const partial = { ...input, version: JOURNAL_VERSION, caseId, seq, prevHash: prev };
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
    const o = i * 10;
    values.push(e.caseId, e.seq, e.kind, e.actorKind, e.actorId, JSON.stringify(e.payload), e.recordedAt, e.prevHash, e.hash, e.version);
    return `($1, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}, $${o + 6}, $${o + 7}, $${o + 8}, $${o + 9}, $${o + 10}, $${o + 11})`;
  });
  return {
    sql: `INSERT INTO journal (tenant_id, case_id, seq, kind, actor_kind, actor_id, payload, recorded_at, prev_hash, hash, version) VALUES ${tuples.join(', ')}`,
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
  version: number;
}

export const toEntry = (r: JournalRow): JournalEntry => ({
  version: r.version,
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

export const JOURNAL_COLUMNS = 'case_id, seq, kind, actor_kind, actor_id, payload, recorded_at, prev_hash, hash, version';

/** A case's entries in order (the case history). */
export async function readJournal(q: TenantQueryable, caseId: string): Promise<JournalEntry[]> {
  const { rows } = await q.query<JournalRow>(`SELECT ${JOURNAL_COLUMNS} FROM journal WHERE tenant_id = $1 AND case_id = $2 ORDER BY seq`, [caseId]);
  return rows.map(toEntry);
}
