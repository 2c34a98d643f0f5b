/**
 * Server-side sessions. The cookie holds a random token; the table holds its SHA-256, the
 * session's kind and subject, its CSRF token and its idle expiry. One indexed read per request;
 * the expiry is pushed forward at most once a minute so reads do not turn into writes.
 */
import { createHash } from 'node:crypto';
import type { TenantQueryable } from '../db/index.ts';
import type { Locale } from '../i18n/index.ts';
import { randomToken } from '../ids.ts';

export type SessionKind = 'anonymous' | 'resident' | 'staff' | 'staff_pending';

export interface Session {
  id: string;
  kind: SessionKind;
  subjectId: string | null;
  locale: Locale;
  csrfToken: string;
  data: Record<string, unknown>;
  lastSeenAt: Date;
  expiresAt: Date;
}

interface SessionRow {
  id: string;
  kind: SessionKind;
  subject_id: string | null;
  locale: Locale;
  csrf_token: string;
  data: Record<string, unknown>;
  last_seen_at: Date;
  expires_at: Date;
}

const toSession = (r: SessionRow): Session => ({
  id: r.id,
  kind: r.kind,
  subjectId: r.subject_id,
  locale: r.locale,
  csrfToken: r.csrf_token,
  data: r.data ?? {},
  lastSeenAt: new Date(r.last_seen_at),
  expiresAt: new Date(r.expires_at),
});

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class SessionStore {
  constructor(private readonly idleMs: number) {}

  /** The live session for a cookie token, or undefined when unknown or expired. */
  async find(q: TenantQueryable, token: string, now: Date): Promise<Session | undefined> {
    const { rows } = await q.query<SessionRow>(
      `SELECT id, kind, subject_id, locale, csrf_token, data, last_seen_at, expires_at
         FROM sessions WHERE tenant_id = $1 AND id = $2 AND expires_at > $3`,
      [hashToken(token), now],
    );
    return rows[0] ? toSession(rows[0]) : undefined;
  }

  /**
   * Whole seconds until the session ends, as the database has it: up to a minute less than the
   * idle limit, since touch() pushes the end forward at most once a minute. The page's timeout
   * warning counts from this, not from the limit.
   */
  secondsLeft(s: Session, now: Date): number {
    return Math.max(0, Math.floor((s.expiresAt.getTime() - now.getTime()) / 1000));
  }

  /** Extends the idle expiry; skipped when the session was seen less than a minute ago unless forced. */
  async touch(q: TenantQueryable, s: Session, now: Date, force = false): Promise<Session> {
    if (!force && now.getTime() - s.lastSeenAt.getTime() < 60_000) return s;
    const expiresAt = new Date(now.getTime() + this.idleMs);
    await q.query('UPDATE sessions SET last_seen_at = $3, expires_at = $4 WHERE tenant_id = $1 AND id = $2', [s.id, now, expiresAt]);
    return { ...s, lastSeenAt: now, expiresAt };
  }

  /** Creates a session and returns the cookie token (only its hash is stored). */
  async create(
    q: TenantQueryable,
    init: { kind: SessionKind; subjectId?: string | null; locale: Locale; data?: Record<string, unknown> },
    now: Date,
  ): Promise<{ token: string; session: Session }> {
    const token = randomToken();
    const session: Session = {
      id: hashToken(token),
      kind: init.kind,
      subjectId: init.subjectId ?? null,
      locale: init.locale,
      csrfToken: randomToken(24),
      data: init.data ?? {},
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.idleMs),
    };
    await q.query(
      `INSERT INTO sessions (tenant_id, id, kind, subject_id, locale, csrf_token, data, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9)`,
      [session.id, session.kind, session.subjectId, session.locale, session.csrfToken, JSON.stringify(session.data), now, session.expiresAt],
    );
    return { token, session };
  }

  async update(q: TenantQueryable, s: Session, patch: Partial<Pick<Session, 'data' | 'locale'>>): Promise<Session> {
    const next = { ...s, ...patch };
    await q.query('UPDATE sessions SET data = $3, locale = $4 WHERE tenant_id = $1 AND id = $2', [s.id, JSON.stringify(next.data), next.locale]);
    return next;
  }

  async destroy(q: TenantQueryable, s: Session): Promise<void> {
    await q.query('DELETE FROM sessions WHERE tenant_id = $1 AND id = $2', [s.id]);
  }

  /** Ends every session of a subject (a disabled staff account, say). */
  async destroyAllFor(q: TenantQueryable, subjectId: string): Promise<void> {
    await q.query('DELETE FROM sessions WHERE tenant_id = $1 AND subject_id = $2', [subjectId]);
  }
}
