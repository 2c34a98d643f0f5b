/**
 * An open case of the same service for the same subject (the child, the property, the vehicle —
 * whatever the definition's `subject` names): warned about, or refused when the definition says
 * `subject.duplicates: refuse` (ADR 0022). The warning reads the cases; the refusal is decided by
 * the database: the submission's statement writes a claim keyed by service and subject, and of
 * concurrent submissions for the same subject exactly one gets it.
 */
import { createHash } from 'node:crypto';
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { Statement, TenantQueryable } from '../kernel/db/index.ts';
import { translate, type Locale } from '../kernel/i18n/index.ts';
import { matterWords } from '../cases/index.ts';
import type { Answers } from './conditions.ts';
import { subjectIdentifier } from './answers.ts';
import type { ChildOption, FieldProblem } from './kinds/index.ts';
import './journey-messages.ts';

export type DuplicateMode = 'warn' | 'refuse' | 'allow';

/** What the definition says of an open case for the same subject; nothing without a subject. */
export function duplicateMode(def: ServiceDefinition): DuplicateMode {
  return def.subject ? (def.subject.duplicates ?? 'warn') : 'allow';
}

/** What identifies the subject in the answers (a personal identity number, a designation), if answered. */
export function subjectOf(def: ServiceDefinition, answers: Answers): string | undefined {
  return subjectIdentifier(def, answers);
}

/** How the pages name the subject: a child by its name from the register, anything else by its answer. */
export function subjectName(def: ServiceDefinition, subject: string, children: readonly ChildOption[]): string {
  if (def.subject?.kind === 'child' || def.subject?.kind === 'person') return children.find((c) => c.personalNumber === subject)?.name ?? subject;
  return subject;
}

export interface OpenCase {
  id: string;
  reference: string;
  /** The applicant is a party of it (may open it); otherwise only its existence is said. */
  own: boolean;
}

const finalStates = (def: ServiceDefinition) => def.workflow.states.filter((s) => s.final).map((s) => s.id);

/**
 * The newest case of the service about this subject that has not reached a final state. A
 * submission passes its draft as `exceptDraftId`: the case that very draft became (a double click,
 * a second tab sending it at the same moment) is not a second case, and the submission goes on to
 * find the draft sent and show its confirmation (ADR 0036).
 */
export async function openCaseFor(q: TenantQueryable, def: ServiceDefinition, subject: string, applicantId: string, exceptDraftId?: string): Promise<OpenCase | undefined> {
  const { rows } = await q.query<{ id: string; reference: string; own: boolean }>(
    `SELECT c.id, c.reference,
            EXISTS (SELECT 1 FROM case_parties o WHERE o.tenant_id = c.tenant_id AND o.case_id = c.id AND o.resident_id::text = $5) AS own
       FROM cases c JOIN case_parties p ON p.tenant_id = c.tenant_id AND p.case_id = c.id
      WHERE c.tenant_id = $1 AND c.service_id = $2 AND p.role = 'subject' AND coalesce(p.personal_number, p.identifier) = $3
        AND NOT (c.status = ANY($4::text[])) AND c.draft_id IS DISTINCT FROM $6::uuid
      ORDER BY c.created_at DESC LIMIT 1`,
    [def.id, subject, finalStates(def), applicantId, exceptDraftId ?? null],
  );
  return rows[0];
}

const keyOf = (subject: string) => createHash('sha256').update(subject).digest('hex');

/** The claim the submission writes with its case (refuse mode): a second one for the subject fails. */
export function claimStatement(def: ServiceDefinition, subject: string, caseId: string, now: Date): Statement {
  return {
    sql: 'INSERT INTO subject_claims (tenant_id, service_id, subject_key, case_id, created_at) VALUES ($1, $2, $3, $4, $5)',
    params: [def.id, keyOf(subject), caseId, now],
  };
}

/** Whether an error is the claim's primary key refusing a second open case for the subject. */
export function isClaimTaken(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  return typeof e === 'object' && e !== null && e.code === '23505' && (e.constraint === 'subject_claims_pkey' || String(e.message).includes('subject_claims'));
}

/**
 * Releases the subject's claim when its case has reached a final state (or is gone); true when it
 * did, so the submission may try again. Two submissions releasing the same claim both go on to
 * insert theirs, and the primary key still lets only one through.
 */
export async function releaseClosedClaim(q: TenantQueryable, def: ServiceDefinition, subject: string): Promise<boolean> {
  const { rowCount } = await q.query(
    `DELETE FROM subject_claims s WHERE s.tenant_id = $1 AND s.service_id = $2 AND s.subject_key = $3
        AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.tenant_id = s.tenant_id AND c.id = s.case_id AND NOT (c.status = ANY($4::text[])))`,
    [def.id, keyOf(subject), finalStates(def)],
  );
  return (rowCount ?? 0) > 0;
}

/** The subject question's problem when the definition refuses a second open case. */
export function duplicateProblem(def: ServiceDefinition, open: OpenCase, name: string): FieldProblem {
  const message = (l: Locale) => translate(l, open.own ? 'forms.duplicate.error' : 'forms.duplicate.errorOther', { matter: matterWords(def, l).matter, subject: name, reference: open.reference });
  return { field: def.subject!.field, key: 'forms.duplicate.error', message: { sv: message('sv'), en: message('en') } };
}
