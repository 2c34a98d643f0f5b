/**
 * Attempt limits for sign-in (per client address, per username): counted in the database, so they
 * hold across every node, and decided before the expensive or secret check they protect (argon2,
 * the e-ID provider). Counting and deciding is one statement (attempt-limit.repository.ts), so
 * concurrent attempts cannot all read "one left" and all go on. Fixed windows: at most `max`
 * attempts per key from the first one until `windowMs` later. Expired rows are purged by a job.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TenantQueryable } from '../db/index.ts';
import { AppError } from '../errors.ts';
import * as repo from './attempt-limit.repository.ts';

/** At most max attempts per windowMs for one key; name keeps the keys of different limits apart. */
export interface AttemptLimit {
  readonly name: string;
  readonly max: number;
  readonly windowMs: number;
}

export type AttemptVerdict =
  | {
      allowed: true;
      /** Gives the attempt back, for limits that count only failures: call it when the attempt succeeded. */
      refund(): Promise<void>;
    }
  | { allowed: false; retryAfterSeconds: number };

/** Keys are bounded (the column allows 300 characters); what is cut is the tail of something typed in. */
const keyOf = (limit: AttemptLimit, key: string): string => `${limit.name}:${key}`.slice(0, 300);

/** Counts one attempt under limit for key, and says whether it may go on. */
export async function countAttempt(q: TenantQueryable, limit: AttemptLimit, key: string, now: Date): Promise<AttemptVerdict> {
  const k = keyOf(limit, key);
  const started = await repo.countAttempt(q, k, limit.max, now, new Date(now.getTime() + limit.windowMs));
  if (started) return { allowed: true, refund: () => repo.refundAttempt(q, k, started) };
  const end = (await repo.windowEnd(q, k)) ?? new Date(now.getTime() + limit.windowMs);
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000)) };
}

/**
 * For a route: counts this request's attempt under limit for key (within the request's tenant) and
 * throws RATE_LIMITED, with Retry-After, when it is over the limit. Returns the way to give the
 * attempt back.
 */
export async function limitAttempt(req: FastifyRequest, reply: FastifyReply, limit: AttemptLimit, key: string): Promise<{ refund(): Promise<void> }> {
  const verdict = await countAttempt(req.tdb, limit, key, req.server.clock.now());
  if (verdict.allowed) return verdict;
  reply.header('retry-after', String(verdict.retryAfterSeconds));
  throw new AppError('RATE_LIMITED');
}
