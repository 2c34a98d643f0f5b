/**
 * Journal chains that are not cases (ADR 0045): an allocation round's frozen inputs, seed and
 * published result are chained as a case's changes are — the same `journal` rows, the same hashes —
 * with the chain's head in `journal_chains` instead of on a case row. A chain's first entry links to
 * a genesis value derived from its kind, tenant and id (a case's genesis names no kind), so an entry
 * cannot be moved between chains, nor between a case and a chain. Appending locks the head row, and
 * an entry's time is the database's, never before the head's (as lockCase does for a case).
 */
import { createHash } from 'node:crypto';
import type { TenantQueryable } from '../kernel/db/index.ts';
import { chainEntries, insertEntries, JOURNAL_CLOCK, JOURNAL_COLUMNS, toEntry, type JournalEntry, type JournalInput, type JournalRow } from './journal.ts';

/** The kinds of chain that are not cases (migration 0045's CHECK names the same). */
export const CHAIN_KINDS = ['allocation_round'] as const;
export type ChainKind = (typeof CHAIN_KINDS)[number];

/** The value before a chain's first entry: binds it to its kind, tenant and id. */
export function chainGenesis(tenantId: string, kind: ChainKind, id: string): string {
  return createHash('sha256').update(`medborg-journal-v1:${kind}:${tenantId}:${id}`).digest('hex');
}

/**
 * Appends entries to a chain within the caller's transaction, making the chain with its first
 * entries. The head row is locked (FOR UPDATE), so appenders of one chain take turns.
 */
export async function appendToChain(tx: TenantQueryable, kind: ChainKind, id: string, inputs: Omit<JournalInput, 'recordedAt'>[]): Promise<JournalEntry[]> {
  // One statement makes the head row on first use (empty: seq 0) or locks the existing one, and
  // reads the database's time under that lock, never before the head entry's.
  const { rows } = await tx.query<{ kind: string; journal_seq: number; journal_head: string; at: Date }>(
    `INSERT INTO journal_chains (tenant_id, id, kind, journal_seq, journal_head, updated_at) VALUES ($1, $2, $3, 0, '', ${JOURNAL_CLOCK})
     ON CONFLICT (tenant_id, id) DO UPDATE SET kind = journal_chains.kind
     RETURNING kind, journal_seq, journal_head, date_trunc('milliseconds', GREATEST(clock_timestamp(), updated_at)) AS at`,
    [id, kind],
  );
  const head = rows[0]!;
  if (head.kind !== kind) throw new Error(`journal chain ${id} is a ${head.kind}, not a ${kind}`);
  const at = new Date(head.at);
  const start = head.journal_seq === 0 ? { seq: 0, hash: chainGenesis(tx.tenantId, kind, id) } : { seq: head.journal_seq, hash: head.journal_head };
  const entries = chainEntries(tx.tenantId, id, start, inputs.map((i) => ({ ...i, recordedAt: at })));
  if (!entries.length) return entries;
  await insertEntries(tx, entries);
  const last = entries.at(-1)!;
  await tx.query('UPDATE journal_chains SET journal_seq = $3, journal_head = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2', [id, last.seq, last.hash, at]);
  return entries;
}

/** A chain's entries in order. */
export async function readChain(q: TenantQueryable, id: string): Promise<JournalEntry[]> {
  const { rows } = await q.query<JournalRow>(
    `SELECT ${JOURNAL_COLUMNS} FROM journal j WHERE j.tenant_id = $1 AND j.case_id = $2
        AND EXISTS (SELECT 1 FROM journal_chains c WHERE c.tenant_id = j.tenant_id AND c.id = j.case_id) ORDER BY seq`,
    [id],
  );
  return rows.map(toEntry);
}

/** A chain's recorded head, or undefined. */
export async function chainHead(q: TenantQueryable, id: string): Promise<{ kind: ChainKind; seq: number; hash: string } | undefined> {
  const { rows } = await q.query<{ kind: ChainKind; journal_seq: number; journal_head: string }>('SELECT kind, journal_seq, journal_head FROM journal_chains WHERE tenant_id = $1 AND id = $2', [id]);
  return rows[0] ? { kind: rows[0].kind, seq: rows[0].journal_seq, hash: rows[0].journal_head } : undefined;
}
