/**
 * Private follow links (migration 0011, ADR 0015): /follow/<token> opens one case to whoever holds
 * the link — the person who sent it without signing in. The token is 32 random bytes (256 bits,
 * base64url); only its SHA-256 is stored, and a link is found by that hash through the primary
 * key, so a guess costs a lookup that finds nothing and no comparison leaks how close it came.
 */
import { createHash } from 'node:crypto';
import type { Statement, TenantQueryable } from '../kernel/db/index.ts';
import { randomToken } from '../kernel/ids.ts';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new link's token (to show and send, never stored) and the statement that stores its hash with the case. */
export function newFollowLink(caseId: string, now: Date): { token: string; statement: Statement } {
  const token = randomToken(32);
  return {
    token,
    statement: { sql: 'INSERT INTO follow_links (tenant_id, token_hash, case_id, created_at) VALUES ($1, $2, $3, $4)', params: [hashOf(token), caseId, now] },
  };
}

/** The case a token opens, or undefined (malformed, unknown, or another tenant's). */
export async function caseIdOfToken(q: TenantQueryable, token: string): Promise<string | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const { rows } = await q.query<{ case_id: string }>('SELECT case_id FROM follow_links WHERE tenant_id = $1 AND token_hash = $2', [hashOf(token)]);
  return rows[0]?.case_id;
}
