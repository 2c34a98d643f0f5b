/**
 * Server-side sessions. The cookie holds a random token; the table holds its SHA-256, the
 * session's kind and subject, its CSRF token and its idle expiry. One indexed read per request;
 * the expiry is pushed forward at most once a minute so reads do not turn into writes.
 *
 * A module may register the table its signed-in people live in (SessionSubject): the session read
 * then brings that person's row along in the same statement, so a signed-in request does not pay
 * a second round trip to learn who it is (bench/README.md: round trips are what a request costs).
 * A route may likewise ask for one row of its own to come along (SessionCompanion: a form step's
 * draft), read by the same statement as a scalar subquery; the route still checks what it gets.
 */
import { hash } from 'node:crypto';
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
  /**
   * The subject's row (the registered columns, as JSON) when a SessionSubject of this session's
   * kind is registered and the row exists, read with the session at the start of the request.
   */
  subject?: Record<string, unknown> | undefined;
}

/** The table whose row a session of `kind` is about: `id` = the session's subject_id, in the same tenant. */
export interface SessionSubject {
  kind: SessionKind;
  table: string;
  columns: readonly string[];
}

/**
 * One more read for the session's statement, declared by a route (config.withSession). `sql` is a
 * SELECT of at most one row that may use $1 (the tenant), $3 (now, as the session read has it) and
 * its own parameters from $4 on; the row comes back as JSON (timestamps as ISO strings).
 */
export interface SessionCompanion {
  sql: string;
  params: unknown[];
}

/**
 * A route's write that checks the session in its own statement (config.sessionWrite): `sql` is an
 * UPDATE (or other statement) that may read the CTE `session` (id, kind, subject_id: the live session
 * of the cookie's token whose CSRF token is the one sent and which needs no touch) and uses $1 (the
 * tenant), $3 (now) and its own parameters from $6 on. Nothing is written when the session does not
 * qualify, and the route then takes the ordinary path (the session read, the CSRF check, its write).
 */
export interface SessionWrite {
  sql: string;
  params: unknown[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

interface SessionRow {
  id: string;
  kind: SessionKind;
  subject_id: string | null;
  locale: Locale;
  csrf_token: string;
  data: Record<string, unknown>;
  last_seen_at: Date;
  expires_at: Date;
  subject?: Record<string, unknown> | null;
  companion?: Record<string, unknown> | null;
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
  subject: r.subject ?? undefined,
});

/** The session read, with one LEFT JOIN per registered subject table (each tied to the tenant). */
function findSql(subjects: readonly SessionSubject[]): string {
  const joins: string[] = [];
  const picks: string[] = [];
  subjects.forEach((sub, i) => {
    for (const name of [sub.kind, sub.table, ...sub.columns]) if (!IDENTIFIER.test(name)) throw new Error(`Session subject: bad identifier ${name}`);
    const a = `subj${i}`;
    joins.push(`LEFT JOIN ${sub.table} ${a} ON ${a}.tenant_id = $1 AND ${a}.id = s.subject_id AND s.kind = '${sub.kind}'`);
    picks.push(`WHEN ${a}.id IS NOT NULL THEN json_build_object(${sub.columns.map((c) => `'${c}', ${a}.${c}`).join(', ')})`);
  });
  const subject = picks.length ? `, CASE ${picks.join(' ')} END AS subject` : '';
  return `SELECT s.id, s.kind, s.subject_id, s.locale, s.csrf_token, s.data, s.last_seen_at, s.expires_at${subject}
            FROM sessions s ${joins.join(' ')}
           WHERE s.tenant_id = $1 AND s.id = $2 AND s.expires_at > $3`;
}

/** How often a session's expiry is pushed forward: at most once a minute, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60_000;

/** A session token's stored id: SHA-256, hex (one-shot: no Hash object on every request). */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export class SessionStore {
  private readonly findStatement: string;
  private readonly withStatements = new Map<string, string>();
  private readonly writeStatements = new Map<string, string>();

  constructor(
    private readonly idleMs: number,
    subjects: readonly SessionSubject[] = [],
  ) {
    this.findStatement = findSql(subjects);
  }

  /** The live session for a cookie token (with its subject's row), or undefined when unknown or expired. */
  async find(q: TenantQueryable, token: string, now: Date): Promise<Session | undefined> {
    const { rows } = await q.query<SessionRow>(this.findStatement, [hashToken(token), now]);
    return rows[0] ? toSession(rows[0]) : undefined;
  }

  /**
   * find() with a companion row read in the same round trip: `companion` is its row as JSON, or null
   * when it has none; both are undefined when there is no live session (the companion is not read).
   */
  async findWith(q: TenantQueryable, token: string, now: Date, extra: SessionCompanion): Promise<{ session?: Session; companion?: Record<string, unknown> | null }> {
    // One statement text per companion (routes declare a few): built once, so the request path neither
    // rebuilds it nor hands the driver a new string to look up among its prepared statements.
    let sql = this.withStatements.get(extra.sql);
    if (sql === undefined) {
      sql = this.findStatement.replace('FROM sessions s', `, (SELECT row_to_json(c) FROM (${extra.sql}) c LIMIT 1) AS companion\n            FROM sessions s`);
      if (this.withStatements.size < 100) this.withStatements.set(extra.sql, sql);
    }
    const { rows } = await q.query<SessionRow>(sql, [hashToken(token), now, ...extra.params]);
    return rows[0] ? { session: toSession(rows[0]), companion: rows[0].companion ?? null } : {};
  }

  /**
   * A route's write with the session checked in the same statement (SessionWrite): the session must be
   * live at `now`, seen less than a minute ago (so it needs no touch) and carry `csrfToken`. Returns
   * the statement's rows (none: not written). The CSRF tokens are compared by their hashes, so the
   * comparison's time says nothing about how much of a guessed token was right (as timingSafeEqual
   * does on the ordinary path).
   */
  async writeWith<R>(q: TenantQueryable, token: string, now: Date, csrfToken: string, write: SessionWrite): Promise<R[]> {
    let sql = this.writeStatements.get(write.sql);
    if (sql === undefined) {
      sql = `WITH session AS (SELECT s.id, s.kind, s.subject_id FROM sessions s
                               WHERE s.tenant_id = $1 AND s.id = $2 AND s.expires_at > $3 AND s.last_seen_at > $4
                                 AND sha256(convert_to(s.csrf_token, 'UTF8')) = sha256(convert_to($5::text, 'UTF8')))
             ${write.sql}`;
      if (this.writeStatements.size < 100) this.writeStatements.set(write.sql, sql);
    }
    const { rows } = await q.query<R>(sql, [hashToken(token), now, new Date(now.getTime() - TOUCH_EVERY_MS), csrfToken, ...write.params]);
    return rows;
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
    if (!force && now.getTime() - s.lastSeenAt.getTime() < TOUCH_EVERY_MS) return s;
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
