/**
 * Authorisation, in one place (DESIGN: least knowledge). Routes ask these questions and nothing
 * else decides who may see or do what (docs/adr/0011-parties-and-roles.md):
 * - a person reads and acts on a case by their party role on it: the applicant and a co-applicant
 *   read it; the applicant acts (message, withdraw, supplement); a co-applicant reads and, with
 *   co-signing, answers; a representative reads and acts as the party it acts for does; a subject
 *   who is a person (an adult) reads only where the service's definition says so;
 * - staff read and act on their own department's cases, in their own tenant (the tenant scope of
 *   every query already confines them to it), by the roles the service's definition names: those
 *   who handle it, and those with the delegation to decide it (defaults: the `handler` role both).
 */

/** The roles every tenant knows; service definitions may declare more (handling, delegation). */
export const BUILT_IN_STAFF_ROLES = ['admin', 'handler', 'security_officer'] as const;
export type StaffRole = (typeof BUILT_IN_STAFF_ROLES)[number];

/** Who handles and who decides a service's cases, when its definition says nothing. */
export const DEFAULT_HANDLING: { handle: readonly string[]; decide: readonly string[] } = { handle: ['handler'], decide: ['handler'] };

export interface StaffPrincipal {
  kind: 'staff';
  id: string;
  roles: readonly string[];
  departments: readonly string[];
}

/**
 * A person signed in with e-ID. The personal number matches parties a register named before the
 * person ever signed in (a second custodian, an adult subject). Persons verified by e-mail are
 * EmailPrincipals; the holder of a private follow link reads that one case by the link alone
 * (follow/), which is no principal: the token is the authority.
 */
export interface ResidentPrincipal {
  kind: 'resident';
  id: string;
  personalNumber?: string | undefined;
}

/**
 * A person who verified an e-mail address by code (ADR 0015): a party of kind `email` with that
 * address, verified when the case was made, is them.
 */
export interface EmailPrincipal {
  kind: 'email';
  email: string;
}

/** A person on their own behalf: with e-ID, or verified by e-mail. */
export type PersonPrincipal = ResidentPrincipal | EmailPrincipal;

export type Principal = StaffPrincipal | PersonPrincipal;

/** The principal of a signed-in staff member (requireStaff's StaffMember, or a whole account). */
export function staffPrincipal(member: { id: string; roles: readonly string[]; departments: readonly string[] }): StaffPrincipal {
  return { kind: 'staff', id: member.id, roles: member.roles, departments: member.departments };
}

/** The principal of a person who verified this address by e-mail code. */
export function emailPrincipal(email: string): EmailPrincipal {
  return { kind: 'email', email };
}

/** The principal of a signed-in resident. */
export function residentPrincipal(resident: { id: string; personalNumber: string }): ResidentPrincipal {
  return { kind: 'resident', id: resident.id, personalNumber: resident.personalNumber };
}

export type PartyRole = 'applicant' | 'co_applicant' | 'representative' | 'subject';

/** What the policy needs of a party (cases' CaseParty has it). */
export interface PartyFacts {
  id: string;
  role: PartyRole;
  kind: string;
  residentId: string | null;
  personalNumber: string | null;
  actingFor: string | null;
  email?: string | null | undefined;
  emailVerifiedAt?: string | null | undefined;
  /** `protected: true`: a protected identity (skyddad identitet), as co-signing/ records it from the register. */
  details?: { protected?: unknown } | null | undefined;
  /** A co-applicant's answer to co-signing (approved: they signed the application). */
  status?: string | null | undefined;
}

/** What the policy needs of a case. */
export interface CaseFacts {
  department: string;
  parties: readonly PartyFacts[];
}

/** What the policy needs of the case's service definition (catalogue's ServiceDefinition has it). */
export interface ServiceRules {
  handling?: { handle: readonly string[]; decide: readonly string[] } | undefined;
  subject?: { partyReads?: boolean | undefined } | undefined;
}

// ---------------------------------------------------------------------------------------------
// Parties

/** The parties this person is on the case (none: not a party). */
function partiesOf(p: PersonPrincipal, c: CaseFacts): PartyFacts[] {
  if (p.kind === 'email') {
    const email = p.email.toLowerCase();
    return c.parties.filter((x) => x.kind === 'email' && !!x.emailVerifiedAt && x.email?.toLowerCase() === email);
  }
  return c.parties.filter((x) => x.kind === 'resident' && (x.residentId === p.id || (!!p.personalNumber && x.personalNumber === p.personalNumber)));
}

/** The role a representative stands in: its principal's (a representative of a representative: none). */
function roleActedFor(party: PartyFacts, c: CaseFacts): PartyRole | undefined {
  if (party.role !== 'representative') return party.role;
  const principal = c.parties.find((x) => x.id === party.actingFor);
  return principal && principal.role !== 'representative' ? principal.role : undefined;
}

const READING_ROLES: readonly PartyRole[] = ['applicant', 'co_applicant'];

/** May this person read the case as a party? */
function partyReads(p: PersonPrincipal, c: CaseFacts, rules: ServiceRules): boolean {
  return partiesOf(p, c).some((party) => {
    const role = roleActedFor(party, c);
    if (role === 'subject') return rules.subject?.partyReads === true;
    return role !== undefined && READING_ROLES.includes(role);
  });
}

