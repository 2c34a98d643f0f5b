/**
 * The parties of a case (migration 0009, docs/adr/0011-parties-and-roles.md): who applies, who
 * co-signs, who represents whom, and who or what the case is about. A case is read with its
 * parties (cases.repository's CASE_COLUMNS); they are written with the case, in its statement.
 */
import type { Statement } from '../kernel/db/index.ts';
import { uuidv7 } from '../kernel/ids.ts';

export type PartyRole = 'applicant' | 'co_applicant' | 'representative' | 'subject';
export type PartyKind = 'resident' | 'email' | 'organisation' | 'child' | 'property' | 'vehicle' | 'place';
export type CoSigningStatus = 'pending' | 'approved' | 'rejected' | 'expired';

export interface CaseParty {
  id: string;
  role: PartyRole;
  kind: PartyKind;
  /** A resident's account, once they have signed in. */
  residentId: string | null;
  /** A person's (or child's) personal identity number, as e-ID or the register gave it. */
  personalNumber: string | null;
  email: string | null;
  emailVerifiedAt: string | null;
  organisationNumber: string | null;
  /** What a register knows a thing by: a property designation, a registration number, a place. */
  identifier: string | null;
  /** How people read the party (a name, an address). */
  name: string | null;
  details: Record<string, unknown>;
  /** A representative's principal (another party's id). */
  actingFor: string | null;
  status: CoSigningStatus | null;
  statusAt: string | null;
  /** When a pending co-signing request expires (migration 0012, ADR 0016). */
  dueAt: string | null;
  /** A co-signer's reason for rejecting, if they gave one. */
  statusReason: string | null;
}

/** A party to write: its role and kind, and what identifies it. */
export type NewParty = Pick<CaseParty, 'role' | 'kind'> & Partial<Omit<CaseParty, 'role' | 'kind'>>;

/**
 * The parties as one JSON array column of a case row (correlated to `cases`, so it needs the
 * table unaliased). Kept beside the case in one query: no second round trip to read a case.
 */
export const PARTIES_COLUMN = `(SELECT coalesce(json_agg(json_build_object(
    'id', p.id, 'role', p.role, 'kind', p.kind, 'residentId', p.resident_id, 'personalNumber', p.personal_number,
    'email', p.email, 'emailVerifiedAt', p.email_verified_at, 'organisationNumber', p.organisation_number,
    'identifier', p.identifier, 'name', p.name, 'details', p.details, 'actingFor', p.acting_for,
    'status', p.status, 'statusAt', p.status_at, 'dueAt', p.due_at, 'statusReason', p.status_reason) ORDER BY p.created_at, p.id), '[]'::json)
   FROM case_parties p WHERE p.tenant_id = cases.tenant_id AND p.case_id = cases.id) AS parties`;

/** Fills in ids and the nulls a stored party has, so a new case reads as it will be read back. */
export function completeParties(parties: readonly NewParty[], at: Date): CaseParty[] {
  return parties.map((p) => ({
    id: p.id ?? uuidv7(at.getTime()),
    role: p.role,
    kind: p.kind,
    residentId: p.residentId ?? null,
    personalNumber: p.personalNumber ?? null,
    email: p.email ?? null,
    emailVerifiedAt: p.emailVerifiedAt ?? null,
    organisationNumber: p.organisationNumber ?? null,
    identifier: p.identifier ?? null,
    name: p.name ?? null,
    details: p.details ?? {},
    actingFor: p.actingFor ?? null,
    // A co-applicant's co-signing starts pending, asked when the case is made.
    status: p.status ?? (p.role === 'co_applicant' ? 'pending' : null),
    statusAt: p.statusAt ?? (p.role === 'co_applicant' ? at.toISOString() : null),
    dueAt: p.dueAt ?? null,
    statusReason: p.statusReason ?? null,
  }));
}

