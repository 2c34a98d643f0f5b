/**
 * The one authorisation check for staff pages. It reads the account on every call (one indexed
 * read) rather than trusting what the session remembered, so a role taken away or an account
 * disabled takes effect on the very next request.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../kernel/errors.ts';
import { canAdministerStaff, staffPrincipal } from '../../policy/index.ts';
import { findAccountById } from './repository.ts';
import { toMember, type StaffAccount, type StaffMember, type StaffRole } from './types.ts';

export interface StaffRequirement {
  /** The member must hold this role, or gets the 403 page. */
  role?: StaffRole;
  /** The member must belong to this department (an id from tenants.yaml), or gets the 403 page. */
  department?: string;
}

function signInUrl(req: FastifyRequest): string {
  // Only a page can be returned to; after a POST the member lands on their home page.
  return req.method === 'GET' ? `/staff/sign-in?back=${encodeURIComponent(req.url)}` : '/staff/sign-in';
}

/**
 * The signed-in staff account with every check passed, or undefined when a redirect has already
 * been sent (not signed in as staff, or the password must be changed first).
 */
export async function loadSignedInStaff(
  req: FastifyRequest,
  reply: FastifyReply,
  opts: StaffRequirement & { passwordChangePage?: boolean } = {},
): Promise<StaffAccount | undefined> {
  const session = req.session;
  if (!session || session.kind !== 'staff' || !session.subjectId) {
    reply.redirect(signInUrl(req), 303);
    return undefined;
  }
  const account = await findAccountById(req.tdb, session.subjectId);
  if (!account || account.disabledAt) {
    await req.server.sessions.end(req, reply);
    reply.redirect(signInUrl(req), 303);
    return undefined;
  }
  if (account.passwordMustChange && !opts.passwordChangePage) {
    reply.redirect('/staff/password', 303);
    return undefined;
  }
  if (opts.role && !account.roles.includes(opts.role)) throw new AppError('FORBIDDEN');
  if (opts.department && !account.departments.includes(opts.department)) throw new AppError('FORBIDDEN');
  return account;
}

/**
 * Demands a signed-in staff member (optionally with a role and a department) and returns them.
 * Anyone else is redirected to staff sign-in and gets undefined: the route then returns `reply`.
 * A staff member who lacks the role or department gets the translated 403 page (AppError FORBIDDEN).
 *
 *   const staff = await requireStaff(req, reply, { role: 'handler', department: 'education' });
 *   if (!staff) return reply;
 */
export async function requireStaff(req: FastifyRequest, reply: FastifyReply, opts: StaffRequirement = {}): Promise<StaffMember | undefined> {
  const account = await loadSignedInStaff(req, reply, opts);
  return account ? toMember(account) : undefined;
}

/**
 * Demands a signed-in staff member whom the policy lets administer staff accounts
 * (canAdministerStaff); others get the 403 page, and anyone not signed in is redirected as by
 * requireStaff (undefined: the route then returns `reply`).
 */
export async function requireStaffAdministrator(req: FastifyRequest, reply: FastifyReply): Promise<StaffMember | undefined> {
  const member = await requireStaff(req, reply);
  if (member && !canAdministerStaff(staffPrincipal(member))) throw new AppError('FORBIDDEN');
  return member;
}
