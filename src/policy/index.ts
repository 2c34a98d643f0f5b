/**
 * Authorisation, in one place (DESIGN: least knowledge). Routes ask these questions and nothing
 * else decides who may see or do what:
 * - a resident sees only cases they are a party to;
 * - staff see only their own department's cases, in their own tenant (the tenant scope of every
 *   query already confines them to it), and act according to their roles.
 */

export type StaffRole = 'admin' | 'handler' | 'security_officer';

export interface StaffPrincipal {
  kind: 'staff';
  id: string;
  roles: readonly string[];
  departments: readonly string[];
}

export interface ResidentPrincipal {
  kind: 'resident';
  id: string;
}

export type Principal = StaffPrincipal | ResidentPrincipal;

/** The principal of a signed-in staff member (requireStaff's StaffMember, or a whole account). */
export function staffPrincipal(member: { id: string; roles: readonly string[]; departments: readonly string[] }): StaffPrincipal {
  return { kind: 'staff', id: member.id, roles: member.roles, departments: member.departments };
}

export interface CaseFacts {
  applicantId: string;
  department: string;
}

/** Is the resident a party to the case? Today the applicant; custodians and representatives come with ROADMAP 5. */
export function residentIsParty(resident: ResidentPrincipal, c: CaseFacts): boolean {
  return c.applicantId === resident.id;
}

/** May this person read the case? */
export function canReadCase(p: Principal, c: CaseFacts): boolean {
  if (p.kind === 'resident') return residentIsParty(p, c);
  return p.roles.includes('handler') && p.departments.includes(c.department);
}

/** May a handler change the case (assign, note, message, request supplement, decide)? */
export function canHandleCase(p: Principal, c: CaseFacts): boolean {
  return p.kind === 'staff' && p.roles.includes('handler') && p.departments.includes(c.department);
}

/** May the resident act on their own case (message, withdraw, supplement)? */
export function canActAsApplicant(p: Principal, c: CaseFacts): boolean {
  return p.kind === 'resident' && residentIsParty(p, c);
}

/** Which departments' inboxes a staff member may open. */
export function inboxDepartments(p: StaffPrincipal): readonly string[] {
  return p.roles.includes('handler') ? p.departments : [];
}

/** May this staff member read and export the audit log? */
export function canReadAuditLog(p: Principal): boolean {
  return p.kind === 'staff' && p.roles.includes('security_officer');
}

/** May this staff member administer staff accounts? */
export function canAdministerStaff(p: Principal): boolean {
  return p.kind === 'staff' && p.roles.includes('admin');
}
