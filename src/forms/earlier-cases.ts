/**
 * The applicant's earlier cases for a case-reference field (ADR 0020): read from the case store
 * through the earlierCases register, named by their service's title and state label, and — at
 * submission — the links the answers make, so the new case and the one it refers to are linked
 * both ways in the submission's statement.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { earlierCases } from '../integrations/registers/index.ts';
import type { CaseLinkInput } from '../cases/index.ts';
import type { Answers } from './conditions.ts';
import type { CompiledService } from './validator.ts';
import { offeredCases, type EarlierCaseOption } from './kinds/index.ts';
import type { Applicant } from './applicant.ts';

export async function earlierCaseOptions(app: FastifyInstance, req: FastifyRequest, applicant: Applicant): Promise<EarlierCaseOption[]> {
  // Only a resident signed in with e-ID has earlier cases of their own to refer to.
  if (!applicant.resident) return [];
  const cases = await earlierCases(req.tdb, applicant.resident);
  return cases.map((c) => {
    const def = app.catalogue.service(req.tenant.id, c.serviceId);
    const state = def?.workflow.states.find((s) => s.id === c.status);
    return {
      id: c.id,
      reference: c.reference,
      serviceId: c.serviceId,
      serviceTitle: def?.title ?? { sv: c.serviceId, en: c.serviceId },
      status: c.status,
      statusLabel: state?.label ?? { sv: c.status, en: c.status },
      createdAt: c.createdAt.toISOString(),
    };
  });
}

/** The earlier cases the submitted answers refer to (validated already: each is one the field offers). */
export function caseLinksOf(c: CompiledService, answers: Answers, offered: readonly EarlierCaseOption[] | undefined): CaseLinkInput[] {
  const links: CaseLinkInput[] = [];
  for (const field of c.fields.values()) {
    if (field.kind !== 'caseReference') continue;
    const chosen = offeredCases(field, offered).find((e) => e.reference === answers[field.id]);
    if (chosen) links.push({ caseId: chosen.id, fieldId: field.id });
  }
  return links;
}
