/** SQL for housekeeping across tenants, run by the scheduler (not by requests, hence unscoped). */
import type { Queryable } from '../kernel/db/index.ts';

/**
 * Deletes sessions past their expiry in every tenant. Unscoped on purpose: expiry is the same rule
 * for every municipality, and one statement over the expiry column beats one per tenant.
 */
export async function purgeExpiredSessions(db: Queryable, now: Date): Promise<number> {
  const r = await db.query('DELETE FROM sessions WHERE expires_at < $1', [now]);
  return r.rowCount;
}

/**
 * Deletes sign-in attempt counters whose window has ended, in every tenant: the next attempt under
 * such a key starts a new window anyway, so the row only keeps who tried what.
 */
export async function purgeExpiredAttemptCounters(db: Queryable, now: Date): Promise<number> {
  const r = await db.query('DELETE FROM attempt_counters WHERE expires_at < $1', [now]);
  return r.rowCount;
}
