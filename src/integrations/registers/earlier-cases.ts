/**
 * Earlier cases of the same resident, as a register: what a field that refers to an earlier case
 * (a change to an existing placement) offers and checks. It reads the case store through the
 * tenant scope; no adapter, no configuration. Only the lookup API for now: the field kind that uses
 * it comes with the field kinds.
 */
import type { TenantQueryable } from '../../kernel/db/index.ts';
import { applicantIdOf, casesOfPerson } from '../../cases/index.ts';

export interface EarlierCase {
  id: string;
  reference: string;
  serviceId: string;
  status: string;
  createdAt: Date;
}

export interface EarlierCasesQuery {
  /** Only cases of these services (e.g. the placement a change refers to). */
  serviceIds?: readonly string[];
  /** Only cases in these states (e.g. decided, not withdrawn). */
  statuses?: readonly string[];
}

/** The resident's earlier cases in this tenant, newest first, filtered by service and state. */
export async function earlierCases(q: TenantQueryable, resident: { id: string; personalNumber: string }, query: EarlierCasesQuery = {}): Promise<EarlierCase[]> {
  // Cases the resident applied for themselves (not those they are only another party to).
  const cases = (await casesOfPerson(q, resident)).filter((c) => applicantIdOf(c) === resident.id);
  return cases
    .filter((c) => (!query.serviceIds || query.serviceIds.includes(c.serviceId)) && (!query.statuses || query.statuses.includes(c.status)))
    .map((c) => ({ id: c.id, reference: c.reference, serviceId: c.serviceId, status: c.status, createdAt: c.createdAt }));
}

/**
 * The resident's earlier case with this reference, if it is theirs and matches the query:
 * a typed or tampered reference to someone else's case finds nothing.
 */
export async function earlierCase(q: TenantQueryable, resident: { id: string; personalNumber: string }, reference: string, query: EarlierCasesQuery = {}): Promise<EarlierCase | undefined> {
  return (await earlierCases(q, resident, query)).find((c) => c.reference === reference.trim());
}
