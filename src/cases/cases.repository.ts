/** SQL for cases. Every change goes through changeCase so that it and its journal entry commit together. */
import type { DecisionOutcome } from '../catalogue/types.ts';
import type { Statement, TenantQueryable } from '../kernel/db/index.ts';
import type { Answers } from '../forms/conditions.ts';
import { PARTIES_COLUMN, partyIn, type CaseParty } from './parties.ts';

export interface Decision {
  type: string;
  outcome: DecisionOutcome;
  values: Record<string, string>;
  decidedBy: string;
  decidedAt: string;
  /** Two-step decisions (ADR 0014): who proposed what was approved. */
  proposedBy?: string;
}

export interface Case {
  id: string;
  reference: string;
  serviceId: string;
  /** The version of its service's definition the case was submitted under, and is handled by (ADR 0010). */
  serviceVersion: number;
  department: string;
  /** The team (a role of the service) its routing rule sent it to, or null (loc, ADR 0020). */
  team: string | null;
  /** Who applies, co-signs, represents, and who or what the case is about (parties.ts). */
  parties: CaseParty[];
  answers: Answers;
  locale: 'sv' | 'en';
  status: string;
  statusChangedAt: Date;
  dueAt: Date | null;
  assigneeId: string | null;
  decision: Decision | null;
  createdAt: Date;
  updatedAt: Date;
  journalSeq: number;
  journalHead: string;
}

export interface CaseRow {
  id: string;
  reference: string;
  service_id: string;
  service_version: number;
  department: string;
  team: string | null;
  parties: CaseParty[] | string;
  answers: Answers;
  locale: 'sv' | 'en';
  status: string;
  status_changed_at: Date;
  due_at: Date | null;
  assignee_id: string | null;
  decision: Decision | null;
  created_at: Date;
  updated_at: Date;
  journal_seq: number;
  journal_head: string;
}

export const CASE_COLUMNS = `id, reference, service_id, service_version, department, team, answers, locale, status, status_changed_at, due_at, assignee_id, decision,
  created_at, updated_at, journal_seq, journal_head, ${PARTIES_COLUMN}`;

export const toCase = (r: CaseRow): Case => ({
  id: r.id,
  reference: r.reference,
  serviceId: r.service_id,
  serviceVersion: r.service_version,
  department: r.department,
  team: r.team ?? null,
  // json (not jsonb) arrives parsed from pg and PGlite alike; a string is parsed for safety.
  parties: typeof r.parties === 'string' ? (JSON.parse(r.parties) as CaseParty[]) : r.parties,
  answers: r.answers,
  locale: r.locale,
  status: r.status,
  statusChangedAt: new Date(r.status_changed_at),
  dueAt: r.due_at ? new Date(r.due_at) : null,
  assigneeId: r.assignee_id,
  decision: r.decision,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  journalSeq: r.journal_seq,
  journalHead: r.journal_head,
});

export async function getCase(q: TenantQueryable, id: string): Promise<Case | undefined> {
  const { rows } = await q.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND id = $2`, [id]);
  return rows[0] ? toCase(rows[0]) : undefined;
}

export async function getCaseByReference(q: TenantQueryable, reference: string): Promise<Case | undefined> {
  const { rows } = await q.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases WHERE tenant_id = $1 AND reference = $2`, [reference]);
  return rows[0] ? toCase(rows[0]) : undefined;
}

/**
 * Locks the case row for the rest of the transaction (changes to one case queue; other cases do not
 * wait) and reads the time of the change: the database's clock, but never earlier than the case's
 * updated_at, which is its journal head's time. FOR UPDATE returns the row as the change before
 * this one committed it, so entries of one chain are ordered in time whatever the nodes' clocks
 * say, and even if the database's clock steps back. Milliseconds, as an entry's hash holds them.
 */
