/** Every SQL statement of the staff module. Each one is tenant-scoped: the tenant is always $1. */
import type { TenantQueryable } from '../../kernel/db/index.ts';
import { uuidv7 } from '../../kernel/ids.ts';
import type { SessionSubject } from '../../kernel/http/index.ts';
import type { Actor, StaffAccount, StaffAccountEvent, StaffEvent, StaffEventAction, StaffOidcIdentity } from './types.ts';

/** A staff session brings the account's roles along (the header names them; a change shows on the next page). */
export const STAFF_SESSION_SUBJECT: SessionSubject = { kind: 'staff', table: 'staff_accounts', columns: ['roles'] };

interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  email: string;
  roles: string[];
  departments: string[];
  password_hash: string;
  password_changed_at: Date;
  password_must_change: boolean;
  totp_secret: string | null;
  totp_enrolled_at: Date | null;
  totp_last_counter: number | null;
  failed_attempts: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  last_sign_in_at: Date | null;
  created_at: Date;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

const toAccount = (r: AccountRow): StaffAccount => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  email: r.email,
  roles: r.roles ?? [],
  departments: r.departments ?? [],
  passwordHash: r.password_hash,
  passwordChangedAt: new Date(r.password_changed_at),
  passwordMustChange: r.password_must_change,
  totpSecret: r.totp_secret,
  totpEnrolledAt: date(r.totp_enrolled_at),
  totpLastCounter: r.totp_last_counter === null ? null : Number(r.totp_last_counter),
  failedAttempts: r.failed_attempts,
  lockedUntil: date(r.locked_until),
  disabledAt: date(r.disabled_at),
  lastSignInAt: date(r.last_sign_in_at),
  createdAt: new Date(r.created_at),
});

const COLUMNS = `id, username, display_name, email, roles, departments, password_hash, password_changed_at,
  password_must_change, totp_secret, totp_enrolled_at, totp_last_counter, failed_attempts, locked_until,
  disabled_at, last_sign_in_at, created_at`;

/** COLUMNS of the accounts table joined as `a`. */
const ACCOUNT_COLUMNS = COLUMNS.split(',')
  .map((c) => `a.${c.trim()}`)
  .join(', ');

export interface NewAccountRow {
  id: string;
  username: string;
  displayName: string;
  email: string;
  roles: string[];
  departments: string[];
  passwordHash: string;
  passwordMustChange: boolean;
  totpSecret: string | null;
  totpEnrolledAt: Date | null;
  createdAt: Date;
}

export async function insertAccount(q: TenantQueryable, a: NewAccountRow): Promise<void> {
  await q.query(
    `INSERT INTO staff_accounts (tenant_id, id, username, display_name, email, roles, departments, password_hash,
       password_changed_at, password_must_change, totp_secret, totp_enrolled_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $9)`,
    [a.id, a.username, a.displayName, a.email, a.roles, a.departments, a.passwordHash, a.createdAt, a.passwordMustChange, a.totpSecret, a.totpEnrolledAt],
  );
}

export async function findAccountById(q: TenantQueryable, id: string): Promise<StaffAccount | undefined> {
  const { rows } = await q.query<AccountRow>(`SELECT ${COLUMNS} FROM staff_accounts WHERE tenant_id = $1 AND id = $2`, [id]);
  return rows[0] ? toAccount(rows[0]) : undefined;
}

export async function findAccountByUsername(q: TenantQueryable, username: string): Promise<StaffAccount | undefined> {
  const { rows } = await q.query<AccountRow>(`SELECT ${COLUMNS} FROM staff_accounts WHERE tenant_id = $1 AND username = $2`, [username]);
  return rows[0] ? toAccount(rows[0]) : undefined;
}

/** The account bound to an identity provider's issuer and subject in this tenant, if any. */
export async function findAccountByOidcIdentity(q: TenantQueryable, issuer: string, subject: string): Promise<StaffAccount | undefined> {
  const { rows } = await q.query<AccountRow>(
    `SELECT ${ACCOUNT_COLUMNS} FROM staff_oidc_identities i
       JOIN staff_accounts a ON a.tenant_id = i.tenant_id AND a.id = i.staff_id
      WHERE i.tenant_id = $1 AND i.issuer = $2 AND i.subject = $3`,
    [issuer, subject],
  );
  return rows[0] ? toAccount(rows[0]) : undefined;
}

