/**
 * One-time codes that verify an e-mail address (migration 0011, ADR 0015). Six digits, kept only
 * as a hash with the row's id, valid for CODE_TTL_MS and for MAX_CODE_ATTEMPTS checks. A check
 * counts itself in the code's row in the same statement that reads the hash, before comparing:
 * however many checks arrive at once on however many nodes, no more than the limit are ever
 * compared (the row lock of the UPDATE orders them).
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { TenantQueryable } from '../../kernel/db/index.ts';
import { uuidv7 } from '../../kernel/ids.ts';

export const CODE_TTL_MS = 15 * 60_000;
export const MAX_CODE_ATTEMPTS = 5;

const hashCode = (id: string, code: string): Buffer => createHash('sha256').update(`${id}:${code}`).digest();

/** A new code for the address; returns its id (kept in the session) and the code (sent, never stored). */
export async function createCode(q: TenantQueryable, email: string, now: Date): Promise<{ id: string; code: string }> {
  const id = uuidv7(now.getTime());
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  // Codes past their expiry can never be used: each new one clears them away (sending is rate-limited, and
  // the scheduler's pool has no connection to spare for a job of its own).
  await q.query('DELETE FROM email_codes WHERE tenant_id = $1 AND expires_at < $2', [now]);
  await q.query(
    `INSERT INTO email_codes (tenant_id, id, email, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, email, hashCode(id, code).toString('hex'), now, new Date(now.getTime() + CODE_TTL_MS)],
  );
  return { id, code };
}

export type CodeCheck = { ok: true; email: string } | { ok: false; reason: 'wrong'; attemptsLeft: number } | { ok: false; reason: 'expired' | 'exhausted' };

/**
 * Checks a typed code. Counts the attempt first (refused once MAX_CODE_ATTEMPTS are spent or the
 * code was used), then compares in constant time; a right code is used up in a statement that only
 * one of several concurrent right answers wins.
 */
export async function checkCode(q: TenantQueryable, id: string, typed: string, now: Date): Promise<CodeCheck> {
  const { rows } = await q.query<{ code_hash: string; expires_at: Date; email: string; attempts: number }>(
    `UPDATE email_codes SET attempts = attempts + 1
      WHERE tenant_id = $1 AND id = $2 AND used_at IS NULL AND attempts < $3
      RETURNING code_hash, expires_at, email, attempts`,
    [id, MAX_CODE_ATTEMPTS],
  );
  const row = rows[0];
  if (!row) return { ok: false, reason: 'exhausted' };
  if (new Date(row.expires_at).getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  const digits = typed.replace(/\s/g, '');
  const right = /^[0-9]{6}$/.test(digits) && timingSafeEqual(hashCode(id, digits), Buffer.from(row.code_hash, 'hex'));
  if (!right) return { ok: false, reason: 'wrong', attemptsLeft: MAX_CODE_ATTEMPTS - row.attempts };
  const used = await q.query(`UPDATE email_codes SET used_at = $3 WHERE tenant_id = $1 AND id = $2 AND used_at IS NULL`, [id, now]);
  return used.rowCount === 1 ? { ok: true, email: row.email } : { ok: false, reason: 'exhausted' };
}
