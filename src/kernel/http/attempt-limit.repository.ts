/** The SQL of attempt limits (attempt-limit.ts): one table, attempt_counters, tenant-scoped. */
import type { TenantQueryable } from '../db/index.ts';

/**
 * Counts one attempt under key and decides in the same statement: a new row, or a row whose window
 * has ended, starts a window with 1; otherwise the count goes up only while it is below max. Two
 * nodes counting at once serialise on the row, so no more than max attempts are ever let through
 * in one window. Returns the window's start when the attempt is allowed, undefined when refused
 * (a refused attempt is not counted: it changes nothing).
 */
export async function countAttempt(q: TenantQueryable, key: string, max: number, now: Date, windowEnd: Date): Promise<Date | undefined> {
  const { rows } = await q.query<{ window_start: Date }>(
    `INSERT INTO attempt_counters AS c (tenant_id, key, window_start, expires_at, attempts)
     VALUES ($1, $2, $3, $4, 1)
     ON CONFLICT (tenant_id, key) DO UPDATE SET
       window_start = CASE WHEN c.expires_at <= $3 THEN $3 ELSE c.window_start END,
       expires_at = CASE WHEN c.expires_at <= $3 THEN $4 ELSE c.expires_at END,
       attempts = CASE WHEN c.expires_at <= $3 THEN 1 ELSE c.attempts + 1 END
     WHERE c.expires_at <= $3 OR c.attempts < $5
     RETURNING window_start`,
    [key, now, windowEnd, max],
  );
  return rows[0] ? new Date(rows[0].window_start) : undefined;
}

/** When the window of key ends (for Retry-After), if it has a row. */
export async function windowEnd(q: TenantQueryable, key: string): Promise<Date | undefined> {
  const { rows } = await q.query<{ expires_at: Date }>('SELECT expires_at FROM attempt_counters WHERE tenant_id = $1 AND key = $2', [key]);
  return rows[0] ? new Date(rows[0].expires_at) : undefined;
}

/** Gives back one attempt counted in the window that started at windowStart; nothing once a new window began. */
export async function refundAttempt(q: TenantQueryable, key: string, windowStart: Date): Promise<void> {
  await q.query('UPDATE attempt_counters SET attempts = attempts - 1 WHERE tenant_id = $1 AND key = $2 AND window_start = $3 AND attempts > 0', [
    key,
    windowStart,
  ]);
}
