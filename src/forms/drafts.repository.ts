/** SQL for drafts: a resident's unfinished answers to one service, kept until sent or expired. */
import type { Statement, TenantQueryable } from '../kernel/db/index.ts';
import type { SessionCompanion, SessionWrite } from '../kernel/http/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { NEXT_CASE_NUMBER } from '../cases/index.ts';
import { JOURNAL_CLOCK } from '../archive/index.ts';
import type { Answers } from './conditions.ts';

export interface Draft {
  id: string;
  serviceId: string;
  /** The version of the service's definition the draft was started under; it resumes on it (ADR 0010). */
  serviceVersion: number;
  ownerId: string;
  answers: Answers;
  completedSteps: string[];
  updatedAt: Date;
  expiresAt: Date;
  submittedCaseId: string | null;
  /**
   * Whom the draft is made for: an organisation (audience `representative`, ADR 0015) or a person
   * the resident represents (a definition's `representation`, ADR 0033); undefined: the person's own.
   */
  actingFor?: ActingFor | undefined;
  /** What an engine's step chose before the questions (the booking engine's time, ADR 0039); undefined: nothing yet. */
  chosen?: Record<string, unknown> | undefined;
}

/** An organisation as the business register named it when the draft was started. */
export interface ActingForOrganisation {
  organisationNumber: string;
  name: string;
}

/** A person the resident represents, as the representation register named them when the draft was started. */
export interface ActingForPerson {
  personalNumber: string;
  name: string;
  /** In what capacity: god man, förvaltare or with a power of attorney. */
  capacity: 'godman' | 'forvaltare' | 'fullmakt';
}

export type ActingFor = ActingForOrganisation | ActingForPerson;

/** Is the draft made for a person the resident represents? */
export const isActingForPerson = (a: ActingFor | undefined): a is ActingForPerson => !!a && 'personalNumber' in a;

/** What tells one draft's principal from another's: one open draft per service and whom it is for. */
const actingForKey = (a: ActingFor | undefined) => (!a ? '' : isActingForPerson(a) ? a.personalNumber : a.organisationNumber);

interface DraftRow {
  id: string;
  service_id: string;
  service_version: number;
  owner_id: string;
  answers: Answers;
  completed_steps: string[];
  updated_at: Date;
  expires_at: Date;
  submitted_case_id: string | null;
  acting_for: ActingFor | null;
  chosen: Record<string, unknown> | null;
}

const COLUMNS = 'id, service_id, service_version, owner_id, answers, completed_steps, updated_at, expires_at, submitted_case_id, acting_for, chosen';

const toDraft = (r: DraftRow): Draft => ({
  id: r.id,
  serviceId: r.service_id,
  serviceVersion: r.service_version,
  ownerId: r.owner_id,
  answers: r.answers ?? {},
  completedSteps: r.completed_steps ?? [],
  updatedAt: new Date(r.updated_at),
  expiresAt: new Date(r.expires_at),
  submittedCaseId: r.submitted_case_id,
  actingFor: r.acting_for ?? undefined,
  chosen: r.chosen ?? undefined,
});

/** The service and version of a draft, for the limits of an upload to it (no owner check: nothing is shown). */
export async function draftServiceRef(q: TenantQueryable, id: string): Promise<{ serviceId: string; serviceVersion: number } | undefined> {
  const { rows } = await q.query<{ service_id: string; service_version: number }>('SELECT service_id, service_version FROM drafts WHERE tenant_id = $1 AND id = $2', [id]);
  return rows[0] ? { serviceId: rows[0].service_id, serviceVersion: rows[0].service_version } : undefined;
}

/** A draft by id, only if it belongs to ownerId: another person's draft id is simply not found. */
export async function findDraft(q: TenantQueryable, id: string, ownerId: string, now: Date): Promise<Draft | undefined> {
  const { rows } = await q.query<DraftRow>(
    `SELECT ${COLUMNS} FROM drafts WHERE tenant_id = $1 AND id = $2 AND owner_id = $3 AND (submitted_case_id IS NOT NULL OR expires_at > $4)`,
    [id, ownerId, now],
  );
  return rows[0] ? toDraft(rows[0]) : undefined;
}

