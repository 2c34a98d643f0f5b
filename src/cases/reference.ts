/**
 * Case references such as FSK-2026-000123: the service's prefix, the year in Stockholm, and a number
 * from a per-tenant PostgreSQL sequence. A sequence hands out numbers without locks, so concurrent
 * submissions never wait for one another (numbers may skip after a rollback, a refused or a
 * duplicate submission; they never repeat). The forms engine takes the number in the same query
 * that reads the draft (NEXT_CASE_NUMBER), so a submission costs no round trip for it.
 */
import type { Database, TenantQueryable } from '../kernel/db/index.ts';
import { TENANT_ID_PATTERN } from '../kernel/db/index.ts';
import { stockholmToday } from '../forms/dates.ts';
import { JOURNAL_CLOCK } from '../archive/index.ts';

export function sequenceName(tenantId: string): string {
  if (!TENANT_ID_PATTERN.test(tenantId)) throw new Error(`Bad tenant id ${tenantId}`);
  return `case_ref_${tenantId}`;
}

/** Creates each tenant's reference sequence if missing (at start-up; tenants live in config, not migrations). */
export async function ensureReferenceSequences(db: Database, tenantIds: readonly string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [727_274_002]);
    for (const id of tenantIds) await tx.query(`CREATE SEQUENCE IF NOT EXISTS ${sequenceName(id)}`);
  });
}

export function formatReference(prefix: string, now: Date, n: number): string {
  return `${prefix}-${stockholmToday(now).slice(0, 4)}-${String(n).padStart(6, '0')}`;
}

/** SQL for the tenant's next case number, where $1 is the tenant id (as in every tenant-scoped query). */
export const NEXT_CASE_NUMBER = 'next_case_number(tenant_id => $1)';

/** The next reference, and the database's time for the new case's first journal entry (same query). */
export async function nextReference(q: TenantQueryable, prefix: string, now: Date): Promise<{ reference: string; number: number; at: Date }> {
  const { rows } = await q.query<{ n: number; at: Date }>(`SELECT ${NEXT_CASE_NUMBER} AS n, ${JOURNAL_CLOCK} AS at`);
  return { reference: formatReference(prefix, now, rows[0]!.n), number: Number(rows[0]!.n), at: new Date(rows[0]!.at) };
}