/** The account's identity at the given issuer, if it is bound to one. */
export async function findOidcIdentity(q: TenantQueryable, staffId: string, issuer: string): Promise<StaffOidcIdentity | undefined> {
  const { rows } = await q.query<{ issuer: string; subject: string; created_at: Date }>(
    'SELECT issuer, subject, created_at FROM staff_oidc_identities WHERE tenant_id = $1 AND staff_id = $2 AND issuer = $3',
    [staffId, issuer],
  );
  return rows[0] ? { issuer: rows[0].issuer, subject: rows[0].subject, createdAt: new Date(rows[0].created_at) } : undefined;
}

/** Binds; the keys refuse a subject bound to another account, or an account bound already (unique violation). */
export async function insertOidcIdentity(q: TenantQueryable, staffId: string, issuer: string, subject: string, at: Date): Promise<void> {
  await q.query('INSERT INTO staff_oidc_identities (tenant_id, issuer, subject, staff_id, created_at) VALUES ($1, $2, $3, $4, $5)', [
    issuer,
    subject,
    staffId,
    at,
  ]);
}

/** Removes the account's binding at the issuer; the subject it had, or undefined when there was none. */
export async function deleteOidcIdentity(q: TenantQueryable, staffId: string, issuer: string): Promise<string | undefined> {
  const { rows } = await q.query<{ subject: string }>(
    'DELETE FROM staff_oidc_identities WHERE tenant_id = $1 AND staff_id = $2 AND issuer = $3 RETURNING subject',
    [staffId, issuer],
  );
  return rows[0]?.subject;
}

export interface AccountPage {
  accounts: StaffAccount[];
  /** The username to continue after, when there is a next page. */
  next: string | undefined;
  /** The username to go back before, when there is a previous page. */
  prev: string | undefined;
}

/** One page of accounts in username order, by key: after or before a username, never an offset. */
export async function listAccounts(q: TenantQueryable, page: { after?: string | undefined; before?: string | undefined; limit: number }): Promise<AccountPage> {
  const backwards = page.before !== undefined && page.after === undefined;
  const key = backwards ? page.before : page.after;
  const { rows } = await q.query<AccountRow>(
    backwards
      ? `SELECT ${COLUMNS} FROM staff_accounts WHERE tenant_id = $1 AND username < $2 ORDER BY username DESC LIMIT $3`
      : `SELECT ${COLUMNS} FROM staff_accounts WHERE tenant_id = $1 AND ($2::text IS NULL OR username > $2) ORDER BY username LIMIT $3`,
    [key ?? null, page.limit + 1],
  );
  const more = rows.length > page.limit;
  const accounts = rows.slice(0, page.limit).map(toAccount);
  if (backwards) accounts.reverse();
  const first = accounts[0]?.username;
  const last = accounts.at(-1)?.username;
  return backwards
    ? { accounts, prev: more ? first : undefined, next: last }
    : { accounts, prev: key !== undefined ? first : undefined, next: more ? last : undefined };
}

export async function updateProfile(
  q: TenantQueryable,
  id: string,
  p: { displayName: string; email: string; roles: string[]; departments: string[] },
): Promise<void> {
  await q.query(
    'UPDATE staff_accounts SET display_name = $3, email = $4, roles = $5, departments = $6 WHERE tenant_id = $1 AND id = $2',
    [id, p.displayName, p.email, p.roles, p.departments],
  );
}

export async function setDisabledAt(q: TenantQueryable, id: string, at: Date | null): Promise<void> {
  await q.query('UPDATE staff_accounts SET disabled_at = $3 WHERE tenant_id = $1 AND id = $2', [id, at]);
}