/**
 * The draft, read in the session's statement (kernel/http/session.ts): findDraft's conditions but the
 * owner's, which the session decides; the caller checks it (draftFromCompanion). $3 is the session's now.
 */
export function draftWithSession(id: string): SessionCompanion {
  return { sql: `SELECT ${COLUMNS} FROM drafts WHERE tenant_id = $1 AND id = $4 AND (submitted_case_id IS NOT NULL OR expires_at > $3)`, params: [id] };
}

/** The draft read by draftWithSession when it is the owner's (as findDraft would find it), else undefined. */
export function draftFromCompanion(row: Record<string, unknown> | null, ownerId: string): Draft | undefined {
  const draft = row ? toDraft(row as unknown as DraftRow) : undefined;
  return draft?.ownerId === ownerId ? draft : undefined;
}

/** The owner's open draft of a service, if any. */
export async function findOpenDraft(q: TenantQueryable, ownerId: string, serviceId: string, now: Date, actingFor?: ActingFor): Promise<Draft | undefined> {
  // One open draft per service and per organisation or person the resident applies for.
  const { rows } = await q.query<DraftRow>(
    `SELECT ${COLUMNS} FROM drafts
      WHERE tenant_id = $1 AND owner_id = $2 AND service_id = $3 AND submitted_case_id IS NULL AND expires_at > $4
        AND coalesce(acting_for->>'organisationNumber', acting_for->>'personalNumber', '') = $5
      ORDER BY updated_at DESC LIMIT 1`,
    [ownerId, serviceId, now, actingForKey(actingFor)],
  );
  return rows[0] ? toDraft(rows[0]) : undefined;
}

/**
 * When a draft saved now is deleted: at least `retentionDays` from now, rounded up to the next
 * midnight (UTC). Every save within one day then gives the same expiry, so the save changes no
 * indexed column (expires_at is indexed for the purge) and PostgreSQL can update the row in place
 * (a HOT update: no new index entries), which is most of what an answer costs the database (ADR 0019).
 */
export function draftExpiry(now: Date, retentionDays: number): Date {
  return new Date(Math.ceil((now.getTime() + retentionDays * 86_400_000) / 86_400_000) * 86_400_000);
}

/** `version`: of the service's definition the draft is started under (the current one). */
export async function createDraft(q: TenantQueryable, ownerId: string, serviceId: string, answers: Answers, now: Date, retentionDays: number, version = 1, actingFor?: ActingFor): Promise<Draft> {
  const id = uuidv7(now.getTime());
  const expiresAt = draftExpiry(now, retentionDays);
  await q.query(
    `INSERT INTO drafts (tenant_id, id, service_id, service_version, owner_id, answers, created_at, updated_at, expires_at, acting_for)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)`,
    [id, serviceId, version, ownerId, JSON.stringify(answers), now, expiresAt, actingFor ? JSON.stringify(actingFor) : null],
  );
  return { id, serviceId, serviceVersion: version, ownerId, answers, completedSteps: [], updatedAt: now, expiresAt, submittedCaseId: null, actingFor };
}

/**
 * Saves one step's answers and whether the step is complete; pushes the expiry forward. The step's
 * answers are merged into the stored ones by the database, so saves of different steps at the same
 * time (two tabs, a double click) never overwrite each other's answers.
 */
