/** Creating a case from a submitted application: reference, case row, its parties, first journal entry, receipt e-mail. */
import { matterWords } from './matter.ts';
import { writeTogether, writeTogetherIf, type Prelude, type Statement, type TenantQueryable } from '../kernel/db/index.ts';
import type { ServiceDefinition } from '../catalogue/types.ts';
import { chainEntries, insertEntriesStatement } from '../archive/index.ts';
import { uuidv7 } from '../kernel/ids.ts';
import { translate, type Locale } from '../kernel/i18n/index.ts';
import { enqueueStatement } from '../notify/outbox.ts';
import type { Answers } from '../forms/conditions.ts';
import { insertCaseStatement } from './cases.repository.ts';
import { completeParties, insertPartiesStatement, journalParty, partyIn, type NewParty } from './parties.ts';
import { formatReference, nextReference } from './reference.ts';
import { dueAt } from './workflow.ts';
import { caseMail } from './mail.ts';
import { linkStatements, type CaseLinkInput } from './links.tsx';
import { routeOf } from './routing.ts';
import './messages.ts';

export interface CreateCaseInput {
  definition: ServiceDefinition;
  /** Everyone and everything the case is about (parties.ts): at most one applicant and one subject. */
  parties: NewParty[];
  answers: Answers;
  locale: Locale;
  draftId: string | null;
  /** Where to send the receipt; none is sent without an address. */
  email: string | undefined;
  /** Public address of the tenant's site, for links in e-mail. */
  siteUrl: string;
  now: Date;
  /** The payment the case was paid with, recorded in its first journal entry (payments). */
  payment?: { id: string; amountOre: number; currency: string; providerRef: string | null };
  /** The state the case starts in, when not the workflow's initial one (co-signing: no co-signer, straight on). */
  status?: string;
  /** Lines the receipt e-mail adds after its text: what another engine made with the case (a booking's time and place). */
  receiptLines?: readonly string[];
  /** Further e-mails the submission sends (co-signing: the co-signer asked), queued in the same statement. */
  mail?: { to: string; subject: string; text: string; template: string; party: string }[];
  /** Earlier cases the answers refer to, linked both ways in the same statement. */
  links?: readonly CaseLinkInput[];
  /** The case's id, when the caller made it first (a booking written before the case, in the same transaction, names it). */
  id?: string;
  /** Other writes that belong to the submission (the draft marked submitted), sent in the same round trip. */
  alsoWrite?: (created: CreatedCase) => Statement[];
  /** What other engines record in the submission's journal entry (a queue's places: ADR 0043), by key. */
  record?: Record<string, unknown>;
}

/** A case as its statement makes it: its id, reference and the number in the reference (the tenant's sequence: the order cases arrived in). */
export interface CreatedCase {
  id: string;
  reference: string;
  number: number;
}

/** Call inside the submitting transaction; returns the new case's id and reference. */
export async function createCase(tx: TenantQueryable, input: CreateCaseInput): Promise<CreatedCase> {
  const { reference, number, at } = await nextReference(tx, input.definition.reference.prefix, input.now);
  const { created, writes } = caseWrites(tx.tenantId, input, { reference, number }, at);
  writes.push(...(input.alsoWrite?.(created) ?? []));
  await writeTogether(tx, writes);
  return created;
}

/**
 * Creates the case only if `guard(created)` — an UPDATE, such as marking the draft submitted on
 * the condition that it is still unsubmitted and unchanged — changes a row; returns undefined
 * when it does not. The caller has taken the case number and the database's time for the first
 * journal entry already (in the read before, saving a round trip: JOURNAL_CLOCK). Everything is one
 * statement, so it needs no transaction around it (kernel/db writeTogetherIf).
 */
export async function createCaseIf(
  q: TenantQueryable,
  input: CreateCaseInput & {
    caseNumber: number;
    recordedAt: Date;
    guard: (created: CreatedCase) => Statement;
    /** Mail that names the new case (its reference, its address), made once the case's id is known. */
    mailFor?: (created: CreatedCase) => NonNullable<CreateCaseInput['mail']>;
    /** What must be taken first in the same statement (a booking's resource lock); its closed gate throws its `refused()`. */
    prelude?: Prelude;
  },
): Promise<CreatedCase | undefined> {
  const reference = formatReference(input.definition.reference.prefix, input.now, input.caseNumber);
  const { created, writes } = caseWrites(q.tenantId, input, { reference, number: input.caseNumber }, input.recordedAt, input.mailFor);
  // alsoWrite here: single-row INSERTs only (the form's files as attachments), written only if the guard holds.
  writes.push(...(input.alsoWrite?.(created) ?? []));
  return (await writeTogetherIf(q, input.guard(created), writes, input.prelude)) ? created : undefined;
}

