/**
 * Who is applying, by the service's audience (ADR 0015): the resident signed in with e-ID; or,
 * where the audience lets people in without it (`anyone`, `email`), whoever holds this browser's
 * server-side session — their drafts are owned by an id kept in that session, and an address they
 * verified by e-mail code makes them an `email` party; or a resident applying for an organisation
 * (the draft's `actingFor`). Their children from the population register. The one place the forms
 * engine touches identity and the register.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { signedInResident, updateContact, type Resident } from '../identity/eid/index.ts';
import { verifiedEmailOf, type VerifiedEmail } from '../identity/email/index.tsx';
import type { ChildOption } from './validator.ts';
import type { RegisteredAddress } from '../integrations/population-register/index.ts';
import type { Audience, ServiceDefinition } from '../catalogue/types.ts';
import type { NewParty } from '../cases/index.ts';
import type { Answers } from './conditions.ts';
import { subjectIdentifier } from './answers.ts';
import { isActingForPerson, type ActingFor } from './drafts.repository.ts';

export interface Applicant {
  /** Who owns the drafts: the resident's id, or the id this browser's session was given. */
  id: string;
  /** Signed in with e-ID. */
  resident?: Resident | undefined;
  /** An address this session verified by e-mail code. */
  verifiedEmail?: VerifiedEmail | undefined;
  email: string | null;
  phone: string | null;
}

/** The session's key for the owner id of drafts made without e-ID. */
const ANONYMOUS_OWNER = 'anonymousOwner';

/** Does the audience let someone in without e-ID? */
export function opensWithoutEid(audience: readonly Audience[]): boolean {
  return audience.includes('anyone') || audience.includes('email');
}

/**
 * The applicant, or undefined after redirecting to sign in. `audience`: the service's, when
 * starting; without it (a draft's pages) the session's own drafts are reachable whoever started them.
 */
export async function currentApplicant(req: FastifyRequest, reply: FastifyReply, audience?: readonly Audience[]): Promise<Applicant | undefined> {
  const resident = await signedInResident(req);
  if (resident) return { id: resident.id, resident, email: resident.email, phone: resident.phone, verifiedEmail: verifiedEmailOf(req) };
  const owner = req.session?.data[ANONYMOUS_OWNER];
  if (audience ? opensWithoutEid(audience) : typeof owner === 'string') {
    const session = await req.server.sessions.ensure(req, reply);
    let id = session.data[ANONYMOUS_OWNER];
    if (typeof id !== 'string') {
      id = randomUUID();
      await req.server.sessions.update(req, { data: { ...session.data, [ANONYMOUS_OWNER]: id } });
    }
    const verifiedEmail = verifiedEmailOf(req);
    return { id: id as string, verifiedEmail, email: verifiedEmail?.email ?? null, phone: null };
  }
  reply.redirect(`/sign-in?back=${encodeURIComponent(req.url)}`, 303);
  return undefined;
}

/** The applicant's children as the register lists them (never typed in by the applicant; none without e-ID). */
export async function childrenOf(app: FastifyInstance, tenantId: string, applicant: Applicant): Promise<ChildOption[]> {
  if (!applicant.resident) return [];
  const person = await app.populationRegister.lookup(tenantId, applicant.resident.personalNumber);
  return (person?.children ?? []).map((c) => ({ personalNumber: c.personalNumber, name: c.name, birthDate: c.birthDate }));
}

/** How the definition wants to reach someone without e-ID: by a verified e-mail address, or not at all. */
export function contactMode(def: ServiceDefinition): 'none' | 'optional' | 'required' {
  return def.contact?.email ?? 'optional';
}

/**
 * The parties a submission makes: the applicant — the signed-in resident; the organisation they
 * act for, with them as its representative; the person they represent (ADR 0033: a god man,
 * förvaltare or attorney, in that capacity); a person verified by e-mail; or nobody (sent without
 * sign-in and without an address) — and the subject the definition names (a child from the
 * register, never typed in; otherwise the answer that identifies it).
 */
export function submissionParties(def: ServiceDefinition, applicant: Applicant, answers: Answers, children: readonly ChildOption[], actingFor?: ActingFor): NewParty[] {
  const parties: NewParty[] = [];
  const r = applicant.resident;
  if (r && isActingForPerson(actingFor)) {
    // The represented person applies; the resident acts for them, in the capacity the register gave.
    const principal = randomUUID();
    parties.push({ id: principal, role: 'applicant', kind: 'resident', personalNumber: actingFor.personalNumber, name: actingFor.name });
    parties.push({ role: 'representative', kind: 'resident', residentId: r.id, personalNumber: r.personalNumber, name: `${r.givenName} ${r.familyName}`, actingFor: principal, details: { capacity: actingFor.capacity } });
  } else if (r && actingFor && !isActingForPerson(actingFor)) {
    const organisation = randomUUID();
    parties.push({ id: organisation, role: 'applicant', kind: 'organisation', organisationNumber: actingFor.organisationNumber, name: actingFor.name });
    parties.push({ role: 'representative', kind: 'resident', residentId: r.id, personalNumber: r.personalNumber, name: `${r.givenName} ${r.familyName}`, actingFor: organisation });
  } else if (r) {
    parties.push({ role: 'applicant', kind: 'resident', residentId: r.id, personalNumber: r.personalNumber, name: `${r.givenName} ${r.familyName}` });
  } else if (applicant.verifiedEmail && contactMode(def) !== 'none') {
    parties.push({ role: 'applicant', kind: 'email', email: applicant.verifiedEmail.email, emailVerifiedAt: applicant.verifiedEmail.at });
  }
  const spec = def.subject;
  const answer = subjectIdentifier(def, answers);
  if (!spec || !answer) return parties;
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

/**
 * Whose register data the application is about: the person the resident represents (ADR 0033),
 * else the signed-in resident; none without e-ID.
 */
export function registerPersonOf(applicant: Applicant, actingFor?: ActingFor): string | undefined {
  if (!applicant.resident) return undefined;
  return isActingForPerson(actingFor) ? actingFor.personalNumber : applicant.resident.personalNumber;
}

/** The applicant's registered address (or the represented person's), for a form that starts from it (asked only then; none without e-ID). */
export async function addressOf(app: FastifyInstance, tenantId: string, applicant: Applicant, actingFor?: ActingFor): Promise<RegisteredAddress | undefined> {
  const personalNumber = registerPersonOf(applicant, actingFor);
  if (!personalNumber) return undefined;
  const person = await app.populationRegister.lookup(tenantId, personalNumber);
  return person?.address;
}