export async function saveAnswers(
  q: TenantQueryable,
  draftId: string,
  stepAnswers: Answers,
  stepId: string,
  complete: boolean,
  now: Date,
  retentionDays: number,
  /** Answers to remove: questions whose condition no longer holds (ADR 0026). */
  drop: readonly string[] = [],
): Promise<void> {
  await q.query(
    `UPDATE drafts SET answers = (answers || $3::jsonb) - $8::text[],
            completed_steps = CASE WHEN $5::boolean THEN array_append(array_remove(completed_steps, $4::text), $4::text)
                                   ELSE array_remove(completed_steps, $4::text) END,
            updated_at = $6, expires_at = $7
      WHERE tenant_id = $1 AND id = $2 AND submitted_case_id IS NULL AND expires_at <> '-infinity'`,
    [draftId, JSON.stringify(stepAnswers), stepId, complete, now, draftExpiry(now, retentionDays), [...drop]],
  );
}

/**
 * A complete step's answers saved with the session checked in the same statement (kernel SessionWrite:
 * one round trip for an answer): only the signed-in resident's own open draft, of the service version
 * the answers were checked against. Returns the draft's answers and completed steps after the save;
 * no row when any condition fails (the route then takes its ordinary path).
 */
export function saveCompleteStepWithSession(draftId: string, stepAnswers: Answers, stepId: string, now: Date, retentionDays: number, serviceId: string, serviceVersion: number, drop: readonly string[] = []): SessionWrite {
  return {
    sql: `UPDATE drafts d SET answers = (d.answers || $7::jsonb) - $12::text[],
                 completed_steps = array_append(array_remove(d.completed_steps, $8::text), $8::text),
                 updated_at = $3, expires_at = $9
            FROM session
           WHERE d.tenant_id = $1 AND d.id = $6 AND session.kind = 'resident' AND d.owner_id = session.subject_id
             AND d.service_id = $10 AND d.service_version = $11
             AND d.submitted_case_id IS NULL AND d.expires_at > $3 AND d.expires_at <> '-infinity'
       RETURNING d.answers, d.completed_steps`,
    params: [draftId, JSON.stringify(stepAnswers), stepId, draftExpiry(now, retentionDays), serviceId, serviceVersion, [...drop]],
  };
}

/**
 * Reads the draft to submit and, while it is unsubmitted, takes the next case number in the same
 * query (a sequence: no lock, no wait), with the database's time for the case's first journal
 * entry (journal times are the database's, whatever this node's clock says). No row lock is taken:
 * the write that follows is guarded by submittedStatement, which re-checks in the same statement
 * that the draft is still unsubmitted and unchanged. An unsubmitted draft past its expiry is not found, as findDraft does not find it
 * (its pages answer 404 until the purge job deletes it): it cannot be sent either.
 */
export async function readDraftForSubmit(
  q: TenantQueryable,
  id: string,
  ownerId: string,
  now: Date,
): Promise<{ draft: Draft; caseNumber: number | null; recordedAt: Date } | undefined> {
  const { rows } = await q.query<DraftRow & { case_number: number | null; recorded_at: Date }>(
    `SELECT ${COLUMNS}, CASE WHEN submitted_case_id IS NULL THEN ${NEXT_CASE_NUMBER} END AS case_number, ${JOURNAL_CLOCK} AS recorded_at
       FROM drafts WHERE tenant_id = $1 AND id = $2 AND owner_id = $3 AND (submitted_case_id IS NOT NULL OR expires_at > $4)`,
    [id, ownerId, now],
  );
  return rows[0] ? { draft: toDraft(rows[0]), caseNumber: rows[0].case_number, recordedAt: new Date(rows[0].recorded_at) } : undefined;
}

/**
 * readDraftForSubmit's read as the session's companion (kernel SessionCompanion): the submission's
 * first read then costs no round trip of its own. A case number is taken only for an unsubmitted
 * draft, as there; the caller checks the owner (submitReadFromCompanion), so another person's draft
 * id spends at most a number, never shows a draft. $3 is the session's now.
 */
