/** SQL for residents: people who have signed in with e-ID, one row per tenant and identity number. */
import type { TenantQueryable } from '../../kernel/db/index.ts';
import type { SessionSubject } from '../../kernel/http/index.ts';
import { uuidv7 } from '../../kernel/ids.ts';

export interface Resident {
  id: string;
  personalNumber: string;
  givenName: string;
  familyName: string;
  /** Given and family name, as the header shows it. */
  name: string;
  /** Remembered contact details: asked for once, prefilled afterwards. */
  email: string | null;
  phone: string | null;
  locale: string;
  createdAt: Date;
  lastSignInAt: Date | null;
}

interface ResidentRow {
  id: string;
  personal_number: string;
  given_name: string;
  family_name: string;
  email: string | null;
  phone: string | null;
  locale: string;
  created_at: Date;
  last_sign_in_at: Date | null;
}

const COLUMN_LIST = ['id', 'personal_number', 'given_name', 'family_name', 'email', 'phone', 'locale', 'created_at', 'last_sign_in_at'] as const;
const COLUMNS = COLUMN_LIST.join(', ');

/** A resident session brings the resident's row along in the session read (kernel/http/session.ts). */
export const RESIDENT_SESSION_SUBJECT: SessionSubject = { kind: 'resident', table: 'residents', columns: COLUMN_LIST };

const toResident = (r: ResidentRow): Resident => ({
  id: r.id,
  personalNumber: r.personal_number,
  givenName: r.given_name,
  familyName: r.family_name,
  name: `${r.given_name} ${r.family_name}`.trim(),
  email: r.email,
  phone: r.phone,
  locale: r.locale,
  createdAt: new Date(r.created_at),
  lastSignInAt: r.last_sign_in_at ? new Date(r.last_sign_in_at) : null,
});

/** The resident from a session's subject row (JSON: timestamps arrive as text). */
export function residentFromSubject(row: Record<string, unknown>): Resident {
  return toResident(row as unknown as ResidentRow);
}

/**
 * Records a sign-in: creates the resident on first sign-in, otherwise refreshes the name from the
 * e-ID (names change) and the sign-in time. One statement, so two simultaneous first sign-ins of
 * the same person still give one row. Returns the resident's id.
 */
export async function recordSignIn(
  q: TenantQueryable,
  who: { personalNumber: string; givenName: string; familyName: string; locale: string },
  now: Date,
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO residents (tenant_id, id, personal_number, given_name, family_name, locale, created_at, last_sign_in_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (tenant_id, personal_number)
     DO UPDATE SET given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, last_sign_in_at = EXCLUDED.last_sign_in_at
     RETURNING id`,
    [uuidv7(now.getTime()), who.personalNumber, who.givenName, who.familyName, who.locale, now],
  );
  return rows[0]!.id;
}

export async function findResident(q: TenantQueryable, id: string): Promise<Resident | undefined> {
  const { rows } = await q.query<ResidentRow>(`SELECT ${COLUMNS} FROM residents WHERE tenant_id = $1 AND id = $2`, [id]);
  return rows[0] ? toResident(rows[0]) : undefined;
}

export async function saveContact(q: TenantQueryable, id: string, contact: { email: string | null; phone: string | null }): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE residents SET email = $3, phone = $4 WHERE tenant_id = $1 AND id = $2', [id, contact.email, contact.phone]);
  return rowCount > 0;
}
