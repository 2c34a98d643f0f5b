/**
 * The recipient's registered address for a letter, from the population register at the time the
 * letter is produced (as a letter sent by post would be addressed). A letter is still produced
 * when the register cannot answer: it then carries the name alone, and the log says why.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../kernel/errors.ts';
import type { RegisteredAddress } from '../integrations/population-register/index.ts';
import { partyIn, representativeOfApplicant, type CaseParty } from './parties.ts';

/** A registered address as a letter's recipient lines: street, then postal code and town. */
export function addressLines(a: RegisteredAddress): string[] {
  return [a.street, `${a.postalCode} ${a.city}`];
}

/**
 * Who a case's letters go to when an organisation applied (ADR 0035): the organisation, by its name
 * and its address in the business register — not the person who signed for it. Undefined when the
 * applicant is no organisation.
 */
export async function organisationRecipient(
  app: FastifyInstance,
  req: FastifyRequest,
  parties: readonly { role: string; kind: string; organisationNumber: string | null; name: string | null }[],
): Promise<{ name: string; address?: string[] } | undefined> {
  const org = parties.find((p) => p.role === 'applicant' && p.kind === 'organisation');
  if (!org) return undefined;
  const name = org.name ?? '';
  try {
    const found = org.organisationNumber ? await app.registers.business.organisation(req.tenant.id, org.organisationNumber.replace('-', '')) : undefined;
    return found ? { name, address: [found.address.street, `${found.address.postalCode} ${found.address.city}`] } : { name };
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'BUSINESS_REGISTER_UNAVAILABLE')) throw err;
    req.log.warn({ reason: err.message }, 'business register unavailable: letter without address');
    return { name };
  }
}

export async function registeredAddressLines(app: FastifyInstance, req: FastifyRequest, personalNumber: string): Promise<string[] | undefined> {
  try {
    const a = (await app.populationRegister.lookup(req.tenant.id, personalNumber))?.address;
    return a ? addressLines(a) : undefined;
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'POPULATION_REGISTER_UNAVAILABLE')) throw err;
    req.log.warn({ reason: err.message }, 'population register unavailable: letter without address');
    return undefined;
  }
}

/**
 * Where a case's letters go: the applicant's registered address; or, for a person who applied
 * through a god man, förvaltare or attorney (ADR 0033), the applicant "c/o" that representative,
 * at the representative's address — the one who reads the person's post in the matter.
 */
export async function letterRecipient(app: FastifyInstance, req: FastifyRequest, parties: readonly CaseParty[], applicantPersonalNumber: string | undefined): Promise<{ address?: string[]; careOf?: { name: string; capacity: string } }> {
  const rep = representativeOfApplicant(parties);
  const addressOf = rep?.personalNumber ?? applicantPersonalNumber ?? partyIn(parties, 'applicant')?.personalNumber ?? undefined;
  const address = addressOf ? await registeredAddressLines(app, req, addressOf) : undefined;
  return { ...(address ? { address } : {}), ...(rep ? { careOf: { name: rep.name ?? '', capacity: rep.capacity } } : {}) };
}