export function draftForSubmitWithSession(id: string): SessionCompanion {
  return {
    sql: `SELECT ${COLUMNS}, CASE WHEN submitted_case_id IS NULL THEN ${NEXT_CASE_NUMBER} END AS case_number, ${JOURNAL_CLOCK} AS recorded_at
            FROM drafts WHERE tenant_id = $1 AND id = $4 AND (submitted_case_id IS NOT NULL OR expires_at > $3)`,
    params: [id],
  };
}

/** The read draftForSubmitWithSession brought along, when the draft is the owner's, else undefined. */
export function submitReadFromCompanion(row: Record<string, unknown> | null, ownerId: string): { draft: Draft; caseNumber: number | null; recordedAt: Date } | undefined {
  const draft = draftFromCompanion(row, ownerId);
  if (!draft || !row) return undefined;
  return { draft, caseNumber: row.case_number === null ? null : Number(row.case_number), recordedAt: new Date(row.recorded_at as string) };
}

/**
 * Marks the draft submitted, on the condition that it still is unsubmitted and has the answers it
 * was read with (a submit in another tab, or a step saved meanwhile, makes it match nothing): the
 * guard of createCaseIf, so the case is written only when this changes the row.
 */
export function submittedStatement(draft: Draft, caseId: string, now: Date): Statement {
  return {
    sql: `UPDATE drafts SET submitted_case_id = $3, updated_at = $4
           WHERE tenant_id = $1 AND id = $2 AND owner_id = $5 AND submitted_case_id IS NULL AND answers = $6::jsonb
             AND chosen IS NOT DISTINCT FROM $7::jsonb`,
    params: [draft.id, caseId, now, draft.ownerId, JSON.stringify(draft.answers), draft.chosen === undefined ? null : JSON.stringify(draft.chosen)],
  };
}

/**
 * For a paid draft (payments): locks it and says which case it became, if any; undefined when it
 * no longer exists (purged after its payment began).
 */
export async function lockDraftForPayment(q: TenantQueryable, id: string): Promise<{ submittedCaseId: string | null } | undefined> {
  const { rows } = await q.query<{ submitted_case_id: string | null }>('SELECT submitted_case_id FROM drafts WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [id]);
  return rows[0] ? { submittedCaseId: rows[0].submitted_case_id } : undefined;
}

/** Marks a paid draft submitted (its row is locked by lockDraftForPayment). */
export function paidDraftSubmittedStatement(id: string, caseId: string, now: Date): Statement {
  return { sql: 'UPDATE drafts SET submitted_case_id = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2 AND submitted_case_id IS NULL', params: [id, caseId, now] };
}

/** Records what an engine's step chose for the owner's open draft (ADR 0039); false when the draft is not theirs or not open. */
export async function saveChosen(q: TenantQueryable, draftId: string, ownerId: string, chosen: Record<string, unknown>, now: Date, retentionDays: number): Promise<boolean> {
  const r = await q.query(
    `UPDATE drafts SET chosen = $4::jsonb, updated_at = $5, expires_at = $6
      WHERE tenant_id = $1 AND id = $2 AND owner_id = $3 AND submitted_case_id IS NULL AND expires_at > $5`,
    [draftId, ownerId, JSON.stringify(chosen), now, draftExpiry(now, retentionDays)],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function deleteDraft(q: TenantQueryable, id: string, ownerId: string): Promise<void> {
  await q.query('DELETE FROM drafts WHERE tenant_id = $1 AND id = $2 AND owner_id = $3 AND submitted_case_id IS NULL', [id, ownerId]);
}

/** A person's unsent drafts, most recent first (shown under My cases). */
export async function openDraftsOf(q: TenantQueryable, ownerId: string, now: Date): Promise<Draft[]> {
  const { rows } = await q.query<DraftRow>(
    `SELECT ${COLUMNS} FROM drafts WHERE tenant_id = $1 AND owner_id = $2 AND submitted_case_id IS NULL AND expires_at > $3 ORDER BY updated_at DESC LIMIT 50`,
    [ownerId, now],
  );
  return rows.map(toDraft);
}
