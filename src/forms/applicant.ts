/**
 * Who is applying: the signed-in resident, their contact details, and their children from the
 * population register. The one place the forms engine touches identity and the register.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireResident, updateContact, type Resident } from '../identity/eid/index.ts';
import type { ChildOption } from './validator.ts';
import type { RegisteredAddress } from '../integrations/population-register/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { NewParty } from '../cases/index.ts';
import type { Answers } from './conditions.ts';

export type Applicant = Resident;

export async function currentApplicant(req: FastifyRequest, reply: FastifyReply): Promise<Applicant | undefined> {
  return requireResident(req, reply);
}

/** The applicant's children as the register lists them (never typed in by the applicant). */
export async function childrenOf(app: FastifyInstance, tenantId: string, applicant: Applicant): Promise<ChildOption[]> {
  const person = await app.populationRegister.lookup(tenantId, applicant.personalNumber);
  return (person?.children ?? []).map((c) => ({ personalNumber: c.personalNumber, name: c.name, birthDate: c.birthDate }));
}

/**
 * The parties a submission makes: the signed-in applicant, and the subject the definition names
 * (a child from the register, never typed in; otherwise the answer that identifies it).
 */
export function submissionParties(def: ServiceDefinition, applicant: Applicant, answers: Answers, children: readonly ChildOption[]): NewParty[] {
  const parties: NewParty[] = [
    { role: 'applicant', kind: 'resident', residentId: applicant.id, personalNumber: applicant.personalNumber, name: `${applicant.givenName} ${applicant.familyName}` },
  ];
  const spec = def.subject;
  const answer = spec ? answers[spec.field] : undefined;
  if (!spec || typeof answer !== 'string' || !answer) return parties;
  if (spec.kind === 'child') {
    const child = children.find((c) => c.personalNumber === answer);
    if (child) parties.push({ role: 'subject', kind: 'child', personalNumber: child.personalNumber, name: child.name, details: { birthDate: child.birthDate } });
  } else if (spec.kind === 'person') {
    parties.push({ role: 'subject', kind: 'resident', personalNumber: answer, name: answer });
  } else {
    parties.push({ role: 'subject', kind: spec.kind, identifier: answer, name: answer });
  }
  return parties;
}

export { updateContact };

/** The applicant's registered address, for a form that starts from it (asked only then). */
export async function addressOf(app: FastifyInstance, tenantId: string, applicant: Applicant): Promise<RegisteredAddress | undefined> {
  const person = await app.populationRegister.lookup(tenantId, applicant.personalNumber);
  return person?.address;
}
