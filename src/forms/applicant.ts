/**
 * Who is applying: the signed-in resident, their contact details, and their children from the
 * population register. The one place the forms engine touches identity and the register.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireResident, updateContact, type Resident } from '../identity/eid/index.ts';
import type { ChildOption } from './validator.ts';
import type { RegisteredAddress } from '../integrations/population-register/index.ts';

export type Applicant = Resident;

export async function currentApplicant(req: FastifyRequest, reply: FastifyReply): Promise<Applicant | undefined> {
  return requireResident(req, reply);
}

/** The applicant's children as the register lists them (never typed in by the applicant). */
export async function childrenOf(app: FastifyInstance, tenantId: string, applicant: Applicant): Promise<ChildOption[]> {
  const person = await app.populationRegister.lookup(tenantId, applicant.personalNumber);
  return (person?.children ?? []).map((c) => ({ personalNumber: c.personalNumber, name: c.name, birthDate: c.birthDate }));
}

export { updateContact };

/** The applicant's registered address, for a form that starts from it (asked only then). */
export async function addressOf(app: FastifyInstance, tenantId: string, applicant: Applicant): Promise<RegisteredAddress | undefined> {
  const person = await app.populationRegister.lookup(tenantId, applicant.personalNumber);
  return person?.address;
}