/** Is the person a party to the case in any role (whether or not that role reads)? */
export function residentIsParty(p: ResidentPrincipal, c: CaseFacts): boolean {
  return partiesOf(p, c).length > 0;
}

// ---------------------------------------------------------------------------------------------
// Staff

const holdsAny = (p: StaffPrincipal, roles: readonly string[]) => roles.some((r) => p.roles.includes(r));

/** The roles that handle and decide the service's cases. */
export function handlingOf(rules: ServiceRules): { handle: readonly string[]; decide: readonly string[] } {
  return rules.handling ?? DEFAULT_HANDLING;
}

// ---------------------------------------------------------------------------------------------
// The questions routes ask

/** May this person read the case? */
export function canReadCase(p: Principal, c: CaseFacts, rules: ServiceRules): boolean {
  if (p.kind !== 'staff') return partyReads(p, c, rules);
  const h = handlingOf(rules);
  return p.departments.includes(c.department) && (holdsAny(p, h.handle) || holdsAny(p, h.decide));
}

/** May a member of staff handle the service's cases at all (its pages of bookings, queues and rounds)? */
export function canHandleService(p: Principal, def: ServiceRules & { department: string }): boolean {
  return canHandleCase(p, { department: def.department, parties: [] }, def);
}

/** May a member of staff work on the case (assign, note, message, request supplement, start)? */
export function canHandleCase(p: Principal, c: CaseFacts, rules: ServiceRules): boolean {
  return p.kind === 'staff' && p.departments.includes(c.department) && holdsAny(p, handlingOf(rules).handle);
}

/** May a member of staff decide the case: do they hold a role with the delegation to decide it? */
export function canDecideCase(p: Principal, c: CaseFacts, rules: ServiceRules): boolean {
  return p.kind === 'staff' && p.departments.includes(c.department) && holdsAny(p, handlingOf(rules).decide);
}

/** May the person act on the case as its applicant (message, withdraw, supplement)? */
export function canActAsApplicant(p: Principal, c: CaseFacts): boolean {
  return p.kind !== 'staff' && partiesOf(p, c).some((party) => roleActedFor(party, c) === 'applicant');
}

/**
 * May the person answer a place offered to the application (ADR 0046)? The applicant; with
 * `signers`, also a co-applicant who approved it (the other custodian who co-signed).
 */
export function canAnswerOffer(p: Principal, c: CaseFacts, answeredBy: 'applicant' | 'signers' = 'applicant'): boolean {
  if (canActAsApplicant(p, c)) return true;
  return answeredBy === 'signers' && p.kind !== 'staff' && partiesOf(p, c).some((party) => party.role === 'co_applicant' && party.status === 'approved');
}

/** May the person answer a co-signing request on the case (docs/adr/0016-co-signing.md)? */
export function canCoSign(p: Principal, c: CaseFacts): boolean {
  return p.kind !== 'staff' && partiesOf(p, c).some((party) => party.role === 'co_applicant');
}

/**
 * Which services' cases a member of staff sees in the inbox: those of their departments where they
 * hold a role that handles or decides them.
 */
export function inboxServices<S extends ServiceRules & { id: string; department: string; routing?: readonly { department?: string | undefined }[] | undefined }>(p: StaffPrincipal, services: readonly S[]): S[] {
  return services.filter((s) => {
    const h = handlingOf(s);
    // A service whose routing rules send cases to another department is seen there too (ADR 0020);
    // which of its cases is still decided by each case's department (canReadCase, the inbox query).
    const departments = [s.department, ...(s.routing ?? []).flatMap((r) => (r.department ? [r.department] : []))];
    return departments.some((d) => p.departments.includes(d)) && (holdsAny(p, h.handle) || holdsAny(p, h.decide));
  });
}

/**
 * A case whose applicant or subject has a protected identity (skyddad identitet): their names are
 * shown in a list of cases, and found by a search by name, only to staff who may see them
 * (staffSeesProtectedNames); everyone else sees that the identity is protected, and finds the
 * case by its reference. The case page names them to those who read the case, flagged
 * (ADR 0016), and that read is audit-logged.
 */
export function hasProtectedIdentity(c: CaseFacts): boolean {
  return c.parties.some((p) => (p.role === 'applicant' || p.role === 'subject') && p.details?.protected === true);
}

/**
 * May a member of staff see the names of a case with a protected identity in a list (the inbox)
 * and find it by name? Only the handler it is assigned to: a name in a list is seen by whoever looks
 * at the screen, and a name search that finds it tells that the person has a case here
 * (docs/adr/0024). The inbox's SQL mirrors this rule (cases/inbox.repository.ts).
 */
export function staffSeesProtectedNames(p: Principal, c: CaseFacts & { assigneeId: string | null }): boolean {
  return p.kind === 'staff' && c.assigneeId === p.id;
}

/** May this staff member read and export the audit log? */
export function canReadAuditLog(p: Principal): boolean {
  return p.kind === 'staff' && p.roles.includes('security_officer');
}

/** May this staff member administer staff accounts? */
export function canAdministerStaff(p: Principal): boolean {
  return p.kind === 'staff' && p.roles.includes('admin');
}
