/** The residents front door: who is signed in, and their remembered contact details. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TenantQueryable } from '../../kernel/db/index.ts';
import { AppError } from '../../kernel/errors.ts';
import { findResident, residentFromSubject, saveContact, type Resident } from './residents-repository.ts';

export type { Resident } from './residents-repository.ts';

/** The resident with this id in the scope's tenant, or undefined. */
export async function getResident(tdb: TenantQueryable, id: string): Promise<Resident | undefined> {
  return findResident(tdb, id);
}

/**
 * Remembers a resident's e-mail and phone (empty means none), so forms can prefill them. Callers
 * validate first (validateContact gives translated messages); throws NOT_FOUND for an unknown id.
 */
export async function updateContact(tdb: TenantQueryable, id: string, contact: { email: string | null; phone: string | null }): Promise<void> {
  const clean = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim());
  if (!(await saveContact(tdb, id, { email: clean(contact.email), phone: clean(contact.phone) }))) throw new AppError('NOT_FOUND');
}

/**
 * The signed-in resident, or undefined after sending the browser to sign in and come back here.
 * Use in a route as: `const resident = await requireResident(req, reply); if (!resident) return reply;`
 */
export async function requireResident(req: FastifyRequest, reply: FastifyReply): Promise<Resident | undefined> {
  const resident = await signedInResident(req);
  if (resident) return resident;
  reply.redirect(`/sign-in?back=${encodeURIComponent(req.url)}`, 303);
  return undefined;
}

/** The resident signed in with e-ID on this request's session, or undefined (no redirect: for pages open to anyone). */
export async function signedInResident(req: FastifyRequest): Promise<Resident | undefined> {
  const s = req.session;
  if (s?.kind !== 'resident' || !s.subjectId) return undefined;
  // Usually read with the session already; a session started in this request is not.
  return (s.subject ? residentFromSubject(s.subject) : await findResident(req.tdb, s.subjectId)) ?? undefined;
}
