/**
 * What another engine writes with a new case of the forms engine (ADR 0043: an application's places
 * in its queues): prepared before the case's statement — it may ask a register — and written in it,
 * so the case and what comes with it are made together or not at all, on every way a case is made
 * (a submission, a payment's completion).
 */
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { Statement, TenantQueryable } from '../kernel/db/index.ts';
import type { CreatedCase } from '../cases/index.ts';
import type { Answers } from './conditions.ts';

export interface CompanionInput {
  definition: ServiceDefinition;
  /** The answers the case is made from (with its computed values). */
  answers: Answers;
  /** Whose registered address is home: the applicant, or the person they act for. */
  homePersonalNumber: string | undefined;
  now: Date;
}

export interface PreparedCompanion {
  /** What the submission's journal entry records of it, under the engine's own key. */
  record: Record<string, unknown>;
  /** Its rows: `INSERT … VALUES` statements (several rows typed, kernel/db writeTogetherIf). */
  writes(created: CreatedCase): Statement[];
}

export interface CaseCompanion {
  /** Undefined when the engine has nothing to write with a case of this definition. */
  prepare(tq: TenantQueryable, input: CompanionInput): Promise<PreparedCompanion | undefined>;
}

/** Every companion's preparation for one case, and the parts createCase(If) takes. */
export async function prepareCompanions(companions: readonly CaseCompanion[], tq: TenantQueryable, input: CompanionInput): Promise<{ record: Record<string, unknown>; writes(created: CreatedCase): Statement[] }> {
  const prepared = (await Promise.all(companions.map((c) => c.prepare(tq, input)))).filter((p): p is PreparedCompanion => p !== undefined);
  return {
    record: Object.assign({}, ...prepared.map((p) => p.record)) as Record<string, unknown>,
    writes: (created) => prepared.flatMap((p) => p.writes(created)),
  };
}