/**
 * The case row, its first journal entry and the receipt e-mail, as statements (no I/O). The entry
 * is recorded at `recordedAt`, the database's time (journal.ts), as is the case's updated_at.
 */
function caseWrites(
  tenantId: string,
  input: CreateCaseInput,
  { reference, number }: { reference: string; number: number },
  recordedAt: Date,
  mailFor?: (created: CreatedCase) => NonNullable<CreateCaseInput['mail']>,
): { created: CreatedCase; writes: Statement[] } {
  const { definition: def, now } = input;
  const id = input.id ?? uuidv7(now.getTime());
  const status = input.status ?? def.workflow.initial;
  const parties = completeParties(input.parties, now);
  // The applicant acts when they sign in with e-ID; a representative who signed in acts for an
  // applicant who did not (an organisation, a person they represent: ADR 0015, 0033), and the entry
  // says in what capacity; a submission without either (an anonymous report) is the system's doing.
  const applicantParty = partyIn(parties, 'applicant');
  const through = applicantParty?.residentId ? undefined : parties.find((p) => p.role === 'representative' && p.actingFor === applicantParty?.id && p.residentId);
  const applicant = applicantParty?.residentId ?? through?.residentId ?? null;
  const actedAs = through ? { actedAs: { party: through.id, role: 'representative', for: applicantParty!.id, ...(typeof through.details.capacity === 'string' ? { capacity: through.details.capacity } : {}) } } : {};
  // The definition's routing rules choose the department (and team) from the answers (ADR 0020).
  const route = routeOf(def, input.answers, now);
  const links = input.links ?? [];
  // A co-signing request (ADR 0016) is its own entry after the submission: who was asked (by party id only), by when.
  const asked = parties.filter((p) => p.role === 'co_applicant' && p.status === 'pending');
  const entries = chainEntries(tenantId, id, undefined, [
    {
      kind: 'submitted',
      actorKind: applicant ? 'resident' : 'system',
      actorId: applicant,
      // Entries written before migration 0009 carry `subject` (a child) instead of `parties`.
      payload: { reference, service: def.id, status, answers: input.answers, parties: parties.map(journalParty), ...actedAs, locale: input.locale, ...(input.payment ? { payment: input.payment } : {}), ...(def.routing ? { routing: route } : {}), ...(links.length ? { links } : {}), ...input.record },
      recordedAt,
    },
    ...(asked.length
      ? [
          {
            kind: 'co_sign_requested' as const,
            actorKind: 'system' as const,
            actorId: null,
            payload: { parties: asked.map((p) => p.id), dueAt: asked[0]!.dueAt, emailed: asked.filter((p) => p.details.notifiedByEmail === true).map((p) => p.id) },
            recordedAt,
          },
        ]
      : []),
  ]);
  const entry = entries.at(-1)!;
  // The case, its parties, its first journal entry, the receipt e-mail and the caller's writes go to the
  // database as one statement: one round trip instead of four (kernel/db/write-together.ts).
  const writes: Statement[] = [
    insertCaseStatement({
      id,
      reference,
      serviceId: def.id,
      serviceVersion: def.version ?? 1,
      department: route.department,
      team: route.team,
      answers: input.answers,
      locale: input.locale,
      status,
      dueAt: dueAt(def, status, now),
      draftId: input.draftId,
      createdAt: now,
      updatedAt: recordedAt,
      journalSeq: entry!.seq,
      journalHead: entry!.hash,
    }),
    // One single-row INSERT per entry: writeTogetherIf combines single-row statements only.
    ...entries.map((e) => insertEntriesStatement([e])),
  ];
  if (parties.length) writes.push(insertPartiesStatement(id, parties, now));
  writes.push(...linkStatements(id, links, now));
  if (input.email) {
    const l = input.locale;
    const receipt = enqueueStatement(
      {
        kind: 'email',
        payload: caseMail({ reference, parties }, def, l, {
          to: input.email,
          subject: translate(l, 'cases.mail.received.subject', { reference, yourMatter: matterWords(def, l).yourMatter }),
          text: [translate(l, 'cases.mail.received.body', { service: def.title[l], reference, url: `${input.siteUrl}/my/cases/${id}`, yourMatter: matterWords(def, l).yourMatter }), ...(input.receiptLines ?? [])].join('\n\n'),
        }),
      },
      now,
    );
    writes.push(receipt.statement);
  }
  for (const m of [...(input.mail ?? []), ...(mailFor?.({ id, reference, number }) ?? [])]) writes.push(enqueueStatement({ kind: 'email', payload: m }, now).statement);
  return { created: { id, reference, number }, writes };
}