export async function setPassword(q: TenantQueryable, id: string, hash: string, at: Date, mustChange: boolean): Promise<void> {
  await q.query(
    `UPDATE staff_accounts SET password_hash = $3, password_changed_at = $4, password_must_change = $5,
       failed_attempts = 0, locked_until = NULL
     WHERE tenant_id = $1 AND id = $2`,
    [id, hash, at, mustChange],
  );
}

/** Replaces a hash made with older parameters, keeping the password and its dates. */
export async function replacePasswordHash(q: TenantQueryable, id: string, hash: string): Promise<void> {
  await q.query('UPDATE staff_accounts SET password_hash = $3 WHERE tenant_id = $1 AND id = $2', [id, hash]);
}

/** Stores a freshly generated secret for enrolment unless one is already waiting (two tabs). */
export async function setPendingTotpSecret(q: TenantQueryable, id: string, encrypted: string): Promise<void> {
  await q.query(
    'UPDATE staff_accounts SET totp_secret = $3 WHERE tenant_id = $1 AND id = $2 AND totp_secret IS NULL AND totp_enrolled_at IS NULL',
    [id, encrypted],
  );
}

/** Marks the waiting secret enrolled; false when it was enrolled or reset meanwhile. */
export async function markTotpEnrolled(q: TenantQueryable, id: string, secret: string, at: Date, step: number): Promise<boolean> {
  const r = await q.query(
    `UPDATE staff_accounts SET totp_enrolled_at = $4, totp_last_counter = $5
     WHERE tenant_id = $1 AND id = $2 AND totp_secret = $3 AND totp_enrolled_at IS NULL`,
    [id, secret, at, step],
  );
  return r.rowCount === 1;
}

/** An administrator's enrolment: the secret is enrolled at once, no code from it used yet. */
export async function setEnrolledTotp(q: TenantQueryable, id: string, encrypted: string, at: Date): Promise<void> {
  await q.query(
    'UPDATE staff_accounts SET totp_secret = $3, totp_enrolled_at = $4, totp_last_counter = NULL WHERE tenant_id = $1 AND id = $2',
    [id, encrypted, at],
  );
}

export async function clearTotp(q: TenantQueryable, id: string): Promise<void> {
  await q.query(
    'UPDATE staff_accounts SET totp_secret = NULL, totp_enrolled_at = NULL, totp_last_counter = NULL WHERE tenant_id = $1 AND id = $2',
    [id],
  );
  await q.query('DELETE FROM staff_recovery_codes WHERE tenant_id = $1 AND staff_id = $2', [id]);
}

/**
 * Claims a TOTP time step: true only when it is later than every step used before, so the same
 * code (or an older one still inside the window) is refused even by two requests at once.
 */
export async function claimTotpStep(q: TenantQueryable, id: string, step: number): Promise<boolean> {
  const r = await q.query(
    `UPDATE staff_accounts SET totp_last_counter = $3
     WHERE tenant_id = $1 AND id = $2 AND (totp_last_counter IS NULL OR totp_last_counter < $3)`,
    [id, step],
  );
  return r.rowCount === 1;
}

/**
 * Counts an attempt at the account's password or code and decides, in the same statement, whether
 * it may be checked: not while the account is locked. The attempt that reaches max locks the account
 * at once (until lockUntil), before it is checked, so however many attempts arrive together and on
 * however many nodes, no more than max are ever checked; a sign-in that completes clears the count
 * and the lock (recordSignIn). The first attempt after a lock has run out counts from 1 again.
 * Returns the count including this attempt, or undefined when the account is locked (or gone).
 */
export async function countAttempt(q: TenantQueryable, id: string, max: number, now: Date, lockUntil: Date): Promise<number | undefined> {
  const { rows } = await q.query<{ failed_attempts: number }>(
    `UPDATE staff_accounts SET
       failed_attempts = CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 END,
       locked_until = CASE WHEN (CASE WHEN locked_until IS NULL THEN failed_attempts + 1 ELSE 1 END) >= $4 THEN $5::timestamptz END
     WHERE tenant_id = $1 AND id = $2 AND (locked_until IS NULL OR locked_until <= $3)
     RETURNING failed_attempts`,
    [id, now, max, lockUntil],
  );
  return rows[0]?.failed_attempts;
}

