/**
 * SQL for delivering the outbox (writing to it is enqueue() in outbox.ts). A row is pending while
 * sent_at is NULL; available_at says when it may next be tried. A row the worker has given up on
 * keeps sent_at NULL, its attempts and last_error, and is parked at available_at = 'infinity':
 * operators find it with `WHERE sent_at IS NULL AND available_at = 'infinity'` and can requeue it
 * with `UPDATE outbox SET available_at = now(), attempts = 0 WHERE ...`.
 */
import type { Database, TenantQueryable } from '../kernel/db/index.ts';

export interface ClaimedRow {
  tenant_id: string;
  id: string;
  kind: string;
  payload: unknown;
  /** Attempts including this one. */
  attempts: number;
}

/**
 * Claims up to `limit` due rows of the given kinds (a worker takes only what it can deliver, so
 * webhooks added to the outbox later are left for their own worker) of every tenant and leases them until `leaseUntil`, in one
 * statement. FOR UPDATE SKIP LOCKED makes concurrent workers (several nodes) take disjoint rows
 * without waiting for each other; pushing available_at forward keeps the rows away from other
 * workers after this statement commits, while they are being sent. If this worker dies mid-send
 * the lease runs out and another worker tries again (at-least-once delivery). The attempt is
 * counted here, not after sending, so a message that crashes the process still runs out of tries.
 *
 * Deliberately unscoped (raw Database, no tenantScope): the worker is infrastructure serving every
 * tenant, and one query over the shared due-index costs the same for two municipalities or two
 * hundred, where a loop over tenants would poll each of them every two seconds. The rows it returns
 * carry their tenant_id, and everything done with a row afterwards goes through that tenant's scope.
 * (On a Citus cluster, where outbox is distributed by tenant, this becomes one claim per shard.)
 */
export async function claimDue(db: Database, kinds: readonly string[], now: Date, leaseUntil: Date, limit: number): Promise<ClaimedRow[]> {
  const { rows } = await db.query<ClaimedRow>(
    `WITH due AS (
       SELECT tenant_id, id FROM outbox
        WHERE sent_at IS NULL AND available_at <= $1 AND kind = ANY($4::text[])
        ORDER BY available_at
        LIMIT $3
        FOR UPDATE SKIP LOCKED
     )
     UPDATE outbox o SET attempts = o.attempts + 1, available_at = $2
       FROM due
      WHERE o.tenant_id = due.tenant_id AND o.id = due.id
     RETURNING o.tenant_id, o.id, o.kind, o.payload, o.attempts`,
    [now, leaseUntil, limit, kinds],
  );
  return rows;
}

/** Marks a delivered row sent; the first delivery's time wins if a lease ran out and it went twice. */
export async function markSent(q: TenantQueryable, id: string, now: Date): Promise<void> {
  await q.query('UPDATE outbox SET sent_at = $3 WHERE tenant_id = $1 AND id = $2 AND sent_at IS NULL', [id, now]);
}

/**
 * Records a failed attempt and when to try again ('never' parks the row). `attempts` is the count
 * this worker claimed with: if the lease ran out and another worker has claimed the row since,
 * the stale failure is dropped instead of cutting the other worker's lease short.
 */
export async function recordFailure(q: TenantQueryable, id: string, attempts: number, error: string, retryAt: Date | 'never'): Promise<void> {
  await q.query(
    `UPDATE outbox SET last_error = $4, available_at = $5
      WHERE tenant_id = $1 AND id = $2 AND attempts = $3 AND sent_at IS NULL`,
    [id, attempts, error, retryAt === 'never' ? 'infinity' : retryAt],
  );
}