export async function lockCase(q: TenantQueryable, id: string): Promise<{ case: Case; at: Date } | undefined> {
  const { rows } = await q.query<CaseRow & { change_at: Date }>(
    `SELECT ${CASE_COLUMNS}, date_trunc('milliseconds', GREATEST(clock_timestamp(), updated_at)) AS change_at
       FROM cases WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [id],
  );
  return rows[0] ? { case: toCase(rows[0]), at: new Date(rows[0].change_at) } : undefined;
}

/**
 * Only the case row's lock, for work that decides under it whether to change the case at all (a
 * reminder once, an offer to the next in line) and so must not touch it when it does not.
 */
export async function lockCaseRow(tx: TenantQueryable, caseId: string): Promise<boolean> {
  const { rows } = await tx.query('SELECT 1 FROM cases WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [caseId]);
  return rows.length > 0;
}

export interface NewCase {
  id: string;
  reference: string;
  serviceId: string;
  serviceVersion: number;
  department: string;
  /** The team its routing rule named, if any. */
  team?: string | null;
  answers: Answers;
  locale: 'sv' | 'en';
  status: string;
  dueAt: Date | null;
  draftId: string | null;
  createdAt: Date;
  /** Its first journal entry's time (the database's): updated_at is always the chain head's time (lockCase). */
  updatedAt: Date;
  journalSeq: number;
  journalHead: string;
}

export function insertCaseStatement(c: NewCase): Statement {
  return {
    sql: `INSERT INTO cases (tenant_id, id, reference, service_id, department, answers, locale, status,
                        status_changed_at, due_at, draft_id, created_at, updated_at, journal_seq, journal_head, service_version, team)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $9, $14, $12, $13, $15, $16)`,
    params: [c.id, c.reference, c.serviceId, c.department, JSON.stringify(c.answers), c.locale, c.status, c.createdAt, c.dueAt, c.draftId, c.journalSeq, c.journalHead, c.updatedAt, c.serviceVersion, c.team ?? null],
  };
}

export async function insertCase(q: TenantQueryable, c: NewCase): Promise<void> {
  const { sql, params } = insertCaseStatement(c);
  await q.query(sql, params);
}

export interface CasePatch {
  status?: string;
  dueAt?: Date | null;
  assigneeId?: string | null;
  decision?: Decision | null;
}

/** Writes a patch and the new chain head in one statement; `now` is the head's time (lockCase's). */
export async function updateCase(q: TenantQueryable, id: string, patch: CasePatch, head: { seq: number; hash: string }, now: Date): Promise<void> {
  const sets = ['updated_at = $2', 'journal_seq = $3', 'journal_head = $4'];
  const params: unknown[] = [now, head.seq, head.hash];
  const add = (column: string, value: unknown) => {
    params.push(value);
    sets.push(`${column} = $${params.length + 1}`);
  };
  if (patch.status !== undefined) {
    add('status', patch.status);
    add('status_changed_at', now);
  }
  if (patch.dueAt !== undefined) add('due_at', patch.dueAt);
  if (patch.assigneeId !== undefined) add('assignee_id', patch.assigneeId);
  if (patch.decision !== undefined) add('decision', patch.decision ? JSON.stringify(patch.decision) : null);
  params.push(id);
  await q.query(`UPDATE cases SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $${params.length + 1}`, params);
}

/**
 * The cases a person is a party to in any role — by their account, or by the personal number a
 * register named them with before they ever signed in — newest first. Which of them they may read
 * is the policy's to say (a subject reads only where its definition lets it).
 */
export async function casesOfPerson(q: TenantQueryable, person: { id: string; personalNumber: string }, limit = 100): Promise<Case[]> {
  const { rows } = await q.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM cases
      WHERE tenant_id = $1 AND id IN (SELECT case_id FROM case_parties WHERE tenant_id = $1 AND (resident_id = $2 OR personal_number = $3))
      ORDER BY created_at DESC, id DESC LIMIT $4`,
    [person.id, person.personalNumber, limit],
  );
  return rows.map(toCase);
}

/** The cases where a person verified by e-mail is a party by that address (ADR 0015), newest first. */
export async function casesOfEmail(q: TenantQueryable, email: string, limit = 100): Promise<Case[]> {
  const { rows } = await q.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM cases
      WHERE tenant_id = $1 AND id IN (SELECT case_id FROM case_parties WHERE tenant_id = $1 AND lower(email) = lower($2) AND email_verified_at IS NOT NULL)
      ORDER BY created_at DESC, id DESC LIMIT $3`,
    [email, limit],
  );
  return rows.map(toCase);
}

/** The applicant's account, if the applicant is a resident who has signed in. */
export const applicantIdOf = (c: Case): string | undefined => partyIn(c.parties, 'applicant')?.residentId ?? undefined;

/** The subject party (a child, a property…), if the case has one. */
export const subjectOf = (c: Case): CaseParty | undefined => partyIn(c.parties, 'subject');