export async function recordSignIn(q: TenantQueryable, id: string, at: Date): Promise<void> {
  await q.query('UPDATE staff_accounts SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = $3 WHERE tenant_id = $1 AND id = $2', [
    id,
    at,
  ]);
}

export async function replaceRecoveryCodes(q: TenantQueryable, staffId: string, hashes: string[], at: Date): Promise<void> {
  await q.query('DELETE FROM staff_recovery_codes WHERE tenant_id = $1 AND staff_id = $2', [staffId]);
  await q.query(
    `INSERT INTO staff_recovery_codes (tenant_id, staff_id, code_hash, created_at)
     SELECT $1, $2, h, $4 FROM unnest($3::text[]) AS h`,
    [staffId, hashes, at],
  );
}

/** Spends a recovery code; false when it is unknown or already spent. */
export async function consumeRecoveryCode(q: TenantQueryable, staffId: string, hash: string, at: Date): Promise<boolean> {
  const r = await q.query(
    `UPDATE staff_recovery_codes SET used_at = $4
     WHERE tenant_id = $1 AND staff_id = $2 AND code_hash = $3 AND used_at IS NULL`,
    [staffId, hash, at],
  );
  return r.rowCount === 1;
}

export async function countUnusedRecoveryCodes(q: TenantQueryable, staffId: string): Promise<number> {
  const { rows } = await q.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM staff_recovery_codes WHERE tenant_id = $1 AND staff_id = $2 AND used_at IS NULL',
    [staffId],
  );
  return rows[0]?.n ?? 0;
}

export async function appendEvent(
  q: TenantQueryable,
  e: { staffId: string; actor: Actor; action: StaffEventAction; details?: Record<string, unknown>; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO staff_account_events (tenant_id, id, staff_id, actor_id, actor, action, details, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [uuidv7(), e.staffId, e.actor.id, e.actor.label, e.action, JSON.stringify(e.details ?? {}), e.at],
  );
}

interface EventRow {
  id: string;
  staff_id: string;
  actor_id: string | null;
  actor: string;
  action: StaffEventAction;
  details: Record<string, unknown>;
  created_at: Date;
}

const toEvent = (r: EventRow): StaffEvent => ({
  id: r.id,
  staffId: r.staff_id,
  actorId: r.actor_id,
  actor: r.actor,
  action: r.action,
  details: r.details ?? {},
  createdAt: new Date(r.created_at),
});

/**
 * Every account's events, newest first, by key: those older than `before` (time, id). For the
 * security officer, who reviews what administrators did (role grants, resets, bindings).
 */
export async function listTenantEvents(q: TenantQueryable, page: { before?: { at: Date; id: string } | undefined; limit: number }): Promise<StaffAccountEvent[]> {
  const { rows } = await q.query<EventRow & { username: string; display_name: string }>(
    `SELECT e.id, e.staff_id, e.actor_id, e.actor, e.action, e.details, e.created_at, a.username, a.display_name
       FROM staff_account_events e
       JOIN staff_accounts a ON a.tenant_id = e.tenant_id AND a.id = e.staff_id
      WHERE e.tenant_id = $1 AND ($2::timestamptz IS NULL OR (e.created_at, e.id) < ($2::timestamptz, $3::uuid))
      ORDER BY e.created_at DESC, e.id DESC
      LIMIT $4`,
    [page.before?.at ?? null, page.before?.id ?? null, page.limit],
  );
  return rows.map((r) => ({ ...toEvent(r), username: r.username, displayName: r.display_name }));
}

/** The newest events of an account first. */
export async function listEvents(q: TenantQueryable, staffId: string, limit: number): Promise<StaffEvent[]> {
  const { rows } = await q.query<EventRow>(
    `SELECT id, staff_id, actor_id, actor, action, details, created_at FROM staff_account_events
     WHERE tenant_id = $1 AND staff_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
    [staffId, limit],
  );
  return rows.map(toEvent);
}
