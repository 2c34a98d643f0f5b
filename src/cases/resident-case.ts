/**
 * The case a signed-in resident acts on from one of its pages (an offer's answer, a co-signature,
 * a booking's change): the resident, their principal, the case and the definition version it was
 * made under (ADR 0010). Anything the resident may not read is "not found", never "forbidden": a
 * case's existence is not ours to reveal. Without a session the reply is sent to sign in (undefined).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { requireResident, type Resident } from '../identity/eid/index.ts';
import { AppError } from '../kernel/errors.ts';
import { isUuid } from '../kernel/ids.ts';
import { canReadCase, residentPrincipal, type ResidentPrincipal } from '../policy/index.ts';
import { getCase, type Case } from './cases.repository.ts';

export interface ResidentCase {
  resident: Resident;
  who: ResidentPrincipal;
  c: Case;
  def: ServiceDefinition;
}

export async function residentCase(app: Pick<FastifyInstance, 'serviceVersions'>, req: FastifyRequest, reply: FastifyReply): Promise<ResidentCase | undefined> {
  const resident = await requireResident(req, reply);
  if (!resident) return undefined;
  const { caseId } = req.params as { caseId: string };
  if (!isUuid(caseId)) throw new AppError('CASE_NOT_FOUND');
  const c = await getCase(req.tdb, caseId);
  const def = c ? await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion) : undefined;
  const who = residentPrincipal(resident);
  if (!c || !def || !canReadCase(who, c, def)) throw new AppError('CASE_NOT_FOUND');
  return { resident, who, c, def };
}