// A party's columns, each with its type and its value: the rows of a guarded INSERT of several
// parties are typed together before they meet the table (kernel/db's insertOnlyIf), so every
// parameter says its type. `case_id` is the statement's own parameter after the tenant's.
type PartyRow = { party: CaseParty; createdAt: Date };
const PARTY_COLUMNS: readonly (readonly [column: string, type: string, value: (r: PartyRow) => unknown])[] = [
  ['id', 'uuid', (r) => r.party.id], ['role', 'text', (r) => r.party.role], ['kind', 'text', (r) => r.party.kind],
  ['resident_id', 'uuid', (r) => r.party.residentId], ['personal_number', 'text', (r) => r.party.personalNumber],
  ['email', 'text', (r) => r.party.email], ['email_verified_at', 'timestamptz', (r) => r.party.emailVerifiedAt],
  ['organisation_number', 'text', (r) => r.party.organisationNumber], ['identifier', 'text', (r) => r.party.identifier],
  ['name', 'text', (r) => r.party.name], ['details', 'jsonb', (r) => JSON.stringify(r.party.details)],
  ['acting_for', 'uuid', (r) => r.party.actingFor], ['status', 'text', (r) => r.party.status],
  ['status_at', 'timestamptz', (r) => r.party.statusAt], ['created_at', 'timestamptz', (r) => r.createdAt],
  ['due_at', 'timestamptz', (r) => r.party.dueAt],
];
const PARTY_INSERT = `INSERT INTO case_parties (tenant_id, case_id, ${PARTY_COLUMNS.map(([c]) => c).join(', ')}) VALUES `;

/**
 * The INSERT of a new case's parties, a part of the submission's single statement: one statement
 * for all of them, so PostgreSQL prepares the table's checks, indexes and triggers once, not once per
 * party (ADR 0019, "Where the submission's extra time goes").
 */
export function insertPartiesStatement(caseId: string, parties: readonly CaseParty[], createdAt: Date): Statement {
  const params: unknown[] = [caseId];
  const rows = parties.map((party) => {
    const holes = PARTY_COLUMNS.map(([, type, value]) => `$${params.push(value({ party, createdAt })) + 1}::${type}`);
    return `($1, $2::uuid, ${holes.join(', ')})`;
  });
  return { sql: PARTY_INSERT + rows.join(', '), params };
}

/** The party in a role (the applicant, the subject), if the case has one. */
export function partyIn(parties: readonly CaseParty[], role: 'applicant' | 'subject'): CaseParty | undefined {
  return parties.find((p) => p.role === role);
}

/**
 * The journal's record of a party: what identifies it and its role, without the nulls. The
 * submitted entry carries these (entries written before migration 0009 carry `subject` instead).
 */
export function journalParty(p: CaseParty): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([k, v]) => v !== null && !(k === 'details' && Object.keys(v as object).length === 0)));
}

/** A resident applying with e-ID. */
export function residentApplicant(r: { id: string; personalNumber?: string | undefined; name?: string | undefined }): NewParty {
  return { role: 'applicant', kind: 'resident', residentId: r.id, personalNumber: r.personalNumber ?? null, name: r.name ?? null };
}

/** A child from the population register as the subject, with the birth date shown beside the name. */
export function childSubject(child: { personalNumber: string; name: string; birthDate: string }): NewParty {
  return { role: 'subject', kind: 'child', personalNumber: child.personalNumber, name: child.name, details: { birthDate: child.birthDate } };
}

/**
 * The representative a person applied through (ADR 0033: a god man, förvaltare or attorney, whose
 * capacity the party records): letters go to the applicant "c/o" them. An organisation's signatory
 * is no such representative: an organisation's letters go to the organisation.
 */
export function representativeOfApplicant(parties: readonly CaseParty[]): (CaseParty & { capacity: string }) | undefined {
  const applicant = partyIn(parties, 'applicant');
  const rep = applicant && parties.find((p) => p.role === 'representative' && p.actingFor === applicant.id && typeof p.details.capacity === 'string');
  return rep ? { ...rep, capacity: rep.details.capacity as string } : undefined;
}
